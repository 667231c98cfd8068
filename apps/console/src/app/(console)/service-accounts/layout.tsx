import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the service accounts section (administrators) get past this layout. */
export default async function ServiceAccountsLayout({ children }: { children: ReactNode }) {
  await requireSection('serviceAccounts');
  return children;
}
