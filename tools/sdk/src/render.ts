import { renderSdkFiles } from './sdk-types';

/**
 * The SDK files rendered from the OpenAPI document read on stdin, written to stdout as JSON keyed by
 * path. The drift test runs it in its own Node process: openapi-typescript loads ESM-only modules
 * that Jest's CommonJS runtime cannot require.
 */
async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const document = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  process.stdout.write(JSON.stringify(await renderSdkFiles(document)));
}

main().catch((error: unknown) => {
  process.stderr.write(`sdk render: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
