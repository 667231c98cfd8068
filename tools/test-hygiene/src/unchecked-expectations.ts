import ts from 'typescript';

/**
 * Assertions that cannot fail: `expect(x)` with no matcher, a matcher named but not called
 * (`.resolves.not.toThrow`), and an asynchronous assertion nobody awaits (`.resolves`/`.rejects`,
 * `expect.poll`, Playwright's web-first matchers), which settles after the test has passed.
 */

export interface UncheckedExpectation {
  line: number;
  text: string;
  problem: 'no matcher' | 'matcher not called' | 'not awaited';
}

/** Playwright matchers that retry until a timeout and return a promise. */
const PLAYWRIGHT_ASYNC_MATCHERS = new Set([
  'toBeAttached',
  'toBeChecked',
  'toBeDisabled',
  'toBeEditable',
  'toBeEmpty',
  'toBeEnabled',
  'toBeFocused',
  'toBeHidden',
  'toBeInViewport',
  'toBeVisible',
  'toBeOK',
  'toContainClass',
  'toContainText',
  'toHaveAccessibleDescription',
  'toHaveAccessibleErrorMessage',
  'toHaveAccessibleName',
  'toHaveAttribute',
  'toHaveClass',
  'toHaveCount',
  'toHaveCSS',
  'toHaveId',
  'toHaveJSProperty',
  'toHaveRole',
  'toHaveScreenshot',
  'toHaveText',
  'toHaveTitle',
  'toHaveURL',
  'toHaveValue',
  'toHaveValues',
  'toMatchAriaSnapshot',
  'toPass',
]);

const unwrap = (node: ts.Node): ts.Node => (ts.isParenthesizedExpression(node.parent) ? unwrap(node.parent) : node);

/** `expect(…)`, `expect.soft(…)` or `expect.poll(…)`: the call a matcher chain hangs from. */
function expectCallKind(node: ts.CallExpression): 'plain' | 'poll' | undefined {
  const callee = node.expression;
  if (ts.isIdentifier(callee) && callee.text === 'expect') return 'plain';
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'expect') {
    if (callee.name.text === 'soft') return 'plain';
    if (callee.name.text === 'poll') return 'poll';
  }
  return undefined;
}

function isAwaited(call: ts.Node): boolean {
  const parent = unwrap(call).parent;
  return ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === unwrap(call));
}

export function findUncheckedExpectations(source: string, fileName = 'spec.ts'): UncheckedExpectation[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const playwright = /from ['"]@playwright\/test['"]/.test(source);
  const found: UncheckedExpectation[] = [];
  const report = (node: ts.Node, problem: UncheckedExpectation['problem']) =>
    found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: node.getText(file).split('\n')[0].slice(0, 120), problem });

  const visit = (node: ts.Node) => {
    const kind = ts.isCallExpression(node) ? expectCallKind(node) : undefined;
    if (kind) {
      let chain: ts.Node = node;
      const names: string[] = [];
      while (ts.isPropertyAccessExpression(chain.parent) && chain.parent.expression === chain) {
        chain = chain.parent;
        names.push((chain as ts.PropertyAccessExpression).name.text);
      }
      const matcher = names.at(-1);
      if (!matcher) report(node, 'no matcher');
      else if (!(ts.isCallExpression(chain.parent) && chain.parent.expression === chain)) report(chain, 'matcher not called');
      else {
        const asynchronous =
          kind === 'poll' || names.includes('resolves') || names.includes('rejects') || (playwright && PLAYWRIGHT_ASYNC_MATCHERS.has(matcher));
        if (asynchronous && !isAwaited(chain.parent)) report(chain.parent, 'not awaited');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
