import { type CaseRow, lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { conflict, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { startDeadline } from '../deadlines/deadline-clock.ts';
import { findStatement } from '../decisions/statements.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import { channelPolicy } from '../policy/channel-policy.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { tellNotifiers } from './notify.ts';
import { type AppellantType, appealDeadline, notifierMayAppeal, tooLate } from './rules.ts';

/**
 * Lodging an appeal (DSA Art. 20(1): free, electronic, within six months of the decision).
 * The affected user appeals through the statement of reasons' link, whose token is the
 * credential; the notifier appeals a decision not to act on its own notice. Either way the
 * appeal row, the `appealed` case event (case → under_appeal), its audit entry and the
 * notifiers' events are written in one transaction.
 */

/** The affected user has no account: the statement's token stands for them in the log. */
const affectedUser: SystemActor = { type: 'system', id: 'affected_user' };

export interface UserAppealInput {
  grounds: string;
  contact?: { email?: string | undefined } | undefined;
}

export async function appealAsAffectedUser(db: Db, token: string, input: UserAppealInput, now: Date) {
  const statement = await findStatement(db, token);
  const late = tooLate(statement.appeal_until, now);
  if (late) throw conflict(late, { appeal_until: statement.appeal_until });
  const clock = await appealClockSettings(db);
  return transact(db, async (trx) => {
    const current = await lockCase(trx, statement.case_id);
    const { id: appealId, dueAt } = await openAppeal(
      trx,
      current,
      affectedUser,
      {
        decisionId: statement.decision_id,
        appellantType: 'affected_user',
        // The contact is personal data: it stays on the appeal, never in events or the audit log.
        appellant: { via: 'statement_of_reasons', statement_id: statement.id, contact: input.contact ?? {} },
        noticeId: null,
        notifierOrgId: null,
        grounds: input.grounds,
      },
      clock,
      now,
    );
    return {
      appeal_id: appealId,
      status: 'open',
      decision_id: statement.decision_id,
      received_at: now,
      due_at: dueAt,
    };
  });
}

export interface NotifierAppealInput {
  grounds: string;
  target_indexes?: number[] | undefined;
}

export async function appealAsNotifier(
  db: Db,
  actor: Actor,
  noticeId: string,
  input: NotifierAppealInput,
  now: Date,
) {
  // Only the notifier's own organisation may appeal; another's notice is "not found".
  const notice = await db
    .selectFrom('notices')
    .select(['id'])
    .where('id', '=', noticeId)
    .where('org_id', '=', actor.orgId)
    .executeTakeFirst();
  if (!notice) throw notFound(`no notice ${noticeId}`);
  // DSA Art. 23(2) suspends the handling of a suspended notifier's complaints too.
  const org = await db
    .selectFrom('organisations')
    .select('flagger_status')
    .where('id', '=', actor.orgId)
    .executeTakeFirstOrThrow();
  if (org.flagger_status === 'suspended')
    throw forbidden(
      'your organisation’s notices and appeals are suspended (DSA Art. 23(2)); contact the platform',
    );
  const targets = await db
    .selectFrom('notice_targets')
    .leftJoin('cases', 'cases.id', 'notice_targets.case_id')
    .leftJoin('decisions', 'decisions.id', 'cases.decision_id')
    .select([
      'notice_targets.idx',
      'notice_targets.case_id',
      'cases.status as case_status',
      'decisions.id as decision_id',
      'decisions.outcome',
      'decisions.created_at as decided_at',
      'decisions.approved_at',
    ])
    .where('notice_targets.notice_id', '=', noticeId)
    .orderBy('notice_targets.idx')
    .execute();
  const chosen = appealableTargets(targets, input.target_indexes);
  const byCase = new Map<string, { decisionId: string; indexes: number[]; until: Date }>();
  for (const t of chosen) {
    const entry = byCase.get(t.case_id) ?? {
      decisionId: t.decision_id,
      indexes: [],
      until: appealDeadline({ created_at: t.decided_at, approved_at: t.approved_at }),
    };
    entry.indexes.push(t.idx);
    byCase.set(t.case_id, entry);
  }
  for (const { until } of byCase.values()) {
    const late = tooLate(until, now);
    if (late) throw conflict(late, { appeal_until: until });
  }
  const clock = await appealClockSettings(db);
  return transact(db, async (trx) => {
    const items = [];
    // Cases are locked in id order, so two appeals over the same cases cannot deadlock.
    for (const [caseId, entry] of [...byCase].sort(([a], [b]) => a.localeCompare(b))) {
      const current = await lockCase(trx, caseId);
      const { id: appealId, dueAt } = await openAppeal(
        trx,
        current,
        actor,
        {
          decisionId: entry.decisionId,
          appellantType: 'notifier',
          appellant: {
            org_id: actor.orgId,
            org: actor.orgSlug,
            by: { type: actor.type, id: actor.id },
            target_indexes: entry.indexes,
          },
          noticeId,
          notifierOrgId: actor.orgId,
          grounds: input.grounds,
        },
        clock,
        now,
      );
      items.push({
        appeal_id: appealId,
        case_id: caseId,
        decision_id: entry.decisionId,
        target_indexes: entry.indexes,
        status: 'open',
        appeal_until: entry.until,
        due_at: dueAt,
      });
    }
    return { items };
  });
}

type TargetRow = {
  idx: number;
  case_id: string | null;
  decision_id: string | null;
  outcome: string | null;
  decided_at: Date | null;
  approved_at: Date | null;
};
type Appealable = TargetRow & { case_id: string; decision_id: string; outcome: string; decided_at: Date };

/** The targets named (or, when none are, every target) whose decision a notifier may appeal. */
function appealableTargets(targets: TargetRow[], indexes: number[] | undefined): Appealable[] {
  const why = (t: TargetRow): string | null => {
    if (!t.case_id || !t.decision_id || !t.outcome || !t.decided_at) return 'is not decided yet';
    if (!notifierMayAppeal(t.outcome))
      return `was decided '${t.outcome}': a notifier appeals only no_action or reject_unsubstantiated (DSA Art. 20(1))`;
    return null;
  };
  if (indexes) {
    return [...new Set(indexes)].map((idx, i) => {
      const target = targets.find((t) => t.idx === idx);
      const reason = target ? why(target) : `the notice has ${targets.length} targets`;
      if (reason)
        throw invalid(
          `target_indexes[${i}]: target ${idx} ${target ? reason : `does not exist: ${reason}`}`,
          [{ pointer: `/target_indexes/${i}`, detail: reason }],
        );
      return target as Appealable;
    });
  }
  const eligible = targets.filter((t) => why(t) === null) as Appealable[];
  if (eligible.length === 0) {
    throw conflict(
      `nothing on this notice can be appealed by its notifier: ${targets.map((t) => `target ${t.idx} ${why(t)}`).join('; ')}`,
    );
  }
  return eligible;
}

interface OpenAppeal {
  decisionId: string;
  appellantType: AppellantType;
  appellant: Record<string, unknown>;
  noticeId: string | null;
  /** The notifier's organisation, whose feed hears the appeal's clock; null for the affected user. */
  notifierOrgId: string | null;
  grounds: string;
}

interface AppealClockSettings {
  hours: number;
  thresholds: readonly number[];
}

/** DSA Art. 20(4): the time to decide an appeal, from the SOP policy in force. */
async function appealClockSettings(db: Db): Promise<AppealClockSettings> {
  const policy = await currentPolicy(db);
  return {
    hours: channelPolicy(policy.document).appeal_deadline_hours,
    thresholds: policy.document.at_risk_thresholds,
  };
}

/** Writes the appeal, starts its clock and moves its case under appeal. The caller holds the case's lock. */
async function openAppeal(
  trx: Db,
  current: CaseRow,
  actor: Actor | SystemActor,
  appeal: OpenAppeal,
  clock: AppealClockSettings,
  now: Date,
): Promise<{ id: string; dueAt: Date }> {
  const decision = await trx
    .selectFrom('decisions')
    .select(['id', 'case_id', 'status', 'reverted_at'])
    .where('id', '=', appeal.decisionId)
    .executeTakeFirstOrThrow();
  if (decision.reverted_at)
    throw conflict(
      `this decision was already set aside on ${decision.reverted_at.toISOString()}; there is nothing left to appeal`,
    );
  if (decision.case_id !== current.id || current.decision_id !== decision.id || decision.status !== 'final') {
    throw conflict('a later decision replaced this one; appeal that decision instead');
  }
  const earlier = await trx
    .selectFrom('appeals')
    .select(['status', 'outcome', 'created_at', 'decided_at'])
    .where('decision_id', '=', decision.id)
    .where('appellant_type', '=', appeal.appellantType)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (earlier && earlier.status !== 'decided') {
    const follow =
      appeal.appellantType === 'affected_user'
        ? 'follow it at the statement’s link'
        : 'its outcome comes as a notice.appeal_decided event';
    throw conflict(
      `an appeal against this decision is already open (lodged ${earlier.created_at.toISOString()}); ${follow}`,
    );
  }
  // The internal complaint is one step (DSA Art. 20); once decided, the next is outside.
  if (earlier) {
    throw conflict(
      `this decision was already reviewed on appeal (${earlier.outcome} on ${earlier.decided_at?.toISOString().slice(0, 10)}); ` +
        'an out-of-court dispute settlement body (DSA Art. 21) or a court can review it further',
    );
  }
  // One case per subject is open at a time (cases_open_subject): if the subject came back
  // with a new notice and is being reviewed again, that review answers the complaint.
  const other = await trx
    .selectFrom('cases')
    .select('id')
    .where('subject_key', '=', current.subject_key)
    .where('status', '<>', 'closed')
    .where('id', '<>', current.id)
    .executeTakeFirst();
  if (other)
    throw conflict(
      `this content is already under review again in case ${other.id}; its decision can be appealed once it is made`,
      { case_id: other.id },
    );

  const id = newId();
  await trx
    .insertInto('appeals')
    .values({
      id,
      case_id: current.id,
      decision_id: decision.id,
      appellant_type: appeal.appellantType,
      appellant: JSON.stringify(appeal.appellant),
      notice_id: appeal.noticeId,
      grounds: appeal.grounds,
      status: 'open',
      created_at: now,
    })
    .execute();
  const dueAt = await startDeadline(
    trx,
    {
      subjectType: 'appeal',
      subjectId: id,
      caseId: current.id,
      noticeId: appeal.noticeId,
      orgId: appeal.notifierOrgId,
      hours: clock.hours,
    },
    clock.thresholds,
    now,
  );
  await recordCaseEvent(
    trx,
    current,
    actor,
    {
      type: 'appealed',
      data: {
        appeal_id: id,
        decision_id: decision.id,
        appellant_type: appeal.appellantType,
        notice_id: appeal.noticeId,
        due_at: dueAt,
      },
    },
    now,
  );
  await tellNotifiers(
    trx,
    current.id,
    'notice.appeal_received',
    { appellant_type: appeal.appellantType, received_at: now },
    appeal.noticeId ? { noticeId: appeal.noticeId, data: { appeal_id: id, decision_id: decision.id } } : null,
    now,
  );
  return { id, dueAt };
}
