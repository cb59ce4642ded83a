import type { Db } from '../store/db.ts';
import { euCountryCodes, europeanCountryCodes } from '../transparency/tdb-values.ts';

/**
 * Where a decision applies (territorial_scope): the countries the reviewer names, else the
 * case's own: the territorial scope of its authority orders, else its notices'
 * jurisdictions, else the case's. Always ISO 3166-1 alpha-2 codes: 'EU' and 'EEA' are
 * written out as their member countries, and there is no wildcard (docs/decisions/0018).
 */
export async function caseTerritories(
  db: Db,
  current: { id: string; jurisdiction: string },
): Promise<string[]> {
  const notices = await db
    .selectFrom('notice_targets')
    .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
    .select(['notices.jurisdiction', 'notices.order_details'])
    .where('notice_targets.case_id', '=', current.id)
    .execute();
  const ordered = notices.flatMap((n) => {
    const scope = (n.order_details as { territorial_scope?: unknown } | null)?.territorial_scope;
    return Array.isArray(scope) ? scope.filter((c): c is string => typeof c === 'string') : [];
  });
  if (ordered.length > 0) return ordered;
  const jurisdictions = notices.map((n) => n.jurisdiction).filter((j) => j && j !== '*');
  return jurisdictions.length > 0 ? jurisdictions : [current.jurisdiction];
}

/** Upper-cased, unique, sorted ISO codes; EU and EEA as their members; anything else dropped. */
export function expandTerritories(territories: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of territories) {
    const code = raw.toUpperCase();
    if (code === 'EU') for (const c of euCountryCodes) out.add(c);
    else if (code === 'EEA') for (const c of europeanCountryCodes) out.add(c);
    else if (/^[A-Z]{2}$/.test(code)) out.add(code);
  }
  return [...out].sort();
}
