import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the legalHolds section get past this layout. */
export default async function LegalHoldsLayout({ children }: { children: ReactNode }) {
  await requireSection('legalHolds');
  return children;
}
