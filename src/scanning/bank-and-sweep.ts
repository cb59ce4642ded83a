import { conflict, invalid, notFound } from '../core/errors.ts';
import { type DecisionOutcome, isRestrictive } from '../decisions/outcomes.ts';
import type { Actor } from '../identity/actor.ts';
import type { AppContext } from '../runtime/context.ts';
import { addEntries, type EntryInput, findBank } from '../screening/banks/bank-store.ts';
import type { SweepSummary } from './sweep.ts';
import { sweepEntries } from './sweep.ts';

/**
 * "Bank and sweep" from a decision, in one call: the decided item's hashes (those the
 * scanner indexed for the case's posts, and those of its preserved evidence) go into the
 * chosen bank with the case as provenance, and the bank is swept for every copy at once.
 * Only a final decision that restricted the content can be banked.
 */
export async function bankDecision(
  ctx: AppContext,
  actor: Actor,
  decisionId: string,
  input: { bank: string; note?: string | undefined },
  now: Date,
): Promise<{ bank: string; added: number; duplicate: number; sweep: SweepSummary }> {
  const decision = await ctx.db
    .selectFrom('decisions')
    .select(['id', 'case_id', 'outcome', 'status'])
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!decision) throw notFound(`no decision ${decisionId}`);
  if (decision.status !== 'final' || !isRestrictive(decision.outcome as DecisionOutcome))
    throw conflict('only a final decision that restricted the content can be banked');
  const bank = await findBank(ctx.db, input.bank);
  const entries = await hashesOfCase(ctx, decision.case_id);
  if (entries.length === 0)
    throw invalid('the case has no hashes to bank: no scanned post and no preserved media or text', [
      { pointer: '/bank', detail: 'nothing to add' },
    ]);
  const outcomes = await addEntries(
    ctx.db,
    actor,
    bank.id,
    entries.map((e) => ({ ...e, source: 'decision', case_id: decision.case_id, note: input.note })),
    now,
  );
  await ctx.banks.refresh();
  const added = outcomes.flatMap((o) => (o.entry_id ? [o.entry_id] : []));
  const rows = added.length
    ? await ctx.db
        .selectFrom('bank_entries')
        .select([
          'id',
          'bank_id',
          'signal_type',
          'value',
          'source',
          'added_by',
          'added_at',
          'case_id',
          'note',
        ])
        .where('id', 'in', added)
        .execute()
    : [];
  const sweep = await sweepEntries(ctx, rows);
  return {
    bank: bank.name,
    added: added.length,
    duplicate: outcomes.filter((o) => o.status === 'duplicate').length,
    sweep,
  };
}

async function hashesOfCase(ctx: AppContext, caseId: string): Promise<EntryInput[]> {
  const found = await ctx.db
    .selectFrom('cases')
    .select(['subject'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!found) throw notFound(`no case ${caseId}`);
  const posts = await ctx.db
    .selectFrom('detections')
    .select(['platform', 'post_id'])
    .where('case_id', '=', caseId)
    .execute();
  const subject = found.subject as { platform?: string; username?: string; message_id?: number };
  if (subject.platform === 'telegram' && subject.username && subject.message_id !== undefined)
    posts.push({ platform: 'telegram', post_id: `${subject.username}/${subject.message_id}` });
  const out = new Map<string, EntryInput>();
  for (const post of posts) {
    const hashes = await ctx.db
      .selectFrom('content_hashes')
      .select(['signal_type', 'value'])
      .where('platform', '=', post.platform)
      .where('post_id', '=', post.post_id)
      .execute();
    for (const h of hashes)
      out.set(`${h.signal_type} ${h.value}`, { signal_type: h.signal_type, value: h.value });
  }
  const preserved = await ctx.db
    .selectFrom('preserved_content')
    .select('hashes')
    .where('case_id', '=', caseId)
    .execute();
  for (const row of preserved) {
    const hashes = row.hashes as Record<string, unknown>;
    for (const type of ['pdq', 'md5', 'sha256', 'text_sha256'] as const) {
      const value = hashes[type];
      if (typeof value === 'string') out.set(`${type} ${value}`, { signal_type: type, value });
    }
  }
  return [...out.values()];
}
