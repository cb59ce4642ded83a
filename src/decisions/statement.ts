import type { AutomationFacts } from '../scanning/automation-facts.ts';
import type { Grounds } from '../store/schema/index.ts';
import { tdbSourceType, tdbTerritorialScope } from '../transparency/tdb-mapping.ts';
import { contentTypes, languages } from '../transparency/tdb-values.ts';
import type { DecisionOutcome, PlannedAction } from './outcomes.ts';

/**
 * The statement of reasons (DSA Art. 17), in the DSA Transparency Database's API shape
 * (field names and values of its StatementStoreRequest), so that it can be submitted there
 * as is, plus what the affected user needs beside it (redress, the actions that cannot be
 * undone, the full territorial scope). Built from plain data; stored with the decision and
 * shown to the affected user at a link with an unguessable token.
 */
export type AutomatedDecision = 'fully' | 'partially' | 'not';

export interface StatementFacts {
  /** Unique per statement and never reused; letters, digits, - and _ only (the database's rule). */
  puid: string;
  outcome: DecisionOutcome;
  grounds: Grounds;
  category: string;
  /** Where the decision applies: ISO country codes (src/decisions/territories.ts; never a wildcard). */
  territories: string[];
  suspension: { target: 'channel' | 'account'; until: string | null } | null;
  actions: PlannedAction[];
  sourceTypes: string[];
  /** The notifier's organisation, for notices from trusted flaggers and authority orders only. */
  sourceIdentity?: string | null | undefined;
  /** DSA Art. 17(3)(c): whether the content was detected by automated means. */
  automatedDetection?: boolean | undefined;
  /** DSA Art. 17(3)(c): whether the decision was taken by automated means, and how far. */
  automatedDecision?: AutomatedDecision | undefined;
  /** The bank and distance behind an automated decision (src/scanning/automation-facts.ts). */
  automation?: AutomationFacts | undefined;
  facts: string;
  contentType: string[];
  /** When the content was posted; when unknown, the day it was first reported (it was posted by then). */
  contentDate: Date;
  language: string;
  decidedAt: Date;
  appealUntil: Date;
  appealUrl: string;
}

/** Our taxonomy onto the database's 2025 categories and keywords. */
export const tdbCategory: Record<string, { category: string; keywords: string[] }> = {
  terrorism: {
    category: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
    keywords: ['KEYWORD_TERRORIST_CONTENT'],
  },
  violent_extremism: {
    category: 'STATEMENT_CATEGORY_VIOLENCE',
    keywords: ['KEYWORD_INCITEMENT_VIOLENCE_HATRED'],
  },
  csam: {
    category: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
    keywords: ['KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL'],
  },
  public_order: { category: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY', keywords: [] },
  pornography: {
    category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC',
    keywords: ['KEYWORD_ADULT_SEXUAL_MATERIAL'],
  },
  gambling: {
    category: 'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS',
    keywords: ['KEYWORD_PROHIBITED_PRODUCTS'],
  },
  fraud: { category: 'STATEMENT_CATEGORY_SCAMS_AND_FRAUD', keywords: [] },
  hoax: {
    category: 'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
    keywords: ['KEYWORD_MISINFORMATION_DISINFORMATION'],
  },
  hate_sara: { category: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH', keywords: ['KEYWORD_HATE_SPEECH'] },
  regulated_goods: {
    category: 'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS',
    keywords: ['KEYWORD_PROHIBITED_PRODUCTS'],
  },
  privacy: { category: 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS', keywords: [] },
  intellectual_property: { category: 'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS', keywords: [] },
  other: { category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', keywords: [] },
};

const automatedDecisionValue: Record<AutomatedDecision, string> = {
  fully: 'AUTOMATED_DECISION_FULLY',
  partially: 'AUTOMATED_DECISION_PARTIALLY',
  not: 'AUTOMATED_DECISION_NOT_AUTOMATED',
};

/** What each action does to the content's visibility (DSA Art. 17(1)(a)). */
export const visibilityOf: Partial<Record<PlannedAction['type'], string>> = {
  remove_message: 'DECISION_VISIBILITY_CONTENT_REMOVED',
  hide_message: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  disable_access: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  restrict_in_jurisdiction: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  label: 'DECISION_VISIBILITY_CONTENT_LABELLED',
  demote_content: 'DECISION_VISIBILITY_CONTENT_DEMOTED',
  age_restrict: 'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED',
  restrict_interaction: 'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
};

/** DSA Art. 17(1)(b): the monetary restrictions. */
export const monetaryOf: Partial<Record<PlannedAction['type'], string>> = {
  suspend_monetisation: 'DECISION_MONETARY_SUSPENSION',
  terminate_monetisation: 'DECISION_MONETARY_TERMINATION',
};

const day = (value: Date | string) => new Date(value).toISOString().slice(0, 10);
const until = (action: PlannedAction | undefined) => (action?.params.until ? day(action.params.until) : null);

/** The service and account restrictions (DSA Art. 17(1)(c)-(d)): temporary is a suspension, permanent a termination. */
function restrictionsOf(restrictive: PlannedAction[]) {
  const find = (...types: PlannedAction['type'][]) => restrictive.find((a) => types.includes(a.type));
  const member = find('ban_member', 'restrict_member', 'suspend_channel');
  const service = find('suspend_service', 'terminate_service');
  const account = find('suspend_account');
  const provision = service
    ? `DECISION_PROVISION_${service.params.scope === 'total' ? 'TOTAL' : 'PARTIAL'}_${service.type === 'suspend_service' ? 'SUSPENSION' : 'TERMINATION'}`
    : member
      ? member.type === 'restrict_member' || member.params.until
        ? 'DECISION_PROVISION_PARTIAL_SUSPENSION'
        : 'DECISION_PROVISION_PARTIAL_TERMINATION'
      : null;
  // The database takes one monetary value: a termination outweighs a suspension.
  const monetary = find('terminate_monetisation') ?? find('suspend_monetisation');
  const accountDecision = account
    ? account.params.until
      ? 'DECISION_ACCOUNT_SUSPENDED'
      : 'DECISION_ACCOUNT_TERMINATED'
    : null;
  return {
    provision,
    account: accountDecision,
    monetary: monetary ? monetaryOf[monetary.type]! : null,
    serviceEnd: until(service ?? member),
    accountEnd: until(account),
    monetaryEnd: until(find('suspend_monetisation')),
    visibilityEnd: until(
      find(
        'restrict_in_jurisdiction',
        'label',
        'hide_message',
        'disable_access',
        'demote_content',
        'age_restrict',
        'restrict_interaction',
      ),
    ),
  };
}

/** When no action says, the outcome does: a statement always names at least one restriction. */
const fallbackVisibility: Partial<Record<DecisionOutcome, string>> = {
  remove: 'DECISION_VISIBILITY_CONTENT_REMOVED',
  restrict_in_jurisdiction: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  label: 'DECISION_VISIBILITY_CONTENT_LABELLED',
  suspend: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  disable_access: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  demote: 'DECISION_VISIBILITY_CONTENT_DEMOTED',
  age_restrict: 'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED',
  restrict_interaction: 'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
};

export function buildStatement(f: StatementFacts) {
  const restrictive = f.actions.filter((a) => a.type !== 'deliver_statement');
  const restriction = restrictionsOf(restrictive);
  let visibility = [...new Set(restrictive.flatMap((a) => visibilityOf[a.type] ?? []))];
  if (visibility.length === 0 && !restriction.provision && !restriction.account && !restriction.monetary)
    visibility = [fallbackVisibility[f.outcome] ?? 'DECISION_VISIBILITY_CONTENT_DISABLED'];
  const { category, keywords } = tdbCategory[f.category] ?? tdbCategory.other!;
  const sourceType = tdbSourceType(f.sourceTypes);
  const language = f.language.toUpperCase();
  const types = f.contentType.filter((t) => (contentTypes as readonly string[]).includes(t));
  // DSA Art. 17(3)(d)-(e): one ground per statement, and only that ground's fields; a legal ground wins.
  const ground = f.grounds.illegal
    ? {
        decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
        illegal_content_legal_ground: f.grounds.illegal.legal_ground,
        illegal_content_explanation: f.grounds.illegal.explanation,
      }
    : {
        decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
        incompatible_content_ground: f.grounds.incompatible?.ground ?? 'Terms of service',
        incompatible_content_explanation:
          f.grounds.incompatible?.explanation ?? 'The content is incompatible with the terms of service.',
        incompatible_content_illegal: 'No',
      };
  const irreversible = restrictive.filter((a) => !a.revertible);
  return {
    puid: f.puid,
    decision_visibility: visibility.length > 0 ? visibility : null,
    decision_monetary: restriction.monetary,
    decision_provision: restriction.provision,
    decision_account: restriction.account,
    account_type: null,
    ...ground,
    category,
    category_specification: keywords,
    content_type: types.length > 0 ? types : ['CONTENT_TYPE_TEXT'],
    content_date: day(f.contentDate),
    content_language: (languages as readonly string[]).includes(language) ? language : null,
    territorial_scope: tdbTerritorialScope(f.territories),
    decision_facts: f.facts,
    source_type: sourceType,
    // The database drops source_identity for own-initiative decisions.
    ...(sourceType === 'SOURCE_VOLUNTARY' ? {} : { source_identity: f.sourceIdentity ?? null }),
    automated_detection: f.automatedDetection ? 'Yes' : 'No',
    automated_decision: automatedDecisionValue[f.automatedDecision ?? 'not'],
    // Beside the database's fields: the bank and distance of the match an automated decision rests on.
    automated_match: f.automation?.match
      ? {
          bank: f.automation.match.bank,
          distance: f.automation.match.distance,
          signal_type: f.automation.match.signal_type,
        }
      : null,
    application_date: day(f.decidedAt),
    end_date_visibility_restriction: restriction.visibilityEnd,
    end_date_monetary_restriction: restriction.monetaryEnd,
    end_date_service_restriction: restriction.serviceEnd,
    end_date_account_restriction: restriction.accountEnd,
    // Beside the database's fields: what the affected user needs and the database has no field for.
    territories: f.territories,
    irreversible_actions: irreversible.map((a) => ({
      type: a.type,
      note: a.note ?? 'this action cannot be undone; an upheld appeal cannot restore it',
    })),
    redress: {
      internal_complaint: {
        how: 'Appeal at the address below. A different reviewer decides. It is free.',
        url: f.appealUrl,
        until: f.appealUntil.toISOString(),
      },
      out_of_court_settlement: 'A certified out-of-court dispute settlement body (DSA Art. 21).',
      judicial_redress: 'The competent court of your country.',
    },
  };
}

export type Statement = ReturnType<typeof buildStatement>;
