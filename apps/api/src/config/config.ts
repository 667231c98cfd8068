import { parseWebhookAllowList } from '@retract/contracts';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

const postgresUrl = z.string({ error: 'is required (a postgres:// connection string)' }).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}, 'must be a postgres://user@host:port/database URL');

const base64Key = z.string().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded');

/** `id:base64,id:base64` — the master KEKs this server holds (docs/keys.md). */
const kekList = z.string().transform((text, ctx) => {
  const keks: { id: string; key: string }[] = [];
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const colon = item.indexOf(':');
    const id = colon > 0 ? item.slice(0, colon) : '';
    const key = item.slice(colon + 1);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) ctx.addIssue({ code: 'custom', message: `entries are id:base64key; "${item.slice(0, 20)}…" has no valid id` });
    else if (Buffer.from(key, 'base64').length !== 32) ctx.addIssue({ code: 'custom', message: `key ${id} must be 32 bytes, base64-encoded` });
    else if (keks.some((k) => k.id === id)) ctx.addIssue({ code: 'custom', message: `key ${id} is given twice` });
    else keks.push({ id, key });
  }
  return keks;
});

/** A list of internal hosts, host:port and CIDR ranges the operator trusts (webhook receivers, OpenID providers); empty by default. */
const allowList = () =>
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const parsed = parseWebhookAllowList(text);
      if (parsed.ok) return parsed.entries;
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    });

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_PORT: port.default(3001),
  API_HOST: z.string().default('127.0.0.1'),
  /** The API's own connection: must be a role without superuser or BYPASSRLS. */
  APP_DATABASE_URL: postgresUrl,
  /** The change feed's LISTEN connection: must reach PostgreSQL directly (or a session-mode pooler), never a transaction-mode pooler. */
  LISTEN_DATABASE_URL: postgresUrl,
  /** Longest a request waits for a database connection; past it (database away) the answer is 503 with Retry-After. */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CONSOLE_ORIGIN: z.string().default('http://localhost:3000'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(2_592_000).default(43_200),
  /** The single master KEK of old; with AUDIT_KEKS it is one more key, under AUDIT_KEK_ID (or `local-1`). */
  AUDIT_KEK: z.preprocess((v) => (v === '' ? undefined : v), base64Key.optional()),
  /** Several master KEKs, `id:base64,…`; the active one (new wraps) is AUDIT_KEK_ID. */
  AUDIT_KEKS: z.preprocess((v) => (v === '' ? undefined : v), kekList.optional()),
  AUDIT_KEK_ID: z.string().min(1).default('local-1'),
  /** Checkpoints are issued after this many new entries, and at least every AUDIT_CHECKPOINT_SECONDS. */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(100),
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Group commit: at most this many queued entries of one tenant go into one integration transaction... */
  AUDIT_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(256),
  /** ...after waiting at most this long for more to arrive when the sequencer is idle (0 = integrate at once). */
  AUDIT_BATCH_WAIT_MS: z.coerce.number().min(0).max(1000).default(2),
  /** Pending entries older than this are integrated by any replica (their writer stopped before integrating them). */
  AUDIT_PENDING_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** Connections of the plain `pg` pool used by the hot write paths (recall, send, receipts) and the sequencer. */
  SQL_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(16),
  AUDIT_WITNESS_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  AUDIT_WITNESS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  /** How often the retention job shreds expired content keys (0 = never in this process). */
  AUDIT_RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(3600),
  /** No organisation keeps recalled content for fewer days than this, whatever its policy says. */
  AUDIT_RETENTION_FLOOR_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** A shortening of audit retention takes effect this many days after it is proposed (cancellable until then). */
  AUDIT_RETENTION_SHORTENING_DELAY_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  PLATFORM_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Failed platform-token attempts per client address and LOGIN_THROTTLE_WINDOW_SECONDS. */
  PLATFORM_TOKEN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(10),
  /** Bearer token required by GET /metrics; unset = /metrics is open (bind the API to a private address then). */
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters').optional()),
  /** Open event streams (SSE) one user may hold on one API process; a further one is refused with 429. */
  EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  /** Requests one client address may make per minute on one API process; past it, 429 until its window ends (docs/architecture.md, "Request rate limit"). */
  RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /** Requests one service account may make per minute on one API process; past it, 429 until its window ends (docs/integration.md, "Limits"). */
  SERVICE_ACCOUNT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
  /** How far ahead of Retract's clock a chat system's `sentAt` may be before Retract uses its own first sight instead (docs/integration.md, "Time"). */
  INTEGRATION_SENT_AT_SKEW_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  /** How long an Idempotency-Key of POST /recalls is remembered (docs/integration.md, "Idempotency"). */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /**
   * Proxies in front of the API whose X-Forwarded-For entries are believed, counted from the API:
   * 0 = the socket's peer is the client; 1 = the peer is a proxy that appended the client's address
   * (the console, or a load balancer), and so on. Entries beyond that many hops are the client's own word.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  TRUST_PROXY: z.never({ error: 'was replaced by TRUST_PROXY_HOPS (the number of proxies in front of the API)' }).optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  /**
   * Accept OpenID providers on plain http (a provider on the same host in tests and development).
   * Never in production: the ID token and the client secret would cross the network in clear (docs/identity.md).
   */
  SSO_ALLOW_INSECURE_ISSUERS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Internal OpenID providers the operator trusts (hosts, host:port, CIDR ranges, as WEBHOOK_ALLOWED_TARGETS);
   * empty = providers on public addresses only (docs/identity.md, "Provider addresses").
   */
  SSO_ALLOWED_ISSUERS: allowList(),
  /** Internal webhook receivers the operator trusts (hosts, host:port, CIDR ranges); empty = public https receivers only (docs/architecture.md, "Webhook targets"). */
  WEBHOOK_ALLOWED_TARGETS: allowList(),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a problem becomes one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const appUrl = env.APP_DATABASE_URL ?? env.DATABASE_URL;
  const withFallback = { ...env, APP_DATABASE_URL: appUrl, LISTEN_DATABASE_URL: env.LISTEN_DATABASE_URL || appUrl };
  const result = ConfigSchema.safeParse(withFallback);
  if (result.success) {
    const problem = masterKekProblem(result.data) ?? insecureIssuerProblem(result.data);
    if (problem) throw new ConfigError(`invalid configuration: ${problem}`);
    return result.data;
  }
  // A LISTEN_DATABASE_URL not given is the app URL: its faults are reported once, under the app URL's name.
  const issues = result.error.issues.filter((issue) => issue.path.join('.') !== 'LISTEN_DATABASE_URL' || env.LISTEN_DATABASE_URL);
  const lines = issues.map((issue) => {
    const name = issue.path.join('.') === 'APP_DATABASE_URL' && !env.APP_DATABASE_URL ? 'DATABASE_URL' : issue.path.join('.');
    return `${name} ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
}

/** The master KEKs the configuration gives: AUDIT_KEKS, plus AUDIT_KEK under AUDIT_KEK_ID unless that id is listed. */
export function masterKeks(config: Pick<Config, 'AUDIT_KEK' | 'AUDIT_KEKS' | 'AUDIT_KEK_ID'>): { id: string; key: Buffer }[] {
  const listed = (config.AUDIT_KEKS ?? []).map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') }));
  if (config.AUDIT_KEK && !listed.some((k) => k.id === config.AUDIT_KEK_ID))
    listed.push({ id: config.AUDIT_KEK_ID, key: Buffer.from(config.AUDIT_KEK, 'base64') });
  return listed;
}

/** Plain-http providers are for a provider on the developer's own machine, never production (docs/identity.md). */
function insecureIssuerProblem(config: Config): string | undefined {
  return config.NODE_ENV === 'production' && config.SSO_ALLOW_INSECURE_ISSUERS
    ? 'SSO_ALLOW_INSECURE_ISSUERS must not be true when NODE_ENV is production (the client secret and ID tokens would cross the network in clear)'
    : undefined;
}

function masterKekProblem(config: Config): string | undefined {
  const keks = masterKeks(config);
  if (keks.length === 0) return 'AUDIT_KEK or AUDIT_KEKS is required (a base64 32-byte key-encryption key)';
  if (!keks.some((k) => k.id === config.AUDIT_KEK_ID))
    return `AUDIT_KEK_ID ${config.AUDIT_KEK_ID} names none of the keys in AUDIT_KEKS (${keks.map((k) => k.id).join(', ')})`;
  return undefined;
}

export const CONFIG = Symbol('CONFIG');
