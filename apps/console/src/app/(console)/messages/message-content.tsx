import type { MessageView } from '@retract/contracts';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { formatBytes } from '../../../lib/labels';

/** A message's content by type: text, attachment link, location, payment; or why it cannot be shown. */
export function MessageContent({ message, locale, t }: { message: MessageView; locale: string; t: Dictionary['messages'] }) {
  if (message.state === 'UNREADABLE') {
    return (
      <div className="bubble__body">
        <p className="muted" role="note" data-testid="content-unreadable">
          {t.unreadable}
        </p>
      </div>
    );
  }
  return (
    <div className="bubble__body">
      {message.type !== 'TEXT' ? <span className="badge badge--muted">{t.types[message.type]}</span> : null}
      {message.attachment ? (
        <p>
          <a href={message.attachment.url} rel="noopener noreferrer" target="_blank" className="link">
            {format(t.attachment, { name: message.attachment.name, size: formatBytes(locale, message.attachment.size) })}
          </a>
        </p>
      ) : null}
      {message.location ? (
        <p>{format(t.location, { label: message.location.label ?? `${message.location.latitude}, ${message.location.longitude}` })}</p>
      ) : null}
      {message.payment ? <p>{format(t.payment, { amount: (message.payment.amountMinor / 100).toFixed(2), currency: message.payment.currency })}</p> : null}
      {message.body ? <p className="bubble__text">{message.body}</p> : null}
    </div>
  );
}
