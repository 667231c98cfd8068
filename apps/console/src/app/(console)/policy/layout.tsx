import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the policy section get past this layout. */
export default async function PolicyLayout({ children }: { children: ReactNode }) {
  await requireSection('policy');
  return children;
}
