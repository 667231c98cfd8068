import type { Role } from '@retract/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { ownerClient } from './audit-fixtures';
import { MATRIX_APP_SETTINGS, TenantWorld } from './matrix-world';
import {
  ROLES,
  Unbuildable,
  isOpen,
  isProblem,
  misfit,
  problemCode,
  operationsOf,
  shapesOf,
  type Answer,
  type Json,
  type Operation,
  type Reference,
  type ReferenceKind,
  type Shape,
} from './route-matrix';
import { startTestApp, type TestApp } from './test-app';

/** Tenant B's log is made this much longer than A's, so B's seqs and tree sizes do not exist in A. */
const B_EXTRA_LOG_ENTRIES = 400;

/**
 * Every operation of the OpenAPI document, called as every role of tenant A: once with A's own
 * data (the permission snapshot's answer: allowed roles succeed, refused ones get 403), then once per
 * reference in the request with tenant B's value in its place (B's message id, B's webhook, B's
 * seq…). A path or body reference of B's answers 404, a filter or cursor of B's answers with none of
 * B's data; no answer contains B's ids or text, and B's rows are byte-for-byte unchanged afterwards.
 */
describe('isolation matrix', () => {
  let test: TestApp;
  let owner: Client;
  let a: TenantWorld;
  let b: TenantWorld;
  let operations: Operation[];

  beforeAll(async () => {
    test = await startTestApp(MATRIX_APP_SETTINGS);
    owner = await ownerClient();
    a = await TenantWorld.create(test, owner, `tenant-a-${randomBytes(6).toString('hex')}`);
    b = await TenantWorld.create(test, owner, `tenant-b-${randomBytes(6).toString('hex')}`);
    operations = await operationsOf(test);
    await b.growLog(B_EXTRA_LOG_ENTRIES);
    await b.prepareCursors(operations);
  }, 120_000);
  afterAll(async () => {
    await owner.end();
    await test.close();
  });

  it('builds a request for every operation of the OpenAPI document', () => {
    const unbuildable = operations.flatMap((operation) => {
      try {
        shapesOf(operation);
        return [];
      } catch (error) {
        if (error instanceof Unbuildable) return [error.message];
        throw error;
      }
    });
    expect(operations.length).toBeGreaterThan(40);
    expect(unbuildable).toEqual([]);
  });

  it('refuses to build a request with a reference it does not know, so a new route cannot go unchecked', () => {
    const operation: Operation = {
      key: 'POST /api/v1/gadgets',
      method: 'POST',
      path: '/api/v1/gadgets',
      access: 'authenticated',
      parameters: [],
      body: { type: 'object', properties: { gadgetId: { type: 'string', format: 'uuid' } }, required: ['gadgetId'] },
      statuses: [201],
    };
    expect(() => shapesOf(operation)).toThrow(Unbuildable);
    expect(() =>
      shapesOf({
        ...operation,
        key: 'GET /api/v1/gadgets/{id}',
        path: '/api/v1/gadgets/{id}',
        body: undefined,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      }),
    ).toThrow(Unbuildable);
  });

  it("answers every operation × role × reference to tenant B's data as the snapshot says, without B's data, and changes nothing of B", async () => {
    const digestBefore = await b.digest();
    const secrets = await b.secrets();
    const mismatches: string[] = [];
    const counts = { ownData: 0, otherTenant: 0, nonexistent: 0, anonymous: 0 };

    const leaks = (label: string, answer: Answer, sent?: Json) => {
      for (const secret of secrets) if (secret !== sent && answer.body.includes(secret)) mismatches.push(`${label}: the answer contains tenant B's ${secret}`);
    };

    const foreignValue = async (reference: Reference, operation: Operation, role: Role): Promise<Json> => {
      const value = await b.existing(reference.kind, operation, role);
      if ((reference.kind === 'auditSeq' || reference.kind === 'treeSize') && (value as number) <= (await a.logSize())) {
        throw new Error(`tenant A's log has grown past B's ${reference.kind} ${JSON.stringify(value)}: raise B_EXTRA_LOG_ENTRIES`);
      }
      return value;
    };

    const checkShape = async (shape: Shape, role: Role) => {
      const { operation } = shape;
      const label = `${operation.key}${shape.variant ? ` [${shape.variant}]` : ''} as ${role}`;
      const allowed = a.mayCall(operation, role);

      const own = await a.call(shape, role);
      counts.ownData++;
      const ownMisfit = misfit(operation, allowed, own);
      if (ownMisfit) mismatches.push(`${label} with its own data: ${ownMisfit}`);
      leaks(label, own);

      for (const reference of shape.references) {
        const where = `${label} with B's ${reference.kind} in ${reference.where}`;
        const value = await foreignValue(reference, operation, role);
        const answer = await a.call(shape, role, { reference, value });
        counts.otherTenant++;
        leaks(where, answer, value);
        if (!allowed) {
          const refused = misfit(operation, false, answer);
          if (refused) mismatches.push(`${where}: ${refused}`);
          continue;
        }
        if (reference.where.startsWith('path')) {
          if (!(answer.statusCode === 404 && isProblem(answer)))
            mismatches.push(`${where}: answered ${answer.statusCode} instead of 404: ${answer.body.slice(0, 200)}`);
        } else if (!(
          (answer.statusCode >= 200 && answer.statusCode < 300) ||
          (answer.statusCode >= 400 && answer.statusCode < 500 && answer.statusCode !== 401 && answer.statusCode !== 403 && isProblem(answer))
        )) {
          mismatches.push(`${where}: answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`);
        }
        if (ID_KINDS.has(reference.kind)) {
          // No existence oracle: B's id is answered exactly as an id that exists nowhere.
          const nowhere = await a.call(shape, role, { reference, value: randomUUID() });
          counts.nonexistent++;
          if (nowhere.statusCode !== answer.statusCode || problemCode(nowhere) !== problemCode(answer)) {
            mismatches.push(
              `${where}: answered ${answer.statusCode} ${problemCode(answer) ?? ''}, but ${nowhere.statusCode} ${problemCode(nowhere) ?? ''} for an id that exists nowhere`,
            );
          } else if (operation.method === 'GET' && answer.statusCode < 300 && answer.body !== nowhere.body) {
            mismatches.push(`${where}: answered ${answer.body.slice(0, 200)}, but ${nowhere.body.slice(0, 200)} for an id that exists nowhere`);
          }
        }
      }
    };

    for (const operation of operations) {
      let shapes: Shape[];
      try {
        shapes = shapesOf(operation);
      } catch (error) {
        if (!(error instanceof Unbuildable)) throw error;
        mismatches.push(error.message);
        continue;
      }
      for (const shape of shapes) for (const role of ROLES) await checkShape(shape, role);
      const anonymous = await a.call(shapes[0], undefined);
      counts.anonymous++;
      if (isOpen(operation) ? misfit(operation, true, anonymous) : anonymous.statusCode !== 401)
        mismatches.push(`${operation.key} anonymous: ${anonymous.statusCode}`);
      leaks(`${operation.key} anonymous`, anonymous);
    }

    const total = counts.ownData + counts.otherTenant + counts.nonexistent + counts.anonymous;
    console.log(
      `isolation matrix: ${operations.length} operations × ${ROLES.length} roles: ${total} checks ` +
        `(${counts.ownData} with the caller's own data, ${counts.otherTenant} with one reference to tenant B's data, ${counts.nonexistent} with an id that exists nowhere instead, ${counts.anonymous} anonymous); ` +
        `${secrets.size} strings of tenant B searched for in every answer; tenant A's log ${await a.logSize()} entries, B's ${await b.logSize()}`,
    );
    expect(mismatches).toEqual([]);
    expect(await b.digest()).toEqual(digestBefore);
  }, 300_000);
});

/** References to a tenant's records (as opposed to positions in its log or pages: seqs, tree sizes, cursors, event ids). */
const ID_KINDS = new Set<ReferenceKind>(['user', 'conversation', 'message', 'legalHold', 'roleGrant', 'retentionChange', 'webhook', 'serviceAccount']);
