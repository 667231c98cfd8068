'use client';

import type { MessageView } from '@retract/contracts';
import { useCallback, useMemo, useState } from 'react';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { upsert } from './message-list-model';

export interface MessageListState {
  /** Newest first. */
  messages: MessageView[];
  /** More, older messages to load. */
  hasOlder: boolean;
  loadingOlder: boolean;
  put: (message: MessageView) => void;
  putAll: (messages: readonly MessageView[]) => void;
  update: (id: string, change: (message: MessageView) => MessageView) => void;
  remove: (id: string) => void;
  /** Loads the next older page; resolves with the problem when it failed. */
  loadOlder: () => Promise<ProblemDetails | null>;
}

/** The open conversation's messages: the server's first page, what arrives live, and older pages on request. */
export function useMessageList(conversationId: string | null, initial: MessageView[], initialCursor: string | null): MessageListState {
  const [messages, setMessages] = useState(initial);
  const [cursor, setCursor] = useState(initialCursor);
  const [loadingOlder, setLoadingOlder] = useState(false);

  const put = useCallback((message: MessageView) => setMessages((list) => upsert(list, message)), []);
  const putAll = useCallback((items: readonly MessageView[]) => setMessages((list) => items.reduce(upsert, list)), []);
  const update = useCallback(
    (id: string, change: (message: MessageView) => MessageView) => setMessages((list) => list.map((m) => (m.id === id ? change(m) : m))),
    [],
  );
  const remove = useCallback((id: string) => setMessages((list) => list.filter((m) => m.id !== id)), []);

  const loadOlder = useCallback(async () => {
    if (!conversationId || !cursor) return null;
    setLoadingOlder(true);
    const res = await callApi<{ items: MessageView[]; nextCursor: string | null }>(
      `/api/v1/conversations/${conversationId}/messages?limit=50&cursor=${encodeURIComponent(cursor)}`,
    );
    setLoadingOlder(false);
    if (!res.ok) return res.problem;
    putAll(res.data.items);
    setCursor(res.data.nextCursor);
    return null;
  }, [conversationId, cursor, putAll]);

  return useMemo(
    () => ({ messages, hasOlder: cursor !== null, loadingOlder, put, putAll, update, remove, loadOlder }),
    [messages, cursor, loadingOlder, put, putAll, update, remove, loadOlder],
  );
}
