import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the exports section get past this layout. */
export default async function ExportsLayout({ children }: { children: ReactNode }) {
  await requireSection('exports');
  return children;
}
