import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TestApp } from '../../../apps/api/test/test-app';
import { startLiveApi } from './live-api';

const ROOT = resolve(__dirname, '../../..');
/** Rendering a document takes seconds: a Node start plus openapi-typescript over every route. */
const RENDER_TIMEOUT_MS = 60_000;

/** The SDK files rendered in a Node process of their own, as `npm run sdk:generate` renders them (render.ts says why). */
function renderSdkFiles(document: Record<string, unknown>): Promise<Record<string, string>> {
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'render.ts')],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout) as Record<string, string>)),
    );
    child.stdin?.end(JSON.stringify(document));
  });
}

describe('the committed SDK types', () => {
  let test: TestApp;
  let document: Record<string, unknown>;
  let files: Record<string, string>;

  beforeAll(async () => {
    const live = await startLiveApi();
    test = live.test;
    const response = await fetch(`${live.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Record<string, unknown>;
    files = await renderSdkFiles(document);
  }, RENDER_TIMEOUT_MS);
  afterAll(() => test?.close());

  it('are what `npm run sdk:generate` makes of the document the running API serves', () => {
    expect(Object.keys(files).length).toBe(2);
    for (const [file, fresh] of Object.entries(files)) {
      // On failure: run `npm run sdk:generate` and commit the result with the API change.
      expect({ file: relative(process.cwd(), file), content: readFileSync(file, 'utf8') }).toEqual({ file: relative(process.cwd(), file), content: fresh });
    }
  });

  it(
    'differ once the document gains an operation (the comparison sees a change)',
    async () => {
      const paths = {
        ...(document.paths as Record<string, unknown>),
        '/api/v1/drift-probe': { get: { operationId: 'driftProbe', responses: { 204: { description: 'none' } } } },
      };
      const probed = await renderSdkFiles({ ...document, paths });
      const changed = Object.entries(probed).filter(([file, content]) => readFileSync(file, 'utf8') !== content);
      expect(changed.length).toBeGreaterThan(0);
    },
    RENDER_TIMEOUT_MS,
  );

  it('include the integration operations, and the client sets an Idempotency-Key on recording a recall', () => {
    const [types, keyed] = Object.values(files) as [string, string];
    for (const path of ['/api/v1/recall-decisions', '/api/v1/recalls', '/api/v1/service-accounts', '/api/v1/directory/people/{source}/{externalId}']) {
      expect(types).toContain(`'${path}': {`);
    }
    expect(keyed).toContain("{ method: 'POST', path: '/api/v1/recalls' }");
  });
});
