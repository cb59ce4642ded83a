import { appendAudit } from "../audit/log.js";
import { conflict, invalid, notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { transact } from "../store/transact.js";
import { seesAllOrganisations } from "./actor.js";
import { assertManages, findOrganisation } from "./organisations.js";
import { generatePassword, hashPassword } from "./passwords.js";
import { rolesForOrgKind } from "./permissions.js";
export async function createUser(db, actor, input, now) {
    const org = await findOrganisation(db, input.org);
    assertManages(actor, org.id);
    const allowed = rolesForOrgKind(org.kind);
    const wrong = input.roles.filter((role) => !allowed.includes(role));
    if (wrong.length > 0) {
        throw invalid(`a user of a ${org.kind} organisation cannot hold ${wrong.join(', ')}; allowed: ${allowed.join(', ')}`, [{ pointer: '/roles', detail: `not allowed for a ${org.kind} organisation: ${wrong.join(', ')}` }]);
    }
    // A flagger_admin may create flaggers and flagger_admins of its own organisation only.
    if (actor.type === 'user' && actor.orgKind !== 'platform' && input.roles.some((r) => r === 'auditor')) {
        throw invalid('only a platform admin may create auditors', [
            { pointer: '/roles', detail: 'auditor needs a platform admin' },
        ]);
    }
    const generated = input.password === undefined ? generatePassword() : null;
    const user = {
        id: newId(),
        org_id: org.id,
        email: input.email.toLowerCase(),
        display_name: input.display_name,
        password_hash: await hashPassword(input.password ?? generated),
        roles: input.roles,
        languages: input.languages ?? [],
        jurisdictions: input.jurisdictions ?? [],
        created_at: now,
    };
    await transact(db, async (trx) => {
        const taken = await trx
            .selectFrom('users')
            .select('id')
            .where('email', '=', user.email)
            .executeTakeFirst();
        if (taken)
            throw conflict(`a user with e-mail ${user.email} already exists`);
        await trx.insertInto('users').values(user).execute();
        const { password_hash: _, ...change } = user;
        await appendAudit(trx, actor, { action: 'user.created', objectType: 'user', objectId: user.id, change }, now);
    });
    return {
        user: { ...user, org: org.slug, disabled: false },
        password: generated,
    };
}
export async function listUsers(db, actor, orgSlug) {
    let query = db
        .selectFrom('users')
        .innerJoin('organisations', 'organisations.id', 'users.org_id')
        .select([
        'users.id',
        'users.org_id',
        'organisations.slug as org',
        'users.email',
        'users.display_name',
        'users.roles',
        'users.languages',
        'users.jurisdictions',
        'users.disabled_at',
        'users.created_at',
    ])
        .orderBy('users.email');
    if (!seesAllOrganisations(actor))
        query = query.where('users.org_id', '=', actor.orgId);
    if (orgSlug)
        query = query.where('organisations.slug', '=', orgSlug);
    const rows = await query.execute();
    return rows.map(({ disabled_at, ...row }) => ({ ...row, disabled: disabled_at !== null }));
}
export async function disableUser(db, actor, userId, now) {
    await transact(db, async (trx) => {
        const user = await trx
            .selectFrom('users')
            .select(['id', 'org_id'])
            .where('id', '=', userId)
            .executeTakeFirst();
        if (!user)
            throw notFound(`no user with id ${userId}`);
        assertManages(actor, user.org_id);
        await trx.updateTable('users').set({ disabled_at: now }).where('id', '=', userId).execute();
        await trx
            .updateTable('sessions')
            .set({ revoked_at: now })
            .where('user_id', '=', userId)
            .where('revoked_at', 'is', null)
            .execute();
        await appendAudit(trx, actor, { action: 'user.disabled', objectType: 'user', objectId: userId, change: { disabled_at: now } }, now);
    });
}
