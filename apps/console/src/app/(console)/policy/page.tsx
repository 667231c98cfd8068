import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('policy');

export default function PolicyPage() {
  return <SectionPlaceholder section="policy" />;
}
