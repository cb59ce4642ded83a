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
  'no_action',
  'reject_unsubstantiated',
  'request_clarification',
] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

export const caseOutcomeOf: Record<Exclude<DecisionOutcome, 'request_clarification'>, CaseOutcome> = {
  remove: 'removed',
  restrict_in_jurisdiction: 'restricted_in_jurisdiction',
  suspend: 'suspended',
  label: 'labelled',
  no_action: 'no_action',
  reject_unsubstantiated: 'rejected_unsubstantiated',
};

/** Decisions that restrict content or an account: each gets a statement of reasons (DSA Art. 17). */
export function isRestrictive(outcome: DecisionOutcome): boolean {
  return (
    outcome === 'remove' ||
    outcome === 'restrict_in_jurisdiction' ||
    outcome === 'suspend' ||
    outcome === 'label'
  );
}

export interface ActionRequest {
  type: ActionType;
  connector: ConnectorName;
  /** For member actions: the account, as the platform knows it. */
  user_id?: string | undefined;
  until?: string | undefined;
  territories?: string[] | undefined;
  label?: string | undefined;
  permissions?: Record<string, boolean> | undefined;
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
      return [{ type: 'label', connector, label: facts.label ?? undefined }];
    default:
      return [];
  }
}

export type PlanResult =
  | { ok: true; actions: PlannedAction[] }
  | { ok: false; index: number; reason: string };

/** Checks each requested action against the configured connectors and says which cannot be undone. */
export function planActions(
  requests: ActionRequest[],
  subject: EnforcementSubject,
  connectors: Connectors,
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
        reason: `the ${request.connector} connector cannot ${request.type.replaceAll('_', ' ')}`,
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
