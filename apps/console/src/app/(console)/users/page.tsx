import { SectionPlaceholder, sectionMetadata } from '../../../components/section-placeholder';

export const generateMetadata = () => sectionMetadata('users');

export default function UsersPage() {
  return <SectionPlaceholder section="users" />;
}
