import { z } from 'zod';
/**
 * Schema pieces shared by routes. Request bodies are strict objects: an unknown field is a
 * 400, never silently dropped (src/http/server.ts checks every body schema is strict).
 */
/** A timestamp: handlers work with Date, the wire carries RFC 3339 text. */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
    decode: (text) => new Date(text),
    encode: (date) => date.toISOString(),
});
export const slug = z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lower-case letters, digits and hyphens, 1–40 characters');
export const email = z.email().max(254);
/** Free text from people: bounded, and trimmed of surrounding whitespace. */
export const text = (max) => z.string().trim().min(1).max(max);
export const uuid = z.uuid();
export const idParams = z.strictObject({ id: uuid });
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in capitals, e.g. ID');
export const languageCode = z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 language code, e.g. id');
