import {
  accountTypes,
  automatedDecisions,
  automatedDetections,
  contentTypes,
  decisionAccounts,
  decisionGrounds,
  decisionMonetaries,
  decisionProvisions,
  decisionVisibilities,
  europeanCountryCodes,
  incompatibleContentIllegals,
  keywords,
  languages,
  sourceTypes,
  statementCategories,
} from './tdb-values.ts';

/**
 * The Transparency Database's validation of a statement, transcribed rule by rule from its
 * public repository (app/Http/Requests/StatementStoreRequest.php, and for batches
 * StatementMultipleAPIController and GroupedSubmissionsService: 1 to 100 statements, puids
 * unique in the call and on the platform). A pure module: tapis checks what it exports and
 * submits with it, and the test double of the database's API refuses with it.
 *
 * The rules follow Laravel's meanings: `required` fails on a missing field, null, an empty
 * or all-blank string and an empty array; `nullable` lets null through; `in` checks every
 * element of an array; `exclude_*` drops a field from what is stored (reported here as
 * `excluded`, which is no refusal but means tapis sent something the database ignores).
 */
export interface TdbRefusal {
  field: string;
  message: string;
}
export interface TdbValidation {
  ok: boolean;
  errors: TdbRefusal[];
  /** Fields the database would silently drop (the other ground's fields, unknown fields). */
  excluded: string[];
}

type Input = Record<string, unknown>;

const known = new Set([
  'content_id',
  'content_id_ean',
  'decision_visibility',
  'decision_visibility_other',
  'decision_monetary',
  'decision_monetary_other',
  'decision_provision',
  'decision_account',
  'account_type',
  'category_specification',
  'category_specification_other',
  'decision_ground',
  'decision_ground_reference_url',
  'illegal_content_legal_ground',
  'illegal_content_explanation',
  'incompatible_content_ground',
  'incompatible_content_explanation',
  'incompatible_content_illegal',
  'content_type',
  'content_type_other',
  'category',
  'category_addition',
  'territorial_scope',
  'content_language',
  'content_date',
  'application_date',
  'end_date_account_restriction',
  'end_date_monetary_restriction',
  'end_date_service_restriction',
  'end_date_visibility_restriction',
  'decision_facts',
  'source_type',
  'source_identity',
  'automated_detection',
  'automated_decision',
  'puid',
]);

/** Laravel's "filled": not missing, not null, not a blank string, not an empty array. */
function filled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const length = (value: string) => [...value].length;

/** PHP's date_format:Y-m-d: exactly that form, and a real calendar day. */
function isYmd(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** PCRE /^[a-zA-Z0-9-_]+$/D: letters, digits, hyphen and underscore, nothing after. */
const puidPattern = /^[a-zA-Z0-9_-]+$/;

export function validateTdbStatement(s: Input): TdbValidation {
  const errors: TdbRefusal[] = [];
  const excluded: string[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const has = (field: string) => filled(s[field]);

  const inList = (field: string, list: readonly string[], options: { nullable?: boolean } = {}) => {
    const value = s[field];
    if (value === undefined) return;
    if (value === null) {
      // `in:null,…` with `nullable` accepts null; a bare `in` refuses it.
      if (!options.nullable) fail(field, `the selected ${field} is invalid`);
      return;
    }
    const values = Array.isArray(value) ? value : [value];
    if (options.nullable && value === 'null') return;
    for (const v of values)
      if (typeof v !== 'string' || !list.includes(v)) {
        fail(field, `the selected ${field} is invalid: ${JSON.stringify(v)}`);
        return;
      }
  };
  const arrayField = (field: string, options: { nullable?: boolean } = {}) => {
    const value = s[field];
    if (value === undefined || (value === null && options.nullable)) return true;
    if (!Array.isArray(value)) {
      fail(field, `the ${field} field must be an array`);
      return false;
    }
    return true;
  };
  const maxLength = (field: string, max: number) => {
    const value = s[field];
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') fail(field, `the ${field} field must be a string`);
    else if (length(value) > max)
      fail(field, `the ${field} field must not be greater than ${max} characters`);
  };
  const required = (field: string) => {
    if (!has(field)) {
      fail(field, `the ${field} field is required`);
      return false;
    }
    return true;
  };
  const exclude = (field: string) => {
    if (s[field] !== undefined) excluded.push(field);
  };
  const dateField = (
    field: string,
    bounds: { after?: string; before: string },
    options: { required: boolean },
  ) => {
    const value = s[field];
    if (!filled(value)) {
      if (options.required) fail(field, `the ${field} field is required`);
      return;
    }
    if (!isYmd(value)) {
      fail(field, `the ${field.replaceAll('_', ' ')} does not match the format YYYY-MM-DD`);
      return;
    }
    if (bounds.after && value < bounds.after)
      fail(field, `the ${field} field must be a date after or equal to ${bounds.after}`);
    if (value > bounds.before)
      fail(field, `the ${field} field must be a date before or equal to ${bounds.before}`);
  };

  for (const field of Object.keys(s)) if (!known.has(field)) excluded.push(field);

  // content_id: an array, nullable; its EAN-13, and content_id_ean, are 13 digits.
  if (arrayFieldOrObject(s.content_id)) {
    const ean = (s.content_id as Record<string, unknown> | null)?.['EAN-13'];
    if (ean !== undefined && (typeof ean !== 'string' || !/^[0-9]{13}$/.test(ean)))
      fail('content_id.EAN-13', 'the content_id.EAN-13 field format is invalid');
  } else fail('content_id', 'the content_id field must be an array');
  if (
    filled(s.content_id_ean) &&
    (typeof s.content_id_ean !== 'string' || !/^[0-9]{13}$/.test(s.content_id_ean))
  )
    fail('content_id_ean', 'the content_id_ean field format is invalid');

  // The four kinds of restriction: each in its list or null, and at least one of them.
  const decisions = ['decision_visibility', 'decision_monetary', 'decision_provision', 'decision_account'];
  for (const field of decisions) {
    if (!has(field) && decisions.every((other) => !has(other)))
      fail(field, `the ${field} field is required when none of the other restrictions are present`);
  }
  if (arrayField('decision_visibility', { nullable: true }))
    inList('decision_visibility', decisionVisibilities, { nullable: true });
  const visibility = Array.isArray(s.decision_visibility) ? s.decision_visibility : [];
  if (visibility.includes('DECISION_VISIBILITY_OTHER')) {
    required('decision_visibility_other');
    maxLength('decision_visibility_other', 500);
  } else exclude('decision_visibility_other');

  inList('decision_monetary', decisionMonetaries, { nullable: true });
  if (s.decision_monetary === 'DECISION_MONETARY_OTHER') {
    required('decision_monetary_other');
    maxLength('decision_monetary_other', 500);
  } else exclude('decision_monetary_other');
  inList('decision_provision', decisionProvisions, { nullable: true });
  inList('decision_account', decisionAccounts, { nullable: true });
  inList('account_type', accountTypes, { nullable: true });

  if (arrayField('category_specification', { nullable: true }))
    inList('category_specification', keywords, { nullable: true });
  maxLength('category_specification_other', 500);

  // The ground, and only the fields of that ground.
  if (required('decision_ground')) inList('decision_ground', decisionGrounds);
  if (filled(s.decision_ground_reference_url)) {
    maxLength('decision_ground_reference_url', 500);
    if (typeof s.decision_ground_reference_url !== 'string' || !URL.canParse(s.decision_ground_reference_url))
      fail('decision_ground_reference_url', 'the decision_ground_reference_url field must be a valid URL');
  }
  const illegal = s.decision_ground === 'DECISION_GROUND_ILLEGAL_CONTENT';
  const incompatible = s.decision_ground === 'DECISION_GROUND_INCOMPATIBLE_CONTENT';
  for (const [field, max] of [
    ['illegal_content_legal_ground', 500],
    ['illegal_content_explanation', 2000],
  ] as const) {
    if (!illegal) exclude(field);
    else if (required(field)) maxLength(field, max);
  }
  for (const [field, max] of [
    ['incompatible_content_ground', 500],
    ['incompatible_content_explanation', 2000],
  ] as const) {
    if (!incompatible) exclude(field);
    else if (required(field)) maxLength(field, max);
  }
  if (!incompatible) exclude('incompatible_content_illegal');
  else inList('incompatible_content_illegal', incompatibleContentIllegals);

  // Content.
  if (arrayField('content_type') && required('content_type')) inList('content_type', contentTypes);
  const types = Array.isArray(s.content_type) ? s.content_type : [];
  if (types.includes('CONTENT_TYPE_OTHER')) {
    required('content_type_other');
    maxLength('content_type_other', 500);
  } else exclude('content_type_other');

  if (required('category')) inList('category', statementCategories);
  if (s.category_addition !== undefined && arrayField('category_addition'))
    inList('category_addition', statementCategories);

  if (arrayField('territorial_scope', { nullable: true }))
    inList('territorial_scope', europeanCountryCodes, { nullable: true });
  inList('content_language', languages, { nullable: true });

  dateField('content_date', { after: '2000-01-01', before: '2038-01-01' }, { required: true });
  dateField('application_date', { after: '2020-01-01', before: '2038-01-01' }, { required: true });
  for (const field of [
    'end_date_account_restriction',
    'end_date_monetary_restriction',
    'end_date_service_restriction',
    'end_date_visibility_restriction',
  ])
    dateField(field, { before: '2038-01-01' }, { required: false });

  if (required('decision_facts')) maxLength('decision_facts', 5000);
  if (required('source_type')) inList('source_type', sourceTypes);
  if (s.source_type === 'SOURCE_VOLUNTARY') exclude('source_identity');
  else maxLength('source_identity', 500);
  if (required('automated_detection')) inList('automated_detection', automatedDetections);
  if (required('automated_decision')) inList('automated_decision', automatedDecisions);

  if (required('puid')) {
    maxLength('puid', 500);
    if (typeof s.puid === 'string' && !puidPattern.test(s.puid)) fail('puid', 'the puid format is invalid');
  }

  return { ok: errors.length === 0, errors, excluded };
}

function arrayFieldOrObject(value: unknown): boolean {
  // A PHP array is a JSON array or object; content_id is a map ({"EAN-13": …}).
  return value === undefined || value === null || typeof value === 'object';
}

export interface TdbBatchValidation {
  ok: boolean;
  /** The database's keys: statement_<index> → refusals. */
  statements: Record<string, TdbRefusal[]>;
  /** puids repeated in the call or already on the platform. */
  duplicatePuids: string[];
  error?: string | undefined;
}

/** POST /api/v1/statements: 1 to 100 statements, each valid, their puids new to the platform and unique in the call. */
export function validateTdbBatch(
  statements: unknown,
  existingPuids: ReadonlySet<string>,
): TdbBatchValidation {
  if (!Array.isArray(statements) || statements.length < 1 || statements.length > 100)
    return {
      ok: false,
      statements: {},
      duplicatePuids: [],
      error: 'the statements field must be an array of 1 to 100 statements',
    };
  const refusals: Record<string, TdbRefusal[]> = {};
  statements.forEach((statement, index) => {
    const outcome =
      statement && typeof statement === 'object' && !Array.isArray(statement)
        ? validateTdbStatement(statement as Input)
        : { errors: [{ field: 'statement', message: 'must be an object' }] };
    if (outcome.errors.length > 0) refusals[`statement_${index}`] = outcome.errors;
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const statement of statements) {
    const puid = (statement as Input | null)?.puid;
    if (typeof puid !== 'string') continue;
    if (seen.has(puid) || existingPuids.has(puid)) duplicates.add(puid);
    seen.add(puid);
  }
  const ok = Object.keys(refusals).length === 0 && duplicates.size === 0;
  return { ok, statements: refusals, duplicatePuids: [...duplicates] };
}
