/**
 * The domain's errors. Each kind has a stable `type`, mapped to problem+json in one place
 * (src/http/problems.ts). Messages say what was wrong and what to do about it.
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited'
  | 'unavailable'
  | 'too_large'
  | 'unsupported_media_type';

export interface FieldIssue {
  /** Where the field is, as schema errors say it: body (the default), querystring, params, headers. */
  in?: 'body' | 'querystring' | 'params' | 'headers' | (string & {}) | undefined;
  /** JSON pointer to the offending field, e.g. `/targets/3`. */
  pointer: string;
  detail: string;
}

export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly issues: FieldIssue[];
  /** Extra members for the problem document, e.g. `retry_after` or `existing_decision`. */
  readonly extra: Record<string, unknown>;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { issues?: FieldIssue[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.issues = options.issues ?? [];
    this.extra = options.extra ?? {};
  }
}

export const invalid = (message: string, issues: FieldIssue[] = [], extra: Record<string, unknown> = {}) =>
  new DomainError('invalid', message, { issues, extra });
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string, extra: Record<string, unknown> = {}) =>
  new DomainError('conflict', message, { extra });
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const unauthenticated = (message: string) => new DomainError('unauthenticated', message);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', message, { extra: { retry_after: retryAfterSeconds } });
export const unavailable = (message: string) => new DomainError('unavailable', message);

/** Turns a list of path segments into a JSON pointer (RFC 6901). */
export function toPointer(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  return '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}
