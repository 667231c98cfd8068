import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('insights');

export default function InsightsPage() {
  return <SectionPlaceholder section="insights" />;
}
