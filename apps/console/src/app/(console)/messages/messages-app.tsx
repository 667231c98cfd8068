'use client';

import type { ConversationView, EventEnvelope, MessageView, RecallResponse, ReEditDraft } from '@retract/contracts';
import Link from 'next/link';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { formatLocalTime, humanDuration } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { retryTransient } from '../../../lib/retry-transient';
import { callApi } from '../../../lib/client-api';
import { useEventStream } from '../../../lib/use-event-stream';
import { formatBytes } from '../../../lib/labels';
import type { ProblemDetails } from '../../../lib/problem';

type T = Dictionary['messages'];

interface Props {
  locale: string;
  me: { id: string; displayName: string };
  conversations: ConversationView[];
  open: ConversationView | null;
  initialMessages: MessageView[];
  initialCursor: string | null;
  reasonRule: { mode: 'NEVER' | 'ALWAYS' | 'AFTER_SECONDS'; afterSeconds: number | null } | null;
  /** The server's clock when the page was rendered: countdowns use server time, not the browser's. */
  serverNow: number;
  t: T;
}

/** The events this page follows (policy.changed: a conversation's recall window may have changed). */
const STREAM_TYPES = ['message.created', 'message.reedited', 'message.recalled', 'policy.changed'] as const;

type EventData<K extends EventEnvelope['type']> = Extract<EventEnvelope, { type: K }>['data'];
type CreatedData = EventData<'message.created'>;
type RecalledData = EventData<'message.recalled'>;

const PAYMENT = new Set(['RED_PACKET', 'TRANSFER']);

/** mm:ss (or h:mm:ss) for a countdown. */
function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

function sortNewestFirst(list: MessageView[]): MessageView[] {
  return [...list].sort((a, b) => (a.sentAt < b.sentAt ? 1 : a.sentAt > b.sentAt ? -1 : 0));
}

function upsert(list: MessageView[], message: MessageView): MessageView[] {
  const index = list.findIndex((m) => m.id === message.id);
  if (index === -1) return sortNewestFirst([message, ...list]);
  // A recall is final: a read answered before it (still in flight when the recall arrived) does not bring the content back.
  if (list[index].state === 'RECALLED' && message.state !== 'RECALLED') return list;
  const next = [...list];
  next[index] = message;
  return next;
}

function receipt(messageId: string, kind: 'DELIVERED' | 'RECALL_APPLIED') {
  void callApi(`/api/v1/messages/${messageId}/receipts`, { method: 'POST', body: { kind } }).catch(() => undefined);
}

/**
 * An employee's messenger: conversations, send, recall with a countdown of the window (server
 * time), the re-edit draft after a recall, delete-for-me, and live updates over the event
 * stream (GET /api/v1/events through the /api rewrite: one stream per open conversation, resumed
 * from its last event id after every interruption, see src/lib/event-stream.ts). A recipient's
 * open page replaces a recalled message with the notice without a reload and acknowledges it
 * (RECALL_APPLIED), which is what "recall reach" counts.
 */
export function MessagesApp({
  locale,
  me,
  conversations: initialConversations,
  open: initialOpen,
  initialMessages,
  initialCursor,
  reasonRule,
  serverNow,
  t,
}: Props) {
  const [conversations, setConversations] = useState(initialConversations);
  const open = conversations.find((c) => c.id === initialOpen?.id) ?? initialOpen;
  const [messages, setMessages] = useState(initialMessages);
  const [cursor, setCursor] = useState(initialCursor);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [now, setNow] = useState<number | null>(null);
  const [drafts, setDrafts] = useState<Record<string, ReEditDraft>>({});
  const [reEdit, setReEdit] = useState<{ messageId: string; until: string } | null>(null);
  const [recallPrompt, setRecallPrompt] = useState<{ messageId: string; required: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [delivered, setDelivered] = useState<{ messageId: string; names: string } | null>(null);
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const offset = useRef(0);
  const listRef = useRef<HTMLOListElement>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  // Fixed for this component's life: page.tsx keys it by the open conversation.
  const openId = open?.id ?? null;
  // Messages announced by the stream and still being fetched.
  const fetching = useRef(new Set<string>());

  // Server clock offset, measured once on mount; the countdown ticks every second after that.
  useEffect(() => {
    offset.current = serverNow - Date.now();
    setNow(Date.now() + offset.current);
    const timer = window.setInterval(() => setNow(Date.now() + offset.current), 1000);
    return () => window.clearInterval(timer);
  }, [serverNow]);

  // A recipient device acknowledges recalls it displays as notices (idempotent on the server).
  useEffect(() => {
    for (const m of initialMessages) if (m.state === 'RECALLED' && m.senderId !== me.id) receipt(m.id, 'RECALL_APPLIED');
  }, [initialMessages, me.id]);

  // Follow the conversation while the reader is at its end; leave them alone when they scrolled up.
  const stick = useRef(true);
  const scrollToEnd = useCallback((force = false) => {
    if (force) stick.current = true;
  }, []);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stick.current) list.scrollTop = list.scrollHeight;
  }, [messages, recallPrompt]);

  const fetchMessage = useCallback(async (id: string) => {
    // The stream has moved past this event: a failed read is asked again, not dropped.
    const res = await retryTransient(() => callApi<MessageView>(`/api/v1/messages/${id}`));
    return res.ok ? res.data : null;
  }, []);

  /** When the stream starts without a position to resume from, the newest page is read again so nothing sent before it is missed. */
  const reconcile = useCallback(async () => {
    if (!openId) return;
    const res = await callApi<{ items: MessageView[] }>(`/api/v1/conversations/${openId}/messages?limit=50`);
    if (!res.ok) return;
    setMessages((list) => res.data.items.reduce((acc, m) => upsert(acc, m), list));
    for (const m of res.data.items) if (m.state === 'RECALLED' && m.senderId !== me.id) receipt(m.id, 'RECALL_APPLIED');
  }, [openId, me.id]);

  const refreshConversations = useCallback(async () => {
    const res = await callApi<{ items: ConversationView[] }>('/api/v1/conversations?limit=100');
    if (res.ok) setConversations(res.data.items);
  }, []);

  const onCreated = async (data: CreatedData) => {
    if (data.conversationId !== openId) {
      if (data.senderId !== me.id) setUnread((u) => ({ ...u, [data.conversationId]: (u[data.conversationId] ?? 0) + 1 }));
      return;
    }
    fetching.current.add(data.messageId);
    const message = await fetchMessage(data.messageId).finally(() => fetching.current.delete(data.messageId));
    if (!message) return;
    setMessages((list) => upsert(list, message));
    if (message.senderId !== me.id) {
      receipt(message.id, 'DELIVERED');
      setAnnouncement(format(t.newMessage, { name: message.senderName }));
    }
    scrollToEnd();
  };

  const onRecalled = (data: RecalledData) => {
    if (data.senderId !== me.id) receipt(data.messageId, 'RECALL_APPLIED');
    if (data.conversationId !== openId) return;
    const inFlight = fetching.current.has(data.messageId);
    setMessages((list) =>
      list.map((m) =>
        m.id === data.messageId
          ? {
              ...m,
              state: 'RECALLED',
              body: null,
              attachment: null,
              location: null,
              payment: null,
              recalledAt: data.recalledAt,
              recallKind: data.recallKind,
              notice: data.notice ?? m.notice,
            }
          : m,
      ),
    );
    if (data.notice) setAnnouncement(data.notice);
    // The sender's own view gets reach and re-edit details the event does not carry; a message
    // still being fetched for its creation is read again (upsert keeps the recall whichever answer lands last).
    if (data.senderId === me.id || inFlight) void fetchMessage(data.messageId).then((m) => m && setMessages((list) => upsert(list, m)));
  };

  const connection = useEventStream('/api/v1/events', STREAM_TYPES, {
    onEvent: (envelope) => {
      if (envelope.type === 'message.created' || envelope.type === 'message.reedited') void onCreated(envelope.data);
      else if (envelope.type === 'message.recalled') onRecalled(envelope.data);
      else if (envelope.type === 'policy.changed') void refreshConversations();
    },
    // Without a position to resume from, whatever happened before this connection is read instead.
    onOpen: (resumed) => {
      if (!resumed) void reconcile();
    },
    // The API refused the stream: if the session has ended, sign in again and come back.
    onRefused: () =>
      void callApi('/api/v1/me').then((res) => {
        if (!res.ok && res.status === 401) window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      }),
  });

  async function loadOlder() {
    if (!open || !cursor) return;
    setLoadingOlder(true);
    const res = await callApi<{ items: MessageView[]; nextCursor: string | null }>(
      `/api/v1/conversations/${open.id}/messages?limit=50&cursor=${encodeURIComponent(cursor)}`,
    );
    setLoadingOlder(false);
    if (!res.ok) return setProblem(res.problem);
    setMessages((list) => res.data.items.reduce((acc, m) => upsert(acc, m), list));
    setCursor(res.data.nextCursor);
  }

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!open || !text || sending) return;
    setSending(true);
    setProblem(null);
    const res = reEdit
      ? await callApi<MessageView>(`/api/v1/messages/${reEdit.messageId}/re-edit`, { method: 'POST', body: { body: text } })
      : await callApi<MessageView>(`/api/v1/conversations/${open.id}/messages`, { method: 'POST', body: { type: 'TEXT', body: text } });
    setSending(false);
    if (!res.ok) {
      setProblem(res.problem);
      return;
    }
    setBody('');
    if (reEdit) {
      setDrafts(({ [reEdit.messageId]: _done, ...rest }) => rest);
      setMessages((list) => list.map((m) => (m.id === reEdit.messageId ? { ...m, reEditUntil: null } : m)));
      setReEdit(null);
    }
    setMessages((list) => upsert(list, res.data));
    scrollToEnd(true);
    composerRef.current?.focus();
  }

  function reasonRequired(message: MessageView): boolean {
    if (!reasonRule || reasonRule.mode === 'NEVER') return false;
    if (reasonRule.mode === 'ALWAYS') return true;
    const age = ((now ?? Date.now()) - Date.parse(message.sentAt)) / 1000;
    return age > (reasonRule.afterSeconds ?? 0);
  }

  async function recall(message: MessageView, reason?: string) {
    setBusy(message.id);
    setProblem(null);
    setDelivered(null);
    const res = await callApi<RecallResponse>(`/api/v1/messages/${message.id}/recall`, { method: 'POST', body: reason ? { reason } : {} });
    setBusy(null);
    if (!res.ok) {
      if (res.problem.code === 'REASON_REQUIRED') return setRecallPrompt({ messageId: message.id, required: true });
      setRecallPrompt(null);
      setProblem(res.problem);
      return;
    }
    setRecallPrompt(null);
    setMessages((list) => upsert(list, res.data.message));
    setAnnouncement(res.data.notice);
    if (res.data.reEditDraft) setDrafts((d) => ({ ...d, [message.id]: res.data.reEditDraft! }));
    if (res.data.alreadyDeliveredTo.length > 0)
      setDelivered({ messageId: message.id, names: res.data.alreadyDeliveredTo.map((d) => d.displayName).join(', ') });
  }

  function startRecall(message: MessageView) {
    if (reasonRequired(message)) setRecallPrompt({ messageId: message.id, required: true });
    else void recall(message);
  }

  async function deleteForMe(message: MessageView) {
    setBusy(message.id);
    const res = await callApi(`/api/v1/messages/${message.id}`, { method: 'DELETE' });
    setBusy(null);
    if (!res.ok) return setProblem(res.problem);
    setMessages((list) => list.filter((m) => m.id !== message.id));
  }

  function startReEdit(message: MessageView) {
    const draft = drafts[message.id];
    const until = draft?.validUntil ?? message.reEditUntil;
    if (!until) return;
    setReEdit({ messageId: message.id, until });
    setBody(draft?.body ?? '');
    composerRef.current?.focus();
  }

  function onComposerKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  const title = (c: ConversationView) =>
    c.title ??
    c.members
      .filter((m) => m.id !== me.id)
      .map((m) => m.displayName)
      .join(', ');
  const windowMs = (open?.recallWindowSeconds ?? 0) * 1000;
  const reEditLeft = reEdit && now !== null ? Date.parse(reEdit.until) - now : null;
  const ordered = [...messages].reverse();

  return (
    <div className="messenger">
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
                <span className="conversation__title">{title(c)}</span>
                <span className="conversation__meta">
                  {c.kind === 'GROUP' ? t.group : t.direct}
                  {unread[c.id] ? <span className="badge badge--info">{format(t.unread, { count: unread[c.id] })}</span> : null}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <section className="messenger__main card" aria-labelledby="conversation-title">
        {!open ? (
          <p className="empty">{t.pick}</p>
        ) : (
          <>
            <header className="messenger__header">
              <div>
                <h2 id="conversation-title" className="messenger__title">
                  {title(open)}
                </h2>
                <p className="muted messenger__sub">
                  {format(t.members, { count: open.members.length })} ·{' '}
                  <span data-testid="recall-window">
                    {open.recallWindowSeconds > 0 ? format(t.windowIs, { duration: humanDuration(locale, open.recallWindowSeconds) }) : t.recallOff}
                  </span>
                </p>
              </div>
              <span className={`live live--${connection}`} role="status" data-testid="connection" data-state={connection}>
                {connection === 'live' ? t.live : connection === 'connecting' ? t.connecting : t.offline}
              </span>
            </header>

            <ol
              className="messages"
              ref={listRef}
              aria-label={title(open)}
              data-testid="message-list"
              tabIndex={0}
              onScroll={(event) => {
                const list = event.currentTarget;
                stick.current = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
              }}
            >
              {cursor ? (
                <li className="messages__older">
                  <button type="button" className="button button--quiet button--small" onClick={() => void loadOlder()} disabled={loadingOlder}>
                    {loadingOlder ? t.loadingOlder : t.older}
                  </button>
                </li>
              ) : null}
              {ordered.length === 0 ? <li className="empty">{t.empty}</li> : null}
              {ordered.map((m) => {
                const mine = m.senderId === me.id;
                if (m.state === 'RECALLED') {
                  const until = drafts[m.id]?.validUntil ?? m.reEditUntil;
                  const left = until && now !== null ? Date.parse(until) - now : null;
                  return (
                    <li key={m.id} className="notice-line" data-testid="message" data-message-id={m.id} data-state="RECALLED">
                      <span className="notice-line__text" data-testid="recall-notice">
                        {m.notice}
                      </span>
                      {mine && m.recallReach && m.recallReach.recipients > 0 ? (
                        <span className="notice-line__reach muted">
                          {format(t.reach, { applied: m.recallReach.applied, recipients: m.recallReach.recipients })}
                        </span>
                      ) : null}
                      {mine && left !== null && left > 0 && reEdit?.messageId !== m.id ? (
                        <button type="button" className="link-button" onClick={() => startReEdit(m)} data-testid="re-edit">
                          {t.reEdit} <span className="muted">({format(t.reEditLeft, { time: clock(left) })})</span>
                        </button>
                      ) : null}
                      {delivered?.messageId === m.id ? (
                        <span className="notice-line__warning" role="alert">
                          {format(t.alreadyDelivered, { names: delivered.names })}
                        </span>
                      ) : null}
                    </li>
                  );
                }
                const left = now !== null ? Math.min(windowMs, Date.parse(m.sentAt) + windowMs - now) : null;
                const canRecall = mine && !PAYMENT.has(m.type) && windowMs > 0;
                return (
                  <li key={m.id} className={`bubble${mine ? ' bubble--mine' : ''}`} data-testid="message" data-message-id={m.id} data-state={m.state}>
                    <p className="bubble__meta">
                      <span className="bubble__sender">{mine ? t.you : m.senderName}</span>{' '}
                      <time dateTime={m.sentAt} suppressHydrationWarning>
                        {formatLocalTime(locale, m.sentAt)}
                      </time>
                      {m.replacesMessageId ? <span className="bubble__edited"> · {t.replaces}</span> : null}
                    </p>
                    <MessageContent message={m} locale={locale} t={t} />
                    <div className="bubble__actions" role="group" aria-label={t.actions}>
                      {canRecall && left !== null && left > 0 ? (
                        <button type="button" className="link-button" onClick={() => startRecall(m)} disabled={busy === m.id} data-testid="recall">
                          {busy === m.id ? t.recalling : t.recall} <span className="muted countdown">({format(t.recallLeft, { time: clock(left) })})</span>
                        </button>
                      ) : canRecall && left !== null ? (
                        <span className="muted">{t.recallClosed}</span>
                      ) : null}
                      <button
                        type="button"
                        className="link-button link-button--muted"
                        onClick={() => void deleteForMe(m)}
                        disabled={busy === m.id}
                        title={t.deleteHint}
                      >
                        {t.deleteForMe}
                      </button>
                    </div>
                    {recallPrompt?.messageId === m.id ? (
                      <RecallReason
                        t={t}
                        required={recallPrompt.required}
                        busy={busy === m.id}
                        onCancel={() => setRecallPrompt(null)}
                        onConfirm={(reason) => void recall(m, reason)}
                      />
                    ) : null}
                  </li>
                );
              })}
            </ol>

            <div className="visually-hidden" aria-live="polite" data-testid="announcement">
              {announcement}
            </div>
            <ProblemAlert problem={problem} testId="messages-problem" className="messenger__problem" />

            <form className="composer" onSubmit={send}>
              {reEdit ? (
                <p className={`composer__banner${reEditLeft !== null && reEditLeft <= 0 ? ' composer__banner--expired' : ''}`} data-testid="re-edit-banner">
                  {reEditLeft !== null && reEditLeft <= 0 ? t.reEditExpired : format(t.reEditing, { time: clock(reEditLeft ?? 0) })}{' '}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setReEdit(null);
                      setBody('');
                    }}
                  >
                    {t.stopReEdit}
                  </button>
                </p>
              ) : null}
              <label htmlFor="composer" className="visually-hidden">
                {t.compose}
              </label>
              <div className="composer__row">
                <textarea
                  id="composer"
                  ref={composerRef}
                  className="field__input composer__input"
                  rows={2}
                  maxLength={10_000}
                  placeholder={t.composePlaceholder}
                  value={body}
                  onChange={(e) => setBody(e.target.value)}
                  onKeyDown={onComposerKey}
                />
                <button
                  type="submit"
                  className="button button--primary"
                  disabled={sending || !body.trim() || (reEdit !== null && reEditLeft !== null && reEditLeft <= 0)}
                  data-testid="send"
                >
                  {sending ? t.sending : reEdit ? t.sendReEdit : t.send}
                </button>
              </div>
            </form>
          </>
        )}
      </section>
    </div>
  );
}

function MessageContent({ message, locale, t }: { message: MessageView; locale: string; t: T }) {
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

function RecallReason({
  t,
  required,
  busy,
  onCancel,
  onConfirm,
}: {
  t: T;
  required: boolean;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  return (
    <form
      className="recall-reason"
      onSubmit={(event) => {
        event.preventDefault();
        if (required && !reason.trim()) return setError(true);
        onConfirm(reason.trim());
      }}
    >
      <label htmlFor="recall-reason" className="field__label">
        {t.recallReason}
      </label>
      <input
        id="recall-reason"
        className="field__input"
        value={reason}
        maxLength={500}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={required ? 'recall-reason-required' : undefined}
        onChange={(e) => {
          setReason(e.target.value);
          setError(false);
        }}
      />
      {required ? (
        <p id="recall-reason-required" className={error ? 'field__error' : 'field__hint'}>
          {t.recallReasonRequired}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          {t.confirmRecall}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
