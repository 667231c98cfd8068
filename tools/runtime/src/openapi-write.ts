import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateOpenApiDocument } from '../../../apps/api/src/modules/openapi/offline-document';
import { ROOT } from './stack';

/** `npm run openapi:lint` step one: writes the API's OpenAPI document (no database needed) to the given file. */
async function main(): Promise<void> {
  const target = resolve(ROOT, process.argv[2] ?? 'tmp/openapi.json');
  const document = await generateOpenApiDocument();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`OpenAPI document written to ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi-write: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
