import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { withForwardedFor } from './forwarded-for';

describe('withForwardedFor', () => {
  it('starts the list with the connecting address when the request brought none', () => {
    expect(withForwardedFor(undefined, '192.0.2.7')).toBe('192.0.2.7');
    expect(withForwardedFor('', '::ffff:192.0.2.7')).toBe('::ffff:192.0.2.7');
  });

  it('appends the connecting address after whatever the client or earlier proxies said', () => {
    expect(withForwardedFor('203.0.113.1', '192.0.2.7')).toBe('203.0.113.1, 192.0.2.7');
    expect(withForwardedFor(['203.0.113.1', '198.51.100.2'], '192.0.2.7')).toBe('203.0.113.1, 198.51.100.2, 192.0.2.7');
  });

  it('always ends with the connecting address, whatever the browser sent, so one trusted hop reads the real peer', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), fc.ipV4(), (received, peer) => {
        const list = withForwardedFor(received, peer)
          .split(',')
          .map((entry) => entry.trim());
        expect(list[list.length - 1]).toBe(peer);
      }),
    );
  });

  it("never lets the browser's last claim stand when the socket has no address", () => {
    expect(withForwardedFor('203.0.113.1', undefined)).toBe('203.0.113.1, unknown');
  });
});
