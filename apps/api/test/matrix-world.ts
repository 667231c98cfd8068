import type { Role } from '@retract/contracts';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { CheckpointSigner } from '../src/modules/audit/checkpoint-signer';
import { appendEntries, policyDraft, recalledDraft } from './audit-fixtures';
import { createMessagingTenant, recall, sendText, setPolicy, type MessagingTenant } from './messaging-fixtures';
import {
  ROLES,
  callAs,
  mayCall,
  requestFor,
  shapesOf,
  type Json,
  type MatrixRequest,
  type Operation,
  type Reference,
  type ReferenceKind,
  type Shape,
} from './route-matrix';
import { PASSWORD, type TestApp, type TestUser } from './test-app';

/** Where the worlds' webhooks point (nothing is delivered in tests; the address must only be allowed). */
const WEBHOOK_TARGET = '127.0.0.1:9';

/** Settings of the test app the worlds live in: the platform route switched on, the webhook target allowed. */
// The provider address the matrix configures (nothing answers there) is an internal one the operator allows.
export const MATRIX_APP_SETTINGS = {
  PLATFORM_TOKEN: randomBytes(32).toString('base64url'),
  WEBHOOK_ALLOWED_TARGETS: WEBHOOK_TARGET,
  SSO_ALLOWED_ISSUERS: '127.0.0.2',
};

/** Who calls as each role: the messaging tenant's admin, compliance officer, and alice (an employee). */
const CALLER_OF_ROLE: Record<Role, string> = { ADMIN: 'admin', COMPLIANCE: 'compliance', EMPLOYEE: 'alice' };

/** Operations that end the caller's session or change their password: each call gets a user of its own. */
const CONSUMES_CALLER = new Set(['POST /api/v1/auth/logout', 'PUT /api/v1/me/password']);

const actionOf = (operation: Operation) => operation.access.split(' ')[0];

/**
 * An organisation with some of everything, made through the API: messages in a group and a direct
 * conversation, a recall, a legal hold, a webhook with queued deliveries, a policy change, a signed
 * checkpoint, events. Every text it holds contains `marker`, so another tenant's answers can be
 * searched for it. It gives the values the route matrix fills references with: its own (fresh data
 * where the request consumes it, such as a message to recall) or, for another tenant's requests,
 * what it already holds.
 */
export class TenantWorld {
  private bobMessage = '';
  private aliceMessage = '';
  private recalledMessage = '';
  private hold = '';
  private roleGrant = '';
  private retentionChange = '';
  private webhook = '';
  private serviceAccount = '';
  private eventId = '';
  private readonly cursors = new Map<string, Json>();

  private constructor(
    readonly test: TestApp,
    readonly owner: Client,
    readonly tenant: MessagingTenant,
    readonly marker: string,
  ) {}

  static async create(test: TestApp, owner: Client, marker: string): Promise<TenantWorld> {
    const world = new TenantWorld(test, owner, await createMessagingTenant(test), marker);
    await world.populate();
    return world;
  }

  private async populate(): Promise<void> {
    const { test, tenant, marker } = this;
    const { alice, bob, dave } = tenant.users;
    this.bobMessage = await sendText(test, bob, tenant.launch, `${marker} from bob`);
    await sendText(test, bob, tenant.launch, `${marker} again from bob`);
    this.aliceMessage = await sendText(test, alice, tenant.launch, `${marker} from alice`);
    this.recalledMessage = await this.recalledBy(alice);
    await sendText(test, alice, tenant.direct, `${marker} direct`);
    this.webhook = await this.createWebhook(['message.created']);
    this.serviceAccount = await this.createServiceAccount();
    for (const n of [1, 2]) await sendText(test, alice, tenant.launch, `${marker} delivered to the webhook ${n}`);
    this.hold = await this.placeHold(dave.id);
    this.roleGrant = await this.requestComplianceGrant();
    this.retentionChange = await this.proposeShortening();
    await setPolicy(test, tenant.users.admin, () => ({ settings: { windowSeconds: 600 } }));
    this.expectOk(await this.as('COMPLIANCE', { method: 'POST', url: '/api/v1/audit/checkpoints' }), 'signing a checkpoint');
    const sso = {
      issuer: 'https://127.0.0.2/idp',
      clientId: 'matrix',
      clientSecret: 'matrix-client-secret',
      allowedDomains: ['matrix.test'],
      passwordLogin: true,
    };
    this.expectOk(await this.as('ADMIN', { method: 'PUT', url: '/api/v1/sso', payload: sso }), 'configuring single sign-on');
    const events = this.expectOk(await this.as('EMPLOYEE', { method: 'GET', url: '/api/v1/events?limit=1' }), 'reading events').json<{ lastEventId: string }>();
    this.eventId = events.lastEventId;
  }

  get webhookUrl(): string {
    return `http://${WEBHOOK_TARGET}/${this.marker}`;
  }

  caller(role: Role): TestUser {
    return this.tenant.users[CALLER_OF_ROLE[role]];
  }

  /** The user a request runs as: the role's caller, or a new user for requests that consume their session. */
  async callerFor(operation: Operation, role: Role): Promise<TestUser> {
    return CONSUMES_CALLER.has(operation.key) ? this.newUser(role) : this.caller(role);
  }

  /** Whether the permission snapshot lets `role` call `operation` in this tenant. */
  mayCall(operation: Operation, role: Role): boolean {
    return mayCall(operation, role, { userId: this.caller(role).id, tenantId: this.tenant.id });
  }

  /** Sends `shape` as `role` (anonymously without one) with this tenant's values, `replaced` excepted. */
  async call(shape: Shape, role: Role | undefined, replaced?: { reference: Reference; value: Json }) {
    const caller = role ? await this.callerFor(shape.operation, role) : undefined;
    return callAs(this.test, caller, await this.request(shape, role ?? 'ADMIN', caller ?? this.caller('ADMIN'), replaced));
  }

  as(role: Role, request: MatrixRequest) {
    return callAs(this.test, this.caller(role), request);
  }

  /** Entries through the audit write path, so this tenant's log is longer than another's (seq references). */
  async growLog(entries: number): Promise<void> {
    const drafts = Array.from({ length: entries }, (_, i) =>
      i % 10 ? policyDraft(this.tenant.users.admin.id, i) : recalledDraft(this.tenant, 'alice', `${this.marker} audit ${i}`),
    );
    const chunks = Array.from({ length: 8 }, (_, c) => drafts.filter((_, i) => i % 8 === c));
    await Promise.all(chunks.map((chunk) => appendEntries(this.test, this.tenant, chunk)));
    await this.test.app.get(CheckpointSigner).idle();
  }

  async logSize(): Promise<number> {
    const { rows } = await this.owner.query<{ size: number }>('SELECT coalesce((SELECT size::int FROM audit_log_heads WHERE tenant_id = $1), 0) AS size', [
      this.tenant.id,
    ]);
    return rows[0].size;
  }

  /** This tenant's value for a reference in a request `role` makes: data made for the request where it consumes it. */
  async own(reference: Reference, operation: Operation, role: Role): Promise<Json> {
    const { test, tenant } = this;
    const { alice, bob } = tenant.users;
    switch (reference.kind) {
      case 'user':
        return operation.access === 'create ErasureRequest' ? (await this.newUser('EMPLOYEE')).id : bob.id;
      case 'conversation':
        return tenant.launch;
      case 'message':
        if (actionOf(operation) === 'recall') return sendText(test, alice, tenant.launch, `${this.marker} to be recalled`);
        if (actionOf(operation) === 'update') return this.recalledBy(alice);
        if (actionOf(operation) === 'delete') return sendText(test, bob, tenant.launch, `${this.marker} to be hidden`);
        return this.bobMessage;
      case 'legalHold':
        return actionOf(operation) === 'release' ? this.placeHold(tenant.users.dave.id) : this.hold;
      case 'roleGrant':
        // Approving or refusing decides the grant: each such call gets a pending one of its own.
        return actionOf(operation) === 'update' ? this.requestComplianceGrant() : this.roleGrant;
      case 'retentionChange':
        // Cancelling settles the change: each such call gets a pending one of its own.
        return this.proposeShortening();
      case 'webhook':
        return actionOf(operation) === 'delete' ? this.createWebhook(['policy.changed']) : this.webhook;
      case 'serviceAccount':
        return actionOf(operation) === 'delete' ? this.createServiceAccount() : this.serviceAccount;
      case 'auditSeq':
        return 0;
      case 'treeSize':
        return this.logSize();
      case 'cursor':
        return this.cursor(operation, role);
      case 'eventId':
        return this.eventId;
    }
  }

  /** This tenant's value as another tenant's request would carry it: existing data only. */
  async existing(kind: ReferenceKind, operation: Operation, role: Role): Promise<Json> {
    switch (kind) {
      case 'message':
        return actionOf(operation) === 'recall' ? this.aliceMessage : actionOf(operation) === 'update' ? this.recalledMessage : this.bobMessage;
      case 'legalHold':
        return this.hold;
      case 'roleGrant':
        return this.roleGrant;
      case 'retentionChange':
        return this.retentionChange;
      case 'webhook':
        return this.webhook;
      case 'serviceAccount':
        return this.serviceAccount;
      case 'auditSeq':
        return (await this.logSize()) - 1;
      case 'user':
        return this.tenant.users.bob.id;
      case 'cursor': {
        const cursor = this.cursors.get(operation.key);
        if (cursor === undefined) throw new Error(`${operation.key}: no cursor of ${this.marker} prepared (prepareCursors)`);
        return cursor;
      }
      default:
        return this.own({ kind } as Reference, operation, role);
    }
  }

  /** Values a request needs beyond its schema: the caller's own credentials, a current version, a forced recall's reason. */
  async overrides(operation: Operation, role: Role, caller: TestUser): Promise<Record<string, Json>> {
    const { marker, tenant } = this;
    switch (operation.key) {
      case 'POST /api/v1/auth/login':
        return { tenant: tenant.slug, email: caller.email, password: PASSWORD };
      case 'POST /api/v1/conversations':
        return { kind: 'GROUP', title: `${marker} group` };
      case 'POST /api/v1/conversations/{id}/messages':
        return { type: 'TEXT', body: `${marker} sent` };
      case 'POST /api/v1/messages/{id}/re-edit':
        return { body: `${marker} re-edited` };
      case 'POST /api/v1/messages/{id}/recall':
      case 'POST /api/v1/messages/recall':
        return role === 'EMPLOYEE' ? {} : { force: true, reason: `${marker} forced` };
      case 'PATCH /api/v1/users/{id}':
        return { displayName: 'bob (renamed)' };
      case 'POST /api/v1/webhooks':
        return { url: this.webhookUrl };
      case 'POST /api/v1/users':
        return { roles: ['EMPLOYEE'], password: PASSWORD };
      case 'PUT /api/v1/me/password':
        return { currentPassword: PASSWORD, newPassword: `${PASSWORD} (changed)` };
      case 'PUT /api/v1/policy': {
        const current = this.expectOk(await this.as('ADMIN', { method: 'GET', url: '/api/v1/policy' }), 'reading the policy').json<{ version: number }>();
        return { expectedVersion: current.version, settings: { windowSeconds: 600 } };
      }
      case 'PUT /api/v1/policy/retention':
        return { days: 3000 };
      // A provider address on the loopback that answers nothing: the API never fetches a real host.
      case 'PUT /api/v1/sso':
        return { issuer: 'https://127.0.0.2/idp', clientSecret: 'matrix-client-secret', allowedDomains: ['matrix.test'] };
      case 'POST /api/v1/sso/test':
        return { issuer: 'http://127.0.0.1:9/idp' };
      default:
        return {};
    }
  }

  /** The request of `shape` as `role` with this tenant's values, `replaced` (one reference) excepted. */
  async request(shape: Shape, role: Role, caller: TestUser, replaced?: { reference: Reference; value: Json }): Promise<MatrixRequest> {
    const request = await requestFor(shape, (reference) =>
      reference === replaced?.reference ? Promise.resolve(replaced.value) : this.own(reference, shape.operation, role),
    );
    const overrides = await this.overrides(shape.operation, role, caller);
    return Object.keys(overrides).length ? { ...request, payload: { ...(request.payload as Record<string, Json>), ...overrides } } : request;
  }

  /** The next-page cursor of a one-item page of `operation`, as a role of this tenant that may list it. */
  private async cursor(operation: Operation, role: Role): Promise<Json> {
    const cached = this.cursors.get(operation.key);
    if (cached !== undefined) return cached;
    const lister = [role, ...ROLES].find((candidate) => this.mayCall(operation, candidate))!;
    const [shape] = shapesOf(operation);
    // The first page of everything: no filters, one item.
    const required = Object.fromEntries(
      Object.entries(shape.query).filter(([name]) => operation.parameters.some((parameter) => parameter.name === name && parameter.required)),
    );
    const page = await this.request({ ...shape, query: { ...required, limit: 1 } }, lister, this.caller(lister));
    const answer = this.expectOk(await this.as(lister, page), `listing a page of ${operation.key}`).json<{ nextCursor?: Json }>();
    if (answer.nextCursor === null || answer.nextCursor === undefined)
      throw new Error(`${operation.key}: a one-item page of ${this.marker} has no next cursor: ${JSON.stringify(answer).slice(0, 300)}`);
    this.cursors.set(operation.key, answer.nextCursor);
    return answer.nextCursor;
  }

  /** Cursors worked out now, while this tenant may still be written to (its digest is taken after). */
  async prepareCursors(operations: Operation[]): Promise<void> {
    for (const operation of operations) {
      if (!shapesOf(operation).some((shape) => shape.references.some((reference) => reference.kind === 'cursor'))) continue;
      const lister = ROLES.find((role) => this.mayCall(operation, role))!;
      await this.cursor(operation, lister);
    }
  }

  /** A user the admin creates: until they choose their own password only the routes allowed before that answer them. */
  async newUser(role: Role): Promise<TestUser> {
    const email = `${role.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}@${this.tenant.slug}.test`;
    const created = this.expectOk(
      await this.as('ADMIN', {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email, displayName: `${this.marker} ${role}`, roles: [role], password: PASSWORD },
      }),
      'creating a user',
    ).json<{ id: string }>();
    const login = await callAs(this.test, undefined, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: this.tenant.slug, email, password: PASSWORD },
    });
    return { id: created.id, email, roles: [role], token: this.expectOk(login, 'logging in').json<{ accessToken: string }>().accessToken };
  }

  private async recalledBy(user: TestUser): Promise<string> {
    const id = await sendText(this.test, user, this.tenant.launch, `${this.marker} recalled`);
    this.expectOk(await recall(this.test, user, id, { reason: `${this.marker} reason` }), 'recalling');
    return id;
  }

  private async placeHold(subjectUserId: string): Promise<string> {
    const hold = await this.as('COMPLIANCE', {
      method: 'POST',
      url: '/api/v1/legal-holds',
      payload: { scope: 'USER', subjectUserId, matter: `${this.marker} matter` },
    });
    return this.expectOk(hold, 'placing a hold').json<{ id: string }>().id;
  }

  /** A pending COMPLIANCE grant that the admin asked for, for a new employee who has chosen their own password (so it can be approved). */
  private async requestComplianceGrant(): Promise<string> {
    const grantee = await this.newUser('EMPLOYEE');
    this.expectOk(
      await callAs(this.test, grantee, {
        method: 'PUT',
        url: '/api/v1/me/password',
        payload: { currentPassword: PASSWORD, newPassword: `${PASSWORD} (own choice)` },
      }),
      'choosing their own password',
    );
    this.expectOk(
      await this.as('ADMIN', { method: 'PATCH', url: `/api/v1/users/${grantee.id}`, payload: { roles: ['EMPLOYEE', 'COMPLIANCE'] } }),
      'asking for a COMPLIANCE grant',
    );
    const grants = this.expectOk(await this.as('ADMIN', { method: 'GET', url: '/api/v1/role-grants' }), 'listing role grants').json<{
      items: { id: string; user: { id: string } }[];
    }>();
    return grants.items.find((grant) => grant.user.id === grantee.id)!.id;
  }

  /** A shortening of audit retention waiting out its delay (it replaces one already waiting). */
  private async proposeShortening(): Promise<string> {
    const days = 400 + Math.floor(Math.random() * 1000);
    const view = this.expectOk(
      await this.as('COMPLIANCE', { method: 'PUT', url: '/api/v1/policy/retention', payload: { days } }),
      'proposing a shorter retention',
    );
    return view.json<{ pending: { id: string } }>().pending.id;
  }

  private async createWebhook(eventTypes: string[]): Promise<string> {
    const webhook = await this.as('ADMIN', {
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: this.webhookUrl, eventTypes, description: `${this.marker} hook` },
    });
    return this.expectOk(webhook, 'creating a webhook').json<{ id: string }>().id;
  }

  private async createServiceAccount(): Promise<string> {
    const account = await this.as('ADMIN', {
      method: 'POST',
      url: '/api/v1/service-accounts',
      payload: { name: `${this.marker} chat`, scopes: ['recall:decide'] },
    });
    return this.expectOk(account, 'creating a service account').json<{ id: string }>().id;
  }

  private expectOk<T extends { statusCode: number; body: string }>(response: T, what: string): T {
    if (response.statusCode >= 300) throw new Error(`${what} in ${this.marker} failed: ${response.statusCode} ${response.body}`);
    return response;
  }

  // -------------------------------------------------------------------------
  // What another tenant must neither see nor change

  private async tenantTables(): Promise<{ table: string; hasId: boolean }[]> {
    const { rows } = await this.owner.query<{ table: string; has_id: boolean }>(
      `SELECT c.relname AS table, bool_or(a.attname = 'id' AND a.atttypid = 'uuid'::regtype) AS has_id
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        GROUP BY c.relname HAVING bool_or(a.attname = 'tenant_id') ORDER BY c.relname`,
    );
    return rows.map((row) => ({ table: row.table, hasId: row.has_id }));
  }

  /** Row count and a hash of every row of this tenant, per table, and its tenants row. */
  async digest(): Promise<Record<string, string>> {
    const digest: Record<string, string> = {};
    for (const { table } of await this.tenantTables()) {
      const { rows } = await this.owner.query<{ n: number; hash: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS hash FROM ${table} t WHERE tenant_id = $1`,
        [this.tenant.id],
      );
      digest[table] = `${rows[0].n} rows ${rows[0].hash}`;
    }
    const { rows } = await this.owner.query<{ row: string }>('SELECT t::text AS row FROM tenants t WHERE id = $1', [this.tenant.id]);
    digest.tenants = rows[0].row;
    return digest;
  }

  /** Strings that only this tenant's data holds: its id, slug, marker and the ids of all its rows. */
  async secrets(): Promise<Set<string>> {
    const secrets = new Set([this.tenant.id, this.tenant.slug, this.marker]);
    for (const { table, hasId } of await this.tenantTables()) {
      if (!hasId) continue;
      const { rows } = await this.owner.query<{ id: string }>(`SELECT id::text AS id FROM ${table} WHERE tenant_id = $1`, [this.tenant.id]);
      for (const row of rows) secrets.add(row.id);
    }
    return secrets;
  }
}
