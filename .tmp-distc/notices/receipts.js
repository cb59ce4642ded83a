import { sign } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
/**
 * A signed receipt: a compact JWS (Ed25519) that a notice arrived, when, what its deadline
 * is, and the SHA-256 of exactly what was received (the canonical JSON of the notice as
 * sent). Whoever holds it can prove the platform was told, offline, against the keys
 * published at /.well-known/jwks.json.
 */
export const RECEIPT_TYPE = 'tapis-receipt+jws';
/**
 * Signs with node:crypto rather than WebCrypto: the same Ed25519 signature (RFC 8037), at
 * half the cost, which matters at a thousand receipts a second. Verification goes through
 * jose, as any client's would.
 */
export async function signReceipt(key, claims) {
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: RECEIPT_TYPE })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signingInput = `${header}.${payload}`;
    return `${signingInput}.${sign(null, Buffer.from(signingInput), key.privateKey).toString('base64url')}`;
}
export async function verifyReceipt(receipt, jwks) {
    let header;
    try {
        header = decodeProtectedHeader(receipt.trim());
    }
    catch {
        return { valid: false, reason: 'not a compact JWS' };
    }
    if (header.typ !== RECEIPT_TYPE)
        return { valid: false, reason: `not a tapis receipt (typ ${String(header.typ)})` };
    try {
        const { payload, protectedHeader } = await compactVerify(receipt.trim(), createLocalJWKSet(jwks), {
            algorithms: ['EdDSA'],
        });
        return {
            valid: true,
            claims: JSON.parse(new TextDecoder().decode(payload)),
            kid: protectedHeader.kid ?? '',
        };
    }
    catch (error) {
        const code = error.code;
        if (code === 'ERR_JWKS_NO_MATCHING_KEY')
            return { valid: false, reason: `no published key '${String(header.kid)}' verifies it` };
        return {
            valid: false,
            reason: 'the signature does not match: the receipt was altered or signed by another key',
        };
    }
}
