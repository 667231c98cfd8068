'use client';

import type { MessageView, ReEditDraft } from '@retract/contracts';
import { useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { clock } from './message-list-model';
import type { MessageListState } from './use-message-list';

type T = Dictionary['messages'];

export interface ComposerState {
  body: string;
  setBody: (body: string) => void;
  sending: boolean;
  /** The recalled message being re-edited, and until when (server time). */
  reEdit: { messageId: string; until: string } | null;
  startReEdit: (message: MessageView, draft: ReEditDraft | undefined) => void;
  stopReEdit: () => void;
  send: () => Promise<void>;
}

/** What is being written: a new message, or the re-edit of a recalled one (POST /messages/{id}/re-edit). */
export function useComposer({
  conversationId,
  list,
  inputRef,
  onSent,
  onProblem,
}: {
  conversationId: string | null;
  /** The composer's text box, focused after sending and when a re-edit starts. */
  inputRef: RefObject<HTMLTextAreaElement | null>;
  list: MessageListState;
  /** The message went out; `reEdited` is the recalled message it replaced. */
  onSent: (reEdited: string | null) => void;
  onProblem: (problem: ProblemDetails | null) => void;
}): ComposerState {
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [reEdit, setReEdit] = useState<ComposerState['reEdit']>(null);

  async function send() {
    const text = body.trim();
    if (!conversationId || !text || sending) return;
    setSending(true);
    onProblem(null);
    const res = reEdit
      ? await callApi<MessageView>(`/api/v1/messages/${reEdit.messageId}/re-edit`, { method: 'POST', body: { body: text } })
      : await callApi<MessageView>(`/api/v1/conversations/${conversationId}/messages`, { method: 'POST', body: { type: 'TEXT', body: text } });
    setSending(false);
    if (!res.ok) return onProblem(res.problem);
    setBody('');
    if (reEdit) {
      list.update(reEdit.messageId, (m) => ({ ...m, reEditUntil: null }));
      setReEdit(null);
    }
    list.put(res.data);
    onSent(reEdit?.messageId ?? null);
    inputRef.current?.focus();
  }

  return {
    body,
    setBody,
    sending,
    reEdit,
    startReEdit(message, draft) {
      const until = draft?.validUntil ?? message.reEditUntil;
      if (!until) return;
      setReEdit({ messageId: message.id, until });
      setBody(draft?.body ?? '');
      inputRef.current?.focus();
    },
    stopReEdit() {
      setReEdit(null);
      setBody('');
    },
    send,
  };
}

/** The composer: Enter sends, Shift+Enter starts a new line; while re-editing, a banner counts down the draft's validity. */
export function Composer({
  composer,
  inputRef,
  now,
  t,
}: {
  composer: ComposerState;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  now: number | null;
  t: T;
}) {
  const { body, sending, reEdit } = composer;
  const left = reEdit && now !== null ? Date.parse(reEdit.until) - now : null;
  const expired = left !== null && left <= 0;

  function onKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void composer.send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void composer.send();
      }}
    >
      {reEdit ? (
        <p className={`composer__banner${expired ? ' composer__banner--expired' : ''}`} data-testid="re-edit-banner">
          {expired ? t.reEditExpired : format(t.reEditing, { time: clock(left ?? 0) })}{' '}
          <button type="button" className="link-button" onClick={composer.stopReEdit}>
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
          ref={inputRef}
          className="field__input composer__input"
          rows={2}
          maxLength={10_000}
          placeholder={t.composePlaceholder}
          value={body}
          onChange={(e) => composer.setBody(e.target.value)}
          onKeyDown={onKey}
        />
        <button type="submit" className="button button--primary" disabled={sending || !body.trim() || (reEdit !== null && expired)} data-testid="send">
          {sending ? t.sending : reEdit ? t.sendReEdit : t.send}
        </button>
      </div>
    </form>
  );
}
