import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the users section get past this layout. */
export default async function UsersLayout({ children }: { children: ReactNode }) {
  await requireSection('users');
  return children;
}
