import { notFound } from "../core/errors.js";
import { tokenHash } from "../identity/secrets.js";
/** The statement of reasons behind an unguessable link (only its hash is stored), with the state of any appeal. */
export async function findStatement(db, token) {
    const statement = await db
        .selectFrom('statements')
        .selectAll()
        .where('token_hash', '=', tokenHash(token))
        .executeTakeFirst();
    if (!statement)
        throw notFound('no statement of reasons at this link');
    return statement;
}
export async function readStatement(db, token) {
    const statement = await findStatement(db, token);
    const appeal = await db
        .selectFrom('appeals')
        .select(['id', 'status', 'outcome', 'reasons', 'created_at', 'decided_at'])
        .where('decision_id', '=', statement.decision_id)
        .where('appellant_type', '=', 'affected_user')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
    return {
        statement: statement.content,
        issued_at: statement.created_at,
        appeal_until: statement.appeal_until,
        appeal: appeal ?? null,
    };
}
