import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { noticesOfCase } from '../cases/case-notices.ts';
import type { Clock } from '../core/clock.ts';
import { workerActor } from '../identity/actor.ts';
import { recordNoticeEvents } from '../notices/events.ts';
import { type ClaimedMessage, PermanentFailure, RetryLater, type TopicHandler } from '../outbox/worker.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { captureBeforeRemoval } from './capture-before-removal.ts';
import type { ConnectorOutcome, EnforcementAction } from './connectors/connector.ts';
import type { ActionMessage } from './jobs.ts';
import type { ConnectorName, Connectors } from './registry.ts';

/**
 * Runs enforcement jobs from the outbox through their connector. `applied` and
 * `already_done` both mean the goal holds; `retry` goes back to the outbox's backoff
 * (honouring a rate limit's retry-after); `failed` stops, marks the case for a person,
 * and says why. A job already applied is not applied again, whoever delivers it twice.
 */
interface Deps {
  db: Db;
  clock: Clock;
  connectors: Connectors;
  config?: { TAPIS_PRESERVATION_DAYS: number };
}

const captureDeps = (deps: Deps) => ({
  db: deps.db,
  clock: deps.clock,
  preservationDays: deps.config?.TAPIS_PRESERVATION_DAYS ?? 183,
});

export function applyHandler(deps: Deps): TopicHandler {
  return {
    backoff: { baseMs: 2_000, maxMs: 15 * 60_000, maxAttempts: 40 },
    handle: (m) => run(deps, m, 'apply'),
  };
}

export function revertHandler(deps: Deps): TopicHandler {
  return {
    backoff: { baseMs: 2_000, maxMs: 15 * 60_000, maxAttempts: 40 },
    handle: (m) => run(deps, m, 'revert'),
  };
}

async function run(deps: Deps, message: ClaimedMessage, operation: 'apply' | 'revert'): Promise<void> {
  const { action_id } = message.payload as ActionMessage;
  const row = await deps.db
    .selectFrom('enforcement_actions')
    .selectAll()
    .where('id', '=', action_id)
    .executeTakeFirstOrThrow();
  const expected = operation === 'apply' ? 'pending' : 'revert_pending';
  if (row.status !== expected && row.status !== 'failed' && row.status !== 'revert_failed') return;
  const connector = deps.connectors[row.connector as ConnectorName];
  if (!connector) throw new PermanentFailure(`the ${row.connector} connector is not configured any more`);
  const action: EnforcementAction = {
    action_id: row.id,
    type: row.type as EnforcementAction['type'],
    subject: row.subject as EnforcementAction['subject'],
    params: row.params as EnforcementAction['params'],
    case_id: row.case_id,
    decision_id: row.decision_id,
  };
  // MR5: a deletion first captures what it deletes (src/enforcement/capture-before-removal.ts).
  const stopped =
    operation === 'apply' ? await captureBeforeRemoval(captureDeps(deps), connector, action) : null;
  const outcome: ConnectorOutcome =
    stopped ?? (operation === 'apply' ? await connector.apply(action) : await connector.revert(action));
  const now = deps.clock();
  await deps.db
    .updateTable('enforcement_actions')
    .set({
      attempts: row.attempts + 1,
      last_error: outcome.status === 'retry' || outcome.status === 'failed' ? outcome.detail : null,
    })
    .where('id', '=', row.id)
    .execute();
  if (outcome.status === 'retry') {
    if (outcome.after_ms !== undefined) throw new RetryLater(outcome.detail, outcome.after_ms);
    throw new Error(outcome.detail);
  }
  const succeeded = outcome.status === 'applied' || outcome.status === 'already_done';
  await transact(deps.db, async (trx) => {
    const current = await lockCase(trx, row.case_id);
    const status = succeeded
      ? operation === 'apply'
        ? 'applied'
        : 'reverted'
      : operation === 'apply'
        ? 'failed'
        : 'revert_failed';
    await trx
      .updateTable('enforcement_actions')
      .set({
        status,
        external_ref:
          'external_ref' in outcome ? (outcome.external_ref ?? row.external_ref) : row.external_ref,
        ...(status === 'applied' ? { applied_at: now } : {}),
        ...(status === 'reverted' ? { reverted_at: now } : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (status === 'applied' && row.type === 'deliver_statement') {
      await trx
        .updateTable('statements')
        .set({ delivered_at: now })
        .where('decision_id', '=', row.decision_id)
        .execute();
    }
    const remaining = await trx
      .selectFrom('enforcement_actions')
      .select(['status'])
      .where('decision_id', '=', row.decision_id)
      .execute();
    const data = {
      action_id: row.id,
      type: row.type,
      connector: row.connector,
      outcome: outcome.status,
      detail: 'detail' in outcome ? outcome.detail : null,
    };
    if (operation === 'apply') {
      const failed = remaining.some((a) => a.status === 'failed');
      const pending = remaining.some((a) => a.status === 'pending');
      const to =
        current.status === 'under_appeal'
          ? 'under_appeal'
          : failed
            ? 'action_failed'
            : pending
              ? 'actioning'
              : 'closed';
      if (['actioning', 'action_failed', 'under_appeal'].includes(current.status)) {
        await recordCaseEvent(
          trx,
          current,
          workerActor,
          {
            type: succeeded ? 'action_applied' : 'action_failed',
            to,
            data,
            ...(to === 'closed' ? { set: { closed_at: now } } : {}),
          },
          now,
        );
      }
    } else {
      const pending = remaining.some((a) => a.status === 'revert_pending');
      if (current.status === 'reverting') {
        await recordCaseEvent(
          trx,
          current,
          workerActor,
          {
            type: succeeded ? 'reverted' : 'revert_failed',
            to: succeeded && !pending ? 'closed' : 'reverting',
            data,
          },
          now,
        );
      }
    }
    if (succeeded && row.type !== 'deliver_statement') {
      const notices = await noticesOfCase(trx, row.case_id);
      await recordNoticeEvents(
        trx,
        [...new Map(notices.map((n) => [n.id, n])).values()].map((n) => ({
          noticeId: n.id,
          orgId: n.org_id,
          type:
            operation === 'apply' ? ('notice.action_applied' as const) : ('notice.action_reverted' as const),
          data: { case_id: row.case_id, action: row.type, at: now },
        })),
        now,
      );
    }
  });
  if (!succeeded) throw new PermanentFailure(outcome.status === 'failed' ? outcome.detail : 'failed');
}
