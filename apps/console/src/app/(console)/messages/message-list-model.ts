/**
 * The Messages page's pure rules: how messages are kept in order, why a recall is final on screen,
 * when a recall needs a reason and how countdowns read. Unit-tested in message-list-model.spec.ts.
 */
import type { MessageView, PolicySettings } from '@retract/contracts';

export interface ReasonRule {
  mode: 'NEVER' | 'ALWAYS' | 'AFTER_SECONDS';
  afterSeconds: number | null;
}

/** What the organisation's policy says about recalling from this page (null when it could not be read). */
export interface RecallRules {
  reason: ReasonRule;
  batch: { enabled: boolean; maxBatch: number };
}

export function recallRulesOf(settings: PolicySettings): RecallRules {
  return {
    reason: { mode: settings.requireReason, afterSeconds: settings.reasonAfterSeconds ?? null },
    batch: { enabled: settings.batchRecall.enabled, maxBatch: settings.batchRecall.maxBatch },
  };
}

/** Red packets and transfers are never recalled, whatever the policy says (DESIGN §2). */
export const PAYMENT_TYPES = new Set(['RED_PACKET', 'TRANSFER']);

export function sortNewestFirst(list: readonly MessageView[]): MessageView[] {
  return [...list].sort((a, b) => (a.sentAt < b.sentAt ? 1 : a.sentAt > b.sentAt ? -1 : 0));
}

/**
 * The list with `message` in it (added in order, or replacing its older copy). Reads answer out of
 * order, so two rules keep what is newer: a recall is final (a read answered before it does not
 * bring the content back), and a recall's reach only grows (an older read does not undo "1 of 1").
 */
export function upsert(list: readonly MessageView[], message: MessageView): MessageView[] {
  const index = list.findIndex((m) => m.id === message.id);
  if (index === -1) return sortNewestFirst([message, ...list]);
  const known = list[index];
  if (known.state === 'RECALLED' && message.state !== 'RECALLED') return [...list];
  const next = [...list];
  const reach = known.recallReach && message.recallReach && known.recallReach.applied > message.recallReach.applied ? known.recallReach : message.recallReach;
  next[index] = { ...message, recallReach: reach };
  return next;
}

/** A message turned into its recall notice, as the event stream announces it (no content is kept). */
export function asRecalled(message: MessageView, recall: { recalledAt: string; recallKind: 'SENDER' | 'FORCED'; notice?: string | null }): MessageView {
  return {
    ...message,
    state: 'RECALLED',
    body: null,
    attachment: null,
    location: null,
    payment: null,
    recalledAt: recall.recalledAt,
    recallKind: recall.recallKind,
    notice: recall.notice ?? message.notice,
  };
}

/** Whether recalling `message` at server time `now` (ms) needs a reason under `rule`. */
export function reasonRequired(rule: ReasonRule | undefined, message: Pick<MessageView, 'sentAt'>, now: number): boolean {
  if (!rule || rule.mode === 'NEVER') return false;
  if (rule.mode === 'ALWAYS') return true;
  return (now - Date.parse(message.sentAt)) / 1000 > (rule.afterSeconds ?? 0);
}

/** Milliseconds left to recall `message` (at most the window), or null before the clock is known. */
export function recallLeft(message: Pick<MessageView, 'sentAt'>, windowMs: number, now: number | null): number | null {
  return now === null ? null : Math.min(windowMs, Date.parse(message.sentAt) + windowMs - now);
}

/** m:ss (or h:mm:ss) for a countdown. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
