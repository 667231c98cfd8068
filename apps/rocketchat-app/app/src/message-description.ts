import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import type { ExternalMessage, MessageType, RecordRecallRequest } from './retract-api';

/** Retract's message type from the first file's MIME type; a message without a file is TEXT. */
export function messageType(message: IMessage): MessageType {
  const file = message.files?.[0] ?? message.file;
  if (!file) return 'TEXT';
  const mime = (file.type || '').toLowerCase();
  if (mime.startsWith('image/')) return 'IMAGE';
  if (mime.startsWith('video/')) return 'VIDEO';
  if (mime.startsWith('audio/')) return 'VOICE';
  return 'FILE';
}

/** The message as Retract's integration routes name it: ids are Rocket.Chat's, under the configured source. */
export function describeMessage(message: IMessage, source: string): ExternalMessage {
  if (!message.id) throw new Error('a message without an id cannot be described');
  return {
    source,
    externalId: message.id,
    type: messageType(message),
    sentAt: (message.createdAt ?? new Date()).toISOString(),
    sender: { source, externalId: message.sender.id },
    conversation: { source, externalId: message.room.id, kind: message.room.type === RoomType.DIRECT_MESSAGE ? 'DIRECT' : 'GROUP' },
  };
}

/** What was deleted, for the audit log: the text and the names of its files. */
export function recalledContent(message: IMessage): RecordRecallRequest['content'] {
  const files = message.files?.length ? message.files : message.file ? [message.file] : [];
  const names = files.map((file) => file.name).filter((name) => typeof name === 'string' && name.trim() !== '');
  return {
    ...(message.text && message.text.trim() !== '' ? { text: message.text } : {}),
    ...(names.length ? { attachments: names.map((name) => ({ name })) } : {}),
  };
}
