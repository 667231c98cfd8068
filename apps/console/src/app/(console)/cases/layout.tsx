import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the cases section (compliance officers) get past this layout. */
export default async function CasesLayout({ children }: { children: ReactNode }) {
  await requireSection('cases');
  return children;
}
