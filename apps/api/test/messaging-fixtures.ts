import type { Role } from '@retract/contracts';
import { Clock } from '../src/modules/clock/clock';
import { createTenant, type TestApp, type TestTenant, type TestUser } from './test-app';

/**
 * Helpers for the recall-flow tests. Time is injected: `controlClock` replaces the app's Clock so
 * a test crosses a recall window by setting the time, never by sleeping.
 */

export interface ControlledClock {
  now(): Date;
  set(at: Date | number): void;
  advance(ms: number): void;
  restore(): void;
}

export function controlClock(test: TestApp, start: Date | number = Date.now()): ControlledClock {
  const clock = test.app.get(Clock);
  let current = new Date(start).getTime();
  const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(current));
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
    restore: () => spy.mockRestore(),
  };
}

export const MESSAGING_PEOPLE: Record<string, Role[]> = {
  admin: ['ADMIN'],
  compliance: ['COMPLIANCE'],
  alice: ['EMPLOYEE'],
  bob: ['EMPLOYEE'],
  carol: ['EMPLOYEE'],
  dave: ['EMPLOYEE'],
};

export interface MessagingTenant extends TestTenant {
  /** GROUP "Launch": alice, bob, carol (dave is not a member). */
  launch: string;
  /** DIRECT alice ↔ bob. */
  direct: string;
}

export async function createMessagingTenant(test: TestApp, people: Record<string, Role[]> = MESSAGING_PEOPLE): Promise<MessagingTenant> {
  const tenant = await createTenant(test, people);
  const { alice, bob, carol } = tenant.users;
  const launch = await test.request({
    method: 'POST',
    url: '/api/v1/conversations',
    token: alice.token,
    payload: { kind: 'GROUP', title: 'Launch', memberIds: [bob.id, carol.id] },
  });
  if (launch.statusCode !== 201) throw new Error(`creating Launch failed: ${launch.body}`);
  const direct = await test.request({ method: 'POST', url: '/api/v1/conversations', token: alice.token, payload: { kind: 'DIRECT', memberIds: [bob.id] } });
  if (direct.statusCode !== 201) throw new Error(`creating the direct conversation failed: ${direct.body}`);
  return { ...tenant, launch: launch.json().id, direct: direct.json().id };
}

export async function sendText(test: TestApp, user: TestUser, conversationId: string, body = 'hello'): Promise<string> {
  const response = await test.request({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    token: user.token,
    payload: { type: 'TEXT', body },
  });
  if (response.statusCode !== 201) throw new Error(`sending failed: ${response.statusCode} ${response.body}`);
  return response.json().id;
}

export async function send(test: TestApp, user: TestUser, conversationId: string, payload: Record<string, unknown>): Promise<string> {
  const response = await test.request({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, token: user.token, payload });
  if (response.statusCode !== 201) throw new Error(`sending failed: ${response.statusCode} ${response.body}`);
  return response.json().id;
}

/** A legal hold placed by `officer` (a compliance officer); its id. */
export async function placeHold(test: TestApp, officer: TestUser, payload: Record<string, unknown>): Promise<string> {
  const response = await test.request({ method: 'POST', url: '/api/v1/legal-holds', token: officer.token, payload });
  if (response.statusCode !== 201) throw new Error(`placing the hold failed: ${response.statusCode} ${response.body}`);
  return response.json().id;
}

export const recall = (test: TestApp, user: TestUser, messageId: string, payload: Record<string, unknown> = {}) =>
  test.request({ method: 'POST', url: `/api/v1/messages/${messageId}/recall`, token: user.token, payload });

export const setPolicy = async (
  test: TestApp,
  admin: TestUser,
  change: (current: { version: number; settings: Record<string, unknown>; overrides: unknown[] }) => Record<string, unknown>,
) => {
  const current = (await test.request({ method: 'GET', url: '/api/v1/policy', token: admin.token })).json();
  const response = await test.request({
    method: 'PUT',
    url: '/api/v1/policy',
    token: admin.token,
    payload: { expectedVersion: current.version, ...change(current) },
  });
  if (response.statusCode !== 200) throw new Error(`policy change failed: ${response.statusCode} ${response.body}`);
  return response.json();
};

export const image = (name = 'plan.png') => ({
  type: 'IMAGE',
  body: 'the plan',
  attachment: { name, size: 1234, mimeType: 'image/png', sha256: 'a'.repeat(64), url: `https://files.example.test/${name}` },
});
