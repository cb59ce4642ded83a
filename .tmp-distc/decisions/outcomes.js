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
];
export const caseOutcomeOf = {
    remove: 'removed',
    restrict_in_jurisdiction: 'restricted_in_jurisdiction',
    suspend: 'suspended',
    label: 'labelled',
    no_action: 'no_action',
    reject_unsubstantiated: 'rejected_unsubstantiated',
};
/** Decisions that restrict content or an account: each gets a statement of reasons (DSA Art. 17). */
export function isRestrictive(outcome) {
    return (outcome === 'remove' ||
        outcome === 'restrict_in_jurisdiction' ||
        outcome === 'suspend' ||
        outcome === 'label');
}
/** The actions a decision asks for when the reviewer names none: the platform's own API does them. */
export function defaultActionRequests(facts, subject) {
    switch (facts.outcome) {
        case 'remove':
            return [
                { type: subject.kind === 'message' ? 'hide_message' : 'suspend_channel', connector: 'webhook' },
            ];
        case 'restrict_in_jurisdiction':
            return [{ type: 'restrict_in_jurisdiction', connector: 'webhook', territories: facts.territories }];
        case 'suspend':
            return [
                {
                    type: facts.suspension?.target === 'account' ? 'suspend_account' : 'suspend_channel',
                    connector: 'webhook',
                    ...(facts.suspension?.until ? { until: facts.suspension.until } : {}),
                },
            ];
        case 'label':
            return [{ type: 'label', connector: 'webhook', label: facts.label ?? undefined }];
        default:
            return [];
    }
}
/** Checks each requested action against the configured connectors and says which cannot be undone. */
export function planActions(requests, subject, connectors) {
    const actions = [];
    for (const [index, request] of requests.entries()) {
        const connector = connectors[request.connector];
        if (!connector)
            return {
                ok: false,
                index,
                reason: `the ${request.connector} connector is not configured on this instance`,
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
export function fourEyesRuleFor(rules, facts) {
    return rules.find((rule) => rule.outcome === facts.outcome &&
        (!rule.permanent_only || (facts.suspension !== null && facts.suspension.until === null)) &&
        (!rule.categories || rule.categories.includes(facts.category)));
}
