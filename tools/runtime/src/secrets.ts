import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LocalSecrets {
  JWT_SECRET: string;
  AUDIT_KEK: string;
  /** The id of AUDIT_KEK once `npm run keys -- rotate` replaced the generated one (docs/keys.md); local-1 until then. */
  AUDIT_KEK_ID?: string;
  APP_DB_PASSWORD: string;
  EMBEDDED_PG_PASSWORD: string;
}

/**
 * Development secrets, generated once per checkout into .data/ (git-ignored, mode 0600).
 * Production supplies every one of them through the environment instead.
 */
export function loadOrCreateLocalSecrets(file: string): LocalSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    AUDIT_KEK: randomBytes(32).toString('base64'),
    APP_DB_PASSWORD: randomBytes(24).toString('base64url'),
    EMBEDDED_PG_PASSWORD: randomBytes(24).toString('base64url'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
