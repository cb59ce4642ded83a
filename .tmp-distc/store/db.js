import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { pipelinedTransaction } from "./pipeline.js";
import { transact } from "./transact.js";
// int8 (bigint) columns hold sequence numbers and counts far below 2^53; numbers are
// easier to work with than strings, and PGlite already returns numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// numeric stays a string in pg; parse it as PGlite does.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));
export async function openStore(options) {
    if (options.databaseUrl)
        return openPostgres(options.databaseUrl, options);
    return openPglite(options);
}
async function openPostgres(url, options) {
    if (options.schema)
        await createSchema(url, options.schema);
    const settings = {
        connectionString: url,
        ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    };
    const pool = quietPool(new pg.Pool({ ...settings, max: options.poolSize ?? 20 }));
    const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    // A few connections in pipeline mode, made on first use, for pipelined transactions.
    let pipelined = null;
    const pipelinedPool = () => {
        pipelined ??= quietPool(new pg.Pool({ ...settings, max: 4, pipeline: true }));
        return pipelined;
    };
    const parsed = new URL(url);
    return {
        db,
        kind: 'postgres',
        schema: options.schema ?? null,
        location: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
        listen: (channel, handler) => listenPostgres(url, channel, handler),
        pipelinedTransaction: (work) => pipelinedTransaction(pipelinedPool(), work),
        close: async () => {
            try {
                await db.destroy();
            }
            finally {
                await pipelined?.end();
            }
        },
    };
}
/**
 * A lost connection must not crash the process: pg-pool listens for an idle client's errors
 * only, and a client in use that loses its connection emits 'error' with nobody listening
 * (an uncaught exception). Its queries still fail with the error, which the caller handles.
 */
function quietPool(pool) {
    pool.on('error', () => { });
    pool.on('connect', (client) => {
        client.on('error', () => { });
    });
    return pool;
}
const RELISTEN_MS = 1_000;
/** LISTEN on a connection of its own, made again a second after it is lost. */
async function listenPostgres(url, channel, handler) {
    let current = null;
    let stopped = false;
    let retry;
    const connect = async () => {
        // A connection attempt that hangs must not hold the process open at shutdown.
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
        let lost = false;
        const onLost = () => {
            if (lost)
                return;
            lost = true;
            if (current === client)
                current = null;
            client.end().catch(() => { });
            handler(null);
            if (!stopped && retry === undefined) {
                retry = setTimeout(() => {
                    retry = undefined;
                    void connect();
                }, RELISTEN_MS);
            }
        };
        client.on('notification', (message) => {
            if (message.channel === channel)
                handler(message.payload ?? '');
        });
        client.on('error', onLost);
        client.on('end', onLost);
        try {
            await client.connect();
            await client.query(`listen ${quoteIdent(channel)}`);
            if (stopped) {
                lost = true;
                await client.end();
                return;
            }
            current = client;
            handler(null);
        }
        catch {
            onLost();
        }
    };
    await connect();
    return async () => {
        stopped = true;
        clearTimeout(retry);
        const client = current;
        current = null;
        if (client) {
            client.removeAllListeners('end');
            await client.end().catch(() => { });
        }
    };
}
async function openPglite(options) {
    const dataDir = options.dataDir ?? 'memory://';
    if (!dataDir.startsWith('memory://'))
        mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create({
        ...(dataDir.startsWith('memory://') ? {} : { dataDir: path.resolve(dataDir) }),
        ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    if (options.schema) {
        await client.exec(`create schema if not exists ${quoteIdent(options.schema)}; set search_path to ${quoteIdent(options.schema)}`);
    }
    const db = new Kysely({ dialect: new PGliteDialect(client) });
    return {
        db,
        kind: 'pglite',
        schema: options.schema ?? null,
        location: dataDir.startsWith('memory://') ? 'memory' : path.resolve(dataDir),
        // One process holds a PGlite database: its notifications come from itself.
        listen: async (channel, handler) => client.listen(channel, handler),
        pipelinedTransaction: (work) => transact(db, work),
        close: () => db.destroy(),
    };
}
async function createSchema(url, schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
        await client.query(`create schema if not exists ${quoteIdent(schema)}`);
    }
    finally {
        await client.end();
    }
}
export function quoteIdent(name) {
    return `"${name.replaceAll('"', '""')}"`;
}
/** True when the database answers. */
export async function ping(db) {
    try {
        await sql `select 1`.execute(db);
        return true;
    }
    catch {
        return false;
    }
}
