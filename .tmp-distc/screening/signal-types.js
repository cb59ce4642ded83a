import { isPdqHex } from "./pdq/hash256.js";
/**
 * The kinds of signal a bank holds, named as hash-sharing programmes name them
 * (ThreatExchange / HMA signal types, plus our text fingerprints).
 */
export const SIGNAL_TYPES = ['pdq', 'md5', 'sha256', 'text_sha256', 'text_simhash', 'url', 'domain'];
export function isSignalType(value) {
    return SIGNAL_TYPES.includes(value);
}
const HEX_LENGTH = {
    md5: 32,
    sha256: 64,
    text_sha256: 64,
    text_simhash: 16,
};
/** Query parameters that only track who shared a link: dropped so that copies compare equal. */
const TRACKING_PARAMETERS = /^(utm_[a-z]+|fbclid|gclid|igshid|mc_eid|ref_src)$/i;
/** Telegram's alternative domains, all serving t.me links. */
const TELEGRAM_HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog', 'www.t.me', 'www.telegram.me']);
/**
 * The canonical form of a signal value, so that equal signals are equal strings: hashes in lower
 * case, URLs and domains normalised. Throws a TypeError saying what is wrong.
 */
export function canonicalSignal(type, value) {
    const text = value.trim();
    if (type === 'pdq') {
        if (!isPdqHex(text))
            throw new TypeError(`pdq: '${text.slice(0, 80)}' is not 64 hexadecimal digits`);
        return text.toLowerCase();
    }
    if (type === 'url')
        return canonicalUrl(text);
    if (type === 'domain')
        return canonicalDomain(text);
    const length = HEX_LENGTH[type];
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(text)) {
        throw new TypeError(`${type}: '${text.slice(0, 80)}' is not ${length} hexadecimal digits`);
    }
    return text.toLowerCase();
}
/**
 * A URL as the matcher compares it: http(s) only (a scheme-less "t.me/x" is read as https),
 * host in lower case and ASCII (IDN as punycode), default port, fragment, tracking parameters and
 * a trailing slash removed. Telegram links are reduced to https://t.me/<path>, with the web
 * preview prefix /s/ removed and the username in lower case (Telegram usernames are
 * case-insensitive).
 */
export function canonicalUrl(value) {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
    let url;
    try {
        url = new URL(withScheme);
    }
    catch {
        throw new TypeError(`url: '${value.slice(0, 80)}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new TypeError(`url: '${value.slice(0, 80)}' is not an http(s) URL`);
    }
    url.hash = '';
    url.username = '';
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
        if (TRACKING_PARAMETERS.test(key))
            url.searchParams.delete(key);
    }
    if (TELEGRAM_HOSTS.has(url.hostname)) {
        const path = url.pathname.replace(/^\/s\//, '/').replace(/\/+$/, '');
        const [, username = '', ...rest] = path.split('/');
        const search = url.searchParams.toString();
        return `https://t.me/${[username.toLowerCase(), ...rest].join('/')}${search ? `?${search}` : ''}`;
    }
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
    const search = url.searchParams.toString();
    return `${url.protocol}//${url.host}${path}${search ? `?${search}` : ''}`;
}
/**
 * A domain as the matcher compares it: lower case, ASCII (IDN as punycode), no trailing dot, no
 * leading "www.". A URL is accepted and reduced to its host.
 */
export function canonicalDomain(value) {
    const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value.split('/')[0]}`;
    let hostname;
    try {
        hostname = new URL(host).hostname;
    }
    catch {
        throw new TypeError(`domain: '${value.slice(0, 80)}' is not a domain name`);
    }
    hostname = hostname.replace(/\.$/, '').replace(/^www\./, '');
    if (!/^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/.test(hostname)) {
        throw new TypeError(`domain: '${value.slice(0, 80)}' is not a domain name`);
    }
    return hostname;
}
/**
 * A domain and its parent domains, stopping above the top-level label:
 * a.b.example.com → a.b.example.com, b.example.com, example.com. (Without a public-suffix list,
 * "co.uk" can appear: harmless, as no bank lists it.)
 */
export function domainAndParents(domain) {
    const labels = canonicalDomain(domain).split('.');
    const out = [];
    for (let i = 0; i < labels.length - 1; i++)
        out.push(labels.slice(i).join('.'));
    return out;
}
