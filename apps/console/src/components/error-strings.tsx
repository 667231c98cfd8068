'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Dictionary } from '../i18n/en';

export type ErrorStrings = Dictionary['errors'];

const ErrorStringsContext = createContext<ErrorStrings | null>(null);

/**
 * Hands the error boundary (a client component that cannot read cookies) its strings in the
 * request's language. They travel in the RSC payload, so no dictionary is bundled as JS.
 */
export function ErrorStringsProvider({ value, children }: { value: ErrorStrings; children: ReactNode }) {
  return <ErrorStringsContext value={value}>{children}</ErrorStringsContext>;
}

export function useErrorStrings(): ErrorStrings {
  const strings = useContext(ErrorStringsContext);
  if (!strings) throw new Error('useErrorStrings must be used inside ErrorStringsProvider (app/layout.tsx)');
  return strings;
}
