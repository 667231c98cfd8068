'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Dictionary } from '../i18n/en';

export interface ConsoleStrings {
  locale: string;
  problems: Dictionary['problems'];
  duration: Dictionary['duration'];
  common: Dictionary['common'];
}

const ConsoleStringsContext = createContext<ConsoleStrings | null>(null);

/**
 * Strings every client component of the signed-in console may need (problem sentences,
 * durations, common words), handed down once by the shell instead of through every prop.
 */
export function ConsoleStringsProvider({ value, children }: { value: ConsoleStrings; children: ReactNode }) {
  return <ConsoleStringsContext value={value}>{children}</ConsoleStringsContext>;
}

export function useConsoleStrings(): ConsoleStrings {
  const strings = useContext(ConsoleStringsContext);
  if (!strings) throw new Error('useConsoleStrings must be used inside ConsoleStringsProvider ((console)/layout.tsx)');
  return strings;
}
