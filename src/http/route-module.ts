import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { AppContext } from '../runtime/context.ts';

/** A capability's routes: a Fastify plugin that receives the app context. */
export type RouteModule = FastifyPluginAsyncZod<{ ctx: AppContext; metrics: Registry }>;
