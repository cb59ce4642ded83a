export class DomainError extends Error {
    kind;
    issues;
    /** Extra members for the problem document, e.g. `retry_after` or `existing_decision`. */
    extra;
    constructor(kind, message, options = {}) {
        super(message);
        this.name = 'DomainError';
        this.kind = kind;
        this.issues = options.issues ?? [];
        this.extra = options.extra ?? {};
    }
}
export const invalid = (message, issues = [], extra = {}) => new DomainError('invalid', message, { issues, extra });
export const notFound = (message) => new DomainError('not_found', message);
export const conflict = (message, extra = {}) => new DomainError('conflict', message, { extra });
export const forbidden = (message) => new DomainError('forbidden', message);
export const unauthenticated = (message) => new DomainError('unauthenticated', message);
export const rateLimited = (message, retryAfterSeconds) => new DomainError('rate_limited', message, { extra: { retry_after: retryAfterSeconds } });
export const unavailable = (message) => new DomainError('unavailable', message);
/** Turns a list of path segments into a JSON pointer (RFC 6901). */
export function toPointer(path) {
    if (path.length === 0)
        return '';
    return '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}
