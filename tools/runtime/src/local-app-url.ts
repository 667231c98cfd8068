import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack';

/** While `npm start` runs the embedded PostgreSQL, a command reaches it with the locally generated credentials. */
export function localEmbeddedAppUrl(): string | undefined {
  const file = join(ROOT, '.data', 'secrets.json');
  if (!existsSync(file)) return undefined;
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as { APP_DB_PASSWORD: string };
  return `postgresql://retract_app:${encodeURIComponent(secrets.APP_DB_PASSWORD)}@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/retract`;
}

/** The AUDIT_KEK `npm start` generated, for commands run beside it without AUDIT_KEK or AUDIT_KEKS set. */
export function localAuditKek(): string | undefined {
  const file = join(ROOT, '.data', 'secrets.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { AUDIT_KEK?: string }).AUDIT_KEK;
}
