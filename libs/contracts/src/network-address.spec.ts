import fc from 'fast-check';
import { classifyIpAddress, inRange, parseIpAddress, parseIpRange, type AddressKind, type IpAddress } from './network-address';

const V4_MAX = 2n ** 32n - 1n;
const V6_MAX = 2n ** 128n - 1n;

const dotted = (value: bigint) => [24n, 16n, 8n, 0n].map((shift) => (value >> shift) & 0xffn).join('.');
const groupsOf = (value: bigint) => Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
const fullV6 = (value: bigint) =>
  groupsOf(value)
    .map((g) => g.toString(16).padStart(4, '0'))
    .join(':');
/** RFC 5952 shape: the longest run of two or more zero groups becomes `::`. */
function compressedV6(value: bigint): string {
  const groups = groupsOf(value).map((g) => g.toString(16));
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === '0') length++;
    if (length > best.length) best = { start, length };
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

const v4 = (value: bigint): IpAddress => ({ version: 4, value });
const v6 = (value: bigint): IpAddress => ({ version: 6, value });
const anyV4 = fc.bigInt({ min: 0n, max: V4_MAX });
const anyV6 = fc.bigInt({ min: 0n, max: V6_MAX });
const parsed = (text: string) => {
  const address = parseIpAddress(text);
  if (!address) throw new Error(`${text} did not parse`);
  return address;
};
const kindOf = (text: string) => classifyIpAddress(parsed(text));

/** Any address of a CIDR block. */
const inside = (cidr: string) => {
  const [address, prefix] = cidr.split('/');
  const { version, value } = parsed(address);
  const hostBits = BigInt((version === 4 ? 32 : 128) - Number(prefix));
  return fc.bigInt({ min: 0n, max: (1n << hostBits) - 1n }).map((offset): IpAddress => ({ version, value: value + offset }));
};

/** The blocks the issue names, with what they are; written out here independently of the implementation's table. */
const BLOCKED: [string, AddressKind | ((address: IpAddress) => AddressKind)][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', (address) => (address.value === V4_MAX ? 'broadcast' : 'reserved')],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'documentation'],
];

describe('IP address classification (docs/architecture.md, "Webhook targets")', () => {
  it.each(BLOCKED)('classifies every address of %s as not public, of the expected kind', (cidr, expected) => {
    fc.assert(
      fc.property(inside(cidr), (address) => {
        expect(classifyIpAddress(address)).toBe(typeof expected === 'function' ? expected(address) : expected);
      }),
    );
  });

  it('classifies an IPv4-mapped (::ffff:0:0/96) or NAT64 (64:ff9b::/96) address as the IPv4 address it carries', () => {
    fc.assert(
      fc.property(anyV4, (value) => {
        const own = classifyIpAddress(v4(value));
        expect(classifyIpAddress(v6(0xffff_0000_0000n | value))).toBe(own);
        expect(classifyIpAddress(v6((0x64ff9bn << 96n) | value))).toBe(own);
        expect(kindOf(`::ffff:${dotted(value)}`)).toBe(own);
        expect(kindOf(`[64:ff9b::${dotted(value)}]`)).toBe(own);
      }),
    );
  });

  it('refuses everything outside 2000::/3 (global unicast) that does not carry an IPv4 address', () => {
    const carriesV4 = (value: bigint) => value >> 32n === 0xffffn || value >> 32n === 0x64ff9b_0000_0000_0000_0000n;
    fc.assert(
      fc.property(
        anyV6.filter((value) => value >> 125n !== 1n && !carriesV4(value)),
        (value) => expect(classifyIpAddress(v6(value))).not.toBe('public'),
      ),
    );
  });

  it('calls well-known public addresses public, including the neighbours of blocked ranges', () => {
    for (const text of [
      '8.8.8.8',
      '1.1.1.1',
      '9.255.255.255',
      '11.0.0.0',
      '100.63.255.255',
      '100.128.0.0',
      '126.255.255.255',
      '128.0.0.0',
      '169.253.255.255',
      '169.255.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '192.167.255.255',
      '192.169.0.0',
      '198.17.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '2a00:1450:4001::1',
    ]) {
      expect([text, kindOf(text)]).toEqual([text, 'public']);
    }
    expect(kindOf('2002:7f00:1::')).toBe('reserved'); // 6to4 can carry any IPv4 address
    expect(kindOf('2001:0:4136:e378::1')).toBe('reserved'); // Teredo
    expect(kindOf('fe80::1%eth0')).toBe('link-local'); // DNS answers carry zone ids
  });

  it('reads every spelling of an IPv6 address alike: full, compressed, upper case, in brackets', () => {
    fc.assert(
      fc.property(anyV6, (value) => {
        for (const text of [fullV6(value), compressedV6(value), compressedV6(value).toUpperCase(), `[${compressedV6(value)}]`]) {
          expect(parseIpAddress(text)).toEqual(v6(value));
        }
      }),
    );
  });

  it('refuses text that is not an address', () => {
    for (const text of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '1.2.3.-4',
      '0x7f.0.0.1',
      '2130706433',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '::1.2.3',
      '1.2.3.4::',
      'g::1',
      '12345::',
      'localhost',
    ]) {
      expect([text, parseIpAddress(text)]).toEqual([text, undefined]);
    }
  });

  it('sees odd IPv4 spellings in URLs as the address they mean, because the WHATWG URL parser normalises them', () => {
    fc.assert(
      fc.property(anyV4, (value) => {
        for (const spelling of [value.toString(10), `0x${value.toString(16)}`, `0${value.toString(8)}`]) {
          expect(new URL(`http://${spelling}/`).hostname).toBe(dotted(value));
        }
        expect(kindOf(new URL(`http://[::ffff:${dotted(value)}]/`).hostname)).toBe(classifyIpAddress(v4(value)));
      }),
    );
    for (const spelling of ['2130706433', '0x7f000001', '017700000001', '0x7f.1', '0177.0.0.1', '127.1', '127.0.1', '127.000.000.001']) {
      expect([spelling, kindOf(new URL(`http://${spelling}:8080/x`).hostname)]).toEqual([spelling, 'loopback']);
    }
    expect(kindOf(new URL('http://0/').hostname)).toBe('unspecified');
    expect(kindOf(new URL('http://[::ffff:169.254.169.254]/').hostname)).toBe('link-local');
  });

  it('parses ranges and tests membership, refusing ranges with host bits set', () => {
    fc.assert(
      fc.property(anyV4, fc.integer({ min: 0, max: 32 }), anyV4, (value, prefix, other) => {
        const hostBits = BigInt(32 - prefix);
        const network = (value >> hostBits) << hostBits;
        const range = parseIpRange(`${dotted(network)}/${prefix}`);
        expect(range).toEqual({ version: 4, network, prefix });
        expect(inRange(range!, v4(other))).toBe(other >> hostBits === value >> hostBits);
        expect(inRange(range!, v6(other))).toBe(false);
      }),
    );
    expect(parseIpRange('10.1.2.3/8')).toBeUndefined();
    expect(parseIpRange('10.0.0.0/33')).toBeUndefined();
    expect(parseIpRange('10.0.0.0/08')).toBeUndefined();
    expect(parseIpRange('fd00::/8')).toEqual({ version: 6, network: 0xfdn << 120n, prefix: 8 });
    expect(parseIpRange('::1')).toEqual({ version: 6, network: 1n, prefix: 128 });
  });
});
