import { createSqlPool } from '@retract/db';
import { ConfigSchema, masterKeks } from '../../../apps/api/src/config/config';
import { LocalKeyring } from '../../../apps/api/src/modules/audit/key-encryption';
import { KeyRotation, type RotationCounts } from '../../../apps/api/src/modules/audit/key-rotation';
import { localAuditKek, localEmbeddedAppUrl } from './local-app-url';

const USAGE = `usage: npm run keys -- rotate | status
  rotate  re-wraps every data key, signing key, webhook secret, single sign-on client secret and message key under the active KEK
          (AUDIT_KEK_ID), seals messages still stored in clear, and retires every other configured KEK
          once nothing is wrapped under it (docs/keys.md)
  status  counts what is still wrapped under KEKs other than the active one
KEKs come from AUDIT_KEKS (id:base64,...) and/or AUDIT_KEK with AUDIT_KEK_ID, as for the API. Connects with
APP_DATABASE_URL (the retract_app role), or to the embedded database of a running "npm start".`;

const described = (c: RotationCounts) =>
  `${c.dataKeys} data keys, ${c.signingKeys} signing keys, ${c.webhookSecrets} webhook secrets, ${c.ssoClientSecrets} SSO client secrets, ` +
  `${c.messageKeys} message keys re-wrapped; ${c.messagesSealed} messages sealed`;

async function main(): Promise<number> {
  const command = process.argv[2];
  if (command !== 'rotate' && command !== 'status') {
    process.stderr.write(`${USAGE}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const env = process.env.AUDIT_KEK || process.env.AUDIT_KEKS ? process.env : { ...process.env, AUDIT_KEK: localAuditKek() };
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
  const url = process.env.APP_DATABASE_URL ?? localEmbeddedAppUrl();
  if (!url) {
    process.stderr.write('APP_DATABASE_URL is required (the retract_app connection string), or run `npm start` first to use the embedded database\n');
    return 2;
  }
  const pool = createSqlPool({ connectionString: url, maxConnections: 2, applicationName: 'retract-keys' });
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
    const tty = process.stdout.isTTY;
    let lastLine = 0;
    const total = await rotation.rotate(({ tenant, tenants, tenantId, counts }) => {
      const line = `organisation ${tenant}/${tenants} (${tenantId}): ${described(counts)}`;
      if (tty) process.stdout.write(`\r${line}\x1b[K`);
      else if (Date.now() - lastLine > 1000 || tenant === tenants) {
        process.stdout.write(`${line}\n`);
        lastLine = Date.now();
      }
    });
    if (tty) process.stdout.write('\n');
    process.stdout.write(`rotated to ${parsed.data.AUDIT_KEK_ID}: ${described(total)}\n`);
    const { retired, inUse } = await rotation.retire();
    for (const id of retired) process.stdout.write(`retired ${id}: nothing is wrapped under it any more; remove it from AUDIT_KEKS and destroy it\n`);
    for (const [id, n] of inUse) {
      process.stderr.write(
        `${n} values are still wrapped under ${id}${masters.some((m) => m.id === id) ? ' (written meanwhile by an API process still running with it as AUDIT_KEK_ID? run again)' : ', which is not configured: add it to AUDIT_KEKS and run again'}\n`,
      );
    }
    return inUse.size > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`key rotation failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

void main().then((code) => process.exit(code));
