/*
 * IP address classification for outbound requests the server makes on a tenant's behalf
 * (webhooks, docs/architecture.md "Webhook targets"). Pure: no DNS, no sockets, no Node modules,
 * so the console can use it too. Only `public` addresses may be reached without an allow-list.
 */

export interface IpAddress {
  readonly version: 4 | 6;
  /** The address as an unsigned 32-bit (IPv4) or 128-bit (IPv6) integer. */
  readonly value: bigint;
}

export interface IpRange {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

export const ADDRESS_KINDS = [
  'public',
  'unspecified',
  'loopback',
  'private',
  'shared',
  'link-local',
  'unique-local',
  'multicast',
  'broadcast',
  'documentation',
  'benchmarking',
  'reserved',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** What each non-public kind is called in a refusal ("is a loopback address"). */
export const ADDRESS_KIND_NAMES: Record<Exclude<AddressKind, 'public'>, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address',
  shared: 'a carrier-grade NAT (shared) address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique local (private) IPv6 address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'a documentation address',
  benchmarking: 'a benchmarking address',
  reserved: 'a reserved address',
};

const bits = (version: 4 | 6) => (version === 4 ? 32 : 128);

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/** Colon-separated hex groups; a dotted IPv4 tail counts as two groups when `v4Tail`. */
function parseGroups(side: string, v4Tail: boolean): number[] | undefined {
  if (side === '') return [];
  const pieces = side.split(':');
  const groups: number[] = [];
  for (const [index, piece] of pieces.entries()) {
    if (v4Tail && index === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIPv4(piece);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIPv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail].reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/**
 * A literal IP address: dotted-quad IPv4, or IPv6 (optionally in brackets, with a zone id as DNS
 * answers for link-local addresses carry). Odd IPv4 spellings (`2130706433`, `0x7f.1`) are not
 * addresses here: a URL's host is normalised by the WHATWG parser before it gets this far.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const unbracketed = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
  const zone = unbracketed.indexOf('%');
  const v6 = parseIPv6(zone >= 0 ? unbracketed.slice(0, zone) : unbracketed);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/** `address/prefix` (or a single address); undefined when malformed or when host bits are set. */
export function parseIpRange(text: string): IpRange | undefined {
  const [addressText, prefixText, ...rest] = text.split('/');
  const address = parseIpAddress(addressText);
  if (!address || rest.length > 0) return undefined;
  const width = bits(address.version);
  if (prefixText !== undefined && !/^(?:0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (prefix > width) return undefined;
  const range: IpRange = { version: address.version, network: address.value, prefix };
  return networkOf(range, address) === address.value ? range : undefined;
}

const networkOf = (range: IpRange, address: IpAddress) => {
  const hostBits = BigInt(bits(range.version) - range.prefix);
  return (address.value >> hostBits) << hostBits;
};

export function inRange(range: IpRange, address: IpAddress): boolean {
  return range.version === address.version && networkOf(range, address) === range.network;
}

const cidr = (text: string): IpRange => {
  const range = parseIpRange(text);
  if (!range) throw new Error(`bad range ${text}`);
  return range;
};
const table = (rows: [string, AddressKind][]) => rows.map(([text, kind]) => ({ range: cidr(text), kind }));

/** Special-purpose IPv4 ranges (IANA registry, RFC 6890), most specific first. */
const IPV4_RANGES = table([
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

/** IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it: classified as that IPv4 address. */
const IPV6_EMBEDDING = [cidr('::ffff:0:0/96') /* IPv4-mapped */, cidr('64:ff9b::/96') /* NAT64 well-known prefix */];

/** Special-purpose IPv6 ranges, most specific first; anything outside 2000::/3 (global unicast) is reserved. */
const IPV6_RANGES = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'], // local-use NAT64
  ['100::/64', 'reserved'], // discard-only
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo among them
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', 'reserved'], // 6to4 (deprecated) embeds any IPv4 address
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // site-local (deprecated)
  ['ff00::/8', 'multicast'],
]);
const GLOBAL_UNICAST = cidr('2000::/3');

export function classifyIpAddress(address: IpAddress): AddressKind {
  if (address.version === 4) return IPV4_RANGES.find(({ range }) => inRange(range, address))?.kind ?? 'public';
  if (IPV6_EMBEDDING.some((range) => inRange(range, address))) return classifyIpAddress({ version: 4, value: address.value & 0xffff_ffffn });
  const special = IPV6_RANGES.find(({ range }) => inRange(range, address))?.kind;
  return special ?? (inRange(GLOBAL_UNICAST, address) ? 'public' : 'reserved');
}
