import { appendAudit } from '../audit/log.ts';
import { type CaseRow, writeCaseEvent } from '../cases/case-events.ts';
import { noticesOfCase } from '../cases/case-notices.ts';
import { newId } from '../core/ids.ts';
import { scheduleActions } from '../enforcement/jobs.ts';
import { statementConnector } from '../enforcement/registry.ts';
import { markPrecisionDue } from '../flaggers/precision-review.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import { randomToken, tokenHash } from '../identity/secrets.ts';
import { type NoticeEvent, recordNoticeEvents } from '../notices/events.ts';
import { stopClock } from '../notices/notice-clock.ts';
import { preserveForDecision } from '../preservation/preserve.ts';
import type { AppContext } from '../runtime/context.ts';
import { automationOfDecision } from '../scanning/automation-facts.ts';
import type { Db } from '../store/db.ts';
import type { Grounds } from '../store/schema/index.ts';
import { recordStrikes } from '../strikes/repeat-infringers.ts';
import {
  caseOutcomeOf,
  type DecisionFacts,
  type DecisionOutcome,
  isRestrictive,
  type PlannedAction,
} from './outcomes.ts';
import { buildStatement } from './statement.ts';
import { appealDeadline, statementLinks } from './statement-links.ts';
import { caseTerritories, expandTerritories } from './territories.ts';

/**
 * A decision takes effect, in the transaction that made or approved it: its enforcement
 * jobs are scheduled, the statement of reasons is issued (and its delivery to the affected
 * user scheduled), the case records its outcome, and every notifier is told the outcome
 * and how to seek redress (DSA Art. 16(5)).
 */
export interface FinaliseInput {
  outcome: DecisionOutcome;
  grounds?: Grounds | undefined;
  facts?: string | undefined;
  content_type?: string[] | undefined;
  acknowledge_irreversible?: boolean | undefined;
}

export async function finaliseDecision(
  ctx: AppContext,
  trx: Db,
  current: CaseRow,
  actor: Actor | SystemActor,
  event: 'decided' | 'approved',
  input: FinaliseInput,
  decision: { id: string; actions: PlannedAction[]; facts: DecisionFacts },
  now: Date,
) {
  const outcome = caseOutcomeOf[input.outcome as Exclude<DecisionOutcome, 'request_clarification'>];
  const notices = await noticesOfCase(trx, current.id);
  const actions = [...decision.actions];

  let statementUrl: string | null = null;
  if (isRestrictive(input.outcome)) {
    // TCO Art. 6: what was removed is kept for the preservation period, then purged.
    await preserveForDecision(trx, current.id, now, ctx.config.TAPIS_PRESERVATION_DAYS);
    const token = randomToken(40);
    const links = statementLinks(ctx.config.publicUrl, token);
    statementUrl = links.page;
    const appealUntil = appealDeadline(now);
    const automation = await automationOfDecision(trx, decision.id, current.id);
    const sources = [...new Set(notices.map((n) => n.source_type))];
    const content = buildStatement({
      // The decision's id: unique, never reused, and of the characters the database accepts.
      puid: decision.id,
      outcome: input.outcome,
      grounds: input.grounds ?? {},
      category: current.category,
      // Never a wildcard: an automated decision names none, so the case's own apply.
      territories: decision.facts.territories.length
        ? decision.facts.territories
        : expandTerritories(await caseTerritories(trx, current)),
      suspension: decision.facts.suspension,
      actions,
      sourceTypes: sources,
      sourceIdentity: await sourceIdentityOf(trx, notices),
      automatedDetection: automation.detection,
      automatedDecision: automation.decision ?? 'not',
      automation,
      facts:
        input.facts ??
        `Decided on ${notices.length} notice(s) about ${(current.subject as { url?: string }).url ?? current.subject_key}.`,
      contentType: input.content_type ?? ['CONTENT_TYPE_TEXT'],
      // When the content was posted is not known to tapis: it was posted by the day it was first reported.
      contentDate: notices[0]?.received_at ?? current.opened_at,
      language: current.language,
      decidedAt: now,
      appealUntil,
      appealUrl: links.appeal,
    });
    await trx
      .insertInto('statements')
      .values({
        id: newId(),
        decision_id: decision.id,
        case_id: current.id,
        token_hash: tokenHash(token),
        puid: content.puid,
        content: JSON.stringify(content),
        appeal_until: appealUntil,
        created_at: now,
      })
      .execute();
    // The statement reaches the affected user through the platform (DSA Art. 17(1)).
    const deliverer = statementConnector(ctx.connectors);
    if (deliverer) {
      actions.push({
        type: 'deliver_statement',
        connector: deliverer,
        subject: decision.actions[0]?.subject ?? (current.subject as PlannedAction['subject']),
        params: { statement_url: statementUrl, reason: content.category },
        revertible: false,
      });
    }
  }
  await scheduleActions(trx, { id: decision.id, case_id: current.id }, actions, now);
  // DSA Art. 23(1): an upheld restriction is a strike; enough of them warn, then suspend.
  const strikes = isRestrictive(input.outcome)
    ? await recordStrikes(ctx, trx, current, { id: decision.id, actions: decision.actions }, now)
    : [];

  const to = actions.length > 0 ? 'actioning' : 'closed';
  // The case event now, its audit entry last (writeCaseEvent): the chain's lock is then held
  // for the entry, the precision mark and the commit, not for the notices' settling as well
  // (unless something earlier in the transaction appended already: a repeat-infringer measure).
  const { audit } = await writeCaseEvent(
    trx,
    current,
    actor,
    {
      type: event,
      to,
      data: {
        decision_id: decision.id,
        outcome,
        actions: actions.map((a) => a.type),
        statement: statementUrl !== null,
        // The audit entry names what the decision rests on, not only a digest (MR5; issue 14 §8).
        legal_basis: input.grounds?.illegal?.legal_ground ?? null,
        terms_ground: input.grounds?.incompatible?.ground ?? null,
        territories: decision.facts.territories,
        orders: notices
          .filter((n) => n.kind === 'order' || n.source_type === 'government_order')
          .map((n) => ({ notice_id: n.id, reference: n.reference, legal_basis: n.legal_basis })),
        strikes: strikes.map((s) => ({ key: s.key, strikes: s.strikes, measure: s.measure })),
      },
      set: {
        outcome,
        decided_at: now,
        decision_id: decision.id,
        assigned_to: null,
        lease_until: null,
        ...(to === 'closed' ? { closed_at: now } : {}),
      },
    },
    now,
  );
  await settleNotices(trx, current.id, outcome, notices, now, {
    decisionId: decision.id,
    restrictive: isRestrictive(input.outcome),
  });
  await appendAudit(trx, actor, audit, now);
  // Every decision moves its notifiers' upheld share (DSA Art. 22(6)): the due pass reviews it.
  // After the audit entry: only the chain's lock holder marks (markPrecisionDue).
  await markPrecisionDue(
    trx,
    notices.map((n) => n.org_id),
    now,
  );
  return { case_status: to, actions, statement_url: statementUrl, strikes };
}

/**
 * Who notified, for the statement's source_identity: the organisations behind authority
 * orders and trusted flaggers' notices (entities, never a person: DSA Art. 17(3)(b) names an
 * individual notifier only where strictly necessary, and tapis never does).
 */
async function sourceIdentityOf(trx: Db, notices: Awaited<ReturnType<typeof noticesOfCase>>) {
  const orgIds = [
    ...new Set(
      notices
        .filter((n) => n.source_type === 'government_order' || n.source_type === 'trusted_flagger')
        .map((n) => n.org_id),
    ),
  ];
  if (orgIds.length === 0) return null;
  const orgs = await trx
    .selectFrom('organisations')
    .select('name')
    .where('id', 'in', orgIds)
    .orderBy('name')
    .execute();
  return (
    orgs
      .map((o) => o.name)
      .join('; ')
      .slice(0, 500) || null
  );
}

/** Records the outcome on every notice of the case, settles the notices that have all their answers, and tells their notifiers. */
async function settleNotices(
  trx: Db,
  caseId: string,
  outcome: string,
  notices: Awaited<ReturnType<typeof noticesOfCase>>,
  now: Date,
  decision: { decisionId: string; restrictive: boolean },
): Promise<void> {
  // The notices first, locked in id order: two decisions on two cases of one notice (a notice
  // naming two channels) take turns here, so the second reads the first's committed outcome
  // and settles the notice. Without the lock each would read the other's target as undecided,
  // and neither would settle it. (The audit chain's lock, taken later, no longer orders them.)
  const noticeIds = [...new Set(notices.map((n) => n.id))].sort();
  if (noticeIds.length > 0)
    await trx
      .selectFrom('notices')
      .select('id')
      .where('id', 'in', noticeIds)
      .orderBy('id')
      .forUpdate()
      .execute();
  await trx
    .updateTable('notice_targets')
    .set({ outcome, outcome_at: now })
    .where('case_id', '=', caseId)
    .execute();
  const events: NoticeEvent[] = [];
  for (const noticeId of new Set(notices.map((n) => n.id))) {
    const targets = await trx
      .selectFrom('notice_targets')
      .select(['outcome'])
      .where('notice_id', '=', noticeId)
      .execute();
    const notice = notices.find((n) => n.id === noticeId)!;
    const settled = targets.every((t) => t.outcome !== null);
    const status = settled
      ? noticeStatusOf(targets.map((t) => t.outcome!))
      : notice.status === 'received'
        ? 'in_review'
        : notice.status;
    await trx.updateTable('notices').set({ status }).where('id', '=', noticeId).execute();
    if (settled) await stopClock(trx, noticeId, now);
    events.push({
      noticeId,
      orgId: notice.org_id,
      type: 'notice.decided',
      data: {
        case_id: caseId,
        decision_id: decision.decisionId,
        outcome,
        decided_at: now,
        status,
        redress: decision.restrictive
          ? { objection: `POST /v1/notices/${noticeId}/objections` }
          : {
              objection: `POST /v1/notices/${noticeId}/objections`,
              appeal: `POST /v1/notices/${noticeId}/appeals`,
              appeal_until: appealDeadline(now),
            },
      },
    });
  }
  await recordNoticeEvents(trx, events, now);
}

const restrictive = new Set([
  'removed',
  'restricted_in_jurisdiction',
  'suspended',
  'labelled',
  'access_disabled',
  'demoted',
  'age_restricted',
  'interaction_restricted',
  'monetisation_suspended',
  'monetisation_terminated',
  'service_suspended',
  'service_terminated',
  'already_actioned',
]);

/** A notice's status once each of its targets has an outcome. */
export function noticeStatusOf(outcomes: string[]): string {
  const acted = outcomes.filter((o) => restrictive.has(o)).length;
  if (acted === outcomes.length) return 'actioned';
  if (acted > 0) return 'partially_actioned';
  if (outcomes.every((o) => o === 'rejected_unsubstantiated')) return 'rejected';
  if (outcomes.every((o) => o === 'impossible')) return 'impossible';
  return 'no_action';
}
