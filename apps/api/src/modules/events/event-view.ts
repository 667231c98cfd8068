import { recallNotice, recallNotices, type EventEnvelope, type Locale, type RecallKind } from '@retract/contracts';

export interface EventRow {
  id: bigint;
  type: string;
  conversationId: string | null;
  messageId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface EventViewer {
  userId: string;
  locale: Locale;
}

/**
 * An event as a client receives it. A recall notice is rendered for the viewer (SSE: their locale,
 * "You recalled a message" for the sender) or in every locale (webhooks, `viewer` omitted).
 */
export function toEnvelope(row: EventRow, viewer?: EventViewer): EventEnvelope {
  const data: Record<string, unknown> = { ...row.payload };
  if (row.type === 'message.recalled') {
    const options = { senderName: typeof data.senderName === 'string' ? data.senderName : '', kind: (data.recallKind ?? 'SENDER') as RecallKind };
    if (viewer) data.notice = recallNotice(viewer.locale, { ...options, viewerIsSender: viewer.userId === data.senderId });
    else data.notices = recallNotices(options);
  }
  return { id: row.id.toString(), type: row.type, occurredAt: row.createdAt.toISOString(), data } as EventEnvelope;
}

/** One Server-Sent Events frame (the JSON has no raw newlines, so one `data:` line suffices). */
export function sseFrame(envelope: EventEnvelope): string {
  return `id: ${envelope.id}\nevent: ${envelope.type}\ndata: ${JSON.stringify(envelope)}\n\n`;
}
