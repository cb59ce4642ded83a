import { appendAudit } from '../audit/log.ts';
import { canonicalDigest } from '../core/canonical-json.ts';
import { conflict, type FieldIssue, forbidden, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import { marks, markTime } from '../policy/clock.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import { deadlinesFor, findCategory } from '../policy/sop-policy.ts';
import type { Db } from '../store/db.ts';
import { openCasesFor, type TargetCase } from './case-intake.ts';
import { recordNoticeEvents } from './events.ts';
import type { NoticeInput } from './notice-input.ts';
import { signReceipt } from './receipts.ts';
import { currentSigningKey } from './signing-keys.ts';
import { mayIssueOrders, sourceTypeOf } from './source-type.ts';
import { parseTarget, type Subject } from './targets.ts';

/**
 * The intake use case: validate → store → receipt, in one transaction. Once the 201 with
 * its receipt has left, the notice, its cases, its event and its audit entry are committed.
 */
export interface IntakeResult {
  notice_id: string;
  received_at: Date;
  deadline: Date;
  target_deadline: Date;
  source_type: string;
  targets: (Subject & TargetCase & { index: number })[];
  receipt: string;
  digest: string;
}

export interface IntakeOptions {
  idempotencyKey?: string | undefined;
  bulkJobId?: string;
  publicUrl: string;
}

const HOUR = 3_600_000;

export async function submitNotice(db: Db, actor: Actor, input: NoticeInput, now: Date, options: IntakeOptions): Promise<IntakeResult> {
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'kind', 'flagger_status', 'contact_email', 'designated_categories', 'designated_jurisdictions'])
    .where('id', '=', actor.orgId)
    .executeTakeFirstOrThrow();
  if (org.flagger_status === 'suspended') {
    throw forbidden('your organisation’s notices are suspended (DSA Art. 23(2)); contact the platform');
  }
  const policy = await currentPolicy(db);
  const category = findCategory(policy.document, input.category);
  const issues: FieldIssue[] = [];
  if (!category) {
    issues.push({ pointer: '/category', detail: `'${input.category}' is not in the taxonomy: ${policy.document.taxonomy.map((c) => c.code).join(', ')}` });
  }
  if (input.anonymous && category && !category.anonymous_notices) {
    issues.push({ pointer: '/anonymous', detail: `notices about ${input.category} cannot be anonymous (DSA Art. 16(2)(c))` });
  }
  if (input.kind === 'order') {
    if (!mayIssueOrders(org.kind)) issues.push({ pointer: '/kind', detail: 'only government and law-enforcement organisations may send orders' });
    if (!input.order) issues.push({ pointer: '/order', detail: 'an order needs its issuing authority, territorial scope and redress (DSA Art. 9(2))' });
    if (!input.legal_basis) issues.push({ pointer: '/legal_basis', detail: 'an order needs its legal basis (DSA Art. 9(2))' });
  }
  const subjects = input.targets.map((raw, index) => {
    const parsed = parseTarget(raw);
    if (!parsed.ok) issues.push({ pointer: `/targets/${index}`, detail: parsed.reason });
    return parsed.ok ? parsed.subject : null;
  });
  if (issues.length > 0) {
    const first = issues[0]!;
    const where = first.pointer.replace(/^\/targets\/(\d+)$/, 'targets[$1]').replace(/^\//, '');
    throw invalid(`${where}: ${first.detail}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues);
  }

  const sourceType = sourceTypeOf(org, input);
  const deadlines = deadlinesFor(policy.document, { jurisdiction: input.jurisdiction, category: input.category, sourceType });
  const noticeId = newId();
  const receivedAt = now;
  const legalDue = new Date(receivedAt.getTime() + deadlines.legalHours * HOUR);
  const targetDue = new Date(receivedAt.getTime() + deadlines.targetHours * HOUR);
  // What was received, as tapis understood it (defaults applied): its digest is signed.
  const digest = canonicalDigest(input);
  const clockMarks = marks(policy.document.at_risk_thresholds, deadlines.targetHours / deadlines.legalHours);
  const receipt = await signReceipt(await currentSigningKey(db), {
    iss: options.publicUrl,
    notice_id: noticeId,
    org: org.slug,
    received_at: receivedAt.toISOString(),
    deadline: legalDue.toISOString(),
    target_deadline: targetDue.toISOString(),
    digest,
    targets: input.targets.length,
  });
  const jurisdiction = await db.selectFrom('jurisdictions').select('languages').where('code', '=', input.jurisdiction).executeTakeFirst();
  const language = input.language ?? jurisdiction?.languages[0] ?? 'en';

  return db.transaction().execute(async (trx) => {
    if (options.idempotencyKey) {
      const replay = await claimIdempotencyKey(trx, org.id, options.idempotencyKey, digest);
      if (replay) return replay;
    }
    await trx
      .insertInto('notices')
      .values({
        id: noticeId,
        org_id: org.id,
        submitted_by: actor.id,
        submitted_by_type: actor.type,
        kind: input.kind,
        source_type: sourceType,
        category: input.category,
        jurisdiction: input.jurisdiction,
        language,
        legal_basis: input.legal_basis ?? null,
        legal_references: JSON.stringify(input.legal_references ?? []),
        explanation: input.explanation,
        reference: input.reference ?? null,
        good_faith: input.good_faith,
        notifier: JSON.stringify(input.notifier ?? { name: `${actor.displayName} (${org.name})`, email: org.contact_email ?? undefined }),
        anonymous: input.anonymous,
        order_details: JSON.stringify(input.order ?? null),
        received_at: receivedAt,
        legal_hours: deadlines.legalHours,
        target_hours: deadlines.targetHours,
        legal_due_at: legalDue,
        target_due_at: targetDue,
        policy_version: policy.version,
        status: 'received',
        next_clock_at: markTime(receivedAt, deadlines.legalHours, [], receivedAt, clockMarks[0]!.share),
        digest,
        receipt,
        bulk_job_id: options.bulkJobId ?? null,
      })
      .execute();

    const cases = await openCasesFor(
      trx,
      subjects as Subject[],
      {
        jurisdiction: input.jurisdiction,
        category: input.category,
        severity: category!.severity,
        trusted: sourceType === 'trusted_flagger' || sourceType === 'government_order',
        language,
        dueAt: targetDue,
        legalDueAt: legalDue,
      },
      now,
    );
    await trx
      .insertInto('notice_targets')
      .values(
        subjects.map((subject, idx) => ({
          notice_id: noticeId,
          idx,
          raw: input.targets[idx]!,
          subject_key: subject!.key,
          subject: JSON.stringify(subject),
          case_id: cases[idx]!.case_id,
          outcome: cases[idx]!.status === 'already_actioned' ? 'already_actioned' : null,
          outcome_at: cases[idx]!.status === 'already_actioned' ? now : null,
        })),
      )
      .execute();

    const result: IntakeResult = {
      notice_id: noticeId,
      received_at: receivedAt,
      deadline: legalDue,
      target_deadline: targetDue,
      source_type: sourceType,
      targets: subjects.map((subject, index) => ({ index, ...subject!, ...cases[index]! })),
      receipt,
      digest,
    };
    await recordNoticeEvents(
      trx,
      [
        {
          noticeId,
          orgId: org.id,
          type: 'notice.received',
          data: {
            reference: input.reference ?? null,
            received_at: receivedAt,
            deadline: legalDue,
            target_deadline: targetDue,
            source_type: sourceType,
            targets: result.targets.map((t) => ({ index: t.index, key: t.key, status: t.status, already_actioned: t.already_actioned ?? null })),
          },
        },
      ],
      now,
    );
    await appendAudit(
      trx,
      actor,
      {
        action: 'notice.received',
        objectType: 'notice',
        objectId: noticeId,
        change: { digest, category: input.category, jurisdiction: input.jurisdiction, source_type: sourceType, targets: subjects.map((s) => s!.key), deadline: legalDue, target_deadline: targetDue },
      },
      now,
    );
    if (options.idempotencyKey) await storeIdempotentResult(trx, org.id, options.idempotencyKey, result);
    return result;
  });
}

const scopeOf = (orgId: string) => `notices:${orgId}`;

/**
 * Claims an Idempotency-Key for this organisation. If another request already used it,
 * returns that request's result (same body) or refuses (different body). On PostgreSQL a
 * concurrent claim waits on the unique index until the first transaction commits, so 20
 * simultaneous retries create exactly one notice.
 */
async function claimIdempotencyKey(trx: Db, orgId: string, key: string, digest: string): Promise<IntakeResult | null> {
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({ scope: scopeOf(orgId), key, request_digest: digest, status_code: 0, response: JSON.stringify(null) })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return null;
  const existing = await trx
    .selectFrom('idempotency_keys')
    .select(['request_digest', 'response'])
    .where('scope', '=', scopeOf(orgId))
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (existing.request_digest !== digest) {
    throw conflict('this Idempotency-Key was used with a different notice; use a new key for a new notice');
  }
  type Stored = Omit<IntakeResult, 'received_at' | 'deadline' | 'target_deadline'> & { received_at: string; deadline: string; target_deadline: string };
  const stored = existing.response as Stored | null;
  if (!stored) throw conflict('a notice with this Idempotency-Key is still being processed; retry in a moment');
  return {
    ...stored,
    received_at: new Date(stored.received_at),
    deadline: new Date(stored.deadline),
    target_deadline: new Date(stored.target_deadline),
    targets: stored.targets.map((t) =>
      t.already_actioned ? { ...t, already_actioned: { ...t.already_actioned, decided_at: new Date(t.already_actioned.decided_at) } } : t,
    ),
  };
}

async function storeIdempotentResult(trx: Db, orgId: string, key: string, result: IntakeResult): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ status_code: 201, response: JSON.stringify(result) })
    .where('scope', '=', scopeOf(orgId))
    .where('key', '=', key)
    .execute();
}
