'use client';

import type { ConversationView, MessageView, PolicyVersionView } from '@retract/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { humanDuration } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { Composer, useComposer } from './composer';
import { ConversationList, conversationTitle } from './conversation-list';
import { MessageList } from './message-list';
import { recallRulesOf, type RecallRules } from './message-list-model';
import { sendReceipt } from './messages-api';
import { RecallConfirm } from './recall-confirm';
import { RecallSelection } from './recall-selection';
import { useConversationEvents } from './use-conversation-events';
import { useMessageList } from './use-message-list';
import { useRecall } from './use-recall';
import { useServerNow } from './use-server-now';

type T = Dictionary['messages'];

interface Props {
  locale: string;
  me: { id: string; displayName: string };
  conversations: ConversationView[];
  open: ConversationView | null;
  initialMessages: MessageView[];
  initialCursor: string | null;
  rules: RecallRules | null;
  /** The server's clock when the page was rendered: countdowns use server time, not the browser's. */
  serverNow: number;
  t: T;
}

/**
 * An employee's messenger: conversations, send, recall (one message, or several selected ones)
 * with a countdown of the window in server time, the re-edit draft after a recall, delete-for-me,
 * and live updates over the event stream. The parts: useMessageList (the messages),
 * useConversationEvents (the stream), useRecall, useComposer; page.tsx keys this by the open conversation.
 */
export function MessagesApp({
  locale,
  me,
  conversations: initialConversations,
  open: initialOpen,
  initialMessages,
  initialCursor,
  rules: initialRules,
  serverNow,
  t,
}: Props) {
  const [conversations, setConversations] = useState(initialConversations);
  const [rules, setRules] = useState(initialRules);
  const open = conversations.find((c) => c.id === initialOpen?.id) ?? initialOpen;
  const openId = open?.id ?? null;
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [followToken, setFollowToken] = useState(0);
  const now = useServerNow(serverNow);
  const list = useMessageList(openId, initialMessages, initialCursor);
  const recall = useRecall({ list, rules, now, onNotice: setAnnouncement, onProblem: setProblem });
  const composerInput = useRef<HTMLTextAreaElement>(null);
  const composer = useComposer({
    conversationId: openId,
    list,
    inputRef: composerInput,
    onSent: (reEdited) => {
      if (reEdited) recall.forgetDraft(reEdited);
      setFollowToken((n) => n + 1);
    },
    onProblem: setProblem,
  });

  // A recipient device acknowledges recalls it displays as notices (idempotent on the server).
  useEffect(() => {
    for (const m of initialMessages) if (m.state === 'RECALLED' && m.senderId !== me.id) sendReceipt(m.id, 'RECALL_APPLIED');
  }, [initialMessages, me.id]);

  // A new policy version may change a conversation's window, the reason rule and batch recall.
  const onPolicyChanged = useCallback(async () => {
    const [list, policy] = await Promise.all([
      callApi<{ items: ConversationView[] }>('/api/v1/conversations?limit=100'),
      callApi<PolicyVersionView>('/api/v1/policy'),
    ]);
    if (list.ok) setConversations(list.data.items);
    if (policy.ok) setRules(recallRulesOf(policy.data.settings));
  }, []);

  const connection = useConversationEvents(openId, me.id, list, {
    onUnread: (id) => setUnread((u) => ({ ...u, [id]: (u[id] ?? 0) + 1 })),
    onReceived: (message) => setAnnouncement(format(t.newMessage, { name: message.senderName })),
    onNotice: setAnnouncement,
    onPolicyChanged: () => void onPolicyChanged(),
  });

  async function deleteForMe(message: MessageView) {
    const res = await callApi(`/api/v1/messages/${message.id}`, { method: 'DELETE' });
    if (!res.ok) return setProblem(res.problem);
    list.remove(message.id);
  }

  const batchLimit = rules?.batch.enabled ? rules.batch.maxBatch : 0;
  const batchPrompt = recall.prompt?.batch ? recall.prompt : null;

  return (
    <div className="messenger">
      <ConversationList conversations={conversations} openId={openId} meId={me.id} unread={unread} t={t} />

      <section className="messenger__main card" aria-labelledby="conversation-title">
        {!open ? (
          <p className="empty">{t.pick}</p>
        ) : (
          <>
            <header className="messenger__header">
              <div>
                <h2 id="conversation-title" className="messenger__title">
                  {conversationTitle(open, me.id)}
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

            <MessageList
              title={conversationTitle(open, me.id)}
              messages={list.messages}
              hasOlder={list.hasOlder}
              loadingOlder={list.loadingOlder}
              windowSeconds={open.recallWindowSeconds}
              batchLimit={batchLimit}
              composer={composer}
              followToken={followToken}
              onLoadOlder={() => void list.loadOlder().then((p) => p && setProblem(p))}
              onDeleteForMe={(m) => void deleteForMe(m)}
              meId={me.id}
              now={now}
              locale={locale}
              t={t}
              recall={recall}
            />

            {recall.selected.length > 0 && !batchPrompt ? (
              <RecallSelection
                count={recall.selected.length}
                max={batchLimit}
                busy={recall.busy.size > 0}
                t={t}
                onRecall={recall.startSelected}
                onClear={recall.clearSelection}
              />
            ) : null}
            {batchPrompt ? (
              <div className="recall-selection recall-selection--confirm">
                <RecallConfirm
                  id="recall-batch"
                  count={batchPrompt.messageIds.length}
                  batch
                  required={batchPrompt.reasonRequired}
                  busy={recall.busy.size > 0}
                  locale={locale}
                  t={t}
                  onCancel={recall.cancel}
                  onConfirm={recall.confirm}
                />
              </div>
            ) : null}

            <div className="visually-hidden" aria-live="polite" data-testid="announcement">
              {announcement}
            </div>
            <ProblemAlert problem={problem} testId="messages-problem" className="messenger__problem" />
            <Composer composer={composer} inputRef={composerInput} now={now} t={t} />
          </>
        )}
      </section>
    </div>
  );
}
