import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localAppDatabase, secretsAfterRetirement } from './local-app-url';

/** Commands run beside `npm start` (npm run keys, npm run tenant) find its database as it does (docs/keys.md). */
describe('the database of a running npm start', () => {
  const secrets = { APP_DB_PASSWORD: 'app pass/word', AUDIT_KEK: 'old', JWT_SECRET: 'j', EMBEDDED_PG_PASSWORD: 'e' };
  const noEmbedded = mkdtempSync(join(tmpdir(), 'retract-no-pg-'));

  it('takes APP_DATABASE_URL as given', () => {
    expect(localAppDatabase({ APP_DATABASE_URL: 'postgres://x@h/d', DATABASE_URL: 'postgres://o@h/d' }, secrets, noEmbedded)?.url).toBe('postgres://x@h/d');
  });

  it("with DATABASE_URL, connects to that server's database as retract_app with the password npm start gave the role", () => {
    const found = localAppDatabase({ DATABASE_URL: 'postgres://postgres@db.internal:5433/retract_dev?sslmode=disable' }, secrets, noEmbedded);
    expect(found?.url).toBe('postgres://retract_app:app%20pass%2Fword@db.internal:5433/retract_dev');
    expect(localAppDatabase({ DATABASE_URL: 'postgres://postgres@db/x', APP_DB_PASSWORD: 'given' }, secrets, noEmbedded)?.url).toBe(
      'postgres://retract_app:given@db/x',
    );
  });

  it('without DATABASE_URL, reaches the embedded PostgreSQL on the port it runs on, else EMBEDDED_PG_PORT, else 54329', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'retract-pg-')), 'postgres');
    mkdirSync(dataDir);
    expect(localAppDatabase({}, secrets, dataDir)?.url).toBe('postgresql://retract_app:app%20pass%2Fword@127.0.0.1:54329/retract');
    expect(localAppDatabase({ EMBEDDED_PG_PORT: '6000' }, secrets, dataDir)?.url).toMatch(/@127\.0\.0\.1:6000\/retract$/);
    writeFileSync(join(dataDir, 'postmaster.pid'), `4242\n${dataDir}\n1767225600\n55001\n/tmp\n127.0.0.1\n`);
    expect(localAppDatabase({}, secrets, dataDir)).toEqual({
      url: expect.stringMatching(/@127\.0\.0\.1:55001\/retract$/),
      source: expect.stringMatching(/port 55001/),
    });
  });

  it('finds nothing without a password for the role', () => {
    expect(localAppDatabase({ DATABASE_URL: 'postgres://postgres@db/x' }, {}, noEmbedded)).toBeUndefined();
  });

  it('replaces a retired KEK in .data/secrets.json by the active one and its id, and leaves any other file alone', () => {
    const old = Buffer.alloc(32, 1).toString('base64');
    const file = { ...secrets, AUDIT_KEK: old };
    expect(secretsAfterRetirement(file, [Buffer.alloc(32, 1).toString('base64url')], { id: '2027-01', material: 'new' })).toEqual({
      ...file,
      AUDIT_KEK: 'new',
      AUDIT_KEK_ID: '2027-01',
    });
    expect(secretsAfterRetirement(file, [Buffer.alloc(32, 2).toString('base64')], { id: '2027-01', material: 'new' })).toBeUndefined();
  });
});
