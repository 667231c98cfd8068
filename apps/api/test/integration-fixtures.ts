import { randomUUID } from 'node:crypto';
import type { TestApp, TestUser } from './test-app';

/** A service account created through the API by an administrator; returns its token. */
export async function createServiceAccount(test: TestApp, admin: TestUser, scopes: string[] = ['recall:decide', 'recall:record', 'directory:write']) {
  const response = await test.request({ method: 'POST', url: '/api/v1/service-accounts', token: admin.token, payload: { name: 'Rocket.Chat', scopes } });
  if (response.statusCode !== 201) throw new Error(`service account creation failed: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string; token: string }>();
}

/** A chat system's message as integration requests describe it. */
export function externalMessage(options: {
  sentAt: Date | string;
  sender?: string;
  conversation?: string;
  type?: string;
  kind?: 'DIRECT' | 'GROUP';
  id?: string;
}) {
  return {
    source: 'rocketchat',
    externalId: options.id ?? `msg-${randomUUID()}`,
    type: options.type ?? 'TEXT',
    sentAt: typeof options.sentAt === 'string' ? options.sentAt : options.sentAt.toISOString(),
    sender: { source: 'rocketchat', externalId: options.sender ?? 'u-alice' },
    conversation: { source: 'rocketchat', externalId: options.conversation ?? 'room-general', kind: options.kind ?? 'GROUP' },
  };
}

export const decide = (test: TestApp, token: string, payload: unknown) => test.request({ method: 'POST', url: '/api/v1/recall-decisions', token, payload });

/** `key` null sends no Idempotency-Key. */
export const recordRecall = (test: TestApp, token: string, payload: unknown, key: string | null = randomUUID()) =>
  test.request({ method: 'POST', url: '/api/v1/recalls', token, payload, headers: key === null ? {} : { 'idempotency-key': key } });
