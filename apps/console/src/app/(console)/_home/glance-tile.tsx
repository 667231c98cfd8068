import Link from 'next/link';
import styles from './glance.module.css';

export type GlanceTone = 'ok' | 'warning' | undefined;

/** One figure of the home page, linking to the section that explains it. */
export function GlanceTile({
  label,
  value,
  detail,
  href,
  testId,
  tone,
}: {
  label: string;
  value: string;
  detail?: string;
  href: string;
  testId: string;
  tone?: GlanceTone;
}) {
  return (
    <li>
      <Link href={href} className={`card card--link ${styles.tile}`} data-testid={testId}>
        <span className={styles.label}>{label}</span>
        <span className={`${styles.value} ${tone ? styles[tone] : ''}`} data-testid={`${testId}-value`}>
          {value}
        </span>
        {detail ? <span className={styles.detail}>{detail}</span> : null}
      </Link>
    </li>
  );
}

/** The tiles of one role, under a heading. */
export function GlanceGrid({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className={`home-sections ${styles.block}`} data-testid={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      <ul className={styles.grid}>{children}</ul>
    </section>
  );
}
