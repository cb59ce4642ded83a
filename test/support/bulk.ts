import { BULK_TOPIC } from '../../src/notices/bulk.ts';
import { type BulkProcessingOptions, bulkJobHandler } from '../../src/notices/bulk-processing.ts';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import type { AppContext } from '../../src/runtime/context.ts';
import type { Caller, TestApp } from './app.ts';

/** Bulk intake helpers: upload a file, read a job, and work the bulk outbox off. */
export interface JobView {
  job_id: string;
  status: string;
  total: number;
  processed: number;
  created: number;
  duplicate: number;
  invalid: number;
  created_at: string;
  rows: {
    row: number;
    outcome: string;
    notice_id?: string;
    reason?: string;
    errors?: { pointer: string }[];
  }[];
  next_after_row: number | null;
}

export const upload = (
  app: TestApp,
  body: string | Buffer,
  type: string,
  as: Caller,
  headers: Record<string, string> = {},
) =>
  app.request({
    method: 'POST',
    url: '/v1/notices/bulk',
    as,
    payload: body,
    headers: { 'content-type': type, ...headers },
  });

export const bulkJob = (app: TestApp, id: string, as: Caller, query = '?limit=1000') =>
  app.request({ method: 'GET', url: `/v1/notices/bulk/${id}${query}`, as });

export function bulkWorker(ctx: AppContext, options: BulkProcessingOptions = {}): OutboxWorker {
  return new OutboxWorker({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log,
    handlers: { [BULK_TOPIC]: bulkJobHandler(ctx, options) },
  });
}

/** Runs outbox passes for the bulk topic until none is left to do. */
export async function drainBulk(app: TestApp, options: BulkProcessingOptions = {}): Promise<void> {
  const worker = bulkWorker(app.ctx, options);
  for (let pass = 0; pass < 1000; pass++) if ((await worker.runOnce()) === 0) return;
  throw new Error('the bulk outbox did not drain');
}
