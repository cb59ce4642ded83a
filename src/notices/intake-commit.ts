import { sql } from 'kysely';
import { appendAuditMany } from '../audit/log.ts';
import { conflict, DomainError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { openCases } from './case-intake.ts';
import { recordNoticeEvents } from './events.ts';
import type { IntakeResult, PreparedNotice } from './intake.ts';

/**
 * The intake use case, second half: writes prepared notices (one, or a batch under load)
 * in the caller's transaction: idempotency keys, notices, cases, targets, events with their
 * webhook deliveries, and audit entries. A fixed number of statements whatever the batch
 * size, so that one commit (one fsync) acknowledges many notices.
 *
 * Returns, per prepared notice in order, its result or the error that refused it alone.
 */
export async function commitNotices(trx: Db, batch: PreparedNotice[], now: Date): Promise<(IntakeResult | DomainError)[]> {
  const outcomes: (IntakeResult | DomainError | null)[] = await claimIdempotencyKeys(trx, batch);
  const fresh = batch.filter((_, i) => outcomes[i] === null);
  if (fresh.length > 0) {
    await trx.insertInto('notices').values(fresh.map((p) => p.row)).execute();
    const cases = await openCases(
      trx,
      fresh.map((p) => ({ subjects: p.subjects, facts: p.caseFacts })),
      now,
    );
    await trx
      .insertInto('notice_targets')
      .values(
        fresh.flatMap((p, n) =>
          p.subjects.map((subject, idx) => ({
            notice_id: p.row.id,
            idx,
            raw: p.raws[idx]!,
            subject_key: subject.key,
            subject: JSON.stringify(subject),
            case_id: cases[n]![idx]!.case_id,
            outcome: cases[n]![idx]!.status === 'already_actioned' ? 'already_actioned' : null,
            outcome_at: cases[n]![idx]!.status === 'already_actioned' ? now : null,
          })),
        ),
      )
      .execute();
    const results = fresh.map((p, n) => toResult(p, cases[n]!));
    await recordNoticeEvents(
      trx,
      fresh.map((p, n) => ({
        noticeId: p.row.id,
        orgId: p.row.org_id,
        type: 'notice.received' as const,
        data: {
          reference: p.reference,
          received_at: p.row.received_at,
          deadline: p.row.legal_due_at,
          target_deadline: p.row.target_due_at,
          source_type: p.row.source_type,
          targets: results[n]!.targets.map((t) => ({ index: t.index, key: t.key, status: t.status, already_actioned: t.already_actioned ?? null })),
        },
      })),
      now,
    );
    await appendAuditMany(
      trx,
      fresh.map((p) => ({
        actor: p.actor,
        record: {
          action: 'notice.received',
          objectType: 'notice',
          objectId: p.row.id,
          change: {
            digest: p.digest,
            category: p.row.category,
            jurisdiction: p.row.jurisdiction,
            source_type: p.row.source_type,
            targets: p.subjects.map((s) => s.key),
            deadline: p.row.legal_due_at,
            target_deadline: p.row.target_due_at,
          },
        },
      })),
      now,
    );
    await storeIdempotentResults(
      trx,
      fresh.flatMap((p, n) => (p.idempotencyKey ? [{ prepared: p, result: results[n]! }] : [])),
    );
    let n = 0;
    for (let i = 0; i < outcomes.length; i++) if (outcomes[i] === null) outcomes[i] = results[n++]!;
  }
  // A repeat of a notice in this same batch gets that notice's answer.
  return outcomes.map((o) => (o instanceof Twin ? outcomes[o.of]! : o!));
}

function toResult(p: PreparedNotice, cases: Awaited<ReturnType<typeof openCases>>[number]): IntakeResult {
  return {
    notice_id: p.row.id,
    received_at: p.row.received_at,
    deadline: p.row.legal_due_at,
    target_deadline: p.row.target_due_at,
    source_type: p.row.source_type,
    targets: p.subjects.map((subject, index) => ({ index, ...subject, ...cases[index]! })),
    receipt: p.receipt,
    digest: p.digest,
  };
}

const scopeOf = (orgId: string) => `notices:${orgId}`;

/**
 * Claims each Idempotency-Key. A key another request already used yields that request's
 * result (same notice) or a 409 (another notice). On PostgreSQL a concurrent claim of the
 * same key waits on the unique index until the first transaction commits, so 20
 * simultaneous retries create exactly one notice. Returns null where the notice is new.
 */
async function claimIdempotencyKeys(trx: Db, batch: PreparedNotice[]): Promise<(IntakeResult | DomainError | null)[]> {
  const outcomes: (IntakeResult | DomainError | null)[] = batch.map(() => null);
  const keyed = batch.map((p, i) => ({ p, i })).filter(({ p }) => p.idempotencyKey !== null);
  if (keyed.length === 0) return outcomes;

  // Within one batch, the first notice with a key claims it; the others replay it.
  const firstByKey = new Map<string, number>();
  const claims: { scope: string; key: string; request_digest: string; status_code: number; response: string }[] = [];
  for (const { p, i } of keyed) {
    const id = `${scopeOf(p.row.org_id)} ${p.idempotencyKey}`;
    if (firstByKey.has(id)) continue;
    firstByKey.set(id, i);
    claims.push({ scope: scopeOf(p.row.org_id), key: p.idempotencyKey!, request_digest: p.digest, status_code: 0, response: 'null' });
  }
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values(claims)
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(['scope', 'key'])
    .execute();
  const won = new Set(claimed.map((c) => `${c.scope} ${c.key}`));
  const lost = claims.filter((c) => !won.has(`${c.scope} ${c.key}`));
  const stored = new Map<string, { request_digest: string; response: unknown }>();
  for (const c of lost) {
    const row = await trx
      .selectFrom('idempotency_keys')
      .select(['request_digest', 'response'])
      .where('scope', '=', c.scope)
      .where('key', '=', c.key)
      .executeTakeFirstOrThrow();
    stored.set(`${c.scope} ${c.key}`, row);
  }
  for (const { p, i } of keyed) {
    const id = `${scopeOf(p.row.org_id)} ${p.idempotencyKey}`;
    const previous = stored.get(id);
    if (previous) {
      outcomes[i] = replay(previous, p.digest);
    } else if (firstByKey.get(id) !== i) {
      // A twin of a notice in this same batch: it will be answered with the twin's result.
      outcomes[i] = p.digest === batch[firstByKey.get(id)!]!.digest ? new Twin(firstByKey.get(id)!) : mismatch();
    }
  }
  return outcomes;
}

/** Marks a notice that repeats another notice of the same batch under the same key. */
class Twin extends DomainError {
  constructor(readonly of: number) {
    super('conflict', 'twin');
  }
}

function mismatch(): DomainError {
  return conflict('this Idempotency-Key was used with a different notice; use a new key for a new notice');
}

function replay(previous: { request_digest: string; response: unknown }, digest: string): IntakeResult | DomainError {
  if (previous.request_digest !== digest) return mismatch();
  type Stored = Omit<IntakeResult, 'received_at' | 'deadline' | 'target_deadline'> & { received_at: string; deadline: string; target_deadline: string };
  const stored = previous.response as Stored | null;
  if (!stored) return conflict('a notice with this Idempotency-Key is still being processed; retry in a moment');
  return {
    ...stored,
    received_at: new Date(stored.received_at),
    deadline: new Date(stored.deadline),
    target_deadline: new Date(stored.target_deadline),
    targets: stored.targets.map((t) => (t.already_actioned ? { ...t, already_actioned: { ...t.already_actioned, decided_at: new Date(t.already_actioned.decided_at) } } : t)),
  };
}

async function storeIdempotentResults(trx: Db, items: { prepared: PreparedNotice; result: IntakeResult }[]): Promise<void> {
  if (items.length === 0) return;
  const values = sql.join(
    items.map(({ prepared, result }) => sql`(${scopeOf(prepared.row.org_id)}, ${prepared.idempotencyKey}, ${JSON.stringify(result)})`),
  );
  await sql`
    update idempotency_keys as i set status_code = 201, response = v.response::jsonb
    from (values ${values}) as v(scope, key, response)
    where i.scope = v.scope and i.key = v.key`.execute(trx);
}
