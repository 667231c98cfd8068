import { defineConfig } from 'prisma/config';

// Only `prisma generate` runs here; migrations are SQL applied with dbmate (see docs/architecture.md).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/retract' },
});
