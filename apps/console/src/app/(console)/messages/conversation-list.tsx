import type { ConversationView } from '@retract/contracts';
import Link from 'next/link';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';

/** A conversation's name: its title, or the other members' names. */
export function conversationTitle(conversation: ConversationView, meId: string): string {
  return (
    conversation.title ??
    conversation.members
      .filter((m) => m.id !== meId)
      .map((m) => m.displayName)
      .join(', ')
  );
}

/** The employee's conversations, the open one marked, with a count of what arrived in the others. */
export function ConversationList({
  conversations,
  openId,
  meId,
  unread,
  t,
}: {
  conversations: ConversationView[];
  openId: string | null;
  meId: string;
  unread: Record<string, number>;
  t: Dictionary['messages'];
}) {
  return (
    <nav className="messenger__list card" aria-label={t.conversations}>
      <h2 className="messenger__heading">{t.conversations}</h2>
      {conversations.length === 0 ? <p className="muted">{t.noConversations}</p> : null}
      <ul className="conversations">
        {conversations.map((c) => (
          <li key={c.id}>
            <Link
              href={`/messages?c=${c.id}`}
              className="conversation"
              aria-current={c.id === openId ? 'page' : undefined}
              prefetch={false}
              data-testid="conversation-link"
            >
              <span className="conversation__title">{conversationTitle(c, meId)}</span>
              <span className="conversation__meta">
                {c.kind === 'GROUP' ? t.group : t.direct}
                {unread[c.id] ? <span className="badge badge--info">{format(t.unread, { count: unread[c.id] })}</span> : null}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
