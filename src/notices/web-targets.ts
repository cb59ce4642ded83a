/**
 * Targets on other platforms than Telegram: an http(s) URL made canonical, so that copies of
 * one link dedupe, and refused when it points to a local or private host (a notice is about
 * public content, and tapis must not be steered into its own network). Part of the target
 * parser (targets.ts).
 */
import { domainToUnicode } from 'node:url';
import { telegramLookalike } from './lookalike-hosts.ts';
import { Refusal } from './target-refusal.ts';
import type { UrlSubject } from './targets.ts';

/** Tracking parameters say who shared a link, not what it shows; dropping them lets copies dedupe. */
const TRACKING_PARAMS = new Set(
  'fbclid gclid gclsrc dclid msclkid igshid yclid twclid ttclid mc_cid mc_eid'.split(' '),
);
/** Names that only ever mean this machine or a private network (RFC 6761, RFC 6762, RFC 8375). */
const LOCAL_SUFFIXES = '.localhost .local .internal .home.arpa .localdomain .test .invalid .example'.split(
  ' ',
);

/**
 * The WHATWG URL parser does most of the work: lower-case scheme and host, IDNA to punycode,
 * default port dropped, dot segments resolved, IPv4 in any notation written out. On top of that:
 * no fragment (it never reaches the server) unless it is a #! route, no tracking parameters, and
 * no trailing dot on the host. The query is not sorted: parameter order is significant to some
 * servers, and `url` must open the page the notifier saw.
 */
export function webSubject(url: URL): UrlSubject {
  const host = url.hostname.replace(/\.$/, '');
  assertPublicHost(host);
  if (host !== url.hostname) url.hostname = host;
  if (!url.hash.startsWith('#!')) url.hash = '';
  const query = withoutTracking(url.search);
  url.search = query === '' ? '' : `?${query}`; // the setter drops one leading '?', so give it one
  return { platform: 'web', kind: 'url', host, key: `web:${url.href}`, url: url.href };
}

/** Works on the raw pairs, so the rest of the query keeps its exact encoding. */
function withoutTracking(search: string): string {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(pair.split('=')[0] ?? ''))
    .join('&');
}

function isTrackingParam(rawName: string): boolean {
  const name = decodedQueryName(rawName).toLowerCase();
  return name.startsWith('utm_') || TRACKING_PARAMS.has(name);
}

function decodedQueryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw; // a stray % is not a tracking parameter's name either
  }
}

/**
 * A notice is about content the public can reach, and tapis may later fetch what it is given:
 * so local and private addresses are refused (no SSRF through a notice). Public IP literals and
 * .onion hosts are allowed: propaganda is hosted on both.
 */
function assertPublicHost(host: string): void {
  const imitated = telegramLookalike(host);
  if (imitated)
    throw new Refusal(
      `has a host that only looks like ${imitated} (${domainToUnicode(host)}, with non-Latin letters); write the Telegram link in Latin letters`,
    );
  const local = host === 'localhost' || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
  if (local) throw new Refusal(`points to a local or private host (${host}), not to public content`);
  const v4 = ipv4Of(host);
  const v6 = host.startsWith('[') ? ipv6Hextets(host) : undefined;
  if ((v4 !== undefined && isPrivateIPv4(v4)) || (v6 !== undefined && isPrivateIPv6(v6))) {
    throw new Refusal(`points to a private, local or reserved address (${host}), not to public content`);
  }
  if (v4 === undefined && v6 === undefined && !host.includes('.')) {
    throw new Refusal(`has no public host name ('${host}' is a single word)`);
  }
}

/** The WHATWG parser has already written any IPv4 notation (hex, one number…) as a.b.c.d. */
function ipv4Of(host: string): number | undefined {
  const parts = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (parts === null) return undefined;
  return parts.slice(1).reduce((value, part) => value * 256 + Number(part), 0);
}

/** RFC 6890 special-purpose ranges that are not on the public internet: [base, prefix length]. */
// biome-ignore format: a table of ranges reads best as a table
const PRIVATE_IPV4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16],
  [0xac100000, 12], [0xc0000000, 24], [0xc0000200, 24], [0xc0a80000, 16], [0xc6120000, 15],
  [0xc6336400, 24], [0xcb007100, 24], [0xe0000000, 4], [0xf0000000, 4],
];

function isPrivateIPv4(ip: number): boolean {
  return PRIVATE_IPV4.some(
    ([base, bits]) => Math.floor(ip / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)),
  );
}

/** The parser writes IPv6 compressed, lower-case and in hex, so splitting on "::" suffices. */
function ipv6Hextets(literal: string): number[] {
  const [head = '', tail] = literal.slice(1, -1).split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((hextet) => Number.parseInt(hextet, 16));
}

function isPrivateIPv6(h: number[]): boolean {
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = h;
  const embeddedV4 = h6 * 65536 + h7;
  const upperZero = h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0 && h4 === 0;
  if (upperZero && (h5 === 0 || h5 === 0xffff)) return isPrivateIPv4(embeddedV4); // ::, ::1, ::ffff:a.b.c.d
  const nat64 = h0 === 0x64 && h1 === 0xff9b && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0;
  if (nat64) return isPrivateIPv4(embeddedV4); // 64:ff9b::a.b.c.d (RFC 6052)
  return (
    (h0 & 0xfe00) === 0xfc00 || // unique local
    (h0 & 0xffc0) === 0xfe80 || // link-local
    (h0 & 0xffc0) === 0xfec0 || // site-local (deprecated)
    (h0 & 0xff00) === 0xff00 || // multicast
    (h0 === 0x2001 && h1 === 0x0db8) // documentation
  );
}
