'use client';

import type { MessageView } from '@retract/contracts';
import { useLayoutEffect, useRef } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { formatLocalTime } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import type { ComposerState } from './composer';
import { MessageContent } from './message-content';
import { clock, PAYMENT_TYPES, recallLeft } from './message-list-model';
import { RecallConfirm } from './recall-confirm';
import type { Recall } from './use-recall';

type T = Dictionary['messages'];

interface Shared {
  meId: string;
  now: number | null;
  locale: string;
  t: T;
  recall: Recall;
}

/**
 * The open conversation, oldest at the top. It follows new messages while the reader is at its end
 * and leaves them alone when they scrolled up (`follow` asks it to go to the end regardless).
 */
export function MessageList({
  title,
  messages,
  hasOlder,
  loadingOlder,
  windowSeconds,
  batchLimit,
  composer,
  followToken,
  onLoadOlder,
  onDeleteForMe,
  ...shared
}: Shared & {
  title: string;
  /** Newest first, as kept. */
  messages: MessageView[];
  hasOlder: boolean;
  loadingOlder: boolean;
  windowSeconds: number;
  /** How many messages one batch recall may take (0: batch recall is off). */
  batchLimit: number;
  composer: ComposerState;
  /** Changes whenever the list should scroll to the end even if the reader scrolled up. */
  followToken: number;
  onLoadOlder: () => void;
  onDeleteForMe: (message: MessageView) => void;
}) {
  const { t } = shared;
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const followed = useRef(followToken);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (followed.current !== followToken) {
      followed.current = followToken;
      stick.current = true;
    }
    if (list && stick.current) list.scrollTop = list.scrollHeight;
  }, [messages, shared.recall.prompt, followToken]);

  const ordered = [...messages].reverse();
  const windowMs = windowSeconds * 1000;
  return (
    <ol
      className="messages"
      ref={listRef}
      aria-label={title}
      data-testid="message-list"
      tabIndex={0}
      onScroll={(event) => {
        const list = event.currentTarget;
        stick.current = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      }}
    >
      {hasOlder ? (
        <li className="messages__older">
          <button type="button" className="button button--quiet button--small" onClick={onLoadOlder} disabled={loadingOlder}>
            {loadingOlder ? t.loadingOlder : t.older}
          </button>
        </li>
      ) : null}
      {ordered.length === 0 ? <li className="empty">{t.empty}</li> : null}
      {ordered.map((m) =>
        m.state === 'RECALLED' ? (
          <RecalledLine key={m.id} message={m} composer={composer} {...shared} />
        ) : (
          <MessageBubble key={m.id} message={m} windowMs={windowMs} batchLimit={batchLimit} onDeleteForMe={onDeleteForMe} {...shared} />
        ),
      )}
    </ol>
  );
}

/** A recalled message: its notice; for the sender, how far the recall reached and the re-edit offer. */
function RecalledLine({ message: m, composer, meId, now, t, recall }: Shared & { message: MessageView; composer: ComposerState }) {
  const mine = m.senderId === meId;
  const draft = recall.drafts[m.id];
  const until = draft?.validUntil ?? m.reEditUntil;
  const left = until && now !== null ? Date.parse(until) - now : null;
  return (
    <li className="notice-line" data-testid="message" data-message-id={m.id} data-state="RECALLED">
      <span className="notice-line__text" data-testid="recall-notice">
        {m.notice}
      </span>
      {mine && m.recallReach && m.recallReach.recipients > 0 ? (
        <span className="notice-line__reach muted" data-testid="recall-reach">
          {format(t.reach, { applied: m.recallReach.applied, recipients: m.recallReach.recipients })}
        </span>
      ) : null}
      {mine && left !== null && left > 0 && composer.reEdit?.messageId !== m.id ? (
        <button type="button" className="link-button" onClick={() => composer.startReEdit(m, draft)} data-testid="re-edit">
          {t.reEdit} <span className="muted">({format(t.reEditLeft, { time: clock(left) })})</span>
        </button>
      ) : null}
      {recall.delivered?.messageId === m.id ? (
        <span className="notice-line__warning" role="alert">
          {format(t.alreadyDelivered, { names: recall.delivered.names })}
        </span>
      ) : null}
    </li>
  );
}

/** A message as sent: sender, time, content; for the sender, the recall countdown and the batch checkbox. */
function MessageBubble({
  message: m,
  windowMs,
  batchLimit,
  onDeleteForMe,
  meId,
  now,
  locale,
  t,
  recall,
}: Shared & { message: MessageView; windowMs: number; batchLimit: number; onDeleteForMe: (message: MessageView) => void }) {
  const mine = m.senderId === meId;
  const left = recallLeft(m, windowMs, now);
  const canRecall = mine && !PAYMENT_TYPES.has(m.type) && windowMs > 0;
  const open = canRecall && left !== null && left > 0;
  const busy = recall.busy.has(m.id);
  const picked = recall.selected.includes(m.id);
  const prompt = recall.prompt && !recall.prompt.batch && recall.prompt.messageIds[0] === m.id ? recall.prompt : null;
  return (
    <li className={`bubble${mine ? ' bubble--mine' : ''}${picked ? ' bubble--picked' : ''}`} data-testid="message" data-message-id={m.id} data-state={m.state}>
      <p className="bubble__meta">
        {open && batchLimit > 0 ? (
          <input
            type="checkbox"
            className="bubble__pick"
            aria-label={t.selectForRecall}
            checked={picked}
            disabled={busy || (!picked && recall.selected.length >= batchLimit)}
            onChange={(event) => recall.toggle(m.id, event.target.checked)}
          />
        ) : null}
        <span className="bubble__sender">{mine ? t.you : m.senderName}</span>{' '}
        <time dateTime={m.sentAt} suppressHydrationWarning>
          {formatLocalTime(locale, m.sentAt)}
        </time>
        {m.replacesMessageId ? <span className="bubble__edited"> · {t.replaces}</span> : null}
      </p>
      <MessageContent message={m} locale={locale} t={t} />
      <div className="bubble__actions" role="group" aria-label={t.actions}>
        {open ? (
          <button type="button" className="link-button" onClick={() => recall.start(m)} disabled={busy} data-testid="recall">
            {busy ? t.recalling : t.recall} <span className="muted countdown">({format(t.recallLeft, { time: clock(left) })})</span>
          </button>
        ) : canRecall && left !== null ? (
          <span className="muted">{t.recallClosed}</span>
        ) : null}
        <button type="button" className="link-button link-button--muted" onClick={() => onDeleteForMe(m)} disabled={busy} title={t.deleteHint}>
          {t.deleteForMe}
        </button>
      </div>
      {prompt ? (
        <RecallConfirm
          id={`recall-${m.id}`}
          count={1}
          batch={false}
          required={prompt.reasonRequired}
          busy={busy}
          locale={locale}
          t={t}
          onCancel={recall.cancel}
          onConfirm={recall.confirm}
        />
      ) : null}
    </li>
  );
}
