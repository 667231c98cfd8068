import type { RotationCounts } from '../../../apps/api/src/modules/audit/key-rotation';
import { rotationProgressPrinter } from './rotation-progress';

const zero: RotationCounts = { dataKeys: 0, signingKeys: 0, webhookSecrets: 0, ssoClientSecrets: 0, messageKeys: 0, messagesSealed: 0 };

describe('rotation progress (docs/keys.md, "Rotation")', () => {
  it('prints, off a terminal, every organisation once done with its counts, not only the first one at zeros', () => {
    const lines: string[] = [];
    const print = rotationProgressPrinter(
      (text) => lines.push(text),
      false,
      () => 0,
    );
    for (const tenant of [1, 2, 3]) {
      print({ tenant, tenants: 3, tenantId: `t${tenant}`, counts: zero, done: false });
      print({ tenant, tenants: 3, tenantId: `t${tenant}`, counts: { ...zero, dataKeys: tenant }, done: false });
      print({ tenant, tenants: 3, tenantId: `t${tenant}`, counts: { ...zero, dataKeys: tenant, messageKeys: 10 * tenant }, done: true });
    }
    expect(lines).toEqual(
      [1, 2, 3].map((n) =>
        expect.stringMatching(
          new RegExp(`^organisation ${n}/3 \\(t${n}\\): ${n} data keys, .* ${10 * n} message keys re-wrapped; 0 messages sealed \\(done\\)\\n$`),
        ),
      ),
    );
  });

  it('prints a line a second within a long organisation', () => {
    const lines: string[] = [];
    let clock = 0;
    const print = rotationProgressPrinter(
      (text) => lines.push(text),
      false,
      () => clock,
    );
    for (let batch = 1; batch <= 30; batch++) {
      clock += 100;
      print({ tenant: 1, tenants: 1, tenantId: 't', counts: { ...zero, messageKeys: batch * 500 }, done: false });
    }
    expect(lines.map((line) => /(\d+) message keys/.exec(line)?.[1])).toEqual(['5000', '10000', '15000']);
  });

  it('updates one line on a terminal', () => {
    const written: string[] = [];
    const print = rotationProgressPrinter(
      (text) => written.push(text),
      true,
      () => 0,
    );
    print({ tenant: 1, tenants: 2, tenantId: 't', counts: zero, done: false });
    print({ tenant: 1, tenants: 2, tenantId: 't', counts: zero, done: true });
    expect(written.every((text) => text.startsWith('\r') && !text.includes('\n'))).toBe(true);
  });
});
