import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('webhooks');

export default function WebhooksPage() {
  return <SectionPlaceholder section="webhooks" />;
}
