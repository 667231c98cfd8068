import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('messages');

export default function MessagesPage() {
  return <SectionPlaceholder section="messages" />;
}
