import { lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { assertHolds, assertRoutedTo } from '../cases/queue.ts';
import { conflict, type FieldIssue, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { EnforcementSubject } from '../enforcement/connectors/connector.ts';
import { connectorSettings, platformConnector, statementConnector } from '../enforcement/registry.ts';
import type { Actor } from '../identity/actor.ts';
import { writeMessage } from '../notices/threads.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { AppContext } from '../runtime/context.ts';
import type { Db } from '../store/db.ts';
import type { Grounds } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import { finaliseDecision } from './finalise.ts';
import {
  type ActionRequest,
  type DecisionFacts,
  type DecisionOutcome,
  defaultActionRequests,
  fourEyesRuleFor,
  isRestrictive,
  type PlannedAction,
  permanentOutcomes,
  planActions,
  temporaryOutcomes,
} from './outcomes.ts';
import { caseTerritories, expandTerritories } from './territories.ts';

/**
 * Deciding a case: the reviewer holding it chooses an outcome with its grounds, the desk
 * works out the enforcement actions and warns when one cannot be undone, a four-eyes rule
 * may make the decision wait for a second reviewer, and otherwise it takes effect at once
 * (src/decisions/finalise.ts).
 */
export interface DecisionInput {
  outcome: DecisionOutcome;
  grounds?: Grounds | undefined;
  territories?: string[] | undefined;
  suspension?:
    | { target: 'channel' | 'account'; duration_days?: number | undefined; permanent?: boolean | undefined }
    | undefined;
  label?: string | undefined;
  /** The end of a temporary restriction other than a suspension (statement: end_date_*). */
  duration_days?: number | undefined;
  /** suspend_service / terminate_service: part of the service, or all of it. */
  service_scope?: 'partial' | 'total' | undefined;
  /** age_restrict: the minimum age. */
  min_age?: number | undefined;
  actions?: ActionRequest[] | undefined;
  acknowledge_irreversible?: boolean | undefined;
  facts?: string | undefined;
  content_type?: string[] | undefined;
  question?: string | undefined;
  template_id?: string | undefined;
  language?: string | undefined;
}

export interface Preview {
  outcome: DecisionOutcome;
  actions: PlannedAction[];
  irreversible: PlannedAction[];
  four_eyes: { rule: string } | null;
  warnings: string[];
}

const DAY = 86_400_000;

/** What a decision would do, without doing it: the desk shows this before the reviewer commits. */
export async function previewDecision(
  ctx: AppContext,
  caseId: string,
  input: DecisionInput,
  now: Date,
): Promise<Preview & { facts: DecisionFacts }> {
  const current = await ctx.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!current) throw notFound(`no case ${caseId}`);
  const issues: FieldIssue[] = [];
  if (isRestrictive(input.outcome) && !input.grounds?.illegal && !input.grounds?.incompatible) {
    issues.push({
      pointer: '/grounds',
      detail:
        'a restrictive decision needs a legal ground or a terms-of-service ground, with its explanation (DSA Art. 17(3))',
    });
  }
  if (input.outcome === 'restrict_in_jurisdiction' && !input.territories?.length) {
    issues.push({ pointer: '/territories', detail: 'name the territories where the content is restricted' });
  }
  if (input.outcome === 'suspend' && !input.suspension)
    issues.push({ pointer: '/suspension', detail: 'say what is suspended, and for how long or permanently' });
  if (input.suspension && !input.suspension.permanent && !input.suspension.duration_days) {
    issues.push({ pointer: '/suspension', detail: 'give duration_days, or permanent: true' });
  }
  if (input.outcome === 'label' && !input.label)
    issues.push({ pointer: '/label', detail: 'give the label to show' });
  if (temporaryOutcomes.includes(input.outcome) && !input.duration_days)
    issues.push({
      pointer: '/duration_days',
      detail: `a ${input.outcome.replaceAll('_', ' ')} is temporary: give duration_days (its end date goes in the statement of reasons)`,
    });
  if (input.duration_days && (permanentOutcomes.includes(input.outcome) || !isRestrictive(input.outcome)))
    issues.push({
      pointer: '/duration_days',
      detail: `a ${input.outcome.replaceAll('_', ' ')} decision has no end date`,
    });
  if (input.duration_days && input.outcome === 'suspend')
    issues.push({
      pointer: '/duration_days',
      detail: 'a suspension gives its end in suspension.duration_days',
    });
  const servicing = input.outcome === 'suspend_service' || input.outcome === 'terminate_service';
  if (servicing && !input.service_scope)
    issues.push({
      pointer: '/service_scope',
      detail: 'say whether part of the service or all of it: partial or total',
    });
  if (!servicing && input.service_scope)
    issues.push({
      pointer: '/service_scope',
      detail: 'only suspend_service and terminate_service have a scope',
    });
  if (input.min_age && input.outcome !== 'age_restrict')
    issues.push({ pointer: '/min_age', detail: 'only an age restriction has a minimum age' });
  if (input.outcome === 'request_clarification' && !input.question)
    issues.push({ pointer: '/question', detail: 'ask the notifier your question' });
  if (issues.length > 0) throw invalid(`${issues[0]!.pointer.slice(1)}: ${issues[0]!.detail}`, issues);

  const until =
    input.suspension && !input.suspension.permanent && input.suspension.duration_days
      ? new Date(now.getTime() + input.suspension.duration_days * DAY).toISOString()
      : null;
  const restrictionUntil = input.duration_days
    ? new Date(now.getTime() + input.duration_days * DAY).toISOString()
    : null;
  const facts: DecisionFacts = {
    outcome: input.outcome,
    // Where the decision applies: as given, else the case's jurisdictions; never a wildcard.
    territories: isRestrictive(input.outcome)
      ? expandTerritories(input.territories ?? (await caseTerritories(ctx.db, current)))
      : (input.territories ?? []),
    suspension: input.suspension ? { target: input.suspension.target, until } : null,
    label: input.label ?? null,
    category: current.category,
    restriction:
      restrictionUntil || input.service_scope || input.min_age
        ? {
            until: restrictionUntil,
            ...(input.service_scope ? { scope: input.service_scope } : {}),
            ...(input.min_age ? { min_age: input.min_age } : {}),
          }
        : null,
  };
  const requests = input.actions ?? defaultRequests(ctx, facts, current.subject as { kind: string });
  const plan = planActions(requests, current.subject as EnforcementSubject, ctx.connectors, input.outcome);
  if (!plan.ok) {
    // An outcome the platform's connector cannot carry out is not a fault of the request's
    // fields: a 409 naming the connector and the outcome. Actions the reviewer named: a 400.
    if (!input.actions && plan.unsupported) throw conflict(plan.reason, { not_supported: plan.unsupported });
    throw invalid(
      `actions[${plan.index}]: ${plan.reason}`,
      [{ pointer: `/actions/${plan.index}`, detail: plan.reason }],
      plan.unsupported ? { not_supported: plan.unsupported } : {},
    );
  }
  const policy = await currentPolicy(ctx.db);
  const rule = fourEyesRuleFor(policy.document.four_eyes, facts);
  const irreversible = plan.actions.filter((a) => !a.revertible);
  const warnings = irreversible.map(
    (a) =>
      `${a.type.replaceAll('_', ' ')} through the ${a.connector} connector cannot be undone: an upheld appeal will not restore it${a.note ? ` (${a.note})` : ''}`,
  );
  if (isRestrictive(input.outcome) && !statementConnector(ctx.connectors))
    warnings.push(
      'no webhook connector is configured: the statement of reasons cannot be delivered to the affected user automatically',
    );
  return {
    outcome: input.outcome,
    actions: plan.actions,
    irreversible,
    four_eyes: rule ? { rule: rule.note ?? `${rule.outcome} needs a second reviewer` } : null,
    warnings,
    facts,
  };
}

/**
 * The actions of the platform's own connector. With none configured, a decision that must
 * act is refused with the settings to set, before anything is written; `actions` can still
 * name another connector (the Telegram Bot API) explicitly.
 */
function defaultRequests(ctx: AppContext, facts: DecisionFacts, subject: { kind: string }) {
  const connector = platformConnector(ctx.connectors);
  if (connector) return defaultActionRequests(facts, subject, connector);
  const requests = defaultActionRequests(facts, subject, 'webhook');
  if (requests.length === 0) return requests;
  throw conflict(
    `no enforcement connector is configured, so a ${facts.outcome.replaceAll('_', ' ')} decision cannot be carried out: ` +
      `set ${connectorSettings.webhook}, or ${connectorSettings.demo_platform}; ` +
      `or name the Telegram Bot API connector in actions (it needs ${connectorSettings.telegram_bot})`,
    {
      settings: [
        'TAPIS_PLATFORM_WEBHOOK_URL',
        'TAPIS_PLATFORM_WEBHOOK_SECRET',
        'TAPIS_TELEGRAM_BOT_TOKEN',
        'TAPIS_DEMO',
      ],
    },
  );
}

export async function decideCase(
  ctx: AppContext,
  actor: Actor,
  caseId: string,
  input: DecisionInput,
  now: Date,
) {
  const preview = await previewDecision(ctx, caseId, input, now);
  if (preview.irreversible.length > 0 && !input.acknowledge_irreversible) {
    throw conflict(
      `this decision cannot be undone: ${preview.warnings[0]}. Send acknowledge_irreversible: true to go ahead.`,
      {
        irreversible_actions: preview.irreversible.map((a) => ({
          type: a.type,
          connector: a.connector,
          note: a.note ?? null,
        })),
      },
    );
  }
  const policy = await currentPolicy(ctx.db);
  return transact(ctx.db, async (trx) => {
    const current = await lockCase(trx, caseId);
    assertHolds(actor, current, now);

    if (input.outcome === 'request_clarification') {
      const open = await trx
        .selectFrom('notice_targets')
        .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
        .select('notices.id')
        .distinct()
        .where('notice_targets.case_id', '=', caseId)
        .where('notices.closed_at', 'is', null)
        .where('notices.paused_since', 'is', null)
        .execute();
      if (open.length === 0) throw conflict('no notice of this case can be asked for clarification');
      for (const notice of open) {
        await writeMessage(
          trx,
          actor,
          notice.id,
          { kind: 'clarification_request', body: input.question! },
          policy.document.at_risk_thresholds,
          now,
        );
      }
      await recordCaseEvent(
        trx,
        current,
        actor,
        {
          type: 'clarification_requested',
          data: { question: input.question, notice_ids: open.map((n) => n.id) },
          set: { assigned_to: null, lease_until: null },
        },
        now,
      );
      return {
        decision_id: null,
        status: 'awaiting_clarification',
        case_status: 'awaiting_clarification',
        actions: [],
        statement_url: null,
      };
    }

    const decisionId = newId();
    const needsApproval = preview.four_eyes !== null;
    const row = {
      id: decisionId,
      case_id: caseId,
      decided_by: actor.id,
      outcome: input.outcome,
      grounds: JSON.stringify(input.grounds ?? {}),
      territories: preview.facts.territories,
      suspension: JSON.stringify(preview.facts.suspension),
      restriction: JSON.stringify(preview.facts.restriction ?? null),
      label: preview.facts.label,
      actions: JSON.stringify(preview.actions),
      irreversible: preview.irreversible.length > 0,
      irreversible_acknowledged: Boolean(input.acknowledge_irreversible),
      automated_detection: current.hash_match_confidence !== null,
      automated_decision: false,
      language: input.language ?? current.language,
      template_id: input.template_id ?? null,
      status: needsApproval ? 'pending_approval' : 'final',
      needs_approval: preview.four_eyes?.rule ?? null,
      created_at: now,
    };
    await trx.insertInto('decisions').values(row).execute();
    const data = {
      decision_id: decisionId,
      outcome: input.outcome,
      actions: preview.actions.map((a) => ({
        type: a.type,
        connector: a.connector,
        revertible: a.revertible,
      })),
    };
    if (needsApproval) {
      await recordCaseEvent(
        trx,
        current,
        actor,
        {
          type: 'decided',
          to: 'pending_approval',
          data: { ...data, waits_for: preview.four_eyes!.rule },
          set: { decision_id: decisionId, assigned_to: null, lease_until: null },
        },
        now,
      );
      return {
        decision_id: decisionId,
        status: 'pending_approval',
        case_status: 'pending_approval',
        actions: preview.actions,
        statement_url: null,
      };
    }
    const done = await finaliseDecision(
      ctx,
      trx,
      current,
      actor,
      'decided',
      { ...input, facts: input.facts },
      { id: decisionId, actions: preview.actions, facts: preview.facts },
      now,
    );
    return { decision_id: decisionId, status: 'final', ...done };
  });
}

/** The second pair of eyes: another reviewer approves, and the decision takes effect. */
export async function approveDecision(ctx: AppContext, actor: Actor, decisionId: string, now: Date) {
  const decision = await ctx.db
    .selectFrom('decisions')
    .selectAll()
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!decision) throw notFound(`no decision ${decisionId}`);
  if (decision.decided_by === actor.id)
    throw forbidden(
      'a decision under the four-eyes rule is approved by a second reviewer, not by its author',
    );
  return transact(ctx.db, async (trx) => {
    const current = await settlePending(trx, decision.case_id, decisionId, 'final', actor, now);
    const suspension = decision.suspension as DecisionFacts['suspension'];
    const facts: DecisionFacts = {
      outcome: decision.outcome as DecisionOutcome,
      territories: decision.territories,
      suspension,
      label: decision.label,
      category: current.category,
      restriction: decision.restriction as DecisionFacts['restriction'],
    };
    const done = await finaliseDecision(
      ctx,
      trx,
      current,
      actor,
      'approved',
      {
        outcome: decision.outcome as DecisionOutcome,
        grounds: decision.grounds as Grounds,
        acknowledge_irreversible: decision.irreversible_acknowledged,
      },
      { id: decisionId, actions: decision.actions as PlannedAction[], facts },
      now,
    );
    return { decision_id: decisionId, status: 'final', ...done };
  });
}

/** The second reviewer disagrees: the decision is set aside and the case goes back to the queue. */
export async function refuseApproval(
  ctx: AppContext,
  actor: Actor,
  decisionId: string,
  reason: string,
  now: Date,
) {
  const decision = await ctx.db
    .selectFrom('decisions')
    .select(['case_id', 'decided_by', 'status'])
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!decision) throw notFound(`no decision ${decisionId}`);
  if (decision.decided_by === actor.id)
    throw forbidden('the author of a decision cannot refuse it for the second reviewer');
  return transact(ctx.db, async (trx) => {
    const current = await settlePending(trx, decision.case_id, decisionId, 'refused', actor, now);
    await recordCaseEvent(
      trx,
      current,
      actor,
      { type: 'approval_refused', data: { decision_id: decisionId, reason }, set: { decision_id: null } },
      now,
    );
    return { decision_id: decisionId, status: 'refused' };
  });
}

/**
 * The second reviewer's answer to a decision waiting for approval: locks its case, checks
 * that the decision still waits (a 409 otherwise) and records who settled it and how.
 * Returns the locked case.
 */
async function settlePending(
  trx: Db,
  caseId: string,
  decisionId: string,
  status: 'final' | 'refused',
  actor: Actor,
  now: Date,
) {
  const current = await lockCase(trx, caseId);
  // The second pair of eyes covers the case's jurisdiction and language, as a claim must.
  assertRoutedTo(actor, current, 'case');
  const fresh = await trx
    .selectFrom('decisions')
    .select('status')
    .where('id', '=', decisionId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (fresh.status !== 'pending_approval')
    throw conflict(`the decision is ${fresh.status}, not waiting for approval`);
  await trx
    .updateTable('decisions')
    .set({ status, approved_by: actor.id, approved_at: now })
    .where('id', '=', decisionId)
    .execute();
  return current;
}
