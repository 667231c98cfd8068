import Link from 'next/link';
import type { ConversationView } from '@retract/contracts';
import { formatUtc, humanDuration } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import type { Dictionary } from '../../../i18n';
import styles from './glance.module.css';
import { loadEmployeeGlance } from './_queries';

/** A DIRECT conversation is named after the other member; a GROUP by its title. */
const nameOf = (conversation: ConversationView, meId: string) =>
  conversation.title ??
  conversation.members
    .filter((m) => m.id !== meId)
    .map((m) => m.displayName)
    .join(', ');

/** An employee's home: their conversations, most recently active first. */
export async function EmployeeGlance({ locale, dict, meId }: { locale: string; dict: Dictionary; meId: string }) {
  const { conversations } = await loadEmployeeGlance();
  const t = dict.home.glance;
  return (
    <section aria-labelledby="glance-conversations" className={`card ${styles.block}`} data-testid="glance-conversations">
      <h2 id="glance-conversations" className="card__title">
        {t.conversations}
      </h2>
      {conversations === null ? (
        <p className="muted">{t.unavailable}</p>
      ) : conversations.length === 0 ? (
        <p className="muted">{dict.messages.noConversations}</p>
      ) : (
        <ul className={styles.conversations}>
          {conversations.map((c) => (
            <li key={c.id}>
              <Link href={`/messages?c=${c.id}`} className={styles.conversation} data-testid="glance-conversation">
                <span>
                  <span className={styles.conversationName}>{nameOf(c, meId)}</span>{' '}
                  <span className="muted">
                    {c.kind === 'GROUP' ? dict.messages.group : dict.messages.direct} · {format(dict.messages.members, { count: c.members.length })}
                  </span>
                </span>
                <span className="muted">
                  {c.lastMessageAt ? format(t.lastMessage, { date: formatUtc(locale, c.lastMessageAt) }) : t.noMessages} ·{' '}
                  {c.recallWindowSeconds === 0
                    ? dict.messages.recallOff
                    : format(dict.messages.windowIs, { duration: humanDuration(locale, c.recallWindowSeconds) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
