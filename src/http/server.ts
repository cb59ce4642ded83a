import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { registerReadAudit } from '../audit/read-audit.ts';
import type { AppContext } from '../runtime/context.ts';
import { type RouteAccess, registerAccessControl } from './access.ts';
import { registerJsonParser } from './json-body.ts';
import { registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { refuseNulInUrl } from './parser-errors.ts';
import { registerProblemHandling, sendProblem, toProblem } from './problems.ts';
import { routeModules } from './routes.ts';
import { registerSecurityHeaders } from './security-headers.ts';

export interface Server {
  app: FastifyInstance;
  /** Every route with its declared access, for the authorisation matrix. */
  routes: RouteAccess[];
  metrics: Registry;
}

export async function buildServer(ctx: AppContext): Promise<Server> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.TAPIS_BODY_LIMIT,
    trustProxy: trustProxy(ctx.config.TAPIS_TRUST_PROXY),
    // Ids in logs tie a problem document to its log line.
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // One line per request, written below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Errors the router meets before any hook (a path parameter past its length, a broken
    // percent-encoding) leave as problem documents too, not as Fastify's own JSON.
    frameworkErrors: (error, request, reply) =>
      sendProblem(reply, { ...toProblem(error), request_id: request.id }),
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandling(app);
  refuseNulInUrl(app);
  registerJsonParser(app, ctx.config.TAPIS_BODY_LIMIT);
  await app.register(fastifyCookie);
  await registerSecurityHeaders(app);

  app.addHook('onRoute', (route) => assertStrictBody(route.method, route.url, route.schema?.body));

  const routes: RouteAccess[] = [];
  registerAccessControl(app, ctx, routes);
  registerReadAudit(app, ctx.reads, ctx.clock);
  const metrics = registerMetrics(app, ctx);
  await registerOpenApi(app, ctx.config.publicUrl);

  for (const module of routeModules) await app.register(module, { ctx, metrics });
  await app.ready();
  return { app, routes, metrics };
}

/**
 * TAPIS_TRUST_PROXY: whose X-Forwarded-For to believe, so that login throttling sees each
 * client's own address behind a proxy. A hop count trusts that many proxies nearest us.
 */
function trustProxy(setting: boolean | number | string[]) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}

/**
 * An unknown field in a body is a 400, never silently dropped: a client that misspells
 * `explanation` must hear about it. So every JSON body schema must be a strict object.
 */
function assertStrictBody(method: unknown, url: string, body: unknown): void {
  if (!(body instanceof z.ZodType)) return;
  const def = body.def as { type: string; catchall?: { def: { type: string } } };
  if (def.type === 'object' && def.catchall?.def.type !== 'never') {
    throw new Error(
      `route ${String(method)} ${url}: its body schema must be z.strictObject (unknown fields are a 400)`,
    );
  }
}
