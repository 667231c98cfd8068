import { createConnection } from './config/database-check';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './http-server';

async function main(): Promise<void> {
  const config = loadConfig();
  await createConnection(config.APP_DATABASE_URL, config.AUDIT_KEK_ID);
  const app = await createApp(config);
  await app.listen({ port: config.API_PORT, host: config.API_HOST });
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || (error as { startup?: boolean })?.startup ? (error as Error).message : String((error as Error)?.stack ?? error);
  process.stderr.write(`retract-api: ${message}\n`);
  process.exit(1);
});
