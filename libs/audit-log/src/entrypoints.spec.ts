import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as browser from './browser';
import * as node from './index';
import { buildSyntheticExport } from './testing/synthetic-export';

describe('entry points', () => {
  it('export the same API from index.ts (node:crypto) and browser.ts (pure JS)', () => {
    const nodeNames = Object.keys(node)
      .filter((name) => name !== 'nodeCryptoHasher')
      .sort();
    expect(Object.keys(browser).sort()).toEqual(nodeNames);
  });

  it('compute the same results', async () => {
    const leaves = ['a', 'b', 'c', 'd', 'e'].map((s) => new TextEncoder().encode(s));
    const nodeHashes = leaves.map(node.hashLeaf);
    expect(leaves.map(browser.hashLeaf)).toEqual(nodeHashes);
    expect(browser.rootFromLeafHashes(nodeHashes)).toEqual(node.rootFromLeafHashes(nodeHashes));
    const proof = node.inclusionProofFromLeafHashes(nodeHashes, 3);
    expect(browser.verifyInclusion({ leafHash: nodeHashes[3], leafIndex: 3, treeSize: 5, proof, rootHash: node.rootFromLeafHashes(nodeHashes) })).toBe(true);

    const exported = buildSyntheticExport({ entries: 20, checkpointEvery: 8 });
    const [fromNode, fromBrowser] = await Promise.all([node.verifyExport(exported.lines), browser.verifyExport(exported.lines)]);
    expect(fromBrowser).toEqual(fromNode);
    expect(fromBrowser.ok).toBe(true);
  });

  // A bundler follows the same static imports; none of them may reach a Node built-in.
  it('keep Node built-ins out of everything browser.ts imports', () => {
    const builtins = new Set(builtinModules);
    const visited = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string) => {
      if (visited.has(file)) return;
      visited.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
        if (specifier.startsWith('.')) visit(join(dirname(file), `${specifier}.ts`));
        else if (specifier.startsWith('node:') || builtins.has(specifier)) offending.push(`${file}: ${specifier}`);
      }
    };
    visit(join(__dirname, 'browser.ts'));
    expect(visited.size).toBeGreaterThan(10);
    expect([...visited].some((file) => file.endsWith('hash-node.ts'))).toBe(false);
    expect(offending).toEqual([]);
  });
});
