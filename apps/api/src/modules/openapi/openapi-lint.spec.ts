import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateOpenApiDocument } from './offline-document';

const ROOT = resolve(__dirname, '../../../../..');
const SPECTRAL = join(ROOT, 'node_modules/.bin/spectral');

interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

/** Spectral's `spectral:oas` and the OWASP API Security Top 10 ruleset, as configured in .spectral.yaml (docs/architecture.md, "Code checks"). */
async function lint(document: Record<string, unknown>): Promise<SpectralResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'retract-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    const output = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify(document));
    // Exit code 1 means "errors found": the results file says which.
    await promisify(execFile)(SPECTRAL, ['lint', file, '--ruleset', join(ROOT, '.spectral.yaml'), '--format', 'json', '--output', output, '--quiet'], {
      cwd: ROOT,
    }).catch((error: { code?: number }) => {
      if (error.code !== 1) throw error;
    });
    return JSON.parse(readFileSync(output, 'utf8')) as SpectralResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the OpenAPI document against spectral:oas and the OWASP API Security Top 10 ruleset', () => {
  let document: Record<string, unknown>;
  let results: SpectralResult[];

  beforeAll(async () => {
    document = await generateOpenApiDocument();
    results = await lint(document);
  }, 60_000);

  it('has no errors', () => {
    const errors = results.filter((result) => result.severity === 0).map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`);
    expect(errors).toEqual([]);
  });

  it('is really linted: a string without maxLength is an error', async () => {
    const paths = document.paths as Record<string, Record<string, { parameters: { schema: Record<string, unknown> }[] }>>;
    const broken = structuredClone(paths);
    const parameter = broken['/api/v1/users'].get.parameters.find((p) => (p as unknown as { name: string }).name === 'q')!;
    delete parameter.schema.maxLength;
    const codes = (await lint({ ...document, paths: broken })).filter((result) => result.severity === 0).map((result) => result.code);
    expect(codes).toEqual(['owasp:api4:2023-string-limit']);
  }, 60_000);
});
