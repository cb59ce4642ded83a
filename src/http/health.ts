import { sql } from 'kysely';
import { z } from 'zod';
import { notFound, unauthenticated } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { schemaIsCurrent } from '../store/migrate.ts';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable } from '../store/unavailable.ts';
import { bearerMatches } from './metrics-listener.ts';
import { problem, problemKinds, problemType, sendProblem } from './problems.ts';
import type { RouteModule } from './route-module.ts';

/** Liveness, readiness, metrics, and a page for each problem type. */
export const healthRoutes: RouteModule = async (app, { ctx, metrics }) => {
  let schemaChecked = false;

  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['service'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['service'],
        summary: 'The database answers and every migration is applied',
        description:
          'Ready: 200 with each check `ok`. Not ready: 503 problem+json with `Retry-After`, and `checks` naming the check that failed (`database`: unreachable or too slow, with the reason; `migrations`: pending).',
        response: {
          200: z.object({
            status: z.literal('ready'),
            database: z.enum(['pglite', 'postgres']),
            checks: z.object({ database: z.literal('ok'), migrations: z.literal('ok') }),
          }),
        },
      },
    },
    async (_request, reply) => {
      const database = await checkDatabase(ctx.db, ctx.store.kind);
      if (database !== 'ok')
        return sendProblem(
          reply,
          problem('unavailable', `the database does not answer: ${database}`, {
            retry_after: DATABASE_RETRY_AFTER_SECONDS,
            checks: { database: { status: 'failing', detail: database }, migrations: { status: 'unknown' } },
          }),
        );
      if (!schemaChecked) {
        if (!(await schemaIsCurrent(ctx.store)))
          return sendProblem(
            reply,
            problem('unavailable', 'migrations are pending; run tapis migrate', {
              retry_after: DATABASE_RETRY_AFTER_SECONDS,
              checks: {
                database: { status: 'ok' },
                migrations: { status: 'failing', detail: 'migrations are pending; run tapis migrate' },
              },
            }),
          );
        schemaChecked = true;
      }
      return {
        status: 'ready' as const,
        database: ctx.store.kind,
        checks: { database: 'ok' as const, migrations: 'ok' as const },
      };
    },
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    '/metrics',
    {
      config: { access: 'public', ownBearerToken: true },
      schema: {
        tags: ['service'],
        summary:
          'Prometheus metrics (with TAPIS_METRICS_TOKEN set: Authorization: Bearer <it>; with TAPIS_METRICS_PORT set: only on that port)',
        hide: false,
      },
    },
    async (request, reply) => {
      // TAPIS_METRICS_PORT: served on a private listener only (src/http/metrics-listener.ts).
      if (ctx.config.TAPIS_METRICS_PORT !== undefined)
        throw notFound('metrics are not served on this port (TAPIS_METRICS_PORT)');
      // TAPIS_METRICS_TOKEN: the figures say how busy each route and queue is; not for anyone.
      const token = ctx.config.TAPIS_METRICS_TOKEN;
      if (token && !bearerMatches(request.headers.authorization, token))
        throw unauthenticated('send the metrics token: Authorization: Bearer <TAPIS_METRICS_TOKEN>');
      return reply.type(metrics.contentType).send(await metrics.metrics());
    },
  );

  app.get(
    '/problems/:type',
    {
      config: { access: 'public' },
      schema: {
        tags: ['service'],
        summary: 'What a problem type means',
        params: z.object({ type: z.string().max(64) }),
      },
    },
    async (request, reply) => {
      const kind = problemKinds.find((k) => problemType(k) === `/problems/${request.params.type}`);
      if (!kind) return sendProblem(reply, problem('not_found', `no problem type '${request.params.type}'`));
      const { title, status } = problem(kind, '');
      return reply.type('text/plain; charset=utf-8').send(`${status} ${title}\n\n${problemHelp[kind]}\n`);
    },
  );
};

const problemHelp: Record<(typeof problemKinds)[number], string> = {
  invalid:
    'The request is malformed or a field is wrong. The `errors` member lists each field as a JSON pointer.',
  unauthenticated: 'Log in, or send an API key as `Authorization: Bearer tapis_…`.',
  forbidden:
    'You are authenticated but your roles or key scopes do not allow this, or the record belongs to another organisation.',
  not_found: 'Nothing exists at that address, or you may not see it.',
  conflict:
    'The request clashes with the current state, e.g. a duplicate or an Idempotency-Key reused with another body.',
  too_large: 'The body or file is larger than the endpoint accepts.',
  unsupported_media_type: 'The endpoint does not accept that Content-Type.',
  rate_limited: 'Too many requests. Wait for the number of seconds in Retry-After.',
  unavailable: 'The service cannot answer now, e.g. the database is down. Try again later.',
};

/**
 * On PostgreSQL a readiness probe answers within this, whatever the server does. PGlite runs
 * in this process and cannot be cut off; a busy one answers late, not never.
 */
const READY_CHECK_MS = 5_000;

/** 'ok', or why the database is not usable now. */
async function checkDatabase(db: Db, kind: 'pglite' | 'postgres'): Promise<string> {
  if (kind === 'pglite')
    return sql`select 1`.execute(db).then(
      () => 'ok',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${READY_CHECK_MS} ms`), READY_CHECK_MS);
  });
  try {
    return await Promise.race([
      sql`select 1`.execute(db).then(
        () => 'ok',
        (error: unknown) =>
          databaseUnavailable(error) ?? (error instanceof Error ? error.message : String(error)),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
