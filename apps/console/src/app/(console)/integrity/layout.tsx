import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the integrity section get past this layout. */
export default async function IntegrityLayout({ children }: { children: ReactNode }) {
  await requireSection('integrity');
  return children;
}
