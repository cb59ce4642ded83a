import { z } from 'zod';
import type { RouteModule } from '../http/route-module.ts';
import { idParams } from '../http/schemas.ts';
import { findBank } from '../screening/banks/bank-store.ts';
import { bankDecision } from './bank-and-sweep.ts';
import { caseDetections } from './forward-graph.ts';
import { sweepBank } from './sweep.ts';

const sweepSummary = z.object({
  checked: z.number().int(),
  matched: z.number().int(),
  cases: z.number().int(),
  actions: z.number().int(),
});

/** Bank and sweep, sweeps by hand, and a case's automated evidence with its forward graph. */
export const scanningRoutes: RouteModule = async (app, { ctx }) => {
  app.post(
    '/v1/decisions/:id/bank',
    {
      config: { access: 'banks:write' },
      schema: {
        tags: ['screening'],
        summary:
          'Bank and sweep: put the decided item’s hashes in a bank (the case as provenance), then sweep',
        params: idParams,
        body: z.strictObject({
          bank: z.string().min(1).max(100).describe('The bank id or name'),
          note: z.string().trim().min(1).max(2000).optional(),
        }),
        response: {
          200: z.object({
            bank: z.string(),
            added: z.number().int(),
            duplicate: z.number().int(),
            sweep: sweepSummary,
          }),
        },
      },
    },
    async (request) => bankDecision(ctx, request.actor!, request.params.id, request.body, ctx.clock()),
  );

  app.post(
    '/v1/sweeps',
    {
      config: { access: 'banks:write' },
      schema: {
        tags: ['screening'],
        summary: 'Sweep the content index with a bank’s entries (or every bank’s) now',
        body: z.strictObject({ bank: z.string().min(1).max(100).optional() }),
        response: { 200: sweepSummary },
      },
    },
    async (request) => {
      const bank = request.body.bank ? await findBank(ctx.db, request.body.bank) : null;
      return sweepBank(ctx, bank?.id ?? null);
    },
  );

  app.get(
    '/v1/cases/:id/detections',
    {
      config: { access: 'cases:read' },
      schema: {
        tags: ['cases'],
        summary:
          'A case’s automated evidence (bank, distance, provenance), where the item came from and who reposted it',
        params: idParams,
      },
    },
    async (request) => caseDetections(ctx.db, request.params.id),
  );
};
