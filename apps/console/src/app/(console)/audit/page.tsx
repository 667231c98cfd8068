import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('audit');

export default function AuditPage() {
  return <SectionPlaceholder section="audit" />;
}
