import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('exports');

export default function ExportsPage() {
  return <SectionPlaceholder section="exports" />;
}
