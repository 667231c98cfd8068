import type { MessageType } from '@retract/contracts';

/**
 * An organisation's last month of chat, as a script: who sends what in which conversation when,
 * and which of those messages are recalled, recalled too late, recalled by someone else or are
 * payments someone tries to take back. Deterministic (a fixed pseudo-random sequence), so every
 * seed of every test run makes the same month relative to its "now". demo.ts plays it through the
 * API's own services in time order (docs/recall.md, "Demo data").
 */

export interface MonthConversation {
  key: string;
  kind: 'GROUP' | 'DIRECT';
  title?: string;
  members: string[];
  /** Office hours in UTC, [from, to) in hours: Tokyo and Shanghai work while London sleeps. */
  hoursUtc: [number, number];
  /** Messages on a busy weekday. */
  perDay: number;
  lines: { from: string; body: string }[];
}

export type MonthStep =
  | {
      at: number;
      kind: 'send';
      ref: number;
      conversation: string;
      from: string;
      type: MessageType;
      body: string;
      payment?: { amountMinor: number; currency: string };
    }
  /** The sender takes it back inside the window; `appliedBy` is a recipient whose device confirms it. */
  | { at: number; kind: 'recall'; ref: number; by: string; appliedBy?: string }
  /** Compliance takes it back (a credential, a customer's data), with a reason. */
  | { at: number; kind: 'forced'; ref: number; by: string; reason: string }
  /** A refused attempt: too late, not the sender's, or a payment. */
  | { at: number; kind: 'attempt'; ref: number; by: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** mulberry32: a small, fast, seedable generator (the month must be the same on every run). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The script for the 30 days before `until` (exclusive), steps in time order. `compliance` is who
 * force-recalls; `seed` varies the month between organisations; `currency` is its payments'.
 */
export function monthOfChat(conversations: MonthConversation[], options: { until: number; compliance: string; seed: number; currency: string }): MonthStep[] {
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const steps: MonthStep[] = [];
  let ref = 0;
  const firstDay = Math.floor(options.until / DAY) * DAY - 29 * DAY;
  for (let day = firstDay; day <= options.until; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // A busier middle of the month (a launch), quieter weekends.
    const load = (weekend ? 0.15 : 1) * (1 + 0.6 * Math.sin(((day - firstDay) / (29 * DAY)) * Math.PI));
    for (const conversation of conversations) {
      const count = Math.round(conversation.perDay * load * (0.6 + 0.8 * next()));
      const [from, to] = conversation.hoursUtc;
      for (let i = 0; i < count; i++) {
        const at = day + from * HOUR + Math.floor(next() * (to - from) * HOUR);
        if (at >= options.until) continue;
        const line = pick(conversation.lines);
        const id = ref++;
        const roll = next();
        const payment = roll > 0.97;
        steps.push({
          at,
          kind: 'send',
          ref: id,
          conversation: conversation.key,
          from: line.from,
          type: payment ? (conversation.members.length === 2 ? 'TRANSFER' : 'RED_PACKET') : 'TEXT',
          body: payment ? '🧧' : line.body,
          ...(payment ? { payment: { amountMinor: 100 * (8 + Math.floor(next() * 180)), currency: options.currency } } : {}),
        });
        const others = conversation.members.filter((m) => m !== line.from);
        const later = (min: number, spread: number) => at + min + Math.floor(next() * spread);
        if (payment) steps.push({ at: later(20_000, 60_000), kind: 'attempt', ref: id, by: line.from });
        else if (roll < 0.16)
          steps.push({ at: later(15_000, 90_000), kind: 'recall', ref: id, by: line.from, ...(next() < 0.6 ? { appliedBy: pick(others) } : {}) });
        else if (roll < 0.2) steps.push({ at: later(4 * MINUTE, 50 * MINUTE), kind: 'attempt', ref: id, by: line.from });
        else if (roll < 0.215) steps.push({ at: later(30_000, 60_000), kind: 'attempt', ref: id, by: pick(others) });
        else if (roll < 0.225) steps.push({ at: later(20 * MINUTE, 3 * HOUR), kind: 'forced', ref: id, by: options.compliance, reason: pick(FORCED_REASONS) });
      }
    }
  }
  return steps.filter((step) => step.at < options.until).sort((a, b) => a.at - b.at || (a.kind === 'send' ? -1 : 1));
}

const FORCED_REASONS = [
  'Customer personal data posted in a group conversation',
  'Credential shared in chat',
  'Unreleased financial figures',
  '顧客の個人情報を含むため',
  '含有客户个人信息',
] as const;
