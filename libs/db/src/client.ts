import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Db = InstanceType<typeof PrismaClient>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface DbOptions {
  connectionString: string;
  maxConnections?: number;
  applicationName?: string;
}

export function createDb({ connectionString, maxConnections = 10, applicationName = 'retract' }: DbOptions): Db {
  const adapter = new PrismaPg({ connectionString, max: maxConnections, application_name: applicationName });
  return new PrismaClient({ adapter });
}
