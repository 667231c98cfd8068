import type { Metadata } from 'next';
import Link from 'next/link';
import { format } from '../i18n/format';
import { getI18n } from '../i18n/locale';
import { requireSection, type SectionKey } from '../lib/sections';

export async function sectionMetadata(section: SectionKey): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.nav[section] };
}

/** The page of a section that is not built yet; the role check is already in place. */
export async function SectionPlaceholder({ section }: { section: SectionKey }) {
  await requireSection(section);
  const { dict } = await getI18n();
  const name = dict.nav[section];
  return (
    <>
      <header className="page-header">
        <h1 className="page-header__title">{name}</h1>
        <p className="page-header__lead">{dict.sections[section]}</p>
      </header>
      <section className="card empty-state" aria-label={dict.placeholder.coming}>
        <span className="badge badge--info">{dict.placeholder.coming}</span>
        <p>{format(dict.placeholder.body, { section: name })}</p>
        <Link href="/" className="link">
          {dict.common.backHome}
        </Link>
      </section>
    </>
  );
}
