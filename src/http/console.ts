import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { unavailable } from '../core/errors.ts';
import type { RouteModule } from './route-module.ts';

/** Where `npm run build:web` (run by `npm install`) puts the console. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * Paths the console never answers for: an unknown API route stays a problem+json 404, so a
 * client that mistypes /v1/... gets an error it can read, never the console's HTML.
 */
const SERVER_PREFIXES = [
  '/v1',
  '/docs',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
  '/.well-known',
  '/problems',
];

export function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * The console: the built single-page app at `/`, its hashed assets cached for a year, and
 * index.html for every other path (deep links such as /desk/cases/… are the app's routes).
 */
export const consoleRoutes: RouteModule = async (app) => {
  const built = existsSync(resolve(CONSOLE_DIST, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: CONSOLE_DIST, serve: false });

  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const pathname = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (isServerPath(pathname)) return reply.callNotFound();
    if (!built) throw unavailable('the console is not built: run `npm run build:web` (npm install does it)');
    const file = assetPath(pathname);
    if (file) {
      const immutable = file.startsWith(`assets${sep}`);
      return reply.sendFile(file, {
        maxAge: immutable ? 365 * 24 * 3600 * 1000 : 0,
        immutable,
      });
    }
    // index.html is never cached: a new release must reach the browser on the next load.
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
};

/** The file under web/dist a path names, if there is one (never outside it). */
function assetPath(pathname: string): string | null {
  if (pathname === '/' || pathname.includes('\0')) return null;
  const full = resolve(CONSOLE_DIST, `.${pathname}`);
  if (!full.startsWith(CONSOLE_DIST)) return null;
  try {
    return statSync(full).isFile() ? full.slice(CONSOLE_DIST.length) : null;
  } catch {
    return null;
  }
}
