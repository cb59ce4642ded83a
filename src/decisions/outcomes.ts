import type { CaseOutcome } from '../cases/outcomes.ts';
import type {
  ActionType,
  Connector,
  EnforcementParams,
  EnforcementSubject,
} from '../enforcement/connectors/connector.ts';
import { type ConnectorName, type Connectors, connectorSettings } from '../enforcement/registry.ts';
import type { FourEyesRule } from '../policy/sop-policy.ts';

/**
 * What a reviewer can decide, and what each decision does: the case outcome it records,
 * whether it restricts (and so needs grounds and a statement of reasons), and the
 * enforcement actions it asks of the connectors. Pure functions over plain data.
 */
export const decisionOutcomes = [
  'remove',
  'restrict_in_jurisdiction',
  'suspend',
  'label',
  // Every other restriction DSA Art. 17(1) and the Transparency Database list (docs/decisions/0018).
  'disable_access',
  'demote',
  'age_restrict',
  'restrict_interaction',
  'suspend_monetisation',
  'terminate_monetisation',
  'suspend_service',
  'terminate_service',
  'no_action',
  'reject_unsubstantiated',
  'request_clarification',
] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

/**
 * The outcome of a repeat-infringer warning (src/safeguards/repeat-infringers.ts): made by the
 * desk itself, never chosen by a reviewer, and restricting nothing.
 */
export const WARNING_OUTCOME = 'warn';

export const caseOutcomeOf: Record<Exclude<DecisionOutcome, 'request_clarification'>, CaseOutcome> = {
  remove: 'removed',
  restrict_in_jurisdiction: 'restricted_in_jurisdiction',
  suspend: 'suspended',
  label: 'labelled',
  disable_access: 'access_disabled',
  demote: 'demoted',
  age_restrict: 'age_restricted',
  restrict_interaction: 'interaction_restricted',
  suspend_monetisation: 'monetisation_suspended',
  terminate_monetisation: 'monetisation_terminated',
  suspend_service: 'service_suspended',
  terminate_service: 'service_terminated',
  no_action: 'no_action',
  reject_unsubstantiated: 'rejected_unsubstantiated',
};

const nonRestrictive: readonly string[] = ['no_action', 'reject_unsubstantiated', 'request_clarification'];

/** Decisions that restrict content or an account: each gets a statement of reasons (DSA Art. 17). */
export function isRestrictive(outcome: DecisionOutcome): boolean {
  return !nonRestrictive.includes(outcome) && outcome in caseOutcomeOf;
}

/** Restrictions that are temporary by nature: they need an end date (duration_days). */
export const temporaryOutcomes: readonly DecisionOutcome[] = ['suspend_monetisation', 'suspend_service'];
/** Restrictions that are permanent by nature: an end date would contradict them. */
export const permanentOutcomes: readonly DecisionOutcome[] = [
  'remove',
  'terminate_monetisation',
  'terminate_service',
];

/** The action each outcome asks of the platform's connector, when it is the same whatever the subject. */
export const outcomeAction: Partial<Record<DecisionOutcome, ActionType>> = {
  demote: 'demote_content',
  age_restrict: 'age_restrict',
  restrict_interaction: 'restrict_interaction',
  suspend_monetisation: 'suspend_monetisation',
  terminate_monetisation: 'terminate_monetisation',
  suspend_service: 'suspend_service',
  terminate_service: 'terminate_service',
};

export interface ActionRequest {
  type: ActionType;
  connector: ConnectorName;
  /** For member actions: the account, as the platform knows it. */
  user_id?: string | undefined;
  until?: string | undefined;
  territories?: string[] | undefined;
  label?: string | undefined;
  permissions?: Record<string, boolean> | undefined;
  scope?: 'partial' | 'total' | undefined;
  min_age?: number | undefined;
}

export interface PlannedAction {
  type: ActionType;
  connector: ConnectorName;
  subject: EnforcementSubject;
  params: EnforcementParams;
  revertible: boolean;
  /** What a revert does not restore, when the connector says. */
  note?: string | undefined;
}

export interface DecisionFacts {
  outcome: DecisionOutcome;
  territories: string[];
  suspension: { target: 'channel' | 'account'; until: string | null } | null;
  label: string | null;
  category: string;
  /** The other restrictions' end date, scope (service: partial or total) and minimum age. */
  restriction?: RestrictionFacts | null | undefined;
}

export interface RestrictionFacts {
  until: string | null;
  scope?: 'partial' | 'total' | undefined;
  min_age?: number | undefined;
}

/**
 * The actions a decision asks for when the reviewer names none, of the platform's own
 * connector (src/enforcement/registry.ts `platformConnector`).
 */
export function defaultActionRequests(
  facts: DecisionFacts,
  subject: { kind: string },
  connector: ConnectorName,
): ActionRequest[] {
  switch (facts.outcome) {
    case 'remove':
      return [{ type: subject.kind === 'message' ? 'hide_message' : 'suspend_channel', connector }];
    case 'restrict_in_jurisdiction':
      return [{ type: 'restrict_in_jurisdiction', connector, territories: facts.territories }];
    case 'suspend':
      return [
        {
          type: facts.suspension?.target === 'account' ? 'suspend_account' : 'suspend_channel',
          connector,
          ...(facts.suspension?.until ? { until: facts.suspension.until } : {}),
        },
      ];
    case 'label':
      return [{ type: 'label', connector, label: facts.label ?? undefined, ...untilOf(facts) }];
    case 'disable_access':
      return [
        {
          type: subject.kind === 'message' ? 'hide_message' : 'disable_access',
          connector,
          ...untilOf(facts),
        },
      ];
    default: {
      const type = outcomeAction[facts.outcome];
      if (!type) return [];
      return [
        {
          type,
          connector,
          ...untilOf(facts),
          ...(facts.restriction?.scope ? { scope: facts.restriction.scope } : {}),
          ...(facts.restriction?.min_age ? { min_age: facts.restriction.min_age } : {}),
        },
      ];
    }
  }
}

const untilOf = (facts: DecisionFacts) =>
  facts.restriction?.until ? { until: facts.restriction.until } : {};

export type PlanResult =
  | { ok: true; actions: PlannedAction[] }
  | {
      ok: false;
      index: number;
      reason: string;
      unsupported?: { connector: string; outcome: string | null; action: string } | undefined;
    };

/** Checks each requested action against the configured connectors and says which cannot be undone. */
export function planActions(
  requests: ActionRequest[],
  subject: EnforcementSubject,
  connectors: Connectors,
  outcome?: string,
): PlanResult {
  const actions: PlannedAction[] = [];
  for (const [index, request] of requests.entries()) {
    const connector: Connector | undefined = connectors[request.connector];
    if (!connector)
      return {
        ok: false,
        index,
        reason: `the ${request.connector} connector is not configured on this instance: set ${connectorSettings[request.connector]}`,
      };
    const capability = connector.capabilities[request.type];
    if (!capability)
      return {
        ok: false,
        index,
        reason: `not supported by this connector: the ${request.connector} connector cannot ${request.type.replaceAll('_', ' ')}${outcome ? `, so it cannot carry out a ${outcome} decision` : ''}`,
        unsupported: { connector: request.connector, outcome: outcome ?? null, action: request.type },
      };
    const memberAction = request.type === 'restrict_member' || request.type === 'ban_member';
    if (memberAction && !request.user_id)
      return { ok: false, index, reason: `${request.type} needs the user_id of the account` };
    actions.push({
      type: request.type,
      connector: request.connector,
      subject: { ...subject, ...(request.user_id ? { user_id: request.user_id } : {}) },
      params: {
        ...(request.until ? { until: request.until } : {}),
        ...(request.territories ? { territories: request.territories } : {}),
        ...(request.label ? { label: request.label } : {}),
        ...(request.permissions ? { permissions: request.permissions } : {}),
        ...(request.scope ? { scope: request.scope } : {}),
        ...(request.min_age ? { min_age: request.min_age } : {}),
      },
      revertible: capability.revertible,
      note: capability.note,
    });
  }
  return { ok: true, actions };
}

/** The four-eyes rule a decision falls under, if any: it then waits for a second reviewer. */
export function fourEyesRuleFor(
  rules: readonly FourEyesRule[],
  facts: DecisionFacts,
): FourEyesRule | undefined {
  return rules.find(
    (rule) =>
      rule.outcome === facts.outcome &&
      (!rule.permanent_only || (facts.suspension !== null && facts.suspension.until === null)) &&
      (!rule.categories || rule.categories.includes(facts.category)),
  );
}
