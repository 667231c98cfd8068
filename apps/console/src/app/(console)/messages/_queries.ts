import 'server-only';
import { ConversationListSchema, MessageListSchema, PolicyVersionViewSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { uuidParam } from '../../../lib/params';
import { requireSection } from '../../../lib/sections';

export const MESSAGES_PAGE_SIZE = 50;

export function parseMessagesParams(params: Record<string, string | string[] | undefined>) {
  return { conversationId: uuidParam(params, 'c') };
}

/**
 * The employee's conversations, the open one's newest messages (recalled ones arrive as notices,
 * never with content) and the policy's reason rule, which decides whether a recall asks for a reason.
 */
export async function loadMessages({ conversationId }: { conversationId?: string }) {
  const session = await requireSection('messages');
  const [conversations, policy] = await Promise.all([
    apiFetch('/api/v1/conversations?limit=100', ConversationListSchema),
    apiFetch('/api/v1/policy', PolicyVersionViewSchema),
  ]);
  const items = conversations.ok ? conversations.data.items : [];
  const open = items.find((c) => c.id === conversationId) ?? items[0] ?? null;
  const messages = open ? await apiFetch(`/api/v1/conversations/${open.id}/messages?limit=${MESSAGES_PAGE_SIZE}`, MessageListSchema) : null;
  return { me: session.me, conversations, open, messages, policy: policy.ok ? policy.data.settings : null };
}
