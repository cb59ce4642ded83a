import type { Clock } from '../core/clock.ts';
import { workerActor } from '../identity/actor.ts';
import { depositContent } from '../preservation/deposit.ts';
import type { Db } from '../store/db.ts';
import type { Connector, ConnectorOutcome, EnforcementAction } from './connectors/connector.ts';
import type { Capture } from './connectors/telegram-bot.ts';

/**
 * MR5: takedown hides; it does not destroy evidence. A connector that deletes (the Telegram
 * Bot API's remove_message) first captures the message: the forwarded copy's Message is
 * deposited as the case's preserved content, kept for the preservation period like any
 * deposit. When it cannot be captured, the deletion goes ahead only if tapis already holds
 * evidence of the case (the notices' files, or deposited content); otherwise it fails with a
 * reason, and a person deposits what they have and retries the action (decision 0022).
 *
 * Returns null to go on with the action, or the outcome that stops it.
 */
interface Capturing {
  captureMessage(action: EnforcementAction): Promise<Capture>;
}

const capturing = (connector: Connector): connector is Connector & Capturing =>
  typeof (connector as Partial<Capturing>).captureMessage === 'function';

const description = (actionId: string) => `Telegram message captured before deletion (action ${actionId})`;

export async function captureBeforeRemoval(
  deps: { db: Db; clock: Clock; preservationDays: number },
  connector: Connector,
  action: EnforcementAction,
): Promise<ConnectorOutcome | null> {
  if (action.type !== 'remove_message' || !capturing(connector)) return null;
  // A retry after the capture (the deletion failed, say) does not capture twice.
  const done = await deps.db
    .selectFrom('preserved_content')
    .select('id')
    .where('case_id', '=', action.case_id)
    .where('description', '=', description(action.action_id))
    .executeTakeFirst();
  if (done) return null;
  const capture = await connector.captureMessage(action);
  if (capture.ok) {
    const now = deps.clock();
    const text = JSON.stringify(
      { captured_at: now.toISOString(), evidence_copy: capture.copy, message: capture.message },
      null,
      2,
    );
    await depositContent(
      deps.db,
      workerActor,
      action.case_id,
      { kind: 'text', description: description(action.action_id), text },
      deps.preservationDays,
      now,
    );
    return null;
  }
  if (capture.outcome.status === 'retry') return capture.outcome;
  if (await holdsEvidence(deps.db, action.case_id)) return null;
  return {
    status: 'failed',
    detail: `not deleted: the message could not be captured first (${capture.outcome.detail}) and tapis holds no evidence of this case; deposit what you have of it (POST /v1/cases/${action.case_id}/preserved-content), then retry the action`,
  };
}

async function holdsEvidence(db: Db, caseId: string): Promise<boolean> {
  const [content, evidence] = await Promise.all([
    db
      .selectFrom('preserved_content')
      .select('id')
      .where('case_id', '=', caseId)
      .where('purged_at', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('evidence')
      .select('evidence.id')
      .where('evidence.purged_at', 'is', null)
      .where('evidence.notice_id', 'in', (eb) =>
        eb.selectFrom('notice_targets').select('notice_id').where('case_id', '=', caseId),
      )
      .executeTakeFirst(),
  ]);
  return Boolean(content || evidence);
}
