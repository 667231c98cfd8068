import type { AuditEntryDetail } from '@retract/contracts';
import { formatUtc } from '../../../../i18n/dates';
import { format } from '../../../../i18n/format';
import { formatBytes } from '../../../../lib/labels';
import type { AuditStrings } from '../audit-browser';

/** A recalled message as it was, when the viewer may read it; otherwise why it cannot be shown. */
export function EntryContent({ detail, locale, t }: { detail: AuditEntryDetail; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const content = detail.content;
  if (!content) return <p className="muted">{a.contentNone}</p>;
  switch (content.state) {
    case 'ERASED':
      return (
        <div className="notice notice--warning" data-testid="audit-content">
          <p>{format(a.contentErased, { date: formatUtc(locale, content.destroyedAt) })}</p>
          {content.reason ? <p>{format(a.contentErasedReason, { reason: content.reason })}</p> : null}
        </div>
      );
    case 'WITHHELD':
      return (
        <p className="notice notice--warning" data-testid="audit-content">
          {a.contentWithheld}
        </p>
      );
    case 'UNREADABLE':
      return (
        <p className="notice notice--warning" data-testid="audit-content">
          {a.contentUnreadable}
        </p>
      );
    case 'READABLE':
      return <ReadableContent value={content.value} locale={locale} t={t} />;
  }
}

interface RecalledValue {
  type?: string;
  body?: string;
  attachment?: { name: string; mimeType: string; size: number };
  location?: { latitude: number; longitude: number; label?: string };
  payment?: { amountMinor: number; currency: string };
  /** An integrated chat system's recall names its files, without their bytes. */
  attachments?: { name: string }[];
}

function ReadableContent({ value: raw, locale, t }: { value: unknown; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const value = (raw ?? {}) as RecalledValue;
  const attachments = Array.isArray(value.attachments) ? value.attachments.filter((item) => typeof item?.name === 'string') : [];
  return (
    <div className="recalled-content" data-testid="audit-content">
      <p className="muted">{a.contentReadable}</p>
      {value.type ? <span className="badge">{value.type}</span> : null}
      {value.body ? <blockquote className="quote">{value.body}</blockquote> : null}
      {value.attachment ? (
        <p>{format(a.attachment, { name: value.attachment.name, type: value.attachment.mimeType, size: formatBytes(locale, value.attachment.size) })}</p>
      ) : null}
      {value.location ? <p>{format(a.location, { label: value.location.label ?? '', lat: value.location.latitude, lng: value.location.longitude })}</p> : null}
      {value.payment ? <p>{format(a.payment, { amount: (value.payment.amountMinor / 100).toFixed(2), currency: value.payment.currency })}</p> : null}
      {attachments.length > 0 ? (
        <ul className="id-list">
          {attachments.map((item, index) => (
            <li key={index}>{format(a.attachmentName, { name: item.name })}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
