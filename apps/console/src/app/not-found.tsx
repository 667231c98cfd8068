import type { Metadata } from 'next';
import Link from 'next/link';
import { getI18n } from '../i18n/locale';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.errors.notFoundTitle };
}

export default async function NotFound() {
  const { dict } = await getI18n();
  return (
    <main id="main" className="status-page">
      <div className="status-page__card card">
        <h1 className="status-page__title">{dict.errors.notFoundTitle}</h1>
        <p>{dict.errors.notFoundBody}</p>
        <Link href="/" className="button button--primary">
          {dict.errors.backHome}
        </Link>
      </div>
    </main>
  );
}
