import type { AutomationFacts } from '../scanning/automation-facts.ts';
import type { Grounds } from '../store/schema/index.ts';
import type { DecisionOutcome, PlannedAction } from './outcomes.ts';

/**
 * The statement of reasons (DSA Art. 17), with the field names of the DSA Transparency
 * Database, so that it can be submitted there as is. Built from plain data; stored with the
 * decision and shown to the affected user at a link with an unguessable token.
 */
export interface StatementFacts {
  puid: string;
  outcome: DecisionOutcome;
  grounds: Grounds;
  category: string;
  territories: string[];
  suspension: { target: 'channel' | 'account'; until: string | null } | null;
  actions: PlannedAction[];
  sourceTypes: string[];
  automatedDetection: boolean;
  /** From the decision row (src/scanning/automation-facts.ts). */
  automation?: AutomationFacts | undefined;
  facts: string;
  contentType: string[];
  contentDate: Date | null;
  language: string;
  decidedAt: Date;
  appealUntil: Date;
  appealUrl: string;
}

/** Our taxonomy onto the Transparency Database's statement categories. */
export const tdbCategory: Record<string, string> = {
  terrorism: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
  violent_extremism: 'STATEMENT_CATEGORY_VIOLENCE',
  csam: 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS',
  public_order: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
  pornography: 'STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT',
  gambling: 'STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS',
  fraud: 'STATEMENT_CATEGORY_SCAMS_AND_FRAUD',
  hoax: 'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS',
  hate_sara: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
  regulated_goods: 'STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS',
  privacy: 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS',
  intellectual_property: 'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS',
  other: 'STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE',
};

const tdbSource: Record<string, string> = {
  trusted_flagger: 'SOURCE_TRUSTED_NOTIFIER',
  regular_notice: 'SOURCE_ARTICLE_16',
  government_order: 'SOURCE_TYPE_OTHER_NOTIFICATION',
  automated_detection: 'SOURCE_VOLUNTARY',
};

const visibilityOf: Partial<Record<PlannedAction['type'], string>> = {
  remove_message: 'DECISION_VISIBILITY_CONTENT_REMOVED',
  hide_message: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  restrict_in_jurisdiction: 'DECISION_VISIBILITY_CONTENT_DISABLED',
  label: 'DECISION_VISIBILITY_CONTENT_LABELLED',
  restrict_member: 'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
};

const automatedDecisionOf = {
  fully: 'AUTOMATED_DECISION_FULLY',
  partially: 'AUTOMATED_DECISION_PARTIALLY',
  none: 'AUTOMATED_DECISION_NOT_AUTOMATED',
} as const;

export function buildStatement(f: StatementFacts) {
  const restrictive = f.actions.filter((a) => a.type !== 'deliver_statement');
  const visibility = [...new Set(restrictive.flatMap((a) => visibilityOf[a.type] ?? []))];
  const memberRestricted = restrictive.some((a) => a.type === 'restrict_member' || a.type === 'ban_member');
  const accountSuspended = restrictive.some(
    (a) => a.type === 'suspend_account' || a.type === 'suspend_channel',
  );
  const permanent = f.suspension !== null && f.suspension.until === null;
  const endOf = (types: PlannedAction['type'][]) =>
    restrictive.find((a) => types.includes(a.type))?.params.until ?? null;
  const illegal = f.grounds.illegal;
  const incompatible = f.grounds.incompatible;
  const irreversible = restrictive.filter((a) => !a.revertible);
  return {
    puid: f.puid,
    decision_visibility: visibility,
    decision_monetary: null,
    decision_provision: memberRestricted
      ? restrictive.some((a) => a.type === 'ban_member')
        ? 'DECISION_PROVISION_PARTIAL_TERMINATION'
        : 'DECISION_PROVISION_PARTIAL_SUSPENSION'
      : null,
    decision_account: accountSuspended
      ? permanent
        ? 'DECISION_ACCOUNT_TERMINATED'
        : 'DECISION_ACCOUNT_SUSPENDED'
      : null,
    account_type: f.suspension?.target === 'channel' ? 'ACCOUNT_TYPE_BUSINESS' : 'ACCOUNT_TYPE_PRIVATE',
    // The two kinds of ground are kept apart (DSA Art. 17(3)(d)-(e)).
    decision_ground: illegal ? 'DECISION_GROUND_ILLEGAL_CONTENT' : 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
    illegal_content_legal_ground: illegal?.legal_ground ?? null,
    illegal_content_explanation: illegal?.explanation ?? null,
    incompatible_content_ground: incompatible?.ground ?? null,
    incompatible_content_explanation: incompatible?.explanation ?? null,
    category: tdbCategory[f.category] ?? 'STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE',
    content_type: f.contentType,
    content_date: f.contentDate ? f.contentDate.toISOString().slice(0, 10) : null,
    content_language: f.language.toUpperCase(),
    territorial_scope: f.territories,
    decision_facts: f.facts,
    source_type:
      f.sourceTypes.length > 0 ? (tdbSource[f.sourceTypes[0]!] ?? 'SOURCE_VOLUNTARY') : 'SOURCE_VOLUNTARY',
    source_identity: null,
    automated_detection: f.automatedDetection ? 'Yes' : 'No',
    automated_decision: automatedDecisionOf[f.automation?.decision ?? 'none'],
    automated_match: f.automation?.match
      ? {
          bank: f.automation.match.bank,
          distance: f.automation.match.distance,
          signal_type: f.automation.match.signal_type,
        }
      : null,
    application_date: f.decidedAt.toISOString().slice(0, 10),
    end_date_visibility_restriction: endOf(['restrict_in_jurisdiction', 'label']),
    end_date_monetary_restriction: null,
    end_date_service_restriction: endOf(['restrict_member', 'ban_member']),
    end_date_account_restriction: accountSuspended ? (f.suspension?.until ?? null) : null,
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
