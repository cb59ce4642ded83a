import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, } from 'kysely';
import { retryingConflicts } from "./transact.js";
/**
 * Statements sent together and answered together. On PostgreSQL, a connection in pipeline
 * mode (node-postgres `pipeline: true`) writes each statement as soon as it is given, without
 * waiting for the answer to the one before; the server still runs them one after another, in
 * order, each with its own snapshot. So a transaction whose statements do not depend on each
 * other's answers pays one round trip for all of them instead of one each. The intake, which
 * answers nobody before its commit, is where round trips are the cost (decision 6).
 *
 * Kysely runs a transaction's statements one at a time (it waits for each), so a pipelined
 * transaction is a Kysely instance of its own over one pooled client, and runTogether hands
 * statements to that client directly, in the order given.
 */
const pipelinedClients = new WeakMap();
/** Runs a pending statement on its own, then finishes it. */
export async function runPending(trx, pending) {
    return pending.finish(trx, await trx.executeQuery(pending.statement));
}
/**
 * Runs `queries` in order in `trx` and returns their results: in one round trip in a
 * pipelined transaction, one by one anywhere else. If one fails, the transaction is aborted
 * and the first error is thrown.
 */
export async function runTogether(trx, queries) {
    const client = pipelinedClients.get(trx);
    if (!client) {
        const results = [];
        for (const query of queries)
            results.push(await trx.executeQuery(query));
        return results;
    }
    return Promise.all(queries.map((query) => execute(client, query)));
}
async function execute(client, query) {
    const result = await client.query(query.sql, [...query.parameters]);
    const changed = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command);
    return changed
        ? { rows: result.rows, numAffectedRows: BigInt(result.rowCount ?? 0) }
        : { rows: result.rows };
}
/**
 * A Kysely instance whose every statement goes to one client (no transaction of Kysely's own),
 * until `isOpen` says the transaction is over: a statement after that would run on a client
 * back in the pool, perhaps in someone else's transaction.
 */
function kyselyOver(client, isOpen) {
    const connection = {
        executeQuery: (query) => {
            if (!isOpen())
                return Promise.reject(new Error('this pipelined transaction is over'));
            return execute(client, query);
        },
        streamQuery: () => {
            throw new Error('a pipelined transaction does not stream');
        },
    };
    const driver = {
        init: async () => { },
        acquireConnection: async () => connection,
        beginTransaction: async () => {
            throw new Error('a pipelined transaction is already one');
        },
        commitTransaction: async () => { },
        rollbackTransaction: async () => { },
        releaseConnection: async () => { },
        destroy: async () => { },
    };
    return new Kysely({
        dialect: {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => driver,
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
        },
    });
}
/**
 * Runs `work` in a transaction on a client of `pool` (which must be in pipeline mode): `begin`
 * travels with the first statement, and runTogether sends statements together. Retried whole
 * when PostgreSQL aborts it to break a deadlock (src/store/transact.ts).
 */
export function pipelinedTransaction(pool, work) {
    return retryingConflicts(async () => {
        const client = await pool.connect();
        let open = true;
        const trx = kyselyOver(client, () => open);
        pipelinedClients.set(trx, client);
        let broken;
        try {
            // Not waited for: it travels with the work's first statement. (`begin` fails only when
            // the connection does, and then so does every statement after it.)
            const begun = client.query('begin');
            // If the work fails before it waits for `begin`, the rollback below reports instead.
            begun.catch(() => { });
            const result = await work(trx);
            await begun;
            // A transaction that a statement aborted answers `commit` with a rollback, not an error.
            const committed = await client.query('commit');
            if (committed.command !== 'COMMIT')
                throw new Error(`the transaction was not committed (${committed.command})`);
            return result;
        }
        catch (error) {
            await client.query('rollback').catch((lost) => {
                broken = lost;
            });
            throw error;
        }
        finally {
            open = false;
            pipelinedClients.delete(trx);
            // A client whose rollback failed has lost its connection: the pool must not reuse it.
            client.release(broken);
        }
    });
}
