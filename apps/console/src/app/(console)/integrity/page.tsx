import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('integrity');

export default function IntegrityPage() {
  return <SectionPlaceholder section="integrity" />;
}
