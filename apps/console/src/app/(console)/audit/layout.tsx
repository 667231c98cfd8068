import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the audit section get past this layout. */
export default async function AuditLayout({ children }: { children: ReactNode }) {
  await requireSection('audit');
  return children;
}
