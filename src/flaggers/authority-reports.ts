import { appendAudit } from '../audit/log.ts';
import { canonicalDigest } from '../core/canonical-json.ts';
import { invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { type Actor, seesAllOrganisations } from '../identity/actor.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { ClaimedMessage, TopicHandler } from '../outbox/worker.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { evidencePack } from './evidence-pack.ts';
import type { PrecisionSettings } from './precision.ts';

/**
 * DSA Art. 22(6): a significant number of imprecise or unsubstantiated notices from a
 * trusted flagger is reported to the authority that designated it, with the supporting
 * documents. A lead sends the evidence pack (src/flaggers/evidence-pack.ts) to the authority's
 * organisation in tapis (decision 0022): the pack as sent is kept with its SHA-256 digest of
 * the canonical JSON, the submission is audited, and an outbox notification delivers it to
 * the authority's inbox (GET /v1/authority-reports), where its users read it.
 */
export const AUTHORITY_REPORT_TOPIC = 'flaggers.authority_report';

export interface AuthorityReportInput {
  authority: string;
  from?: Date | undefined;
  to?: Date | undefined;
  note?: string | undefined;
}

export interface AuthorityReportView {
  id: string;
  flagger: string;
  authority: string;
  period: { from: Date; to: Date };
  digest: string;
  rows: number;
  precision: number | null;
  note: string | null;
  submitted_by: string;
  submitted_at: Date;
  delivered_at: Date | null;
}

/** Authorities are the organisations that designate trusted flaggers (DSA Art. 22(2): the Digital Services Coordinator). */
const authorityKinds = new Set(['government']);

export async function submitAuthorityReport(
  db: Db,
  actor: Actor,
  slug: string,
  input: AuthorityReportInput,
  settings: PrecisionSettings,
  now: Date,
): Promise<AuthorityReportView> {
  const authority = await db
    .selectFrom('organisations')
    .select(['id', 'slug', 'kind'])
    .where('slug', '=', input.authority)
    .executeTakeFirst();
  if (!authority || !authorityKinds.has(authority.kind))
    throw invalid(`authority: '${input.authority}' is not a government organisation in tapis`, [
      {
        pointer: '/authority',
        detail: 'the slug of the designating authority’s organisation (kind government)',
      },
    ]);
  // The pack is built (and its export audited) first; the submission is its own transaction.
  const pack = await evidencePack(db, actor, slug, { ...input, format: 'json' }, settings, now);
  if (pack.organisation.slug === authority.slug)
    throw invalid('authority: a flagger is not reported to itself', [
      { pointer: '/authority', detail: 'the designating authority, not the flagger' },
    ]);
  const sent = JSON.parse(JSON.stringify(pack)) as unknown;
  const digest = canonicalDigest(sent);
  const id = newId();
  return transact(db, async (trx) => {
    const flagger = await trx
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', pack.organisation.slug)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('authority_reports')
      .values({
        id,
        flagger_org_id: flagger.id,
        authority_org_id: authority.id,
        period_from: pack.period.from,
        period_to: pack.period.to,
        digest,
        pack: JSON.stringify(sent),
        note: input.note ?? null,
        submitted_by: actor.id,
        submitted_at: now,
      })
      .execute();
    const view: AuthorityReportView = {
      id,
      flagger: pack.organisation.slug,
      authority: authority.slug,
      period: pack.period,
      digest,
      rows: pack.rows.length,
      precision: pack.figure.precision,
      note: input.note ?? null,
      submitted_by: actor.id,
      submitted_at: now,
      delivered_at: null,
    };
    await appendAudit(
      trx,
      actor,
      {
        action: 'flagger.reported_to_authority',
        objectType: 'organisation',
        objectId: flagger.id,
        change: view,
      },
      now,
    );
    await enqueue(trx, { topic: AUTHORITY_REPORT_TOPIC, payload: { report_id: id } }, now);
    return view;
  });
}

/** Delivers a report to the authority's inbox: from then on its users read it. */
export function authorityReportHandler(deps: { db: Db; clock: () => Date }): TopicHandler {
  return {
    handle: async (message: ClaimedMessage) => {
      const { report_id } = message.payload as { report_id: string };
      await deps.db
        .updateTable('authority_reports')
        .set({ delivered_at: deps.clock() })
        .where('id', '=', report_id)
        .where('delivered_at', 'is', null)
        .execute();
    },
  };
}

function reports(db: Db, actor: Actor) {
  let query = db
    .selectFrom('authority_reports as r')
    .innerJoin('organisations as f', 'f.id', 'r.flagger_org_id')
    .innerJoin('organisations as a', 'a.id', 'r.authority_org_id')
    .select([
      'r.id',
      'f.slug as flagger',
      'a.slug as authority',
      'r.period_from',
      'r.period_to',
      'r.digest',
      'r.pack',
      'r.note',
      'r.submitted_by',
      'r.submitted_at',
      'r.delivered_at',
    ]);
  // An authority reads what was delivered to it; the platform reads every report.
  if (!seesAllOrganisations(actor))
    query = query.where('r.authority_org_id', '=', actor.orgId).where('r.delivered_at', 'is not', null);
  return query;
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reports>['executeTakeFirstOrThrow']>>;

function toView(row: ReportRow): AuthorityReportView {
  const pack = row.pack as { rows: unknown[]; figure: { precision: number | null } };
  return {
    id: row.id,
    flagger: row.flagger,
    authority: row.authority,
    period: { from: row.period_from, to: row.period_to },
    digest: row.digest,
    rows: pack.rows.length,
    precision: pack.figure.precision,
    note: row.note,
    submitted_by: row.submitted_by,
    submitted_at: row.submitted_at,
    delivered_at: row.delivered_at,
  };
}

export async function listAuthorityReports(
  db: Db,
  actor: Actor,
  filter: { flagger?: string | undefined },
): Promise<AuthorityReportView[]> {
  let query = reports(db, actor).orderBy('r.submitted_at', 'desc').orderBy('r.id').limit(500);
  if (filter.flagger) query = query.where('f.slug', '=', filter.flagger);
  return (await query.execute()).map(toView);
}

export async function readAuthorityReport(db: Db, actor: Actor, id: string) {
  const row = await reports(db, actor).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no report ${id}`);
  return { ...toView(row), pack: row.pack };
}
