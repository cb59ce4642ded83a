import { sql } from 'kysely';
import { newId } from '../core/ids.ts';
import type { AppContext } from '../runtime/context.ts';
import { transact } from '../store/transact.ts';
import type { PreparedEvent } from '../stream/prepare.ts';
import { type Analysis, analyse, LEXICON_CASE_SCORE } from './analyse.ts';
import { type DetectionOutcome, type DetectionSetting, recordDetections } from './detections.ts';
import { detectionSetting, scanningServices } from './services.ts';

/**
 * The scanner behind every way in (API queue, JetStream, file): a batch of prepared events
 * is matched in memory, then committed in one transaction: each event's record (its result,
 * never its content), its hashes in the content index, and the cases, evidence and actions
 * its matches lead to. The unique (platform, id, revision) makes a repeated event a no-op,
 * whichever way it came in; a caller acknowledges its messages only after this returns.
 */
export type Via = 'api' | 'nats' | 'file';

export interface ScanResult {
  platform: string;
  id: string;
  revision: string;
  status: 'scanned' | 'duplicate';
  matches: number;
  case_id: string | null;
  actions: number;
}

export interface ScanSummary {
  scanned: number;
  duplicates: number;
  matched: number;
  cases: number;
  actions: number;
  results: ScanResult[];
}

const DAY = 86_400_000;
/** Posts matched between two turns of the event loop (a few milliseconds of work). */
const YIELD_EVERY = 50;

export async function scanBatch(ctx: AppContext, events: PreparedEvent[], via: Via): Promise<ScanSummary> {
  return commitScan(ctx, await planScan(ctx, events, via));
}

/**
 * A batch matched in memory, not yet committed. The NATS worker plans the next batch while
 * the database commits the one before (src/stream/nats/consumer.ts): matching is this
 * process's CPU, the commit is the database's, and on two cores they overlap.
 */
export interface ScanPlan {
  via: Via;
  events: PreparedEvent[];
  unique: Map<string, PreparedEvent>;
  batch: PreparedEvent[];
  analyses: Map<PreparedEvent, Analysis>;
  now: Date;
  setting: DetectionSetting;
  expires: Date;
}

export async function planScan(ctx: AppContext, events: PreparedEvent[], via: Via): Promise<ScanPlan> {
  const { lexicon } = scanningServices(ctx);
  await ctx.banks.ready();
  // The same event twice in one batch is scanned once.
  const unique = new Map<string, PreparedEvent>();
  for (const e of events) unique.set(keyOf(e), e);
  const batch = [...unique.values()];
  const now = ctx.clock();
  // The policy and incidents are read while the batch is matched: a round trip off the path.
  const reading = detectionSetting(ctx, now);
  reading.catch(() => {});
  const analyses = new Map<PreparedEvent, Analysis>();
  for (let i = 0; i < batch.length; i++) {
    const e = batch[i]!;
    analyses.set(e, analyse(e, ctx.banks, lexicon));
    // Matching a batch is ~0.1 ms a post of this thread's CPU; yielding now and then lets
    // the previous batch's commit (its replies from the database) go on meanwhile.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  const setting = await reading;
  const expires = new Date(now.getTime() + ctx.config.TAPIS_CONTENT_RETENTION_DAYS * DAY);
  return { via, events, unique, batch, analyses, now, setting, expires };
}

export async function commitScan(ctx: AppContext, plan: ScanPlan): Promise<ScanSummary> {
  const { via, events, unique, batch, analyses, now, setting, expires } = plan;
  const committed = await transact(ctx.db, async (trx) => {
    const input = JSON.stringify(
      batch.map((e) => {
        const a = analyses.get(e)!;
        return {
          id: newId(),
          platform: e.platform,
          post_id: e.post_id,
          revision: e.revision,
          type: e.type,
          channel: e.channel,
          author: e.author,
          forwarded_from_channel: e.forwarded_from?.channel ?? null,
          forwarded_from_id: e.forwarded_from?.id ?? null,
          posted_at: e.posted_at,
          matched: a.matches.length > 0 || isLexiconCase(a),
          result: { matches: a.matches.length, lexicon_score: a.lexicon?.score ?? 0 },
        };
      }),
    );
    const hashes = JSON.stringify(
      batch.flatMap((e) =>
        analyses.get(e)!.signals.map((s) => ({
          platform: e.platform,
          post_id: e.post_id,
          revision: e.revision,
          channel: e.channel,
          signal_type: s.type,
          value: s.value,
          posted_at: e.posted_at,
        })),
      ),
    );
    // One statement, one round trip: the events, and for those new here their hashes in the
    // content index. An edit replaces the post's hashes and a deletion removes them, so a
    // sweep finds what is there now. The statements of one WITH share a snapshot: the delete
    // sees only the hashes of earlier batches, never those this statement inserts.
    const inserted = await sql<{ platform: string; post_id: string; revision: string }>`
      with fresh as (
        insert into content_events (id, platform, post_id, revision, type, channel, author, forwarded_from_channel,
          forwarded_from_id, posted_at, received_at, via, matched, result)
        select id, platform, post_id, revision, type, channel, author, forwarded_from_channel, forwarded_from_id,
          posted_at, ${now}::timestamptz, ${via}, matched, result
        from jsonb_to_recordset(${input}::jsonb) as e(id uuid, platform text, post_id text, revision text, type text,
          channel text, author text, forwarded_from_channel text, forwarded_from_id text, posted_at timestamptz,
          matched boolean, result jsonb)
        on conflict (platform, post_id, revision) do nothing
        returning platform, post_id, revision, type
      ),
      replaced as (
        delete from content_hashes h using fresh
        where fresh.type <> 'post_created' and h.platform = fresh.platform and h.post_id = fresh.post_id
      ),
      indexed as (
        insert into content_hashes (platform, post_id, channel, signal_type, value, posted_at, expires_at)
        select h.platform, h.post_id, h.channel, h.signal_type, h.value, h.posted_at, ${expires}::timestamptz
        from jsonb_to_recordset(${hashes}::jsonb) as h(platform text, post_id text, revision text, channel text,
          signal_type text, value text, posted_at timestamptz)
        join fresh on fresh.platform = h.platform and fresh.post_id = h.post_id and fresh.revision = h.revision
      )
      select platform, post_id, revision from fresh`.execute(trx);
    const fresh = new Set(inserted.rows.map((r) => `${r.platform}\u0000${r.post_id}\u0000${r.revision}`));
    const scanned = batch.filter((e) => fresh.has(keyOf(e)));

    // Detections lock cases: in subject order, so two workers never wait on each other in a circle.
    const detected = scanned
      .filter((e) => {
        const a = analyses.get(e)!;
        return a.matches.length > 0 || isLexiconCase(a);
      })
      .sort((a, b) => (a.subject.key < b.subject.key ? -1 : a.subject.key > b.subject.key ? 1 : 0));
    const outcomes = new Map<PreparedEvent, DetectionOutcome>();
    for (const e of detected) {
      const a = analyses.get(e)!;
      const outcome = await recordDetections(
        ctx,
        trx,
        {
          platform: e.platform,
          post_id: e.post_id,
          channel: e.channel,
          subject: e.subject,
          channel_subject: e.channel_subject,
        },
        { matches: a.matches, lexicon: isLexiconCase(a) ? a.lexicon : null },
        'scan',
        setting,
        now,
      );
      outcomes.set(e, outcome);
      await trx
        .updateTable('content_events')
        .set({
          result: JSON.stringify({
            matches: a.matches.map((m) => ({
              bank: m.bank.name,
              signal_type: m.signal_type,
              distance: m.distance,
              entry_id: m.provenance.entry_id,
            })),
            lexicon_score: a.lexicon?.score ?? 0,
            case_id: outcome.case_id,
            case_status: outcome.status,
            decision_id: outcome.decision_id,
            channel_case_id: outcome.channel_case_id,
          }),
        })
        .where('platform', '=', e.platform)
        .where('post_id', '=', e.post_id)
        .where('revision', '=', e.revision)
        .execute();
    }
    return { fresh, outcomes };
  });

  const results: ScanResult[] = events.map((e) => {
    const key = keyOf(e);
    const isFresh = committed.fresh.has(key) && unique.get(key) === e;
    const outcome = isFresh ? committed.outcomes.get(e) : undefined;
    return {
      platform: e.platform,
      id: e.id,
      revision: e.revision,
      status: isFresh ? 'scanned' : 'duplicate',
      matches: isFresh ? analyses.get(e)!.matches.length : 0,
      case_id: outcome?.case_id ?? null,
      actions: outcome?.actions ?? 0,
    };
  });
  const outcomes = [...committed.outcomes.values()];
  return {
    scanned: results.filter((r) => r.status === 'scanned').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    matched: outcomes.length,
    cases: outcomes.filter((o) => o.status === 'opened_case').length,
    actions: outcomes.filter((o) => o.decision_id !== null).length,
    results,
  };
}

/** Platform + post + revision: what makes two deliveries one event. */
export function keyOf(e: { platform: string; post_id: string; revision: string }): string {
  return `${e.platform}\u0000${e.post_id}\u0000${e.revision}`;
}

function isLexiconCase(a: Analysis): boolean {
  return (a.lexicon?.score ?? 0) >= LEXICON_CASE_SCORE;
}
