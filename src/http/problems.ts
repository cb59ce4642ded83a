import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorKind, type FieldIssue } from '../core/errors.ts';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable } from '../store/unavailable.ts';
import { parserProblem } from './parser-errors.ts';

/**
 * Every error leaves as application/problem+json (RFC 9457): type, title, status, detail,
 * and for invalid input the fields at fault as JSON pointers. Never a stack trace.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: (FieldIssue & { in?: string })[];
  request_id?: string;
  [extension: string]: unknown;
}

const kinds: Record<ErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  too_large: { status: 413, title: 'Content too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
};
const internal = { status: 500, title: 'Internal error' };

export const problemKinds = Object.keys(kinds) as ErrorKind[];

export function problemType(kind: ErrorKind | 'internal'): string {
  return `/problems/${kind.replaceAll('_', '-')}`;
}

export function problem(kind: ErrorKind, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = kinds[kind];
  return { type: problemType(kind), title, status, detail, ...extra };
}

function kindForStatus(status: number): ErrorKind | null {
  const entry = Object.entries(kinds).find(([, v]) => v.status === status);
  return entry ? (entry[0] as ErrorKind) : null;
}

/** Maps any error thrown while handling a request to a problem document. */
export function toProblem(error: FastifyError | Error): Problem {
  // A parser's error at bad input (CSV, multipart, a value the database cannot read) is a 400.
  error = parserProblem(error) ?? error;
  if (error instanceof DomainError) {
    const extra: Partial<Problem> = { ...error.extra };
    // Every item says where its field is, as schema errors do: a use case's are in the body unless it says.
    if (error.issues.length > 0)
      extra.errors = error.issues.map(({ in: where, ...issue }) => ({ in: where ?? 'body', ...issue }));
    return problem(error.kind, error.message, extra);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = String((error as FastifyError).validationContext ?? 'body');
    const errors = error.validation.flatMap((issue) => {
      const keys = (issue.params as { keys?: string[] }).keys;
      if (issue.keyword === 'unrecognized_keys' && keys) {
        return keys.map((key) => ({
          in: where,
          pointer: `${issue.instancePath === '/' ? '' : issue.instancePath}/${key}`,
          detail: `unknown field '${key}'`,
        }));
      }
      return [
        {
          in: where,
          pointer: issue.instancePath === '/' ? '' : issue.instancePath,
          detail: issue.message ?? 'invalid',
        },
      ];
    });
    const first = errors[0]!;
    const summary = `${where}${first.pointer || ''}: ${first.detail}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
    return problem('invalid', summary, { errors });
  }
  // The database cannot be reached or did not answer in time (decision 0015): the client
  // did nothing wrong and should come back, so a 503 that says when, never a 500.
  if (databaseUnavailable(error))
    return problem('unavailable', 'the database is unavailable for the moment; try again shortly', {
      retry_after: DATABASE_RETRY_AFTER_SECONDS,
    });
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const kind = kindForStatus(status) ?? 'invalid';
    return { ...problem(kind, describeFastifyError(fastifyError)), status };
  }
  return {
    type: problemType('internal'),
    ...internal,
    detail: 'the server failed to handle this request; it has been logged',
  };
}

function describeFastifyError(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is larger than this endpoint accepts';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `this endpoint does not accept that content type; ${error.message}`;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'a part of the path is longer than this server accepts; no id or name is that long';
    case 'FST_ERR_BAD_URL':
      return 'the URL is malformed: a percent-encoding in its path is not valid UTF-8';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the body is empty; send a JSON object';
    default:
      return error.message;
  }
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (typeof body.retry_after === 'number') reply.header('retry-after', String(body.retry_after));
  return reply.code(body.status).type('application/problem+json').send(body);
}

export function registerProblemHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = toProblem(error);
    if (body.status === 503)
      request.log.warn({ reason: databaseUnavailable(error) ?? error.message }, 'request unavailable');
    else if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: body.type, status: body.status }, 'request refused');
    return sendProblem(reply, { ...body, request_id: request.id });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('not_found', `no route ${request.method} ${request.url.split('?')[0]}`, {
        request_id: request.id,
      }),
    ),
  );
}
