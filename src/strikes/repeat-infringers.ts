import { appendAudit } from '../audit/log.ts';
import type { CaseRow } from '../cases/case-events.ts';
import { newId } from '../core/ids.ts';
import { defaultActionRequests, type PlannedAction, planActions } from '../decisions/outcomes.ts';
import { buildStatement } from '../decisions/statement.ts';
import { appealDeadline, statementLinks } from '../decisions/statement-links.ts';
import { caseTerritories, expandTerritories } from '../decisions/territories.ts';
import { scheduleActions, scheduleReverts } from '../enforcement/jobs.ts';
import { platformConnector, statementConnector } from '../enforcement/registry.ts';
import type { SystemActor } from '../identity/actor.ts';
import { randomToken, tokenHash } from '../identity/secrets.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { AppContext } from '../runtime/context.ts';
import type { Db } from '../store/db.ts';
import type { Grounds } from '../store/schema/index.ts';
import { measureFor, type StrikeKey, strikeKeys } from './keys.ts';
import type { RepeatInfringerSchema } from './rules.ts';

/**
 * Repeat infringers (DSA Art. 23(1),(3)). Every upheld restrictive decision is a strike
 * against the channel and the account it concerns; strikes that an appeal overturns stop
 * counting. When the strikes in the SOP policy's window reach its thresholds, the desk
 * itself decides, in the same transaction: first a warning, then — at the next threshold,
 * after that warning — a suspension for the policy's "reasonable period". Each is a decision
 * row of its own, carried out by the connectors like any other; the suspension has a
 * statement of reasons, the warning's reasons travel with it (docs/decisions/0018).
 */
export const REPEAT_INFRINGER_ID = '00000000-0000-4000-8000-0000000023a1';
export const repeatInfringerActor: SystemActor = { type: 'system', id: REPEAT_INFRINGER_ID };

const DAY = 86_400_000;

export interface StrikeOutcome {
  key_kind: 'account' | 'channel';
  key: string;
  strikes: number;
  measure: 'none' | 'warning' | 'suspension';
  decision_id: string | null;
}

export async function recordStrikes(
  ctx: AppContext,
  trx: Db,
  current: CaseRow,
  decision: { id: string; actions: PlannedAction[] },
  now: Date,
): Promise<StrikeOutcome[]> {
  const rules = (await currentPolicy(trx)).document.repeat_infringers;
  if (rules.categories && !rules.categories.includes(current.category)) return [];
  const userIds = decision.actions.flatMap((a) => (a.subject.user_id ? [a.subject.user_id] : []));
  const keys = strikeKeys(current.subject as Parameters<typeof strikeKeys>[0], userIds);
  const outcomes: StrikeOutcome[] = [];
  for (const key of keys) {
    await trx
      .insertInto('strikes')
      .values({
        id: newId(),
        decision_id: decision.id,
        case_id: current.id,
        key_kind: key.kind,
        key: key.key,
        category: current.category,
        created_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const strikes = await activeStrikes(trx, key, rules, now);
    const history = await measureHistory(trx, key);
    const measure = measureFor(strikes, history, rules, now);
    let decisionId: string | null = null;
    if (measure.kind !== 'none')
      decisionId = await takeMeasure(ctx, trx, current, key, measure, strikes, rules, now, decision.id);
    outcomes.push({
      key_kind: key.kind,
      key: key.key,
      strikes,
      measure: measure.kind,
      decision_id: decisionId,
    });
  }
  return outcomes;
}

async function activeStrikes(
  trx: Db,
  key: Pick<StrikeKey, 'kind' | 'key'>,
  rules: RepeatInfringerSchema,
  now: Date,
) {
  const row = await trx
    .selectFrom('strikes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('key_kind', '=', key.kind)
    .where('key', '=', key.key)
    .where('revoked_at', 'is', null)
    .where('created_at', '>', new Date(now.getTime() - rules.window_days * DAY))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function measureHistory(trx: Db, key: Pick<StrikeKey, 'kind' | 'key'>) {
  const rows = await trx
    .selectFrom('repeat_infringer_measures')
    .innerJoin('decisions', 'decisions.id', 'repeat_infringer_measures.decision_id')
    .select([
      'repeat_infringer_measures.kind',
      'repeat_infringer_measures.created_at',
      'repeat_infringer_measures.until',
      'decisions.reverted_at',
    ])
    .where('key_kind', '=', key.kind)
    .where('key', '=', key.key)
    .orderBy('repeat_infringer_measures.created_at', 'desc')
    .execute();
  // A warning whose strike an appeal overturned was never due: it does not count.
  const warning = rows.find((r) => r.kind === 'warning' && !r.reverted_at);
  // A suspension an appeal overturned does not hold now, but it did follow a warning.
  const suspension = rows.find((r) => r.kind === 'suspension');
  return {
    lastWarningAt: warning ? new Date(warning.created_at) : null,
    lastSuspensionAt: suspension ? new Date(suspension.created_at) : null,
    suspendedUntil: suspension?.until && !suspension.reverted_at ? new Date(suspension.until) : null,
  };
}

async function takeMeasure(
  ctx: AppContext,
  trx: Db,
  current: CaseRow,
  key: StrikeKey,
  measure: { kind: 'warning' } | { kind: 'suspension'; until: Date },
  strikes: number,
  rules: RepeatInfringerSchema,
  now: Date,
  triggerDecisionId: string,
): Promise<string> {
  const decisionId = newId();
  const what = key.kind === 'account' ? 'account' : 'channel';
  const explanation =
    measure.kind === 'warning'
      ? `${strikes} restrictive decisions against this ${what} in ${rules.window_days} days. This is a warning (DSA Art. 23(1)): at ${rules.suspension_at} the ${what} is suspended for ${rules.suspension_days} days.`
      : `${strikes} restrictive decisions against this ${what} in ${rules.window_days} days, after a prior warning: the ${what} is suspended for ${rules.suspension_days} days (DSA Art. 23(1),(3)).`;
  const grounds: Grounds = {
    incompatible: { ground: 'Terms of service: repeat infringement policy (DSA Art. 23)', explanation },
  };
  const suspension =
    measure.kind === 'suspension' ? { target: key.kind, until: measure.until.toISOString() } : null;
  const connector = platformConnector(ctx.connectors);
  let actions: PlannedAction[] = [];
  let notCarriedOut: string | null = null;
  if (connector) {
    const requests =
      measure.kind === 'warning'
        ? [{ type: 'deliver_warning' as const, connector }]
        : defaultActionRequests(
            { outcome: 'suspend', territories: [], suspension, label: null, category: current.category },
            key.subject,
            connector,
          );
    const plan = planActions(
      requests,
      key.subject,
      ctx.connectors,
      measure.kind === 'warning' ? 'warn' : 'suspend',
    );
    if (plan.ok)
      actions = plan.actions.map((a) =>
        measure.kind === 'warning' ? { ...a, params: { ...a.params, reason: explanation } } : a,
      );
    else notCarriedOut = plan.reason;
  } else notCarriedOut = 'no enforcement connector is configured';

  await trx
    .insertInto('decisions')
    .values({
      id: decisionId,
      case_id: current.id,
      decided_by: REPEAT_INFRINGER_ID,
      outcome: measure.kind === 'warning' ? 'warn' : 'suspend',
      grounds: JSON.stringify(grounds),
      territories: [],
      suspension: JSON.stringify(suspension),
      restriction: null,
      label: null,
      actions: JSON.stringify(actions),
      irreversible: false,
      irreversible_acknowledged: false,
      automated_detection: false,
      automated_decision: true,
      automation: 'fully',
      language: current.language,
      template_id: null,
      status: 'final',
      needs_approval: null,
      created_at: now,
    })
    .execute();
  let statementUrl: string | null = null;
  if (measure.kind === 'suspension') {
    const token = randomToken(40);
    const links = statementLinks(ctx.config.publicUrl, token);
    statementUrl = links.page;
    const appealUntil = appealDeadline(now);
    const content = buildStatement({
      puid: decisionId,
      outcome: 'suspend',
      grounds,
      category: current.category,
      territories: expandTerritories(await caseTerritories(trx, current)),
      suspension,
      actions,
      sourceTypes: [],
      automatedDetection: false,
      automatedDecision: 'fully',
      facts: explanation,
      contentType: ['CONTENT_TYPE_TEXT'],
      contentDate: current.opened_at,
      language: current.language,
      decidedAt: now,
      appealUntil,
      appealUrl: links.appeal,
    });
    await trx
      .insertInto('statements')
      .values({
        id: newId(),
        decision_id: decisionId,
        case_id: current.id,
        token_hash: tokenHash(token),
        puid: content.puid,
        content: JSON.stringify(content),
        appeal_until: appealUntil,
        created_at: now,
      })
      .execute();
    const deliverer = statementConnector(ctx.connectors);
    if (deliverer && actions.length > 0)
      actions.push({
        type: 'deliver_statement',
        connector: deliverer,
        subject: key.subject,
        params: { statement_url: statementUrl, reason: content.category },
        revertible: false,
      });
  }
  await scheduleActions(trx, { id: decisionId, case_id: current.id }, actions, now);
  await trx
    .insertInto('repeat_infringer_measures')
    .values({
      id: newId(),
      key_kind: key.kind,
      key: key.key,
      kind: measure.kind,
      decision_id: decisionId,
      case_id: current.id,
      trigger_decision_id: triggerDecisionId,
      strikes,
      until: measure.kind === 'suspension' ? measure.until : null,
      created_at: now,
    })
    .execute();
  await appendAudit(
    trx,
    repeatInfringerActor,
    {
      action: measure.kind === 'warning' ? 'repeat_infringer.warned' : 'repeat_infringer.suspended',
      objectType: key.kind,
      objectId: key.key,
      change: {
        decision_id: decisionId,
        case_id: current.id,
        strikes,
        window_days: rules.window_days,
        until: suspension?.until ?? null,
        actions: actions.map((a) => ({ type: a.type, connector: a.connector })),
        statement: statementUrl !== null,
        not_carried_out: notCarriedOut,
        reasons: explanation,
      },
    },
    now,
  );
  return decisionId;
}

/**
 * An appeal overturned the decision: its strikes stop counting (DSA Art. 23(3): the facts
 * weighed), and the warning or suspension its strike called for falls with it: the
 * suspension's actions are reverted through their connectors, the warning no longer counts.
 */
export async function revokeStrikes(trx: Db, decisionId: string, reason: string, now: Date): Promise<number> {
  const result = await trx
    .updateTable('strikes')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('decision_id', '=', decisionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const measures = await trx
    .selectFrom('repeat_infringer_measures')
    .innerJoin('decisions', 'decisions.id', 'repeat_infringer_measures.decision_id')
    .select([
      'repeat_infringer_measures.decision_id',
      'repeat_infringer_measures.kind',
      'repeat_infringer_measures.key',
      'repeat_infringer_measures.key_kind',
    ])
    .where('repeat_infringer_measures.trigger_decision_id', '=', decisionId)
    .where('decisions.reverted_at', 'is', null)
    .execute();
  for (const measure of measures) {
    await trx
      .updateTable('decisions')
      .set({ reverted_at: now })
      .where('id', '=', measure.decision_id)
      .execute();
    // A failed action never took effect: cancelled, so that no retry applies a lifted measure.
    await trx
      .updateTable('enforcement_actions')
      .set({ status: 'cancelled' })
      .where('decision_id', '=', measure.decision_id)
      .where('status', 'in', ['failed', 'pending'])
      .execute();
    const reverts = await scheduleReverts(trx, measure.decision_id, now);
    await appendAudit(
      trx,
      repeatInfringerActor,
      {
        action:
          measure.kind === 'warning'
            ? 'repeat_infringer.warning_withdrawn'
            : 'repeat_infringer.suspension_lifted',
        objectType: measure.key_kind,
        objectId: measure.key,
        change: { decision_id: measure.decision_id, overturned_decision_id: decisionId, reverts, reason },
      },
      now,
    );
  }
  return Number(result.numUpdatedRows);
}

/** The strikes against a case's channel and account, for the case view. */
export async function strikesOfCase(
  db: Db,
  current: { subject: unknown; category: string },
  userIds: readonly string[],
  now: Date,
) {
  const rules = (await currentPolicy(db)).document.repeat_infringers;
  const keys = strikeKeys(current.subject as Parameters<typeof strikeKeys>[0], userIds);
  return Promise.all(
    keys.map(async (key) => {
      const history = await measureHistory(db, key);
      return {
        key_kind: key.kind,
        key: key.key,
        active: await activeStrikes(db, key, rules, now),
        warning_at: rules.warning_at,
        suspension_at: rules.suspension_at,
        window_days: rules.window_days,
        last_warning_at: history.lastWarningAt,
        suspended_until:
          history.suspendedUntil && history.suspendedUntil.getTime() > now.getTime()
            ? history.suspendedUntil
            : null,
      };
    }),
  );
}
