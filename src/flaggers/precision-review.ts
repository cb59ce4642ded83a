import { sql } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import type { Config } from '../config/config.ts';
import { newId } from '../core/ids.ts';
import type { SystemActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { judgedTargets } from './judged-targets.ts';
import {
  type Figure,
  figureOf,
  inPeriod,
  isBelowThreshold,
  type PrecisionSettings,
  WINDOW_DAYS,
  windowStart,
} from './precision.ts';

/**
 * DSA Art. 22(6): a flagger whose notices are too often unfounded is brought to a lead's
 * attention. The review looks at the rolling 90-day figure; when it is first found below
 * the threshold (on enough decided notices), an alert is raised: one open alert per
 * flagger. While the figure stays below, no new alert; once it has recovered and falls
 * again, a new one. A decision that touches a flagger's notices marks the flagger due (in
 * the decision's transaction, markPrecisionDue); the due pass (every 2 s) reviews each marked
 * flagger once, at most every REVIEW_INTERVAL_MS, in a transaction of its own; and an hourly
 * pass reviews every flagger, so
 * that nothing is missed (a mark lost with a crashed pass, a window that slid).
 *
 * Why not in the decision's transaction: the review reads every decided target of the
 * flagger's last 90 days. Under the audit chain's lock (which a decision holds from its
 * case event on) that read grew with the flagger's history and held back every other audited
 * write in the system (decision 0020, the soak). An alert up to ~30 s after the decision
 * that caused it loses nothing: Art. 22(6) asks that the lead hear of it, not within a time.
 */
export const PRECISION_ALERT = 'flagger_precision_low';
export const precisionActor: SystemActor = { type: 'system', id: 'flagger-precision' };

export function precisionSettings(
  config: Pick<Config, 'TAPIS_FLAGGER_PRECISION_THRESHOLD' | 'TAPIS_FLAGGER_MIN_DECIDED'>,
): PrecisionSettings {
  return {
    threshold: config.TAPIS_FLAGGER_PRECISION_THRESHOLD,
    minDecided: config.TAPIS_FLAGGER_MIN_DECIDED,
  };
}

export interface PrecisionReview {
  org_id: string;
  figure: Figure;
  below: boolean;
  /** The alert raised by this review, if it raised one. */
  alert_id: string | null;
}

/** How often the due pass runs (src/runtime/workers.ts). */
export const DUE_PASS_MS = 2_000;
/**
 * A flagger is reviewed by the due pass at most this often: its marks wait meanwhile. The
 * review reads the flagger's 90 days, which a busy flagger (a ministry) fills with tens of
 * thousands of decided targets; once per decision, or every 2 s, that read would grow with
 * the flagger's history (the soak: 280 ms a review after 10 minutes). A lead hears of a
 * fall below the threshold within about this long of the decision that caused it. Each
 * process keeps its own memory of the times, so with N processes a flagger may be reviewed
 * up to N times in this interval; the marks are shared, so each mark is reviewed once.
 */
export const REVIEW_INTERVAL_MS = 30_000;

/**
 * Marks the flaggers among `orgIds` due for review (platform organisations and unknown ids
 * are skipped). Call it in the transaction that decided, after its audit entry: a mark is a
 * row per flagger, and an insert that meets another transaction's uncommitted mark waits for
 * it, so only the holder of the audit chain's lock may insert one (no two wait in a cycle).
 * The table has no foreign key to organisations for the same reason (migration 1280).
 */
export async function markPrecisionDue(trx: Db, orgIds: readonly string[], now: Date): Promise<void> {
  if (orgIds.length === 0) return;
  await trx
    .insertInto('flagger_precision_due')
    .columns(['org_id', 'due_since'])
    .expression(
      trx
        .selectFrom('organisations')
        .select(['id', sql<Date>`${now}::timestamptz`.as('due_since')])
        .where('id', 'in', [...new Set(orgIds)])
        .where('flagger_status', 'is not', null),
    )
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
}

/**
 * The due pass: takes every mark (one short statement, so a decision never waits behind a
 * review) and reviews each flagger in a transaction of its own. A review that fails puts
 * its mark back for the next pass. Returns the alerts raised.
 */
export async function reviewDueFlaggers(
  db: Db,
  settings: PrecisionSettings,
  now: Date,
  /** The running pass's memory of when it last reviewed each flagger (REVIEW_INTERVAL_MS). */
  reviewedAt?: Map<string, number>,
): Promise<number> {
  const recent = reviewedAt
    ? [...reviewedAt].filter(([, at]) => now.getTime() - at < REVIEW_INTERVAL_MS).map(([id]) => id)
    : [];
  let take = db.deleteFrom('flagger_precision_due');
  if (recent.length > 0) take = take.where('org_id', 'not in', recent);
  const due = await take.returning('org_id').execute();
  let raised = 0;
  const failed: { org_id: string; error: unknown }[] = [];
  for (const { org_id } of due) {
    try {
      const [review] = await db
        .transaction()
        .execute((trx) => reviewFlaggerPrecision(trx, [org_id], settings, now));
      if (review?.alert_id) raised += 1;
      reviewedAt?.set(org_id, now.getTime());
    } catch (error) {
      failed.push({ org_id, error });
    }
  }
  // Every review that failed puts its mark back for the next pass; the others still ran.
  if (failed.length > 0) {
    await db
      .insertInto('flagger_precision_due')
      .values(failed.map(({ org_id }) => ({ org_id, due_since: now })))
      .onConflict((oc) => oc.column('org_id').doNothing())
      .execute()
      .catch(() => {});
    throw failed[0]!.error;
  }
  return raised;
}

/**
 * Reviews the flaggers among `orgIds` (platform organisations and unknown ids are
 * skipped), in a transaction of its own: the due pass and the hourly pass call it.
 */
export async function reviewFlaggerPrecision(
  trx: Db,
  orgIds: readonly string[],
  settings: PrecisionSettings,
  now: Date,
): Promise<PrecisionReview[]> {
  if (orgIds.length === 0) return [];
  const flaggers = await trx
    .selectFrom('organisations')
    .select(['id', 'slug'])
    .where('id', 'in', [...new Set(orgIds)])
    .where('flagger_status', 'is not', null)
    .orderBy('id')
    .execute();
  if (flaggers.length === 0) return [];
  const from = windowStart(now);
  const rows = await judgedTargets(trx, { orgIds: flaggers.map((f) => f.id), decidedSince: from });
  const reviews: PrecisionReview[] = [];
  for (const org of flaggers) {
    const figure = figureOf(rows.filter((r) => r.org_id === org.id && inPeriod(r, from, now)));
    reviews.push(await record(trx, org, figure, settings, now));
  }
  return reviews;
}

/**
 * Locks: every write here — the flagger's state and its alert — comes after an audit entry,
 * under the audit chain's lock, which acknowledging an alert takes too; nothing is locked
 * before it, so a review and anything else never wait on each other in a cycle. Reads before
 * the lock decide whether there is anything to write; under the lock the state is read again,
 * as another review (the due pass, the hourly pass, another process) may have written it.
 */
async function record(
  trx: Db,
  org: { id: string; slug: string },
  figure: Figure,
  settings: PrecisionSettings,
  now: Date,
): Promise<PrecisionReview> {
  const below = isBelowThreshold(figure, settings);
  const review: PrecisionReview = { org_id: org.id, figure, below, alert_id: null };
  const wasBelow = (await belowSince(trx, org.id)) !== null;
  if (below === wasBelow) return review;

  const data = {
    slug: org.slug,
    window_days: WINDOW_DAYS,
    threshold: settings.threshold,
    min_decided: settings.minDecided,
    figure,
  };
  const action = below ? 'flagger.precision_below_threshold' : 'flagger.precision_recovered';
  await appendAudit(
    trx,
    precisionActor,
    { action, objectType: 'organisation', objectId: org.id, change: data },
    now,
  );
  if (((await belowSince(trx, org.id)) !== null) === below) return review;

  await trx
    .insertInto('flagger_precision_state')
    .values({
      org_id: org.id,
      below_since: below ? now : null,
      figure: JSON.stringify(figure),
      changed_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('org_id')
        .doUpdateSet({ below_since: below ? now : null, figure: JSON.stringify(figure), changed_at: now }),
    )
    .execute();
  if (below) review.alert_id = await raiseAlert(trx, org.id, data, now);
  return review;
}

async function belowSince(trx: Db, orgId: string): Promise<Date | null> {
  const state = await trx
    .selectFrom('flagger_precision_state')
    .select('below_since')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return state?.below_since ?? null;
}

async function raiseAlert(
  trx: Db,
  orgId: string,
  data: Record<string, unknown>,
  now: Date,
): Promise<string | null> {
  const id = newId();
  // One open alert per flagger (the unique index alerts_open_kind): an open one stands.
  const inserted = await sql<{ id: string }>`
    insert into alerts (id, kind, org_id, data, created_at)
    values (${id}, ${PRECISION_ALERT}, ${orgId}, ${JSON.stringify(data)}::jsonb, ${now})
    on conflict (kind, org_id) where acknowledged_at is null do nothing
    returning id`.execute(trx);
  return inserted.rows.length > 0 ? id : null;
}

/** The hourly pass: every flagger, each in a transaction of its own. Returns the alerts raised. */
export async function reviewAllFlaggers(db: Db, settings: PrecisionSettings, now: Date): Promise<number> {
  const flaggers = await db
    .selectFrom('organisations')
    .select('id')
    .where('flagger_status', 'is not', null)
    .execute();
  let raised = 0;
  for (const { id } of flaggers) {
    const [review] = await db
      .transaction()
      .execute((trx) => reviewFlaggerPrecision(trx, [id], settings, now));
    if (review?.alert_id) raised += 1;
  }
  return raised;
}
