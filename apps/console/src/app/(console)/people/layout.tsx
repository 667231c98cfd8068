import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the people directory (compliance officers, administrators) get past this layout. */
export default async function PeopleLayout({ children }: { children: ReactNode }) {
  await requireSection('people');
  return children;
}
