import { appendAudit } from '../audit/log.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import { writeMessage } from '../notices/threads.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { type FlaggerOrganisation, findFlagger, flaggerFacts } from './flagger-records.ts';
import { planStatusChange } from './status.ts';
import { applyStatus } from './status-changes.ts';

/**
 * DSA Art. 22(6)-(7): a trusted flagger's status is revoked or suspended only after the
 * flagger has been heard. A lead opens a hearing with the grounds and what is proposed; the
 * flagger has the SOP policy's `flagger_hearing_days` to answer; then a lead decides, with
 * reasons: revoke (the flagger becomes regular), suspend (its status is suspended until a
 * date, then the suspensions job restores it) or keep. Every step is audited, and written in
 * the threads of the notices the hearing cites, so the flagger reads it in its channel.
 */
const DAY = 86_400_000;

export interface OpenHearingInput {
  proposed: 'revoke' | 'suspend';
  grounds: string;
  until?: Date | undefined;
  notice_ids?: string[] | undefined;
}

export interface HearingDecisionInput {
  decision: 'revoke' | 'suspend' | 'keep';
  reasons: string;
  until?: Date | undefined;
}

export async function openHearing(db: Db, actor: Actor, slug: string, input: OpenHearingInput, now: Date) {
  if (input.proposed === 'suspend' && !input.until)
    throw invalid('until: a suspension is for a period: give its end date', [
      { pointer: '/until', detail: 'required when the proposal is to suspend' },
    ]);
  if (input.proposed === 'revoke' && input.until)
    throw invalid('until: a revocation has no end date', [{ pointer: '/until', detail: 'only for suspend' }]);
  if (input.until && input.until.getTime() <= now.getTime())
    throw invalid('until: the end of the suspension must be in the future', [
      { pointer: '/until', detail: 'in the past' },
    ]);
  const policy = await currentPolicy(db);
  return transact(db, async (trx) => {
    const org = await findFlagger(trx, slug, { forUpdate: true });
    if (org.flagger_status !== 'trusted')
      throw conflict(
        `${slug} is ${org.flagger_status}, not a trusted flagger: there is no trusted status to revoke or suspend`,
      );
    const open = await trx
      .selectFrom('flagger_hearings')
      .select('id')
      .where('org_id', '=', org.id)
      .where('status', '<>', 'decided')
      .executeTakeFirst();
    if (open) throw conflict(`a hearing of ${slug} is already open`, { hearing_id: open.id });
    const noticeIds = await citedNotices(trx, org, input.notice_ids ?? []);
    const hearing = {
      id: newId(),
      org_id: org.id,
      proposed: input.proposed,
      proposed_until: input.until ?? null,
      grounds: input.grounds,
      opened_by: actor.id,
      opened_at: now,
      due_at: new Date(now.getTime() + policy.document.flagger_hearing_days * DAY),
      status: 'open' as const,
    };
    await trx.insertInto('flagger_hearings').values(hearing).execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'flagger.hearing_opened',
        objectType: 'organisation',
        objectId: org.id,
        change: { ...hearing, slug: org.slug, notice_ids: noticeIds },
      },
      now,
    );
    const body = [
      `Hearing (DSA Art. 22(7)): the platform proposes to ${input.proposed} your trusted-flagger status${input.until ? ` until ${input.until.toISOString()}` : ''}.`,
      `Grounds: ${input.grounds}`,
      `Answer by ${hearing.due_at.toISOString()}: POST /v1/hearings/${hearing.id}/answer.`,
      `Sidang: platform mengusulkan untuk ${input.proposed === 'revoke' ? 'mencabut' : 'menangguhkan'} status pelapor tepercaya Anda. Jawab sebelum ${hearing.due_at.toISOString()}.`,
    ].join('\n\n');
    for (const noticeId of noticeIds)
      await writeMessage(
        trx,
        actor,
        noticeId,
        { kind: 'message', body },
        policy.document.at_risk_thresholds,
        now,
      );
    return { ...(await hearingById(trx, hearing.id)), notice_ids: noticeIds };
  });
}

async function citedNotices(trx: Db, org: FlaggerOrganisation, ids: string[]): Promise<string[]> {
  const noticeIds = [...new Set(ids)];
  if (noticeIds.length === 0) return [];
  const own = await trx
    .selectFrom('notices')
    .select('id')
    .where('id', 'in', noticeIds)
    .where('org_id', '=', org.id)
    .execute();
  const found = new Set(own.map((n) => n.id));
  const missing = noticeIds.findIndex((id) => !found.has(id));
  if (missing >= 0)
    throw invalid(`notice_ids[${missing}]: ${noticeIds[missing]} is not a notice of ${org.slug}`, [
      { pointer: `/notice_ids/${missing}`, detail: 'not a notice of this organisation' },
    ]);
  return noticeIds;
}

/** The flagger's answer: its own organisation's users only, once, while the hearing is not decided. */
export async function answerHearing(db: Db, actor: Actor, hearingId: string, answer: string, now: Date) {
  return transact(db, async (trx) => {
    const hearing = await lockHearing(trx, hearingId);
    if (hearing.org_id !== actor.orgId) throw forbidden('only the organisation heard can answer its hearing');
    if (hearing.status !== 'open') throw conflict(`the hearing is ${hearing.status}: it has its answer`);
    const late = now.getTime() > new Date(hearing.due_at).getTime();
    await trx
      .updateTable('flagger_hearings')
      .set({ status: 'answered', answer, answered_by: actor.id, answered_at: now })
      .where('id', '=', hearingId)
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'flagger.hearing_answered',
        objectType: 'organisation',
        objectId: hearing.org_id,
        change: { hearing_id: hearingId, answer, late },
      },
      now,
    );
    return { ...(await hearingById(trx, hearingId)), late };
  });
}

/** The decision after the hearing: once the flagger has answered, or its time to answer has run out. */
export async function decideHearing(
  db: Db,
  actor: Actor,
  hearingId: string,
  input: HearingDecisionInput,
  now: Date,
) {
  if (input.decision === 'suspend' && !input.until)
    throw invalid('until: a suspension is for a period: give its end date', [
      { pointer: '/until', detail: 'required when the decision is to suspend' },
    ]);
  if (input.decision !== 'suspend' && input.until)
    throw invalid('until: only a suspension has an end date', [
      { pointer: '/until', detail: 'only for suspend' },
    ]);
  const policy = await currentPolicy(db);
  return transact(db, async (trx) => {
    const hearing = await lockHearing(trx, hearingId);
    if (hearing.status === 'decided') throw conflict('the hearing is already decided');
    if (hearing.status === 'open' && now.getTime() < new Date(hearing.due_at).getTime())
      throw conflict(
        `the flagger has until ${new Date(hearing.due_at).toISOString()} to answer (DSA Art. 22(7)): decide once it has answered or that time has passed`,
        { due_at: hearing.due_at },
      );
    const org = (await trx
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', hearing.org_id)
      .forUpdate()
      .executeTakeFirstOrThrow()) as FlaggerOrganisation;
    let statusChangeId: string | null = null;
    if (input.decision !== 'keep') {
      const facts = await flaggerFacts(trx, org);
      // The hearing told the flagger in writing what could follow: it is the prior warning.
      const planned = planStatusChange(
        { ...facts, last_warning_at: new Date(hearing.opened_at) },
        input.decision === 'revoke'
          ? { status: 'regular', reasons: input.reasons }
          : { status: 'suspended', reasons: input.reasons, until: input.until },
        now,
      );
      if (planned instanceof DomainError) throw planned;
      const reasons = `After a hearing (DSA Art. 22(7), hearing ${hearing.id}): ${input.reasons}`;
      statusChangeId = (await applyStatus(trx, actor, org, planned, reasons, now)).id;
    }
    await trx
      .updateTable('flagger_hearings')
      .set({
        status: 'decided',
        decision: input.decision,
        reasons: input.reasons,
        decided_by: actor.id,
        decided_at: now,
        status_change_id: statusChangeId,
      })
      .where('id', '=', hearingId)
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: 'flagger.hearing_decided',
        objectType: 'organisation',
        objectId: hearing.org_id,
        change: {
          hearing_id: hearingId,
          decision: input.decision,
          reasons: input.reasons,
          until: input.until ?? null,
          status_change_id: statusChangeId,
          answered: hearing.answer !== null,
        },
      },
      now,
    );
    const cited = await trx
      .selectFrom('audit_log')
      .select('change')
      .where('action', '=', 'flagger.hearing_opened')
      .where('object_id', '=', hearing.org_id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const noticeIds = ((cited?.change as { notice_ids?: string[] } | undefined)?.notice_ids ?? []).slice(
      0,
      100,
    );
    const body = `Decision after the hearing (DSA Art. 22(7)): ${input.decision}${input.until ? ` until ${input.until.toISOString()}` : ''}. Reasons: ${input.reasons}`;
    for (const noticeId of noticeIds)
      await writeMessage(
        trx,
        actor,
        noticeId,
        { kind: 'message', body },
        policy.document.at_risk_thresholds,
        now,
      );
    return hearingById(trx, hearingId);
  });
}

async function lockHearing(trx: Db, id: string) {
  const row = await trx
    .selectFrom('flagger_hearings')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound(`no hearing ${id}`);
  return row;
}

export async function hearingById(db: Db, id: string) {
  const row = await db
    .selectFrom('flagger_hearings')
    .innerJoin('organisations', 'organisations.id', 'flagger_hearings.org_id')
    .selectAll('flagger_hearings')
    .select('organisations.slug as org')
    .where('flagger_hearings.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`no hearing ${id}`);
  return row;
}

/** Hearings, newest first: a flagger's own, or (platform staff) any organisation's. */
export async function listHearings(db: Db, filter: { orgId?: string; slug?: string }) {
  let query = db
    .selectFrom('flagger_hearings')
    .innerJoin('organisations', 'organisations.id', 'flagger_hearings.org_id')
    .selectAll('flagger_hearings')
    .select('organisations.slug as org')
    .orderBy('opened_at', 'desc')
    .limit(200);
  if (filter.orgId) query = query.where('flagger_hearings.org_id', '=', filter.orgId);
  if (filter.slug) query = query.where('organisations.slug', '=', filter.slug);
  return query.execute();
}
