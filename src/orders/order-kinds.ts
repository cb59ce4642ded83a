import type { FieldIssue } from '../core/errors.ts';
import type { OrderKindCode } from '../policy/channel-policy.ts';

/**
 * The kinds of order tapis tells apart, each with where it applies, who may issue it and
 * the statement fields it must carry. Plain data and a pure check; the deadlines of each
 * kind are in the SOP policy (src/policy/channel-policy.ts, `order_kinds`).
 *
 * - TCO removal order (Regulation 2021/784 Art. 3, Annex I): an EU member state's
 *   competent authority; terrorist content only; one hour from receipt; the reasons, the
 *   type of terrorist content (Art. 2(7)(a)-(e)) and the authority's contact point.
 * - DSA Art. 9 order (Regulation 2022/2065): an EU member state's judicial or
 *   administrative authority; the legal basis, the reasons with specific provisions
 *   (Art. 9(2)(a)), the territorial scope, the redress and the language.
 * - MR5 order (Permenkominfo 5/2020 Art. 14): an Indonesian ministry or agency's request.
 * - Court order: issued by a court (an organisation of kind `court`), anywhere.
 */
export const EU_MEMBER_STATES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

/** TCO Art. 2(7)(a)-(e): what the material does. */
export const terroristContentTypes = [
  'incites',
  'solicits',
  'solicits_participation',
  'instructs',
  'threatens',
] as const;

export interface OrderKindDefinition {
  code: OrderKindCode;
  instrument: string;
  /** Where orders of this kind may be issued: EU member states, Indonesia, or anywhere. */
  jurisdictions: readonly string[] | '*';
  /** Organisation kinds that may issue it. */
  issuers: readonly string[];
  categories?: readonly string[];
  /** Fields of `order` this kind requires. */
  requiredOrderFields: readonly string[];
  /** Specific provisions are required (legal_references with a provision). */
  needsProvisions: boolean;
}

export const orderKinds: Record<OrderKindCode, OrderKindDefinition> = {
  tco_removal_order: {
    code: 'tco_removal_order',
    instrument: 'Regulation (EU) 2021/784 (TCO), Article 3',
    jurisdictions: EU_MEMBER_STATES,
    issuers: ['government', 'law_enforcement', 'court'],
    categories: ['terrorism'],
    requiredOrderFields: ['reasons', 'terrorist_content_type', 'authority_contact'],
    needsProvisions: false,
  },
  dsa_article_9_order: {
    code: 'dsa_article_9_order',
    instrument: 'Regulation (EU) 2022/2065 (DSA), Article 9',
    jurisdictions: EU_MEMBER_STATES,
    issuers: ['government', 'law_enforcement', 'court'],
    requiredOrderFields: ['reasons'],
    needsProvisions: true,
  },
  mr5_order: {
    code: 'mr5_order',
    instrument: 'Permenkominfo No. 5 Tahun 2020, Pasal 14',
    jurisdictions: ['ID'],
    issuers: ['government', 'law_enforcement', 'court'],
    requiredOrderFields: [],
    needsProvisions: false,
  },
  court_order: {
    code: 'court_order',
    instrument: 'a court’s order',
    jurisdictions: '*',
    issuers: ['court'],
    requiredOrderFields: ['court_case_number'],
    needsProvisions: false,
  },
};

/** The order kind when the order names none: MR5 in Indonesia, DSA Art. 9 elsewhere. */
export function defaultOrderKind(jurisdiction: string, orgKind: string): OrderKindCode {
  if (orgKind === 'court') return 'court_order';
  return jurisdiction === 'ID' ? 'mr5_order' : 'dsa_article_9_order';
}

export function appliesIn(kind: OrderKindDefinition, jurisdiction: string): boolean {
  return kind.jurisdictions === '*' || kind.jurisdictions.includes(jurisdiction);
}

export interface OrderFacts {
  orgKind: string;
  jurisdiction: string;
  category: string;
  order: Record<string, unknown>;
  legalReferences: readonly { provision?: string | undefined }[];
}

/** What an order of this kind lacks or gets wrong, as field issues. Pure. */
export function orderKindIssues(kind: OrderKindDefinition, facts: OrderFacts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!kind.issuers.includes(facts.orgKind))
    issues.push({
      pointer: '/order/order_kind',
      detail: `a ${kind.code} is issued by ${kind.issuers.join(' or ')} organisations, not ${facts.orgKind}`,
    });
  if (!appliesIn(kind, facts.jurisdiction))
    issues.push({
      pointer: '/jurisdiction',
      detail: `a ${kind.code} (${kind.instrument}) is issued in ${
        kind.jurisdictions === '*' ? 'any jurisdiction' : (kind.jurisdictions as readonly string[]).join(', ')
      }, not ${facts.jurisdiction}`,
    });
  if (kind.categories && !kind.categories.includes(facts.category))
    issues.push({
      pointer: '/category',
      detail: `a ${kind.code} is about ${kind.categories.join(', ')} content only`,
    });
  for (const field of kind.requiredOrderFields)
    if (facts.order[field] === undefined)
      issues.push({
        pointer: `/order/${field}`,
        detail: `a ${kind.code} needs ${field.replaceAll('_', ' ')}`,
      });
  if (kind.needsProvisions && !facts.legalReferences.some((r) => r.provision))
    issues.push({
      pointer: '/legal_references',
      detail: `a ${kind.code} needs the specific provisions it relies on (DSA Art. 9(2)(a)): legal_references with a provision`,
    });
  return issues;
}
