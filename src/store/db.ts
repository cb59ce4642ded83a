import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { pipelinedTransaction } from './pipeline.ts';
import type { Database } from './schema/index.ts';
import { transact } from './transact.ts';

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: the folder, or the server's host. */
  location: string;
  /** The schema every query runs in, when not the server's default. */
  schema: string | null;
  /**
   * Follows a notification channel (LISTEN): `handler` gets each payload sent with
   * pg_notify, and null whenever notifications may have been missed (the connection was lost
   * or made again). Resolves to a function that stops following.
   */
  listen(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>>;
  /**
   * Runs `work` in a transaction whose independent statements can travel together
   * (runTogether, src/store/pipeline.ts): one round trip for several on PostgreSQL, one by one
   * on PGlite. Retried whole after a deadlock, as transact() is.
   */
  pipelinedTransaction<T>(work: (trx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 (bigint) columns hold sequence numbers and counts far below 2^53; numbers are
// easier to work with than strings, and PGlite already returns numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10));
// numeric stays a string in pg; parse it as PGlite does.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number.parseFloat(value));

export interface OpenStoreOptions {
  /** postgres://… to use a real server; otherwise the embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder; `memory://` keeps it in memory. */
  dataDir?: string;
  /** A PGlite data-folder dump to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File;
  /** Run every query in this schema (tests isolate themselves this way on PostgreSQL). */
  schema?: string;
  poolSize?: number;
  /** Bounds on waiting for the server (PostgreSQL only; decision 0015). Unset: wait as long as it takes. */
  timeouts?: DatabaseTimeouts;
}

export interface DatabaseTimeouts {
  /** Connecting, and waiting for a free connection of the pool. */
  connectMs: number;
  /** statement_timeout on the server; the client gives up half a second later if no answer comes. 0: none. */
  statementMs: number;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options);
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  if (options.schema) await createSchema(url, options.schema);
  const settings = { connectionString: url, ...poolSettings(options) };
  const pool = quietPool(new pg.Pool({ ...settings, max: options.poolSize ?? 20 }));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // A few connections in pipeline mode, made on first use, for pipelined transactions.
  let pipelined: pg.Pool | null = null;
  const pipelinedPool = () => {
    pipelined ??= quietPool(new pg.Pool({ ...settings, max: 4, pipeline: true } as pg.PoolConfig));
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
      } finally {
        await pipelined?.end();
      }
    },
  };
}

/**
 * The server-side settings go in the startup packet (`options`), so they hold for every
 * statement on the connection, those of Kysely's transactions included. Without them, a
 * server that stops answering (a network partition, a proxy that keeps the socket open)
 * leaves requests hanging until TCP gives up, minutes later.
 */
function poolSettings(options: OpenStoreOptions): pg.PoolConfig {
  // No JIT compilation: tapis's statements are short, and a plan costed high on statistics
  // that lag a growing table (or a server whose autovacuum is off) spent 300 ms compiling a
  // 0.2 ms update (the soak, decision 0020); the transparency report had turned it off already.
  const serverOptions: string[] = ['-c jit=off'];
  if (options.schema) serverOptions.push(`-c search_path=${options.schema}`);
  const timeouts = options.timeouts;
  if (!timeouts) return { options: serverOptions.join(' ') };
  if (timeouts.statementMs > 0) {
    serverOptions.push(`-c statement_timeout=${timeouts.statementMs}`);
    // A transaction whose client vanished mid-way (killed, or cut off) must not hold its
    // locks — the audit chain's among them — until TCP notices, which can take hours.
    serverOptions.push(
      `-c idle_in_transaction_session_timeout=${Math.max(10_000, 2 * timeouts.statementMs)}`,
    );
  }
  return {
    options: serverOptions.join(' '),
    connectionTimeoutMillis: timeouts.connectMs,
    // When the server cannot even cancel (it is unreachable), the client stops waiting.
    ...(timeouts.statementMs > 0 ? { query_timeout: timeouts.statementMs + 500 } : {}),
    keepAlive: true,
    Client: ClientDroppedOnReadTimeout,
  };
}

/**
 * node-postgres answers a read timeout with an error but keeps the connection, whose
 * statement is still under way (outside pipeline mode): the pool would hand out a client
 * that queues every later statement behind one that never ends. Dropping the socket makes
 * the pool discard it and connect afresh.
 */
class ClientDroppedOnReadTimeout extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this one forwards them all.
  override query(...args: any[]): any {
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const result = (super.query as (...a: any[]) => any)(...args);
    if (result && typeof result.then === 'function')
      result.then(undefined, (error: Error) => {
        if (error?.message === 'Query read timeout')
          (
            this as unknown as { connection?: { stream?: { destroy(): void } } }
          ).connection?.stream?.destroy();
      });
    return result;
  }
}

/**
 * A lost connection must not crash the process: pg-pool listens for an idle client's errors
 * only, and a client in use that loses its connection emits 'error' with nobody listening
 * (an uncaught exception). Its queries still fail with the error, which the caller handles.
 */
function quietPool(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

const RELISTEN_MS = 1_000;

/** LISTEN on a connection of its own, made again a second after it is lost. */
async function listenPostgres(
  url: string,
  channel: string,
  handler: (payload: string | null) => void,
): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    // A connection attempt that hangs must not hold the process open at shutdown.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (current === client) current = null;
      client.end().catch(() => {});
      handler(null);
      if (!stopped && retry === undefined) {
        retry = setTimeout(() => {
          retry = undefined;
          void connect();
        }, RELISTEN_MS);
      }
    };
    client.on('notification', (message) => {
      if (message.channel === channel) handler(message.payload ?? '');
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
    } catch {
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
      await client.end().catch(() => {});
    }
  };
}

async function openPglite(options: OpenStoreOptions): Promise<Store> {
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(dataDir.startsWith('memory://') ? {} : { dataDir: path.resolve(dataDir) }),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  if (options.schema) {
    await client.exec(
      `create schema if not exists ${quoteIdent(options.schema)}; set search_path to ${quoteIdent(options.schema)}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
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

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** True when the database answers. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
