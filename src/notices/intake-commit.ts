import { type CompiledQuery, sql } from 'kysely';
import { prepareAuditAppend, takeAuditLock } from '../audit/log.ts';
import { conflict, DomainError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { runTogether } from '../store/pipeline.ts';
import { actionedCases, assignCases, type Decision, type TargetCase, upsertCases } from './case-intake.ts';
import { prepareNoticeEvents } from './events.ts';
import { type IntakeResult, type PreparedNotice, suspendedNotifier } from './intake.ts';

/**
 * The intake use case, second half: writes prepared notices (one, or a batch under load)
 * in the caller's transaction: idempotency keys, notices, cases, targets, events with their
 * webhook deliveries, and audit entries. A fixed number of statements whatever the batch
 * size, so that one commit (one fsync) acknowledges many notices; and as few as it can,
 * since each is a round trip that the whole batch waits for:
 *   1. claim Idempotency-Keys (only when the batch has some);
 *   2. read the notifiers' suspensions and the subjects' decisions, upsert the cases and
 *      append to their logs,
 *      insert the notices and their targets: one statement;
 *   3. in one round trip (src/store/pipeline.ts): record the events and read the webhooks
 *      that get them (src/notices/events.ts), taking the audit chain's lock in the same
 *      statement; append the audit entries (src/audit/log.ts); store idempotent answers.
 *      Then the webhook deliveries, if any.
 * With `begin`, which travels with the first statement, and `commit`: three round trips a
 * batch; one more when it carries Idempotency-Keys, one when the notifier has webhooks, one
 * when another process moved the audit chain's head.
 *
 * Returns, per prepared notice in order, its result or the error that refused it alone.
 */
export async function commitNotices(
  trx: Db,
  batch: PreparedNotice[],
  now: Date,
  /** Called once the batch is written, as it is about to take the audit chain's lock. */
  onWritten?: () => void,
): Promise<(IntakeResult | DomainError)[]> {
  const outcomes: (IntakeResult | DomainError | null)[] = batch.map(() => null);
  await claimIdempotencyKeys(trx, batch, outcomes);
  const fresh = batch.filter((_, i) => outcomes[i] === null);
  if (fresh.length > 0) {
    const cases = await writeNotices(trx, fresh, now);
    const results = fresh.map((p, n) => toResult(p, cases[n]!));
    // The next statement takes the audit chain's lock, and may wait for it: the batch's
    // writes are done.
    onWritten?.();
    // Three statements in one round trip (src/store/pipeline.ts), in this order: the events
    // (which take the lock), the audit entries (begun after the lock was granted, so that
    // they see the head), the idempotent answers.
    const events = prepareNoticeEvents(
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
          targets: results[n]!.targets.map((t) => ({
            index: t.index,
            key: t.key,
            status: t.status,
            already_actioned: t.already_actioned ?? null,
          })),
        },
      })),
      now,
      takeAuditLock(),
    );
    const audit = prepareAuditAppend(
      trx,
      fresh.map((p, n) => ({
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
            // The case each target opened or joined: a case's opening is audited here.
            cases: results[n]!.targets.map((t) => t.case_id),
            deadline: p.row.legal_due_at,
            target_deadline: p.row.target_due_at,
          },
        },
      })),
      now,
    );
    const answers = idempotentAnswers(
      trx,
      fresh.flatMap((p, n) => (p.idempotencyKey ? [{ prepared: p, result: results[n]! }] : [])),
    );
    const [eventsDone, auditDone] = await runTogether(trx, [
      events.statement,
      audit.statement,
      ...(answers ? [answers] : []),
    ]);
    // Webhook deliveries, and the audit entries sealed again if another process moved the
    // head: a round trip each, only when needed.
    await events.finish(trx, eventsDone!);
    await audit.finish(trx, auditDone!);
    let n = 0;
    for (let i = 0; i < outcomes.length; i++) if (outcomes[i] === null) outcomes[i] = results[n++]!;
  }
  // A repeat of a notice in this same batch gets that notice's answer.
  return outcomes.map((o) => (o instanceof Twin ? outcomes[o.of]! : o!));
}

/**
 * Writes the batch's cases, notices and targets in one statement (data-modifying CTEs), which
 * also reads what the writing depends on:
 * - the subjects already actioned: they get no case, and their targets name the decision;
 * - the notifiers suspended. The intake reads the notifier's organisation from a short cache
 *   (src/notices/intake.ts), and a suspension must not wait for it to expire (DSA Art.
 *   23(2)), so it is read again here. Found, it throws: the transaction rolls back, and the
 *   queue commits the batch's notices one by one, refusing the suspended notifier's alone.
 * Returns, per notice, per target, where it went.
 */
async function writeNotices(trx: Db, fresh: PreparedNotice[], now: Date): Promise<TargetCase[][]> {
  // A field prepareNotice sets must have its place in the insert below, or it would be lost.
  for (const key of Object.keys(fresh[0]!.row))
    if (!NOTICE_COLUMN_SET.has(key))
      throw new Error(`notice field '${key}' has no column in the intake's insert`);
  const notices = fresh.map((p) => ({ subjects: p.subjects, facts: p.caseFacts }));
  const orgIds = [...new Set(fresh.map((p) => p.row.org_id))];
  const keys = [...new Set(fresh.flatMap((p) => p.subjects.map((s) => s.key)))];
  const targets = JSON.stringify(
    fresh.flatMap((p, ord) =>
      p.subjects.map((subject, idx) => ({
        notice_id: p.row.id,
        ord,
        idx,
        raw: p.raws[idx]!,
        subject_key: subject.key,
        subject,
        actor_type: p.actor.type,
        actor_id: p.actor.id,
      })),
    ),
  );
  const result = await sql<{
    kind: 'case' | 'actioned' | 'suspended';
    id: string;
    subject_key: string | null;
    inserted: boolean | null;
    outcome: string | null;
    decided_at: Date | null;
  }>`
    with input as (
      select * from jsonb_to_recordset(${targets}::jsonb) as t(notice_id uuid, ord integer, idx integer,
        raw text, subject_key text, subject jsonb, actor_type text, actor_id text)
    ),
    suspended as (
      select id from organisations where id in (${sql.join(orgIds)}) and flagger_status = 'suspended'
    ),
    actioned as (${actionedCases(trx, keys)}),
    c as (${upsertCases(trx, notices, now, sql`(select subject_key from actioned)`)}),
    n as (
      insert into notices (${sql.raw(NOTICE_COLUMNS.join(', '))})
      select ${sql.raw(NOTICE_COLUMNS.map((c) => (NOTICE_JSONB.has(c) ? `${c}::jsonb` : c === 'anonymous' ? 'coalesce(anonymous, false)' : c)).join(', '))}
      from jsonb_to_recordset(${JSON.stringify(fresh.map((p) => p.row))}::jsonb) as r(${sql.raw(NOTICE_RECORD)})
    ),
    t as (
      -- A target already actioned names the case that decided it; any other, its case.
      insert into notice_targets (notice_id, idx, raw, subject_key, subject, case_id, outcome, outcome_at)
      select t.notice_id, t.idx, t.raw, t.subject_key, t.subject, coalesce(a.id, c.id),
        case when a.id is null then null else 'already_actioned' end,
        case when a.id is null then null else ${now}::timestamptz end
      from input t
        left join actioned a on a.subject_key = t.subject_key
        left join c on c.subject_key = t.subject_key
    ),
    e as (
      -- The case's log: the first notice of the batch to name a subject whose case this
      -- statement opened opened it; every other notice joined it (src/cases/transitions.ts).
      insert into case_events (id, case_id, type, from_status, to_status, actor_type, actor_id, data, at)
      select gen_random_uuid(), c.id, case when c.inserted and f.first then 'opened' else 'notice_joined' end,
        c.status, c.status, f.actor_type, f.actor_id, jsonb_build_object('notice_id', f.notice_id), ${now}::timestamptz
      from (
        select distinct on (ord, subject_key) ord, subject_key, notice_id, actor_type, actor_id,
          ord = min(ord) over (partition by subject_key) as first
        from input
        order by ord, subject_key
      ) f join c on c.subject_key = f.subject_key
      order by f.ord, f.subject_key
    )
    select 'case' as kind, id, subject_key, inserted, null::text as outcome, null::timestamptz as decided_at from c
    union all select 'actioned', id, subject_key, null, outcome, decided_at from actioned
    union all select 'suspended', id, null, null, null, null from suspended`.execute(trx);
  const actioned = new Map<string, Decision>();
  const upserted: { id: string; subject_key: string; inserted: boolean }[] = [];
  for (const row of result.rows) {
    if (row.kind === 'suspended') throw suspendedNotifier();
    if (row.kind === 'actioned')
      actioned.set(row.subject_key!, { case_id: row.id, outcome: row.outcome!, decided_at: row.decided_at! });
    else upserted.push({ id: row.id, subject_key: row.subject_key!, inserted: row.inserted! });
  }
  return assignCases(notices, actioned, upserted);
}

/**
 * The notices travel as one JSON parameter too: a batch of any size is the same short
 * statement text, with nothing for the driver and the server to parse per value. The jsonb
 * columns arrive as JSON text (as the row holds them) and are cast, so they are stored
 * exactly as an insert of the row would store them.
 */
const NOTICE_FIELDS: [string, string][] = [
  ['id', 'uuid'],
  ['org_id', 'uuid'],
  ['submitted_by', 'text'],
  ['submitted_by_type', 'text'],
  ['kind', 'text'],
  ['source_type', 'text'],
  ['category', 'text'],
  ['jurisdiction', 'text'],
  ['language', 'text'],
  ['legal_basis', 'text'],
  ['legal_references', 'text'],
  ['explanation', 'text'],
  ['reference', 'text'],
  ['good_faith', 'boolean'],
  ['notifier', 'text'],
  ['anonymous', 'boolean'],
  ['order_details', 'text'],
  ['order_kind', 'text'],
  ['received_at', 'timestamptz'],
  ['legal_hours', 'real'],
  ['target_hours', 'real'],
  ['legal_due_at', 'timestamptz'],
  ['target_due_at', 'timestamptz'],
  ['policy_version', 'integer'],
  ['status', 'text'],
  ['next_clock_at', 'timestamptz'],
  ['digest', 'text'],
  ['receipt', 'text'],
  ['bulk_job_id', 'uuid'],
];
const NOTICE_COLUMNS = NOTICE_FIELDS.map(([name]) => name);
const NOTICE_COLUMN_SET = new Set(NOTICE_COLUMNS);
const NOTICE_JSONB = new Set(['legal_references', 'notifier', 'order_details']);
const NOTICE_RECORD = NOTICE_FIELDS.map(([name, type]) => `${name} ${type}`).join(', ');

function toResult(p: PreparedNotice, cases: TargetCase[]): IntakeResult {
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
async function claimIdempotencyKeys(
  trx: Db,
  batch: PreparedNotice[],
  outcomes: (IntakeResult | DomainError | null)[],
): Promise<void> {
  const keyed = batch
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => p.idempotencyKey !== null && outcomes[i] === null);
  if (keyed.length === 0) return;

  // Within one batch, the first notice with a key claims it; the others replay it.
  const firstByKey = new Map<string, number>();
  const claims: {
    scope: string;
    key: string;
    request_digest: string;
    status_code: number;
    response: string;
  }[] = [];
  for (const { p, i } of keyed) {
    const id = `${scopeOf(p.row.org_id)} ${p.idempotencyKey}`;
    if (firstByKey.has(id)) continue;
    firstByKey.set(id, i);
    claims.push({
      scope: scopeOf(p.row.org_id),
      key: p.idempotencyKey!,
      request_digest: p.digest,
      status_code: 0,
      response: 'null',
    });
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
  if (lost.length > 0) {
    const rows = await trx
      .selectFrom('idempotency_keys')
      .select(['scope', 'key', 'request_digest', 'response'])
      .where('scope', 'in', [...new Set(lost.map((c) => c.scope))])
      .where('key', 'in', [...new Set(lost.map((c) => c.key))])
      .execute();
    for (const row of rows)
      if (!won.has(`${row.scope} ${row.key}`)) stored.set(`${row.scope} ${row.key}`, row);
  }
  for (const { p, i } of keyed) {
    const id = `${scopeOf(p.row.org_id)} ${p.idempotencyKey}`;
    const previous = stored.get(id);
    if (previous) {
      outcomes[i] = replay(previous, p.digest);
    } else if (firstByKey.get(id) !== i) {
      // A twin of a notice in this same batch: it will be answered with the twin's result.
      outcomes[i] =
        p.digest === batch[firstByKey.get(id)!]!.digest ? new Twin(firstByKey.get(id)!) : mismatch();
    }
  }
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

function replay(
  previous: { request_digest: string; response: unknown },
  digest: string,
): IntakeResult | DomainError {
  if (previous.request_digest !== digest) return mismatch();
  type Stored = Omit<IntakeResult, 'received_at' | 'deadline' | 'target_deadline'> & {
    received_at: string;
    deadline: string;
    target_deadline: string;
  };
  const stored = previous.response as Stored | null;
  if (!stored)
    return conflict('a notice with this Idempotency-Key is still being processed; retry in a moment');
  return {
    ...stored,
    received_at: new Date(stored.received_at),
    deadline: new Date(stored.deadline),
    target_deadline: new Date(stored.target_deadline),
    targets: stored.targets.map((t) =>
      t.already_actioned
        ? {
            ...t,
            already_actioned: { ...t.already_actioned, decided_at: new Date(t.already_actioned.decided_at) },
          }
        : t,
    ),
  };
}

/** The statement that stores the answers replayed for repeated Idempotency-Keys; null if none. */
function idempotentAnswers(
  trx: Db,
  items: { prepared: PreparedNotice; result: IntakeResult }[],
): CompiledQuery | null {
  if (items.length === 0) return null;
  const values = sql.join(
    items.map(
      ({ prepared, result }) =>
        sql`(${scopeOf(prepared.row.org_id)}, ${prepared.idempotencyKey}, ${JSON.stringify(result)})`,
    ),
  );
  return sql`
    update idempotency_keys as i set status_code = 201, response = v.response::jsonb
    from (values ${values}) as v(scope, key, response)
    where i.scope = v.scope and i.key = v.key`.compile(trx);
}
