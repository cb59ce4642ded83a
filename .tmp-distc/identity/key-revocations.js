import { sql } from 'kysely';
import { forgetApiKeys } from "./authenticate.js";
/**
 * Every process keeps the API keys it has seen for a few seconds (authenticate.ts). A
 * revocation must not wait for that: the transaction that revokes a key notifies this
 * channel, PostgreSQL delivers the notification when it commits, and every process that
 * follows the channel forgets its keys at once, whichever process (a server, the CLI)
 * revoked it. The payload is the schema, so that deployments sharing a server (and tests,
 * a schema each) do not clear each other's.
 */
const CHANNEL = 'tapis_api_key_revoked';
export async function announceKeyRevocation(trx) {
    await sql `select pg_notify(${CHANNEL}, current_schema())`.execute(trx);
}
/**
 * Follows revocations for this store's schema; null from the store (notifications may have
 * been missed while its connection was down) also forgets every key.
 */
export async function followKeyRevocations(store) {
    const schema = (await sql `select current_schema() as schema`.execute(store.db)).rows[0]
        .schema;
    return store.listen(CHANNEL, (payload) => {
        if (payload === null || payload === schema)
            forgetApiKeys(store.db);
    });
}
