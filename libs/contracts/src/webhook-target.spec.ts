import fc from 'fast-check';
import { checkWebhookTarget, describeWebhookTargetRefusal, parseWebhookAllowList, type WebhookAllowEntry, type WebhookTargetRules } from './webhook-target';

const allowList = (text: string): WebhookAllowEntry[] => {
  const parsed = parseWebhookAllowList(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.entries;
};
const production = (list = ''): WebhookTargetRules => ({ httpsRequired: true, allowList: allowList(list) });
const development = (list = ''): WebhookTargetRules => ({ httpsRequired: false, allowList: allowList(list) });
const check = (url: string, resolved: string[], rules: WebhookTargetRules) => checkWebhookTarget(new URL(url), resolved, rules);

const PUBLIC = ['93.184.215.14', '8.8.4.4', '2606:4700::6810:84e5', '2a00:1450:4001:81c::200e'];
const BLOCKED = ['127.0.0.1', '10.0.0.5', '169.254.169.254', '100.64.0.1', '::1', 'fd00::1', '::ffff:7f00:1', '0.0.0.0', 'fe80::1%eth0', '64:ff9b::a00:1'];

describe('webhook targets (docs/architecture.md, "Webhook targets")', () => {
  it.each([
    ['http://127.0.0.1/', 'must not be a loopback address'],
    ['http://[::1]/', 'must not be a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'must not be a loopback address'],
    ['http://169.254.169.254/latest/meta-data', 'must not be a link-local address'],
    ['http://10.0.0.1/', 'must not be a private address'],
    ['http://100.64.0.1/', 'must not be a carrier-grade NAT (shared) address'],
    ['http://[fd00::1]/', 'must not be a unique local (private) IPv6 address'],
    ['http://0.0.0.0/', 'must not be an unspecified address'],
    ['http://2130706433/', 'must not be a loopback address'],
    ['https://0x7f.1:8443/', 'must not be a loopback address'],
  ])('refuses %s whatever the environment: %s', (url, message) => {
    for (const rules of [production(), development()]) {
      const result = check(url, [], rules);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(describeWebhookTargetRefusal(result.refusal)).toBe(message);
    }
  });

  it('refuses a host name when any address it resolves to is not public, without naming the address', () => {
    fc.assert(
      fc.property(fc.subarray(PUBLIC), fc.constantFrom(...BLOCKED), fc.nat(), (publics, blocked, at) => {
        const resolved = [...publics];
        resolved.splice(at % (resolved.length + 1), 0, blocked);
        const result = check('https://hooks.example.com/retract', resolved, production());
        expect(result).toEqual({ ok: false, refusal: expect.objectContaining({ reason: 'address', literal: false }) });
        if (!result.ok) {
          const message = describeWebhookTargetRefusal(result.refusal);
          expect(message).toBe('names a host that resolves to a non-public address');
          for (const address of resolved) expect(message).not.toContain(address);
        }
      }),
    );
  });

  it('accepts a host whose addresses are all public, and hands back exactly those addresses to connect to', () => {
    fc.assert(
      fc.property(fc.subarray(PUBLIC, { minLength: 1 }), (resolved) => {
        expect(check('https://hooks.example.com/retract', resolved, production())).toEqual({ ok: true, addresses: resolved });
      }),
    );
    expect(check('https://93.184.215.14/x', ['127.0.0.1'], production())).toEqual({ ok: true, addresses: ['93.184.215.14'] });
  });

  it('refuses a host that does not resolve, credentials in the URL and other schemes', () => {
    expect(check('https://nowhere.example.com/', [], production())).toEqual({ ok: false, refusal: { reason: 'unresolvable' } });
    expect(check('https://user:pw@hooks.example.com/', PUBLIC, production())).toEqual({ ok: false, refusal: { reason: 'credentials' } });
    expect(check('ftp://hooks.example.com/', PUBLIC, development())).toEqual({ ok: false, refusal: { reason: 'scheme' } });
  });

  it('requires https in production, except for an allow-listed receiver', () => {
    expect(check('http://hooks.example.com/', PUBLIC, production())).toEqual({ ok: false, refusal: { reason: 'https-required' } });
    expect(check('http://hooks.example.com/', PUBLIC, development()).ok).toBe(true);
    expect(check('http://hooks.corp.internal/', ['10.20.1.2'], production('hooks.corp.internal')).ok).toBe(true);
    expect(check('http://10.20.1.2:8080/', [], production('10.20.0.0/16')).ok).toBe(true);
    // A public host is not "on the allow-list" because one of its addresses happens to be in a listed range.
    expect(check('http://mixed.example.com/', ['10.20.1.2', PUBLIC[0]], production('10.20.0.0/16'))).toEqual({
      ok: false,
      refusal: { reason: 'https-required' },
    });
  });

  it('lets an allow-listed host reach internal addresses, and only that host on that port', () => {
    const rules = production('hooks.corp.internal 127.0.0.1:9000, [::1]:9443');
    expect(check('https://hooks.corp.internal/', ['10.1.2.3'], rules)).toEqual({ ok: true, addresses: ['10.1.2.3'] });
    expect(check('https://HOOKS.corp.internal:8443/', ['10.1.2.3'], rules).ok).toBe(true);
    expect(check('https://other.corp.internal/', ['10.1.2.3'], rules).ok).toBe(false);
    expect(check('http://127.0.0.1:9000/x', [], rules).ok).toBe(true);
    expect(check('http://127.0.0.1:9001/x', [], rules).ok).toBe(false);
    expect(check('http://127.0.0.1/x', [], rules).ok).toBe(false);
    expect(check('http://2130706433:9000/x', [], rules).ok).toBe(true); // the same address, spelled oddly
    expect(check('http://localhost:9000/x', ['127.0.0.1'], rules).ok).toBe(false); // a name is not its address
    expect(check('https://[::1]:9443/', [], rules).ok).toBe(true);
    expect(check('https://[0:0::1]:9443/', [], rules).ok).toBe(true);
  });

  it('lets addresses inside an allow-listed range through, and no others', () => {
    const rules = production('10.20.0.0/16, fd00:1::/64');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (low) => {
        const address = `10.20.${low >> 8}.${low & 0xff}`;
        expect(check('https://hooks.example.com/', [address, PUBLIC[0]], rules).ok).toBe(true);
        expect(check(`http://${address}/`, [], rules).ok).toBe(true);
        expect(check(`https://[fd00:1::${low.toString(16)}]/`, [], rules).ok).toBe(true);
        expect(check('https://hooks.example.com/', [address, '10.21.0.1'], rules).ok).toBe(false);
      }),
    );
  });

  it('reads WEBHOOK_ALLOWED_TARGETS and refuses entries that would be a blanket bypass', () => {
    expect(parseWebhookAllowList('')).toEqual({ ok: true, entries: [] });
    expect(allowList(' Hooks.Corp.Internal:8443,127.0.0.1 ::1 [fd00::1]:9000 0x7f.1:80 10.0.0.0/8')).toEqual([
      { kind: 'host', hostname: 'hooks.corp.internal', port: 8443 },
      { kind: 'host', hostname: '127.0.0.1', port: null },
      { kind: 'host', hostname: '[::1]', port: null },
      { kind: 'host', hostname: '[fd00::1]', port: 9000 },
      { kind: 'host', hostname: '127.0.0.1', port: 80 },
      { kind: 'range', range: { version: 4, network: 10n << 24n, prefix: 8 } },
    ]);
    for (const entry of [
      '0.0.0.0/0',
      '::/0',
      '0.0.0.0/1',
      '10.1.2.3/8',
      '10.0.0.0/33',
      '*',
      '*.corp.internal',
      'host:0',
      'host:65536',
      'user@host',
      'host/path',
      'host#x',
      'a:b:c',
    ]) {
      expect([entry, parseWebhookAllowList(entry).ok]).toEqual([entry, false]);
    }
  });
});
