import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the insights section get past this layout. */
export default async function InsightsLayout({ children }: { children: ReactNode }) {
  await requireSection('insights');
  return children;
}
