import type { SourceType } from '../policy/sop-policy.ts';

export interface NotifierOrg {
  kind: string;
  flagger_status: string | null;
  designated_categories: string[];
  designated_jurisdictions: string[];
}

/**
 * How a notice entered (DSA Art. 17(3)(b), the Transparency Database's source_type): an
 * order from an authority, a notice from a trusted flagger within its designated area
 * (DSA Art. 22(1): only there does the priority apply), or a regular notice.
 */
export function sourceTypeOf(
  org: NotifierOrg,
  notice: { kind: 'notice' | 'order'; category: string; jurisdiction: string },
): SourceType {
  if (notice.kind === 'order') return 'government_order';
  if (org.flagger_status !== 'trusted') return 'regular_notice';
  const inCategories =
    org.designated_categories.length === 0 || org.designated_categories.includes(notice.category);
  const inJurisdictions =
    org.designated_jurisdictions.length === 0 || org.designated_jurisdictions.includes(notice.jurisdiction);
  return inCategories && inJurisdictions ? 'trusted_flagger' : 'regular_notice';
}

/** Only authorities and courts may send orders (each as it is registered: src/orders/issuer-registry.ts). */
export function mayIssueOrders(orgKind: string): boolean {
  return orgKind === 'government' || orgKind === 'law_enforcement' || orgKind === 'court';
}
