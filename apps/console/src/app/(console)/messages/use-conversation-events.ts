'use client';

import type { EventEnvelope, MessageView } from '@retract/contracts';
import { useRef } from 'react';
import type { StreamStatus } from '../../../lib/event-stream';
import { callApi } from '../../../lib/client-api';
import { loginHref } from '../../../lib/next-path';
import { useEventStream } from '../../../lib/use-event-stream';
import { asRecalled } from './message-list-model';
import { readMessage, sendReceipt } from './messages-api';
import type { MessageListState } from './use-message-list';

/** The events this page follows (policy.changed: a conversation's recall window or the reason rule may have changed). */
const STREAM_TYPES = ['message.created', 'message.reedited', 'message.recalled', 'message.recall_applied', 'policy.changed'] as const;

type EventData<K extends EventEnvelope['type']> = Extract<EventEnvelope, { type: K }>['data'];

export interface ConversationEventHandlers {
  /** A message arrived in another conversation. */
  onUnread: (conversationId: string) => void;
  /** Someone else's message arrived in the open conversation. */
  onReceived: (message: MessageView) => void;
  /** A recall notice to read out. */
  onNotice: (notice: string) => void;
  onPolicyChanged: () => void;
}

/**
 * Keeps the open conversation live over the event stream (GET /api/v1/events: resumed from its last
 * event id after every interruption, src/lib/event-stream.ts): new and re-edited messages are read
 * and shown, recalled ones turn into their notice, and a recipient's device acknowledges the
 * recalls it shows (RECALL_APPLIED, which is what "recall reach" counts). The sender's own view
 * reads a recalled message again whenever a recipient applied it, so its reach follows live.
 * Returns the connection's status.
 */
export function useConversationEvents(openId: string | null, meId: string, list: MessageListState, on: ConversationEventHandlers): StreamStatus {
  // Messages announced by the stream and still being read.
  const reading = useRef(new Set<string>());

  const reread = (id: string) => void readMessage(id).then((m) => m && list.put(m));

  const onCreated = async (data: EventData<'message.created'>) => {
    if (data.conversationId !== openId) {
      if (data.senderId !== meId) on.onUnread(data.conversationId);
      return;
    }
    reading.current.add(data.messageId);
    const message = await readMessage(data.messageId).finally(() => reading.current.delete(data.messageId));
    if (!message) return;
    list.put(message);
    if (message.senderId !== meId) {
      sendReceipt(message.id, 'DELIVERED');
      on.onReceived(message);
    }
  };

  const onRecalled = (data: EventData<'message.recalled'>) => {
    if (data.senderId !== meId) sendReceipt(data.messageId, 'RECALL_APPLIED');
    if (data.conversationId !== openId) return;
    list.update(data.messageId, (m) => asRecalled(m, data));
    if (data.notice) on.onNotice(data.notice);
    // The sender's own view gets reach and re-edit details the event does not carry; a message
    // still being read for its creation is read again (upsert keeps the recall whichever answer lands last).
    if (data.senderId === meId || reading.current.has(data.messageId)) reread(data.messageId);
  };

  const onRecallApplied = (data: EventData<'message.recall_applied'>) => {
    if (data.senderId === meId && data.conversationId === openId) reread(data.messageId);
  };

  /** When the stream starts without a position to resume from, the newest page is read again so nothing sent before it is missed. */
  const reconcile = async () => {
    if (!openId) return;
    const res = await callApi<{ items: MessageView[] }>(`/api/v1/conversations/${openId}/messages?limit=50`);
    if (!res.ok) return;
    list.putAll(res.data.items);
    for (const m of res.data.items) if (m.state === 'RECALLED' && m.senderId !== meId) sendReceipt(m.id, 'RECALL_APPLIED');
  };

  return useEventStream('/api/v1/events', STREAM_TYPES, {
    onEvent: (envelope) => {
      if (envelope.type === 'message.created' || envelope.type === 'message.reedited') void onCreated(envelope.data);
      else if (envelope.type === 'message.recalled') onRecalled(envelope.data);
      else if (envelope.type === 'message.recall_applied') onRecallApplied(envelope.data);
      else if (envelope.type === 'policy.changed') on.onPolicyChanged();
    },
    // Without a position to resume from, whatever happened before this connection is read instead.
    onOpen: (resumed) => {
      if (!resumed) void reconcile();
    },
    // The API refused the stream: if the session has ended, sign in again and come back.
    onRefused: () =>
      void callApi('/api/v1/me').then((res) => {
        if (!res.ok && res.status === 401) window.location.assign(loginHref(window.location.pathname + window.location.search, true));
      }),
  });
}
