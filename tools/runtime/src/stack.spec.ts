import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleBuildInputs } from './stack';

describe('console build inputs', () => {
  let dir: string;
  const write = (path: string, content: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const digest = (env: NodeJS.ProcessEnv = {}) => consoleBuildInputs(env, [dir]);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'retract-console-inputs-'));
    write('src/app/page.tsx', 'export default function Page() { return null; }\n');
    write('src/lib/params.spec.ts', "it('reads', () => undefined);\n");
    write('e2e/login.e2e.ts', "test('logs in', () => undefined);\n");
    write('next-env.d.ts', 'import "./.next/types/routes.d.ts";\n');
    write('.next/BUILD_ID', 'a\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stays the same when only file times, generated files, builds or tests change', () => {
    const before = digest();
    const later = new Date(Date.now() + 60_000);
    for (const path of ['src/app/page.tsx', 'next-env.d.ts']) utimesSync(join(dir, path), later, later);
    write('next-env.d.ts', 'import "./.next-test/types/routes.d.ts";\n');
    write('.next-test/BUILD_ID', 'b\n');
    write('src/lib/params.spec.ts', "it('reads again', () => undefined);\n");
    write('e2e/login.e2e.ts', "test('logs in again', () => undefined);\n");
    write('test-results/screenshot.png', 'png');
    expect(digest()).toBe(before);
  });

  it('changes with the contents of a source, a new source, a renamed one, or a NEXT_PUBLIC_ variable', () => {
    const before = digest();
    write('src/app/page.tsx', 'export default function Page() { return 1; }\n');
    const edited = digest();
    expect(edited).not.toBe(before);
    write('src/app/layout.tsx', 'export default function Layout() { return null; }\n');
    const added = digest();
    expect(added).not.toBe(edited);
    rmSync(join(dir, 'src/app/layout.tsx'));
    write('src/app/template.tsx', 'export default function Layout() { return null; }\n');
    expect(digest()).not.toBe(added);
    expect(digest({ NEXT_PUBLIC_SUPPORT_URL: 'https://example.test' })).not.toBe(digest());
  });
});
