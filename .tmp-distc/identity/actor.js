export function can(actor, permission) {
    return actor.permissions.has(permission);
}
/** Platform staff see every organisation's records; flaggers only their own. */
export function seesAllOrganisations(actor) {
    return actor.orgKind === 'platform' || actor.roles.includes('auditor');
}
export const cliActor = { type: 'system', id: 'cli' };
export const workerActor = { type: 'system', id: 'worker' };
