import { createSqlPool } from '@retract/db';
import { ConfigSchema, masterKeks } from '../../../apps/api/src/config/config';
import { LocalKeyring } from '../../../apps/api/src/modules/audit/key-encryption';
import { KeyRotation } from '../../../apps/api/src/modules/audit/key-rotation';
import { localAppDatabase, localAuditKek, readLocalSecrets, secretsAfterRetirement, writeLocalSecrets, type LocalDatabase } from './local-app-url';
import { describeCounts, rotationProgressPrinter } from './rotation-progress';

const USAGE = `usage: npm run keys -- rotate | status
  rotate  re-wraps every data key, signing key, webhook secret, single sign-on client secret and message key under the active KEK
          (AUDIT_KEK_ID), seals messages still stored in clear, and retires every other configured KEK
          once nothing is wrapped under it (docs/keys.md)
  status  counts what is still wrapped under KEKs other than the active one
KEKs come from AUDIT_KEKS (id:base64,...) and/or AUDIT_KEK with AUDIT_KEK_ID, as for the API, else from .data/secrets.json.
Connects as "npm start" does: APP_DATABASE_URL (the retract_app role) as given; else the database in DATABASE_URL, or
without it the embedded PostgreSQL, as the retract_app role with the password in .data/secrets.json.`;

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000']);

/** What to do when the database cannot be reached, instead of a bare "connect ECONNREFUSED". */
function connectionAdvice(error: unknown, database: LocalDatabase): string | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_FAILURES.has(code)) {
      return (
        `cannot connect to ${database.source} (${cause.message}). Run it beside a running \`npm start\` with the same DATABASE_URL ` +
        '(none for the embedded database), or set APP_DATABASE_URL to the retract_app connection string (docs/keys.md, "Rotation").'
      );
    }
  }
  return undefined;
}

async function main(): Promise<number> {
  const command = process.argv[2];
  if (command !== 'rotate' && command !== 'status') {
    process.stderr.write(`${USAGE}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const env = process.env.AUDIT_KEK || process.env.AUDIT_KEKS ? process.env : { ...localAuditKek(), ...process.env };
  const parsed = ConfigSchema.pick({ AUDIT_KEK: true, AUDIT_KEKS: true, AUDIT_KEK_ID: true }).safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`${issue.path.join('.')} ${issue.message}\n`);
    return 2;
  }
  const masters = masterKeks(parsed.data);
  if (!masters.some((m) => m.id === parsed.data.AUDIT_KEK_ID)) {
    process.stderr.write(`AUDIT_KEK_ID ${parsed.data.AUDIT_KEK_ID} names none of the configured KEKs (${masters.map((m) => m.id).join(', ') || 'none'})\n`);
    return 2;
  }
  const database = localAppDatabase(process.env);
  if (!database) {
    process.stderr.write(
      'APP_DATABASE_URL is required (the retract_app connection string), or run `npm start` first (it writes .data/secrets.json, with the password of its database role)\n',
    );
    return 2;
  }
  const pool = createSqlPool({ connectionString: database.url, maxConnections: 2, applicationName: 'retract-keys' });
  const rotation = new KeyRotation(
    pool,
    new LocalKeyring(parsed.data.AUDIT_KEK_ID, masters),
    masters.map((m) => m.id),
  );
  try {
    if (command === 'status') {
      const left = await rotation.remaining();
      const retired = await rotation.retired();
      process.stdout.write(`active KEK: ${parsed.data.AUDIT_KEK_ID}\n`);
      for (const [id, n] of left) process.stdout.write(`${n} values still wrapped under ${id}\n`);
      if (left.size === 0) process.stdout.write('everything is wrapped under the active KEK\n');
      for (const id of retired) process.stdout.write(`retired: ${id}\n`);
      return 0;
    }
    const tty = Boolean(process.stdout.isTTY);
    const total = await rotation.rotate(rotationProgressPrinter((text) => process.stdout.write(text), tty));
    if (tty) process.stdout.write('\n');
    process.stdout.write(`rotated to ${parsed.data.AUDIT_KEK_ID}: ${describeCounts(total)}\n`);
    const { retired, inUse } = await rotation.retire();
    for (const id of retired) process.stdout.write(`retired ${id}: nothing is wrapped under it any more; remove it from AUDIT_KEKS and destroy it\n`);
    forgetRetiredLocalKek(retired, masters, parsed.data.AUDIT_KEK_ID);
    for (const [id, n] of inUse) {
      process.stderr.write(
        `${n} values are still wrapped under ${id}${masters.some((m) => m.id === id) ? ' (written meanwhile by an API process still running with it as AUDIT_KEK_ID? run again)' : ', which is not configured: add it to AUDIT_KEKS and run again'}\n`,
      );
    }
    return inUse.size > 0 ? 1 : 0;
  } catch (error) {
    const what = command === 'status' ? 'key status' : 'key rotation';
    process.stderr.write(`${what} failed: ${connectionAdvice(error, database) ?? (error as Error).message}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

/**
 * `npm start` keeps its KEK in .data/secrets.json: once that KEK is retired the file holds the active
 * one instead (with its id), so the retired key is destroyed on this machine and `npm start` goes on
 * without AUDIT_KEKS (docs/keys.md, "Rotation").
 */
function forgetRetiredLocalKek(retired: string[], masters: { id: string; key: Buffer }[], activeId: string): void {
  const secrets = readLocalSecrets();
  const active = masters.find((m) => m.id === activeId)!;
  const retiredKeks = masters.filter((m) => retired.includes(m.id)).map((m) => m.key.toString('base64'));
  const next = secrets && secretsAfterRetirement(secrets, retiredKeks, { id: activeId, material: active.key.toString('base64') });
  if (!next) return;
  writeLocalSecrets(next);
  process.stdout.write(`.data/secrets.json now holds ${activeId} as AUDIT_KEK (the retired key is gone from it); npm start uses it from now on\n`);
}

void main().then((code) => process.exit(code));
