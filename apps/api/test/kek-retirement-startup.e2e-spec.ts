import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort } from '../../../tools/runtime/src/ports';
import { API_PROCESS_ARGS, API_ROOT, apiProcessEnv } from './fixtures/api-process';
import { requireEnv } from './test-app';

/** Starts the API as `npm start` does and waits for it to end (it must not come to serve). */
function startApi(port: number, env: Record<string, string>) {
  return spawnSync(process.execPath, API_PROCESS_ARGS, { cwd: API_ROOT, env: apiProcessEnv(port, env), encoding: 'utf8', timeout: 90_000 });
}

/** docs/keys.md, "Rotation": a KEK that a rotation retired was to be destroyed, never used for new wraps again. */
describe('an API configured with a retired key-encryption key', () => {
  it('refuses to start, saying which KEK was retired and what replaced it', async () => {
    const retired = `retired-${randomBytes(4).toString('hex')}`;
    const owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    await owner.connect();
    try {
      await owner.query('INSERT INTO kek_retirements (kek_id, replaced_by) VALUES ($1, $2)', [retired, 'local-1']);
    } finally {
      await owner.end();
    }
    const run = startApi(await freePort(), { AUDIT_KEK_ID: retired, AUDIT_KEKS: '' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`retract-api: AUDIT_KEK_ID: the key-encryption key "${retired}" was retired`);
    expect(lines[0]).toContain('replaced by "local-1"');
  });
});
