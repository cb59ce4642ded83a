import { sql } from 'kysely';
import { notFound } from '../core/errors.ts';
import { type Actor, seesAllOrganisations } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { yearPeriod } from './period.ts';

/**
 * A trusted flagger's annual report (DSA Art. 22(3)): the notices it sent in a calendar
 * year, by category and by the action taken, with no personal data (no notifier, no
 * submitter, no content: counts only). A flagger reads its own; platform staff and
 * auditors any flagger's.
 */
export async function flaggerAnnualReport(db: Db, actor: Actor, slug: string, year: string | number) {
  const period = yearPeriod(year);
  const org = await db
    .selectFrom('organisations')
    .select([
      'id',
      'slug',
      'name',
      'kind',
      'flagger_status',
      'designated_categories',
      'designated_jurisdictions',
    ])
    .where('slug', '=', slug)
    .executeTakeFirst();
  // Another organisation's report is no business of a flagger's: it does not exist for them.
  if (!org || org.kind === 'platform' || (!seesAllOrganisations(actor) && actor.orgSlug !== slug))
    throw notFound(`no flagger ${slug}`);
  const rows = (
    await sql<{ category: string; action: string; notices: string }>`
      select n.category, n.status as action, count(*) as notices from notices n
      where n.org_id = ${org.id} and n.received_at >= ${period.start} and n.received_at < ${period.end}
      group by 1, 2 order by 1, 2`.execute(db)
  ).rows.map((r) => ({ category: r.category, action: r.action, notices: Number(r.notices) }));
  const total = (key: 'category' | 'action') => {
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r[key], (sums.get(r[key]) ?? 0) + r.notices);
    return [...sums].map(([k, notices]) => ({ [key]: k, notices })).sort((a, b) => b.notices - a.notices);
  };
  return {
    flagger: {
      slug: org.slug,
      name: org.name,
      kind: org.kind,
      status: org.flagger_status,
      designated_categories: org.designated_categories,
      designated_jurisdictions: org.designated_jurisdictions,
    },
    year: Number(year),
    period: { from: period.from, to: period.to },
    notices: rows.reduce((sum, r) => sum + r.notices, 0),
    by_category: total('category'),
    by_action: total('action'),
    by_category_and_action: rows,
  };
}
