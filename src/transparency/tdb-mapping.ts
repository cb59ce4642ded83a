import { euCountryCodes, europeanCountryCodes } from './tdb-values.ts';

/**
 * How tapis's facts read in the Transparency Database's terms. Pure functions.
 */

/**
 * The database's source_type (DSA Art. 17(3)(b)) from the source types of a case's notices.
 * An authority order (DSA Art. 9, TCO Art. 3) is not an Art. 16 notice: it is "other type
 * of notification". When notices of several kinds led to one decision, the strongest names it.
 */
export function tdbSourceType(sources: readonly string[]): string {
  if (sources.includes('government_order')) return 'SOURCE_TYPE_OTHER_NOTIFICATION';
  if (sources.includes('trusted_flagger')) return 'SOURCE_TRUSTED_FLAGGER';
  if (sources.includes('regular_notice')) return 'SOURCE_ARTICLE_16';
  return 'SOURCE_VOLUNTARY';
}

/**
 * The database's territorial_scope: the EU/EEA countries a decision reaches. A global
 * decision ('*') reaches all 30; 'EU' the 27 member states, 'EEA' all 30. Countries outside
 * the EEA (Indonesia, say) are not the database's business and drop out.
 */
export function tdbTerritorialScope(territories: readonly string[]): string[] {
  const eea = europeanCountryCodes as readonly string[];
  const scope = new Set<string>();
  for (const t of territories) {
    const code = t.toUpperCase();
    if (code === '*' || code === 'EEA') for (const c of eea) scope.add(c);
    else if (code === 'EU') for (const c of euCountryCodes) scope.add(c);
    else if (eea.includes(code)) scope.add(code);
  }
  return [...scope].sort();
}

/** The fields a statement sends to the database's API; the rest of a stored statement is for the affected user. */
export const tdbFields = [
  'puid',
  'decision_visibility',
  'decision_visibility_other',
  'decision_monetary',
  'decision_monetary_other',
  'decision_provision',
  'decision_account',
  'account_type',
  'decision_ground',
  'decision_ground_reference_url',
  'illegal_content_legal_ground',
  'illegal_content_explanation',
  'incompatible_content_ground',
  'incompatible_content_explanation',
  'incompatible_content_illegal',
  'category',
  'category_addition',
  'category_specification',
  'category_specification_other',
  'content_type',
  'content_type_other',
  'content_date',
  'content_language',
  'content_id',
  'content_id_ean',
  'territorial_scope',
  'decision_facts',
  'source_type',
  'source_identity',
  'automated_detection',
  'automated_decision',
  'application_date',
  'end_date_visibility_restriction',
  'end_date_monetary_restriction',
  'end_date_service_restriction',
  'end_date_account_restriction',
] as const;

export type TdbStatement = Record<string, unknown>;

/** A stored statement in the API's shape: only the database's fields. */
export function toTdbSubmission(content: Record<string, unknown>): TdbStatement {
  const out: TdbStatement = {};
  for (const field of tdbFields) if (field in content) out[field] = content[field];
  return out;
}
