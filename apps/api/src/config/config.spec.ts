import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://retract_app@127.0.0.1:5432/retract',
  JWT_SECRET: 'x'.repeat(40),
  AUDIT_KEK: Buffer.alloc(32, 7).toString('base64'),
};

describe('configuration', () => {
  it('fills defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ API_PORT: 3001, APP_DATABASE_URL: valid.DATABASE_URL, NODE_ENV: 'development', ACCESS_TOKEN_TTL_SECONDS: 1800 });
  });

  it('listens for notifications on the app connection unless LISTEN_DATABASE_URL names a direct one', () => {
    expect(loadConfig(valid).LISTEN_DATABASE_URL).toBe(valid.DATABASE_URL);
    const direct = 'postgres://retract_app@127.0.0.1:5432/retract';
    const pooled = { ...valid, APP_DATABASE_URL: 'postgres://retract_app@127.0.0.1:6432/retract', LISTEN_DATABASE_URL: direct };
    expect(loadConfig(pooled)).toMatchObject({ APP_DATABASE_URL: pooled.APP_DATABASE_URL, LISTEN_DATABASE_URL: direct });
    expect(() => loadConfig({ ...valid, LISTEN_DATABASE_URL: 'not a url' })).toThrow(/^invalid configuration: LISTEN_DATABASE_URL must be a postgres:/);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://nope' }, /^invalid configuration: DATABASE_URL must be a postgres:/],
    [{ DATABASE_URL: undefined }, /^invalid configuration: DATABASE_URL is required[^;]*$/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ AUDIT_KEK: 'abc' }, /AUDIT_KEK must be 32 bytes/],
    [{ API_PORT: '99999' }, /API_PORT/],
  ])('names the variable at fault: %o', (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(ConfigError);
    expect(() => loadConfig({ ...valid, ...override })).toThrow(message);
  });

  it('makes the API exit non-zero with one clear line for a bad or unreachable DATABASE_URL', () => {
    const root = join(__dirname, '..', '..', '..', '..');
    for (const [url, expected] of [
      ['not a url', /^retract-api: invalid configuration: DATABASE_URL must be a postgres:/],
      ['postgres://nobody@127.0.0.1:1/none', /^retract-api: DATABASE_URL: cannot connect to 127\.0\.0\.1:1\/none/],
    ] as const) {
      const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps/api/src/main.ts')], {
        cwd: root,
        env: { PATH: process.env.PATH, ...valid, DATABASE_URL: url, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr
        .trim()
        .split('\n')
        .filter((line) => !/Deprecation|trace-warnings/.test(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
    }
  });
});
