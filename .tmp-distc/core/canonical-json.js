import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
// The package is CommonJS with an ES-style type declaration: its default import is the function.
const canonicalize = canonicalizeModule;
/**
 * RFC 8785 (JSON Canonicalization Scheme): the same value always gives the same bytes, so
 * its SHA-256 can be signed, chained and compared across machines.
 */
export function canonicalJson(value) {
    // The serialiser calls toJSON (Dates become ISO strings) and drops undefined members, as
    // JSON.stringify does. It refuses NaN and Infinity, which JSON.stringify writes as null:
    // such a value takes the round trip through JSON first, as stored JSON would have it.
    let text;
    try {
        text = canonicalize(value ?? null);
    }
    catch {
        text = canonicalize(JSON.parse(JSON.stringify(value ?? null)));
    }
    if (text === undefined)
        throw new TypeError('value cannot be represented as JSON');
    return text;
}
export function sha256Hex(data) {
    return createHash('sha256').update(data).digest('hex');
}
export function canonicalDigest(value) {
    return sha256Hex(canonicalJson(value));
}
