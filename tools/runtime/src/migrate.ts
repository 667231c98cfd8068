import { migrate } from './database';

// Applies the SQL migrations to DATABASE_URL (run as the owner role, not the API's role).
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is required (an owner connection string)\n');
  process.exit(2);
}
try {
  migrate(url);
  process.stdout.write('migrations applied\n');
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
