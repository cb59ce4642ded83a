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

/**
 * A query-string bound of a period: an RFC 3339 timestamp, or a plain date (YYYY-MM-DD,
 * UTC) standing for the start of that day (`from`) or its end (`to`), so that
 * `from=2026-11-01&to=2026-11-30` covers the whole of November.
 */
export const periodBound = (edge: 'start' | 'end') =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((text) => {
    if (text.length > 10) return new Date(text);
    const day = new Date(`${text}T00:00:00.000Z`);
    return edge === 'start' ? day : new Date(day.getTime() + 86_400_000 - 1);
  });

export const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lower-case letters, digits and hyphens, 1–40 characters');

export const email = z.email().max(254);

/** Free text from people: bounded, and trimmed of surrounding whitespace. */
export const text = (max: number) => z.string().trim().min(1).max(max);

export const uuid = z.uuid();

export const idParams = z.strictObject({ id: uuid });

export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in capitals, e.g. ID');

export const languageCode = z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 language code, e.g. id');

/** The largest value a PostgreSQL `integer` column holds. */
export const INT4_MAX = 2_147_483_647;

/**
 * A whole number from a path or a query string, bounded by the column it is compared with:
 * `integer` columns by INT4_MAX, `bigint` ones by the largest integer JavaScript holds
 * exactly. A value past it is a 400 that names the parameter, never a database error.
 */
export const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const int4Param = (min = 0) => intParam(min, INT4_MAX);
export const bigintParam = (min = 0) => intParam(min, Number.MAX_SAFE_INTEGER);
