import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('legalHolds');

export default function LegalHoldsPage() {
  return <SectionPlaceholder section="legalHolds" />;
}
