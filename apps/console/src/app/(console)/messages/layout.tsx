import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows the messages section get past this layout. */
export default async function MessagesLayout({ children }: { children: ReactNode }) {
  await requireSection('messages');
  return children;
}
