import { decodeBase64, verifyInclusion } from '@retract/audit-log';
import { createRetractClient, ok, RetractProblemError, type RetractClient } from '@retract/sdk';
import { randomUUID } from 'node:crypto';
import type { TestApp, TestTenant } from '../../../apps/api/test/test-app';
import { startLiveIntegration } from './live-api';

/**
 * An external chat system's recall through the SDK against a running API (real HTTP, real
 * PostgreSQL): a service account asks for the decision and records the recall, and a compliance
 * officer finds it in the audit log with its content readable and its leaf in a signed tree.
 */
describe('a recall recorded through the SDK', () => {
  let test: TestApp;
  let url: string;
  let tenant: TestTenant;
  let service: RetractClient;
  let serviceToken: string;
  const as = (token: string) => createRetractClient({ baseUrl: url, token });

  const source = 'rocketchat';
  const message = (externalId: string, sentAt = new Date()) => ({
    source,
    externalId,
    type: 'TEXT' as const,
    sentAt: sentAt.toISOString(),
    sender: { source, externalId: 'u-alice' },
    conversation: { source, externalId: 'room-general', kind: 'GROUP' as const },
  });

  beforeAll(async () => {
    ({
      test,
      url,
      tenant,
      token: serviceToken,
    } = await startLiveIntegration({ name: 'Rocket.Chat', scopes: ['recall:decide', 'recall:record', 'directory:write'] }));
    expect(serviceToken.startsWith('rtk_')).toBe(true);
    service = as(serviceToken);
  });
  afterAll(() => test?.close());

  it('is decided, recorded once under its idempotency key, and read back by compliance with its content and inclusion verified', async () => {
    const externalId = `m-${randomUUID()}`;
    const person = ok(
      await service.PUT('/api/v1/directory/people/{source}/{externalId}', {
        params: { path: { source, externalId: 'u-alice' } },
        body: { displayName: 'Alice External', email: 'alice@chat.example', locale: 'ja' },
      }),
    );
    expect(person).toMatchObject({ source, externalId: 'u-alice', displayName: 'Alice External', locale: 'ja' });

    const decision = ok(await service.POST('/api/v1/recall-decisions', { body: { message: message(externalId), actor: { source, externalId: 'u-alice' } } }));
    expect(decision.allowed).toBe(true);
    expect(Object.keys(decision.notices).sort()).toEqual(['en', 'ja', 'zh-CN']);

    const body = {
      message: message(externalId),
      actor: { source, externalId: 'u-alice' },
      reason: 'wrong room',
      content: { text: 'the launch date is 12 March', attachments: [{ name: 'roadmap.pdf' }] },
    };
    const key = randomUUID();
    const first = await service.POST('/api/v1/recalls', { params: { header: { 'Idempotency-Key': key } }, body });
    expect(first.response.status).toBe(201);
    const recorded = ok(first);
    expect(recorded.decision.allowed).toBe(true);

    const replay = await service.POST('/api/v1/recalls', { params: { header: { 'Idempotency-Key': key } }, body });
    expect(replay.response.status).toBe(201);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(ok(replay)).toEqual(recorded);

    const changed = await service.POST('/api/v1/recalls', { params: { header: { 'Idempotency-Key': key } }, body: { ...body, reason: 'another reason' } });
    expect(changed.response.status).toBe(422);

    const compliance = as(tenant.users.compliance.token);
    const entry = ok(await compliance.GET('/api/v1/audit/{seq}', { params: { path: { seq: recorded.auditSeq } } }));
    expect(entry).toMatchObject({
      seq: recorded.auditSeq,
      action: 'MESSAGE_RECALLED',
      messageId: recorded.messageId,
      leafHash: recorded.leafHash,
      hasContent: true,
    });
    // Sealed and opened as a built-in recall's content (docs/integration.md): the text is its `body`.
    expect(entry.content).toMatchObject({
      state: 'READABLE',
      value: { type: 'TEXT', body: 'the launch date is 12 March', attachments: [{ name: 'roadmap.pdf' }] },
    });

    const checkpoint = ok(await compliance.POST('/api/v1/audit/checkpoints'));
    const inclusion = ok(
      await compliance.GET('/api/v1/audit/proofs/inclusion', { params: { query: { seq: recorded.auditSeq, treeSize: checkpoint.treeSize } } }),
    );
    expect(inclusion.leafHash).toBe(recorded.leafHash);
    expect(
      verifyInclusion({
        leafHash: decodeBase64(inclusion.leafHash),
        leafIndex: recorded.auditSeq,
        treeSize: checkpoint.treeSize,
        proof: inclusion.proof.map(decodeBase64),
        rootHash: decodeBase64(checkpoint.rootHash),
      }),
    ).toBe(true);
    const verification = ok(await compliance.POST('/api/v1/audit/verify', { body: { fromSeq: recorded.auditSeq, toSeq: recorded.auditSeq } }));
    expect(verification).toMatchObject({ ok: true, problems: [] });
  });

  it('sets an Idempotency-Key itself when the caller gives none', async () => {
    const body = { message: message(`m-${randomUUID()}`), actor: { source, externalId: 'u-alice' }, content: { text: 'auto key' } };
    // The header parameter is required by the document; the client fills it in when absent.
    const recorded = await (service.POST as (path: string, init: unknown) => ReturnType<RetractClient['POST']>)('/api/v1/recalls', { body });
    expect(recorded.response.status).toBe(201);
  });

  it('answers a refusal as a problem with the denial code', async () => {
    const old = message(`m-${randomUUID()}`, new Date(Date.now() - 400 * 24 * 3600_000));
    const decision = ok(await service.POST('/api/v1/recall-decisions', { body: { message: old, actor: { source, externalId: 'u-alice' } } }));
    expect(decision).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
    let refused: unknown;
    try {
      ok(
        await service.POST('/api/v1/recalls', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: { message: old, actor: { source, externalId: 'u-alice' }, content: { text: 'late' } },
        }),
      );
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RetractProblemError);
    expect((refused as RetractProblemError).problem.code).toBe('WINDOW_EXPIRED');
  });

  it('is refused to a service account without the scope, and to a revoked one', async () => {
    const admin = as(tenant.users.admin.token);
    const decideOnly = ok(await admin.POST('/api/v1/service-accounts', { body: { name: 'decide only', scopes: ['recall:decide'] } }));
    const body = { message: message(`m-${randomUUID()}`), actor: { source, externalId: 'u-alice' }, content: { text: 'x' } };
    const unscoped = await as(decideOnly.token).POST('/api/v1/recalls', { params: { header: { 'Idempotency-Key': randomUUID() } }, body });
    expect(unscoped.response.status).toBe(403);
    expect((await admin.DELETE('/api/v1/service-accounts/{id}', { params: { path: { id: decideOnly.id } } })).response.ok).toBe(true);
    const revoked = await as(decideOnly.token).POST('/api/v1/recall-decisions', { body: { message: body.message, actor: body.actor } });
    expect(revoked.response.status).toBe(401);
  });
});
