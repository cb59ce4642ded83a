import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be delivered (SSRF, issue 15 defect 6). An address is acceptable only
 * when ipaddr.js calls its range plain `unicast`: loopback, private, link-local, carrier-grade
 * NAT, benchmarking (198.18.0.0/15), multicast, broadcast, reserved and documentation ranges
 * are refused, in IPv4 and IPv6. IPv6 forms that carry an IPv4 address inside — IPv4-mapped
 * (::ffff:a.b.c.d), SIIT (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) — are
 * judged by the IPv4 address they carry; Teredo and local-use NAT64 are refused outright.
 */
export function isPublicAddress(address: string): boolean {
  // Only the canonical forms (no '1.2.3', no octal or hex parts) count as addresses.
  if (isIP(address) === 0) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded !== undefined) return embedded !== null && embedded.range() === 'unicast';
  return v6.range() === 'unicast';
}

/** The IPv4 address an IPv6 form carries; null when it carries one we will not judge; undefined when none. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null | undefined {
  const bytes = v6.toByteArray();
  const v4 = (at: number) => new ipaddr.IPv4(bytes.slice(at, at + 4));
  switch (v6.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return v4(12);
    case 'rfc6052':
      // 64:ff9b::/96 carries the address in its last 32 bits; 64:ff9b:1::/48 is local use.
      return bytes[4] === 0 && bytes[5] === 0 ? v4(12) : null;
    case '6to4':
      return v4(2);
    case 'teredo':
      return null;
    default:
      return undefined;
  }
}

/** Host names that name this machine or its private network. */
function isPrivateName(host: string): boolean {
  return host === 'localhost' || /\.(localhost|local|internal|home\.arpa)$/.test(host);
}

/** A URL's host without IPv6 brackets, lower-cased. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** For registration: a host name or literal that certainly points inside (names are resolved at delivery). */
export function isPrivateHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (ipaddr.isValid(host)) return !isPublicAddress(host);
  return isPrivateName(host);
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true });

export class RefusedTarget extends Error {}

/**
 * Resolves a webhook's host once and picks the address to connect to; the caller connects
 * to exactly that address (no second lookup an attacker's DNS could answer differently,
 * i.e. no DNS rebinding). An IPv6 literal is used as it is, never looked up. With
 * `allowAddress` refusing one of the addresses, the target is refused (a name that resolves
 * to a private address among public ones is not a public target).
 */
export async function resolveTarget(
  url: URL,
  options: { allowAddress: (address: string) => boolean; lookup?: Lookup },
): Promise<{ address: string; family: 4 | 6 }> {
  const host = bareHost(url.hostname);
  if (!ipaddr.isValid(host) && isPrivateName(host) && !options.allowAddress('127.0.0.1'))
    throw new RefusedTarget(`${host} is a private host name`);
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }]
    : await (options.lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  const refused = addresses.find((a) => !options.allowAddress(a.address));
  if (refused) throw new RefusedTarget(`${host} resolves to a non-public address (${refused.address})`);
  const chosen = addresses[0]!;
  return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
