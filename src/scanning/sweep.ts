import { sql } from 'kysely';
import type { AppContext } from '../runtime/context.ts';
import type { BankMatch } from '../screening/banks/bank-matcher.ts';
import { transact } from '../store/transact.ts';
import { postIdOf, subjectsOf } from '../stream/prepare.ts';
import { INDEXED_SIGNALS, type IndexedSignal } from './content-index.ts';
import { recordDetections } from './detections.ts';
import { bumpTimeline } from './incidents/incidents.ts';
import { detectionSetting, scanningServices } from './services.ts';

/**
 * Bank and sweep: a hash added to a bank is matched against the content index, and every
 * earlier copy (exact, or a PDQ near-duplicate) becomes a case or an action under the
 * bank's policy, as if the post had been scanned after the hash was banked. This is the
 * SOP's "more efficiently": one decision removes every repost.
 *
 * Every new entry is swept twice, at once and again a few seconds later: a post committed
 * while the entry was being added may have missed both the scanner's matcher and the first
 * sweep. Detections are recorded once per post and entry, so a repeat sweep adds nothing.
 */
export interface SweepSummary {
  checked: number;
  matched: number;
  cases: number;
  actions: number;
}

const SECOND_PASS_MS = 5_000;
const ENTRIES_PER_PASS = 2_000;
const POSTS_PER_TRANSACTION = 100;

interface EntryRow {
  id: string;
  bank_id: string;
  signal_type: string;
  value: string;
  source: string;
  added_by: string;
  added_at: Date;
  case_id: string | null;
  note: string | null;
}

/** Sweeps the entries not yet swept (or due their second pass). What the scheduled job runs. */
export async function sweepNewEntries(ctx: AppContext): Promise<SweepSummary> {
  const now = ctx.clock();
  const due = new Date(now.getTime() - SECOND_PASS_MS);
  const entries = await ctx.db
    .selectFrom('bank_entries as e')
    .leftJoin('bank_entry_sweeps as s', 's.entry_id', 'e.id')
    .select([
      'e.id',
      'e.bank_id',
      'e.signal_type',
      'e.value',
      'e.source',
      'e.added_by',
      'e.added_at',
      'e.case_id',
      'e.note',
    ])
    .where('e.removed_at', 'is', null)
    .where('e.signal_type', 'in', [...INDEXED_SIGNALS])
    .where((eb) =>
      eb.or([
        eb('s.entry_id', 'is', null),
        eb.and([eb('s.second_at', 'is', null), eb('s.first_at', '<', due)]),
      ]),
    )
    .orderBy('e.change_seq')
    .limit(ENTRIES_PER_PASS)
    .execute();
  if (entries.length === 0) return { checked: 0, matched: 0, cases: 0, actions: 0 };
  const summary = await sweepEntries(ctx, entries);
  const firstTime = await ctx.db
    .selectFrom('bank_entry_sweeps')
    .select('entry_id')
    .where(
      'entry_id',
      'in',
      entries.map((e) => e.id),
    )
    .execute();
  const known = new Set(firstTime.map((r) => r.entry_id));
  const setting = await detectionSetting(ctx, now);
  await transact(ctx.db, async (trx) => {
    const rows = JSON.stringify(entries.map((e) => ({ entry_id: e.id })));
    await sql`insert into bank_entry_sweeps (entry_id, first_at)
      select entry_id, ${now}::timestamptz from jsonb_to_recordset(${rows}::jsonb) as r(entry_id uuid)
      on conflict (entry_id) do update set second_at = ${now}::timestamptz`.execute(trx);
    // Crisis mode: hashes added to an incident's banks while it is active, per minute.
    for (const incident of setting.incidents) {
      const added = entries.filter(
        (e) => !known.has(e.id) && incident.bank_ids.includes(e.bank_id) && e.added_at >= incident.starts_at,
      ).length;
      if (added > 0) await bumpTimeline(trx, incident.id, now, { new_hashes: added });
    }
  });
  return summary;
}

/** Sweeps every live entry of a bank, or of every bank: `tapis sweep`. */
export async function sweepBank(ctx: AppContext, bankId: string | null): Promise<SweepSummary> {
  const total: SweepSummary = { checked: 0, matched: 0, cases: 0, actions: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    let query = ctx.db
      .selectFrom('bank_entries')
      .select(['id', 'bank_id', 'signal_type', 'value', 'source', 'added_by', 'added_at', 'case_id', 'note'])
      .where('removed_at', 'is', null)
      .where('signal_type', 'in', [...INDEXED_SIGNALS])
      .where('id', '>', after)
      .orderBy('id')
      .limit(ENTRIES_PER_PASS);
    if (bankId) query = query.where('bank_id', '=', bankId);
    const entries = await query.execute();
    if (entries.length === 0) return total;
    const part = await sweepEntries(ctx, entries);
    total.checked += part.checked;
    total.matched += part.matched;
    total.cases += part.cases;
    total.actions += part.actions;
    after = entries[entries.length - 1]!.id;
  }
}

/** Sweeps these entries against the content index. */
export async function sweepEntries(ctx: AppContext, entries: readonly EntryRow[]): Promise<SweepSummary> {
  const { contentIndex } = scanningServices(ctx);
  await contentIndex.refresh();
  const banks = new Map(
    (
      await ctx.db.selectFrom('banks').select(['id', 'name', 'enabled', 'policy', 'auto_action']).execute()
    ).map((b) => [b.id, b]),
  );
  // Each post's hits, closest first: seq → (entry → distance).
  const hitsBySeq = new Map<number, { entry: EntryRow; distance: number }[]>();
  for (const entry of entries) {
    if (!banks.get(entry.bank_id)?.enabled) continue;
    for (const hit of contentIndex.match(entry.signal_type as IndexedSignal, entry.value)) {
      const list = hitsBySeq.get(hit.seq) ?? [];
      list.push({ entry, distance: hit.distance });
      hitsBySeq.set(hit.seq, list);
    }
  }
  const summary: SweepSummary = { checked: entries.length, matched: 0, cases: 0, actions: 0 };
  if (hitsBySeq.size === 0) return summary;
  const now = ctx.clock();
  const setting = await detectionSetting(ctx, now);

  // The rows behind the hits, still there (not deleted, not past retention), grouped by post.
  const seqs = [...hitsBySeq.keys()];
  const posts = new Map<
    string,
    { platform: string; post_id: string; channel: string; matches: BankMatch[] }
  >();
  for (let i = 0; i < seqs.length; i += 5_000) {
    const rows = await ctx.db
      .selectFrom('content_hashes')
      .select(['seq', 'platform', 'post_id', 'channel', 'signal_type', 'value'])
      .where('seq', '=', sql<number>`any(${seqs.slice(i, i + 5_000)}::bigint[])`)
      .where('expires_at', '>', now)
      .execute();
    for (const row of rows) {
      const key = `${row.platform}\u0000${row.post_id}`;
      const post = posts.get(key) ?? {
        platform: row.platform,
        post_id: row.post_id,
        channel: row.channel,
        matches: [],
      };
      for (const { entry, distance } of hitsBySeq.get(Number(row.seq)) ?? []) {
        const bank = banks.get(entry.bank_id)!;
        if (post.matches.some((m) => m.provenance.entry_id === entry.id && m.distance <= distance)) continue;
        post.matches = post.matches.filter((m) => m.provenance.entry_id !== entry.id);
        post.matches.push({
          signal_type: entry.signal_type as IndexedSignal,
          value: entry.value,
          distance,
          bank: {
            id: bank.id,
            name: bank.name,
            policy: bank.policy,
            auto_action: bank.auto_action as BankMatch['bank']['auto_action'],
          },
          provenance: {
            entry_id: entry.id,
            bank_id: entry.bank_id,
            source: entry.source,
            added_by: entry.added_by,
            added_at: entry.added_at,
            case_id: entry.case_id,
            note: entry.note,
          },
        });
      }
      posts.set(key, post);
    }
  }
  const ordered = [...posts.values()]
    .map((p) => ({ ...p, subjects: subjectsOf(p.platform, p.channel, postIdOf(p.platform, p.post_id)) }))
    .filter((p) => !('reason' in p.subjects))
    .sort((a, b) => {
      const ka = (a.subjects as { post: { key: string } }).post.key;
      const kb = (b.subjects as { post: { key: string } }).post.key;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  for (let i = 0; i < ordered.length; i += POSTS_PER_TRANSACTION) {
    await transact(ctx.db, async (trx) => {
      for (const post of ordered.slice(i, i + POSTS_PER_TRANSACTION)) {
        const subjects = post.subjects as Exclude<typeof post.subjects, { reason: string }>;
        post.matches.sort((a, b) => a.distance - b.distance);
        const outcome = await recordDetections(
          ctx,
          trx,
          {
            platform: post.platform,
            post_id: post.post_id,
            channel: post.channel,
            subject: subjects.post,
            channel_subject: subjects.channel,
          },
          { matches: post.matches, lexicon: null },
          'sweep',
          setting,
          now,
        );
        if (outcome.status === 'nothing_new') continue;
        summary.matched += 1;
        if (outcome.status === 'opened_case') summary.cases += 1;
        if (outcome.decision_id) summary.actions += 1;
      }
    });
  }
  return summary;
}
