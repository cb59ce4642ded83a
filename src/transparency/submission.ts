import { sql } from 'kysely';
import type { Logger } from 'pino';
import { enqueue } from '../outbox/outbox.ts';
import { type ClaimedMessage, RetryLater, type TopicHandler } from '../outbox/worker.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { exportable } from './statement-export.ts';
import type { TdbClient } from './tdb-client.ts';
import type { TdbStatement } from './tdb-mapping.ts';
import { validateTdbStatement } from './tdb-validation.ts';

/**
 * Submission of statements of reasons to the DSA Transparency Database (DSA Art. 24(5)).
 * Each statement gets one row in tdb_submissions, its state; a sweep gives every new
 * statement its row and, in the same transaction, an outbox message per batch of up to 100
 * (the database's limit). The handler sends only what is still pending, so a retried
 * message resends nothing already stored; a puid the database already holds (a crash after
 * it stored the batch, before tapis recorded it) counts as submitted. Each statement is
 * therefore submitted once.
 */
export const TDB_TOPIC = 'transparency.tdb_submit';
export const TDB_BATCH = 100;
export const TDB_SWEEP_EVERY_MS = 60_000;

interface Payload {
  statement_ids: string[];
}

/** Gives new statements their submission row and queues them in batches; returns how many were queued. */
export async function queueSubmissions(db: Db, now: Date, limit = 2000): Promise<number> {
  return transact(db, async (trx) => {
    const fresh = await trx
      .selectFrom('statements')
      .leftJoin('tdb_submissions', 'tdb_submissions.statement_id', 'statements.id')
      .select(['statements.id', 'statements.puid', 'statements.content'])
      .where('tdb_submissions.statement_id', 'is', null)
      .orderBy('statements.created_at')
      .orderBy('statements.id')
      .limit(limit)
      .execute();
    if (fresh.length === 0) return 0;
    const rows = fresh.map((s) => ({
      statement_id: s.id,
      puid: s.puid,
      status: exportable(s.content) ? ('pending' as const) : ('outside_eea' as const),
      queued_at: now,
    }));
    // Another sweeper may have taken some: only what this one inserted is queued by it.
    const inserted = await trx
      .insertInto('tdb_submissions')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning(['statement_id', 'status'])
      .execute();
    const pending = inserted.filter((r) => r.status === 'pending').map((r) => r.statement_id);
    const messages = [];
    for (let i = 0; i < pending.length; i += TDB_BATCH)
      messages.push({ topic: TDB_TOPIC, payload: { statement_ids: pending.slice(i, i + TDB_BATCH) } });
    const ids = await enqueue(trx, messages, now);
    for (const [i, outboxId] of ids.entries())
      await trx
        .updateTable('tdb_submissions')
        .set({ outbox_id: outboxId })
        .where('statement_id', 'in', pending.slice(i * TDB_BATCH, (i + 1) * TDB_BATCH))
        .execute();
    return pending.length;
  });
}

export function tdbSubmitHandler(deps: {
  db: Db;
  client: TdbClient;
  clock: () => Date;
  log: Logger;
}): TopicHandler {
  const { db, client, clock } = deps;
  const mark = (ids: string[], set: Record<string, unknown>) =>
    ids.length === 0
      ? Promise.resolve()
      : db
          .updateTable('tdb_submissions')
          .set(set)
          .where('statement_id', 'in', ids)
          .where('status', '=', 'pending')
          .execute()
          .then(() => undefined);

  return {
    backoff: { baseMs: 30_000, maxMs: 6 * 60 * 60 * 1000, maxAttempts: 30 },
    async handle(message: ClaimedMessage) {
      const { statement_ids } = message.payload as Payload;
      const rows = await db
        .selectFrom('tdb_submissions')
        .innerJoin('statements', 'statements.id', 'tdb_submissions.statement_id')
        .select(['statements.id', 'statements.content'])
        .where('tdb_submissions.statement_id', 'in', statement_ids)
        .where('tdb_submissions.status', '=', 'pending')
        .orderBy('statements.created_at')
        .execute();
      let batch: { id: string; statement: TdbStatement }[] = [];
      for (const row of rows) {
        const statement = exportable(row.content);
        const check = statement ? validateTdbStatement(statement) : null;
        // Never send what the database would refuse: it would refuse the whole batch.
        if (!statement || !check?.ok)
          await mark([row.id], {
            status: 'refused',
            last_error:
              `refused by tapis before sending: ${JSON.stringify(check?.errors ?? 'outside the EU/EEA')}`.slice(
                0,
                2000,
              ),
          });
        else batch.push({ id: row.id, statement });
      }
      // A refusal or a duplicate leaves the rest of the batch unsent: send the rest at once.
      for (let round = 0; batch.length > 0 && round < 5; round++) {
        await db
          .updateTable('tdb_submissions')
          .set({ attempts: sql`attempts + 1` })
          .where(
            'statement_id',
            'in',
            batch.map((b) => b.id),
          )
          .execute();
        const answer = await client.submit(batch.map((b) => b.statement));
        const now = clock();
        if (answer.kind === 'accepted') {
          for (const [i, item] of batch.entries())
            await mark([item.id], {
              status: 'submitted',
              submitted_at: now,
              tdb_uuid: answer.uuids[i],
              last_error: null,
            });
          deps.log.info({ statements: batch.length }, 'statements submitted to the Transparency Database');
          return;
        }
        if (answer.kind === 'refused') {
          const refused = batch.filter((_, i) => answer.refusals[i] !== undefined);
          for (const [i, item] of batch.entries())
            if (answer.refusals[i] !== undefined)
              await mark([item.id], { status: 'refused', last_error: answer.refusals[i]! });
          batch = batch.filter((item) => !refused.includes(item));
          continue;
        }
        if (answer.kind === 'duplicates') {
          const known = new Set(answer.puids);
          const already = batch.filter((b) => known.has(String(b.statement.puid)));
          await mark(
            already.map((b) => b.id),
            { status: 'submitted', submitted_at: now, last_error: 'the database already held this puid' },
          );
          if (already.length === 0) throw new Error('the database named duplicate puids tapis did not send');
          batch = batch.filter((b) => !already.includes(b));
          continue;
        }
        await mark(
          batch.map((b) => b.id),
          { last_error: answer.detail },
        );
        if (answer.afterMs) throw new RetryLater(answer.detail, answer.afterMs);
        throw new Error(answer.detail);
      }
    },
    async onDead(trx, message, reason) {
      const { statement_ids } = message.payload as Payload;
      await trx
        .updateTable('tdb_submissions')
        .set({ status: 'failed', last_error: reason.slice(0, 2000) })
        .where('statement_id', 'in', statement_ids)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}

/** How many statements are in each state: for the operator, and the report. */
export async function submissionStates(db: Db) {
  const rows = await db
    .selectFrom('tdb_submissions')
    .select(['status', db.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  const states = { pending: 0, submitted: 0, refused: 0, failed: 0, outside_eea: 0 };
  for (const row of rows) states[row.status] = Number(row.n);
  return states;
}
