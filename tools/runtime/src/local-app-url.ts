import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoleUrl } from './database';
import type { LocalSecrets } from './secrets';
import { ROOT } from './stack';

export const LOCAL_SECRETS_FILE = join(ROOT, '.data', 'secrets.json');
const EMBEDDED_DATA_DIR = join(ROOT, '.data', 'postgres');
const EMBEDDED_DEFAULT_PORT = '54329';

export function readLocalSecrets(file = LOCAL_SECRETS_FILE): Partial<LocalSecrets> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : undefined;
}

/** The port the embedded PostgreSQL of a running `npm start` listens on: line 4 of its postmaster.pid. */
function runningEmbeddedPort(dataDir: string): string | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const port = readFileSync(file, 'utf8').split('\n')[3]?.trim();
  return port && /^\d+$/.test(port) ? port : undefined;
}

export interface LocalDatabase {
  url: string;
  /** Where the URL came from, for the message when it cannot be reached. */
  source: string;
}

/**
 * The retract_app connection a command run beside `npm start` uses, found as `npm start` finds it:
 * APP_DATABASE_URL as given; else DATABASE_URL's database as the retract_app role; else the embedded
 * PostgreSQL (the port it runs on, EMBEDDED_PG_PORT, or 54329). The role's password is APP_DB_PASSWORD
 * or the one in .data/secrets.json, as for `npm start`.
 */
export function localAppDatabase(
  env: NodeJS.ProcessEnv,
  secrets: Partial<LocalSecrets> | undefined = readLocalSecrets(),
  embeddedDataDir = EMBEDDED_DATA_DIR,
): LocalDatabase | undefined {
  if (env.APP_DATABASE_URL) return { url: env.APP_DATABASE_URL, source: 'APP_DATABASE_URL' };
  const password = env.APP_DB_PASSWORD ?? secrets?.APP_DB_PASSWORD;
  if (!password) return undefined;
  if (env.DATABASE_URL) {
    return { url: appRoleUrl(env.DATABASE_URL, password), source: 'the database in DATABASE_URL, as the retract_app role of `npm start`' };
  }
  const port = env.EMBEDDED_PG_PORT ?? runningEmbeddedPort(embeddedDataDir) ?? EMBEDDED_DEFAULT_PORT;
  return {
    url: appRoleUrl(`postgresql://postgres@127.0.0.1:${port}/retract`, password),
    source: `the embedded PostgreSQL of \`npm start\` on port ${port}`,
  };
}

/** The KEK `npm start` generated (and its id, once a rotation replaced it), for commands run beside it without AUDIT_KEK or AUDIT_KEKS set. */
export function localAuditKek(secrets = readLocalSecrets()): { AUDIT_KEK?: string; AUDIT_KEK_ID?: string } {
  return { AUDIT_KEK: secrets?.AUDIT_KEK, ...(secrets?.AUDIT_KEK_ID ? { AUDIT_KEK_ID: secrets.AUDIT_KEK_ID } : {}) };
}

/**
 * After a rotation retired the KEK that .data/secrets.json holds as AUDIT_KEK, the file holds the
 * active KEK (and its id) instead, so the retired key is gone from the checkout and `npm start` goes
 * on under the new one. Undefined when the file's KEK was not retired (nothing to change).
 */
export function secretsAfterRetirement(
  secrets: Partial<LocalSecrets>,
  retiredKeks: readonly string[],
  active: { id: string; material: string },
): Partial<LocalSecrets> | undefined {
  const bytes = (base64: string) => Buffer.from(base64, 'base64').toString('hex');
  if (!secrets.AUDIT_KEK || !retiredKeks.some((kek) => bytes(kek) === bytes(secrets.AUDIT_KEK!))) return undefined;
  return { ...secrets, AUDIT_KEK: active.material, AUDIT_KEK_ID: active.id };
}

export function writeLocalSecrets(secrets: Partial<LocalSecrets>, file = LOCAL_SECRETS_FILE): void {
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
