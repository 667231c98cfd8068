import { recallNotice, type Locale, type MessageView, type RecallKind, type RecallReach } from '@retract/contracts';
import type { Message } from '@retract/db';
import { contentOf, type OpenedMessage } from './message-store';

export interface Viewer {
  userId: string;
  locale: Locale;
}

export const recallKindOf = (row: Pick<Message, 'recalledBy' | 'senderId'>): RecallKind =>
  row.recalledBy && row.recalledBy !== row.senderId ? 'FORCED' : 'SENDER';

/**
 * The one mapping from a stored message to what a viewer sees: content while the message is
 * live; once recalled, no content at all, a notice in the viewer's locale, and (for the sender)
 * the re-edit deadline and the recall reach. A live message whose stored content did not open is
 * UNREADABLE: shown without content.
 */
export function toMessageView(
  row: OpenedMessage,
  context: { viewer: Viewer; senderName: string; now: Date; reEdited?: boolean; reach?: RecallReach | null },
): MessageView {
  const isSender = context.viewer.userId === row.senderId;
  const recalled = row.recalledAt !== null;
  const kind = recalled ? recallKindOf(row) : null;
  const content = recalled || row.contentUnreadable ? { body: null, attachment: null, location: null, payment: null } : contentOf(row);
  const reEditOpen =
    recalled && isSender && kind === 'SENDER' && !context.reEdited && row.reeditUntil !== null && row.reeditUntil.getTime() >= context.now.getTime();
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    senderName: context.senderName,
    type: row.type,
    sentAt: row.sentAt.toISOString(),
    state: recalled ? 'RECALLED' : row.contentUnreadable ? 'UNREADABLE' : 'ACTIVE',
    ...content,
    replacesMessageId: row.replacesMessageId,
    recalledAt: row.recalledAt?.toISOString() ?? null,
    recallKind: kind,
    notice: recalled ? recallNotice(context.viewer.locale, { senderName: context.senderName, viewerIsSender: isSender, kind: kind! }) : null,
    reEditUntil: reEditOpen ? row.reeditUntil!.toISOString() : null,
    recallReach: recalled && isSender ? (context.reach ?? null) : null,
  };
}
