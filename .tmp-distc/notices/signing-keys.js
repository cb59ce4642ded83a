import { createPrivateKey } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import { transact } from "../store/transact.js";
let cached = null;
export async function currentSigningKey(db) {
    if (cached?.db === db)
        return cached.key;
    let row = await db
        .selectFrom('signing_keys')
        .selectAll()
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
    if (!row) {
        const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
        const publicJwk = await exportJWK(publicKey);
        const kid = `tapis-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
        const privateJwk = await exportJWK(privateKey);
        // Two processes starting together must end up with one key: the first insert wins.
        await transact(db, async (trx) => {
            await sql `select pg_advisory_xact_lock(${0x7a_70_15_02})`.execute(trx);
            const existing = await trx
                .selectFrom('signing_keys')
                .select('kid')
                .where('retired_at', 'is', null)
                .executeTakeFirst();
            if (existing)
                return;
            await trx
                .insertInto('signing_keys')
                .values({
                kid,
                public_jwk: JSON.stringify({ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }),
                private_jwk: JSON.stringify(privateJwk),
            })
                .execute();
        });
        row = await db
            .selectFrom('signing_keys')
            .selectAll()
            .where('retired_at', 'is', null)
            .orderBy('created_at', 'desc')
            .executeTakeFirstOrThrow();
    }
    const privateKey = createPrivateKey({ key: row.private_jwk, format: 'jwk' });
    const key = { kid: row.kid, privateKey };
    cached = { db, key };
    return key;
}
/** Every public key, retired ones included, so old receipts still verify. */
export async function publicJwks(db) {
    const rows = await db.selectFrom('signing_keys').select(['public_jwk']).orderBy('created_at').execute();
    return { keys: rows.map((r) => r.public_jwk) };
}
