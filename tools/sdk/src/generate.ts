import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { generateOpenApiDocument } from '../../../apps/api/src/modules/openapi/offline-document';
import { renderSdkFiles } from './sdk-types';

/** `npm run sdk:generate`: the SDK's types from the API's OpenAPI document, built without a database. */
async function main(): Promise<void> {
  const files = await renderSdkFiles(await generateOpenApiDocument());
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    process.stdout.write(`wrote ${relative(process.cwd(), file)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sdk:generate: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
