import { ADDRESS_KIND_NAMES, classifyIpAddress, inRange, parseIpAddress, parseIpRange, type AddressKind, type IpRange } from './network-address';

/*
 * Where a webhook may be delivered (docs/architecture.md, "Webhook targets"). The same check runs
 * at registration and before every delivery attempt, on the addresses the host resolves to then;
 * the delivery connects only to addresses that passed it.
 */

/** One entry of WEBHOOK_ALLOWED_TARGETS: a host (name or IP literal, optionally with a port), or an IP range. */
export type WebhookAllowEntry = { kind: 'host'; hostname: string; port: number | null } | { kind: 'range'; range: IpRange };

export interface WebhookTargetRules {
  /** Plain http is refused unless the receiver is on the allow-list (production). */
  httpsRequired: boolean;
  allowList: readonly WebhookAllowEntry[];
}

export type WebhookTargetRefusal =
  | { reason: 'scheme' }
  | { reason: 'credentials' }
  | { reason: 'unresolvable' }
  | { reason: 'address'; kind: Exclude<AddressKind, 'public'>; literal: boolean }
  | { reason: 'https-required' };

export type WebhookTargetCheck = { ok: true; addresses: string[] } | { ok: false; refusal: WebhookTargetRefusal };

/** Ranges wider than this would let the allow-list reach most of an address family: refused as a blanket bypass. */
const NARROWEST_ALLOWED_PREFIX = 8;

/**
 * Parses WEBHOOK_ALLOWED_TARGETS: entries separated by commas or spaces, each `host`, `host:port`,
 * `[ipv6]:port` or a CIDR range (`10.20.0.0/16`, `fd00:1::/64`). Host names are matched exactly
 * (no wildcards); literal IPv4 spellings are normalised as URLs normalise them.
 */
export function parseWebhookAllowList(text: string): { ok: true; entries: WebhookAllowEntry[] } | { ok: false; error: string } {
  const entries: WebhookAllowEntry[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    if (entry.includes('/')) {
      const range = parseIpRange(entry);
      if (!range) return { ok: false, error: `${entry} is not an IP range (address/prefix, no host bits set)` };
      if (range.prefix < NARROWEST_ALLOWED_PREFIX)
        return { ok: false, error: `${entry} is wider than /${NARROWEST_ALLOWED_PREFIX}: list the internal ranges you trust, not everything` };
      entries.push({ kind: 'range', range });
      continue;
    }
    if (entry.includes('*')) return { ok: false, error: `${entry}: wildcards are not supported, list each host` };
    const bare = parseIpAddress(entry)?.version === 6 ? `[${entry}]` : entry;
    const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(bare);
    const hostname = match ? normaliseHost(match[1]) : undefined;
    const port = match?.[2] === undefined ? null : Number(match[2]);
    if (!hostname || (port !== null && (port < 1 || port > 65_535))) return { ok: false, error: `${entry} is not a host, host:port or IP range` };
    entries.push({ kind: 'host', hostname, port });
  }
  return { ok: true, entries };
}

function normaliseHost(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}/`);
    return url.hostname && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The host a URL names: an IP literal (brackets removed) or a DNS name to resolve. */
export function webhookTargetHost(url: URL): { kind: 'address'; address: string } | { kind: 'name'; name: string } {
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return parseIpAddress(literal) ? { kind: 'address', address: literal } : { kind: 'name', name: url.hostname };
}

const effectivePort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * Decides whether `url` may be delivered to, given the addresses its host name resolved to (ignored
 * for an IP literal; empty when it did not resolve). Every address must be public, unless the host
 * is on the allow-list or the address lies in an allow-listed range. On success, `addresses` are the
 * only ones the delivery may connect to.
 */
export function checkWebhookTarget(url: URL, resolved: readonly string[], rules: WebhookTargetRules): WebhookTargetCheck {
  const refuse = (refusal: WebhookTargetRefusal): WebhookTargetCheck => ({ ok: false, refusal });
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse({ reason: 'scheme' });
  if (url.username || url.password) return refuse({ reason: 'credentials' });
  const host = webhookTargetHost(url);
  const addresses = host.kind === 'address' ? [host.address] : [...resolved];
  if (addresses.length === 0) return refuse({ reason: 'unresolvable' });

  const hostListed = rules.allowList.some(
    (entry) => entry.kind === 'host' && entry.hostname === url.hostname && (entry.port === null || entry.port === effectivePort(url)),
  );
  const ranges = rules.allowList.flatMap((entry) => (entry.kind === 'range' ? [entry.range] : []));
  let allInListedRanges = true;
  for (const text of addresses) {
    const address = parseIpAddress(text);
    const inListedRange = address !== undefined && ranges.some((range) => inRange(range, address));
    allInListedRanges &&= inListedRange;
    const kind = address ? classifyIpAddress(address) : 'reserved';
    if (kind !== 'public' && !hostListed && !inListedRange) return refuse({ reason: 'address', kind, literal: host.kind === 'address' });
  }
  if (rules.httpsRequired && url.protocol === 'http:' && !hostListed && !allInListedRanges) return refuse({ reason: 'https-required' });
  return { ok: true, addresses };
}

/**
 * The refusal as a registration error message. A literal address is named by its kind (the caller
 * wrote it); for a host name only the fact that it resolves to a non-public address is said, so
 * the API does not describe the server's network.
 */
export function describeWebhookTargetRefusal(refusal: WebhookTargetRefusal): string {
  switch (refusal.reason) {
    case 'scheme':
      return 'must be an http(s) URL';
    case 'credentials':
      return 'must not contain credentials (the signature authenticates deliveries)';
    case 'unresolvable':
      return 'names a host that does not resolve';
    case 'address':
      return refusal.literal ? `must not be ${ADDRESS_KIND_NAMES[refusal.kind]}` : 'names a host that resolves to a non-public address';
    case 'https-required':
      return 'must use https';
  }
}
