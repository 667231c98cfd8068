import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Db = InstanceType<typeof PrismaClient>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface DbOptions {
  connectionString: string;
  maxConnections?: number;
  applicationName?: string;
  /** Longest wait for a connection (a free one from the pool, or a new one); then the query fails as unavailable. */
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Settings both pools share: a bounded wait for a connection, and TCP keepalive so a vanished server is noticed. */
export function connectionSettings(connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS) {
  return { connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
}

export function createDb({ connectionString, maxConnections = 10, applicationName = 'retract', connectTimeoutMs }: DbOptions): Db {
  const adapter = new PrismaPg({ connectionString, max: maxConnections, application_name: applicationName, ...connectionSettings(connectTimeoutMs) });
  return new PrismaClient({ adapter });
}
