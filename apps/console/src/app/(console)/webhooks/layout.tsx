import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the webhooks section get past this layout. */
export default async function WebhooksLayout({ children }: { children: ReactNode }) {
  await requireSection('webhooks');
  return children;
}
