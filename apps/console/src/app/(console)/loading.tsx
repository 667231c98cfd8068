import { getI18n } from '../../i18n/locale';

/** Shown inside the shell while a section's data loads (the shell itself is already there). */
export default async function Loading() {
  const { dict } = await getI18n();
  return (
    <div className="skeleton" aria-busy="true" role="status">
      <span className="visually-hidden">{dict.common.loading}</span>
      <div className="skeleton__line skeleton__line--title" />
      <div className="skeleton__line" />
      <div className="skeleton__block" />
    </div>
  );
}
