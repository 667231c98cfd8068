import { Prisma, type Db } from '@retract/db';
import { ownerDb } from './test-app';

/**
 * The SQL migrations are the schema of record; the Prisma schema describes them for the typed client.
 * Selecting every scalar field of every model against the migrated database fails on any drift.
 */
describe('Prisma schema matches the migrations', () => {
  let db: Db;
  beforeAll(() => {
    db = ownerDb();
  });
  afterAll(() => db.$disconnect());

  it.each(Object.values(Prisma.ModelName))('selects every field of %s', async (model) => {
    const fields = (Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`];
    const select = Object.fromEntries(Object.keys(fields).map((field) => [field, true]));
    const delegate = (db as unknown as Record<string, { findFirst: (args: unknown) => Promise<unknown> }>)[model[0].toLowerCase() + model.slice(1)];
    // A missing or renamed column rejects; findFirst resolves to a row or null, never undefined.
    await expect(delegate.findFirst({ select })).resolves.not.toBeUndefined();
  });
});
