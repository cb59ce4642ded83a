import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The console's Content-Security-Policy: scripts, styles and connections from this origin
 * only, nothing inline, no plugins, no framing. Media under review is shown from `blob:`
 * URLs the console makes from bytes it fetched itself (after the reveal), never from another
 * origin. React sets style properties through the DOM (CSSOM), which CSP does not block, so
 * no 'unsafe-inline' is needed.
 */
export const CONSOLE_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'blob:', 'data:'],
  'media-src': ["'self'", 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/**
 * Swagger UI at /docs needs inline styles (its components write <style> rules) and data:
 * images for its icons; everything else is as strict as the console's.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Security headers on every answer, API and console alike (helmet registers a global
 * onRequest hook): CSP, nosniff, no framing, no referrer leaking a statement's token, HSTS.
 * A route may set a stricter CSP of its own (evidence downloads are sandboxed).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { ...CONSOLE_CSP } },
    // Statement links carry their token in the path: never send it on as a Referer.
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}
