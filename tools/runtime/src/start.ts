import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_TENANTS, seedDemo } from '../../../prisma/seed/demo';
import { isEmpty } from './database';
import { demoLoginLines, passwordSignInOff } from './demo-logins';
import { loadOrCreateLocalSecrets } from './secrets';
import { onStopRequest, stopAllProcesses, type Managed } from './processes';
import { ROOT, buildConsole, consoleBuildIsCurrent, prepareDatabase, startApi, startConsole, waitForHttp } from './stack';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const startedAt = Date.now();
  const env = process.env;
  const production = env.NODE_ENV === 'production';
  const secrets = loadOrCreateLocalSecrets(join(ROOT, '.data', 'secrets.json'));
  // A rotation replaced the generated KEK in the file with the new one and its id (docs/keys.md, "Rotation"): the seed and the API use both.
  if (!env.AUDIT_KEK && !env.AUDIT_KEK_ID && secrets.AUDIT_KEK_ID) env.AUDIT_KEK_ID = secrets.AUDIT_KEK_ID;
  const apiPort = Number(env.API_PORT ?? 3001);
  const consolePort = Number(env.PORT ?? 3000);
  const children: Managed[] = [];
  let stopEmbedded: (() => Promise<void>) | undefined;
  let stopping = false;

  // The API and the console first (the API still uses the database), PostgreSQL last.
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await stopAllProcesses();
    if (stopEmbedded) await stopEmbedded().catch(() => undefined);
    process.exit(code);
  };
  // package.json runs us with `exec`, so a signal sent to npm's pid reaches us (a shell in between would keep it).
  onStopRequest(() => void shutdown(0));

  try {
    log(env.DATABASE_URL ? 'using the PostgreSQL server in DATABASE_URL' : 'starting embedded PostgreSQL (data in .data/postgres)...');
    const database = await prepareDatabase({
      databaseUrl: env.DATABASE_URL,
      appDatabaseUrl: env.APP_DATABASE_URL,
      database: 'retract',
      secrets: { APP_DB_PASSWORD: env.APP_DB_PASSWORD ?? secrets.APP_DB_PASSWORD, EMBEDDED_PG_PASSWORD: secrets.EMBEDDED_PG_PASSWORD },
      embeddedDataDir: join(ROOT, '.data', 'postgres'),
      embeddedPort: Number(env.EMBEDDED_PG_PORT ?? 54329),
      log,
    });
    stopEmbedded = database.embedded?.stop;
    log('migrations applied');

    if (!production && env.SEED_DEMO !== 'false' && (await isEmpty(database.appUrl))) {
      await seedDemo(database.appUrl, log, { auditKek: env.AUDIT_KEK ?? secrets.AUDIT_KEK });
    }

    const consoleOrigin = env.CONSOLE_ORIGIN ?? `http://localhost:${consolePort}`;
    const apiEnv = {
      ...env,
      APP_DATABASE_URL: database.appUrl,
      DATABASE_URL: undefined,
      API_PORT: String(apiPort),
      CONSOLE_ORIGIN: consoleOrigin,
      JWT_SECRET: env.JWT_SECRET ?? secrets.JWT_SECRET,
      AUDIT_KEK: env.AUDIT_KEK ?? secrets.AUDIT_KEK,
    };
    const api = startApi(apiEnv);
    children.push(api);
    const consoleEnv = { ...env, API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`, PORT: String(consolePort), DATABASE_URL: undefined };
    const consoleReady = (async () => {
      if (!consoleBuildIsCurrent(consoleEnv)) await buildConsole(consoleEnv, log);
      const web = startConsole(consoleEnv, consolePort);
      children.push(web);
      await waitForHttp(`http://127.0.0.1:${consolePort}/login`, 120_000, () => web.child.exitCode === null);
    })();
    await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`, 60_000, () => api.child.exitCode === null);
    await consoleReady;
    for (const child of children) void child.exited.then((code) => !stopping && (log(`${child.name} exited (${code}); stopping`), void shutdown(1)));

    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    log('');
    log(`Retract is running (ready in ${seconds} s)`);
    log(`  console   http://localhost:${consolePort}`);
    log(`  API       http://localhost:${apiPort}/api/v1/…  (docs http://localhost:${apiPort}/api/docs, OpenAPI http://localhost:${apiPort}/api/openapi.json)`);
    if (!production) {
      log('  demo logins (password: ' + DEMO_PASSWORD + ')');
      const passwordOff = await passwordSignInOff(
        database.appUrl,
        DEMO_TENANTS.map((tenant) => tenant.slug),
      ).catch(() => new Set<string>());
      for (const line of demoLoginLines(DEMO_TENANTS, passwordOff)) log(line);
    }
    log('  Ctrl-C stops everything');
  } catch (error) {
    process.stderr.write(`retract: ${(error as Error).message}\n`);
    await shutdown(1);
  }
}

void main();
