import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { dropDatabase, withDatabase } from '../../tools/runtime/src/database';
import type { Managed } from '../../tools/runtime/src/processes';
import { freePort } from '../../tools/runtime/src/ports';
import { prepareDatabase, productionApiEnv, startApi, stopProcess, waitForHttp, type PreparedDatabase } from '../../tools/runtime/src/stack';

/**
 * The product as `npm start` runs it (tools/runtime/src/stack.ts): a database migrated by the
 * owner role, the API as its own process connected as the least-privilege app role. Each scenario
 * gets a throwaway database on the DATABASE_URL server (`npm run test:reliability` provides one).
 */
export interface Product {
  readonly base: URL;
  readonly database: PreparedDatabase;
  readonly platformToken: string;
  /** The API process now running. */
  readonly api: Managed;
  /** Starts the API (again) and waits until /readyz answers 200; resolves the seconds that took. */
  start(): Promise<number>;
  /** Sends `signal` to the API process itself (not a graceful stop) and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the API and drops the database. */
  dispose(): Promise<void>;
}

export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the scenarios with `npm run test:reliability` (it provides a PostgreSQL server)');
  return url;
}

/** `onServer`: the PostgreSQL server to create the database on (a scenario's own, e.g. one it restarts); DATABASE_URL's by default. */
export async function startProduct(scenario: string, apiSettings: Record<string, string> = {}, onServer: string = serverUrl()): Promise<Product> {
  // The runner's RELIABILITY_RUN in the name lets it find a database a scenario left behind.
  const name = `retract_reliability_${process.env.RELIABILITY_RUN ?? 'manual'}_${scenario}_${randomBytes(3).toString('hex')}`;
  const database = await prepareDatabase({
    databaseUrl: withDatabase(onServer, name),
    database: name,
    secrets: { APP_DB_PASSWORD: randomBytes(18).toString('base64url'), EMBEDDED_PG_PASSWORD: '' },
    log: () => undefined,
  }).catch(async (error: unknown) => {
    // Created but not migrated (a migration failed): the scenario never gets a product to dispose of.
    await dropDatabase(withDatabase(onServer, name)).catch(() => undefined);
    throw error;
  });
  const port = await freePort();
  const platformToken = randomBytes(32).toString('base64url');
  const env = productionApiEnv(database.appUrl, port, { PLATFORM_TOKEN: platformToken, ...apiSettings });
  const base = new URL(`http://127.0.0.1:${port}`);
  let api: Managed | undefined;
  const product: Product = {
    base,
    database,
    platformToken,
    get api() {
      if (!api) throw new Error('the API is not started');
      return api;
    },
    async start() {
      const started = performance.now();
      const current = startApi(env);
      api = current;
      await waitForHttp(new URL('/readyz', base).toString(), 90_000, () => current.child.exitCode === null && current.child.signalCode === null);
      // waitForHttp accepts any answer below 500; ready means 200.
      const ready = await fetch(new URL('/readyz', base));
      if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}`);
      return (performance.now() - started) / 1000;
    },
    async kill(signal = 'SIGKILL') {
      const current = product.api;
      current.child.kill(signal);
      await current.exited;
    },
    async dispose() {
      if (api) await stopProcess(api);
      if (process.env.KEEP_TEST_DATABASE !== 'true') await dropDatabase(database.ownerUrl).catch(() => undefined);
    },
  };
  try {
    await product.start();
  } catch (error) {
    await product.dispose();
    throw error;
  }
  return product;
}
