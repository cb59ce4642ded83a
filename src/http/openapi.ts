import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { DOCS_CSP } from './security-headers.ts';

/**
 * The OpenAPI 3.1 document is generated from the same zod schemas that validate requests,
 * so it cannot drift from what the server does. Served at /openapi.json, browsable at /docs.
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tapis',
        description:
          'Notice-and-action desk and content screening engine. Errors are application/problem+json (RFC 9457).',
        version: '0.1.0',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An organisation API key: tapis_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'tapis_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(async (docs) => {
    // The documentation's own routes are public; they are declared so here.
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' };
    });
    // Its own CSP: Swagger UI needs inline styles, which the console's policy refuses.
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  });
}
