import type { ReactNode } from 'react';
import { requireSection } from '../../../lib/sections';

/** Only users whose ability allows changing single sign-on (administrators) get past this layout. */
export default async function SsoLayout({ children }: { children: ReactNode }) {
  await requireSection('sso');
  return children;
}
