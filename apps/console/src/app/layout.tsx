import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ErrorStringsProvider } from '../components/error-strings';
import { getI18n } from '../i18n/locale';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return {
    title: { template: `%s · ${dict.meta.title}`, default: dict.meta.title },
    description: dict.meta.description,
    robots: { index: false, follow: false },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, dict } = await getI18n();
  return (
    <html lang={locale}>
      <body>
        <ErrorStringsProvider value={dict.errors}>{children}</ErrorStringsProvider>
      </body>
    </html>
  );
}
