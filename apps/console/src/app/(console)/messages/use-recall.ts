'use client';

import type { BatchRecallResponse, MessageView, RecallResponse, ReEditDraft } from '@retract/contracts';
import { useState } from 'react';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { asRecalled, reasonRequired, type RecallRules } from './message-list-model';
import { readMessage } from './messages-api';
import type { MessageListState } from './use-message-list';

/** A recall waiting for the sender's confirmation (and reason, when the policy asks for one). */
export interface RecallPrompt {
  messageIds: string[];
  /** Several messages in one request (POST /messages/recall). */
  batch: boolean;
  reasonRequired: boolean;
}

export interface Recall {
  prompt: RecallPrompt | null;
  /** Messages whose recall is under way. */
  busy: ReadonlySet<string>;
  /** Re-edit drafts handed back by recalls, by message id. */
  drafts: Record<string, ReEditDraft>;
  /** An attachment that recipients had already downloaded when it was recalled. */
  delivered: { messageId: string; names: string } | null;
  /** Messages picked for a batch recall, in the order picked. */
  selected: string[];
  /** Recalls at once, or asks first when the policy requires a reason. */
  start: (message: MessageView) => void;
  /** Asks before recalling the selected messages together. */
  startSelected: () => void;
  confirm: (reason: string) => void;
  cancel: () => void;
  toggle: (messageId: string, on: boolean) => void;
  clearSelection: () => void;
  forgetDraft: (messageId: string) => void;
}

const problemOf = (result: BatchRecallResponse['results'][number]): ProblemDetails => ({
  type: 'about:blank',
  title: result.code ?? 'Refused',
  status: result.status,
  code: result.code ?? 'UNKNOWN',
  detail: result.detail ?? undefined,
  retryAfterSeconds: result.retryAfterSeconds ?? undefined,
});

/**
 * Recalling from the Messages page: one message (asking for a reason first when the policy
 * requires one), or several selected messages together after a confirmation. `now` is server time.
 */
export function useRecall({
  list,
  rules,
  now,
  onNotice,
  onProblem,
}: {
  list: MessageListState;
  rules: RecallRules | null;
  now: number | null;
  onNotice: (notice: string) => void;
  onProblem: (problem: ProblemDetails | null) => void;
}): Recall {
  const [prompt, setPrompt] = useState<RecallPrompt | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [drafts, setDrafts] = useState<Record<string, ReEditDraft>>({});
  const [delivered, setDelivered] = useState<Recall['delivered']>(null);
  const [selected, setSelected] = useState<string[]>([]);

  const needsReason = (ids: readonly string[]) =>
    ids.some((id) => {
      const message = list.messages.find((m) => m.id === id);
      return message !== undefined && reasonRequired(rules?.reason, message, now ?? Date.now());
    });
  const working = (ids: readonly string[], on: boolean) =>
    setBusy((current) => {
      const next = new Set(current);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  const began = (ids: readonly string[]) => {
    working(ids, true);
    onProblem(null);
    setDelivered(null);
  };

  async function recallOne(id: string, reason?: string) {
    began([id]);
    const res = await callApi<RecallResponse>(`/api/v1/messages/${id}/recall`, { method: 'POST', body: reason ? { reason } : {} });
    working([id], false);
    if (!res.ok) {
      if (res.problem.code === 'REASON_REQUIRED') return setPrompt({ messageIds: [id], batch: false, reasonRequired: true });
      setPrompt(null);
      return onProblem(res.problem);
    }
    setPrompt(null);
    list.put(res.data.message);
    onNotice(res.data.notice);
    if (res.data.reEditDraft) setDrafts((d) => ({ ...d, [id]: res.data.reEditDraft! }));
    if (res.data.alreadyDeliveredTo.length > 0) setDelivered({ messageId: id, names: res.data.alreadyDeliveredTo.map((d) => d.displayName).join(', ') });
  }

  async function recallBatch(ids: string[], reason?: string) {
    began(ids);
    const res = await callApi<BatchRecallResponse>('/api/v1/messages/recall', {
      method: 'POST',
      body: reason ? { messageIds: ids, reason } : { messageIds: ids },
    });
    working(ids, false);
    if (!res.ok) return onProblem(res.problem);
    const recalledAt = new Date(now ?? Date.now()).toISOString();
    for (const result of res.data.results) {
      if (result.outcome !== 'RECALLED') continue;
      list.update(result.messageId, (m) => asRecalled(m, { recalledAt, recallKind: 'SENDER', notice: result.notice }));
      // Its reach, recall time and re-edit deadline as the server has them.
      void readMessage(result.messageId).then((m) => m && list.put(m));
      if (result.reEditDraft) setDrafts((d) => ({ ...d, [result.messageId]: result.reEditDraft! }));
      if (result.alreadyDeliveredTo.length > 0)
        setDelivered({ messageId: result.messageId, names: result.alreadyDeliveredTo.map((d) => d.displayName).join(', ') });
    }
    const denied = res.data.results.filter((r) => r.outcome === 'DENIED' && r.code !== 'ALREADY_RECALLED');
    setSelected([]);
    if (!reason && denied.some((r) => r.code === 'REASON_REQUIRED')) {
      return setPrompt({ messageIds: denied.filter((r) => r.code === 'REASON_REQUIRED').map((r) => r.messageId), batch: true, reasonRequired: true });
    }
    setPrompt(null);
    if (res.data.recalled > 0) onNotice(res.data.results.find((r) => r.notice)?.notice ?? '');
    if (denied.length > 0) onProblem(problemOf(denied[0]));
  }

  return {
    prompt,
    busy,
    drafts,
    delivered,
    selected,
    start(message) {
      if (needsReason([message.id])) setPrompt({ messageIds: [message.id], batch: false, reasonRequired: true });
      else void recallOne(message.id);
    },
    startSelected() {
      if (selected.length > 0) setPrompt({ messageIds: selected, batch: true, reasonRequired: needsReason(selected) });
    },
    confirm(reason) {
      if (!prompt) return;
      const text = reason.trim() || undefined;
      if (prompt.batch) void recallBatch(prompt.messageIds, text);
      else void recallOne(prompt.messageIds[0], text);
    },
    cancel: () => setPrompt(null),
    toggle(messageId, on) {
      setSelected((ids) => (on ? (ids.includes(messageId) ? ids : [...ids, messageId]) : ids.filter((id) => id !== messageId)));
    },
    clearSelection: () => setSelected([]),
    forgetDraft: (messageId) => setDrafts(({ [messageId]: _done, ...rest }) => rest),
  };
}
