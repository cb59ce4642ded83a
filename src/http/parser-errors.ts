import { CsvError } from 'csv-parse';
import type { FastifyInstance } from 'fastify';
import { type DomainError, invalid } from '../core/errors.ts';

/**
 * Errors that parsers throw at bad input — a CSV with a stray quote, a multipart body cut
 * short, a value PostgreSQL refuses to read — are the client's fault: a 400, never a 500.
 * src/http/problems.ts maps every error through here first, so a route that forgets to
 * catch one still answers with a problem document that says what was wrong.
 */
export function parserProblem(error: unknown): DomainError | null {
  if (!(error instanceof Error)) return null;
  const code = String((error as { code?: unknown }).code ?? '');
  // csv-parse: its message names the line and the field.
  if (error instanceof CsvError) return invalid(`the CSV cannot be read: ${error.message}`);
  // A body that ended before it was complete (a multipart upload cut short).
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return invalid('the body ended before it was complete');
  // busboy (under @fastify/multipart): a malformed or truncated multipart body.
  if (isMultipartError(error))
    return invalid(
      `the multipart body is malformed: ${error.message}; send multipart/form-data with a boundary`,
    );
  // PostgreSQL data exceptions caused by a value from the request (defence in depth: the
  // schemas bound numbers to their columns and refuse NUL characters first).
  if (/^22(003|021|P02|P05)$/.test(code))
    return invalid('a value in the request cannot be stored or compared as given');
  return null;
}

const MULTIPART_MESSAGES =
  /^(Unexpected end of (form|multipart data)|Malformed part header|Multipart: Boundary not found|Malformed urlencoded form|Unexpected end of file)/i;

function isMultipartError(error: Error): boolean {
  return MULTIPART_MESSAGES.test(error.message) || (error.stack ?? '').includes('/busboy/');
}

/**
 * A NUL character anywhere in the URL (path or query, raw or percent-encoded) is refused
 * before routing: PostgreSQL cannot store it in text, and no honest client sends one.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what we refuse.
const NUL = /%00|\u0000/i;

export function refuseNulInUrl(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (NUL.test(request.url)) {
      const where = request.url.indexOf('?');
      const inQuery = where >= 0 && NUL.test(request.url.slice(where));
      throw invalid('the URL may not contain a NUL character (%00)', [
        { pointer: '', detail: `a NUL character in the ${inQuery ? 'query string' : 'path'}` },
      ]);
    }
  });
}
