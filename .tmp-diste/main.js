var __defProp = Object.defineProperty;
var __export = (target, all2) => {
  for (var name2 in all2)
    __defProp(target, name2, { get: all2[name2], enumerable: true });
};

// src/cli/main.ts
import { Command, CommanderError } from "commander";

// src/cli/commands/audit.ts
import cliProgress from "cli-progress";

// src/core/canonical-json.ts
import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";
var canonicalize = canonicalizeModule;
function canonicalJson(value) {
  let text4;
  try {
    text4 = canonicalize(value ?? null);
  } catch {
    text4 = canonicalize(JSON.parse(JSON.stringify(value ?? null)));
  }
  if (text4 === void 0) throw new TypeError("value cannot be represented as JSON");
  return text4;
}
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function canonicalDigest(value) {
  return sha256Hex(canonicalJson(value));
}

// src/audit/chain.ts
var GENESIS_HASH = "0".repeat(64);
function entryHash(entry2) {
  return sha256Hex(
    canonicalJson({
      seq: entry2.seq,
      at: entry2.at.toISOString(),
      actor_type: entry2.actor_type,
      actor_id: entry2.actor_id,
      actor_org_id: entry2.actor_org_id,
      action: entry2.action,
      object_type: entry2.object_type,
      object_id: entry2.object_id,
      change_digest: entry2.change_digest,
      prev_hash: entry2.prev_hash
    })
  );
}
function seal(entry2, prevHash) {
  const withDigest = { ...entry2, change_digest: canonicalDigest(entry2.change), prev_hash: prevHash };
  return { ...withDigest, hash: entryHash(withDigest) };
}
var chainStart = { expectedSeq: 1, prevHash: GENESIS_HASH };
function checkEntries(entries, cursor) {
  let { expectedSeq, prevHash } = cursor;
  for (const entry2 of entries) {
    if (entry2.seq !== expectedSeq) {
      const detail = entry2.seq > expectedSeq ? `entries ${expectedSeq}\u2013${entry2.seq - 1} are missing (removed)` : `entry ${entry2.seq} appears out of order after ${expectedSeq - 1}`;
      return { fault: { seq: expectedSeq, problem: "missing", detail } };
    }
    if (canonicalDigest(entry2.change) !== entry2.change_digest) {
      return {
        fault: {
          seq: entry2.seq,
          problem: "altered",
          detail: `entry ${entry2.seq}: its change does not match its digest`
        }
      };
    }
    if (entry2.prev_hash !== prevHash) {
      return {
        fault: {
          seq: entry2.seq,
          problem: "broken_link",
          detail: `entry ${entry2.seq}: it does not link to entry ${entry2.seq - 1} (removed, reordered or altered)`
        }
      };
    }
    if (entryHash(entry2) !== entry2.hash) {
      return {
        fault: {
          seq: entry2.seq,
          problem: "altered",
          detail: `entry ${entry2.seq}: its fields do not match its hash`
        }
      };
    }
    expectedSeq += 1;
    prevHash = entry2.hash;
  }
  return { cursor: { expectedSeq, prevHash } };
}

// src/audit/verify.ts
async function verifyAuditChain(db, onProgress) {
  const total = Number(
    (await db.selectFrom("audit_log").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n
  );
  let cursor = chainStart;
  let checked = 0;
  let head = null;
  const pageSize = 2e3;
  for (let offset = 0; ; offset += pageSize) {
    const rows2 = await db.selectFrom("audit_log").selectAll().orderBy("seq").offset(offset).limit(pageSize).execute();
    if (rows2.length === 0) break;
    const result = checkEntries(rows2, cursor);
    if ("fault" in result)
      return {
        ok: false,
        checked: checked + rows2.findIndex((r) => r.seq >= result.fault.seq),
        fault: result.fault,
        head
      };
    cursor = result.cursor;
    checked += rows2.length;
    const last = rows2[rows2.length - 1];
    head = { seq: last.seq, hash: last.hash };
    onProgress?.(checked, total);
  }
  return { ok: true, checked, fault: null, head };
}

// src/config/config.ts
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
var logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
var bool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")
]);
var int = (min, max) => z.coerce.number().int().min(min).max(max);
var configSchema = z.strictObject({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL").optional(),
  /** A schema of its own on a shared PostgreSQL server (created if missing). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lower-case SQL identifier").optional(),
  /** Pool size for a real PostgreSQL server. */
  DATABASE_POOL_SIZE: int(1, 200).default(20),
  TAPIS_DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(logLevels).default("info"),
  /** The address people and webhooks reach this instance at; used in links. */
  TAPIS_PUBLIC_URL: z.url().optional(),
  /** Largest JSON body accepted, in bytes. */
  TAPIS_BODY_LIMIT: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Marks session cookies Secure; on by default when the public URL is https. */
  TAPIS_COOKIE_SECURE: bool.optional(),
  /** Console session lifetime, in hours. */
  TAPIS_SESSION_HOURS: int(1, 24 * 30).default(12),
  /** Failed logins per account allowed in 15 minutes before the account is throttled. */
  TAPIS_LOGIN_MAX_FAILURES: int(1, 1e3).default(5),
  /** Seed the demo organisations and users on start (once). */
  TAPIS_DEMO: bool.default(false),
  /** Let webhooks and connectors reach private and loopback addresses (tests, closed networks). */
  TAPIS_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  /** Requests per minute per organisation, and per API key, unless an organisation has its own limit. */
  TAPIS_RATE_LIMIT_ORG_PER_MINUTE: int(1, 1e7).default(6e3),
  TAPIS_RATE_LIMIT_KEY_PER_MINUTE: int(1, 1e7).default(3e3),
  /** Connector (a): the platform's own moderation API, called with signed POSTs. */
  TAPIS_PLATFORM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  TAPIS_PLATFORM_WEBHOOK_SECRET: z.string().min(16, "at least 16 characters").optional(),
  /** Connector (b): the Telegram Bot API, for the chats the bot administers. */
  TAPIS_TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]{20,}$/, "a bot token as BotFather gives it: <digits>:<secret>").optional(),
  TAPIS_TELEGRAM_API_URL: z.url().default("https://api.telegram.org"),
  /** How long removed content and evidence are kept, in days (TCO Art. 6: six months). */
  TAPIS_PRESERVATION_DAYS: int(1, 3650).default(183),
  /** A flagger whose upheld share falls below this is brought to a lead's attention. */
  TAPIS_FLAGGER_PRECISION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.7),
  /** Fewest decided notices in 90 days before the precision alert can fire. */
  TAPIS_FLAGGER_MIN_DECIDED: int(1, 1e5).default(10),
  /** Reveals of media a reviewer may make a day before the desk asks them to stop. */
  TAPIS_EXPOSURE_LIMIT_PER_DAY: int(1, 1e5).default(60),
  /** Run background workers (outbox delivery, clocks) in this process. */
  TAPIS_WORKERS: bool.default(true)
});
var ConfigError = class extends Error {
};
var knownKeys = Object.keys(configSchema.shape);
function loadConfig(env = process.env, cwd = process.cwd()) {
  const file = readConfigFile(env.TAPIS_CONFIG, cwd);
  const fromEnv = {};
  for (const key of knownKeys) {
    const value = env[key];
    if (value !== void 0 && value !== "") fromEnv[key] = value;
  }
  const parsed = configSchema.safeParse({ ...file, ...fromEnv });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name2 = issue.path.join(".") || "(config)";
      return `  ${name2}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:
${lines.join("\n")}`);
  }
  const config = parsed.data;
  const publicUrl = (config.TAPIS_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, "");
  return {
    ...config,
    publicUrl,
    cookieSecure: config.TAPIS_COOKIE_SECURE ?? publicUrl.startsWith("https://")
  };
}
function readConfigFile(explicit, cwd) {
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, "tapis.config.json");
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`TAPIS_CONFIG: no file at ${file}`);
    return {};
  }
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`TAPIS_CONFIG: ${file} is not valid JSON (${error.message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`TAPIS_CONFIG: ${file} must hold a JSON object of settings`);
  }
  return parsed;
}

// src/store/db.ts
import { mkdirSync } from "node:fs";
import path2 from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely as Kysely2, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";

// src/store/pipeline.ts
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler
} from "kysely";

// src/store/transact.ts
var RETRYABLE = /* @__PURE__ */ new Set(["40P01", "40001"]);
function transact(db, work, attempts = 4) {
  return retryingConflicts(() => db.transaction().execute(work), attempts);
}
async function retryingConflicts(transaction, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      const code2 = error.code;
      if (attempt >= attempts || !code2 || !RETRYABLE.has(code2)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

// src/store/pipeline.ts
var pipelinedClients = /* @__PURE__ */ new WeakMap();
async function runPending(trx, pending) {
  return pending.finish(trx, await trx.executeQuery(pending.statement));
}
async function runTogether(trx, queries) {
  const client2 = pipelinedClients.get(trx);
  if (!client2) {
    const results = [];
    for (const query of queries) results.push(await trx.executeQuery(query));
    return results;
  }
  return Promise.all(queries.map((query) => execute(client2, query)));
}
async function execute(client2, query) {
  const result = await client2.query(query.sql, [...query.parameters]);
  const changed = ["INSERT", "UPDATE", "DELETE", "MERGE"].includes(result.command);
  return changed ? { rows: result.rows, numAffectedRows: BigInt(result.rowCount ?? 0) } : { rows: result.rows };
}
function kyselyOver(client2, isOpen) {
  const connection = {
    executeQuery: (query) => {
      if (!isOpen()) return Promise.reject(new Error("this pipelined transaction is over"));
      return execute(client2, query);
    },
    streamQuery: () => {
      throw new Error("a pipelined transaction does not stream");
    }
  };
  const driver = {
    init: async () => {
    },
    acquireConnection: async () => connection,
    beginTransaction: async () => {
      throw new Error("a pipelined transaction is already one");
    },
    commitTransaction: async () => {
    },
    rollbackTransaction: async () => {
    },
    releaseConnection: async () => {
    },
    destroy: async () => {
    }
  };
  return new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler()
    }
  });
}
function pipelinedTransaction(pool2, work) {
  return retryingConflicts(async () => {
    const client2 = await pool2.connect();
    let open = true;
    const trx = kyselyOver(client2, () => open);
    pipelinedClients.set(trx, client2);
    let broken;
    try {
      const begun = client2.query("begin");
      begun.catch(() => {
      });
      const result = await work(trx);
      await begun;
      const committed = await client2.query("commit");
      if (committed.command !== "COMMIT")
        throw new Error(`the transaction was not committed (${committed.command})`);
      return result;
    } catch (error) {
      await client2.query("rollback").catch((lost) => {
        broken = lost;
      });
      throw error;
    } finally {
      open = false;
      pipelinedClients.delete(trx);
      client2.release(broken);
    }
  });
}

// src/store/db.ts
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));
async function openStore(options) {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options);
}
async function openPostgres(url, options) {
  if (options.schema) await createSchema(url, options.schema);
  const settings = {
    connectionString: url,
    ...options.schema ? { options: `-c search_path=${options.schema}` } : {}
  };
  const pool2 = quietPool(new pg.Pool({ ...settings, max: options.poolSize ?? 20 }));
  const db = new Kysely2({ dialect: new PostgresDialect({ pool: pool2 }) });
  let pipelined = null;
  const pipelinedPool = () => {
    pipelined ??= quietPool(new pg.Pool({ ...settings, max: 4, pipeline: true }));
    return pipelined;
  };
  const parsed = new URL(url);
  return {
    db,
    kind: "postgres",
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
    }
  };
}
function quietPool(pool2) {
  pool2.on("error", () => {
  });
  pool2.on("connect", (client2) => {
    client2.on("error", () => {
    });
  });
  return pool2;
}
var RELISTEN_MS = 1e3;
async function listenPostgres(url, channel, handler) {
  let current = null;
  let stopped = false;
  let retry;
  const connect = async () => {
    const client2 = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5e3 });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (current === client2) current = null;
      client2.end().catch(() => {
      });
      handler(null);
      if (!stopped && retry === void 0) {
        retry = setTimeout(() => {
          retry = void 0;
          void connect();
        }, RELISTEN_MS);
      }
    };
    client2.on("notification", (message) => {
      if (message.channel === channel) handler(message.payload ?? "");
    });
    client2.on("error", onLost);
    client2.on("end", onLost);
    try {
      await client2.connect();
      await client2.query(`listen ${quoteIdent(channel)}`);
      if (stopped) {
        lost = true;
        await client2.end();
        return;
      }
      current = client2;
      handler(null);
    } catch {
      onLost();
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const client2 = current;
    current = null;
    if (client2) {
      client2.removeAllListeners("end");
      await client2.end().catch(() => {
      });
    }
  };
}
async function openPglite(options) {
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client2 = await PGlite.create({
    ...dataDir.startsWith("memory://") ? {} : { dataDir: path2.resolve(dataDir) },
    ...options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}
  });
  if (options.schema) {
    await client2.exec(
      `create schema if not exists ${quoteIdent(options.schema)}; set search_path to ${quoteIdent(options.schema)}`
    );
  }
  const db = new Kysely2({ dialect: new PGliteDialect(client2) });
  return {
    db,
    kind: "pglite",
    schema: options.schema ?? null,
    location: dataDir.startsWith("memory://") ? "memory" : path2.resolve(dataDir),
    // One process holds a PGlite database: its notifications come from itself.
    listen: async (channel, handler) => client2.listen(channel, handler),
    pipelinedTransaction: (work) => transact(db, work),
    close: () => db.destroy()
  };
}
async function createSchema(url, schema) {
  const client2 = new pg.Client({ connectionString: url });
  await client2.connect();
  try {
    await client2.query(`create schema if not exists ${quoteIdent(schema)}`);
  } finally {
    await client2.end();
  }
}
function quoteIdent(name2) {
  return `"${name2.replaceAll('"', '""')}"`;
}
async function ping(db) {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

// src/store/migrate.ts
import { Migrator, sql as sql3 } from "kysely";

// src/store/migrations/0001_foundation.ts
var foundation_exports = {};
__export(foundation_exports, {
  down: () => down,
  up: () => up
});

// src/store/migrations/run-statements.ts
import { sql as sql2 } from "kysely";
async function runStatements(db, statements8) {
  for (const statement of statements8) await sql2.raw(statement).execute(db);
}

// src/store/migrations/0001_foundation.ts
var statements = [
  `create table organisations (
    id uuid primary key,
    slug text not null unique,
    name text not null,
    kind text not null check (kind in ('platform','government','law_enforcement','ngo','public')),
    flagger_status text check (flagger_status in ('trusted','regular','suspended')),
    contact_email text,
    created_at timestamptz not null default now()
    )`,
  `create table users (
    id uuid primary key,
    org_id uuid not null references organisations(id),
    email text not null unique,
    display_name text not null,
    password_hash text,
    roles text[] not null default '{}',
    languages text[] not null default '{}',
    jurisdictions text[] not null default '{}',
    disabled_at timestamptz,
    created_at timestamptz not null default now()
    )`,
  `create index users_org on users(org_id)`,
  `create table api_keys (
    id uuid primary key,
    org_id uuid not null references organisations(id),
    name text not null,
    prefix text not null unique,
    secret_hash text not null,
    scopes text[] not null,
    expires_at timestamptz,
    revoked_at timestamptz,
    created_by uuid,
    created_at timestamptz not null default now(),
    last_used_at timestamptz
    )`,
  `create index api_keys_org on api_keys(org_id)`,
  `create table sessions (
    id uuid primary key,
    user_id uuid not null references users(id),
    token_hash text not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz
    )`,
  `create table login_failures (
    id bigint generated always as identity primary key,
    email text not null,
    ip text not null,
    at timestamptz not null default now()
    )`,
  `create index login_failures_email_at on login_failures(email, at)`,
  `create table audit_log (
    seq bigint primary key,
    at timestamptz not null,
    actor_type text not null,
    actor_id text,
    actor_org_id uuid,
    action text not null,
    object_type text not null,
    object_id text not null,
    change jsonb not null,
    change_digest text not null,
    prev_hash text not null,
    hash text not null
    )`,
  `create index audit_log_object on audit_log(object_type, object_id)`,
  `-- The audit log is append-only: the application never updates or deletes a row, and the
    -- database refuses to. Whoever can disable this trigger can still tamper, which is what
    -- the hash chain (tapis audit verify) is there to reveal.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
    raise exception 'audit_log is append-only';
    end $$`,
  `create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only()`,
  `create table outbox (
    id uuid primary key,
    seq bigint generated always as identity,
    topic text not null,
    ordering_key text,
    payload jsonb not null,
    status text not null default 'pending' check (status in ('pending','done','dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    last_error text,
    locked_until timestamptz,
    created_at timestamptz not null default now(),
    done_at timestamptz
    )`,
  `create index outbox_due on outbox(topic, next_attempt_at) where status = 'pending'`,
  `create index outbox_ordering on outbox(ordering_key, seq) where status = 'pending'`,
  `create table idempotency_keys (
    scope text not null,
    key text not null,
    request_digest text not null,
    status_code integer not null,
    response jsonb not null,
    created_at timestamptz not null default now(),
    primary key (scope, key)
    )`,
  `create table meta (
    key text primary key,
    value jsonb not null
    )`
];
async function up(db) {
  await runStatements(db, statements);
}
async function down(db) {
  await runStatements(db, [
    "drop table meta, idempotency_keys, outbox, audit_log, login_failures, sessions, api_keys, users, organisations",
    "drop function audit_log_append_only"
  ]);
}

// src/store/migrations/0100_notices.ts
var notices_exports = {};
__export(notices_exports, {
  down: () => down2,
  up: () => up2
});
var statements2 = [
  `alter table organisations
     add column designated_categories text[] not null default '{}',
     add column designated_jurisdictions text[] not null default '{}',
     add column rate_limit_per_minute integer`,
  `create table signing_keys (
     kid text primary key,
     public_jwk jsonb not null,
     private_jwk jsonb not null,
     created_at timestamptz not null default now(),
     retired_at timestamptz
   )`,
  `create table sop_policies (
     version integer primary key,
     document jsonb not null,
     note text,
     created_by text,
     created_at timestamptz not null default now()
   )`,
  `create table jurisdictions (
     code text primary key,
     name text not null,
     legal_representative jsonb not null,
     contact_point jsonb not null,
     languages text[] not null,
     time_zone text not null,
     escalation_roster jsonb not null default '[]',
     updated_at timestamptz not null default now()
   )`,
  `create table notices (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     submitted_by text not null,
     submitted_by_type text not null,
     kind text not null check (kind in ('notice','order')),
     source_type text not null,
     category text not null,
     jurisdiction text not null,
     language text not null,
     legal_basis text,
     legal_references jsonb not null default '[]',
     explanation text not null,
     reference text,
     good_faith boolean not null,
     notifier jsonb,
     anonymous boolean not null default false,
     order_details jsonb,
     received_at timestamptz not null,
     legal_hours real not null,
     target_hours real not null,
     legal_due_at timestamptz not null,
     target_due_at timestamptz not null,
     paused_since timestamptz,
     policy_version integer not null,
     status text not null,
     clock_marks_announced integer not null default 0,
     next_clock_at timestamptz,
     closed_at timestamptz,
     digest text not null,
     receipt text not null,
     bulk_job_id uuid
   )`,
  `create index notices_org_received on notices(org_id, received_at desc)`,
  `create index notices_next_clock on notices(next_clock_at) where next_clock_at is not null`,
  `create index notices_org_digest on notices(org_id, digest)`,
  `create table cases (
     id uuid primary key,
     subject_key text not null,
     subject jsonb not null,
     status text not null,
     jurisdiction text not null,
     category text not null,
     severity integer not null,
     trusted boolean not null default false,
     notice_count integer not null default 0,
     hash_match_confidence real,
     language text not null,
     due_at timestamptz,
     legal_due_at timestamptz,
     opened_at timestamptz not null,
     closed_at timestamptz,
     outcome text,
     decided_at timestamptz
   )`,
  `create unique index cases_open_subject on cases(subject_key) where status <> 'closed'`,
  `create index cases_subject on cases(subject_key, decided_at desc)`,
  `create index cases_queue on cases(due_at) where status <> 'closed'`,
  `create table notice_targets (
     notice_id uuid not null references notices(id),
     idx integer not null,
     raw text not null,
     subject_key text not null,
     subject jsonb not null,
     case_id uuid references cases(id),
     outcome text,
     outcome_at timestamptz,
     primary key (notice_id, idx)
   )`,
  `create index notice_targets_case on notice_targets(case_id)`,
  `create index notice_targets_subject on notice_targets(subject_key)`,
  `create table clock_pauses (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     paused_at timestamptz not null,
     resumed_at timestamptz,
     reason text not null,
     message_id uuid
   )`,
  `create index clock_pauses_notice on clock_pauses(notice_id)`,
  `create table blobs (
     sha256 text primary key,
     size integer not null,
     data bytea,
     created_at timestamptz not null default now()
   )`,
  `create table evidence (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     org_id uuid not null,
     filename text not null,
     content_type text not null,
     size integer not null,
     sha256 text not null references blobs(sha256),
     md5 text not null,
     uploaded_by text not null,
     uploaded_at timestamptz not null,
     message_id uuid,
     preserved_until timestamptz,
     purged_at timestamptz
   )`,
  `create index evidence_notice on evidence(notice_id)`,
  `create table notice_events (
     seq bigint generated always as identity primary key,
     id uuid not null unique,
     notice_id uuid not null references notices(id),
     org_id uuid not null,
     type text not null,
     data jsonb not null,
     at timestamptz not null
   )`,
  `create index notice_events_org_seq on notice_events(org_id, seq)`,
  `create index notice_events_notice on notice_events(notice_id, seq)`,
  `create table webhooks (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     url text not null,
     secret text not null,
     event_types text[] not null default '{}',
     description text,
     created_by text not null,
     created_at timestamptz not null,
     disabled_at timestamptz
   )`,
  `create index webhooks_org on webhooks(org_id)`,
  `create table webhook_deliveries (
     id uuid primary key,
     webhook_id uuid not null references webhooks(id),
     event_id uuid not null,
     outbox_id uuid not null,
     attempt integer not null,
     status_code integer,
     error text,
     duration_ms integer not null,
     at timestamptz not null
   )`,
  `create index webhook_deliveries_webhook on webhook_deliveries(webhook_id, at desc)`,
  `create table thread_messages (
     id uuid primary key,
     notice_id uuid not null references notices(id),
     side text not null check (side in ('notifier','platform')),
     kind text not null,
     author_type text not null,
     author_id text not null,
     author_name text not null,
     body text not null,
     target_idx integer,
     created_at timestamptz not null
   )`,
  `create index thread_messages_notice on thread_messages(notice_id, created_at)`,
  `create table thread_reads (
     message_id uuid not null references thread_messages(id),
     side text not null,
     reader_id text not null,
     read_at timestamptz not null,
     primary key (message_id, side)
   )`,
  `create table bulk_jobs (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     submitted_by text not null,
     submitted_by_type text not null,
     format text not null,
     status text not null,
     total integer not null,
     processed integer not null default 0,
     created_count integer not null default 0,
     duplicate_count integer not null default 0,
     invalid_count integer not null default 0,
     input text not null,
     created_at timestamptz not null,
     finished_at timestamptz
   )`,
  `create table bulk_job_rows (
     job_id uuid not null references bulk_jobs(id),
     row_number integer not null,
     outcome text not null,
     notice_id uuid,
     reason text,
     errors jsonb,
     primary key (job_id, row_number)
   )`
];
async function up2(db) {
  await runStatements(db, statements2);
}
async function down2(db) {
  await runStatements(db, [
    "drop table bulk_job_rows, bulk_jobs, thread_reads, thread_messages, webhook_deliveries, webhooks, notice_events, evidence, blobs, clock_pauses, notice_targets, cases, notices, jurisdictions, sop_policies, signing_keys",
    "alter table organisations drop column designated_categories, drop column designated_jurisdictions, drop column rate_limit_per_minute"
  ]);
}

// src/store/migrations/0110_bulk_job_errors.ts
var bulk_job_errors_exports = {};
__export(bulk_job_errors_exports, {
  down: () => down3,
  up: () => up3
});
var statements3 = [`alter table bulk_jobs add column error text`];
async function up3(db) {
  await runStatements(db, statements3);
}
async function down3(db) {
  await runStatements(db, [`alter table bulk_jobs drop column error`]);
}

// src/store/migrations/0200_review_desk.ts
var review_desk_exports = {};
__export(review_desk_exports, {
  down: () => down4,
  up: () => up4
});
var statements4 = [
  `alter table cases
     add column assigned_to uuid,
     add column lease_until timestamptz,
     add column escalated boolean not null default false,
     add column decision_id uuid,
     add column last_event_seq bigint not null default 0`,
  `create index cases_assigned on cases(assigned_to) where assigned_to is not null`,
  `create table case_events (
     seq bigint generated always as identity primary key,
     id uuid not null unique,
     case_id uuid not null references cases(id),
     type text not null,
     from_status text not null,
     to_status text not null,
     actor_type text not null,
     actor_id text not null,
     data jsonb not null,
     at timestamptz not null
   )`,
  `create index case_events_case on case_events(case_id, seq)`,
  `create table decisions (
     id uuid primary key,
     case_id uuid not null references cases(id),
     decided_by uuid not null,
     outcome text not null,
     grounds jsonb not null,
     territories text[] not null default '{}',
     suspension jsonb,
     label text,
     actions jsonb not null,
     irreversible boolean not null default false,
     irreversible_acknowledged boolean not null default false,
     automated_detection boolean not null default false,
     automated_decision boolean not null default false,
     language text not null,
     template_id text,
     status text not null,
     needs_approval text,
     approved_by uuid,
     approved_at timestamptz,
     created_at timestamptz not null,
     reverted_at timestamptz
   )`,
  `create index decisions_case on decisions(case_id, created_at)`,
  `create table enforcement_actions (
     id uuid primary key,
     decision_id uuid not null references decisions(id),
     case_id uuid not null references cases(id),
     connector text not null,
     type text not null,
     subject jsonb not null,
     params jsonb not null,
     revertible boolean not null,
     status text not null,
     attempts integer not null default 0,
     external_ref text,
     last_error text,
     applied_at timestamptz,
     reverted_at timestamptz,
     created_at timestamptz not null
   )`,
  `create index enforcement_actions_decision on enforcement_actions(decision_id)`,
  `create table statements (
     id uuid primary key,
     decision_id uuid not null references decisions(id),
     case_id uuid not null references cases(id),
     token_hash text not null unique,
     puid text not null,
     content jsonb not null,
     appeal_until timestamptz not null,
     delivered_at timestamptz,
     created_at timestamptz not null
   )`,
  `create index statements_case on statements(case_id)`,
  `create table appeals (
     id uuid primary key,
     case_id uuid not null references cases(id),
     decision_id uuid not null references decisions(id),
     appellant_type text not null check (appellant_type in ('affected_user','notifier')),
     appellant jsonb not null,
     notice_id uuid references notices(id),
     grounds text not null,
     status text not null,
     assigned_to uuid,
     lease_until timestamptz,
     decided_by uuid,
     decided_at timestamptz,
     outcome text,
     reasons text,
     created_at timestamptz not null
   )`,
  `create index appeals_open on appeals(created_at) where status in ('open','in_review')`,
  `create unique index appeals_one_open on appeals(decision_id, appellant_type) where status in ('open','in_review')`,
  `alter table organisations
     add column designated_by text,
     add column status_since timestamptz,
     add column suspended_until timestamptz`,
  `create table flagger_status_changes (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     from_status text,
     to_status text not null,
     reasons text not null,
     decided_by text not null,
     effective_at timestamptz not null,
     until timestamptz
   )`,
  `create table flagger_warnings (
     id uuid primary key,
     org_id uuid not null references organisations(id),
     reason text not null,
     issued_by text not null,
     at timestamptz not null
   )`,
  `create table alerts (
     id uuid primary key,
     kind text not null,
     org_id uuid,
     data jsonb not null,
     created_at timestamptz not null,
     acknowledged_by text,
     acknowledged_at timestamptz
   )`,
  `create unique index alerts_open_kind on alerts(kind, org_id) where acknowledged_at is null`,
  `create table legal_holds (
     id uuid primary key,
     case_id uuid not null references cases(id),
     reason text not null,
     requested_by text not null,
     placed_by text not null,
     until timestamptz,
     placed_at timestamptz not null,
     released_at timestamptz
   )`,
  `create index legal_holds_case on legal_holds(case_id) where released_at is null`,
  `create table preserved_content (
     id uuid primary key,
     case_id uuid not null references cases(id),
     kind text not null,
     description text not null,
     sha256 text references blobs(sha256),
     text_content text,
     preserved_until timestamptz not null,
     purged_at timestamptz,
     created_at timestamptz not null
   )`,
  `create index preserved_content_due on preserved_content(preserved_until) where purged_at is null`,
  `create table reveals (
     id uuid primary key,
     reviewer_id uuid not null,
     case_id uuid,
     object_type text not null,
     object_id text not null,
     day date not null,
     at timestamptz not null
   )`,
  `create index reveals_reviewer_day on reveals(reviewer_id, day)`
];
async function up4(db) {
  await runStatements(db, statements4);
}
async function down4(db) {
  await runStatements(db, [
    "drop table reveals, preserved_content, legal_holds, alerts, flagger_warnings, flagger_status_changes, appeals, statements, enforcement_actions, decisions, case_events",
    "alter table organisations drop column designated_by, drop column status_since, drop column suspended_until",
    "alter table cases drop column assigned_to, drop column lease_until, drop column escalated, drop column decision_id, drop column last_event_seq"
  ]);
}

// src/store/migrations/0400_flaggers.ts
var flaggers_exports = {};
__export(flaggers_exports, {
  down: () => down5,
  up: () => up5
});
var statements5 = [
  `create table flagger_precision_state (
     org_id uuid primary key references organisations(id),
     below_since timestamptz,
     figure jsonb not null,
     changed_at timestamptz not null
   )`,
  `create index flagger_status_changes_org on flagger_status_changes(org_id, effective_at)`,
  `create index flagger_warnings_org on flagger_warnings(org_id, at)`,
  `create index organisations_suspended_until on organisations(suspended_until) where flagger_status = 'suspended'`
];
async function up5(db) {
  await runStatements(db, statements5);
}
async function down5(db) {
  await runStatements(db, [
    "drop index organisations_suspended_until",
    "drop index flagger_warnings_org",
    "drop index flagger_status_changes_org",
    "drop table flagger_precision_state"
  ]);
}

// src/store/migrations/0500_screening.ts
var screening_exports = {};
__export(screening_exports, {
  down: () => down6,
  up: () => up6
});
var statements6 = [
  `create sequence bank_change_seq`,
  `create table banks (
     id uuid primary key,
     name text not null unique,
     description text,
     enabled boolean not null default true,
     policy text not null check (policy in ('review','auto_action')),
     auto_action jsonb,
     created_by text not null,
     created_at timestamptz not null,
     updated_at timestamptz not null,
     change_seq bigint not null default nextval('bank_change_seq')
   )`,
  `create table bank_entries (
     id uuid primary key,
     bank_id uuid not null references banks(id),
     signal_type text not null,
     value text not null,
     quality integer,
     source text not null,
     added_by text not null,
     added_at timestamptz not null,
     case_id uuid,
     note text,
     metadata jsonb not null default '{}',
     removed_at timestamptz,
     change_seq bigint not null default nextval('bank_change_seq')
   )`,
  `create unique index bank_entries_live on bank_entries(bank_id, signal_type, value) where removed_at is null`,
  `create index bank_entries_changes on bank_entries(change_seq)`,
  `create index bank_entries_bank on bank_entries(bank_id, added_at)`
];
async function up6(db) {
  await runStatements(db, statements6);
}
async function down6(db) {
  await runStatements(db, ["drop table bank_entries, banks", "drop sequence bank_change_seq"]);
}

// src/store/migrations/0600_preservation.ts
var preservation_exports = {};
__export(preservation_exports, {
  down: () => down7,
  up: () => up7
});
var statements7 = [
  `alter table preserved_content
     add column filename text,
     add column content_type text,
     add column size integer,
     add column md5 text,
     add column hashes jsonb not null default '{}',
     add column deposited_by text,
     drop column text_content`,
  `create index preserved_content_case on preserved_content(case_id, created_at)`,
  `create index preserved_content_blob on preserved_content(sha256) where purged_at is null`,
  `create index evidence_due on evidence(preserved_until) where purged_at is null`,
  `create index evidence_blob on evidence(sha256) where purged_at is null`,
  `alter table legal_holds
     add column released_by text,
     add column release_reason text`,
  `alter table reveals
     add column content_type text,
     add column counted boolean not null default true`,
  `create index case_events_actor on case_events(actor_id, at)`,
  `create index decisions_decided_by on decisions(decided_by, created_at)`
];
async function up7(db) {
  await runStatements(db, statements7);
}
async function down7(db) {
  await runStatements(db, [
    "drop index decisions_decided_by, case_events_actor, evidence_blob, evidence_due, preserved_content_blob, preserved_content_case",
    "alter table reveals drop column content_type, drop column counted",
    "alter table legal_holds drop column released_by, drop column release_reason",
    `alter table preserved_content
       drop column filename, drop column content_type, drop column size, drop column md5,
       drop column hashes, drop column deposited_by, add column text_content text`
  ]);
}

// src/store/migrations/index.ts
var migrations = {
  "0001_foundation": foundation_exports,
  "0100_notices": notices_exports,
  "0110_bulk_job_errors": bulk_job_errors_exports,
  "0200_review_desk": review_desk_exports,
  "0400_flaggers": flaggers_exports,
  "0500_screening": screening_exports,
  "0600_preservation": preservation_exports
};

// src/store/migrate.ts
function migrator(db, schema) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Capabilities number their migrations in ranges of their own and land in any order;
    // a migration added below one already applied still runs.
    allowUnorderedMigrations: true,
    ...schema ? { migrationTableSchema: schema } : {}
  });
}
async function migrateToLatest(store) {
  const { error, results } = await migrator(store.db, store.schema).migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r) => r.status === "Error");
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed: ${message}`);
  }
  return { applied };
}
async function pendingMigrations(store) {
  const all2 = await migrator(store.db, store.schema).getMigrations();
  return all2.filter((m) => m.executedAt === void 0).map((m) => m.name);
}
async function schemaIsCurrent(store) {
  await sql3`select 1`.execute(store.db);
  return (await pendingMigrations(store)).length === 0;
}

// src/runtime/data-dir-lock.ts
import { existsSync as existsSync2, mkdirSync as mkdirSync2, readFileSync as readFileSync2, rmSync, writeFileSync } from "node:fs";
import path3 from "node:path";
function lockDataDir(dataDir) {
  mkdirSync2(dataDir, { recursive: true });
  const file = path3.join(dataDir, "tapis.pid");
  if (existsSync2(file)) {
    const pid = Number.parseInt(readFileSync2(file, "utf8"), 10);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `another tapis process (pid ${pid}) is using the data folder ${path3.resolve(dataDir)}; stop it first, or use a PostgreSQL server (DATABASE_URL) to run the CLI beside the server`
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync2(file, "utf8") === String(process.pid)) rmSync(file);
    } catch {
    }
  };
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

// src/runtime/store.ts
async function openConfiguredStore(config, options = {}) {
  const unlock = config.DATABASE_URL ? () => {
  } : lockDataDir(config.TAPIS_DATA_DIR);
  let store;
  try {
    store = await openStore({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.TAPIS_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      ...config.DATABASE_SCHEMA ? { schema: config.DATABASE_SCHEMA } : {}
    });
    if (options.migrate !== false) await migrateToLatest(store);
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    ...store,
    close: async () => {
      await store.close();
      unlock();
    }
  };
}

// src/cli/context.ts
async function withStore(run2, options = {}) {
  const config = loadConfig();
  const store = await openConfiguredStore(config, options);
  try {
    return await run2(store);
  } finally {
    await store.close();
  }
}
function printJson(value) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}
`);
}
function list(value, previous = []) {
  return [
    ...previous,
    ...value.split(",").map((v) => v.trim()).filter(Boolean)
  ];
}

// src/cli/commands/audit.ts
function register(program2) {
  program2.command("audit").description("the audit log").command("verify").description(
    "walk the hash chain; exits non-zero and names the first entry altered, removed or reordered"
  ).option("--json", "print the outcome as JSON").action(async (o) => {
    const bar = process.stderr.isTTY && !o.json ? new cliProgress.SingleBar({ clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
    const outcome2 = await withStore(
      (store) => verifyAuditChain(store.db, (checked, total) => {
        if (!bar) return;
        if (checked <= 2e3) bar.start(total, 0);
        bar.update(checked);
      })
    );
    bar?.stop();
    if (o.json) printJson(outcome2);
    if (outcome2.ok) {
      if (!o.json)
        process.stdout.write(
          `audit chain intact: ${outcome2.checked} entries, head ${outcome2.head?.seq ?? 0} ${outcome2.head?.hash ?? ""}
`
        );
      return;
    }
    process.stderr.write(`audit chain broken at entry ${outcome2.fault.seq}: ${outcome2.fault.detail}
`);
    process.exitCode = 1;
  });
}

// src/cli/commands/banks.ts
import { readFileSync as readFileSync3 } from "node:fs";
import cliProgress2 from "cli-progress";

// src/identity/actor.ts
function seesAllOrganisations(actor) {
  return actor.orgKind === "platform" || actor.roles.includes("auditor");
}
var cliActor = { type: "system", id: "cli" };
var workerActor = { type: "system", id: "worker" };

// src/screening/banks/bank-csv.ts
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
var KNOWN_COLUMNS = ["signal_type", "signal", "quality", "source", "case_id", "note"];
function parseBankCsv(text4) {
  const records = parse(text4, {
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    bom: true
  });
  if (records.length === 0) return { entries: [], errors: [] };
  const first = records[0].map((c) => c.toLowerCase());
  const hasHeader = first.includes("signal_type") || first.includes("signal");
  const header = hasHeader ? first : ["signal_type", "signal"];
  const body = hasHeader ? records.slice(1) : records;
  const col = (name2) => header.indexOf(name2);
  const result = { entries: [], errors: [] };
  if (col("signal_type") < 0 || col("signal") < 0) {
    result.errors.push({ row: 1, reason: "the header needs signal_type and signal columns" });
    return result;
  }
  body.forEach((cells, i) => {
    const row = i + (hasHeader ? 2 : 1);
    const get = (name2) => {
      const at = col(name2);
      const value = at >= 0 ? cells[at] : void 0;
      return value === void 0 || value === "" ? void 0 : value;
    };
    const type = get("signal_type");
    const signal2 = get("signal");
    if (!type || !signal2) {
      result.errors.push({ row, reason: "signal_type and signal are required" });
      return;
    }
    const qualityText = get("quality");
    const quality = qualityText === void 0 ? void 0 : Number(qualityText);
    if (quality !== void 0 && !Number.isInteger(quality)) {
      result.errors.push({ row, reason: `quality '${qualityText}' is not a whole number` });
      return;
    }
    const caseId = get("case_id");
    if (caseId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) {
      result.errors.push({ row, reason: `case_id '${caseId}' is not a case id` });
      return;
    }
    const metadata = {};
    header.forEach((name2, at) => {
      if (!KNOWN_COLUMNS.includes(name2) && cells[at]) metadata[name2] = cells[at];
    });
    result.entries.push({
      row,
      entry: {
        signal_type: type.toLowerCase(),
        value: signal2,
        quality,
        source: get("source"),
        case_id: caseId,
        note: get("note"),
        metadata
      }
    });
  });
  return result;
}
function bankCsv(rows2, withHeader = true) {
  return stringify(
    rows2.map((r) => [
      r.signal_type,
      r.value,
      r.quality ?? "",
      r.source,
      r.added_by,
      r.added_at.toISOString(),
      r.case_id ?? "",
      r.note ?? ""
    ]),
    withHeader ? {
      header: true,
      columns: ["signal_type", "signal", "quality", "source", "added_by", "added_at", "case_id", "note"]
    } : {}
  );
}

// src/screening/banks/bank-store.ts
import { sql as sql5 } from "kysely";

// src/audit/log.ts
import { sql as sql4 } from "kysely";
var AUDIT_LOCK = 2054165761;
var takeAuditLock = () => sql4`pg_advisory_xact_lock(${AUDIT_LOCK})`;
var lastHead = null;
async function appendAudit(trx, actor, record2, now) {
  const [seq] = await appendAuditMany(trx, [{ actor, record: record2 }], now);
  return seq;
}
async function appendAuditMany(trx, items, now, options = {}) {
  if (items.length === 0) return [];
  if (!options.locked) await sql4`select ${takeAuditLock()}`.execute(trx);
  return runPending(trx, prepareAuditAppend(trx, items, now));
}
function prepareAuditAppend(trx, items, now) {
  if (items.length === 0) throw new Error("an audit append needs entries");
  const guess = lastHead;
  const entries = guess ? sealAll(items, guess, now) : null;
  if (entries) remember(entries);
  const statement = (guess && entries ? insertIfHeadIs(guess, entries) : sql4`select (0)::int as inserted, seq, hash from audit_log order by seq desc limit 1`).compile(trx);
  return {
    statement,
    finish: async (trx2, result) => {
      const row = result.rows[0];
      if (entries && row?.inserted === entries.length) return remember(entries);
      const head = row && row.seq !== null ? { seq: row.seq, hash: row.hash } : null;
      const sealed = sealAll(items, head ?? { seq: 0, hash: GENESIS_HASH }, now);
      await insertEntries(trx2, sealed);
      return remember(sealed);
    }
  };
}
function sealAll(items, head, now) {
  let seq = head.seq;
  let prev = head.hash;
  return items.map(({ actor, record: record2 }) => {
    seq += 1;
    const entry2 = seal(
      {
        seq,
        at: now,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_org_id: actor.type === "system" ? null : actor.orgId,
        action: record2.action,
        object_type: record2.objectType,
        object_id: record2.objectId,
        change: record2.change ?? null
      },
      prev
    );
    prev = entry2.hash;
    return entry2;
  });
}
function remember(entries) {
  const last = entries[entries.length - 1];
  lastHead = { seq: last.seq, hash: last.hash };
  return entries.map((e) => e.seq);
}
var rows = (entries) => JSON.stringify(entries.map((entry2) => ({ ...entry2, change: JSON.stringify(entry2.change) })));
var columns = sql4`seq, at, actor_type, actor_id, actor_org_id, action, object_type, object_id, change, change_digest, prev_hash, hash`;
var recordset = (entries) => sql4`
  select seq, at, actor_type, actor_id, actor_org_id, action, object_type, object_id, change::jsonb, change_digest, prev_hash, hash
  from jsonb_to_recordset(${rows(entries)}::jsonb) as e(
    seq bigint, at timestamptz, actor_type text, actor_id text, actor_org_id uuid, action text, object_type text,
    object_id text, change text, change_digest text, prev_hash text, hash text)`;
async function insertEntries(trx, entries) {
  await sql4`insert into audit_log (${columns}) ${recordset(entries)}`.execute(trx);
}
function insertIfHeadIs(head, entries) {
  return sql4`
    with current as (select seq, hash from audit_log order by seq desc limit 1),
    written as (
      insert into audit_log (${columns})
      ${recordset(entries)}
      where (select seq from current) = ${head.seq} and (select hash from current) = ${head.hash}
      returning seq
    )
    select (select count(*) from written)::int as inserted, current.seq, current.hash
    from (select 1) as one left join current on true`;
}

// src/core/errors.ts
var DomainError = class extends Error {
  kind;
  issues;
  /** Extra members for the problem document, e.g. `retry_after` or `existing_decision`. */
  extra;
  constructor(kind, message, options = {}) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.issues = options.issues ?? [];
    this.extra = options.extra ?? {};
  }
};
var invalid = (message, issues = [], extra = {}) => new DomainError("invalid", message, { issues, extra });
var notFound = (message) => new DomainError("not_found", message);
var conflict = (message, extra = {}) => new DomainError("conflict", message, { extra });
var forbidden = (message) => new DomainError("forbidden", message);
var unauthenticated = (message) => new DomainError("unauthenticated", message);
var rateLimited = (message, retryAfterSeconds) => new DomainError("rate_limited", message, { extra: { retry_after: retryAfterSeconds } });
function toPointer(path5) {
  if (path5.length === 0) return "";
  return "/" + path5.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

// src/core/ids.ts
import { randomFillSync } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
var POOL_BYTES = 4096;
var pool = new Uint8Array(0);
var taken = POOL_BYTES;
var clock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };
function random16() {
  if (taken + 16 > pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    taken = 0;
  }
  const bytes = pool.subarray(taken, taken + 16);
  taken += 16;
  return bytes;
}
function newId() {
  const random = random16();
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = (random[6] & 127) << 24 | random[7] << 16 | random[8] << 8 | random[9];
  } else {
    clock.seq = clock.seq + 1 | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  return uuidv7({ random, msecs: clock.msecs, seq: clock.seq });
}

// src/screening/pdq/hash256.ts
var PDQ_WORDS = 8;
var HEX_PATTERN = /^[0-9a-fA-F]{64}$/;
function isPdqHex(text4) {
  return HEX_PATTERN.test(text4);
}
function pdqFromHex(hex) {
  if (!HEX_PATTERN.test(hex)) {
    throw new TypeError(`'${hex.slice(0, 80)}' is not a PDQ hash (64 hexadecimal digits)`);
  }
  const words2 = new Uint32Array(PDQ_WORDS);
  for (let w = 0; w < PDQ_WORDS; w++) {
    const start = (PDQ_WORDS - 1 - w) * 8;
    words2[w] = Number.parseInt(hex.slice(start, start + 8), 16) >>> 0;
  }
  return words2;
}
function pdqToHex(words2, offset = 0) {
  let hex = "";
  for (let w = PDQ_WORDS - 1; w >= 0; w--) {
    hex += ((words2[offset + w] ?? 0) >>> 0).toString(16).padStart(8, "0");
  }
  return hex;
}
function popcount32(value) {
  let x = value - (value >>> 1 & 1431655765);
  x = (x & 858993459) + (x >>> 2 & 858993459);
  x = x + (x >>> 4) & 252645135;
  return Math.imul(x, 16843009) >>> 24;
}

// src/screening/signal-types.ts
var SIGNAL_TYPES = ["pdq", "md5", "sha256", "text_sha256", "text_simhash", "url", "domain"];
function isSignalType(value) {
  return SIGNAL_TYPES.includes(value);
}
var HEX_LENGTH = {
  md5: 32,
  sha256: 64,
  text_sha256: 64,
  text_simhash: 16
};
var TRACKING_PARAMETERS = /^(utm_[a-z]+|fbclid|gclid|igshid|mc_eid|ref_src)$/i;
var TELEGRAM_HOSTS = /* @__PURE__ */ new Set(["t.me", "telegram.me", "telegram.dog", "www.t.me", "www.telegram.me"]);
function canonicalSignal(type, value) {
  const text4 = value.trim();
  if (type === "pdq") {
    if (!isPdqHex(text4)) throw new TypeError(`pdq: '${text4.slice(0, 80)}' is not 64 hexadecimal digits`);
    return text4.toLowerCase();
  }
  if (type === "url") return canonicalUrl(text4);
  if (type === "domain") return canonicalDomain(text4);
  const length = HEX_LENGTH[type];
  if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(text4)) {
    throw new TypeError(`${type}: '${text4.slice(0, 80)}' is not ${length} hexadecimal digits`);
  }
  return text4.toLowerCase();
}
function canonicalUrl(value) {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(`url: '${value.slice(0, 80)}' is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`url: '${value.slice(0, 80)}' is not an http(s) URL`);
  }
  url.hash = "";
  url.username = "";
  url.password = "";
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMETERS.test(key)) url.searchParams.delete(key);
  }
  if (TELEGRAM_HOSTS.has(url.hostname)) {
    const path6 = url.pathname.replace(/^\/s\//, "/").replace(/\/+$/, "");
    const [, username2 = "", ...rest] = path6.split("/");
    const search2 = url.searchParams.toString();
    return `https://t.me/${[username2.toLowerCase(), ...rest].join("/")}${search2 ? `?${search2}` : ""}`;
  }
  const path5 = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : "";
  const search = url.searchParams.toString();
  return `${url.protocol}//${url.host}${path5}${search ? `?${search}` : ""}`;
}
function canonicalDomain(value) {
  const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value.split("/")[0]}`;
  let hostname;
  try {
    hostname = new URL(host).hostname;
  } catch {
    throw new TypeError(`domain: '${value.slice(0, 80)}' is not a domain name`);
  }
  hostname = hostname.replace(/\.$/, "").replace(/^www\./, "");
  if (!/^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/.test(hostname)) {
    throw new TypeError(`domain: '${value.slice(0, 80)}' is not a domain name`);
  }
  return hostname;
}
function domainAndParents(domain) {
  const labels = canonicalDomain(domain).split(".");
  const out = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join("."));
  return out;
}

// src/screening/banks/bank-store.ts
function checkSignal(type, value) {
  if (!isSignalType(type))
    return {
      ok: false,
      reason: `'${type}' is not a signal type (pdq, md5, sha256, text_sha256, text_simhash, url, domain)`
    };
  try {
    return { ok: true, type, value: canonicalSignal(type, value) };
  } catch (error) {
    return { ok: false, reason: error.message };
  }
}
function checkBank(input) {
  if (input.policy === "auto_action" && !input.auto_action) {
    throw invalid("a bank that acts automatically needs the action to take", [
      { pointer: "/auto_action", detail: "required with policy auto_action" }
    ]);
  }
  if (input.policy === "review" && input.auto_action) {
    throw invalid("a review bank takes no automatic action", [
      { pointer: "/auto_action", detail: "only with policy auto_action" }
    ]);
  }
}
async function createBank(db, actor, input, now) {
  checkBank(input);
  const bank = {
    id: newId(),
    name: input.name,
    description: input.description ?? null,
    enabled: true,
    policy: input.policy,
    auto_action: input.auto_action ?? null,
    created_by: actor.id,
    created_at: now,
    updated_at: now
  };
  return transact(db, async (trx) => {
    const taken2 = await trx.selectFrom("banks").select("id").where("name", "=", input.name).executeTakeFirst();
    if (taken2) throw conflict(`a bank named '${input.name}' already exists`);
    await trx.insertInto("banks").values({ ...bank, auto_action: JSON.stringify(bank.auto_action) }).execute();
    await appendAudit(
      trx,
      actor,
      { action: "bank.created", objectType: "bank", objectId: bank.id, change: bank },
      now
    );
    return bank;
  });
}
async function updateBank(db, actor, id, input, now) {
  return transact(db, async (trx) => {
    const bank = await trx.selectFrom("banks").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!bank) throw notFound(`no bank ${id}`);
    const next = {
      enabled: input.enabled ?? bank.enabled,
      description: input.description ?? bank.description,
      policy: input.policy ?? bank.policy,
      auto_action: input.auto_action === void 0 ? bank.auto_action : input.auto_action
    };
    checkBank({ policy: next.policy, auto_action: next.auto_action ?? void 0 });
    await trx.updateTable("banks").set({
      ...next,
      auto_action: JSON.stringify(next.auto_action),
      updated_at: now,
      change_seq: sql5`nextval('bank_change_seq')`
    }).where("id", "=", id).execute();
    await appendAudit(
      trx,
      actor,
      { action: "bank.updated", objectType: "bank", objectId: id, change: next },
      now
    );
    return { ...bank, ...next, updated_at: now };
  });
}
async function listBanks(db) {
  const banks = await db.selectFrom("banks").select([
    "id",
    "name",
    "description",
    "enabled",
    "policy",
    "auto_action",
    "created_by",
    "created_at",
    "updated_at"
  ]).orderBy("name").execute();
  const counts = await db.selectFrom("bank_entries").select(["bank_id", "signal_type", db.fn.countAll().as("n")]).where("removed_at", "is", null).groupBy(["bank_id", "signal_type"]).execute();
  return banks.map((bank) => ({
    ...bank,
    entries: Object.fromEntries(
      counts.filter((c) => c.bank_id === bank.id).map((c) => [c.signal_type, Number(c.n)])
    )
  }));
}
async function findBank(db, idOrName) {
  const byId = /^[0-9a-f-]{36}$/i.test(idOrName);
  const bank = await db.selectFrom("banks").selectAll().where(byId ? "id" : "name", "=", idOrName).executeTakeFirst();
  if (!bank) throw notFound(`no bank '${idOrName}'`);
  return bank;
}
async function addEntries(db, actor, bankId, entries, now) {
  const outcomes = [];
  const rows2 = [];
  const seen = /* @__PURE__ */ new Set();
  entries.forEach((entry2, index) => {
    const check = checkSignal(entry2.signal_type, entry2.value);
    if (!check.ok) {
      outcomes[index] = { index, status: "invalid", reason: check.reason };
      return;
    }
    if (entry2.quality !== void 0 && (entry2.quality < 0 || entry2.quality > 100)) {
      outcomes[index] = { index, status: "invalid", reason: "quality is 0 to 100" };
      return;
    }
    const key = `${check.type} ${check.value}`;
    if (seen.has(key)) {
      outcomes[index] = { index, status: "duplicate", reason: "repeated in this upload" };
      return;
    }
    seen.add(key);
    rows2.push({
      index,
      row: {
        id: newId(),
        bank_id: bankId,
        signal_type: check.type,
        value: check.value,
        quality: entry2.quality ?? null,
        source: entry2.source ?? (actor.type === "system" ? "cli" : actor.orgSlug),
        added_by: actor.id,
        added_at: now,
        case_id: entry2.case_id ?? null,
        note: entry2.note ?? null,
        metadata: JSON.stringify(entry2.metadata ?? {})
      }
    });
  });
  await transact(db, async (trx) => {
    const inserted = /* @__PURE__ */ new Set();
    for (let i = 0; i < rows2.length; i += 1e3) {
      const ids = await insertRows(
        trx,
        rows2.slice(i, i + 1e3).map((r) => r.row)
      );
      for (const id of ids) inserted.add(id);
    }
    for (const { index, row } of rows2) {
      outcomes[index] = inserted.has(row.id) ? { index, status: "added", entry_id: row.id } : { index, status: "duplicate", reason: "already in the bank" };
    }
    const added = rows2.filter((r) => inserted.has(r.row.id)).length;
    await appendAuditMany(
      trx,
      [
        {
          actor,
          record: {
            action: "bank.entries_added",
            objectType: "bank",
            objectId: bankId,
            change: { added, submitted: entries.length }
          }
        }
      ],
      now
    );
  });
  return outcomes;
}
async function insertRows(trx, rows2) {
  if (rows2.length === 0) return [];
  const inserted = await trx.insertInto("bank_entries").values(rows2).onConflict(
    (oc) => oc.columns(["bank_id", "signal_type", "value"]).where("removed_at", "is", null).doNothing()
  ).returning("id").execute();
  return inserted.map((r) => r.id);
}
async function removeEntry(db, actor, bankId, entryId, now) {
  await transact(db, async (trx) => {
    const result = await trx.updateTable("bank_entries").set({ removed_at: now, change_seq: sql5`nextval('bank_change_seq')` }).where("id", "=", entryId).where("bank_id", "=", bankId).where("removed_at", "is", null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(`no entry ${entryId} in this bank`);
    await appendAudit(
      trx,
      actor,
      { action: "bank.entry_removed", objectType: "bank", objectId: bankId, change: { entry_id: entryId } },
      now
    );
  });
}
var ENTRY_FIELDS = [
  "id",
  "signal_type",
  "value",
  "quality",
  "source",
  "added_by",
  "added_at",
  "case_id",
  "note"
];
async function listEntries(db, bankId, after, limit, signalType) {
  let query = db.selectFrom("bank_entries").select([...ENTRY_FIELDS, "metadata"]).where("bank_id", "=", bankId).where("removed_at", "is", null).orderBy("id").limit(limit);
  if (after) query = query.where("id", ">", after);
  if (signalType) query = query.where("signal_type", "=", signalType);
  const items = await query.execute();
  return { items, next_after: items.length === limit ? items[items.length - 1].id : null };
}

// src/cli/commands/banks.ts
function register2(program2) {
  const banks = program2.command("banks").description("hash banks");
  banks.command("import").description(
    "import a CSV (signal_type,signal,quality,source,case_id,note,\u2026) into a bank, creating it if needed; reports rows it refused"
  ).requiredOption("--bank <name>", "the bank").option("--policy <policy>", "for a new bank: review or auto_action", "review").option(
    "--action <outcome>",
    "for a new auto_action bank: remove, restrict_in_jurisdiction, suspend or label",
    "remove"
  ).argument("<file>", "the CSV file").action(async (file, o) => {
    if (o.policy !== "review" && o.policy !== "auto_action")
      throw new Error("--policy must be review or auto_action");
    const parsed = parseBankCsv(readFileSync3(file, "utf8"));
    const summary2 = await withStore(async (store) => {
      const now = /* @__PURE__ */ new Date();
      const bank = await findBank(store.db, o.bank).catch(
        async () => createBank(
          store.db,
          cliActor,
          {
            name: o.bank,
            policy: o.policy,
            ...o.policy === "auto_action" ? { auto_action: { outcome: o.action } } : {}
          },
          now
        )
      );
      const bar = process.stderr.isTTY ? new cliProgress2.SingleBar({ clearOnComplete: true }, cliProgress2.Presets.shades_classic) : null;
      bar?.start(parsed.entries.length, 0);
      const counts = { added: 0, duplicate: 0, invalid: parsed.errors.length };
      const refused2 = parsed.errors.map((e) => `row ${e.row}: ${e.reason}`);
      for (let i = 0; i < parsed.entries.length; i += 5e3) {
        const chunk = parsed.entries.slice(i, i + 5e3);
        const outcomes = await addEntries(
          store.db,
          cliActor,
          bank.id,
          chunk.map((e) => e.entry),
          now
        );
        outcomes.forEach((outcome2, j) => {
          counts[outcome2.status] += 1;
          if (outcome2.status === "invalid") refused2.push(`row ${chunk[j].row}: ${outcome2.reason}`);
        });
        bar?.update(Math.min(parsed.entries.length, i + chunk.length));
      }
      bar?.stop();
      return { ...counts, refused: refused2 };
    });
    for (const line of summary2.refused) process.stderr.write(`${line}
`);
    process.stdout.write(
      `${o.bank}: ${summary2.added} added, ${summary2.duplicate} already there, ${summary2.invalid} refused
`
    );
    if (summary2.invalid > 0) process.exitCode = 2;
  });
  banks.command("export").description("print a bank as CSV").requiredOption("--bank <name>", "the bank").action(async (o) => {
    const text4 = await withStore(async (store) => {
      const bank = await findBank(store.db, o.bank);
      const rows2 = await store.db.selectFrom("bank_entries").select(["signal_type", "value", "quality", "source", "added_by", "added_at", "case_id", "note"]).where("bank_id", "=", bank.id).where("removed_at", "is", null).orderBy("added_at").execute();
      return bankCsv(rows2);
    });
    process.stdout.write(text4);
  });
}

// src/screening/media-hashes.ts
import { stat } from "node:fs/promises";

// src/screening/file-digests.ts
import { createHash as createHash2 } from "node:crypto";
import { createReadStream } from "node:fs";
async function digestFile(path5) {
  const md5 = createHash2("md5");
  const sha256 = createHash2("sha256");
  for await (const chunk of createReadStream(path5, { highWaterMark: 64 * 1024 })) {
    md5.update(chunk);
    sha256.update(chunk);
  }
  return { md5: md5.digest("hex"), sha256: sha256.digest("hex") };
}
function digestBytes(bytes) {
  return {
    md5: createHash2("md5").update(bytes).digest("hex"),
    sha256: createHash2("sha256").update(bytes).digest("hex")
  };
}

// src/screening/pdq/dihedral.ts
var DIHEDRAL_NAMES = [
  "original",
  "rot90",
  "rot180",
  "rot270",
  "flipx",
  "flipy",
  "flip_plus1",
  "flip_minus1"
];
var TRANSFORMS = {
  original: { transpose: false, negate: () => false },
  rot90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
  rot180: { transpose: false, negate: (i, j) => (i + j & 1) === 1 },
  rot270: { transpose: true, negate: (i) => (i & 1) === 0 },
  flipx: { transpose: false, negate: (i) => (i & 1) === 0 },
  flipy: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
  flip_plus1: { transpose: true, negate: () => false },
  flip_minus1: { transpose: true, negate: (i, j) => (i + j & 1) === 1 }
};
function transformDct16(name2, input, output) {
  const { transpose, negate } = TRANSFORMS[name2];
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const value = input[i * 16 + j];
      output[transpose ? j * 16 + i : i * 16 + j] = negate(i, j) ? -value : value;
    }
  }
}

// src/screening/pdq/image-decoding.ts
import sharp from "sharp";
async function decodeImage(input) {
  const source = typeof input === "string" ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const { data, info } = await sharp(source, {
    ignoreIcc: true,
    pages: 1,
    page: 0,
    limitInputPixels: 268402689
  }).raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new TypeError(`decoded image has ${channels} channels; expected 1 to 4`);
  }
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels
  };
}

// src/screening/pdq/dct.ts
var ROWS = 16;
var COLS = 64;
var DCT_MATRIX = (() => {
  const matrix = new Float32Array(ROWS * COLS);
  const scale = Math.fround(Math.sqrt(2 / COLS));
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < COLS; j++) {
      matrix[i * COLS + j] = scale * Math.cos(Math.PI / 2 / COLS * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();
function dct64To16(input64x64, scratch16x64, output16x16) {
  const d = DCT_MATRIX;
  for (let i = 0; i < ROWS; i++) {
    const row = i * COLS;
    for (let j = 0; j < COLS; j++) {
      let sum = 0;
      for (let k = 0; k < COLS; k++) {
        sum = Math.fround(sum + Math.fround(d[row + k] * input64x64[k * COLS + j]));
      }
      scratch16x64[row + j] = sum;
    }
  }
  for (let i = 0; i < ROWS; i++) {
    const t = i * COLS;
    for (let j = 0; j < ROWS; j++) {
      const dj = j * COLS;
      let sum = 0;
      for (let k = 0; k < COLS; k++) {
        sum = Math.fround(sum + Math.fround(scratch16x64[t + k] * d[dj + k]));
      }
      output16x16[i * ROWS + j] = sum;
    }
  }
}

// src/screening/pdq/jarosz-filter.ts
var PDQ_TENT_PASSES = 2;
function jaroszWindowSize(oldDimension, newDimension) {
  return Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}
function boxLine(input, output, start, length, stride, window) {
  const half = Math.floor((window + 2) / 2);
  const leadIn = half - 1;
  const growing = window - half + 1;
  const full = length - window;
  const leadOut = half - 1;
  let left = start;
  let right = start;
  let out = start;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < leadIn; i++) {
    sum = Math.fround(sum + input[right]);
    count++;
    right += stride;
  }
  for (let i = 0; i < growing; i++) {
    sum = Math.fround(sum + input[right]);
    count++;
    output[out] = sum / count;
    right += stride;
    out += stride;
  }
  for (let i = 0; i < full; i++) {
    sum = Math.fround(sum + input[right]);
    sum = Math.fround(sum - input[left]);
    output[out] = sum / count;
    left += stride;
    right += stride;
    out += stride;
  }
  for (let i = 0; i < leadOut; i++) {
    sum = Math.fround(sum - input[left]);
    count--;
    output[out] = sum / count;
    left += stride;
    out += stride;
  }
}
function boxColumns(input, output, rows2, cols, window, sums) {
  const half = Math.floor((window + 2) / 2);
  const leadIn = half - 1;
  const growing = window - half + 1;
  const full = rows2 - window;
  const leadOut = half - 1;
  sums.fill(0);
  let right = 0;
  let left = 0;
  let out = 0;
  let count = 0;
  for (let i = 0; i < leadIn; i++, right++) {
    const r = right * cols;
    for (let j = 0; j < cols; j++) sums[j] = Math.fround(sums[j] + input[r + j]);
    count++;
  }
  for (let i = 0; i < growing; i++, right++, out++) {
    const r = right * cols;
    const o = out * cols;
    count++;
    for (let j = 0; j < cols; j++) {
      const sum = Math.fround(sums[j] + input[r + j]);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
  for (let i = 0; i < full; i++, right++, left++, out++) {
    const r = right * cols;
    const l = left * cols;
    const o = out * cols;
    for (let j = 0; j < cols; j++) {
      const sum = Math.fround(
        Math.fround(sums[j] + input[r + j]) - input[l + j]
      );
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
  for (let i = 0; i < leadOut; i++, left++, out++) {
    const l = left * cols;
    const o = out * cols;
    count--;
    for (let j = 0; j < cols; j++) {
      const sum = Math.fround(sums[j] - input[l + j]);
      sums[j] = sum;
      output[o + j] = sum / count;
    }
  }
}
function jaroszFilter(buffer1, buffer2, rows2, cols, windowAlongRows, windowAlongCols, passes) {
  const sums = new Float64Array(cols);
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < rows2; i++) boxLine(buffer1, buffer2, i * cols, cols, 1, windowAlongRows);
    boxColumns(buffer2, buffer1, rows2, cols, windowAlongCols, sums);
  }
}
function decimateTo(input, rows2, cols, output, outRows, outCols) {
  for (let i = 0; i < outRows; i++) {
    const srcRow = Math.trunc((i + 0.5) * rows2 / outRows);
    for (let j = 0; j < outCols; j++) {
      const srcCol = Math.trunc((j + 0.5) * cols / outCols);
      output[i * outCols + j] = input[srcRow * cols + srcCol];
    }
  }
}

// src/screening/pdq/luminance.ts
var R_COEFF = Math.fround(0.299);
var G_COEFF = Math.fround(0.587);
var B_COEFF = Math.fround(0.114);
var REFERENCE_MAX_SIDE = 512;
function nearestIndices(from, to) {
  const indices = new Int32Array(to);
  for (let i = 0; i < to; i++) indices[i] = Math.floor(i * from / to);
  return indices;
}
function lumaFromPixels(image, greyAsIs) {
  const { data, width, height, channels } = image;
  const resize = width > REFERENCE_MAX_SIDE || height > REFERENCE_MAX_SIDE;
  const cols = resize ? REFERENCE_MAX_SIDE : width;
  const rows2 = resize ? REFERENCE_MAX_SIDE : height;
  const xs = resize ? nearestIndices(width, cols) : Int32Array.from({ length: cols }, (_, j) => j);
  const ys = resize ? nearestIndices(height, rows2) : Int32Array.from({ length: rows2 }, (_, i) => i);
  for (let j = 0; j < cols; j++) xs[j] = xs[j] * channels;
  const luma = new Float32Array(rows2 * cols);
  const rgb = channels >= 3 && !greyAsIs;
  for (let i = 0; i < rows2; i++) {
    const row = ys[i] * width * channels;
    const out = i * cols;
    if (rgb) {
      for (let j = 0; j < cols; j++) {
        const p = row + xs[j];
        const r = Math.fround(R_COEFF * data[p]);
        const g = Math.fround(G_COEFF * data[p + 1]);
        const b = Math.fround(B_COEFF * data[p + 2]);
        luma[out + j] = Math.fround(r + g) + b;
      }
    } else {
      for (let j = 0; j < cols; j++) luma[out + j] = data[row + xs[j]];
    }
  }
  return { luma, rows: rows2, cols };
}

// src/screening/pdq/pixels.ts
function assertPixelImage(image) {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`image size ${width}x${height} is not a pair of non-negative integers`);
  }
  if (![1, 2, 3, 4].includes(channels)) {
    throw new RangeError(`image has ${channels} channels; expected 1 (grey), 2, 3 (RGB) or 4 (RGBA)`);
  }
  if (data.length < width * height * channels) {
    throw new RangeError(
      `image data holds ${data.length} bytes; ${width}x${height}x${channels} needs ${width * height * channels}`
    );
  }
}
function isGreyOnly(image) {
  const { data, channels } = image;
  if (channels < 3) return true;
  const end = image.width * image.height * channels;
  for (let i = 0; i < end; i += channels) {
    const r = data[i];
    if (r !== data[i + 1] || r !== data[i + 2]) return false;
  }
  return true;
}

// src/screening/pdq/quality.ts
function pdqQuality(buffer64x64) {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      gradientSum += gradientStep(buffer64x64[i * 64 + j], buffer64x64[(i + 1) * 64 + j]);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      gradientSum += gradientStep(buffer64x64[i * 64 + j], buffer64x64[i * 64 + j + 1]);
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}
function gradientStep(u, v) {
  const scaled = Math.fround(Math.fround(Math.fround(u - v) * 100) / 255);
  return Math.abs(Math.trunc(scaled));
}

// src/screening/pdq/torben-median.ts
function torbenMedian(values) {
  const n = values.length;
  let min = values[0];
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const half = Math.floor((n + 1) / 2);
  let less = 0;
  let greater = 0;
  let equal = 0;
  let guess = 0;
  let maxBelow = min;
  let minAbove = max;
  for (; ; ) {
    guess = Math.fround(Math.fround(min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxBelow = min;
    minAbove = max;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v < guess) {
        less++;
        if (v > maxBelow) maxBelow = v;
      } else if (v > guess) {
        greater++;
        if (v < minAbove) minAbove = v;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) break;
    if (less > greater) max = maxBelow;
    else min = minAbove;
  }
  if (less >= half) return maxBelow;
  if (less + equal >= half) return guess;
  return minAbove;
}

// src/screening/pdq/pdq-hasher.ts
var PDQ_MIN_SIDE = 5;
function dctAndQuality(plane, skipBlurAt64) {
  const { rows: rows2, cols } = plane;
  const buffer64x64 = new Float32Array(64 * 64);
  if (skipBlurAt64 && rows2 === 64 && cols === 64) {
    buffer64x64.set(plane.luma);
  } else {
    const buffer1 = plane.luma;
    const buffer2 = new Float32Array(rows2 * cols);
    jaroszFilter(
      buffer1,
      buffer2,
      rows2,
      cols,
      jaroszWindowSize(cols, 64),
      jaroszWindowSize(rows2, 64),
      PDQ_TENT_PASSES
    );
    decimateTo(buffer1, rows2, cols, buffer64x64, 64, 64);
  }
  const quality = pdqQuality(buffer64x64);
  const dct = new Float32Array(16 * 16);
  dct64To16(buffer64x64, new Float32Array(16 * 64), dct);
  return { dct, quality };
}
function bitsFromDct(dct, quality) {
  const median = torbenMedian(dct);
  const hash = new Uint32Array(PDQ_WORDS);
  for (let k = 0; k < 256; k++) {
    if (dct[k] > median) hash[k >>> 5] = (hash[k >>> 5] | 1 << (k & 31)) >>> 0;
  }
  return { hash, hex: pdqToHex(hash), quality };
}
function zeroResult() {
  const hash = new Uint32Array(PDQ_WORDS);
  return { hash, hex: pdqToHex(hash), quality: 0 };
}
function isTooSmall(plane) {
  return plane.rows < PDQ_MIN_SIDE || plane.cols < PDQ_MIN_SIDE;
}
function pdqFromLuma(plane) {
  if (isTooSmall(plane)) return zeroResult();
  const { dct, quality } = dctAndQuality(plane, true);
  return bitsFromDct(dct, quality);
}
function pdqDihedralFromLuma(plane) {
  if (isTooSmall(plane)) return { quality: 0, hashes: DIHEDRAL_NAMES.map(zeroResult) };
  const { dct, quality } = dctAndQuality(plane, false);
  const transformed = new Float32Array(256);
  const hashes = DIHEDRAL_NAMES.map((name2) => {
    transformDct16(name2, dct, transformed);
    return bitsFromDct(transformed, quality);
  });
  return { quality, hashes };
}
function pdqFromPixels(image, options = {}) {
  assertPixelImage(image);
  return pdqFromLuma(lumaFromPixels(image, options.greyAsIs ?? false));
}
function pdqDihedralFromPixels(image, options = {}) {
  assertPixelImage(image);
  return pdqDihedralFromLuma(lumaFromPixels(image, options.greyAsIs ?? false));
}

// src/screening/pdq/image-hashing.ts
async function pdqFromImage(input) {
  const image = await decodeImage(input);
  return pdqFromPixels(image, { greyAsIs: isGreyOnly(image) });
}
async function pdqDihedralFromImage(input) {
  const image = await decodeImage(input);
  return pdqDihedralFromPixels(image, { greyAsIs: isGreyOnly(image) });
}

// src/screening/media-hashes.ts
var MAX_IMAGE_BYTES = 256 * 1024 * 1024;
async function hashMediaFile(path5, options = {}) {
  const digests = await digestFile(path5);
  const { size } = await stat(path5);
  return { ...digests, ...await pdqOf(path5, size, options.dihedral ?? false) };
}
async function hashMediaBytes(bytes, options = {}) {
  return { ...digestBytes(bytes), ...await pdqOf(bytes, bytes.length, options.dihedral ?? false) };
}
async function pdqOf(image, size, dihedral) {
  if (size > MAX_IMAGE_BYTES) return { pdq: null, quality: null, pdqError: "file too large to decode" };
  try {
    if (!dihedral) {
      const { hex, quality: quality2 } = await pdqFromImage(image);
      return { pdq: hex, quality: quality2 };
    }
    const { hashes, quality } = await pdqDihedralFromImage(image);
    const variants = hashes.map((h) => h.hex);
    if (variants.length !== DIHEDRAL_NAMES.length) throw new Error("expected 8 dihedral hashes");
    return { pdq: variants[0] ?? null, quality, pdqDihedral: variants };
  } catch (error) {
    return { pdq: null, quality: null, pdqError: `not an image that can be decoded (${describe(error)})` };
  }
}
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

// src/cli/commands/hash.ts
var HELP = `
Output:
  --json   one JSON object per line (NDJSON), in the order of the files:
             {"file", "pdq", "quality", "md5", "sha256"[, "pdq_dihedral": [8 hashes]]}
           pdq and quality are null for a file that is not a decodable image.
  default  one line per file, space-separated, the file name last (as sha256sum):
             <pdq> <quality> <md5> <sha256> [<8 dihedral hashes>] <file>
           with "-" for the PDQ and quality of a file that is not an image.

PDQ is Meta's perceptual hash, identical to the reference implementation. The stored pixels
are hashed: EXIF orientation is not applied. --dihedral adds the hashes of the 8 rotations and
mirrors in the reference's order: original, rot90, rot180, rot270, flipx, flipy, flip_plus1,
flip_minus1 (rot90 is a quarter turn counter-clockwise).

A file that cannot be read, or is not a decodable image, is reported on stderr and makes the
exit status 1; the other files are still hashed (exact hashes are printed for non-images).`;
function register3(program2) {
  program2.command("hash").description("compute the PDQ, MD5 and SHA-256 hashes of files, offline").argument("<files...>", "image or other files").option("--json", "one JSON object per line").option("--dihedral", "add the 8 dihedral PDQ hashes").addHelpText("after", HELP).action(async (files, options) => {
    let failed = false;
    for await (const [file, outcome2] of hashInOrder(files, options.dihedral ?? false)) {
      if (outcome2 instanceof Error) {
        failed = true;
        process.stderr.write(`tapis hash: ${file}: ${outcome2.message}
`);
        continue;
      }
      if (outcome2.pdqError) {
        failed = true;
        process.stderr.write(`tapis hash: ${file}: no PDQ: ${outcome2.pdqError}
`);
      }
      process.stdout.write(
        `${options.json ? jsonLine(file, outcome2, options) : textLine(file, outcome2)}
`
      );
    }
    if (failed) process.exitCode = 1;
  });
}
var CONCURRENCY = 4;
async function* hashInOrder(files, dihedral) {
  const start = (file) => hashMediaFile(file, { dihedral }).catch(
    (error) => error instanceof Error ? error : new Error(String(error))
  );
  const running = files.slice(0, CONCURRENCY).map(start);
  for (const [i, file] of files.entries()) {
    const outcome2 = await running[i];
    const next = files[i + CONCURRENCY];
    if (next !== void 0) running.push(start(next));
    yield [file, outcome2];
  }
}
function jsonLine(file, hashes, options) {
  return JSON.stringify({
    file,
    pdq: hashes.pdq,
    quality: hashes.quality,
    md5: hashes.md5,
    sha256: hashes.sha256,
    ...options.dihedral ? { pdq_dihedral: hashes.pdqDihedral ?? null } : {}
  });
}
function textLine(file, hashes) {
  return [
    hashes.pdq ?? "-",
    hashes.quality ?? "-",
    hashes.md5,
    hashes.sha256,
    ...hashes.pdqDihedral ?? [],
    file
  ].join(" ");
}

// src/identity/permissions.ts
var orgKinds = ["platform", "government", "law_enforcement", "ngo", "public"];
var platformRoles = ["admin", "lead", "reviewer", "auditor"];
var flaggerRoles = ["flagger_admin", "flagger"];
var roles = [...platformRoles, ...flaggerRoles];
var permissions = {
  "orgs:read": "List and read organisations",
  "orgs:write": "Create organisations and change them",
  "users:read": "List users (a flagger_admin: of its own organisation)",
  "users:write": "Create and disable users (a flagger_admin: of its own organisation)",
  "keys:read": "List API keys (a flagger_admin: of its own organisation)",
  "keys:write": "Create and revoke API keys (a flagger_admin: of its own organisation)",
  "audit:read": "Read and verify the audit log",
  "notices:submit": "Submit notices and evidence",
  "notices:read": "Read notices (a flagger: its own organisation\u2019s only)",
  "threads:write": "Write in a notice\u2019s thread",
  "events:read": "Poll the event feed (a flagger: its own organisation\u2019s only)",
  "webhooks:manage": "Register webhooks, read their delivery log and redeliver",
  "policy:write": "Change the SOP policy, the taxonomy and jurisdiction records",
  "cases:read": "Read cases and their events",
  "cases:work": "Claim cases, decide, comment",
  "cases:lead": "Reassign cases, approve four-eyes decisions, manage flagger status",
  "appeals:decide": "Decide appeals",
  "banks:read": "List hash banks and their entries",
  "banks:write": "Create, change and fill hash banks",
  "screening:match": "Hash files and match them against the banks",
  "content:reveal": "Reveal preserved media and text",
  "reports:read": "Read internal reports and reviewer workload"
};
var allPermissions = Object.keys(permissions);
var reviewer = [
  "orgs:read",
  "notices:read",
  "threads:write",
  "events:read",
  "cases:read",
  "cases:work",
  "appeals:decide",
  "banks:read",
  "screening:match",
  "content:reveal"
];
var rolePermissions = {
  admin: allPermissions,
  lead: [...reviewer, "users:read", "cases:lead", "banks:write", "reports:read"],
  reviewer,
  auditor: [
    "orgs:read",
    "users:read",
    "audit:read",
    "notices:read",
    "cases:read",
    "events:read",
    "banks:read",
    "reports:read"
  ],
  flagger_admin: [
    "notices:submit",
    "notices:read",
    "threads:write",
    "events:read",
    "webhooks:manage",
    "users:read",
    "users:write",
    "keys:read",
    "keys:write"
  ],
  flagger: ["notices:submit", "notices:read", "threads:write", "events:read"]
};
function rolesForOrgKind(kind) {
  return kind === "platform" ? platformRoles : [...flaggerRoles, "auditor"];
}
function keyScopesForOrgKind(kind) {
  if (kind === "platform") {
    return ["notices:read", "events:read", "cases:read", "banks:read", "banks:write", "screening:match"];
  }
  return ["notices:submit", "notices:read", "threads:write", "events:read", "webhooks:manage"];
}
function permissionsOfRoles(userRoles) {
  return new Set(userRoles.flatMap((role) => rolePermissions[role]));
}
function isRole(value) {
  return roles.includes(value);
}

// src/identity/secrets.ts
import { createHash as createHash3, randomBytes, timingSafeEqual } from "node:crypto";
var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function randomToken(length) {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}
function tokenHash(token) {
  return createHash3("sha256").update(token).digest("hex");
}
function sameHash(a, b) {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}
var API_KEY = /^tapis_([A-Za-z0-9]{12})_([A-Za-z0-9]{32})$/;
function generateApiKey() {
  const prefix = randomToken(12);
  const key = `tapis_${prefix}_${randomToken(32)}`;
  return { key, prefix, secretHash: tokenHash(key) };
}
function parseApiKey(key) {
  const match = API_KEY.exec(key);
  return match ? { prefix: match[1] } : null;
}

// src/identity/authenticate.ts
var API_KEY_CACHE_MS = 5e3;
var keyCache = /* @__PURE__ */ new WeakMap();
var generations = /* @__PURE__ */ new WeakMap();
function forgetApiKeys(db) {
  generations.set(db, (generations.get(db) ?? 0) + 1);
  keyCache.get(db)?.clear();
}
async function authenticateApiKey(db, key, now) {
  const parsed = parseApiKey(key);
  if (!parsed) return { failure: "the bearer token is not a tapis API key (tapis_\u2026)" };
  const hash = tokenHash(key);
  let cache2 = keyCache.get(db);
  if (!cache2) {
    cache2 = /* @__PURE__ */ new Map();
    keyCache.set(db, cache2);
  }
  const hit = cache2.get(hash);
  let row;
  if (hit && hit.until > Date.now()) row = hit.row;
  else {
    const generation = generations.get(db) ?? 0;
    row = await readKey(db, parsed.prefix);
    if (generation === (generations.get(db) ?? 0)) {
      if (cache2.size > 1e4) cache2.clear();
      cache2.set(hash, { row, until: Date.now() + API_KEY_CACHE_MS });
    }
  }
  return keyAuthentication(row, hash, now);
}
function keyAuthentication(row, hash, now) {
  if (!row || !sameHash(row.secret_hash, hash)) return { failure: "unknown API key" };
  if (row.revoked_at) return { failure: "this API key was revoked" };
  if (row.expires_at && row.expires_at <= now) return { failure: "this API key has expired" };
  return {
    actor: {
      type: "key",
      id: row.id,
      displayName: row.name,
      orgId: row.org_id,
      orgSlug: row.org_slug,
      orgKind: row.org_kind,
      roles: [],
      permissions: new Set(row.scopes),
      languages: [],
      jurisdictions: []
    }
  };
}
async function readKey(db, prefix) {
  return db.selectFrom("api_keys").innerJoin("organisations", "organisations.id", "api_keys.org_id").select([
    "api_keys.id",
    "api_keys.name",
    "api_keys.secret_hash",
    "api_keys.scopes",
    "api_keys.expires_at",
    "api_keys.revoked_at",
    "organisations.id as org_id",
    "organisations.slug as org_slug",
    "organisations.kind as org_kind"
  ]).where("api_keys.prefix", "=", prefix).executeTakeFirst();
}
async function authenticateSession(db, token, now) {
  const row = await db.selectFrom("sessions").innerJoin("users", "users.id", "sessions.user_id").innerJoin("organisations", "organisations.id", "users.org_id").select([
    "sessions.id as session_id",
    "sessions.expires_at",
    "sessions.revoked_at",
    "users.id",
    "users.display_name",
    "users.roles",
    "users.languages",
    "users.jurisdictions",
    "users.disabled_at",
    "organisations.id as org_id",
    "organisations.slug as org_slug",
    "organisations.kind as org_kind"
  ]).where("sessions.token_hash", "=", tokenHash(token)).executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) return { failure: "the session has ended; log in again" };
  if (row.expires_at <= now) return { failure: "the session has expired; log in again" };
  const userRoles = row.roles.filter(isRole);
  return {
    actor: {
      type: "user",
      id: row.id,
      displayName: row.display_name,
      orgId: row.org_id,
      orgSlug: row.org_slug,
      orgKind: row.org_kind,
      roles: userRoles,
      permissions: permissionsOfRoles(userRoles),
      languages: row.languages,
      jurisdictions: row.jurisdictions,
      sessionId: row.session_id
    }
  };
}

// src/identity/key-revocations.ts
import { sql as sql6 } from "kysely";
var CHANNEL = "tapis_api_key_revoked";
async function announceKeyRevocation(trx) {
  await sql6`select pg_notify(${CHANNEL}, current_schema())`.execute(trx);
}
async function followKeyRevocations(store) {
  const schema = (await sql6`select current_schema() as schema`.execute(store.db)).rows[0].schema;
  return store.listen(CHANNEL, (payload) => {
    if (payload === null || payload === schema) forgetApiKeys(store.db);
  });
}

// src/identity/organisations.ts
async function createOrganisation(db, actor, input, now) {
  if (input.flagger_status === "trusted" && !input.designated_by?.trim())
    throw invalid("a trusted flagger needs the authority that designated it (DSA Art. 22(2))", [
      { pointer: "/designated_by", detail: "required when flagger_status is trusted" }
    ]);
  const org = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    // Flagger organisations start as regular notifiers; trusted status is a decision (DSA Art. 22).
    flagger_status: input.kind === "platform" ? null : input.flagger_status ?? "regular",
    contact_email: input.contact_email ?? null,
    designated_categories: [],
    designated_jurisdictions: [],
    rate_limit_per_minute: null,
    designated_by: input.flagger_status === "trusted" ? input.designated_by.trim() : null,
    status_since: input.kind === "platform" ? null : now,
    suspended_until: null,
    created_at: now
  };
  return transact(db, async (trx) => {
    const existing = await trx.selectFrom("organisations").select("id").where("slug", "=", input.slug).executeTakeFirst();
    if (existing) throw conflict(`an organisation with slug '${input.slug}' already exists`);
    await trx.insertInto("organisations").values(org).execute();
    await appendAudit(
      trx,
      actor,
      { action: "organisation.created", objectType: "organisation", objectId: org.id, change: org },
      now
    );
    return org;
  });
}
async function findOrganisation(db, slug2) {
  const org = await db.selectFrom("organisations").selectAll().where("slug", "=", slug2).executeTakeFirst();
  if (!org) throw notFound(`no organisation with slug '${slug2}'`);
  return org;
}
async function listOrganisations(db) {
  return db.selectFrom("organisations").selectAll().orderBy("slug").execute();
}
function assertManages(actor, orgId) {
  if (actor.type === "system") return;
  if (actor.orgKind === "platform" && actor.roles.includes("admin")) return;
  if (actor.orgId === orgId && actor.roles.includes("flagger_admin")) return;
  throw forbidden("you may manage only your own organisation");
}

// src/identity/api-keys.ts
async function createApiKey(db, actor, input, now) {
  const org = await findOrganisation(db, input.org);
  assertManages(actor, org.id);
  const allowed2 = keyScopesForOrgKind(org.kind);
  const scopes = input.scopes ?? [...allowed2];
  const wrong = scopes.filter((s) => !allowed2.includes(s));
  if (wrong.length > 0) {
    throw invalid(
      `a key of a ${org.kind} organisation cannot carry ${wrong.join(", ")}; allowed: ${allowed2.join(", ")}`,
      [{ pointer: "/scopes", detail: `not allowed: ${wrong.join(", ")}` }]
    );
  }
  if (scopes.length === 0)
    throw invalid("a key needs at least one scope", [{ pointer: "/scopes", detail: "empty" }]);
  if (input.expires_at && input.expires_at <= now) {
    throw invalid("expires_at must be in the future", [{ pointer: "/expires_at", detail: "in the past" }]);
  }
  const generated = generateApiKey();
  const row = {
    id: newId(),
    org_id: org.id,
    name: input.name,
    prefix: generated.prefix,
    secret_hash: generated.secretHash,
    scopes,
    expires_at: input.expires_at ?? null,
    created_by: actor.type === "system" ? null : actor.id,
    created_at: now
  };
  await transact(db, async (trx) => {
    await trx.insertInto("api_keys").values(row).execute();
    const { secret_hash: _, ...change } = row;
    await appendAudit(
      trx,
      actor,
      { action: "api_key.created", objectType: "api_key", objectId: row.id, change },
      now
    );
  });
  return {
    key: generated.key,
    view: { ...row, org: org.slug, revoked_at: null, last_used_at: null }
  };
}
async function listApiKeys(db, actor, orgSlug) {
  const org = await findOrganisation(db, orgSlug);
  assertManages(actor, org.id);
  const rows2 = await db.selectFrom("api_keys").select(["id", "name", "prefix", "scopes", "expires_at", "revoked_at", "created_at", "last_used_at"]).where("org_id", "=", org.id).orderBy("created_at", "desc").execute();
  return rows2.map((row) => ({ ...row, org: org.slug }));
}
async function revokeApiKey(db, actor, idOrPrefix, now) {
  const revoked = await transact(db, async (trx) => {
    const column = /^[0-9a-f-]{36}$/i.test(idOrPrefix) ? "api_keys.id" : "api_keys.prefix";
    const key = await trx.selectFrom("api_keys").innerJoin("organisations", "organisations.id", "api_keys.org_id").select([
      "api_keys.id",
      "api_keys.org_id",
      "organisations.slug as org",
      "api_keys.name",
      "prefix",
      "scopes",
      "expires_at",
      "revoked_at",
      "api_keys.created_at",
      "last_used_at"
    ]).where(column, "=", idOrPrefix.replace(/^tapis_/, "").split("_")[0]).executeTakeFirst();
    if (!key) throw notFound(`no API key ${idOrPrefix}`);
    assertManages(actor, key.org_id);
    if (key.revoked_at) return key;
    await trx.updateTable("api_keys").set({ revoked_at: now }).where("id", "=", key.id).execute();
    await announceKeyRevocation(trx);
    await appendAudit(
      trx,
      actor,
      { action: "api_key.revoked", objectType: "api_key", objectId: key.id, change: { revoked_at: now } },
      now
    );
    return { ...key, revoked_at: now };
  });
  forgetApiKeys(db);
  return revoked;
}

// src/identity/passwords.ts
import { randomBytes as randomBytes2, scrypt, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
var N = 2 ** 15;
var R = 8;
var P = 1;
var KEY_LENGTH = 32;
function derive(password, salt, n, r, p) {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 256 * n * r },
      (error, key) => error ? reject(error) : resolve(key)
    );
  });
}
async function hashPassword(password) {
  const salt = randomBytes2(16);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}
async function verifyPassword(password, stored) {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual2(actual, expected);
}
var UNUSABLE_PASSWORD_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(KEY_LENGTH).toString("base64url")}`;
function generatePassword() {
  return randomBytes2(15).toString("base64url");
}

// src/identity/users.ts
async function createUser(db, actor, input, now) {
  const org = await findOrganisation(db, input.org);
  assertManages(actor, org.id);
  const allowed2 = rolesForOrgKind(org.kind);
  const wrong = input.roles.filter((role) => !allowed2.includes(role));
  if (wrong.length > 0) {
    throw invalid(
      `a user of a ${org.kind} organisation cannot hold ${wrong.join(", ")}; allowed: ${allowed2.join(", ")}`,
      [{ pointer: "/roles", detail: `not allowed for a ${org.kind} organisation: ${wrong.join(", ")}` }]
    );
  }
  if (actor.type === "user" && actor.orgKind !== "platform" && input.roles.some((r) => r === "auditor")) {
    throw invalid("only a platform admin may create auditors", [
      { pointer: "/roles", detail: "auditor needs a platform admin" }
    ]);
  }
  const generated = input.password === void 0 ? generatePassword() : null;
  const user2 = {
    id: newId(),
    org_id: org.id,
    email: input.email.toLowerCase(),
    display_name: input.display_name,
    password_hash: await hashPassword(input.password ?? generated),
    roles: input.roles,
    languages: input.languages ?? [],
    jurisdictions: input.jurisdictions ?? [],
    created_at: now
  };
  await transact(db, async (trx) => {
    const taken2 = await trx.selectFrom("users").select("id").where("email", "=", user2.email).executeTakeFirst();
    if (taken2) throw conflict(`a user with e-mail ${user2.email} already exists`);
    await trx.insertInto("users").values(user2).execute();
    const { password_hash: _, ...change } = user2;
    await appendAudit(
      trx,
      actor,
      { action: "user.created", objectType: "user", objectId: user2.id, change },
      now
    );
  });
  return {
    user: { ...user2, org: org.slug, disabled: false },
    password: generated
  };
}
async function listUsers(db, actor, orgSlug) {
  let query = db.selectFrom("users").innerJoin("organisations", "organisations.id", "users.org_id").select([
    "users.id",
    "users.org_id",
    "organisations.slug as org",
    "users.email",
    "users.display_name",
    "users.roles",
    "users.languages",
    "users.jurisdictions",
    "users.disabled_at",
    "users.created_at"
  ]).orderBy("users.email");
  if (!seesAllOrganisations(actor)) query = query.where("users.org_id", "=", actor.orgId);
  if (orgSlug) query = query.where("organisations.slug", "=", orgSlug);
  const rows2 = await query.execute();
  return rows2.map(({ disabled_at, ...row }) => ({ ...row, disabled: disabled_at !== null }));
}
async function disableUser(db, actor, userId, now) {
  await transact(db, async (trx) => {
    const user2 = await trx.selectFrom("users").select(["id", "org_id"]).where("id", "=", userId).executeTakeFirst();
    if (!user2) throw notFound(`no user with id ${userId}`);
    assertManages(actor, user2.org_id);
    await trx.updateTable("users").set({ disabled_at: now }).where("id", "=", userId).execute();
    await trx.updateTable("sessions").set({ revoked_at: now }).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
    await appendAudit(
      trx,
      actor,
      { action: "user.disabled", objectType: "user", objectId: userId, change: { disabled_at: now } },
      now
    );
  });
}

// src/cli/commands/identity.ts
function register4(program2) {
  const org = program2.command("org").description("organisations");
  org.command("create").description("create an organisation").requiredOption("--slug <slug>", "short name used in URLs, e.g. komdigi").requiredOption("--name <name>", "full name").requiredOption("--kind <kind>", `one of ${orgKinds.join(", ")}`).option("--status <status>", "flagger status: trusted, regular or suspended (flagger organisations)").option(
    "--designated-by <authority>",
    "who designated a trusted flagger (required with --status trusted)"
  ).option("--email <email>", "contact e-mail").action(
    async (o) => {
      if (!orgKinds.includes(o.kind))
        throw new Error(`--kind must be one of ${orgKinds.join(", ")}`);
      if (o.status && !["trusted", "regular", "suspended"].includes(o.status))
        throw new Error("--status must be trusted, regular or suspended");
      const created = await withStore(
        (store) => createOrganisation(
          store.db,
          cliActor,
          {
            slug: o.slug,
            name: o.name,
            kind: o.kind,
            flagger_status: o.status,
            designated_by: o.designatedBy,
            contact_email: o.email
          },
          /* @__PURE__ */ new Date()
        )
      );
      printJson(created);
    }
  );
  program2.command("user").description("users").command("create").description("create a user; prints a generated password once unless --password is given").requiredOption("--org <slug>", "organisation").requiredOption("--email <email>", "login e-mail").requiredOption("--name <name>", "display name").requiredOption(
    "--roles <roles>",
    "comma-separated: admin, lead, reviewer, auditor, flagger_admin, flagger",
    list
  ).option("--languages <codes>", "comma-separated ISO 639 codes, e.g. id,en", list).option("--jurisdictions <codes>", "comma-separated ISO 3166 codes, e.g. ID", list).option("--password <password>", "initial password (prefer the generated one)").action(
    async (o) => {
      const wrong = o.roles.filter((r) => !isRole(r));
      if (wrong.length) throw new Error(`unknown role(s): ${wrong.join(", ")}`);
      const created = await withStore(
        (store) => createUser(
          store.db,
          cliActor,
          {
            org: o.org,
            email: o.email,
            display_name: o.name,
            roles: o.roles,
            languages: o.languages,
            jurisdictions: o.jurisdictions,
            password: o.password
          },
          /* @__PURE__ */ new Date()
        )
      );
      printJson(created);
    }
  );
  const key = program2.command("key").description("API keys");
  key.command("create").description("create an API key for an organisation and print it once").requiredOption("--org <slug>", "organisation").option("--name <name>", "what the key is for", "cli").option(
    "--scopes <scopes>",
    "comma-separated permissions (default: all that the organisation may hold)",
    list
  ).option("--expires <date>", "expiry, e.g. 2027-12-31 or 2027-12-31T00:00:00Z").option("--json", "print the key and its record as JSON").action(async (o) => {
    const expires = o.expires ? new Date(o.expires) : null;
    if (expires && Number.isNaN(expires.getTime()))
      throw new Error(`--expires: '${o.expires}' is not a date`);
    const created = await withStore(
      (store) => createApiKey(
        store.db,
        cliActor,
        { org: o.org, name: o.name, scopes: o.scopes, expires_at: expires },
        /* @__PURE__ */ new Date()
      )
    );
    if (o.json) printJson({ key: created.key, api_key: created.view });
    else {
      process.stdout.write(`${created.key}
`);
      process.stderr.write(
        `key ${created.view.prefix} for ${o.org} (scopes: ${created.view.scopes.join(", ")}). It is shown this once: store it now.
`
      );
    }
  });
  key.command("revoke").description("revoke an API key by id or prefix").argument("<key>", "the key id, its prefix, or the key itself").action(async (idOrPrefix) => {
    const revoked = await withStore((store) => revokeApiKey(store.db, cliActor, idOrPrefix, /* @__PURE__ */ new Date()));
    process.stdout.write(`revoked ${revoked.prefix} (${revoked.name}) of ${revoked.org}
`);
  });
}

// src/cli/commands/match.ts
import { createReadStream as createReadStream2 } from "node:fs";
import { createInterface } from "node:readline";
import { parse as parse2 } from "csv-parse";

// src/screening/matching/pdq-chunks.ts
var CHUNK_COUNT = 11;
var IDEAL_WIDTHS = [24, 24, 24, 24, 23, 23, 23, 23, 23, 23, 22];
var MAX_LOW_BITS = 8;
var MAX_SEGMENT_ROWS = 2 ** 24;
var ROWS_PER_BLOCK_BITS = 2;
var MIN_DIRECTORY_BITS = 2;
function layoutOf(directoryBits, widths) {
  const offsets = [];
  let at = 0;
  for (const width of widths) {
    offsets.push(at);
    at += width;
  }
  if (at > 256) throw new RangeError(`chunks of ${widths.join("+")} bits exceed 256`);
  for (const width of widths) {
    if (width < directoryBits || width > directoryBits + MAX_LOW_BITS || width > 32)
      throw new RangeError(`a ${width}-bit chunk does not fit a ${directoryBits}-bit directory`);
  }
  return { directoryBits, widths, offsets };
}
function chunkLayoutFor(size, maxWidth = 32) {
  const wanted = Math.ceil(Math.log2(Math.max(2, size))) - ROWS_PER_BLOCK_BITS;
  const directoryBits = Math.max(MIN_DIRECTORY_BITS, Math.min(wanted, maxWidth, 21));
  const widths = IDEAL_WIDTHS.map((ideal) => Math.min(ideal, maxWidth, directoryBits + MAX_LOW_BITS));
  return layoutOf(directoryBits, widths);
}
function chunkKey(words2, offset, bit, width) {
  const word = bit >>> 5;
  const shift = bit & 31;
  let key = words2[offset + word] >>> shift;
  if (shift + width > 32) key |= words2[offset + word + 1] << 32 - shift;
  return width === 32 ? key >>> 0 : (key & (1 << width) - 1) >>> 0;
}
function chunkThresholds(radius, chunks = CHUNK_COUNT) {
  const needed = radius + 1;
  const base = Math.floor(needed / chunks);
  const extra = needed % chunks;
  const thresholds = new Int32Array(chunks);
  for (let i = 0; i < chunks; i++) thresholds[i] = base - 1 + (i < extra ? 1 : 0);
  return thresholds;
}
function binomial(n, k) {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = result * (n - k + i) / i;
  return Math.round(result);
}
function ballSize(bits, threshold) {
  let total = 0;
  for (let k = 0; k <= threshold; k++) total += binomial(bits, k);
  return total;
}
function flipMasks(bits, maxWeight) {
  const masks = new Uint32Array(ballSize(bits, maxWeight));
  let count = 0;
  const extend = (mask, from, remaining) => {
    if (remaining === 0) {
      masks[count++] = mask >>> 0;
      return;
    }
    for (let bit = from; bit < bits; bit++) extend(mask | 1 << bit, bit + 1, remaining - 1);
  };
  for (let weight = 0; weight <= maxWeight; weight++) extend(0, 0, weight);
  return masks;
}

// src/screening/matching/pdq-kernel-common.ts
function emitLoadQuery(f) {
  f.get("query").load64(0).set("q0");
  f.get("query").load64(8).set("q1");
  f.get("query").load64(16).set("q2");
  f.get("query").load64(24).set("q3");
}
var QUERY_LOCALS = [
  ["q0", "i64"],
  ["q1", "i64"],
  ["q2", "i64"],
  ["q3", "i64"],
  ["ptr", "i32"],
  ["distance", "i32"]
];
function emitHalfDistance(f, offset, a, b) {
  f.get("ptr").load64(offset).get(a).xor64().popcnt64();
  f.get("ptr").load64(offset + 8).get(b).xor64().popcnt64();
  f.add64().wrap64();
}
function emitDistance(f) {
  emitHalfDistance(f, 0, "q0", "q1");
  f.set("distance");
  f.get("distance").get("radius").leU();
  f.ifThen((g) => {
    g.get("distance");
    emitHalfDistance(g, 16, "q2", "q3");
    g.add().set("distance");
  });
}
function emitRecordMatch(f, rowLocal) {
  f.get("outCount").get("outCap").geU();
  f.ifThen((x) => x.i32(-1).ret());
  f.get("out").get("outCount").i32(3).shl().add().get(rowLocal).store32(0);
  f.get("out").get("outCount").i32(3).shl().add().get("distance").store32(4);
  f.increment("outCount");
}

// src/screening/matching/wasm-assembler.ts
var VALUE_TYPE_CODE = { i32: 127, i64: 126, v128: 123 };
function unsignedLeb(value) {
  const out = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 127;
    rest >>>= 7;
    if (rest !== 0) byte |= 128;
    out.push(byte);
  } while (rest !== 0);
  return out;
}
function signedLeb(value) {
  const out = [];
  let rest = value | 0;
  for (; ; ) {
    const byte = rest & 127;
    rest >>= 7;
    if (rest === 0 && (byte & 64) === 0 || rest === -1 && (byte & 64) !== 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 128);
  }
}
function signedLeb64(value) {
  const out = [];
  let rest = BigInt.asIntN(64, value);
  for (; ; ) {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest === 0n && (byte & 64) === 0 || rest === -1n && (byte & 64) !== 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 128);
  }
}
function name(text4) {
  const bytes = [...new TextEncoder().encode(text4)];
  return [...unsignedLeb(bytes.length), ...bytes];
}
function vector(items) {
  return [...unsignedLeb(items.length), ...items.flat()];
}
function section(id, body) {
  return [id, ...unsignedLeb(body.length), ...body];
}
var FunctionBody = class {
  constructor(exportName, params8, results, locals) {
    this.exportName = exportName;
    this.params = params8;
    this.results = results;
    for (const [key] of params8) this.slots.set(key, this.slots.size);
    for (const [key, type] of locals) {
      this.slots.set(key, this.slots.size);
      this.locals.push(type);
    }
  }
  exportName;
  params;
  results;
  code = [];
  slots = /* @__PURE__ */ new Map();
  locals = [];
  slot(key) {
    const index = this.slots.get(key);
    if (index === void 0) throw new Error(`${this.exportName}: no local named '${key}'`);
    return index;
  }
  emit(...bytes) {
    this.code.push(...bytes);
    return this;
  }
  get(key) {
    return this.emit(32, ...unsignedLeb(this.slot(key)));
  }
  set(key) {
    return this.emit(33, ...unsignedLeb(this.slot(key)));
  }
  tee(key) {
    return this.emit(34, ...unsignedLeb(this.slot(key)));
  }
  i32(value) {
    return this.emit(65, ...signedLeb(value));
  }
  i64(value) {
    return this.emit(66, ...signedLeb64(value));
  }
  /** Pushes a local plus a constant: the common "pointer + offset" and "counter + 1". */
  getPlus(key, value) {
    return this.get(key).i32(value).add();
  }
  /** local += value */
  increment(key, value = 1) {
    return this.getPlus(key, value).set(key);
  }
  load32(offset = 0) {
    return this.emit(40, 2, ...unsignedLeb(offset));
  }
  load64(offset = 0) {
    return this.emit(41, 3, ...unsignedLeb(offset));
  }
  /** A 64-bit load from any byte address (alignment hint 1). */
  load64Unaligned(offset = 0) {
    return this.emit(41, 0, ...unsignedLeb(offset));
  }
  store32(offset = 0) {
    return this.emit(54, 2, ...unsignedLeb(offset));
  }
  add() {
    return this.emit(106);
  }
  sub() {
    return this.emit(107);
  }
  mul() {
    return this.emit(108);
  }
  eqz() {
    return this.emit(69);
  }
  and() {
    return this.emit(113);
  }
  xor() {
    return this.emit(115);
  }
  shl() {
    return this.emit(116);
  }
  shrU() {
    return this.emit(118);
  }
  ne() {
    return this.emit(71);
  }
  eq() {
    return this.emit(70);
  }
  /** Signed a ≤ b. */
  leS() {
    return this.emit(76);
  }
  popcnt() {
    return this.emit(105);
  }
  /** Unsigned comparisons: a < b, a ≤ b, a ≥ b. */
  ltU() {
    return this.emit(73);
  }
  gtS() {
    return this.emit(74);
  }
  gtU() {
    return this.emit(75);
  }
  leU() {
    return this.emit(77);
  }
  geU() {
    return this.emit(79);
  }
  xor64() {
    return this.emit(133);
  }
  and64() {
    return this.emit(131);
  }
  sub64() {
    return this.emit(125);
  }
  shl64() {
    return this.emit(134);
  }
  popcnt64() {
    return this.emit(123);
  }
  add64() {
    return this.emit(124);
  }
  wrap64() {
    return this.emit(167);
  }
  extendU() {
    return this.emit(173);
  }
  shrU64() {
    return this.emit(136);
  }
  // 128-bit SIMD (0xFD prefix, then the operation's number as LEB128; final numbering of the
  // fixed-width SIMD proposal, part of WebAssembly 2.0).
  simd(op, ...immediates) {
    return this.emit(253, ...unsignedLeb(op), ...immediates);
  }
  /** A 128-bit load from any byte address (alignment hint 1). */
  v128Load(offset = 0) {
    return this.simd(0, 0, ...unsignedLeb(offset));
  }
  v128Store(offset = 0) {
    return this.simd(11, 0, ...unsignedLeb(offset));
  }
  /** Picks bytes of the first vector by the indexes in the second (an index ≥ 16 gives 0). */
  i8x16Swizzle() {
    return this.simd(14);
  }
  i32x4Splat() {
    return this.simd(17);
  }
  /** Lane-wise a = b: all ones where true. */
  i32x4Eq() {
    return this.simd(55);
  }
  /** Lane-wise signed a > b: all ones where true (one instruction on x86, unlike unsigned). */
  i32x4GtS() {
    return this.simd(59);
  }
  v128And() {
    return this.simd(78);
  }
  v128Xor() {
    return this.simd(81);
  }
  /** The population count of each byte. */
  i8x16Popcnt() {
    return this.simd(98);
  }
  /** An i32 whose bit k is the top bit of lane k. */
  i32x4Bitmask() {
    return this.simd(164);
  }
  /** block … end: `br 0` inside (outside any nested construct) jumps past the end. */
  block(inner) {
    this.emit(2, 64);
    inner(this);
    return this.emit(11);
  }
  /** loop … end: `br 0` inside jumps back to the start. */
  loop(inner) {
    this.emit(3, 64);
    inner(this);
    return this.emit(11);
  }
  /** if … end, on the i32 on the stack. */
  ifThen(inner) {
    this.emit(4, 64);
    inner(this);
    return this.emit(11);
  }
  br(depth) {
    return this.emit(12, ...unsignedLeb(depth));
  }
  brIf(depth) {
    return this.emit(13, ...unsignedLeb(depth));
  }
  ret() {
    return this.emit(15);
  }
};
function assembleModule(functions) {
  const types = functions.map((f) => [
    96,
    ...vector(f.params.map(([, type]) => [VALUE_TYPE_CODE[type]])),
    ...vector(f.results.map((type) => [VALUE_TYPE_CODE[type]]))
  ]);
  const memoryImport = [...name("env"), ...name("memory"), 2, 0, ...unsignedLeb(1)];
  const codes = functions.map((f) => {
    const runs = [];
    for (const type of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === VALUE_TYPE_CODE[type]) last[0] = last[0] + 1;
      else runs.push([1, VALUE_TYPE_CODE[type]]);
    }
    const body = [
      ...vector(runs.map(([count, code2]) => [...unsignedLeb(count), code2])),
      ...f.code,
      11
    ];
    return [...unsignedLeb(body.length), ...body];
  });
  return new Uint8Array([
    0,
    97,
    115,
    109,
    1,
    0,
    0,
    0,
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.exportName), 0, ...unsignedLeb(i)]))),
    ...section(10, vector(codes))
  ]);
}

// src/screening/matching/pdq-probe-kernel.ts
var SEEN_BITS = 14;
var PLAN = {
  /** The query's chunk value, and its directory bits (key >> lowBits) and stored low bits. */
  key: 0,
  keyHigh: 4,
  keyLow: 8,
  /** Mask of the chunk bits kept in each table entry (below the row number). */
  lowMask: 12,
  /** Addresses of the chunk's directory and entries (see pdq-tables.ts). */
  directoryAt: 16,
  entriesAt: 20,
  /** Directory blocks to read: the first `masks` flip masks of the directory bits. */
  masks: 24,
  threshold: 28,
  /** Where the chunk lies in a hash: its first bit, and a mask of its width. */
  bitOffset: 32,
  widthMask: 36,
  /** Written by the kernel: where this chunk's candidates lie in the candidate list (addresses). */
  candidatesStart: 40,
  candidatesEnd: 44,
  bytes: 48
};
function probeKernel() {
  const f = new FunctionBody(
    "probe",
    [
      ["hashes", "i32"],
      ["plan", "i32"],
      ["chunks", "i32"],
      ["masks", "i32"],
      ["query", "i32"],
      ["radius", "i32"],
      ["records", "i32"],
      ["cands", "i32"],
      ["candCap", "i32"],
      ["out", "i32"],
      ["outCap", "i32"],
      ["shuffles", "i32"],
      ["lanes", "i32"],
      ["weightEnds", "i32"],
      ["runEnds", "i32"],
      ["seen", "i32"],
      ["generation", "i32"],
      ["dedupeMin", "i32"]
    ],
    ["i32"],
    [
      ...QUERY_LOCALS,
      ["candPtr", "i32"],
      ["kept", "i32"],
      ["items", "v128"],
      ["keyLows", "v128"],
      ["lowMasks", "v128"],
      ["laneIndexes", "v128"],
      ["budgets", "v128"],
      ["weight", "i32"],
      ["runEnd", "i32"],
      ["total", "i32"],
      ["key", "i32"],
      ["candidate", "i32"],
      ["previous", "i32"],
      ["seenSlot", "i32"],
      ["writePtr", "i32"],
      ["recPtr", "i32"],
      ["runPtr", "i32"],
      ["threshold", "i32"],
      ["chunk", "i32"],
      ["entry", "i32"],
      ["i", "i32"],
      ["first", "i32"],
      ["start", "i32"],
      ["end", "i32"],
      ["row", "i32"],
      ["outCount", "i32"],
      ["earlier", "i32"],
      ["other", "i32"],
      ["bit", "i32"],
      ["found", "i32"],
      ["touched", "i32"],
      ["slot", "i32"],
      ["keyHigh", "i32"],
      ["directoryAt", "i32"],
      ["entriesAt", "i32"],
      ["budget", "i32"],
      ["mask", "i32"],
      ["masksEnd", "i32"]
    ]
  );
  const forEachChunk = (body) => {
    f.i32(0).set("chunk");
    f.block(
      (outer) => outer.loop((loop) => {
        loop.get("chunk").get("chunks").geU().brIf(1);
        loop.get("plan").get("chunk").i32(PLAN.bytes).mul().add().set("entry");
        body(loop);
        loop.increment("chunk").br(0);
      })
    );
  };
  const loopUpTo = (g, counter, limit, body) => {
    g.block(
      (outer) => outer.loop((loop) => {
        loop.get(counter);
        limit();
        loop.geU().brIf(1);
        body(loop);
        loop.increment(counter).br(0);
      })
    );
  };
  f.i32(0).set("touched");
  forEachChunk((g) => {
    g.get("entry").load32(PLAN.keyHigh).set("keyHigh");
    g.get("entry").load32(PLAN.directoryAt).set("directoryAt");
    g.get("masks").get("entry").load32(PLAN.masks).i32(2).shl().add().set("masksEnd");
    g.get("masks").set("mask");
    g.block(
      (outer) => outer.loop((h) => {
        h.get("mask").get("masksEnd").geU().brIf(1);
        emitSlot(h);
        h.get("touched").get("slot").load32(0).xor().set("touched");
        h.increment("mask", 4).br(0);
      })
    );
  });
  f.get("query").get("touched").store32(32);
  f.get("records").set("recPtr").get("runEnds").set("runPtr").i32(0).set("total");
  forEachChunk((g) => {
    g.get("entry").load32(PLAN.keyHigh).set("keyHigh");
    g.get("entry").load32(PLAN.directoryAt).set("directoryAt");
    g.get("entry").load32(PLAN.entriesAt).set("entriesAt");
    g.get("entry").load32(PLAN.threshold).set("threshold");
    g.get("masks").set("mask");
    forEachRun(g, (run2) => {
      run2.get("weightEnds").get("weight").i32(2).shl().add().load32(0);
      run2.i32(2).shl().get("masks").add().set("masksEnd");
      run2.block(
        (outer) => outer.loop((h) => {
          h.get("mask").get("masksEnd").geU().brIf(1);
          emitSlot(h);
          h.get("slot").load32(0).i32(2).shl().get("entriesAt").add().set("start");
          h.get("slot").load32(4).i32(2).shl().get("entriesAt").add().set("end");
          h.get("total").get("end").add().get("start").sub().tee("total");
          h.get("candCap").i32(2).shl().i32(16).sub().gtU();
          h.ifThen((full) => full.i32(-1).ret());
          h.get("recPtr").get("start").store32(0);
          h.get("recPtr").get("end").store32(4);
          h.get("recPtr").get("start").i32(16).add().store32(8);
          h.get("recPtr").get("end").store32(12);
          h.get("recPtr").i32(8).add();
          h.get("end").get("start").sub().i32(16).gtS().i32(3).shl();
          h.add().set("recPtr");
          h.get("end").get("start").sub().i32(32).gtS();
          h.ifThen((large) => {
            large.get("start").i32(32).add().set("first");
            large.block(
              (rest) => rest.loop((more) => {
                more.get("first").get("end").geU().brIf(1);
                more.get("recPtr").get("first").store32(0);
                more.get("recPtr").get("end").store32(4);
                more.increment("recPtr", 8).increment("first", 16).br(0);
              })
            );
          });
          h.increment("mask", 4).br(0);
        })
      );
      run2.get("runPtr").get("recPtr").store32(0);
    });
  });
  f.i32(0).set("touched").get("records").set("i");
  loopUpTo(
    f,
    "i",
    () => f.get("recPtr"),
    (h) => {
      h.get("touched").get("i").load32(0).tee("start").load32(0).xor();
      h.get("start").load32(12).xor().set("touched");
      h.increment("i", 7);
    }
  );
  f.get("query").get("touched").store32(36);
  f.get("cands").set("candPtr");
  f.get("lanes").v128Load(0).set("laneIndexes");
  f.get("records").set("i").get("runEnds").set("runPtr");
  forEachChunk((g) => {
    g.get("entry").get("candPtr").store32(PLAN.candidatesStart);
    g.get("entry").load32(PLAN.keyLow).i32x4Splat().set("keyLows");
    g.get("entry").load32(PLAN.lowMask).i32x4Splat().set("lowMasks");
    g.get("entry").load32(PLAN.threshold).set("threshold");
    forEachRun(g, (run2) => {
      run2.get("runPtr").load32(0).set("runEnd");
      run2.get("threshold").get("weight").sub().tee("budget");
      run2.ifThen((some) => {
        some.get("budget").i32(1).add().i32x4Splat().set("budgets");
        emitRecordRun(some, emitFilterWithinBudget);
      });
      run2.get("budget").eqz();
      run2.ifThen((none) => emitRecordRun(none, emitFilterEqual));
    });
    g.get("entry").get("candPtr").store32(PLAN.candidatesEnd);
  });
  f.get("candPtr").get("cands").sub().get("dedupeMin").i32(2).shl().gtU();
  f.ifThen((crowded) => {
    crowded.get("cands").set("writePtr");
    forEachChunk((g) => {
      g.get("entry").load32(PLAN.candidatesStart).set("i");
      g.get("entry").load32(PLAN.candidatesEnd).set("end");
      g.get("entry").get("writePtr").store32(PLAN.candidatesStart);
      g.block(
        (outer) => outer.loop((h) => {
          h.get("i").get("end").geU().brIf(1);
          h.get("i").load32(0).set("candidate");
          h.get("candidate").i32(-256).and().get("generation").add().set("key");
          h.get("seen");
          h.get("candidate").i32(8).shrU().i32(-1640531535).mul().i32(32 - SEEN_BITS).shrU().i32(2).shl();
          h.add().set("seenSlot");
          h.get("seenSlot").load32(0).set("previous");
          h.get("seenSlot").get("key").store32(0);
          h.get("writePtr").get("candidate").store32(0);
          h.get("writePtr").get("previous").get("key").ne().i32(2).shl().add().set("writePtr");
          h.increment("i", 4).br(0);
        })
      );
      g.get("entry").get("writePtr").store32(PLAN.candidatesEnd);
    });
    crowded.get("writePtr").set("candPtr");
  });
  f.i32(0).set("touched").get("cands").set("i");
  loopUpTo(
    f,
    "i",
    () => f.get("candPtr"),
    (h) => {
      h.get("touched");
      h.get("i").load32(0).i32(8).shrU().i32(5).shl().get("hashes").add().load32(0);
      h.xor().set("touched");
      h.increment("i", 3);
    }
  );
  f.get("query").get("touched").store32(40);
  emitLoadQuery(f);
  f.i32(0).set("outCount");
  forEachChunk((g) => {
    g.get("entry").load32(PLAN.candidatesStart).set("i");
    loopUpTo(
      g,
      "i",
      () => g.get("entry").load32(PLAN.candidatesEnd),
      (h) => {
        h.get("i").load32(0).i32(8).shrU().tee("row");
        h.i32(5).shl().get("hashes").add().set("ptr");
        emitDistance(h);
        h.get("distance").get("radius").leU();
        h.ifThen((match) => {
          emitFoundEarlier(match);
          match.get("found").eqz();
          match.ifThen((record2) => emitRecordMatch(record2, "row"));
        });
        h.increment("i", 3);
      }
    );
  });
  f.get("outCount");
  return f;
}
function forEachRun(f, body) {
  f.i32(0).set("weight");
  f.block(
    (outer) => outer.loop((run2) => {
      run2.get("weight").get("threshold").gtS().brIf(1);
      body(run2);
      run2.increment("runPtr", 4).increment("weight").br(0);
    })
  );
}
function emitSlot(f) {
  f.get("directoryAt").get("keyHigh").get("mask").load32(0).xor().i32(2).shl().add().set("slot");
}
function emitRecordRun(f, filter) {
  f.block(
    (outer) => outer.loop((records) => {
      records.get("i").get("runEnd").geU().brIf(1);
      records.get("i").load32(0).set("start");
      records.get("i").load32(4).set("end");
      filter(records);
      emitPackKept(records);
      records.increment("i", 8).br(0);
    })
  );
}
function emitInBlock(f) {
  f.get("end").get("start").sub().i32(2).shrU().i32x4Splat().get("laneIndexes").i32x4GtS();
}
function emitFilterEqual(f) {
  f.get("start").v128Load(0).tee("items").get("lowMasks").v128And().get("keyLows").i32x4Eq();
  emitInBlock(f);
  f.v128And().i32x4Bitmask().set("kept");
}
function emitFilterWithinBudget(f) {
  f.get("budgets");
  f.get("start").v128Load(0).tee("items").get("keyLows").v128Xor().get("lowMasks").v128And().i8x16Popcnt();
  f.i32x4GtS();
  emitInBlock(f);
  f.v128And().i32x4Bitmask().set("kept");
}
function emitPackKept(f) {
  f.get("candPtr");
  f.get("items").get("shuffles").get("kept").i32(4).shl().add().v128Load(0).i8x16Swizzle();
  f.v128Store(0);
  f.get("candPtr").get("kept").popcnt().i32(2).shl().add().set("candPtr");
}
function packShuffles() {
  const table2 = new Uint8Array(16 * 16).fill(128);
  for (let kept2 = 0; kept2 < 16; kept2++) {
    let to = 0;
    for (let lane = 0; lane < 4; lane++) {
      if ((kept2 & 1 << lane) === 0) continue;
      for (let b = 0; b < 4; b++) table2[kept2 * 16 + to * 4 + b] = lane * 4 + b;
      to++;
    }
  }
  return table2;
}
var LANE_INDEXES = Uint32Array.from([0, 1, 2, 3]);
function emitFoundEarlier(f) {
  f.i32(0).set("found").i32(0).set("earlier");
  f.block(
    (outer) => outer.loop((loop) => {
      loop.get("earlier").get("chunk").geU().brIf(1);
      loop.get("plan").get("earlier").i32(PLAN.bytes).mul().add().set("other");
      loop.get("other").load32(PLAN.bitOffset).set("bit");
      loop.get("ptr").get("bit").i32(3).shrU().add().load64Unaligned(0);
      loop.get("bit").i32(7).and().extendU().shrU64().wrap64();
      loop.get("other").load32(PLAN.widthMask).and();
      loop.get("other").load32(PLAN.key).xor().popcnt();
      loop.get("other").load32(PLAN.threshold).leS();
      loop.ifThen((hit) => hit.i32(1).set("found").br(2));
      loop.increment("earlier").br(0);
    })
  );
}

// src/screening/matching/pdq-scan-kernel.ts
function emitCheckAndRecord(f, rowLocal) {
  emitHalfDistance(f, 0, "q0", "q1");
  f.tee("distance").get("radius").leU();
  f.ifThen((g) => {
    g.get("distance");
    emitHalfDistance(g, 16, "q2", "q3");
    g.add().tee("distance").get("radius").leU();
    g.ifThen((h) => emitRecordMatch(h, rowLocal));
  });
}
function scanKernel() {
  const f = new FunctionBody(
    "scan",
    [
      ["hashes", "i32"],
      ["first", "i32"],
      ["end", "i32"],
      ["query", "i32"],
      ["radius", "i32"],
      ["out", "i32"],
      ["outCount", "i32"],
      ["outCap", "i32"]
    ],
    ["i32"],
    [...QUERY_LOCALS, ["row", "i32"]]
  );
  emitLoadQuery(f);
  f.get("first").set("row");
  f.get("hashes").get("first").i32(5).shl().add().set("ptr");
  f.block(
    (outer) => outer.loop((body) => {
      body.get("row").get("end").geU().brIf(1);
      emitCheckAndRecord(body, "row");
      body.increment("ptr", 32).increment("row").br(0);
    })
  );
  f.get("outCount");
  return f;
}

// src/screening/matching/wasm-runtime.ts
var api = globalThis.WebAssembly;
var WASM_PAGE = 65536;
function createMemory(pages, maximumPages = pages) {
  return new api.Memory({ initial: pages, maximum: maximumPages });
}
function compileModule(bytes) {
  return new api.Module(bytes);
}
function instantiate(module, memory) {
  return new api.Instance(module, { env: { memory } }).exports;
}

// src/screening/matching/pdq-kernels.ts
var compiled = null;
function instantiatePdqKernels(memory) {
  compiled ??= compileModule(assembleModule([scanKernel(), probeKernel()]));
  return instantiate(compiled, memory);
}

// src/screening/matching/pdq-scan-buffer.ts
var PdqScanBuffer = class {
  capacity;
  count = 0;
  memory;
  kernels;
  queryAt = 0;
  matchesAt = 64;
  hashesAt;
  words;
  constructor(capacity) {
    this.capacity = capacity;
    this.hashesAt = this.matchesAt + capacity * 8;
    const bytes = this.hashesAt + capacity * PDQ_WORDS * 4;
    this.memory = createMemory(Math.max(1, Math.ceil(bytes / WASM_PAGE)));
    this.kernels = instantiatePdqKernels(this.memory);
    this.words = new Uint32Array(this.memory.buffer);
  }
  get size() {
    return this.count;
  }
  get isFull() {
    return this.count >= this.capacity;
  }
  get byteLength() {
    return this.memory.buffer.byteLength;
  }
  /** Appends a hash (8 words from `offset`) and returns its row. */
  append(hash, offset = 0) {
    if (this.isFull) throw new RangeError("the scan buffer is full: freeze it into a segment first");
    const at = (this.hashesAt >>> 2) + this.count * PDQ_WORDS;
    this.words.set(hash.subarray(offset, offset + PDQ_WORDS), at);
    return this.count++;
  }
  /** The hashes appended so far, row-major. */
  get hashes() {
    return this.words.subarray(this.hashesAt >>> 2, (this.hashesAt >>> 2) + this.count * PDQ_WORDS);
  }
  clear() {
    this.count = 0;
  }
  search(query, radius, visit) {
    if (this.count === 0 || radius < 0) return;
    this.words.set(query.subarray(0, PDQ_WORDS), this.queryAt >>> 2);
    const found = this.kernels.scan(
      this.hashesAt,
      0,
      this.count,
      this.queryAt,
      radius,
      this.matchesAt,
      0,
      this.capacity
    );
    const matches = this.words.subarray(this.matchesAt >>> 2, (this.matchesAt >>> 2) + found * 2);
    for (let i = 0; i < found; i++) visit(matches[2 * i], matches[2 * i + 1]);
  }
};

// src/screening/matching/pdq-tables.ts
var SORT_LOW_BITS = 12;
var PADDING = 16;
function align(value, to) {
  return Math.ceil(value / to) * to;
}
function tableBytes(count, directoryBits) {
  return align((2 ** directoryBits + 1) * 4, 64) + count * 4 + PADDING;
}
function tableScratch(count, layout) {
  const widest = Math.max(...layout.widths);
  return {
    grouped: new Uint32Array(count),
    lowKeys: new Uint16Array(count),
    highStarts: new Uint32Array(2 ** Math.max(0, widest - SORT_LOW_BITS) + 1),
    lowCounts: new Uint32Array(2 ** Math.min(widest, SORT_LOW_BITS) + 1)
  };
}
function writeTable(memory, at, hashes, count, layout, chunk, scratch2) {
  const width = layout.widths[chunk];
  const bit = layout.offsets[chunk];
  const blocks = 2 ** layout.directoryBits;
  const entryLowBits = width - layout.directoryBits;
  const entryLowMask = (1 << entryLowBits) - 1;
  const directoryAt = at;
  const entriesAt = align(at + (blocks + 1) * 4, 64);
  const directory = new Uint32Array(memory, directoryAt, blocks + 1);
  const entries = new Uint32Array(memory, entriesAt, count);
  const { grouped, lowKeys, highStarts, lowCounts } = scratch2;
  const sortLowBits = Math.min(width, SORT_LOW_BITS);
  const sortLowMask = (1 << sortLowBits) - 1;
  const groups = 2 ** (width - sortLowBits);
  highStarts.fill(0, 0, groups + 1);
  for (let row = 0; row < count; row++) {
    const high = chunkKey(hashes, row * PDQ_WORDS, bit, width) >>> sortLowBits;
    highStarts[high + 1] = highStarts[high + 1] + 1;
  }
  for (let g = 0; g < groups; g++)
    highStarts[g + 1] = highStarts[g + 1] + highStarts[g];
  const cursor = highStarts.slice(0, groups);
  for (let row = 0; row < count; row++) {
    const key = chunkKey(hashes, row * PDQ_WORDS, bit, width);
    const slot = cursor[key >>> sortLowBits];
    cursor[key >>> sortLowBits] = slot + 1;
    grouped[slot] = row;
    lowKeys[slot] = key & sortLowMask;
  }
  for (let g = 0; g < groups; g++) {
    const first = highStarts[g];
    const end = highStarts[g + 1];
    lowCounts.fill(0, 0, sortLowMask + 2);
    for (let i = first; i < end; i++) {
      const low = lowKeys[i];
      lowCounts[low + 1] = lowCounts[low + 1] + 1;
    }
    let position = first;
    for (let low = 0; low <= sortLowMask; low++) {
      const value = g * (sortLowMask + 1) + low;
      if ((value & entryLowMask) === 0) directory[value >>> entryLowBits] = position;
      const size = lowCounts[low + 1];
      lowCounts[low + 1] = position;
      position += size;
    }
    for (let i = first; i < end; i++) {
      const low = lowKeys[i];
      const slot = lowCounts[low + 1];
      lowCounts[low + 1] = slot + 1;
      entries[slot] = (grouped[i] << 8 | low & entryLowMask) >>> 0;
    }
  }
  directory[blocks] = count;
  return { directoryAt, entriesAt };
}

// src/screening/matching/pdq-segment.ts
var MASK_LIMIT = 65536;
var CANDIDATE_LIMIT = 1 << 18;
var MATCH_LIMIT = 1 << 17;
var BYTES_PER_HASH = PDQ_WORDS * 4;
var MAX_PAGES = 65536;
var COST_PER_BLOCK = 30;
var COST_PER_ENTRY = 1;
var COST_PER_CANDIDATE = 20;
var COST_PER_SCANNED_ROW = 4.5;
var DEDUPE_FLOOR = 256;
var SEEN_BYTES = 4 * 2 ** SEEN_BITS;
var PdqSegment = class {
  size;
  layout;
  /** A view of the hashes, row-major, 8 words a row. */
  hashes;
  /** Largest per-chunk threshold whose flip masks are stored. */
  maxThreshold;
  memory;
  kernels;
  queryAt = 0;
  planAt = 64;
  shufflesAt = align(64 + CHUNK_COUNT * PLAN.bytes, 64);
  lanesAt = this.shufflesAt + 256;
  /** How many flip masks weigh at most 0, 1, … maxThreshold bits (at most 17 of them). */
  weightEndsAt = this.lanesAt + 16;
  /** Where each run of blocks (chunk, weight) ends in the records (at most 11 × 17). */
  runEndsAt = this.lanesAt + 128;
  /** Rows seen in the current query (see the probe kernel's pass 4b), and its generation. */
  seenAt = this.runEndsAt + 1024;
  generation = 0;
  masksAt = this.seenAt + SEEN_BYTES;
  recordsAt;
  candidatesAt;
  candidateCap;
  matchesAt;
  matchCap;
  hashesAt;
  queryView;
  radiusPlans = /* @__PURE__ */ new Map();
  /** The per-chunk query plan the probe kernel reads (see PLAN). */
  plan;
  /** Builds the segment from `count` hashes packed 8 words each in `source` from word `start`. */
  constructor(source, start, count, options = {}) {
    if (count > MAX_SEGMENT_ROWS) throw new RangeError(`a segment holds at most ${MAX_SEGMENT_ROWS} rows`);
    const layout = options.layout ?? chunkLayoutFor(count);
    if (layout.widths.length !== CHUNK_COUNT) throw new RangeError(`a layout has ${CHUNK_COUNT} chunks`);
    this.size = count;
    this.layout = layout;
    const { directoryBits } = layout;
    let threshold = 0;
    while (threshold < directoryBits && ballSize(directoryBits, threshold + 1) <= MASK_LIMIT) threshold++;
    this.maxThreshold = threshold;
    const masks = flipMasks(directoryBits, threshold);
    this.candidateCap = Math.max(4, Math.min(CANDIDATE_LIMIT, count * CHUNK_COUNT + 4));
    this.matchCap = Math.max(1, Math.min(MATCH_LIMIT, count));
    this.recordsAt = align(this.masksAt + masks.length * 4, 64);
    const records = CHUNK_COUNT * masks.length + Math.ceil(this.candidateCap / 4) + 2;
    this.candidatesAt = align(this.recordsAt + records * 8, 64);
    this.matchesAt = align(this.candidatesAt + this.candidateCap * 4, 64);
    this.hashesAt = align(this.matchesAt + this.matchCap * 8, 64);
    const tablesAt = align(this.hashesAt + count * BYTES_PER_HASH, 64);
    const perTable = align(tableBytes(count, directoryBits), 64);
    const pages = Math.ceil((tablesAt + CHUNK_COUNT * perTable) / WASM_PAGE);
    if (pages > MAX_PAGES)
      throw new RangeError(`${count} hashes need more than the 4 GiB a segment can address`);
    this.memory = createMemory(pages, pages);
    this.kernels = instantiatePdqKernels(this.memory);
    new Uint32Array(this.memory.buffer, this.masksAt, masks.length).set(masks);
    new Uint8Array(this.memory.buffer, this.shufflesAt, 256).set(packShuffles());
    new Uint32Array(this.memory.buffer, this.lanesAt, 4).set(LANE_INDEXES);
    const weightEnds = new Uint32Array(this.memory.buffer, this.weightEndsAt, threshold + 1);
    for (let weight = 0; weight <= threshold; weight++) weightEnds[weight] = ballSize(directoryBits, weight);
    this.hashes = new Uint32Array(this.memory.buffer, this.hashesAt, count * PDQ_WORDS);
    this.hashes.set(source.subarray(start, start + count * PDQ_WORDS));
    this.plan = new Int32Array(this.memory.buffer, this.planAt, CHUNK_COUNT * PLAN.bytes / 4);
    const scratch2 = tableScratch(count, layout);
    for (let chunk = 0; chunk < CHUNK_COUNT; chunk++) {
      const table2 = writeTable(
        this.memory.buffer,
        tablesAt + chunk * perTable,
        this.hashes,
        count,
        layout,
        chunk,
        scratch2
      );
      const width = layout.widths[chunk];
      const at = chunk * PLAN.bytes / 4;
      this.plan[at + PLAN.directoryAt / 4] = table2.directoryAt;
      this.plan[at + PLAN.entriesAt / 4] = table2.entriesAt;
      this.plan[at + PLAN.lowMask / 4] = (1 << width - directoryBits) - 1;
      this.plan[at + PLAN.bitOffset / 4] = layout.offsets[chunk];
      this.plan[at + PLAN.widthMask / 4] = width === 32 ? -1 : (1 << width) - 1;
    }
    this.queryView = new Uint32Array(this.memory.buffer, this.queryAt, PDQ_WORDS);
  }
  /** Per-chunk thresholds, blocks read and the expected cost of probing, once per radius. */
  planFor(radius) {
    let plan = this.radiusPlans.get(radius);
    if (!plan) {
      const { directoryBits, widths } = this.layout;
      const thresholds = chunkThresholds(radius);
      const masks = thresholds.map((t) => t < 0 ? 0 : ballSize(directoryBits, t));
      const blocks = masks.reduce((sum, m) => sum + m, 0);
      let candidates = 0;
      thresholds.forEach((t, chunk) => {
        const width = widths[chunk];
        if (t >= 0) candidates += this.size * ballSize(width, t) / 2 ** width;
      });
      const entries = blocks * this.size / 2 ** directoryBits;
      plan = {
        thresholds,
        masks,
        cost: blocks * COST_PER_BLOCK + entries * COST_PER_ENTRY + candidates * COST_PER_CANDIDATE,
        maxThreshold: Math.max(...thresholds),
        dedupeMin: Math.max(DEDUPE_FLOOR, Math.round(2 * candidates))
      };
      this.radiusPlans.set(radius, plan);
    }
    return plan;
  }
  /** Bytes of memory the segment holds. */
  get byteLength() {
    return this.memory.buffer.byteLength;
  }
  /**
   * Calls `visit` once for every row within `radius` of `query` (8 words), exactly the rows a
   * brute-force scan would find. `strategy` forces probing or scanning (for tests and benchmarks);
   * probing still falls back to a scan where it cannot answer exactly (very large radius, or a
   * cluster too big for the buffers).
   */
  search(query, radius, visit, strategy = "auto") {
    if (this.size === 0 || radius < 0) return;
    this.queryView.set(query.subarray(0, PDQ_WORDS));
    const plan = this.planFor(radius);
    const canProbe = plan.maxThreshold <= this.maxThreshold;
    const wantProbe = strategy === "probe" || strategy === "auto" && plan.cost < this.size * COST_PER_SCANNED_ROW;
    if (canProbe && wantProbe && this.probe(query, radius, plan, visit)) return;
    this.scan(radius, visit);
  }
  /** Returns false when a buffer would overflow (a huge cluster): the caller then scans. */
  probe(query, radius, radiusPlan, visit) {
    const { thresholds, masks, dedupeMin } = radiusPlan;
    const { widths, offsets, directoryBits } = this.layout;
    for (let chunk = 0; chunk < CHUNK_COUNT; chunk++) {
      const width = widths[chunk];
      const key = chunkKey(query, 0, offsets[chunk], width);
      const lowBits = width - directoryBits;
      const at = chunk * PLAN.bytes / 4;
      this.plan[at + PLAN.key / 4] = key;
      this.plan[at + PLAN.keyHigh / 4] = key >>> lowBits;
      this.plan[at + PLAN.keyLow / 4] = key & (1 << lowBits) - 1;
      this.plan[at + PLAN.masks / 4] = masks[chunk];
      this.plan[at + PLAN.threshold / 4] = thresholds[chunk];
    }
    const count = this.kernels.probe(
      this.hashesAt,
      this.planAt,
      CHUNK_COUNT,
      this.masksAt,
      this.queryAt,
      radius,
      this.recordsAt,
      this.candidatesAt,
      this.candidateCap,
      this.matchesAt,
      this.matchCap,
      this.shufflesAt,
      this.lanesAt,
      this.weightEndsAt,
      this.runEndsAt,
      this.seenAt,
      this.nextGeneration(),
      dedupeMin
    );
    if (count < 0) return false;
    this.report(count, visit);
    return true;
  }
  /** 1 to 255, a new one each query; the table of seen rows is cleared when they wrap. */
  nextGeneration() {
    this.generation++;
    if (this.generation > 255) {
      new Uint8Array(this.memory.buffer, this.seenAt, SEEN_BYTES).fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
  scan(radius, visit) {
    for (let first = 0; first < this.size; first += this.matchCap) {
      const end = Math.min(this.size, first + this.matchCap);
      const count = this.kernels.scan(
        this.hashesAt,
        first,
        end,
        this.queryAt,
        radius,
        this.matchesAt,
        0,
        this.matchCap
      );
      this.report(count, visit);
    }
  }
  /** Hands the matches to the visitor (the kernels report each row once). */
  report(count, visit) {
    const matches = new Uint32Array(this.memory.buffer, this.matchesAt, count * 2);
    for (let i = 0; i < count; i++) visit(matches[2 * i], matches[2 * i + 1]);
  }
};

// src/screening/matching/pdq-index.ts
var PDQ_DEFAULT_MAX_DISTANCE = 31;
var PdqIndex = class _PdqIndex {
  bufferLimit;
  compactionRatio;
  chunkLayout;
  segmentLimit;
  segments = [];
  buffer;
  bufferIds = [];
  removed = new Uint8Array(1024);
  nextId = 0;
  live = 0;
  constructor(options = {}) {
    this.bufferLimit = Math.max(1, options.bufferLimit ?? 2048);
    this.compactionRatio = options.compactionRatio ?? 0.25;
    this.chunkLayout = options.chunkLayout ?? ((size) => chunkLayoutFor(size));
    this.segmentLimit = Math.min(MAX_SEGMENT_ROWS, Math.max(1, options.segmentLimit ?? MAX_SEGMENT_ROWS));
    this.bufferLimit = Math.min(this.bufferLimit, this.segmentLimit);
    this.buffer = new PdqScanBuffer(this.bufferLimit);
  }
  /** An index of `hashes` (8 words each, row-major), with ids 0 … n − 1 in that order. */
  static fromHashes(hashes, options = {}) {
    const index = new _PdqIndex(options);
    index.addMany(hashes);
    return index;
  }
  /** Live hashes (added and not removed). */
  get size() {
    return this.live;
  }
  /** Adds one hash and returns its id. It is matchable immediately. */
  add(hash) {
    if (this.buffer.isFull) this.freezeBuffer();
    const id = this.nextId++;
    this.buffer.append(hash);
    this.bufferIds.push(id);
    this.live++;
    return id;
  }
  /** Adds many hashes (8 words each) and returns the first id; the others follow consecutively. */
  addMany(hashes) {
    const count = Math.floor(hashes.length / PDQ_WORDS);
    const firstId = this.nextId;
    if (count < this.bufferLimit) {
      for (let row = 0; row < count; row++) this.add(hashes.subarray(row * PDQ_WORDS, (row + 1) * PDQ_WORDS));
      return firstId;
    }
    this.freezeBuffer();
    const pieces = Math.ceil(count / this.segmentLimit);
    const perPiece = Math.ceil(count / pieces);
    for (let first = 0; first < count; first += perPiece) {
      const size = Math.min(perPiece, count - first);
      const segment = new PdqSegment(hashes, first * PDQ_WORDS, size, { layout: this.chunkLayout(size) });
      const id = firstId + first;
      this.pushSegment({ segment, ids: null, firstId: id, lastId: id + size - 1, dead: 0 });
    }
    this.nextId += count;
    this.live += count;
    return firstId;
  }
  /** Removes the hash with this id; false if there is none (never added, or already removed). */
  remove(id) {
    if (!this.has(id)) return false;
    this.markRemoved(id);
    this.live--;
    const entry2 = this.segmentOf(id);
    if (entry2) {
      entry2.dead++;
      const at = this.segments.indexOf(entry2);
      if (liveRows(entry2) === 0) this.replace(at, 1, null);
      else if (entry2.segment.size > this.bufferLimit && entry2.dead > entry2.segment.size * this.compactionRatio) {
        this.replace(at, 1, this.rebuild([entry2]));
      }
    }
    return true;
  }
  has(id) {
    return Number.isInteger(id) && id >= 0 && id < this.nextId && !this.isRemoved(id) && this.locate(id) !== null;
  }
  /** The stored hash of a live id, or null. */
  hashOf(id) {
    if (!this.has(id)) return null;
    const place = this.locate(id);
    if (!place) return null;
    const hashes = place.entry ? place.entry.segment.hashes : this.buffer.hashes;
    return hashes.slice(place.row * PDQ_WORDS, (place.row + 1) * PDQ_WORDS);
  }
  /**
   * Every live hash within `maxDistance` of `query`, nearest first (then by id). `strategy`
   * forces the segments to probe or scan, for tests and benchmarks; results do not change.
   */
  query(query, maxDistance = PDQ_DEFAULT_MAX_DISTANCE, strategy = "auto") {
    if (query.length < PDQ_WORDS) throw new RangeError("a PDQ query is 8 words (256 bits)");
    const ids = [];
    const distances = [];
    for (const entry2 of this.segments) {
      const { ids: rowIds, firstId } = entry2;
      entry2.segment.search(
        query,
        maxDistance,
        (row, distance) => {
          const id = rowIds ? rowIds[row] : firstId + row;
          if (this.isRemoved(id)) return;
          ids.push(id);
          distances.push(distance);
        },
        strategy
      );
    }
    this.buffer.search(query, maxDistance, (row, distance) => {
      const id = this.bufferIds[row];
      if (this.isRemoved(id)) return;
      ids.push(id);
      distances.push(distance);
    });
    return inMatchOrder(ids, distances);
  }
  /** Rebuilds every segment that holds removed rows, and freezes the buffer. */
  compact() {
    this.freezeBuffer();
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const entry2 = this.segments[i];
      if (entry2.dead > 0) this.replace(i, 1, this.rebuild([entry2]));
    }
  }
  /** Bytes held: segments, the scan buffer and the bookkeeping arrays. */
  get byteLength() {
    let bytes = this.buffer.byteLength + this.removed.byteLength + this.bufferIds.length * 8;
    for (const entry2 of this.segments) bytes += entry2.segment.byteLength + (entry2.ids?.byteLength ?? 0);
    return bytes;
  }
  /** Segment sizes, oldest first (for tests and diagnostics). */
  get segmentSizes() {
    return this.segments.map((entry2) => entry2.segment.size);
  }
  isRemoved(id) {
    return ((this.removed[id >>> 3] ?? 0) & 1 << (id & 7)) !== 0;
  }
  markRemoved(id) {
    if (id >>> 3 >= this.removed.length) {
      const grown = new Uint8Array(Math.max(this.removed.length * 2, (id >>> 3) + 1));
      grown.set(this.removed);
      this.removed = grown;
    }
    this.removed[id >>> 3] = this.removed[id >>> 3] | 1 << (id & 7);
  }
  /** The segment whose id range holds `id` (ranges are ascending and disjoint). */
  segmentOf(id) {
    let low = 0;
    let high = this.segments.length - 1;
    while (low <= high) {
      const middle = low + high >>> 1;
      const entry2 = this.segments[middle];
      if (id < entry2.firstId) high = middle - 1;
      else if (id > entry2.lastId) low = middle + 1;
      else return entry2;
    }
    return null;
  }
  /** Where an id's hash is stored: a segment row, or a buffer row (entry null). */
  locate(id) {
    const entry2 = this.segmentOf(id);
    if (entry2) {
      if (!entry2.ids) return { entry: entry2, row: id - entry2.firstId };
      const row2 = binarySearch(entry2.ids, id);
      return row2 < 0 ? null : { entry: entry2, row: row2 };
    }
    const row = binarySearch(this.bufferIds, id);
    return row < 0 ? null : { entry: null, row };
  }
  freezeBuffer() {
    if (this.buffer.size === 0) return;
    const hashes = [];
    const ids = [];
    const all2 = this.buffer.hashes;
    this.bufferIds.forEach((id, row) => {
      if (this.isRemoved(id)) return;
      ids.push(id);
      for (let w = 0; w < PDQ_WORDS; w++) hashes.push(all2[row * PDQ_WORDS + w]);
    });
    this.buffer.clear();
    this.bufferIds = [];
    if (ids.length === 0) return;
    const segment = new PdqSegment(Uint32Array.from(hashes), 0, ids.length, {
      layout: this.chunkLayout(ids.length)
    });
    this.pushSegment({
      segment,
      ids: Uint32Array.from(ids),
      firstId: ids[0],
      lastId: ids[ids.length - 1],
      dead: 0
    });
  }
  /**
   * Appends a segment, then merges the newest two while the newer is at least half the older
   * and the two fit in one segment.
   */
  pushSegment(entry2) {
    this.segments.push(entry2);
    for (; ; ) {
      const n = this.segments.length;
      const newer = this.segments[n - 1];
      const older = this.segments[n - 2];
      if (!newer || !older || liveRows(newer) * 2 < liveRows(older)) return;
      if (liveRows(newer) + liveRows(older) > this.segmentLimit) return;
      this.replace(n - 2, 2, this.rebuild([older, newer]));
    }
  }
  replace(at, count, entry2) {
    if (entry2) this.segments.splice(at, count, entry2);
    else this.segments.splice(at, count);
  }
  /** One segment holding the live rows of consecutive entries, or null if none is left. */
  rebuild(entries) {
    const total = entries.reduce((sum, entry2) => sum + liveRows(entry2), 0);
    if (total === 0) return null;
    const hashes = new Uint32Array(total * PDQ_WORDS);
    const ids = new Uint32Array(total);
    let at = 0;
    for (const entry2 of entries) {
      const { segment: segment2 } = entry2;
      for (let row = 0; row < segment2.size; row++) {
        const id = entry2.ids ? entry2.ids[row] : entry2.firstId + row;
        if (this.isRemoved(id)) continue;
        ids[at] = id;
        hashes.set(segment2.hashes.subarray(row * PDQ_WORDS, (row + 1) * PDQ_WORDS), at * PDQ_WORDS);
        at++;
      }
    }
    const segment = new PdqSegment(hashes, 0, total, { layout: this.chunkLayout(total) });
    const firstId = ids[0];
    const lastId = ids[total - 1];
    const contiguous = lastId - firstId + 1 === total;
    return { segment, ids: contiguous ? null : ids, firstId, lastId, dead: 0 };
  }
};
function inMatchOrder(ids, distances) {
  if (ids.length === 0) return [];
  let farthest = 0;
  for (const distance of distances) if (distance > farthest) farthest = distance;
  const starts = new Uint32Array(farthest + 2);
  for (const distance of distances) starts[distance + 1] = starts[distance + 1] + 1;
  for (let d = 0; d <= farthest; d++) starts[d + 1] = starts[d + 1] + starts[d];
  const cursor = starts.slice(0, farthest + 1);
  const byDistance = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const distance = distances[i];
    byDistance[cursor[distance]] = ids[i];
    cursor[distance] = cursor[distance] + 1;
  }
  const matches = new Array(ids.length);
  for (let distance = 0; distance <= farthest; distance++) {
    const start = starts[distance];
    const bucket = byDistance.subarray(start, starts[distance + 1]);
    bucket.sort();
    for (let i = 0; i < bucket.length; i++) matches[start + i] = { id: bucket[i], distance };
  }
  return matches;
}
function liveRows(entry2) {
  return entry2.segment.size - entry2.dead;
}
function binarySearch(sorted, value) {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = low + high >>> 1;
    const at = sorted[middle];
    if (at < value) low = middle + 1;
    else if (at > value) high = middle - 1;
    else return middle;
  }
  return -1;
}

// src/cli/commands/match.ts
var HELP2 = `
BANK.csv: one "signal_type,signal" row per entry, as hash-sharing programmes export them (more
columns are allowed and ignored; a header row "signal_type,\u2026" is skipped). Rows of other signal
types are skipped and counted. Repeated signals are matched once.

QUERIES.txt: one PDQ hash (64 hex digits) per line; blank lines and lines starting with # are
skipped; anything after the hash (",quality,file" as pdq-photo-hasher prints it) is ignored.

Output, one per query in file order:
  --json   one JSON object per line: {"query", "matches": [{"signal", "distance"}]}, nearest first
  default  "<query> <n> match(es)", then one indented "<signal> <distance>" line per match

The search is exact: it returns what comparing every pair would, through a multi-index. Malformed
rows or lines are reported on stderr with their line number and make the exit status 1.`;
function register5(program2) {
  program2.command("match").description("match PDQ hashes against a bank file, offline (no server, no database)").requiredOption("--bank <file>", "bank CSV: signal_type,signal rows").requiredOption("--query <file>", "one PDQ hash per line").option(
    "--max-distance <n>",
    "largest Hamming distance that matches (0\u2013256)",
    String(PDQ_DEFAULT_MAX_DISTANCE)
  ).option("--json", "one JSON object per line").addHelpText("after", HELP2).action(async (options) => {
    const maxDistance = Number(options.maxDistance);
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 256) {
      throw new Error(`--max-distance '${options.maxDistance}' is not an integer from 0 to 256`);
    }
    const bank = await readPdqBank(options.bank);
    if (bank.skipped > 0) {
      process.stderr.write(`tapis match: ${options.bank}: skipped ${bank.skipped} rows that are not pdq
`);
    }
    const index = PdqIndex.fromHashes(bank.hashes);
    let failed = bank.failed;
    let lineNumber = 0;
    const lines = createInterface({
      input: createReadStream2(options.query),
      crlfDelay: Number.POSITIVE_INFINITY
    });
    for await (const line of lines) {
      lineNumber++;
      const text4 = line.trim();
      if (text4 === "" || text4.startsWith("#")) continue;
      const hex = text4.split(/[\s,]/)[0] ?? "";
      let query;
      try {
        query = pdqFromHex(canonicalSignal("pdq", hex));
      } catch (error) {
        failed = true;
        process.stderr.write(`tapis match: ${options.query}:${lineNumber}: ${error.message}
`);
        continue;
      }
      const matches = index.query(query, maxDistance).map((m) => ({
        signal: pdqToHex(bank.hashes, m.id * PDQ_WORDS),
        distance: m.distance
      }));
      process.stdout.write(
        `${options.json ? JSON.stringify({ query: pdqToHex(query), matches }) : textResult(pdqToHex(query), matches)}
`
      );
    }
    if (failed) process.exitCode = 1;
  });
}
function textResult(query, matches) {
  const head = `${query} ${matches.length} ${matches.length === 1 ? "match" : "matches"}`;
  return [head, ...matches.map((m) => `  ${m.signal} ${m.distance}`)].join("\n");
}
async function readPdqBank(file) {
  const seen = /* @__PURE__ */ new Set();
  let hashes = new Uint32Array(1024 * PDQ_WORDS);
  let count = 0;
  let skipped = 0;
  let failed = false;
  const parser = createReadStream2(file).pipe(
    parse2({ relax_column_count: true, skip_empty_lines: true, trim: true, info: true })
  );
  for await (const { record: record2, info } of parser) {
    const [type = "", value = ""] = record2;
    if (info.lines === 1 && type.toLowerCase() === "signal_type") continue;
    if (type.toLowerCase() !== "pdq") {
      skipped++;
      continue;
    }
    try {
      const hex = canonicalSignal("pdq", value);
      if (seen.has(hex)) continue;
      seen.add(hex);
      if ((count + 1) * PDQ_WORDS > hashes.length) {
        const grown = new Uint32Array(hashes.length * 2);
        grown.set(hashes);
        hashes = grown;
      }
      hashes.set(pdqFromHex(hex), count * PDQ_WORDS);
      count++;
    } catch (error) {
      failed = true;
      process.stderr.write(`tapis match: ${file}:${info.lines}: ${error.message}
`);
    }
  }
  return { hashes: hashes.slice(0, count * PDQ_WORDS), skipped, failed };
}

// src/cli/commands/notices.ts
import { createHash as createHash4 } from "node:crypto";
import { readFileSync as readFileSync4, writeFileSync as writeFileSync2 } from "node:fs";
import path4 from "node:path";
import { SingleBar } from "cli-progress";
import { Option } from "commander";
var contentTypes = { csv: "text/csv", jsonl: "application/x-ndjson" };
function register6(program2) {
  const notices = program2.command("notices").description("notices");
  notices.command("import").description(
    "submit a CSV or JSONL file of notices through the API and follow it to the end; exits 2 if any row was invalid"
  ).argument("<file>", "a .csv, .jsonl or .ndjson file").addOption(
    new Option("--server <url>", "the tapis server").env("TAPIS_URL").default("http://127.0.0.1:8080")
  ).addOption(new Option("--key <key>", "an API key of your organisation (tapis_\u2026)").env("TAPIS_API_KEY")).addOption(
    new Option("--format <format>", "the file format (default: from the extension)").choices([
      "csv",
      "jsonl"
    ])
  ).option("--out <file>", "write every row result to this file, one JSON object per line").addOption(new Option("--poll-ms <ms>", "how often to ask for progress").default("500").hideHelp()).action(async (file, options) => {
    process.exitCode = await importNotices(file, options);
  });
}
async function importNotices(file, options) {
  if (!options.key) throw new Error("pass --key tapis_\u2026 or set TAPIS_API_KEY");
  const format = options.format ?? formatOf(file);
  const body = readFileSync4(file);
  const api2 = client(options.server, options.key);
  const key = `import-${createHash4("sha256").update(format).update(body).digest("hex").slice(0, 48)}`;
  const accepted = await api2("POST", "/v1/notices/bulk", {
    body,
    headers: { "content-type": contentTypes[format], "idempotency-key": key }
  });
  process.stderr.write(`job ${accepted.job_id}: ${accepted.total} notices from ${path4.basename(file)}
`);
  const job = await follow(api2, accepted.job_id, accepted.total, Number(options.pollMs));
  const invalid2 = await allRows(api2, job.job_id, "invalid");
  for (const r of invalid2) process.stderr.write(`row ${r.row}: ${r.reason ?? "invalid"}
`);
  if (options.out) {
    const rows2 = await allRows(api2, job.job_id);
    writeFileSync2(options.out, rows2.map((r) => JSON.stringify(r)).join("\n") + (rows2.length ? "\n" : ""));
  }
  process.stdout.write(
    `${job.total} notices: ${job.created} created, ${job.duplicate} duplicate, ${job.invalid} invalid (job ${job.job_id})
`
  );
  return job.invalid > 0 ? 2 : 0;
}
function formatOf(file) {
  const ext = path4.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  throw new Error(`cannot tell the format of ${file} from its name; pass --format csv or --format jsonl`);
}
function client(server, key) {
  const base = server.replace(/\/+$/, "");
  return async (method, url, init = {}) => {
    let response;
    try {
      response = await fetch(`${base}${url}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...init.headers },
        ...init.body ? { body: init.body } : {}
      });
    } catch (error) {
      const cause = error.cause;
      throw new Error(
        `cannot reach tapis at ${base}: ${cause?.code ?? cause?.message ?? error.message}`
      );
    }
    const text4 = await response.text();
    if (!response.ok) {
      const problem2 = safeJson(text4);
      throw new Error(`${method} ${url}: ${response.status} ${problem2?.detail ?? text4.slice(0, 200)}`);
    }
    return JSON.parse(text4);
  };
}
function safeJson(text4) {
  try {
    return JSON.parse(text4);
  } catch {
    return null;
  }
}
async function follow(api2, id, total, pollMs) {
  const bar = new SingleBar({
    stream: process.stderr,
    format: "importing [{bar}] {value}/{total} rows | {created} created, {duplicate} duplicate, {invalid} invalid",
    hideCursor: true
  });
  bar.start(total, 0, { created: 0, duplicate: 0, invalid: 0 });
  try {
    for (; ; ) {
      const job = await api2("GET", `/v1/notices/bulk/${id}?limit=0`);
      bar.update(job.processed, { created: job.created, duplicate: job.duplicate, invalid: job.invalid });
      if (job.status === "done") return job;
      if (job.status === "failed")
        throw new Error(
          `job ${id} failed after ${job.processed} of ${job.total} rows: ${job.error ?? "no reason given"}; run the same command again to resume it`
        );
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    bar.stop();
  }
}
async function allRows(api2, id, outcome2) {
  const rows2 = [];
  let after = 0;
  while (after !== null) {
    const page = await api2(
      "GET",
      `/v1/notices/bulk/${id}?limit=1000&after_row=${after}${outcome2 ? `&outcome=${outcome2}` : ""}`
    );
    rows2.push(...page.rows);
    after = page.next_after_row;
  }
  return rows2;
}

// src/preservation/purge.ts
import { sql as sql9 } from "kysely";

// src/cases/transitions.ts
var caseStatuses = [
  "open",
  "escalated",
  "in_review",
  "awaiting_clarification",
  "pending_approval",
  "actioning",
  "action_failed",
  "closed",
  "under_appeal",
  "reverting"
];
var everyStatus = caseStatuses;
var notClosed = caseStatuses.filter((s) => s !== "closed");
var transitions = {
  opened: { from: ["open"], to: "same" },
  notice_joined: { from: notClosed, to: "same" },
  claimed: { from: ["open", "escalated", "in_review"], to: ["in_review"] },
  lease_renewed: { from: ["in_review"], to: "same" },
  released: { from: ["in_review"], to: ["open", "escalated"] },
  reassigned: { from: ["open", "escalated", "in_review"], to: ["in_review"] },
  commented: { from: everyStatus, to: "same" },
  escalated: { from: ["open", "in_review"], to: ["escalated"] },
  clarification_requested: { from: ["in_review"], to: ["awaiting_clarification"] },
  clarification_answered: { from: ["awaiting_clarification"], to: ["open"] },
  decided: { from: ["in_review"], to: ["pending_approval", "actioning", "closed"] },
  approved: { from: ["pending_approval"], to: ["actioning", "closed"] },
  approval_refused: { from: ["pending_approval"], to: ["open"] },
  // An action may finish while an appeal is already open: the case stays under appeal.
  action_applied: {
    from: ["actioning", "action_failed", "under_appeal"],
    to: ["actioning", "action_failed", "closed", "under_appeal"]
  },
  action_failed: {
    from: ["actioning", "action_failed", "under_appeal"],
    to: ["action_failed", "under_appeal"]
  },
  action_retried: { from: ["action_failed"], to: ["actioning"] },
  appealed: { from: ["closed", "actioning", "action_failed"], to: ["under_appeal"] },
  appeal_claimed: { from: ["under_appeal"], to: "same" },
  appeal_reassigned: { from: ["under_appeal"], to: "same" },
  // Upheld: an affected user's appeal reverts (reverting, or closed when nothing is left to
  // undo); a notifier's appeal sends the case back to the queue for a new decision (open).
  // Rejected: the decision stands, and the case goes back to where its enforcement is.
  appeal_decided: {
    from: ["under_appeal"],
    to: ["closed", "reverting", "open", "actioning", "action_failed"]
  },
  reverted: { from: ["reverting"], to: ["reverting", "closed"] },
  revert_failed: { from: ["reverting"], to: ["reverting"] },
  legal_hold_placed: { from: everyStatus, to: "same" },
  legal_hold_released: { from: everyStatus, to: "same" },
  content_revealed: { from: everyStatus, to: "same" },
  purged: { from: everyStatus, to: "same" }
};
var caseEventTypes = Object.keys(transitions);
var TransitionRefused = class extends Error {
  constructor(event, from, to) {
    super(
      from === to && transitions[event].to !== "same" ? `a case that is ${from.replaceAll("_", " ")} cannot be ${event.replaceAll("_", " ")}` : `a case that is ${from.replaceAll("_", " ")} cannot be ${event.replaceAll("_", " ")}${from === to ? "" : ` into ${to.replaceAll("_", " ")}`}`
    );
    this.event = event;
    this.from = from;
    this.to = to;
  }
  event;
  from;
  to;
};
function transition(from, event, to) {
  const rule = transitions[event];
  if (!rule.from.includes(from)) throw new TransitionRefused(event, from, to ?? from);
  if (rule.to === "same") {
    if (to !== void 0 && to !== from) throw new TransitionRefused(event, from, to);
    return from;
  }
  const next = to ?? (rule.to.length === 1 ? rule.to[0] : void 0);
  if (next === void 0 || !rule.to.includes(next)) throw new TransitionRefused(event, from, next ?? from);
  return next;
}

// src/cases/case-events.ts
async function lockCase(trx, caseId) {
  const row = await trx.selectFrom("cases").selectAll().where("id", "=", caseId).forUpdate().executeTakeFirst();
  if (!row) throw notFound(`no case ${caseId}`);
  return row;
}
async function recordCaseEvent(trx, current, actor, event, now) {
  let to;
  try {
    to = transition(current.status, event.type, event.to);
  } catch (error) {
    if (error instanceof TransitionRefused) throw conflict(error.message, { case_status: current.status });
    throw error;
  }
  const inserted = await trx.insertInto("case_events").values({
    id: newId(),
    case_id: current.id,
    type: event.type,
    from_status: current.status,
    to_status: to,
    actor_type: actor.type,
    actor_id: actor.id,
    data: JSON.stringify(event.data ?? {}),
    at: now
  }).returning("seq").executeTakeFirstOrThrow();
  const updated = await trx.updateTable("cases").set({ ...event.set, status: to, last_event_seq: inserted.seq }).where("id", "=", current.id).returningAll().executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    actor,
    {
      action: `case.${event.type}`,
      objectType: "case",
      objectId: current.id,
      change: { from: current.status, to, ...event.data }
    },
    now
  );
  return updated;
}

// src/preservation/blobs.ts
import { sql as sql7 } from "kysely";
async function releaseBlobs(trx, sha256s) {
  const shas = [...new Set(sha256s)].sort();
  if (shas.length === 0) return [];
  await trx.selectFrom("blobs").select("sha256").where("sha256", "in", shas).orderBy("sha256").forUpdate().execute();
  const released = await trx.updateTable("blobs").set({ data: null }).where("sha256", "in", shas).where("data", "is not", null).where(
    (eb) => eb.and([
      eb.not(
        eb.exists(
          eb.selectFrom("evidence").select(sql7`1`.as("one")).whereRef("evidence.sha256", "=", "blobs.sha256").where("evidence.purged_at", "is", null)
        )
      ),
      eb.not(
        eb.exists(
          eb.selectFrom("preserved_content").select(sql7`1`.as("one")).whereRef("preserved_content.sha256", "=", "blobs.sha256").where("preserved_content.purged_at", "is", null)
        )
      )
    ])
  ).returning("sha256").execute();
  return released.map((r) => r.sha256).sort();
}
async function storeBlob(trx, sha256, data) {
  await trx.insertInto("blobs").values({ sha256, size: data.length, data }).onConflict(
    (oc) => oc.column("sha256").doUpdateSet({ data: (eb) => eb.ref("excluded.data") }).where("blobs.data", "is", null)
  ).execute();
}

// src/preservation/legal-holds.ts
import { sql as sql8 } from "kysely";

// src/preservation/retention.ts
var DAY_MS = 864e5;
function addDays(date, days) {
  return new Date(date.getTime() + days * DAY_MS);
}
function preservedUntil(decidedAt, now, preservationDays) {
  return addDays(decidedAt ?? now, preservationDays);
}
function holdIsActive(hold2, now) {
  return hold2.released_at === null && (hold2.until === null || hold2.until > now);
}
function isPurgeable(until, cases, now) {
  if (until === null || until > now) return false;
  return cases.every((c) => c.status === "closed" && !c.held);
}
function effectiveUntil(preservedUntil2, noticeClosedAt, preservationDays) {
  if (preservedUntil2) return preservedUntil2;
  return noticeClosedAt ? addDays(noticeClosedAt, preservationDays) : null;
}

// src/preservation/legal-holds.ts
var toView = (row, now) => ({ ...row, active: holdIsActive(row, now) });
var columns2 = [
  "id",
  "case_id",
  "reason",
  "requested_by",
  "placed_by",
  "until",
  "placed_at",
  "released_at",
  "released_by",
  "release_reason"
];
async function placeHold(db, actor, caseId, input, now) {
  if (input.until && input.until <= now) {
    throw invalid("until must be in the future; leave it out to hold until released", [
      { pointer: "/until", detail: "in the past" }
    ]);
  }
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    const row = {
      id: newId(),
      case_id: caseId,
      reason: input.reason,
      requested_by: input.requested_by,
      placed_by: actor.id,
      until: input.until ?? null,
      placed_at: now,
      released_at: null,
      released_by: null,
      release_reason: null
    };
    await trx.insertInto("legal_holds").values(row).execute();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "legal_hold_placed",
        data: { hold_id: row.id, reason: row.reason, requested_by: row.requested_by, until: row.until }
      },
      now
    );
    return toView(row, now);
  });
}
async function releaseHold(db, actor, holdId, reason, now) {
  return transact(db, async (trx) => {
    const found = await trx.selectFrom("legal_holds").select("case_id").where("id", "=", holdId).executeTakeFirst();
    if (!found) throw notFound(`no legal hold ${holdId}`);
    const current = await lockCase(trx, found.case_id);
    const hold2 = await trx.selectFrom("legal_holds").select(columns2).where("id", "=", holdId).executeTakeFirstOrThrow();
    if (hold2.released_at) throw conflict(`this legal hold was released on ${hold2.released_at.toISOString()}`);
    const released = await trx.updateTable("legal_holds").set({ released_at: now, released_by: actor.id, release_reason: reason ?? null }).where("id", "=", holdId).returning(columns2).executeTakeFirstOrThrow();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "legal_hold_released",
        data: { hold_id: holdId, requested_by: hold2.requested_by, reason: reason ?? null }
      },
      now
    );
    return toView(released, now);
  });
}
async function listHolds(db, caseId, now) {
  const exists = await db.selectFrom("cases").select("id").where("id", "=", caseId).executeTakeFirst();
  if (!exists) throw notFound(`no case ${caseId}`);
  const rows2 = await db.selectFrom("legal_holds").select(columns2).where("case_id", "=", caseId).orderBy("placed_at").execute();
  return rows2.map((row) => toView(row, now));
}
async function activeHoldCases(trx, caseIds, now) {
  if (caseIds.length === 0) return /* @__PURE__ */ new Set();
  const rows2 = await trx.selectFrom("legal_holds").select("case_id").where("case_id", "in", caseIds).where("released_at", "is", null).where((eb) => eb.or([eb("until", "is", null), eb("until", ">", now)])).execute();
  return new Set(rows2.map((r) => r.case_id));
}
function heldCaseSql(caseRef, now) {
  return sql8`exists (select 1 from legal_holds h where h.case_id = ${sql8.ref(caseRef)}
    and h.released_at is null and (h.until is null or h.until > ${now}))`;
}

// src/preservation/purge.ts
async function runPurge(db, options) {
  const candidates = await dueCases(db, options.now, options.preservationDays, options.batchSize ?? 50);
  const cases = [];
  for (const caseId of candidates) cases.push(...await purgeCase(db, caseId, options));
  return summarise(cases);
}
async function planPurge(db, options) {
  const candidates = await dueCases(db, options.now, options.preservationDays, options.batchSize ?? 50);
  const cases = [];
  for (const caseId of candidates) {
    const plan = await planCase(db, caseId, options.now, options.preservationDays, false);
    if (plan) cases.push(...plan.purges.map((p) => ({ ...p, blobs_released: [] })));
  }
  return summarise(cases);
}
function summarise(cases) {
  const purged = cases.filter((c) => c.evidence.length + c.preserved_content.length > 0);
  const evidence = new Set(purged.flatMap((c) => c.evidence.map((e) => e.id)));
  return {
    cases: purged,
    evidence: evidence.size,
    preserved_content: purged.reduce((n, c) => n + c.preserved_content.length, 0),
    blobs_released: new Set(purged.flatMap((c) => c.blobs_released)).size
  };
}
async function dueCases(db, now, preservationDays, limit) {
  const closedBefore = addDays(now, -preservationDays);
  const { rows: rows2 } = await sql9`
    select case_id from (
      select pc.case_id from preserved_content pc join cases c on c.id = pc.case_id
       where pc.purged_at is null and pc.preserved_until <= ${now}
         and c.status = 'closed' and not ${heldCaseSql("c.id", now)}
      union
      select t.case_id from evidence e
        join notices n on n.id = e.notice_id
        join notice_targets t on t.notice_id = e.notice_id
       where e.purged_at is null and t.case_id is not null
         and (e.preserved_until <= ${now} or (e.preserved_until is null and n.closed_at <= ${closedBefore}))
         and not exists (
           select 1 from notice_targets t2 join cases c2 on c2.id = t2.case_id
            where t2.notice_id = e.notice_id and (c2.status <> 'closed' or ${heldCaseSql("c2.id", now)}))
    ) due
    order by case_id
    limit ${limit}`.execute(db);
  return rows2.map((r) => r.case_id);
}
async function planCase(trx, caseId, now, days, lock) {
  const links = await trx.selectFrom("notice_targets as t1").innerJoin("notice_targets as t2", "t2.notice_id", "t1.notice_id").select(["t2.notice_id", "t2.case_id"]).where("t1.case_id", "=", caseId).where("t2.case_id", "is not", null).execute();
  const ids = [.../* @__PURE__ */ new Set([caseId, ...links.map((l) => l.case_id)])].sort();
  let casesQuery = trx.selectFrom("cases").selectAll().where("id", "in", ids).orderBy("id");
  if (lock) casesQuery = casesQuery.forUpdate().skipLocked();
  const locked = await casesQuery.execute();
  const held = await activeHoldCases(trx, ids, now);
  const state = new Map(locked.map((c) => [c.id, { status: c.status, held: held.has(c.id) }]));
  const main = state.get(caseId);
  if (main?.status !== "closed" || main.held) return null;
  const casesOf = (noticeId) => links.filter((l) => l.notice_id === noticeId).map((l) => state.get(l.case_id) ?? { status: "busy", held: false });
  const content = await trx.selectFrom("preserved_content").select(["id", "sha256"]).where("case_id", "=", caseId).where("purged_at", "is", null).where("preserved_until", "<=", now).orderBy("created_at").execute();
  const noticeIds = [...new Set(links.filter((l) => l.case_id === caseId).map((l) => l.notice_id))];
  const evidence = noticeIds.length ? await trx.selectFrom("evidence").innerJoin("notices", "notices.id", "evidence.notice_id").select([
    "evidence.id",
    "evidence.notice_id",
    "evidence.sha256",
    "evidence.preserved_until",
    "notices.closed_at"
  ]).where("evidence.notice_id", "in", noticeIds).where("evidence.purged_at", "is", null).orderBy("evidence.uploaded_at").execute() : [];
  const dueEvidence = evidence.filter(
    (e) => isPurgeable(effectiveUntil(e.preserved_until, e.closed_at, days), casesOf(e.notice_id), now)
  );
  const purges = locked.filter((c) => state.get(c.id)?.status === "closed" && !state.get(c.id)?.held).map((c) => ({
    case_id: c.id,
    evidence: dueEvidence.filter((e) => links.some((l) => l.notice_id === e.notice_id && l.case_id === c.id)).map((e) => ({ id: e.id, sha256: e.sha256 })),
    preserved_content: c.id === caseId ? content : []
  })).filter((p) => p.evidence.length + p.preserved_content.length > 0);
  return { locked, purges };
}
async function purgeCase(db, caseId, options) {
  const { now, preservationDays, actor } = options;
  return transact(db, async (trx) => {
    const plan = await planCase(trx, caseId, now, preservationDays, true);
    if (!plan || plan.purges.length === 0) return [];
    const contentIds = plan.purges.flatMap((p) => p.preserved_content.map((c) => c.id));
    const evidenceIds = [...new Set(plan.purges.flatMap((p) => p.evidence.map((e) => e.id)))];
    if (contentIds.length) {
      await trx.updateTable("preserved_content").set({ purged_at: now }).where("id", "in", contentIds).execute();
    }
    if (evidenceIds.length) {
      await trx.updateTable("evidence").from("notices").set({
        purged_at: now,
        preserved_until: sql9`coalesce(evidence.preserved_until, notices.closed_at + ${preservationDays}::int * interval '1 day')`
      }).whereRef("notices.id", "=", "evidence.notice_id").where("evidence.id", "in", evidenceIds).execute();
    }
    const shas = plan.purges.flatMap((p) => [
      ...p.evidence.map((e) => e.sha256),
      ...p.preserved_content.map((c) => c.sha256)
    ]);
    const released = await releaseBlobs(
      trx,
      shas.filter((s) => s !== null)
    );
    const results = [];
    for (const purge of plan.purges) {
      const current = plan.locked.find((c) => c.id === purge.case_id);
      const mine = /* @__PURE__ */ new Set([
        ...purge.evidence.map((e) => e.sha256),
        ...purge.preserved_content.map((c) => c.sha256)
      ]);
      const result = { ...purge, blobs_released: released.filter((s) => mine.has(s)) };
      await recordCaseEvent(
        trx,
        current,
        actor,
        { type: "purged", data: { ...result, rule: "preservation period over, no legal hold (TCO Art. 6)" } },
        now
      );
      results.push(result);
    }
    return results;
  });
}

// src/cli/commands/purge.ts
var BATCH = 50;
function register7(program2) {
  program2.command("purge").description(
    "remove the bytes of content past its preservation period; hashes, metadata and legal holds stay"
  ).option("--dry-run", "list what would be purged, and change nothing").option("--json", "print the report as JSON").option("--limit <cases>", "look at no more than this many cases", "10000").action(async (o) => {
    const config = loadConfig();
    const limit = Number.parseInt(o.limit, 10);
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error("--limit: a whole number of cases, at least 1");
    const now = /* @__PURE__ */ new Date();
    const preservationDays = config.TAPIS_PRESERVATION_DAYS;
    const report = await withStore(async (store) => {
      if (o.dryRun) return planPurge(store.db, { now, preservationDays, batchSize: limit });
      const passes = [];
      let seen = 0;
      while (seen < limit) {
        const pass = await runPurge(store.db, {
          now,
          preservationDays,
          actor: cliActor,
          batchSize: Math.min(BATCH, limit - seen)
        });
        if (pass.cases.length === 0) break;
        passes.push(pass);
        seen += pass.cases.length;
      }
      return merge(passes);
    });
    if (o.json) return printJson({ dry_run: Boolean(o.dryRun), ...report });
    const verb = o.dryRun ? "would purge" : "purged";
    if (report.cases.length === 0) {
      process.stdout.write(
        `nothing to purge: no content past its ${preservationDays}-day preservation period outside a legal hold
`
      );
      return;
    }
    for (const c of report.cases) {
      process.stdout.write(
        `case ${c.case_id}: ${verb} ${c.evidence.length} evidence, ${c.preserved_content.length} preserved content
`
      );
    }
    process.stdout.write(
      `${verb} ${report.evidence} evidence and ${report.preserved_content} preserved content in ${report.cases.length} case(s)${o.dryRun ? "" : `; ${report.blobs_released} stored file(s) released`}
`
    );
  });
}
function merge(passes) {
  return {
    cases: passes.flatMap((p) => p.cases),
    evidence: passes.reduce((n, p) => n + p.evidence, 0),
    preserved_content: passes.reduce((n, p) => n + p.preserved_content, 0),
    blobs_released: passes.reduce((n, p) => n + p.blobs_released, 0)
  };
}

// src/cli/commands/receipt.ts
import { readFileSync as readFileSync5 } from "node:fs";

// src/notices/notice-input.ts
import { z as z3 } from "zod";

// src/http/schemas.ts
import { z as z2 } from "zod";
var timestamp = z2.codec(z2.iso.datetime({ offset: true }), z2.date(), {
  decode: (text4) => new Date(text4),
  encode: (date) => date.toISOString()
});
var slug = z2.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "lower-case letters, digits and hyphens, 1\u201340 characters");
var email = z2.email().max(254);
var text = (max) => z2.string().trim().min(1).max(max);
var uuid = z2.uuid();
var idParams = z2.strictObject({ id: uuid });
var countryCode = z2.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code in capitals, e.g. ID");
var languageCode = z2.string().regex(/^[a-z]{2,3}$/, "an ISO 639 language code, e.g. id");

// src/notices/notice-input.ts
var legalReference = z3.strictObject({
  instrument: z3.string().trim().min(1).max(300).describe('The law or regulation, e.g. "UU 11/2008 jo. UU 1/2024"'),
  provision: z3.string().trim().min(1).max(300).optional().describe('The article, e.g. "Pasal 45"')
});
var noticeInput = z3.strictObject({
  targets: z3.array(z3.string().max(4096)).min(1, "name at least one target").max(1e3, "at most 1,000 targets per notice").describe("Locations of the content: t.me links, @usernames, invite links, or other URLs"),
  category: z3.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "a category code from the taxonomy, e.g. terrorism"),
  jurisdiction: countryCode.default("ID"),
  kind: z3.enum(["notice", "order"]).default("notice").describe("An order is a formal removal order from an authority (DSA Art. 9, TCO Art. 3)"),
  legal_basis: z3.string().trim().min(1).max(4e3).optional(),
  legal_references: z3.array(legalReference).max(50).optional(),
  explanation: z3.string().trim().min(
    20,
    "explain why the content is illegal or against the terms, in at least 20 characters (DSA Art. 16(2)(a))"
  ).max(2e4),
  reference: z3.string().trim().min(1).max(200).optional().describe("Your own number for the notice, e.g. the letter number"),
  good_faith: z3.literal(true, { error: "confirm the notice is made in good faith (DSA Art. 16(2)(d))" }),
  language: languageCode.optional().describe("The language of the notice; defaults to the jurisdiction\u2019s first language"),
  notifier: z3.strictObject({ name: z3.string().trim().min(1).max(200), email: z3.email().max(254) }).optional().describe("Who is notifying; defaults to the signed-in user or the organisation"),
  anonymous: z3.boolean().default(false).describe("Keep the notifier\u2019s identity from the affected user; only where the category allows it"),
  order: z3.strictObject({
    issuing_authority: z3.string().trim().min(1).max(300),
    territorial_scope: z3.array(countryCode).min(1).max(250),
    redress: z3.string().trim().min(1).max(2e3).describe("How the platform or the user can contest the order")
  }).optional().describe("Required for orders (DSA Art. 9(2))")
});

// src/notices/receipts.ts
import { sign } from "node:crypto";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from "jose";
var RECEIPT_TYPE = "tapis-receipt+jws";
async function signReceipt(key, claims) {
  const header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ: RECEIPT_TYPE })).toString(
    "base64url"
  );
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), key.privateKey).toString("base64url")}`;
}
async function verifyReceipt(receipt, jwks) {
  let header;
  try {
    header = decodeProtectedHeader(receipt.trim());
  } catch {
    return { valid: false, reason: "not a compact JWS" };
  }
  if (header.typ !== RECEIPT_TYPE)
    return { valid: false, reason: `not a tapis receipt (typ ${String(header.typ)})` };
  try {
    const { payload, protectedHeader } = await compactVerify(receipt.trim(), createLocalJWKSet(jwks), {
      algorithms: ["EdDSA"]
    });
    return {
      valid: true,
      claims: JSON.parse(new TextDecoder().decode(payload)),
      kid: protectedHeader.kid ?? ""
    };
  } catch (error) {
    const code2 = error.code;
    if (code2 === "ERR_JWKS_NO_MATCHING_KEY")
      return { valid: false, reason: `no published key '${String(header.kid)}' verifies it` };
    return {
      valid: false,
      reason: "the signature does not match: the receipt was altered or signed by another key"
    };
  }
}

// src/notices/signing-keys.ts
import { createPrivateKey } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { sql as sql10 } from "kysely";
var cached = null;
async function currentSigningKey(db) {
  if (cached?.db === db) return cached.key;
  let row = await db.selectFrom("signing_keys").selectAll().where("retired_at", "is", null).orderBy("created_at", "desc").executeTakeFirst();
  if (!row) {
    const { publicKey, privateKey: privateKey2 } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = `tapis-${(/* @__PURE__ */ new Date()).toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
    const privateJwk = await exportJWK(privateKey2);
    await transact(db, async (trx) => {
      await sql10`select pg_advisory_xact_lock(${2054165762})`.execute(trx);
      const existing = await trx.selectFrom("signing_keys").select("kid").where("retired_at", "is", null).executeTakeFirst();
      if (existing) return;
      await trx.insertInto("signing_keys").values({
        kid,
        public_jwk: JSON.stringify({ ...publicJwk, kid, alg: "EdDSA", use: "sig" }),
        private_jwk: JSON.stringify(privateJwk)
      }).execute();
    });
    row = await db.selectFrom("signing_keys").selectAll().where("retired_at", "is", null).orderBy("created_at", "desc").executeTakeFirstOrThrow();
  }
  const privateKey = createPrivateKey({ key: row.private_jwk, format: "jwk" });
  const key = { kid: row.kid, privateKey };
  cached = { db, key };
  return key;
}
async function publicJwks(db) {
  const rows2 = await db.selectFrom("signing_keys").select(["public_jwk"]).orderBy("created_at").execute();
  return { keys: rows2.map((r) => r.public_jwk) };
}

// src/cli/commands/receipt.ts
function register8(program2) {
  program2.command("receipt").description("signed receipts").command("verify").description("check a receipt offline against the published keys; exits non-zero when it does not verify").argument("<file>", "the receipt (a compact JWS), or the JSON answer of POST /v1/notices that holds it").option(
    "--jwks <file>",
    "the keys, as saved from /.well-known/jwks.json (default: this instance\u2019s database)"
  ).option("--notice <file>", "the notice as sent (JSON): its digest must match the receipt\u2019s").option("--json", "print the outcome as JSON").action(async (file, o) => {
    const receipt = readReceipt(file);
    const jwks = o.jwks ? JSON.parse(readFileSync5(o.jwks, "utf8")) : await withStore((store) => publicJwks(store.db));
    const check = await verifyReceipt(receipt, jwks);
    let digestMatches = null;
    if (check.valid && o.notice) {
      const parsed = noticeInput.safeParse(JSON.parse(readFileSync5(o.notice, "utf8")));
      if (!parsed.success)
        throw new Error(`--notice: the file is not a valid notice (${parsed.error.issues[0]?.message})`);
      digestMatches = canonicalDigest(parsed.data) === check.claims.digest;
    }
    if (o.json) printJson({ ...check, digest_matches: digestMatches });
    if (!check.valid) {
      process.stderr.write(`receipt does NOT verify: ${check.reason}
`);
      process.exitCode = 1;
      return;
    }
    if (digestMatches === false) {
      process.stderr.write(
        "the receipt is genuine, but the notice file is not what was received (the digests differ)\n"
      );
      process.exitCode = 1;
      return;
    }
    if (!o.json) {
      const c = check.claims;
      process.stdout.write(
        `receipt verifies (key ${check.kid})
  notice    ${c.notice_id} from ${c.org}
  received  ${c.received_at}
  deadline  ${c.deadline} (internal target ${c.target_deadline})
  digest    ${c.digest}${digestMatches ? " (matches the notice file)" : ""}
`
      );
    }
  });
}
function readReceipt(file) {
  const text4 = readFileSync5(file, "utf8").trim();
  if (text4.startsWith("{")) {
    const answer = JSON.parse(text4);
    if (typeof answer.receipt !== "string") throw new Error(`${file} is JSON without a "receipt" member`);
    return answer.receipt;
  }
  return text4;
}

// src/runtime/demo.ts
var DEMO_PASSWORD = "tapis-demo-2026";
var demoOrganisations = [
  {
    slug: "platform",
    name: "Demo messaging platform",
    kind: "platform",
    flagger_status: null,
    contact_email: "trust-safety@platform.example",
    users: [
      {
        email: "admin@platform.example",
        display_name: "Ayu Admin",
        roles: ["admin"],
        languages: ["en", "id"],
        jurisdictions: ["ID"]
      },
      {
        email: "lead@platform.example",
        display_name: "Bima Lead",
        roles: ["lead"],
        languages: ["en", "id"],
        jurisdictions: ["ID"]
      },
      {
        email: "reviewer@platform.example",
        display_name: "Sam Reviewer",
        roles: ["reviewer"],
        languages: ["en"],
        jurisdictions: ["ID"]
      },
      {
        email: "peninjau@platform.example",
        display_name: "Sari Peninjau",
        roles: ["reviewer"],
        languages: ["id", "en"],
        jurisdictions: ["ID"]
      },
      {
        email: "auditor@platform.example",
        display_name: "Nadia Auditor",
        roles: ["auditor"],
        languages: ["en", "id"],
        jurisdictions: ["ID"]
      }
    ]
  },
  {
    slug: "komdigi",
    name: "Kementerian Komunikasi dan Digital \u2014 Direktorat Pengendalian Konten",
    kind: "government",
    flagger_status: "trusted",
    designated_by: "Demo: designation under MR5/2020 (synthetic)",
    contact_email: "aduan@komdigi.example",
    users: [
      {
        email: "analis@komdigi.example",
        display_name: "Rina Analis",
        roles: ["flagger"],
        languages: ["id"],
        jurisdictions: ["ID"]
      },
      {
        email: "admin@komdigi.example",
        display_name: "Hendra Admin Komdigi",
        roles: ["flagger_admin", "flagger"],
        languages: ["id"],
        jurisdictions: ["ID"]
      }
    ]
  },
  {
    slug: "ngo",
    name: "Demo civil-society monitor",
    kind: "ngo",
    flagger_status: "regular",
    contact_email: "reports@ngo.example",
    users: [
      {
        email: "analyst@ngo.example",
        display_name: "Tari Analyst",
        roles: ["flagger"],
        languages: ["id", "en"],
        jurisdictions: ["ID"]
      }
    ]
  }
];
var demoJurisdiction = {
  code: "ID",
  name: "Indonesia",
  legal_representative: {
    name: "PT Demo Platform Indonesia (perwakilan hukum)",
    email: "legal.id@platform.example",
    address: "Jl. Contoh No. 1, Jakarta Pusat 10110"
  },
  contact_point: {
    name: "Tim Kepatuhan Konten",
    email: "kontak.id@platform.example",
    phone: "+62 21 0000 0000"
  },
  languages: ["id", "en"],
  time_zone: "Asia/Jakarta",
  escalation_roster: [{ name: "Bima Lead", email: "lead@platform.example" }]
};
function demoLogins() {
  return demoOrganisations.flatMap(
    (org) => org.users.map((u) => ({ email: u.email, role: u.roles.join("+"), org: org.slug }))
  );
}
async function seedDemo(db, now) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return transact(db, async (trx) => {
    const marker = await trx.selectFrom("meta").select("key").where("key", "=", "demo_seeded_at").forUpdate().executeTakeFirst();
    if (marker) return false;
    const actor = { type: "system", id: "seed-demo" };
    for (const org of demoOrganisations) {
      const existing = await trx.selectFrom("organisations").select("id").where("slug", "=", org.slug).executeTakeFirst();
      const orgId = existing?.id ?? newId();
      if (!existing) {
        const { users: _, ...fields } = org;
        await trx.insertInto("organisations").values({ id: orgId, ...fields, created_at: now }).execute();
        await appendAudit(
          trx,
          actor,
          { action: "organisation.created", objectType: "organisation", objectId: orgId, change: fields },
          now
        );
      }
      for (const user2 of org.users) {
        const taken2 = await trx.selectFrom("users").select("id").where("email", "=", user2.email).executeTakeFirst();
        if (taken2) continue;
        const id = newId();
        await trx.insertInto("users").values({ id, org_id: orgId, password_hash: passwordHash, created_at: now, ...user2 }).execute();
        await appendAudit(
          trx,
          actor,
          { action: "user.created", objectType: "user", objectId: id, change: { org_id: orgId, ...user2 } },
          now
        );
      }
    }
    await trx.insertInto("jurisdictions").values({
      ...demoJurisdiction,
      legal_representative: JSON.stringify(demoJurisdiction.legal_representative),
      contact_point: JSON.stringify(demoJurisdiction.contact_point),
      escalation_roster: JSON.stringify(demoJurisdiction.escalation_roster),
      updated_at: now
    }).onConflict((oc) => oc.column("code").doNothing()).execute();
    await appendAudit(
      trx,
      actor,
      { action: "jurisdiction.saved", objectType: "jurisdiction", objectId: "ID", change: demoJurisdiction },
      now
    );
    await trx.insertInto("meta").values({ key: "demo_seeded_at", value: JSON.stringify(now.toISOString()) }).execute();
    return true;
  });
}

// src/core/clock.ts
var systemClock = () => /* @__PURE__ */ new Date();

// src/http/server.ts
import fastifyCookie from "@fastify/cookie";
import Fastify, { LogController } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { z as z25 } from "zod";

// src/identity/sessions.ts
import { createHash as createHash5 } from "node:crypto";
var WINDOW_MS = 15 * 60 * 1e3;
var IP_FACTOR = 5;
function csrfTokenFor(sessionToken) {
  return createHash5("sha256").update(`csrf:${sessionToken}`).digest("base64url");
}
async function login(db, input, policy, now) {
  const email2 = input.email.toLowerCase();
  const since = new Date(now.getTime() - WINDOW_MS);
  const failures = await db.selectFrom("login_failures").select(["email", "ip", "at"]).where("at", ">", since).where((eb) => eb.or([eb("email", "=", email2), eb("ip", "=", input.ip)])).orderBy("at").execute();
  const byAccount = failures.filter((f) => f.email === email2);
  const byIp = failures.filter((f) => f.ip === input.ip);
  const blocking = byAccount.length >= policy.maxFailures ? byAccount : byIp.length >= policy.maxFailures * IP_FACTOR ? byIp : null;
  if (blocking) {
    const oldest = blocking[blocking.length - policy.maxFailures]?.at ?? blocking[0].at;
    const retryAfter = Math.max(1, Math.ceil((oldest.getTime() + WINDOW_MS - now.getTime()) / 1e3));
    throw rateLimited("too many failed logins; wait before trying again", retryAfter);
  }
  const user2 = await db.selectFrom("users").select(["id", "password_hash", "disabled_at"]).where("email", "=", email2).executeTakeFirst();
  const ok = await verifyPassword(input.password, user2?.password_hash ?? UNUSABLE_PASSWORD_HASH);
  if (!user2 || !ok || user2.disabled_at) {
    await db.insertInto("login_failures").values({ email: email2, ip: input.ip, at: now }).execute();
    throw unauthenticated("wrong e-mail or password");
  }
  const token = randomToken(43);
  const session = {
    id: newId(),
    user_id: user2.id,
    token_hash: tokenHash(token),
    created_at: now,
    expires_at: new Date(now.getTime() + policy.sessionHours * 3600 * 1e3)
  };
  await transact(db, async (trx) => {
    await trx.deleteFrom("login_failures").where("email", "=", email2).execute();
    await trx.insertInto("sessions").values(session).execute();
    await appendAudit(
      trx,
      { type: "system", id: "login" },
      {
        action: "session.created",
        objectType: "user",
        objectId: user2.id,
        change: { session_id: session.id, ip: input.ip, expires_at: session.expires_at }
      },
      now
    );
  });
  return {
    token,
    csrfToken: csrfTokenFor(token),
    userId: user2.id,
    sessionId: session.id,
    expiresAt: session.expires_at
  };
}
async function logout(db, sessionId, userId, now) {
  await transact(db, async (trx) => {
    await trx.updateTable("sessions").set({ revoked_at: now }).where("id", "=", sessionId).execute();
    await appendAudit(
      trx,
      { type: "system", id: "logout" },
      { action: "session.ended", objectType: "user", objectId: userId, change: { session_id: sessionId } },
      now
    );
  });
}

// src/http/rate-limit.ts
var RateLimiter = class {
  buckets = /* @__PURE__ */ new Map();
  /** Takes one token from the bucket `key` refilled at `perMinute`, or throws a 429. */
  take(key, perMinute, nowMs, what) {
    const rate = perMinute / 6e4;
    const bucket = this.buckets.get(key) ?? { tokens: perMinute, at: nowMs };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.at) * rate);
    bucket.at = nowMs;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      throw rateLimited(
        `${what} is over its limit of ${perMinute} requests a minute`,
        Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1e3))
      );
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 1e5) this.sweep(nowMs);
  }
  sweep(nowMs) {
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.at > 12e4) this.buckets.delete(key);
  }
};

// src/http/access.ts
var SESSION_COOKIE = "tapis_session";
var SAFE_METHODS = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
function registerAccessControl(app, ctx, routes) {
  app.decorateRequest("actor", null);
  const limitRate = rateLimits(ctx);
  const seen = [];
  app.addHook("onRoute", (route) => {
    seen.push(route);
  });
  app.addHook("onReady", async () => {
    for (const route of seen) {
      const access = route.config?.access;
      if (!access)
        throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if (method !== "HEAD") routes.push({ method, url: route.url, access });
    }
  });
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    const auth = await authenticate(request, ctx);
    if (auth && "failure" in auth) throw unauthenticated(auth.failure);
    request.actor = auth?.actor ?? null;
    if (access === "public" || access === void 0) return;
    if (!request.actor) throw unauthenticated("log in, or send an API key as Authorization: Bearer tapis_\u2026");
    await limitRate(request.actor);
    if (request.actor.sessionId && !SAFE_METHODS.has(request.method)) checkCsrf(request);
    if (access !== "authenticated" && !request.actor.permissions.has(access)) {
      throw forbidden(
        `this needs the '${access}' permission, which your ${request.actor.type === "key" ? "API key" : "roles"} do not grant`
      );
    }
  });
}
function rateLimits(ctx) {
  const limiter = new RateLimiter();
  const orgLimits = /* @__PURE__ */ new Map();
  return async (actor) => {
    const now = ctx.clock().getTime();
    let limit = orgLimits.get(actor.orgId);
    if (!limit || Math.abs(now - limit.at) > 3e4) {
      const org = await ctx.db.selectFrom("organisations").select("rate_limit_per_minute").where("id", "=", actor.orgId).executeTakeFirst();
      limit = { perMinute: org?.rate_limit_per_minute ?? null, at: now };
      orgLimits.set(actor.orgId, limit);
    }
    limiter.take(
      `org:${actor.orgId}`,
      limit.perMinute ?? ctx.config.TAPIS_RATE_LIMIT_ORG_PER_MINUTE,
      now,
      "your organisation"
    );
    if (actor.type === "key")
      limiter.take(`key:${actor.id}`, ctx.config.TAPIS_RATE_LIMIT_KEY_PER_MINUTE, now, "this API key");
  };
}
async function authenticate(request, ctx) {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "bearer" || !token) return { failure: "use Authorization: Bearer tapis_\u2026" };
    return authenticateApiKey(ctx.db, token.trim(), ctx.clock());
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const auth = await authenticateSession(ctx.db, cookie, ctx.clock());
    if ("failure" in auth && request.routeOptions.config.access === "public") return null;
    return auth;
  }
  return null;
}
function checkCsrf(request) {
  const sent = request.headers["x-csrf-token"];
  const token = request.cookies[SESSION_COOKIE];
  if (typeof sent !== "string" || !token || sent !== csrfTokenFor(token)) {
    throw forbidden(
      "a change made with a session cookie needs the x-csrf-token header (its value is in the login answer and in GET /v1/me)"
    );
  }
}

// src/http/json-body.ts
var utf8 = new TextDecoder("utf-8", { fatal: true });
var FORBIDDEN_CHARS = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
var SUSPECT_ESCAPE = /\\u(0000|d[89a-f])/i;
function parseStrictJson(body) {
  let text4;
  try {
    text4 = utf8.decode(body);
  } catch {
    throw invalid("the body is not valid UTF-8");
  }
  if (text4.trim() === "") throw invalid("the body is empty; send a JSON object");
  let value;
  try {
    value = JSON.parse(text4, (key, v) => {
      if (key === "__proto__" || key === "constructor")
        throw new SyntaxError(`the key '${key}' is not allowed`);
      return v;
    });
  } catch (error) {
    if (error instanceof RangeError) throw invalid("the body nests too deeply");
    throw invalid(`the body is not valid JSON: ${error.message}`);
  }
  const bad = SUSPECT_ESCAPE.test(text4) ? findForbiddenString(value, []) : null;
  if (bad) {
    throw invalid(
      `${bad.pointer || "the body"}: text may not contain NUL characters or unpaired surrogates`,
      [{ pointer: bad.pointer, detail: "contains a NUL character or an unpaired surrogate" }]
    );
  }
  return value;
}
function findForbiddenString(value, path5) {
  if (typeof value === "string") return FORBIDDEN_CHARS.test(value) ? { pointer: toPointer(path5) } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenString(value[i], [...path5, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_CHARS.test(key)) return { pointer: toPointer([...path5, key]) };
      const found = findForbiddenString(item, [...path5, key]);
      if (found) return found;
    }
  }
  return null;
}
function registerJsonParser(app, bodyLimit) {
  app.removeContentTypeParser(["application/json"]);
  const parser = (_request, body, done) => {
    try {
      done(null, parseStrictJson(body));
    } catch (error) {
      done(error, void 0);
    }
  };
  app.addContentTypeParser("application/json", { parseAs: "buffer", bodyLimit }, parser);
  app.addContentTypeParser(/^application\/[a-z.+-]*\+json$/, { parseAs: "buffer", bodyLimit }, parser);
}

// src/http/metrics.ts
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
function registerMetrics(app) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tapis_" });
  const requests = new Counter({
    name: "tapis_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry]
  });
  const latency = new Histogram({
    name: "tapis_http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"],
    buckets: [1e-3, 25e-4, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1e3);
  });
  return registry;
}

// src/http/openapi.ts
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
async function registerOpenApi(app, publicUrl) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "tapis",
        description: "Notice-and-action desk and content screening engine. Errors are application/problem+json (RFC 9457).",
        version: "0.1.0"
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An organisation API key: tapis_\u2026" },
          session: { type: "apiKey", in: "cookie", name: "tapis_session" }
        }
      },
      security: [{ apiKey: [] }, { session: [] }]
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject
  });
  await app.register(async (docs) => {
    docs.addHook("onRoute", (route) => {
      route.config = { ...route.config, access: "public" };
    });
    await docs.register(fastifySwaggerUi, { routePrefix: "/docs" });
  });
}

// src/http/problems.ts
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
var kinds = {
  invalid: { status: 400, title: "Invalid request" },
  unauthenticated: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  too_large: { status: 413, title: "Content too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  rate_limited: { status: 429, title: "Too many requests" },
  unavailable: { status: 503, title: "Service unavailable" }
};
var internal = { status: 500, title: "Internal error" };
var problemKinds = Object.keys(kinds);
function problemType(kind) {
  return `/problems/${kind.replaceAll("_", "-")}`;
}
function problem(kind, detail, extra = {}) {
  const { status, title } = kinds[kind];
  return { type: problemType(kind), title, status, detail, ...extra };
}
function kindForStatus(status) {
  const entry2 = Object.entries(kinds).find(([, v]) => v.status === status);
  return entry2 ? entry2[0] : null;
}
function toProblem(error) {
  if (error instanceof DomainError) {
    const extra = { ...error.extra };
    if (error.issues.length > 0) extra.errors = error.issues;
    return problem(error.kind, error.message, extra);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = String(error.validationContext ?? "body");
    const errors = error.validation.flatMap((issue) => {
      const keys = issue.params.keys;
      if (issue.keyword === "unrecognized_keys" && keys) {
        return keys.map((key) => ({
          in: where,
          pointer: `${issue.instancePath === "/" ? "" : issue.instancePath}/${key}`,
          detail: `unknown field '${key}'`
        }));
      }
      return [
        {
          in: where,
          pointer: issue.instancePath === "/" ? "" : issue.instancePath,
          detail: issue.message ?? "invalid"
        }
      ];
    });
    const first = errors[0];
    const summary2 = `${where}${first.pointer || ""}: ${first.detail}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`;
    return problem("invalid", summary2, { errors });
  }
  const fastifyError = error;
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const kind = kindForStatus(status) ?? "invalid";
    return { ...problem(kind, describeFastifyError(fastifyError)), status };
  }
  return {
    type: problemType("internal"),
    ...internal,
    detail: "the server failed to handle this request; it has been logged"
  };
}
function describeFastifyError(error) {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "the request body is larger than this endpoint accepts";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return `this endpoint does not accept that content type; ${error.message}`;
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "the body is empty; send a JSON object";
    default:
      return error.message;
  }
}
function sendProblem(reply, body) {
  if (typeof body.retry_after === "number") reply.header("retry-after", String(body.retry_after));
  return reply.code(body.status).type("application/problem+json").send(body);
}
function registerProblemHandling(app) {
  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error);
    if (body.status >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ problem: body.type, status: body.status }, "request refused");
    return sendProblem(reply, { ...body, request_id: request.id });
  });
  app.setNotFoundHandler(
    (request, reply) => sendProblem(
      reply,
      problem("not_found", `no route ${request.method} ${request.url.split("?")[0]}`, {
        request_id: request.id
      })
    )
  );
}

// src/appeals/routes.ts
import { z as z4 } from "zod";

// src/flaggers/precision-review.ts
import { sql as sql12 } from "kysely";

// src/flaggers/judged-targets.ts
import { sql as sql11 } from "kysely";
async function judgedTargets(db, query) {
  if (query.orgIds.length === 0) return [];
  const decidedAt = sql11`coalesce(decisions.created_at, notice_targets.outcome_at)`;
  let select = db.selectFrom("notice_targets").innerJoin("notices", "notices.id", "notice_targets.notice_id").leftJoin("cases", "cases.id", "notice_targets.case_id").leftJoin("decisions", "decisions.id", "cases.decision_id").select((eb) => [
    "notices.org_id",
    "notice_targets.notice_id",
    "notice_targets.idx as target_idx",
    "notices.received_at",
    "notices.category",
    "notices.reference",
    "notice_targets.raw as target",
    "notice_targets.outcome",
    decidedAt.as("decided_at"),
    "decisions.outcome as decision_outcome",
    "cases.outcome as case_outcome",
    "decisions.reverted_at",
    eb.selectFrom("appeals").select(
      sql11`coalesce(jsonb_agg(jsonb_build_object('appellant_type', appeals.appellant_type, 'outcome', appeals.outcome, 'decided_at', appeals.decided_at) order by appeals.decided_at), '[]'::jsonb)`.as(
        "appeals"
      )
    ).whereRef("appeals.decision_id", "=", "decisions.id").where("appeals.outcome", "in", ["upheld", "rejected"]).where("appeals.decided_at", "is not", null).as("appeals")
  ]).where("notices.org_id", "in", [...query.orgIds]).where("notices.kind", "=", "notice");
  if (query.decidedSince) {
    select = select.where("notice_targets.outcome", "is not", null).where(decidedAt, ">=", query.decidedSince);
  }
  const rows2 = await select.orderBy("notices.received_at").orderBy("notice_targets.notice_id").orderBy("notice_targets.idx").execute();
  return rows2.map((row) => ({
    org_id: row.org_id,
    notice_id: row.notice_id,
    target_idx: row.target_idx,
    received_at: new Date(row.received_at),
    category: row.category,
    reference: row.reference,
    target: row.target,
    outcome: row.outcome,
    decided_at: row.decided_at === null ? null : new Date(row.decided_at),
    decision_outcome: row.decision_outcome,
    case_outcome: row.case_outcome,
    reverted_at: row.reverted_at === null ? null : new Date(row.reverted_at),
    appeals: (row.appeals ?? []).map(toAppealFact)
  }));
}
function toAppealFact(row) {
  return { appellant_type: row.appellant_type, outcome: row.outcome, decided_at: new Date(row.decided_at) };
}

// src/flaggers/precision.ts
var restrictive = /* @__PURE__ */ new Set(["removed", "restricted_in_jurisdiction", "suspended", "labelled"]);
var refused = /* @__PURE__ */ new Set(["no_action", "rejected_unsubstantiated"]);
function reversedOnAppeal(row) {
  return row.reverted_at !== null || row.outcome === "reverted" || row.case_outcome === "reverted" || row.appeals.some((a) => a.appellant_type === "affected_user" && a.outcome === "upheld");
}
function overturnedForNotifier(row) {
  return row.appeals.some((a) => a.appellant_type === "notifier" && a.outcome === "upheld");
}
function verdictOf(row) {
  if (row.outcome === null) return "undecided";
  if (restrictive.has(row.outcome) || row.outcome === "reverted")
    return reversedOnAppeal(row) ? "not_upheld" : "upheld";
  if (refused.has(row.outcome)) return overturnedForNotifier(row) ? "upheld" : "not_upheld";
  return "excluded";
}
var WINDOW_DAYS = 90;
var DAY = 864e5;
function figureOf(rows2) {
  const figure2 = {
    precision: null,
    upheld: 0,
    not_upheld: 0,
    decided: 0,
    reversed_on_appeal: 0,
    overturned_for_notifier: 0,
    notices: 0,
    excluded: 0,
    undecided: 0
  };
  const notices = /* @__PURE__ */ new Set();
  for (const row of rows2) {
    const verdict = verdictOf(row);
    if (verdict === "undecided") figure2.undecided += 1;
    else if (verdict === "excluded") figure2.excluded += 1;
    else {
      notices.add(row.notice_id);
      if (verdict === "upheld") {
        figure2.upheld += 1;
        if (refused.has(row.outcome)) figure2.overturned_for_notifier += 1;
      } else {
        figure2.not_upheld += 1;
        if (!refused.has(row.outcome)) figure2.reversed_on_appeal += 1;
      }
    }
  }
  figure2.decided = figure2.upheld + figure2.not_upheld;
  figure2.notices = notices.size;
  figure2.precision = figure2.decided > 0 ? figure2.upheld / figure2.decided : null;
  return figure2;
}
function inPeriod(row, from, to) {
  const at = (row.outcome === null ? row.received_at : row.decided_at ?? row.received_at).getTime();
  return at >= from.getTime() && at <= to.getTime();
}
function windowStart(now, days = WINDOW_DAYS) {
  return new Date(now.getTime() - days * DAY);
}
function figuresOf(rows2, now) {
  const from = windowStart(now);
  return { last_90_days: figureOf(rows2.filter((r) => inPeriod(r, from, now))), all_time: figureOf(rows2) };
}
function countedRows(rows2) {
  return rows2.filter((r) => {
    const verdict = verdictOf(r);
    return verdict === "upheld" || verdict === "not_upheld";
  });
}
function isBelowThreshold(figure2, settings) {
  return figure2.precision !== null && figure2.decided >= settings.minDecided && figure2.precision < settings.threshold;
}

// src/flaggers/precision-review.ts
var PRECISION_ALERT = "flagger_precision_low";
var precisionActor = { type: "system", id: "flagger-precision" };
function precisionSettings(config) {
  return {
    threshold: config.TAPIS_FLAGGER_PRECISION_THRESHOLD,
    minDecided: config.TAPIS_FLAGGER_MIN_DECIDED
  };
}
async function reviewFlaggerPrecision(trx, orgIds, settings, now) {
  if (orgIds.length === 0) return [];
  const flaggers = await trx.selectFrom("organisations").select(["id", "slug"]).where("id", "in", [...new Set(orgIds)]).where("flagger_status", "is not", null).orderBy("id").execute();
  if (flaggers.length === 0) return [];
  const from = windowStart(now);
  const rows2 = await judgedTargets(trx, { orgIds: flaggers.map((f) => f.id), decidedSince: from });
  const reviews = [];
  for (const org of flaggers) {
    const figure2 = figureOf(rows2.filter((r) => r.org_id === org.id && inPeriod(r, from, now)));
    reviews.push(await record(trx, org, figure2, settings, now));
  }
  return reviews;
}
async function record(trx, org, figure2, settings, now) {
  const below = isBelowThreshold(figure2, settings);
  const review = { org_id: org.id, figure: figure2, below, alert_id: null };
  const wasBelow = await belowSince(trx, org.id) !== null;
  if (below === wasBelow) return review;
  const data = {
    slug: org.slug,
    window_days: WINDOW_DAYS,
    threshold: settings.threshold,
    min_decided: settings.minDecided,
    figure: figure2
  };
  const action = below ? "flagger.precision_below_threshold" : "flagger.precision_recovered";
  await appendAudit(
    trx,
    precisionActor,
    { action, objectType: "organisation", objectId: org.id, change: data },
    now
  );
  if (await belowSince(trx, org.id) !== null === below) return review;
  await trx.insertInto("flagger_precision_state").values({
    org_id: org.id,
    below_since: below ? now : null,
    figure: JSON.stringify(figure2),
    changed_at: now
  }).onConflict(
    (oc) => oc.column("org_id").doUpdateSet({ below_since: below ? now : null, figure: JSON.stringify(figure2), changed_at: now })
  ).execute();
  if (below) review.alert_id = await raiseAlert(trx, org.id, data, now);
  return review;
}
async function belowSince(trx, orgId) {
  const state = await trx.selectFrom("flagger_precision_state").select("below_since").where("org_id", "=", orgId).executeTakeFirst();
  return state?.below_since ?? null;
}
async function raiseAlert(trx, orgId, data, now) {
  const id = newId();
  const inserted = await sql12`
    insert into alerts (id, kind, org_id, data, created_at)
    values (${id}, ${PRECISION_ALERT}, ${orgId}, ${JSON.stringify(data)}::jsonb, ${now})
    on conflict (kind, org_id) where acknowledged_at is null do nothing
    returning id`.execute(trx);
  return inserted.rows.length > 0 ? id : null;
}
async function reviewAllFlaggers(db, settings, now) {
  const flaggers = await db.selectFrom("organisations").select("id").where("flagger_status", "is not", null).execute();
  let raised = 0;
  for (const { id } of flaggers) {
    const [review] = await db.transaction().execute((trx) => reviewFlaggerPrecision(trx, [id], settings, now));
    if (review?.alert_id) raised += 1;
  }
  return raised;
}

// src/outbox/outbox.ts
async function enqueue(trx, messages, now) {
  const list2 = Array.isArray(messages) ? messages : [messages];
  if (list2.length === 0) return [];
  const rows2 = list2.map((message) => ({
    id: newId(),
    topic: message.topic,
    ordering_key: message.orderingKey ?? null,
    payload: JSON.stringify(message.payload),
    next_attempt_at: message.notBefore ?? now,
    created_at: now
  }));
  await trx.insertInto("outbox").values(rows2).execute();
  return rows2.map((row) => row.id);
}

// src/enforcement/jobs.ts
var APPLY_TOPIC = "enforcement.apply";
var REVERT_TOPIC = "enforcement.revert";
async function scheduleActions(trx, decision, actions, now) {
  if (actions.length === 0) return [];
  const rows2 = actions.map((action) => ({
    id: newId(),
    decision_id: decision.id,
    case_id: decision.case_id,
    connector: action.connector,
    type: action.type,
    subject: JSON.stringify(action.subject),
    params: JSON.stringify(action.params),
    revertible: action.revertible,
    status: "pending",
    created_at: now
  }));
  await trx.insertInto("enforcement_actions").values(rows2).execute();
  await enqueue(
    trx,
    rows2.map((row) => ({
      topic: APPLY_TOPIC,
      orderingKey: `action:${row.id}`,
      payload: { action_id: row.id }
    })),
    now
  );
  return rows2.map((r) => r.id);
}
async function scheduleReverts(trx, decisionId, now) {
  const applied = await trx.selectFrom("enforcement_actions").select("id").where("decision_id", "=", decisionId).where("status", "=", "applied").where("revertible", "=", true).where("type", "<>", "deliver_statement").execute();
  if (applied.length === 0) return 0;
  await trx.updateTable("enforcement_actions").set({ status: "revert_pending" }).where(
    "id",
    "in",
    applied.map((a) => a.id)
  ).execute();
  await enqueue(
    trx,
    applied.map((a) => ({
      topic: REVERT_TOPIC,
      orderingKey: `action:${a.id}`,
      payload: { action_id: a.id }
    })),
    now
  );
  return applied.length;
}

// src/cases/case-notices.ts
async function noticesOfCase(trx, caseId) {
  return trx.selectFrom("notice_targets").innerJoin("notices", "notices.id", "notice_targets.notice_id").select([
    "notices.id",
    "notices.org_id",
    "notices.status",
    "notices.source_type",
    "notices.paused_since",
    "notices.closed_at",
    "notices.received_at",
    "notice_targets.idx"
  ]).where("notice_targets.case_id", "=", caseId).orderBy("notices.received_at").execute();
}

// src/notices/events.ts
import { sql as sql13 } from "kysely";
var noticeEventTypes = [
  "notice.received",
  "notice.clock.at_risk",
  "notice.clock.target_missed",
  "notice.clock.breached",
  "notice.clarification_requested",
  "notice.clarification_answered",
  "notice.impossible",
  "notice.message",
  "notice.message_read",
  "notice.objection_received",
  "notice.in_review",
  "notice.decided",
  "notice.action_applied",
  "notice.action_reverted",
  "notice.appeal_received",
  "notice.appeal_decided",
  "notice.closed"
];
var WEBHOOK_TOPIC = "webhook.deliver";
async function recordNoticeEvents(trx, events, now, options = {}) {
  if (events.length === 0) return [];
  return runPending(trx, prepareNoticeEvents(trx, events, now, options.alsoRun));
}
function prepareNoticeEvents(trx, events, now, alsoRun) {
  const rows2 = events.map((event) => ({
    id: newId(),
    notice_id: event.noticeId,
    org_id: event.orgId,
    type: event.type,
    data: JSON.stringify(event.data),
    at: now
  }));
  const orgIds = [...new Set(events.map((e) => e.orgId))];
  const statement = sql13`
    with inserted as (
      insert into notice_events (id, notice_id, org_id, type, data, at)
      select id, notice_id, org_id, type, data::jsonb, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows2)}::jsonb)
        as e(id uuid, notice_id uuid, org_id uuid, type text, data text)
    )
    select h.id, h.org_id, h.event_types
    -- The extra expression drives the query (one row, always evaluated), the webhooks join it.
    from (select ${alsoRun ?? sql13`1`}) as driver
      left join webhooks h on h.org_id in (${sql13.join(orgIds)}) and h.disabled_at is null`.compile(trx);
  return {
    statement,
    finish: async (trx2, result) => {
      const hooks = result.rows.filter((hook) => hook.id !== null);
      const messages = [];
      rows2.forEach((row, i) => {
        for (const hook of hooks) {
          if (hook.org_id !== row.org_id) continue;
          if (hook.event_types.length > 0 && !hook.event_types.includes(events[i].type)) continue;
          messages.push({
            topic: WEBHOOK_TOPIC,
            orderingKey: `${hook.id}:${row.notice_id}`,
            payload: { webhook_id: hook.id, event_id: row.id }
          });
        }
      });
      await enqueue(trx2, messages, now);
      return rows2.map((r) => r.id);
    }
  };
}

// src/appeals/notify.ts
async function tellNotifiers(trx, caseId, type, data, appellant, now) {
  const notices = await noticesOfCase(trx, caseId);
  const unique = [...new Map(notices.map((n) => [n.id, n])).values()];
  await recordNoticeEvents(
    trx,
    unique.map((n) => ({
      noticeId: n.id,
      orgId: n.org_id,
      type,
      data: { case_id: caseId, ...data, ...appellant?.noticeId === n.id ? appellant.data : {} }
    })),
    now
  );
}

// src/cases/queue.ts
import { sql as sql14 } from "kysely";
var DEFAULT_LEASE_MS = 5 * 6e4;
function seesWholeQueue(actor) {
  return actor.roles.includes("lead") || actor.roles.includes("admin");
}
async function listQueue(db, actor, filter, now) {
  let query = db.selectFrom("cases").select([
    "id as case_id",
    "subject_key",
    "subject",
    "status",
    "jurisdiction",
    "category",
    "severity",
    "trusted",
    "language",
    "notice_count",
    "hash_match_confidence",
    "due_at",
    "legal_due_at",
    "assigned_to",
    "lease_until",
    "escalated",
    sql14`array(select distinct t.notice_id::text from notice_targets t where t.case_id = cases.id)`.as(
      "notice_ids"
    )
  ]).where(
    (eb) => eb.or([
      eb("status", "in", seesWholeQueue(actor) ? ["open", "escalated"] : ["open"]),
      // A lease that ran out puts the case back in line.
      eb.and([eb("status", "=", "in_review"), eb("lease_until", "<", now)]),
      eb.and([eb("status", "=", "in_review"), eb("assigned_to", "=", actor.id)])
    ])
  ).orderBy(sql14`due_at asc nulls last`).orderBy("trusted", "desc").orderBy("severity", "desc").orderBy(sql14`hash_match_confidence desc nulls last`).orderBy("notice_count", "desc").orderBy("opened_at").limit(filter.limit);
  if (!seesWholeQueue(actor)) {
    query = query.where("jurisdiction", "in", actor.jurisdictions.length ? [...actor.jurisdictions] : ["--"]).where("language", "in", actor.languages.length ? [...actor.languages] : ["--"]);
  }
  if (filter.jurisdiction) query = query.where("jurisdiction", "=", filter.jurisdiction);
  if (filter.category) query = query.where("category", "=", filter.category);
  if (filter.language) query = query.where("language", "=", filter.language);
  if (filter.mine) query = query.where("assigned_to", "=", actor.id);
  if (filter.source) {
    const source = filter.source;
    query = query.where(
      (eb) => eb.exists(
        eb.selectFrom("notice_targets as t").innerJoin("notices as n", "n.id", "t.notice_id").select("t.case_id").whereRef("t.case_id", "=", "cases.id").where("n.source_type", "=", source)
      )
    );
  }
  const rows2 = await query.execute();
  return rows2.map((row) => ({
    ...row,
    priority: priorityOf(row),
    held_by_me: row.assigned_to === actor.id && row.lease_until !== null && row.lease_until > now
  }));
}
function priorityOf(c) {
  return (c.trusted ? 1e3 : 0) + c.severity * 100 + Math.round((c.hash_match_confidence ?? 0) * 50) + Math.min(c.notice_count, 49);
}
function mayWork(actor, c) {
  if (seesWholeQueue(actor)) return true;
  return actor.jurisdictions.includes(c.jurisdiction) && actor.languages.includes(c.language);
}
function assertMayWork(reviewer2, c, what) {
  if (!mayWork(reviewer2, c))
    throw invalid(`that reviewer does not cover ${c.jurisdiction} in '${c.language}'`, [
      { pointer: "/reviewer_id", detail: `cannot work this ${what}` }
    ]);
}
async function claimCase(db, actor, caseId, now, leaseMs = DEFAULT_LEASE_MS) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    if (!mayWork(actor, current)) {
      throw forbidden(
        `this case is for reviewers of ${current.jurisdiction} who speak '${current.language}'`
      );
    }
    if (current.status === "in_review" && current.assigned_to && current.assigned_to !== actor.id && current.lease_until && current.lease_until > now) {
      throw conflict(`another reviewer holds this case until ${current.lease_until.toISOString()}`, {
        lease_until: current.lease_until
      });
    }
    if (current.status === "escalated" && !seesWholeQueue(actor))
      throw forbidden("this case was escalated to a lead");
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const type = current.assigned_to === actor.id && current.status === "in_review" ? "lease_renewed" : "claimed";
    return recordCaseEvent(
      trx,
      current,
      actor,
      {
        type,
        data: {
          lease_until: leaseUntil,
          ...current.assigned_to && current.assigned_to !== actor.id ? { lease_expired_for: current.assigned_to } : {}
        },
        set: { assigned_to: actor.id, lease_until: leaseUntil }
      },
      now
    );
  });
}
function assertHolds(actor, c, now) {
  if (c.status !== "in_review" || c.assigned_to !== actor.id || !c.lease_until || c.lease_until <= now) {
    throw conflict("claim the case first (POST /v1/cases/{id}/claim); your lease is missing or has run out");
  }
}
async function releaseCase(db, actor, caseId, now) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    assertHolds(actor, current, now);
    return recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "released",
        to: current.escalated ? "escalated" : "open",
        set: { assigned_to: null, lease_until: null }
      },
      now
    );
  });
}
async function activeReviewer(db, reviewerId, what) {
  const reviewer2 = await db.selectFrom("users").innerJoin("organisations", "organisations.id", "users.org_id").select([
    "users.id",
    "users.roles",
    "users.languages",
    "users.jurisdictions",
    "users.disabled_at",
    "organisations.kind"
  ]).where("users.id", "=", reviewerId).executeTakeFirst();
  if (!reviewer2 || reviewer2.disabled_at || reviewer2.kind !== "platform" || !reviewer2.roles.some((r) => ["reviewer", "lead", "admin"].includes(r))) {
    throw invalid(`assign the ${what} to an active reviewer of the platform`, [
      { pointer: "/reviewer_id", detail: "not an active reviewer" }
    ]);
  }
  return reviewer2;
}
async function reassignCase(db, actor, caseId, reviewerId, now, leaseMs = DEFAULT_LEASE_MS) {
  const reviewer2 = await activeReviewer(db, reviewerId, "case");
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    assertMayWork(reviewer2, current, "case");
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "reassigned",
        data: { from: current.assigned_to, to: reviewerId, lease_until: leaseUntil },
        set: { assigned_to: reviewerId, lease_until: leaseUntil }
      },
      now
    );
  });
}
async function escalateCase(db, actor, caseId, reason, now) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    if (current.status === "in_review") assertHolds(actor, current, now);
    return recordCaseEvent(
      trx,
      current,
      actor,
      { type: "escalated", data: { reason }, set: { escalated: true, assigned_to: null, lease_until: null } },
      now
    );
  });
}
async function commentOnCase(db, actor, caseId, body, now) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    return recordCaseEvent(trx, current, actor, { type: "commented", data: { body } }, now);
  });
}

// src/notices/notice-clock.ts
import { sql as sql15 } from "kysely";

// src/policy/clock.ts
var HOUR = 36e5;
function pausedMs(pauses, now) {
  return pauses.reduce((total, p) => {
    const end = Math.min((p.to ?? now).getTime(), now.getTime());
    return total + Math.max(0, end - p.from.getTime());
  }, 0);
}
function isPaused(pauses, now) {
  return pauses.some((p) => p.from <= now && (p.to === null || p.to > now));
}
function elapsedShare(receivedAt, hours2, pauses, now) {
  const active = now.getTime() - receivedAt.getTime() - pausedMs(pauses, now);
  return Math.max(0, active) / (hours2 * HOUR);
}
function clockState(receivedAt, hours2, pauses, now, thresholds = [0.5, 0.8], stoppedAt = null) {
  if (stoppedAt && stoppedAt <= now) return "stopped";
  const share = elapsedShare(receivedAt, hours2, pauses, now);
  if (share >= 1) return "breached";
  if (isPaused(pauses, now)) return "paused";
  const firstRisk = Math.min(...thresholds, 1);
  return share >= firstRisk ? "at_risk" : "running";
}
function marks(thresholds, targetShare = 1) {
  const list2 = thresholds.map((share) => ({ kind: "at_risk", share }));
  if (targetShare < 1) list2.push({ kind: "target_missed", share: targetShare });
  list2.push({ kind: "breached", share: 1 });
  return list2.sort((a, b) => a.share - b.share);
}
function markTime(receivedAt, hours2, pauses, now, share) {
  if (isPaused(pauses, now)) return null;
  return new Date(receivedAt.getTime() + share * hours2 * HOUR + pausedMs(pauses, now));
}

// src/notices/notice-clock.ts
function clockMarksOf(row, thresholds) {
  return marks(thresholds, row.target_hours / row.legal_hours);
}
async function pauseClock(trx, notice, reason, messageId, now) {
  if (notice.paused_since) return false;
  await trx.updateTable("notices").set({ paused_since: now, next_clock_at: null }).where("id", "=", notice.id).execute();
  await trx.insertInto("clock_pauses").values({ id: newId(), notice_id: notice.id, paused_at: now, reason, message_id: messageId }).execute();
  await refreshCaseDueTimes(trx, notice.id);
  return true;
}
async function resumeClock(trx, notice, thresholds, now) {
  if (!notice.paused_since) return false;
  const stood = now.getTime() - notice.paused_since.getTime();
  const legalDue = new Date(notice.legal_due_at.getTime() + stood);
  const targetDue = new Date(notice.target_due_at.getTime() + stood);
  const next = nextMarkAt({ ...notice, legal_due_at: legalDue }, thresholds);
  await trx.updateTable("notices").set({ paused_since: null, legal_due_at: legalDue, target_due_at: targetDue, next_clock_at: next }).where("id", "=", notice.id).execute();
  await trx.updateTable("clock_pauses").set({ resumed_at: now }).where("notice_id", "=", notice.id).where("resumed_at", "is", null).execute();
  await refreshCaseDueTimes(trx, notice.id);
  return true;
}
function nextMarkAt(notice, thresholds) {
  const next = clockMarksOf(notice, thresholds)[notice.clock_marks_announced];
  if (!next) return null;
  const start = new Date(notice.legal_due_at.getTime() - notice.legal_hours * 36e5);
  return markTime(start, notice.legal_hours, [], start, next.share);
}
async function stopClock(trx, noticeId, now) {
  await trx.updateTable("notices").set({ closed_at: now, next_clock_at: null }).where("id", "=", noticeId).where("closed_at", "is", null).execute();
  await trx.updateTable("clock_pauses").set({ resumed_at: now }).where("notice_id", "=", noticeId).where("resumed_at", "is", null).execute();
  await refreshCaseDueTimes(trx, noticeId);
}
async function refreshCaseDueTimes(trx, noticeId) {
  await sql15`
    update cases c set
      due_at = d.due_at,
      legal_due_at = d.legal_due_at
    from (
      select t.case_id,
        min(n.target_due_at) filter (where n.paused_since is null and n.closed_at is null) as due_at,
        min(n.legal_due_at) filter (where n.paused_since is null and n.closed_at is null) as legal_due_at
      from notice_targets t
      join notice_targets mine on mine.case_id = t.case_id and mine.notice_id = ${noticeId}
      join notices n on n.id = t.notice_id
      group by t.case_id
    ) d
    where c.id = d.case_id and c.status <> 'closed'`.execute(trx);
}

// src/preservation/preserve.ts
async function preserveForDecision(trx, caseId, decidedAt, preservationDays) {
  const until = addDays(decidedAt, preservationDays);
  const evidence = await trx.updateTable("evidence").set({ preserved_until: until }).where("purged_at", "is", null).where(
    "notice_id",
    "in",
    (eb) => eb.selectFrom("notice_targets").select("notice_id").where("case_id", "=", caseId)
  ).where((eb) => eb.or([eb("preserved_until", "is", null), eb("preserved_until", "<", until)])).executeTakeFirst();
  const content = await trx.updateTable("preserved_content").set({ preserved_until: until }).where("case_id", "=", caseId).where("purged_at", "is", null).where("preserved_until", "<", until).executeTakeFirst();
  return {
    until,
    evidence: Number(evidence.numUpdatedRows),
    preserved_content: Number(content.numUpdatedRows)
  };
}

// src/decisions/outcomes.ts
var decisionOutcomes = [
  "remove",
  "restrict_in_jurisdiction",
  "suspend",
  "label",
  "no_action",
  "reject_unsubstantiated",
  "request_clarification"
];
var caseOutcomeOf = {
  remove: "removed",
  restrict_in_jurisdiction: "restricted_in_jurisdiction",
  suspend: "suspended",
  label: "labelled",
  no_action: "no_action",
  reject_unsubstantiated: "rejected_unsubstantiated"
};
function isRestrictive(outcome2) {
  return outcome2 === "remove" || outcome2 === "restrict_in_jurisdiction" || outcome2 === "suspend" || outcome2 === "label";
}
function defaultActionRequests(facts, subject) {
  switch (facts.outcome) {
    case "remove":
      return [
        { type: subject.kind === "message" ? "hide_message" : "suspend_channel", connector: "webhook" }
      ];
    case "restrict_in_jurisdiction":
      return [{ type: "restrict_in_jurisdiction", connector: "webhook", territories: facts.territories }];
    case "suspend":
      return [
        {
          type: facts.suspension?.target === "account" ? "suspend_account" : "suspend_channel",
          connector: "webhook",
          ...facts.suspension?.until ? { until: facts.suspension.until } : {}
        }
      ];
    case "label":
      return [{ type: "label", connector: "webhook", label: facts.label ?? void 0 }];
    default:
      return [];
  }
}
function planActions(requests, subject, connectors) {
  const actions = [];
  for (const [index, request] of requests.entries()) {
    const connector = connectors[request.connector];
    if (!connector)
      return {
        ok: false,
        index,
        reason: `the ${request.connector} connector is not configured on this instance`
      };
    const capability = connector.capabilities[request.type];
    if (!capability)
      return {
        ok: false,
        index,
        reason: `the ${request.connector} connector cannot ${request.type.replaceAll("_", " ")}`
      };
    const memberAction = request.type === "restrict_member" || request.type === "ban_member";
    if (memberAction && !request.user_id)
      return { ok: false, index, reason: `${request.type} needs the user_id of the account` };
    actions.push({
      type: request.type,
      connector: request.connector,
      subject: { ...subject, ...request.user_id ? { user_id: request.user_id } : {} },
      params: {
        ...request.until ? { until: request.until } : {},
        ...request.territories ? { territories: request.territories } : {},
        ...request.label ? { label: request.label } : {},
        ...request.permissions ? { permissions: request.permissions } : {}
      },
      revertible: capability.revertible,
      note: capability.note
    });
  }
  return { ok: true, actions };
}
function fourEyesRuleFor(rules2, facts) {
  return rules2.find(
    (rule) => rule.outcome === facts.outcome && (!rule.permanent_only || facts.suspension !== null && facts.suspension.until === null) && (!rule.categories || rule.categories.includes(facts.category))
  );
}

// src/decisions/statement.ts
var tdbCategory = {
  terrorism: "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
  violent_extremism: "STATEMENT_CATEGORY_VIOLENCE",
  csam: "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
  public_order: "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
  pornography: "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
  gambling: "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
  fraud: "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
  hoax: "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
  hate_sara: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
  regulated_goods: "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
  privacy: "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
  intellectual_property: "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
  other: "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
};
var tdbSource = {
  trusted_flagger: "SOURCE_TRUSTED_NOTIFIER",
  regular_notice: "SOURCE_ARTICLE_16",
  government_order: "SOURCE_TYPE_OTHER_NOTIFICATION",
  automated_detection: "SOURCE_VOLUNTARY"
};
var visibilityOf = {
  remove_message: "DECISION_VISIBILITY_CONTENT_REMOVED",
  hide_message: "DECISION_VISIBILITY_CONTENT_DISABLED",
  restrict_in_jurisdiction: "DECISION_VISIBILITY_CONTENT_DISABLED",
  label: "DECISION_VISIBILITY_CONTENT_LABELLED",
  restrict_member: "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED"
};
function buildStatement(f) {
  const restrictive3 = f.actions.filter((a) => a.type !== "deliver_statement");
  const visibility = [...new Set(restrictive3.flatMap((a) => visibilityOf[a.type] ?? []))];
  const memberRestricted = restrictive3.some((a) => a.type === "restrict_member" || a.type === "ban_member");
  const accountSuspended = restrictive3.some(
    (a) => a.type === "suspend_account" || a.type === "suspend_channel"
  );
  const permanent = f.suspension !== null && f.suspension.until === null;
  const endOf = (types) => restrictive3.find((a) => types.includes(a.type))?.params.until ?? null;
  const illegal = f.grounds.illegal;
  const incompatible = f.grounds.incompatible;
  const irreversible = restrictive3.filter((a) => !a.revertible);
  return {
    puid: f.puid,
    decision_visibility: visibility,
    decision_monetary: null,
    decision_provision: memberRestricted ? restrictive3.some((a) => a.type === "ban_member") ? "DECISION_PROVISION_PARTIAL_TERMINATION" : "DECISION_PROVISION_PARTIAL_SUSPENSION" : null,
    decision_account: accountSuspended ? permanent ? "DECISION_ACCOUNT_TERMINATED" : "DECISION_ACCOUNT_SUSPENDED" : null,
    account_type: f.suspension?.target === "channel" ? "ACCOUNT_TYPE_BUSINESS" : "ACCOUNT_TYPE_PRIVATE",
    // The two kinds of ground are kept apart (DSA Art. 17(3)(d)-(e)).
    decision_ground: illegal ? "DECISION_GROUND_ILLEGAL_CONTENT" : "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    illegal_content_legal_ground: illegal?.legal_ground ?? null,
    illegal_content_explanation: illegal?.explanation ?? null,
    incompatible_content_ground: incompatible?.ground ?? null,
    incompatible_content_explanation: incompatible?.explanation ?? null,
    category: tdbCategory[f.category] ?? "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    content_type: f.contentType,
    content_date: f.contentDate ? f.contentDate.toISOString().slice(0, 10) : null,
    content_language: f.language.toUpperCase(),
    territorial_scope: f.territories,
    decision_facts: f.facts,
    source_type: f.sourceTypes.length > 0 ? tdbSource[f.sourceTypes[0]] ?? "SOURCE_VOLUNTARY" : "SOURCE_VOLUNTARY",
    source_identity: null,
    automated_detection: f.automatedDetection ? "Yes" : "No",
    automated_decision: "AUTOMATED_DECISION_NOT_AUTOMATED",
    application_date: f.decidedAt.toISOString().slice(0, 10),
    end_date_visibility_restriction: endOf(["restrict_in_jurisdiction", "label"]),
    end_date_monetary_restriction: null,
    end_date_service_restriction: endOf(["restrict_member", "ban_member"]),
    end_date_account_restriction: accountSuspended ? f.suspension?.until ?? null : null,
    irreversible_actions: irreversible.map((a) => ({
      type: a.type,
      note: a.note ?? "this action cannot be undone; an upheld appeal cannot restore it"
    })),
    redress: {
      internal_complaint: {
        how: "Appeal at the address below. A different reviewer decides. It is free.",
        url: f.appealUrl,
        until: f.appealUntil.toISOString()
      },
      out_of_court_settlement: "A certified out-of-court dispute settlement body (DSA Art. 21).",
      judicial_redress: "The competent court of your country."
    }
  };
}

// src/decisions/finalise.ts
var APPEAL_WINDOW_MONTHS = 6;
async function finaliseDecision(ctx, trx, current, actor, event, input, decision, now) {
  const outcome2 = caseOutcomeOf[input.outcome];
  const notices = await noticesOfCase(trx, current.id);
  const actions = [...decision.actions];
  let statementUrl = null;
  if (isRestrictive(input.outcome)) {
    await preserveForDecision(trx, current.id, now, ctx.config.TAPIS_PRESERVATION_DAYS);
    const token = randomToken(40);
    statementUrl = `${ctx.config.publicUrl}/v1/statements/${token}`;
    const appealUntil = addMonths(now, APPEAL_WINDOW_MONTHS);
    const content = buildStatement({
      puid: `${current.id}:${decision.id}`,
      outcome: input.outcome,
      grounds: input.grounds ?? {},
      category: current.category,
      territories: decision.facts.territories.length ? decision.facts.territories : ["*"],
      suspension: decision.facts.suspension,
      actions,
      sourceTypes: [...new Set(notices.map((n) => n.source_type))],
      automatedDetection: current.hash_match_confidence !== null,
      facts: input.facts ?? `Decided on ${notices.length} notice(s) about ${current.subject.url ?? current.subject_key}.`,
      contentType: input.content_type ?? ["CONTENT_TYPE_TEXT"],
      contentDate: null,
      language: current.language,
      decidedAt: now,
      appealUntil,
      appealUrl: `${statementUrl}/appeal`
    });
    await trx.insertInto("statements").values({
      id: newId(),
      decision_id: decision.id,
      case_id: current.id,
      token_hash: tokenHash(token),
      puid: content.puid,
      content: JSON.stringify(content),
      appeal_until: appealUntil,
      created_at: now
    }).execute();
    if (ctx.connectors.webhook?.capabilities.deliver_statement) {
      actions.push({
        type: "deliver_statement",
        connector: "webhook",
        subject: decision.actions[0]?.subject ?? current.subject,
        params: { statement_url: statementUrl, reason: content.category },
        revertible: false
      });
    }
  }
  await scheduleActions(trx, { id: decision.id, case_id: current.id }, actions, now);
  const to = actions.length > 0 ? "actioning" : "closed";
  await recordCaseEvent(
    trx,
    current,
    actor,
    {
      type: event,
      to,
      data: {
        decision_id: decision.id,
        outcome: outcome2,
        actions: actions.map((a) => a.type),
        statement: statementUrl !== null
      },
      set: {
        outcome: outcome2,
        decided_at: now,
        decision_id: decision.id,
        assigned_to: null,
        lease_until: null,
        ...to === "closed" ? { closed_at: now } : {}
      }
    },
    now
  );
  await settleNotices(trx, current.id, outcome2, notices, now, {
    decisionId: decision.id,
    restrictive: isRestrictive(input.outcome)
  });
  await reviewFlaggerPrecision(
    trx,
    notices.map((n) => n.org_id),
    precisionSettings(ctx.config),
    now
  );
  return { case_status: to, actions, statement_url: statementUrl };
}
async function settleNotices(trx, caseId, outcome2, notices, now, decision) {
  await trx.updateTable("notice_targets").set({ outcome: outcome2, outcome_at: now }).where("case_id", "=", caseId).execute();
  const events = [];
  for (const noticeId of new Set(notices.map((n) => n.id))) {
    const targets = await trx.selectFrom("notice_targets").select(["outcome"]).where("notice_id", "=", noticeId).execute();
    const notice = notices.find((n) => n.id === noticeId);
    const settled2 = targets.every((t) => t.outcome !== null);
    const status = settled2 ? noticeStatusOf(targets.map((t) => t.outcome)) : notice.status === "received" ? "in_review" : notice.status;
    await trx.updateTable("notices").set({ status }).where("id", "=", noticeId).execute();
    if (settled2) await stopClock(trx, noticeId, now);
    events.push({
      noticeId,
      orgId: notice.org_id,
      type: "notice.decided",
      data: {
        case_id: caseId,
        decision_id: decision.decisionId,
        outcome: outcome2,
        decided_at: now,
        status,
        redress: decision.restrictive ? { objection: `POST /v1/notices/${noticeId}/objections` } : {
          objection: `POST /v1/notices/${noticeId}/objections`,
          appeal: `POST /v1/notices/${noticeId}/appeals`,
          appeal_until: addMonths(now, APPEAL_WINDOW_MONTHS)
        }
      }
    });
  }
  await recordNoticeEvents(trx, events, now);
}
var restrictive2 = /* @__PURE__ */ new Set([
  "removed",
  "restricted_in_jurisdiction",
  "suspended",
  "labelled",
  "already_actioned"
]);
function noticeStatusOf(outcomes) {
  const acted = outcomes.filter((o) => restrictive2.has(o)).length;
  if (acted === outcomes.length) return "actioned";
  if (acted > 0) return "partially_actioned";
  if (outcomes.every((o) => o === "rejected_unsubstantiated")) return "rejected";
  if (outcomes.every((o) => o === "impossible")) return "impossible";
  return "no_action";
}
function addMonths(date, months) {
  const next = new Date(date);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

// src/appeals/rules.ts
var appealOutcomes = ["upheld", "rejected"];
var APPEAL_LEASE_MS = 5 * 6e4;
var undecidedAppealStatuses = ["open", "in_review"];
var notifierAppealable = /* @__PURE__ */ new Set(["no_action", "reject_unsubstantiated"]);
function notifierMayAppeal(decisionOutcome) {
  return notifierAppealable.has(decisionOutcome);
}
function appealDeadline(decision) {
  return addMonths(decision.approved_at ?? decision.created_at, APPEAL_WINDOW_MONTHS);
}
function tooLate(until, now) {
  if (now.getTime() <= until.getTime()) return null;
  return `the six months to appeal this decision ended on ${until.toISOString().slice(0, 10)} (DSA Art. 20(1)); an out-of-court dispute settlement body (DSA Art. 21) or a court can still hear it`;
}
function tookPartIn(decision, reviewerId) {
  return decision.decided_by === reviewerId || decision.approved_by === reviewerId;
}
function inFlight(actions) {
  return actions.filter((a) => a.status === "pending" && a.type !== "deliver_statement");
}
function standingStatus(actions) {
  if (actions.some((a) => a.status === "failed")) return "action_failed";
  if (actions.some((a) => a.status === "pending")) return "actioning";
  return "closed";
}
function statusAfterAppeal(appeal) {
  if (appeal.outcome === "rejected") return standingStatus(appeal.actions);
  if (appeal.appellant === "notifier") return "open";
  return appeal.reverts > 0 ? "reverting" : "closed";
}

// src/appeals/queue.ts
async function listAppeals(db, actor, filter, now) {
  let query = db.selectFrom("appeals").innerJoin("decisions", "decisions.id", "appeals.decision_id").innerJoin("cases", "cases.id", "appeals.case_id").select([
    "appeals.id",
    "appeals.case_id",
    "appeals.decision_id",
    "appeals.appellant_type",
    "appeals.notice_id",
    "appeals.grounds",
    "appeals.status",
    "appeals.assigned_to",
    "appeals.lease_until",
    "appeals.created_at",
    "decisions.outcome as decision_outcome",
    "decisions.decided_by",
    "decisions.approved_by",
    "decisions.created_at as decided_at",
    "cases.subject",
    "cases.subject_key",
    "cases.jurisdiction",
    "cases.language",
    "cases.category"
  ]).where("appeals.status", "in", undecidedAppealStatuses).orderBy("appeals.created_at").orderBy("appeals.id").limit(filter.limit);
  if (!seesWholeQueue(actor)) {
    query = query.where(
      (eb) => eb.or([
        eb("appeals.status", "=", "open"),
        // A lease that ran out puts the appeal back in line.
        eb("appeals.lease_until", "<", now),
        eb("appeals.assigned_to", "=", actor.id)
      ])
    ).where("decisions.decided_by", "<>", actor.id).where(
      (eb) => eb.or([eb("decisions.approved_by", "is", null), eb("decisions.approved_by", "<>", actor.id)])
    ).where("cases.jurisdiction", "in", actor.jurisdictions.length ? [...actor.jurisdictions] : ["--"]).where("cases.language", "in", actor.languages.length ? [...actor.languages] : ["--"]);
  }
  const rows2 = await query.execute();
  return rows2.map(({ decided_by, approved_by, ...row }) => ({
    ...row,
    decided_by,
    may_decide: !tookPartIn({ decided_by, approved_by }, actor.id),
    held_by_me: row.assigned_to === actor.id && row.lease_until !== null && row.lease_until > now
  }));
}
async function lockAppeal(trx, appealId) {
  const found = await trx.selectFrom("appeals").select("case_id").where("id", "=", appealId).executeTakeFirst();
  if (!found) throw notFound(`no appeal ${appealId}`);
  const current = await lockCase(trx, found.case_id);
  const appeal = await trx.selectFrom("appeals").selectAll().where("id", "=", appealId).forUpdate().executeTakeFirstOrThrow();
  const decision = await trx.selectFrom("decisions").select(["id", "decided_by", "approved_by", "outcome"]).where("id", "=", appeal.decision_id).executeTakeFirstOrThrow();
  if (appeal.status === "decided")
    throw conflict(`the appeal was decided on ${appeal.decided_at?.toISOString()}: ${appeal.outcome}`);
  return { current, appeal, decision };
}
var differentReviewer = "you made or approved the decision under appeal; a different reviewer decides the appeal (DSA Art. 20(4)-(6))";
async function claimAppeal(db, actor, appealId, now, leaseMs = APPEAL_LEASE_MS) {
  return transact(db, async (trx) => {
    const { current, appeal, decision } = await lockAppeal(trx, appealId);
    if (tookPartIn(decision, actor.id)) throw forbidden(differentReviewer);
    if (!mayWork(actor, current))
      throw forbidden(
        `this appeal is for reviewers of ${current.jurisdiction} who speak '${current.language}'`
      );
    if (appeal.assigned_to && appeal.assigned_to !== actor.id && appeal.lease_until && appeal.lease_until > now) {
      throw conflict(`another reviewer holds this appeal until ${appeal.lease_until.toISOString()}`, {
        lease_until: appeal.lease_until
      });
    }
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const renewed = appeal.assigned_to === actor.id && appeal.status === "in_review";
    const updated = await trx.updateTable("appeals").set({ status: "in_review", assigned_to: actor.id, lease_until: leaseUntil }).where("id", "=", appealId).returningAll().executeTakeFirstOrThrow();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "appeal_claimed",
        data: {
          appeal_id: appealId,
          lease_until: leaseUntil,
          ...renewed ? { renewed: true } : {},
          ...appeal.assigned_to && appeal.assigned_to !== actor.id ? { lease_expired_for: appeal.assigned_to } : {}
        }
      },
      now
    );
    return updated;
  });
}
async function reassignAppeal(db, actor, appealId, reviewerId, now, leaseMs = APPEAL_LEASE_MS) {
  const reviewer2 = await activeReviewer(db, reviewerId, "appeal");
  return transact(db, async (trx) => {
    const { current, appeal, decision } = await lockAppeal(trx, appealId);
    if (tookPartIn(decision, reviewerId)) {
      throw invalid(
        "that reviewer made or approved the decision under appeal; choose a different reviewer (DSA Art. 20(4)-(6))",
        [{ pointer: "/reviewer_id", detail: "took part in the decision" }]
      );
    }
    assertMayWork(reviewer2, current, "appeal");
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const updated = await trx.updateTable("appeals").set({ status: "in_review", assigned_to: reviewerId, lease_until: leaseUntil }).where("id", "=", appealId).returningAll().executeTakeFirstOrThrow();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "appeal_reassigned",
        data: { appeal_id: appealId, from: appeal.assigned_to, to: reviewerId, lease_until: leaseUntil }
      },
      now
    );
    return updated;
  });
}

// src/appeals/decide.ts
async function decideAppeal(db, actor, appealId, input, now, precision) {
  return transact(db, async (trx) => {
    const { current, appeal, decision } = await lockAppeal(trx, appealId);
    if (tookPartIn(decision, actor.id)) throw forbidden(differentReviewer);
    if (appeal.status !== "in_review" || appeal.assigned_to !== actor.id || !appeal.lease_until || appeal.lease_until <= now) {
      throw conflict(
        "claim the appeal first (POST /v1/appeals/{id}/claim); your lease is missing or has run out"
      );
    }
    const actions = await trx.selectFrom("enforcement_actions").select(["id", "type", "status"]).where("decision_id", "=", decision.id).execute();
    const appellant = appeal.appellant_type;
    const upheld = input.outcome === "upheld";
    let reverts = 0;
    let cancelled = 0;
    if (upheld && appellant === "affected_user") {
      const flying = inFlight(actions);
      if (flying.length > 0) {
        throw conflict(
          `the decision is still being enforced (${flying.map((a) => a.type).join(", ")} pending); decide the appeal once enforcement has settled, so that nothing is applied after the reversal`,
          { pending_actions: flying }
        );
      }
      const result = await trx.updateTable("enforcement_actions").set({ status: "cancelled" }).where("decision_id", "=", decision.id).where("status", "=", "failed").executeTakeFirst();
      cancelled = Number(result.numUpdatedRows);
      reverts = await scheduleReverts(trx, decision.id, now);
    }
    const to = statusAfterAppeal({ appellant, outcome: input.outcome, reverts, actions });
    let set = to === "closed" && !current.closed_at ? { closed_at: now } : {};
    if (upheld) {
      await trx.updateTable("decisions").set({ reverted_at: now }).where("id", "=", decision.id).execute();
      if (appellant === "affected_user") {
        set = { ...set, outcome: "reverted" };
        await trx.updateTable("notice_targets").set({ outcome: "reverted", outcome_at: now }).where("case_id", "=", current.id).execute();
      } else {
        set = {
          outcome: null,
          decided_at: null,
          decision_id: null,
          closed_at: null,
          due_at: now,
          assigned_to: null,
          lease_until: null
        };
        await trx.updateTable("notice_targets").set({ outcome: null, outcome_at: null }).where("case_id", "=", current.id).execute();
        const noticeIds = trx.selectFrom("notice_targets").select("notice_id").where("case_id", "=", current.id);
        await trx.updateTable("notices").set({ status: "in_review" }).where("id", "in", noticeIds).execute();
      }
    }
    if (upheld && precision) {
      const orgs = await trx.selectFrom("notice_targets").innerJoin("notices", "notices.id", "notice_targets.notice_id").select("notices.org_id").where("notice_targets.case_id", "=", current.id).execute();
      await reviewFlaggerPrecision(
        trx,
        orgs.map((o) => o.org_id),
        precision,
        now
      );
    }
    await trx.updateTable("appeals").set({
      status: "decided",
      outcome: input.outcome,
      reasons: input.reasons,
      decided_by: actor.id,
      decided_at: now,
      lease_until: null
    }).where("id", "=", appeal.id).execute();
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "appeal_decided",
        to,
        data: {
          appeal_id: appeal.id,
          decision_id: decision.id,
          appellant_type: appellant,
          outcome: input.outcome,
          reasons: input.reasons,
          reverts,
          cancelled_actions: cancelled
        },
        set
      },
      now
    );
    await tellNotifiers(
      trx,
      current.id,
      "notice.appeal_decided",
      { appellant_type: appellant, outcome: input.outcome, decided_at: now, case_status: to },
      appeal.notice_id ? { noticeId: appeal.notice_id, data: { appeal_id: appeal.id, reasons: input.reasons } } : null,
      now
    );
    return { appeal_id: appeal.id, outcome: input.outcome, case_status: to, reverts };
  });
}

// src/decisions/statements.ts
async function findStatement(db, token) {
  const statement = await db.selectFrom("statements").selectAll().where("token_hash", "=", tokenHash(token)).executeTakeFirst();
  if (!statement) throw notFound("no statement of reasons at this link");
  return statement;
}
async function readStatement(db, token) {
  const statement = await findStatement(db, token);
  const appeal = await db.selectFrom("appeals").select(["id", "status", "outcome", "reasons", "created_at", "decided_at"]).where("decision_id", "=", statement.decision_id).where("appellant_type", "=", "affected_user").orderBy("created_at", "desc").executeTakeFirst();
  return {
    statement: statement.content,
    issued_at: statement.created_at,
    appeal_until: statement.appeal_until,
    appeal: appeal ?? null
  };
}

// src/appeals/lodge.ts
var affectedUser = { type: "system", id: "affected_user" };
async function appealAsAffectedUser(db, token, input, now) {
  const statement = await findStatement(db, token);
  const late = tooLate(statement.appeal_until, now);
  if (late) throw conflict(late, { appeal_until: statement.appeal_until });
  return transact(db, async (trx) => {
    const current = await lockCase(trx, statement.case_id);
    const appealId = await openAppeal(
      trx,
      current,
      affectedUser,
      {
        decisionId: statement.decision_id,
        appellantType: "affected_user",
        // The contact is personal data: it stays on the appeal, never in events or the audit log.
        appellant: { via: "statement_of_reasons", statement_id: statement.id, contact: input.contact ?? {} },
        noticeId: null,
        grounds: input.grounds
      },
      now
    );
    return { appeal_id: appealId, status: "open", decision_id: statement.decision_id, received_at: now };
  });
}
async function appealAsNotifier(db, actor, noticeId, input, now) {
  const notice = await db.selectFrom("notices").select(["id"]).where("id", "=", noticeId).where("org_id", "=", actor.orgId).executeTakeFirst();
  if (!notice) throw notFound(`no notice ${noticeId}`);
  const org = await db.selectFrom("organisations").select("flagger_status").where("id", "=", actor.orgId).executeTakeFirstOrThrow();
  if (org.flagger_status === "suspended")
    throw forbidden(
      "your organisation\u2019s notices and appeals are suspended (DSA Art. 23(2)); contact the platform"
    );
  const targets = await db.selectFrom("notice_targets").leftJoin("cases", "cases.id", "notice_targets.case_id").leftJoin("decisions", "decisions.id", "cases.decision_id").select([
    "notice_targets.idx",
    "notice_targets.case_id",
    "cases.status as case_status",
    "decisions.id as decision_id",
    "decisions.outcome",
    "decisions.created_at as decided_at",
    "decisions.approved_at"
  ]).where("notice_targets.notice_id", "=", noticeId).orderBy("notice_targets.idx").execute();
  const chosen = appealableTargets(targets, input.target_indexes);
  const byCase = /* @__PURE__ */ new Map();
  for (const t of chosen) {
    const entry2 = byCase.get(t.case_id) ?? {
      decisionId: t.decision_id,
      indexes: [],
      until: appealDeadline({ created_at: t.decided_at, approved_at: t.approved_at })
    };
    entry2.indexes.push(t.idx);
    byCase.set(t.case_id, entry2);
  }
  for (const { until } of byCase.values()) {
    const late = tooLate(until, now);
    if (late) throw conflict(late, { appeal_until: until });
  }
  return transact(db, async (trx) => {
    const items = [];
    for (const [caseId, entry2] of [...byCase].sort(([a], [b]) => a.localeCompare(b))) {
      const current = await lockCase(trx, caseId);
      const appealId = await openAppeal(
        trx,
        current,
        actor,
        {
          decisionId: entry2.decisionId,
          appellantType: "notifier",
          appellant: {
            org_id: actor.orgId,
            org: actor.orgSlug,
            by: { type: actor.type, id: actor.id },
            target_indexes: entry2.indexes
          },
          noticeId,
          grounds: input.grounds
        },
        now
      );
      items.push({
        appeal_id: appealId,
        case_id: caseId,
        decision_id: entry2.decisionId,
        target_indexes: entry2.indexes,
        status: "open",
        appeal_until: entry2.until
      });
    }
    return { items };
  });
}
function appealableTargets(targets, indexes) {
  const why = (t) => {
    if (!t.case_id || !t.decision_id || !t.outcome || !t.decided_at) return "is not decided yet";
    if (!notifierMayAppeal(t.outcome))
      return `was decided '${t.outcome}': a notifier appeals only no_action or reject_unsubstantiated (DSA Art. 20(1))`;
    return null;
  };
  if (indexes) {
    return [...new Set(indexes)].map((idx, i) => {
      const target = targets.find((t) => t.idx === idx);
      const reason = target ? why(target) : `the notice has ${targets.length} targets`;
      if (reason)
        throw invalid(
          `target_indexes[${i}]: target ${idx} ${target ? reason : `does not exist: ${reason}`}`,
          [{ pointer: `/target_indexes/${i}`, detail: reason }]
        );
      return target;
    });
  }
  const eligible = targets.filter((t) => why(t) === null);
  if (eligible.length === 0) {
    throw conflict(
      `nothing on this notice can be appealed by its notifier: ${targets.map((t) => `target ${t.idx} ${why(t)}`).join("; ")}`
    );
  }
  return eligible;
}
async function openAppeal(trx, current, actor, appeal, now) {
  const decision = await trx.selectFrom("decisions").select(["id", "case_id", "status", "reverted_at"]).where("id", "=", appeal.decisionId).executeTakeFirstOrThrow();
  if (decision.reverted_at)
    throw conflict(
      `this decision was already set aside on ${decision.reverted_at.toISOString()}; there is nothing left to appeal`
    );
  if (decision.case_id !== current.id || current.decision_id !== decision.id || decision.status !== "final") {
    throw conflict("a later decision replaced this one; appeal that decision instead");
  }
  const earlier2 = await trx.selectFrom("appeals").select(["status", "outcome", "created_at", "decided_at"]).where("decision_id", "=", decision.id).where("appellant_type", "=", appeal.appellantType).orderBy("created_at", "desc").executeTakeFirst();
  if (earlier2 && earlier2.status !== "decided") {
    const follow2 = appeal.appellantType === "affected_user" ? "follow it at the statement\u2019s link" : "its outcome comes as a notice.appeal_decided event";
    throw conflict(
      `an appeal against this decision is already open (lodged ${earlier2.created_at.toISOString()}); ${follow2}`
    );
  }
  if (earlier2) {
    throw conflict(
      `this decision was already reviewed on appeal (${earlier2.outcome} on ${earlier2.decided_at?.toISOString().slice(0, 10)}); an out-of-court dispute settlement body (DSA Art. 21) or a court can review it further`
    );
  }
  const other = await trx.selectFrom("cases").select("id").where("subject_key", "=", current.subject_key).where("status", "<>", "closed").where("id", "<>", current.id).executeTakeFirst();
  if (other)
    throw conflict(
      `this content is already under review again in case ${other.id}; its decision can be appealed once it is made`,
      { case_id: other.id }
    );
  const id = newId();
  await trx.insertInto("appeals").values({
    id,
    case_id: current.id,
    decision_id: decision.id,
    appellant_type: appeal.appellantType,
    appellant: JSON.stringify(appeal.appellant),
    notice_id: appeal.noticeId,
    grounds: appeal.grounds,
    status: "open",
    created_at: now
  }).execute();
  await recordCaseEvent(
    trx,
    current,
    actor,
    {
      type: "appealed",
      data: {
        appeal_id: id,
        decision_id: decision.id,
        appellant_type: appeal.appellantType,
        notice_id: appeal.noticeId
      }
    },
    now
  );
  await tellNotifiers(
    trx,
    current.id,
    "notice.appeal_received",
    { appellant_type: appeal.appellantType, received_at: now },
    appeal.noticeId ? { noticeId: appeal.noticeId, data: { appeal_id: id, decision_id: decision.id } } : null,
    now
  );
  return id;
}

// src/appeals/routes.ts
var params = z4.strictObject({ id: uuid });
var grounds = text(1e4).describe("Why the decision was wrong, in the appellant\u2019s words");
var appealState = z4.object({
  id: uuid,
  case_id: uuid,
  status: z4.string(),
  assigned_to: uuid.nullable(),
  lease_until: timestamp.nullable()
});
var toState = (row) => ({
  id: row.id,
  case_id: row.case_id,
  status: row.status,
  assigned_to: row.assigned_to,
  lease_until: row.lease_until
});
var appealRoutes = async (app, { ctx }) => {
  app.post(
    "/v1/statements/:token/appeal",
    {
      // The statement's unguessable token is the credential: the affected user needs no account.
      config: { access: "public" },
      schema: {
        tags: ["statements of reasons"],
        summary: "Appeal the decision explained at this link, within six months; free, and decided by a different reviewer",
        params: z4.strictObject({ token: z4.string().regex(/^[A-Za-z0-9]{40}$/, "the token from your link") }),
        body: z4.strictObject({
          grounds,
          contact: z4.strictObject({ email: email.optional() }).optional().describe("Where to reach you, if you wish; never shown to the notifier")
        }),
        response: {
          201: z4.object({ appeal_id: uuid, status: z4.string(), decision_id: uuid, received_at: timestamp })
        }
      }
    },
    async (request, reply) => reply.code(201).send(await appealAsAffectedUser(ctx.db, request.params.token, request.body, ctx.clock()))
  );
  app.post(
    "/v1/notices/:id/appeals",
    {
      config: { access: "notices:submit" },
      schema: {
        tags: ["government channel"],
        summary: "Appeal a decision not to act on your notice (no_action, reject_unsubstantiated), within six months",
        params,
        body: z4.strictObject({
          grounds,
          target_indexes: z4.array(z4.number().int().min(0).max(999)).min(1).max(1e3).optional().describe("The targets whose decision you appeal; all that can be appealed when absent")
        }),
        response: {
          201: z4.object({
            items: z4.array(
              z4.object({
                appeal_id: uuid,
                case_id: uuid,
                decision_id: uuid,
                target_indexes: z4.array(z4.number().int()),
                status: z4.string(),
                appeal_until: timestamp
              })
            )
          })
        }
      }
    },
    async (request, reply) => reply.code(201).send(await appealAsNotifier(ctx.db, request.actor, request.params.id, request.body, ctx.clock()))
  );
  app.get(
    "/v1/appeals",
    {
      config: { access: "appeals:decide" },
      schema: {
        tags: ["appeals"],
        summary: "Appeals waiting for a decision, oldest first; never those on decisions you made or approved",
        querystring: z4.strictObject({ limit: z4.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z4.object({
            items: z4.array(
              z4.object({
                id: uuid,
                case_id: uuid,
                decision_id: uuid,
                appellant_type: z4.string(),
                notice_id: uuid.nullable(),
                grounds: z4.string(),
                status: z4.string(),
                assigned_to: uuid.nullable(),
                lease_until: timestamp.nullable(),
                created_at: timestamp,
                decision_outcome: z4.string(),
                decided_by: uuid,
                decided_at: timestamp,
                subject: z4.unknown(),
                subject_key: z4.string(),
                jurisdiction: z4.string(),
                language: z4.string(),
                category: z4.string(),
                may_decide: z4.boolean(),
                held_by_me: z4.boolean()
              })
            )
          })
        }
      }
    },
    async (request) => ({ items: await listAppeals(ctx.db, request.actor, request.query, ctx.clock()) })
  );
  app.post(
    "/v1/appeals/:id/claim",
    {
      config: { access: "appeals:decide" },
      schema: {
        tags: ["appeals"],
        summary: "Claim the appeal (a 5-minute lease), or renew your lease",
        params,
        response: { 200: appealState }
      }
    },
    async (request) => toState(await claimAppeal(ctx.db, request.actor, request.params.id, ctx.clock()))
  );
  app.post(
    "/v1/appeals/:id/assign",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["appeals"],
        summary: "A lead hands the appeal to a reviewer who took no part in the decision",
        params,
        body: z4.strictObject({ reviewer_id: uuid }),
        response: { 200: appealState }
      }
    },
    async (request) => toState(
      await reassignAppeal(
        ctx.db,
        request.actor,
        request.params.id,
        request.body.reviewer_id,
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/appeals/:id/decision",
    {
      config: { access: "appeals:decide" },
      schema: {
        tags: ["appeals"],
        summary: "Decide the appeal you hold: upheld reverses the decision, rejected lets it stand; the reasons go to the appellant",
        params,
        body: z4.strictObject({
          outcome: z4.enum(appealOutcomes),
          reasons: text(1e4).describe("Sent to the appellant (DSA Art. 20(5))")
        }),
        response: {
          200: z4.object({
            appeal_id: uuid,
            outcome: z4.string(),
            case_status: z4.string(),
            reverts: z4.number().int()
          })
        }
      }
    },
    async (request) => decideAppeal(
      ctx.db,
      request.actor,
      request.params.id,
      request.body,
      ctx.clock(),
      precisionSettings(ctx.config)
    )
  );
};

// src/audit/routes.ts
import { z as z5 } from "zod";
var entry = z5.object({
  seq: z5.number().int(),
  at: timestamp,
  actor_type: z5.string(),
  actor_id: z5.string().nullable(),
  actor_org_id: z5.string().nullable(),
  action: z5.string(),
  object_type: z5.string(),
  object_id: z5.string(),
  change: z5.unknown(),
  change_digest: z5.string(),
  prev_hash: z5.string(),
  hash: z5.string()
});
var auditRoutes = async (app, { ctx }) => {
  app.get(
    "/v1/audit",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["audit"],
        summary: "Page through the audit log, oldest first",
        querystring: z5.strictObject({
          after: z5.coerce.number().int().min(0).default(0).describe("Return entries with seq greater than this"),
          limit: z5.coerce.number().int().min(1).max(1e3).default(100),
          object_type: z5.string().max(64).optional(),
          object_id: z5.string().max(128).optional(),
          action: z5.string().max(128).optional()
        }),
        response: { 200: z5.object({ items: z5.array(entry), next_after: z5.number().int().nullable() }) }
      }
    },
    async (request) => {
      const q = request.query;
      let query = ctx.db.selectFrom("audit_log").selectAll().where("seq", ">", q.after).orderBy("seq").limit(q.limit);
      if (q.object_type) query = query.where("object_type", "=", q.object_type);
      if (q.object_id) query = query.where("object_id", "=", q.object_id);
      if (q.action) query = query.where("action", "=", q.action);
      const items = await query.execute();
      return { items, next_after: items.length === q.limit ? items[items.length - 1].seq : null };
    }
  );
  app.get(
    "/v1/audit/verify",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["audit"],
        summary: "Walk the hash chain and name the first entry that was altered, removed or reordered",
        response: {
          200: z5.object({
            ok: z5.boolean(),
            checked: z5.number().int(),
            fault: z5.object({ seq: z5.number().int(), problem: z5.string(), detail: z5.string() }).nullable(),
            head: z5.object({ seq: z5.number().int(), hash: z5.string() }).nullable()
          })
        }
      }
    },
    async () => verifyAuditChain(ctx.db)
  );
};

// src/cases/routes.ts
import { z as z6 } from "zod";

// src/cases/case-view.ts
async function caseView(db, caseId) {
  const row = await db.selectFrom("cases").selectAll().where("id", "=", caseId).executeTakeFirst();
  if (!row) throw notFound(`no case ${caseId}`);
  const [events, notices, decisions, actions, holds] = await Promise.all([
    db.selectFrom("case_events").select(["seq", "type", "from_status", "to_status", "actor_type", "actor_id", "data", "at"]).where("case_id", "=", caseId).orderBy("seq").execute(),
    db.selectFrom("notice_targets").innerJoin("notices", "notices.id", "notice_targets.notice_id").innerJoin("organisations", "organisations.id", "notices.org_id").select([
      "notices.id",
      "organisations.slug as org",
      "notices.source_type",
      "notices.category",
      "notices.reference",
      "notices.explanation",
      "notices.legal_basis",
      "notices.status",
      "notices.received_at",
      "notices.legal_due_at",
      "notices.target_due_at",
      "notices.paused_since",
      "notice_targets.idx",
      "notice_targets.raw"
    ]).where("notice_targets.case_id", "=", caseId).orderBy("notices.received_at").execute(),
    db.selectFrom("decisions").selectAll().where("case_id", "=", caseId).orderBy("created_at").execute(),
    db.selectFrom("enforcement_actions").selectAll().where("case_id", "=", caseId).orderBy("created_at").execute(),
    db.selectFrom("legal_holds").selectAll().where("case_id", "=", caseId).orderBy("placed_at").execute()
  ]);
  return { ...row, events, notices, decisions, actions, legal_holds: holds };
}

// src/cases/routes.ts
var params2 = z6.strictObject({ id: uuid });
var caseState = z6.object({
  id: uuid,
  status: z6.string(),
  assigned_to: uuid.nullable(),
  lease_until: timestamp.nullable(),
  last_event_seq: z6.number().int()
});
var toState2 = (row) => ({
  id: row.id,
  status: row.status,
  assigned_to: row.assigned_to,
  lease_until: row.lease_until,
  last_event_seq: row.last_event_seq
});
var caseRoutes = async (app, { ctx }) => {
  app.get(
    "/v1/queue",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Open cases you may work on, the one to work next first",
        querystring: z6.strictObject({
          jurisdiction: countryCode.optional(),
          category: z6.string().max(40).optional(),
          source: z6.enum(["trusted_flagger", "government_order", "regular_notice", "automated_detection"]).optional(),
          language: languageCode.optional(),
          mine: z6.enum(["true", "false"]).optional().transform((v) => v === "true"),
          limit: z6.coerce.number().int().min(1).max(500).default(50)
        }),
        response: {
          200: z6.object({
            items: z6.array(
              z6.object({
                case_id: uuid,
                subject_key: z6.string(),
                subject: z6.unknown(),
                status: z6.string(),
                jurisdiction: z6.string(),
                category: z6.string(),
                severity: z6.number().int(),
                trusted: z6.boolean(),
                language: z6.string(),
                notice_count: z6.number().int(),
                notice_ids: z6.array(z6.string()),
                hash_match_confidence: z6.number().nullable(),
                due_at: timestamp.nullable(),
                legal_due_at: timestamp.nullable(),
                priority: z6.number().int(),
                escalated: z6.boolean(),
                held_by_me: z6.boolean()
              })
            )
          })
        }
      }
    },
    async (request) => ({ items: await listQueue(ctx.db, request.actor, request.query, ctx.clock()) })
  );
  app.get(
    "/v1/cases/:id",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["review desk"],
        summary: "The case file: its notices, decisions, actions and event log",
        params: params2
      }
    },
    async (request) => caseView(ctx.db, request.params.id)
  );
  app.post(
    "/v1/cases/:id/claim",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Claim the case (a 5-minute lease), or renew your lease",
        params: params2,
        response: { 200: caseState }
      }
    },
    async (request) => toState2(await claimCase(ctx.db, request.actor, request.params.id, ctx.clock()))
  );
  app.post(
    "/v1/cases/:id/release",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Give the case back to the queue",
        params: params2,
        response: { 200: caseState }
      }
    },
    async (request) => toState2(await releaseCase(ctx.db, request.actor, request.params.id, ctx.clock()))
  );
  app.post(
    "/v1/cases/:id/assign",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["review desk"],
        summary: "A lead hands the case to a reviewer",
        params: params2,
        body: z6.strictObject({ reviewer_id: uuid }),
        response: { 200: caseState }
      }
    },
    async (request) => toState2(
      await reassignCase(ctx.db, request.actor, request.params.id, request.body.reviewer_id, ctx.clock())
    )
  );
  app.post(
    "/v1/cases/:id/escalate",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Escalate the case to a lead",
        params: params2,
        body: z6.strictObject({ reason: z6.string().trim().min(1).max(2e3) }),
        response: { 200: caseState }
      }
    },
    async (request) => toState2(
      await escalateCase(ctx.db, request.actor, request.params.id, request.body.reason, ctx.clock())
    )
  );
  app.post(
    "/v1/cases/:id/comments",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Comment on the case (internal)",
        params: params2,
        body: z6.strictObject({ body: z6.string().trim().min(1).max(2e4) }),
        response: { 201: caseState }
      }
    },
    async (request, reply) => reply.code(201).send(
      toState2(
        await commentOnCase(ctx.db, request.actor, request.params.id, request.body.body, ctx.clock())
      )
    )
  );
};

// src/decisions/routes.ts
import { z as z9 } from "zod";

// src/enforcement/connectors/connector.ts
import { z as z7 } from "zod";
var actionTypes = [
  "remove_message",
  "hide_message",
  "restrict_member",
  "ban_member",
  "suspend_account",
  "suspend_channel",
  "restrict_in_jurisdiction",
  "label",
  "deliver_statement"
];
var enforcementSubjectSchema = z7.strictObject({
  platform: z7.string().min(1).max(40),
  /** e.g. message, member, channel, group, bot, account. */
  kind: z7.string().min(1).max(40),
  /** The canonical subject key the case is filed under. */
  key: z7.string().min(1).max(500),
  username: z7.string().max(64).optional(),
  /**
   * The chat: "-100<digits>" (Bot API form), "<digits>" (t.me/c/<id> form, as notices record
   * it), "-<digits>" (a basic group) or a username.
   */
  chat_id: z7.string().max(64).optional(),
  message_id: z7.number().int().positive().optional(),
  /** A forum topic or reply thread; informational. */
  thread_id: z7.number().int().positive().optional(),
  /** A comment on a channel post: a message of the channel's discussion group. */
  comment_id: z7.number().int().positive().optional(),
  invite_hash: z7.string().max(200).optional(),
  /** For web subjects: the host. */
  host: z7.string().max(253).optional(),
  /** Numeric user id as text: Telegram ids can exceed 32 bits. */
  user_id: z7.string().regex(/^\d{1,16}$/).optional(),
  url: z7.string().min(1).max(2e3)
});
var enforcementParamsSchema = z7.strictObject({
  /** End of a restriction or suspension (RFC 3339); absent means permanent. */
  until: z7.iso.datetime({ offset: true }).optional(),
  /** ISO 3166-1 alpha-2 codes, for restrict_in_jurisdiction. */
  territories: z7.array(z7.string().regex(/^[A-Z]{2}$/)).optional(),
  label: z7.string().max(200).optional(),
  /** For restrict_member: the permissions to leave the member; default all false. */
  permissions: z7.record(z7.string(), z7.boolean()).optional(),
  /** For deliver_statement: where the affected user reads the statement of reasons. */
  statement_url: z7.string().max(2e3).optional(),
  /** A short reason for the platform's own records; never the content itself. */
  reason: z7.string().max(2e3).optional()
});
var enforcementActionSchema = z7.strictObject({
  /** The idempotency key: one per action; every retry, by any worker, reuses it. */
  action_id: z7.string().min(1).max(100),
  type: z7.enum(actionTypes),
  subject: enforcementSubjectSchema,
  params: enforcementParamsSchema,
  case_id: z7.string().min(1).max(100),
  decision_id: z7.string().min(1).max(100)
});
function unsupported(connector, type, operation) {
  return {
    status: "failed",
    detail: operation === "apply" ? `the ${connector.name} connector cannot apply ${type}; route it to a connector that lists it` : `the ${connector.name} connector cannot revert ${type}: the effect is permanent`
  };
}

// src/cases/clarification.ts
async function returnAnsweredCases(trx, noticeId, actor, now) {
  const cases = await trx.selectFrom("notice_targets").innerJoin("cases", "cases.id", "notice_targets.case_id").select("cases.id").where("notice_targets.notice_id", "=", noticeId).where("cases.status", "=", "awaiting_clarification").execute();
  for (const { id } of cases) {
    const stillWaiting = await trx.selectFrom("notice_targets").innerJoin("notices", "notices.id", "notice_targets.notice_id").select("notices.id").where("notice_targets.case_id", "=", id).where("notices.paused_since", "is not", null).where("notices.id", "<>", noticeId).executeTakeFirst();
    if (stillWaiting) continue;
    const current = await lockCase(trx, id);
    await recordCaseEvent(
      trx,
      current,
      actor,
      { type: "clarification_answered", data: { notice_id: noticeId } },
      now
    );
  }
}

// src/policy/policy-store.ts
import { sql as sql16 } from "kysely";

// src/policy/sop-policy.ts
import { z as z8 } from "zod";

// src/policy/sop-policy.default.json
var sop_policy_default_default = {
  taxonomy: [
    {
      code: "terrorism",
      severity: 5,
      labels: {
        id: "Terorisme",
        en: "Terrorism"
      },
      anonymous_notices: false
    },
    {
      code: "violent_extremism",
      severity: 5,
      labels: {
        id: "Ekstremisme kekerasan",
        en: "Violent extremism"
      },
      anonymous_notices: false
    },
    {
      code: "csam",
      severity: 5,
      labels: {
        id: "Materi kekerasan seksual terhadap anak",
        en: "Child sexual abuse material"
      },
      anonymous_notices: true
    },
    {
      code: "public_order",
      severity: 4,
      labels: {
        id: "Konten yang meresahkan masyarakat dan mengganggu ketertiban umum",
        en: "Content disturbing public order"
      },
      anonymous_notices: false
    },
    {
      code: "pornography",
      severity: 3,
      labels: {
        id: "Pornografi",
        en: "Pornography"
      },
      anonymous_notices: false
    },
    {
      code: "gambling",
      severity: 2,
      labels: {
        id: "Perjudian",
        en: "Gambling"
      },
      anonymous_notices: false
    },
    {
      code: "fraud",
      severity: 3,
      labels: {
        id: "Penipuan",
        en: "Fraud"
      },
      anonymous_notices: false
    },
    {
      code: "hoax",
      severity: 3,
      labels: {
        id: "Hoaks",
        en: "Hoax and disinformation"
      },
      anonymous_notices: false
    },
    {
      code: "hate_sara",
      severity: 4,
      labels: {
        id: "Ujaran kebencian berbasis SARA",
        en: "Hate speech (ethnicity, religion, race, inter-group)"
      },
      anonymous_notices: false
    },
    {
      code: "regulated_goods",
      severity: 2,
      labels: {
        id: "Barang yang diatur",
        en: "Regulated goods"
      },
      anonymous_notices: false
    },
    {
      code: "privacy",
      severity: 3,
      labels: {
        id: "Pelanggaran privasi",
        en: "Privacy violation"
      },
      anonymous_notices: false
    },
    {
      code: "intellectual_property",
      severity: 1,
      labels: {
        id: "Kekayaan intelektual",
        en: "Intellectual property"
      },
      anonymous_notices: false
    },
    {
      code: "other",
      severity: 1,
      labels: {
        id: "Lainnya",
        en: "Other"
      },
      anonymous_notices: false
    }
  ],
  rules: [
    {
      jurisdiction: "*",
      category: "*",
      source_type: "*",
      legal_deadline_hours: 24,
      note: "DSA: without undue delay; 24 h as the default working deadline"
    },
    {
      jurisdiction: "*",
      category: "terrorism",
      source_type: "government_order",
      legal_deadline_hours: 1,
      note: "TCO Art. 3(3): removal orders within one hour"
    },
    {
      jurisdiction: "ID",
      category: "*",
      source_type: "*",
      legal_deadline_hours: 24,
      note: "MR5 Art. 14(3): 24 hours"
    },
    {
      jurisdiction: "ID",
      category: "terrorism",
      source_type: "*",
      legal_deadline_hours: 4,
      note: "MR5 Art. 14(3): urgent content, 4 hours"
    },
    {
      jurisdiction: "ID",
      category: "violent_extremism",
      source_type: "*",
      legal_deadline_hours: 4,
      note: "MR5 Art. 14(3): urgent content, 4 hours"
    },
    {
      jurisdiction: "ID",
      category: "csam",
      source_type: "*",
      legal_deadline_hours: 4,
      note: "MR5 Art. 14(3): urgent content, 4 hours"
    },
    {
      jurisdiction: "ID",
      category: "public_order",
      source_type: "*",
      legal_deadline_hours: 4,
      note: "MR5 Art. 14(3): urgent content, 4 hours"
    },
    {
      jurisdiction: "ID",
      category: "terrorism",
      source_type: "trusted_flagger",
      legal_deadline_hours: 4,
      internal_target_hours: 1,
      note: "SOP point 2: trusted government notices on terrorism, 1 hour internal target (the TCO standard)"
    },
    {
      jurisdiction: "ID",
      category: "terrorism",
      source_type: "government_order",
      legal_deadline_hours: 4,
      internal_target_hours: 1,
      note: "SOP point 2: government orders on terrorism, 1 hour internal target (the TCO standard)"
    }
  ],
  at_risk_thresholds: [0.5, 0.8],
  four_eyes: [
    {
      outcome: "suspend",
      permanent_only: true,
      note: "A permanent suspension waits for a second reviewer (DSA Art. 23: proportionality of terminations)"
    }
  ]
};

// src/policy/sop-policy.ts
var sourceTypes = [
  "trusted_flagger",
  "government_order",
  "regular_notice",
  "automated_detection"
];
var code = z8.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "lower-case letters, digits and _, 2\u201340 characters");
var hours = z8.number().positive().max(24 * 365);
var categorySchema = z8.strictObject({
  code,
  /** 1 (least) to 5 (most severe): a queue priority, after the due time. */
  severity: z8.number().int().min(1).max(5),
  labels: z8.strictObject({ id: z8.string().min(1).max(200), en: z8.string().min(1).max(200) }),
  /** DSA Art. 16(2)(c): the notifier may stay anonymous (child sexual abuse material). */
  anonymous_notices: z8.boolean()
});
var ruleSchema = z8.strictObject({
  jurisdiction: z8.union([z8.literal("*"), z8.string().regex(/^[A-Z]{2}$/)]),
  category: z8.union([z8.literal("*"), code]),
  source_type: z8.union([z8.literal("*"), z8.enum(sourceTypes)]),
  legal_deadline_hours: hours,
  internal_target_hours: hours.optional(),
  note: z8.string().max(500).optional()
});
var fourEyesRuleSchema = z8.strictObject({
  outcome: z8.enum([
    "remove",
    "restrict_in_jurisdiction",
    "suspend",
    "label",
    "no_action",
    "reject_unsubstantiated"
  ]),
  /** Only when the suspension is permanent. */
  permanent_only: z8.boolean().default(false),
  /** Only for these categories; all when absent. */
  categories: z8.array(code).max(200).optional(),
  note: z8.string().max(500).optional()
});
var policySchema = z8.strictObject({
  taxonomy: z8.array(categorySchema).min(1).max(200),
  rules: z8.array(ruleSchema).min(1).max(2e3),
  at_risk_thresholds: z8.array(z8.number().gt(0).lt(1)).max(5),
  four_eyes: z8.array(fourEyesRuleSchema).max(100).default([])
}).superRefine((policy, ctx) => {
  const codes = /* @__PURE__ */ new Set();
  policy.taxonomy.forEach((category, i) => {
    if (codes.has(category.code))
      ctx.addIssue({
        code: "custom",
        path: ["taxonomy", i, "code"],
        message: `duplicate category '${category.code}'`
      });
    codes.add(category.code);
  });
  policy.rules.forEach((rule, i) => {
    if (rule.category !== "*" && !codes.has(rule.category)) {
      ctx.addIssue({
        code: "custom",
        path: ["rules", i, "category"],
        message: `'${rule.category}' is not in the taxonomy`
      });
    }
    if (rule.internal_target_hours !== void 0 && rule.internal_target_hours > rule.legal_deadline_hours) {
      ctx.addIssue({
        code: "custom",
        path: ["rules", i, "internal_target_hours"],
        message: "the internal target must not be later than the legal deadline"
      });
    }
  });
  if (!policy.rules.some((r) => r.jurisdiction === "*" && r.category === "*" && r.source_type === "*")) {
    ctx.addIssue({
      code: "custom",
      path: ["rules"],
      message: "a catch-all rule (*, *, *) is required so every notice gets a deadline"
    });
  }
});
var defaultPolicy = policySchema.parse(sop_policy_default_default);
function specificity(rule) {
  return (rule.jurisdiction === "*" ? 0 : 4) + (rule.category === "*" ? 0 : 2) + (rule.source_type === "*" ? 0 : 1);
}
function deadlinesFor(policy, facts) {
  const matching = policy.rules.filter(
    (r) => (r.jurisdiction === "*" || r.jurisdiction === facts.jurisdiction) && (r.category === "*" || r.category === facts.category) && (r.source_type === "*" || r.source_type === facts.sourceType)
  );
  const rule = matching.sort(
    (a, b) => specificity(b) - specificity(a) || a.legal_deadline_hours - b.legal_deadline_hours
  )[0];
  if (!rule) throw new Error("the policy has no catch-all rule");
  return {
    legalHours: rule.legal_deadline_hours,
    targetHours: rule.internal_target_hours ?? rule.legal_deadline_hours,
    rule
  };
}
function findCategory(policy, codeValue) {
  return policy.taxonomy.find((c) => c.code === codeValue);
}

// src/policy/policy-store.ts
var CACHE_MS = 5e3;
var cache = /* @__PURE__ */ new WeakMap();
async function currentPolicy(db) {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.policy;
  let row = await db.selectFrom("sop_policies").selectAll().orderBy("version", "desc").limit(1).executeTakeFirst();
  if (!row) {
    await installDefaultPolicy(db);
    row = await db.selectFrom("sop_policies").selectAll().orderBy("version", "desc").limit(1).executeTakeFirstOrThrow();
  }
  const policy = { ...row, document: row.document };
  cache.set(db, { at: Date.now(), policy });
  return policy;
}
async function installDefaultPolicy(db) {
  await transact(db, async (trx) => {
    await sql16`select pg_advisory_xact_lock(${2054165763})`.execute(trx);
    const any = await trx.selectFrom("sop_policies").select("version").executeTakeFirst();
    if (any) return;
    const now = /* @__PURE__ */ new Date();
    await trx.insertInto("sop_policies").values({
      version: 1,
      document: JSON.stringify(defaultPolicy),
      note: "the default policy shipped with tapis",
      created_by: "system",
      created_at: now
    }).execute();
    await appendAudit(
      trx,
      { type: "system", id: "policy-default" },
      {
        action: "policy.version_created",
        objectType: "sop_policy",
        objectId: "1",
        change: { version: 1, note: "default" }
      },
      now
    );
  });
}
async function listPolicyVersions(db) {
  await currentPolicy(db);
  return db.selectFrom("sop_policies").select(["version", "note", "created_by", "created_at"]).orderBy("version", "desc").execute();
}
async function policyVersion(db, version) {
  const row = await db.selectFrom("sop_policies").selectAll().where("version", "=", version).executeTakeFirst();
  return row ? { ...row, document: row.document } : void 0;
}
async function savePolicy(db, actor, document, note, now) {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ pointer: toPointer(i.path), detail: i.message }));
    throw invalid(`the policy is not valid: ${issues[0].pointer || "/"}: ${issues[0].detail}`, issues);
  }
  await currentPolicy(db);
  const saved = await transact(db, async (trx) => {
    await sql16`select pg_advisory_xact_lock(${2054165763})`.execute(trx);
    const last = await trx.selectFrom("sop_policies").select("version").orderBy("version", "desc").limit(1).executeTakeFirstOrThrow();
    const version = last.version + 1;
    const row = { version, document: parsed.data, note, created_by: actor.id, created_at: now };
    await trx.insertInto("sop_policies").values({ ...row, document: JSON.stringify(parsed.data) }).execute();
    await appendAudit(
      trx,
      actor,
      {
        action: "policy.version_created",
        objectType: "sop_policy",
        objectId: String(version),
        change: { version, note, document: parsed.data }
      },
      now
    );
    return row;
  });
  cache.delete(db);
  return saved;
}

// src/notices/notice-view.ts
async function loadNotice(db, actor, id) {
  let query = db.selectFrom("notices").innerJoin("organisations", "organisations.id", "notices.org_id").selectAll("notices").select(["organisations.slug as org"]).where("notices.id", "=", id);
  if (!seesAllOrganisations(actor)) query = query.where("notices.org_id", "=", actor.orgId);
  const notice = await query.executeTakeFirst();
  if (!notice) throw notFound(`no notice ${id}`);
  return notice;
}
async function noticeView(db, actor, id, now) {
  const notice = await loadNotice(db, actor, id);
  const [targets, pauses, evidence, policy] = await Promise.all([
    db.selectFrom("notice_targets").leftJoin("cases", "cases.id", "notice_targets.case_id").select([
      "idx",
      "raw",
      "notice_targets.subject",
      "notice_targets.case_id",
      "notice_targets.outcome",
      "notice_targets.outcome_at",
      "cases.status as case_status"
    ]).where("notice_id", "=", id).orderBy("idx").execute(),
    db.selectFrom("clock_pauses").select(["paused_at", "resumed_at", "reason"]).where("notice_id", "=", id).orderBy("paused_at").execute(),
    db.selectFrom("evidence").select(["id", "filename", "content_type", "size", "sha256", "uploaded_at", "purged_at"]).where("notice_id", "=", id).orderBy("uploaded_at").execute(),
    currentPolicy(db)
  ]);
  const clockPauses = pauses.map((p) => ({ from: p.paused_at, to: p.resumed_at }));
  const state = clockState(
    notice.received_at,
    notice.legal_hours,
    clockPauses,
    now,
    policy.document.at_risk_thresholds,
    notice.closed_at
  );
  const pausedFor = notice.paused_since ? now.getTime() - notice.paused_since.getTime() : 0;
  return {
    id: notice.id,
    org: notice.org,
    kind: notice.kind,
    source_type: notice.source_type,
    category: notice.category,
    jurisdiction: notice.jurisdiction,
    language: notice.language,
    legal_basis: notice.legal_basis,
    legal_references: notice.legal_references,
    explanation: notice.explanation,
    reference: notice.reference,
    notifier: notice.anonymous && !seesAllOrganisations(actor) ? notice.notifier : notice.notifier,
    anonymous: notice.anonymous,
    order: notice.order_details,
    status: notice.status,
    received_at: notice.received_at,
    deadline: new Date(notice.legal_due_at.getTime() + pausedFor),
    target_deadline: new Date(notice.target_due_at.getTime() + pausedFor),
    clock: {
      state,
      paused: notice.paused_since !== null,
      pauses: pauses.map((p) => ({ paused_at: p.paused_at, resumed_at: p.resumed_at, reason: p.reason }))
    },
    policy_version: notice.policy_version,
    closed_at: notice.closed_at,
    digest: notice.digest,
    receipt: notice.receipt,
    targets: targets.map((t) => ({
      index: t.idx,
      raw: t.raw,
      subject: t.subject,
      case_id: t.case_id,
      case_status: t.case_status,
      outcome: t.outcome,
      outcome_at: t.outcome_at
    })),
    evidence
  };
}
async function listNotices(db, actor, filter) {
  let query = db.selectFrom("notices").innerJoin("organisations", "organisations.id", "notices.org_id").select([
    "notices.id",
    "organisations.slug as org",
    "notices.kind",
    "notices.category",
    "notices.jurisdiction",
    "notices.source_type",
    "notices.reference",
    "notices.status",
    "notices.received_at",
    "notices.legal_due_at as deadline",
    "notices.target_due_at as target_deadline",
    "notices.paused_since"
  ]).orderBy("notices.received_at", "desc").orderBy("notices.id", "desc").limit(filter.limit);
  if (!seesAllOrganisations(actor)) query = query.where("notices.org_id", "=", actor.orgId);
  if (filter.org) query = query.where("organisations.slug", "=", filter.org);
  if (filter.status) query = query.where("notices.status", "=", filter.status);
  if (filter.category) query = query.where("notices.category", "=", filter.category);
  if (filter.reference) query = query.where("notices.reference", "=", filter.reference);
  if (filter.before) query = query.where("notices.received_at", "<", filter.before);
  const items = await query.execute();
  return { items, next_before: items.length === filter.limit ? items[items.length - 1].received_at : null };
}

// src/notices/threads.ts
var impossibilityReasons = [
  "force_majeure",
  "de_facto_impossibility",
  "manifest_errors",
  "insufficient_information",
  "not_our_service",
  "other"
];
var sideOf = (actor) => actor.orgKind === "platform" ? "platform" : "notifier";
var rules = {
  message: { side: "both", event: "notice.message" },
  clarification_request: { side: "platform", event: "notice.clarification_requested" },
  clarification_answer: { side: "notifier", event: "notice.clarification_answered" },
  impossible: { side: "platform", event: "notice.impossible" },
  objection: { side: "notifier", event: "notice.objection_received" }
};
var settled = /* @__PURE__ */ new Set(["impossible", "closed", "actioned", "partially_actioned", "no_action", "rejected"]);
async function postMessage(db, actor, noticeId, input, now) {
  const rule = rules[input.kind];
  if (rule.side !== "both" && rule.side !== sideOf(actor)) {
    throw forbidden(
      `only the ${rule.side === "platform" ? "platform" : "notifier"} can send a ${input.kind.replaceAll("_", " ")}`
    );
  }
  await loadNotice(db, actor, noticeId);
  const policy = await currentPolicy(db);
  const targetCount = await db.selectFrom("notice_targets").select(db.fn.countAll().as("n")).where("notice_id", "=", noticeId).executeTakeFirstOrThrow();
  const badIndex = (input.targetIndexes ?? []).findIndex((i) => i >= Number(targetCount.n));
  if (badIndex >= 0)
    throw invalid(`target_indexes[${badIndex}]: the notice has ${targetCount.n} targets`, [
      { pointer: `/target_indexes/${badIndex}`, detail: "no such target" }
    ]);
  return transact(
    db,
    (trx) => writeMessage(trx, actor, noticeId, input, policy.document.at_risk_thresholds, now)
  );
}
async function writeMessage(trx, actor, noticeId, input, thresholds, now) {
  const side = sideOf(actor);
  const rule = rules[input.kind];
  const current = await trx.selectFrom("notices").selectAll().where("id", "=", noticeId).forUpdate().executeTakeFirstOrThrow();
  const id = newId();
  let status = current.status;
  switch (input.kind) {
    case "clarification_request":
      if (settled.has(current.status))
        throw conflict(`the notice is ${current.status}; there is nothing to clarify`);
      if (current.paused_since)
        throw conflict("a clarification request is already open; wait for the answer");
      status = "clarification_requested";
      break;
    case "clarification_answer":
      if (!current.paused_since) throw conflict("no clarification request is open on this notice");
      status = "in_review";
      break;
    case "impossible":
      if (settled.has(current.status)) throw conflict(`the notice is already ${current.status}`);
      if (!input.reason)
        throw invalid("say why the notice cannot be carried out", [
          { pointer: "/reason", detail: "required" }
        ]);
      status = input.targetIndexes?.length ? current.status : "impossible";
      break;
    case "objection":
      if (!["actioned", "partially_actioned", "no_action", "rejected", "impossible"].includes(current.status)) {
        throw conflict("an objection answers a decision; this notice has none yet");
      }
      status = "objected";
      break;
    case "message":
      break;
  }
  await trx.insertInto("thread_messages").values({
    id,
    notice_id: noticeId,
    side,
    kind: input.kind,
    author_type: actor.type,
    author_id: actor.id,
    author_name: actor.displayName,
    body: input.body,
    target_idx: input.targetIndexes?.[0] ?? null,
    created_at: now
  }).execute();
  if (input.attachments?.length) await attach(trx, noticeId, id, input.attachments);
  if (input.kind === "clarification_request")
    await pauseClock(trx, current, "clarification_requested", id, now);
  if (input.kind === "clarification_answer") {
    await resumeClock(trx, current, thresholds, now);
    await returnAnsweredCases(trx, noticeId, actor, now);
  }
  if (input.kind === "impossible")
    await markImpossible(trx, noticeId, input.targetIndexes, status === "impossible", now);
  if (status !== current.status)
    await trx.updateTable("notices").set({ status }).where("id", "=", noticeId).execute();
  const data = {
    message_id: id,
    side,
    kind: input.kind,
    status,
    ...input.reason ? { reason: input.reason } : {},
    ...input.targetIndexes ? { target_indexes: input.targetIndexes } : {}
  };
  await recordNoticeEvents(trx, [{ noticeId, orgId: current.org_id, type: rule.event, data }], now);
  await appendAudit(
    trx,
    actor,
    { action: `notice.${input.kind}`, objectType: "notice", objectId: noticeId, change: data },
    now
  );
  return { id, notice_id: noticeId, side, kind: input.kind, status, created_at: now };
}
async function attach(trx, noticeId, messageId, evidenceIds) {
  const found = await trx.selectFrom("evidence").select("id").where("notice_id", "=", noticeId).where("id", "in", evidenceIds).execute();
  const missing = evidenceIds.filter((e) => !found.some((f) => f.id === e));
  if (missing.length > 0) {
    throw invalid(
      `attachments: ${missing[0]} is not evidence of this notice; upload it first to /v1/notices/${noticeId}/evidence`,
      [{ pointer: `/attachments/${evidenceIds.indexOf(missing[0])}`, detail: "unknown evidence id" }]
    );
  }
  await trx.updateTable("evidence").set({ message_id: messageId }).where("id", "in", evidenceIds).execute();
}
async function markImpossible(trx, noticeId, indexes, whole, now) {
  let query = trx.updateTable("notice_targets").set({ outcome: "impossible", outcome_at: now }).where("notice_id", "=", noticeId).where("outcome", "is", null);
  if (!whole && indexes) query = query.where("idx", "in", indexes);
  await query.execute();
  if (whole) await stopClock(trx, noticeId, now);
}
async function readThread(db, actor, noticeId) {
  await loadNotice(db, actor, noticeId);
  const messages = await db.selectFrom("thread_messages").leftJoin(
    "thread_reads",
    (join) => join.onRef("thread_reads.message_id", "=", "thread_messages.id").onRef("thread_reads.side", "<>", "thread_messages.side")
  ).select([
    "thread_messages.id",
    "thread_messages.side",
    "thread_messages.kind",
    "thread_messages.author_name",
    "thread_messages.body",
    "thread_messages.target_idx",
    "thread_messages.created_at",
    "thread_reads.read_at"
  ]).where("thread_messages.notice_id", "=", noticeId).orderBy("thread_messages.created_at").orderBy("thread_messages.id").execute();
  const attachments2 = await db.selectFrom("evidence").select(["id", "message_id", "filename", "content_type", "size", "sha256"]).where("notice_id", "=", noticeId).where("message_id", "is not", null).execute();
  return messages.map((m) => ({
    ...m,
    read_at: m.read_at ?? null,
    attachments: attachments2.filter((a) => a.message_id === m.id).map(({ message_id: _, ...a }) => a)
  }));
}
async function markRead(db, actor, noticeId, upTo, now) {
  const notice = await loadNotice(db, actor, noticeId);
  const side = sideOf(actor);
  return transact(db, async (trx) => {
    const last = await trx.selectFrom("thread_messages").select("created_at").where("id", "=", upTo).where("notice_id", "=", noticeId).executeTakeFirst();
    if (!last) throw notFound(`no message ${upTo} in this thread`);
    const unread = await trx.selectFrom("thread_messages").select("id").where("notice_id", "=", noticeId).where("side", "<>", side).where("created_at", "<=", last.created_at).where(
      (eb) => eb.not(
        eb.exists(
          eb.selectFrom("thread_reads").select("message_id").whereRef("thread_reads.message_id", "=", "thread_messages.id").where("thread_reads.side", "=", side)
        )
      )
    ).execute();
    if (unread.length === 0) return 0;
    await trx.insertInto("thread_reads").values(unread.map((m) => ({ message_id: m.id, side, reader_id: actor.id, read_at: now }))).execute();
    await recordNoticeEvents(
      trx,
      [
        {
          noticeId,
          orgId: notice.org_id,
          type: "notice.message_read",
          data: { side, message_ids: unread.map((m) => m.id) }
        }
      ],
      now
    );
    return unread.length;
  });
}

// src/decisions/decide.ts
var DAY2 = 864e5;
async function previewDecision(ctx, caseId, input, now) {
  const current = await ctx.db.selectFrom("cases").selectAll().where("id", "=", caseId).executeTakeFirst();
  if (!current) throw notFound(`no case ${caseId}`);
  const issues = [];
  if (isRestrictive(input.outcome) && !input.grounds?.illegal && !input.grounds?.incompatible) {
    issues.push({
      pointer: "/grounds",
      detail: "a restrictive decision needs a legal ground or a terms-of-service ground, with its explanation (DSA Art. 17(3))"
    });
  }
  if (input.outcome === "restrict_in_jurisdiction" && !input.territories?.length) {
    issues.push({ pointer: "/territories", detail: "name the territories where the content is restricted" });
  }
  if (input.outcome === "suspend" && !input.suspension)
    issues.push({ pointer: "/suspension", detail: "say what is suspended, and for how long or permanently" });
  if (input.suspension && !input.suspension.permanent && !input.suspension.duration_days) {
    issues.push({ pointer: "/suspension", detail: "give duration_days, or permanent: true" });
  }
  if (input.outcome === "label" && !input.label)
    issues.push({ pointer: "/label", detail: "give the label to show" });
  if (input.outcome === "request_clarification" && !input.question)
    issues.push({ pointer: "/question", detail: "ask the notifier your question" });
  if (issues.length > 0) throw invalid(`${issues[0].pointer.slice(1)}: ${issues[0].detail}`, issues);
  const until = input.suspension && !input.suspension.permanent && input.suspension.duration_days ? new Date(now.getTime() + input.suspension.duration_days * DAY2).toISOString() : null;
  const facts = {
    outcome: input.outcome,
    territories: input.territories ?? [],
    suspension: input.suspension ? { target: input.suspension.target, until } : null,
    label: input.label ?? null,
    category: current.category
  };
  const requests = input.actions ?? defaultActionRequests(facts, current.subject);
  const plan = planActions(requests, current.subject, ctx.connectors);
  if (!plan.ok)
    throw invalid(`actions[${plan.index}]: ${plan.reason}`, [
      { pointer: `/actions/${plan.index}`, detail: plan.reason }
    ]);
  const policy = await currentPolicy(ctx.db);
  const rule = fourEyesRuleFor(policy.document.four_eyes, facts);
  const irreversible = plan.actions.filter((a) => !a.revertible);
  const warnings = irreversible.map(
    (a) => `${a.type.replaceAll("_", " ")} through the ${a.connector} connector cannot be undone: an upheld appeal will not restore it${a.note ? ` (${a.note})` : ""}`
  );
  if (isRestrictive(input.outcome) && !ctx.connectors.webhook)
    warnings.push(
      "no webhook connector is configured: the statement of reasons cannot be delivered to the affected user automatically"
    );
  return {
    outcome: input.outcome,
    actions: plan.actions,
    irreversible,
    four_eyes: rule ? { rule: rule.note ?? `${rule.outcome} needs a second reviewer` } : null,
    warnings,
    facts
  };
}
async function decideCase(ctx, actor, caseId, input, now) {
  const preview = await previewDecision(ctx, caseId, input, now);
  if (preview.irreversible.length > 0 && !input.acknowledge_irreversible) {
    throw conflict(
      `this decision cannot be undone: ${preview.warnings[0]}. Send acknowledge_irreversible: true to go ahead.`,
      {
        irreversible_actions: preview.irreversible.map((a) => ({
          type: a.type,
          connector: a.connector,
          note: a.note ?? null
        }))
      }
    );
  }
  const policy = await currentPolicy(ctx.db);
  return transact(ctx.db, async (trx) => {
    const current = await lockCase(trx, caseId);
    assertHolds(actor, current, now);
    if (input.outcome === "request_clarification") {
      const open = await trx.selectFrom("notice_targets").innerJoin("notices", "notices.id", "notice_targets.notice_id").select("notices.id").distinct().where("notice_targets.case_id", "=", caseId).where("notices.closed_at", "is", null).where("notices.paused_since", "is", null).execute();
      if (open.length === 0) throw conflict("no notice of this case can be asked for clarification");
      for (const notice of open) {
        await writeMessage(
          trx,
          actor,
          notice.id,
          { kind: "clarification_request", body: input.question },
          policy.document.at_risk_thresholds,
          now
        );
      }
      await recordCaseEvent(
        trx,
        current,
        actor,
        {
          type: "clarification_requested",
          data: { question: input.question, notice_ids: open.map((n) => n.id) },
          set: { assigned_to: null, lease_until: null }
        },
        now
      );
      return {
        decision_id: null,
        status: "awaiting_clarification",
        case_status: "awaiting_clarification",
        actions: [],
        statement_url: null
      };
    }
    const decisionId = newId();
    const needsApproval = preview.four_eyes !== null;
    const row = {
      id: decisionId,
      case_id: caseId,
      decided_by: actor.id,
      outcome: input.outcome,
      grounds: JSON.stringify(input.grounds ?? {}),
      territories: preview.facts.territories,
      suspension: JSON.stringify(preview.facts.suspension),
      label: preview.facts.label,
      actions: JSON.stringify(preview.actions),
      irreversible: preview.irreversible.length > 0,
      irreversible_acknowledged: Boolean(input.acknowledge_irreversible),
      automated_detection: current.hash_match_confidence !== null,
      automated_decision: false,
      language: input.language ?? current.language,
      template_id: input.template_id ?? null,
      status: needsApproval ? "pending_approval" : "final",
      needs_approval: preview.four_eyes?.rule ?? null,
      created_at: now
    };
    await trx.insertInto("decisions").values(row).execute();
    const data = {
      decision_id: decisionId,
      outcome: input.outcome,
      actions: preview.actions.map((a) => ({
        type: a.type,
        connector: a.connector,
        revertible: a.revertible
      }))
    };
    if (needsApproval) {
      await recordCaseEvent(
        trx,
        current,
        actor,
        {
          type: "decided",
          to: "pending_approval",
          data: { ...data, waits_for: preview.four_eyes.rule },
          set: { decision_id: decisionId, assigned_to: null, lease_until: null }
        },
        now
      );
      return {
        decision_id: decisionId,
        status: "pending_approval",
        case_status: "pending_approval",
        actions: preview.actions,
        statement_url: null
      };
    }
    const done = await finaliseDecision(
      ctx,
      trx,
      current,
      actor,
      "decided",
      { ...input, facts: input.facts },
      { id: decisionId, actions: preview.actions, facts: preview.facts },
      now
    );
    return { decision_id: decisionId, status: "final", ...done };
  });
}
async function approveDecision(ctx, actor, decisionId, now) {
  const decision = await ctx.db.selectFrom("decisions").selectAll().where("id", "=", decisionId).executeTakeFirst();
  if (!decision) throw notFound(`no decision ${decisionId}`);
  if (decision.decided_by === actor.id)
    throw forbidden(
      "a decision under the four-eyes rule is approved by a second reviewer, not by its author"
    );
  return transact(ctx.db, async (trx) => {
    const current = await settlePending(trx, decision.case_id, decisionId, "final", actor, now);
    const suspension = decision.suspension;
    const facts = {
      outcome: decision.outcome,
      territories: decision.territories,
      suspension,
      label: decision.label,
      category: current.category
    };
    const done = await finaliseDecision(
      ctx,
      trx,
      current,
      actor,
      "approved",
      {
        outcome: decision.outcome,
        grounds: decision.grounds,
        acknowledge_irreversible: decision.irreversible_acknowledged
      },
      { id: decisionId, actions: decision.actions, facts },
      now
    );
    return { decision_id: decisionId, status: "final", ...done };
  });
}
async function refuseApproval(ctx, actor, decisionId, reason, now) {
  const decision = await ctx.db.selectFrom("decisions").select(["case_id", "decided_by", "status"]).where("id", "=", decisionId).executeTakeFirst();
  if (!decision) throw notFound(`no decision ${decisionId}`);
  if (decision.decided_by === actor.id)
    throw forbidden("the author of a decision cannot refuse it for the second reviewer");
  return transact(ctx.db, async (trx) => {
    const current = await settlePending(trx, decision.case_id, decisionId, "refused", actor, now);
    await recordCaseEvent(
      trx,
      current,
      actor,
      { type: "approval_refused", data: { decision_id: decisionId, reason }, set: { decision_id: null } },
      now
    );
    return { decision_id: decisionId, status: "refused" };
  });
}
async function settlePending(trx, caseId, decisionId, status, actor, now) {
  const current = await lockCase(trx, caseId);
  const fresh = await trx.selectFrom("decisions").select("status").where("id", "=", decisionId).forUpdate().executeTakeFirstOrThrow();
  if (fresh.status !== "pending_approval")
    throw conflict(`the decision is ${fresh.status}, not waiting for approval`);
  await trx.updateTable("decisions").set({ status, approved_by: actor.id, approved_at: now }).where("id", "=", decisionId).execute();
  return current;
}

// src/decisions/retry-action.ts
async function retryAction(db, actor, actionId, now) {
  await transact(db, async (trx) => {
    const action = await trx.selectFrom("enforcement_actions").selectAll().where("id", "=", actionId).forUpdate().executeTakeFirst();
    if (!action) throw notFound(`no action ${actionId}`);
    if (action.status !== "failed" && action.status !== "revert_failed")
      throw conflict(`the action is ${action.status}; only a failed action can be retried`);
    const reverting = action.status === "revert_failed";
    await trx.updateTable("enforcement_actions").set({ status: reverting ? "revert_pending" : "pending", last_error: null }).where("id", "=", actionId).execute();
    await enqueue(
      trx,
      {
        topic: reverting ? REVERT_TOPIC : APPLY_TOPIC,
        orderingKey: `action:${actionId}`,
        payload: { action_id: actionId }
      },
      now
    );
    const current = await lockCase(trx, action.case_id);
    if (current.status === "action_failed")
      await recordCaseEvent(
        trx,
        current,
        actor,
        { type: "action_retried", data: { action_id: actionId } },
        now
      );
    else
      await appendAudit(
        trx,
        actor,
        { action: "enforcement.retried", objectType: "enforcement_action", objectId: actionId, change: {} },
        now
      );
  });
}

// src/decisions/templates.json
var templates_default = [
  {
    id: "terrorism-remove",
    category: "terrorism",
    outcome: "remove",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "UU No. 5 Tahun 2018 tentang Pemberantasan Tindak Pidana Terorisme; UU No. 11 Tahun 2008 jo. UU No. 1 Tahun 2024 (ITE)",
            explanation: "Konten ini mempromosikan atau memuat propaganda organisasi teroris yang ditetapkan, sehingga melanggar hukum Indonesia."
          },
          incompatible: {
            ground: "Ketentuan Layanan: konten teroris dan ekstremis kekerasan",
            explanation: "Konten ini mendukung organisasi teroris, yang dilarang oleh Ketentuan Layanan."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "Law No. 5 of 2018 on the Eradication of Terrorism; Law No. 11 of 2008 as amended by Law No. 1 of 2024 (EIT Law)",
            explanation: "The content promotes or carries propaganda of a designated terrorist organisation, which is illegal under Indonesian law."
          },
          incompatible: {
            ground: "Terms of Service: terrorist and violent extremist content",
            explanation: "The content supports a terrorist organisation, which the Terms of Service prohibit."
          }
        }
      }
    }
  },
  {
    id: "violent-extremism-remove",
    category: "violent_extremism",
    outcome: "remove",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "UU No. 5 Tahun 2018; UU ITE Pasal 28 ayat (2)",
            explanation: "Konten ini menghasut kekerasan atas dasar ideologi ekstremis."
          },
          incompatible: {
            ground: "Ketentuan Layanan: hasutan kekerasan",
            explanation: "Konten ini menghasut kekerasan, yang dilarang oleh Ketentuan Layanan."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "Law No. 5 of 2018; EIT Law Article 28(2)",
            explanation: "The content incites violence on the basis of an extremist ideology."
          },
          incompatible: {
            ground: "Terms of Service: incitement to violence",
            explanation: "The content incites violence, which the Terms of Service prohibit."
          }
        }
      }
    }
  },
  {
    id: "csam-remove",
    category: "csam",
    outcome: "remove",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "UU No. 35 Tahun 2014 tentang Perlindungan Anak; UU No. 44 Tahun 2008 tentang Pornografi",
            explanation: "Konten ini merupakan materi kekerasan seksual terhadap anak."
          },
          incompatible: {
            ground: "Ketentuan Layanan: eksploitasi seksual anak",
            explanation: "Eksploitasi seksual anak dilarang tanpa kecuali."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "Law No. 35 of 2014 on Child Protection; Law No. 44 of 2008 on Pornography",
            explanation: "The content is child sexual abuse material."
          },
          incompatible: {
            ground: "Terms of Service: child sexual exploitation",
            explanation: "Child sexual exploitation is prohibited without exception."
          }
        }
      }
    }
  },
  {
    id: "hate-sara-remove",
    category: "hate_sara",
    outcome: "remove",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "UU ITE Pasal 28 ayat (2)",
            explanation: "Konten ini menyebarkan kebencian berdasarkan suku, agama, ras, atau antargolongan."
          },
          incompatible: {
            ground: "Ketentuan Layanan: ujaran kebencian",
            explanation: "Ujaran kebencian dilarang oleh Ketentuan Layanan."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "EIT Law Article 28(2)",
            explanation: "The content spreads hatred based on ethnicity, religion, race or inter-group relations."
          },
          incompatible: {
            ground: "Terms of Service: hateful conduct",
            explanation: "Hateful conduct is prohibited by the Terms of Service."
          }
        }
      }
    }
  },
  {
    id: "hoax-label",
    category: "hoax",
    outcome: "label",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "UU ITE Pasal 28 ayat (3)",
            explanation: "Konten ini memuat informasi bohong yang dapat menimbulkan keresahan."
          },
          incompatible: {
            ground: "Ketentuan Layanan: informasi menyesatkan",
            explanation: "Konten ini diberi label agar pengguna mendapat konteks."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "EIT Law Article 28(3)",
            explanation: "The content carries false information that may cause public unrest."
          },
          incompatible: {
            ground: "Terms of Service: misleading information",
            explanation: "The content is labelled so that users have context."
          }
        }
      }
    }
  },
  {
    id: "gambling-restrict",
    category: "gambling",
    outcome: "restrict_in_jurisdiction",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "KUHP Pasal 303; UU ITE Pasal 27 ayat (2)",
            explanation: "Konten ini menawarkan perjudian, yang dilarang di Indonesia."
          },
          incompatible: {
            ground: "Ketentuan Layanan: barang dan jasa ilegal",
            explanation: "Perjudian dibatasi di wilayah yang melarangnya."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "Criminal Code Article 303; EIT Law Article 27(2)",
            explanation: "The content offers gambling, which is illegal in Indonesia."
          },
          incompatible: {
            ground: "Terms of Service: illegal goods and services",
            explanation: "Gambling is restricted where the law prohibits it."
          }
        }
      }
    }
  },
  {
    id: "fraud-remove",
    category: "fraud",
    outcome: "remove",
    texts: {
      id: {
        grounds: {
          illegal: {
            legal_ground: "KUHP Pasal 378; UU ITE Pasal 28 ayat (1)",
            explanation: "Konten ini merupakan penipuan yang merugikan pengguna."
          },
          incompatible: {
            ground: "Ketentuan Layanan: penipuan",
            explanation: "Penipuan dilarang oleh Ketentuan Layanan."
          }
        }
      },
      en: {
        grounds: {
          illegal: {
            legal_ground: "Criminal Code Article 378; EIT Law Article 28(1)",
            explanation: "The content is a scam that harms users."
          },
          incompatible: {
            ground: "Terms of Service: fraud",
            explanation: "Fraud is prohibited by the Terms of Service."
          }
        }
      }
    }
  },
  {
    id: "not-illegal-no-action",
    category: "*",
    outcome: "no_action",
    texts: {
      id: {
        grounds: {},
        explanation: "Setelah ditinjau, konten ini tidak melanggar hukum yang dirujuk maupun Ketentuan Layanan."
      },
      en: {
        grounds: {},
        explanation: "After review, the content breaks neither the law cited nor the Terms of Service."
      }
    }
  },
  {
    id: "unsubstantiated-reject",
    category: "*",
    outcome: "reject_unsubstantiated",
    texts: {
      id: {
        grounds: {},
        explanation: "Pemberitahuan tidak menunjukkan lokasi yang tepat atau alasan yang cukup (DSA Pasal 16)."
      },
      en: {
        grounds: {},
        explanation: "The notice does not give an exact location or a sufficient explanation (DSA Art. 16)."
      }
    }
  }
];

// src/decisions/templates.ts
var all = templates_default;
function decisionTemplates(filter) {
  return all.filter((t) => !filter.category || t.category === filter.category || t.category === "*").map((t) => ({
    id: t.id,
    category: t.category,
    outcome: t.outcome,
    ...filter.language ? { language: filter.language, ...t.texts[filter.language] ?? t.texts.en } : { texts: t.texts }
  }));
}

// src/decisions/routes.ts
var text2 = (max) => z9.string().trim().min(1).max(max);
var decisionBody = z9.strictObject({
  outcome: z9.enum(decisionOutcomes),
  grounds: z9.strictObject({
    illegal: z9.strictObject({ legal_ground: text2(1e3), explanation: text2(5e3) }).optional().describe("Illegal content: the law relied on, and why"),
    incompatible: z9.strictObject({ ground: text2(1e3), explanation: text2(5e3) }).optional().describe("Terms of service: the clause relied on, and why")
  }).optional(),
  territories: z9.array(countryCode).min(1).max(250).optional(),
  suspension: z9.strictObject({
    target: z9.enum(["channel", "account"]),
    duration_days: z9.number().int().min(1).max(3650).optional(),
    permanent: z9.boolean().optional()
  }).optional(),
  label: text2(200).optional(),
  actions: z9.array(
    z9.strictObject({
      type: z9.enum(actionTypes),
      connector: z9.enum(["webhook", "telegram_bot"]),
      user_id: z9.string().regex(/^\d{1,16}$/, "the numeric account id").optional(),
      until: z9.iso.datetime({ offset: true }).optional(),
      territories: z9.array(countryCode).max(250).optional(),
      label: text2(200).optional(),
      permissions: z9.record(z9.string().max(60), z9.boolean()).optional()
    })
  ).max(20).optional().describe("The enforcement actions; derived from the outcome when absent"),
  acknowledge_irreversible: z9.boolean().optional().describe("Required when an action cannot be undone"),
  facts: text2(5e3).optional().describe("The facts and circumstances relied on (DSA Art. 17(3)(b))"),
  content_type: z9.array(z9.string().regex(/^CONTENT_TYPE_[A-Z_]+$/)).max(10).optional(),
  question: text2(2e4).optional().describe("For request_clarification: the question to the notifiers"),
  template_id: z9.string().max(100).optional(),
  language: languageCode.optional()
});
var params3 = z9.strictObject({ id: uuid });
var plannedAction = z9.object({
  type: z9.string(),
  connector: z9.string(),
  revertible: z9.boolean(),
  note: z9.string().optional(),
  subject: z9.unknown(),
  params: z9.unknown()
});
var decisionRoutes = async (app, { ctx }) => {
  app.post(
    "/v1/cases/:id/decisions/preview",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "What a decision would do: its actions, which cannot be undone, and whether it needs a second reviewer",
        params: params3,
        body: decisionBody,
        response: {
          200: z9.object({
            outcome: z9.string(),
            actions: z9.array(plannedAction),
            irreversible: z9.array(plannedAction),
            four_eyes: z9.object({ rule: z9.string() }).nullable(),
            warnings: z9.array(z9.string())
          })
        }
      }
    },
    async (request) => {
      const { facts: _, ...preview } = await previewDecision(
        ctx,
        request.params.id,
        request.body,
        ctx.clock()
      );
      return preview;
    }
  );
  app.post(
    "/v1/cases/:id/decisions",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Decide the case you hold: the decision acts at once, or waits for a second reviewer under a four-eyes rule",
        params: params3,
        body: decisionBody,
        response: {
          201: z9.object({
            decision_id: uuid.nullable(),
            status: z9.string(),
            case_status: z9.string(),
            actions: z9.array(plannedAction),
            statement_url: z9.string().nullable()
          })
        }
      }
    },
    async (request, reply) => reply.code(201).send(
      await decideCase(
        ctx,
        request.actor,
        request.params.id,
        request.body,
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/decisions/:id/approve",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Approve a decision waiting under the four-eyes rule (not its author)",
        params: params3
      }
    },
    async (request) => approveDecision(ctx, request.actor, request.params.id, ctx.clock())
  );
  app.post(
    "/v1/decisions/:id/refuse",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["review desk"],
        summary: "Refuse a decision waiting under the four-eyes rule; the case returns to the queue",
        params: params3,
        body: z9.strictObject({ reason: text2(2e3) })
      }
    },
    async (request) => refuseApproval(ctx, request.actor, request.params.id, request.body.reason, ctx.clock())
  );
  app.post(
    "/v1/actions/:id/retry",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["review desk"],
        summary: "Retry an enforcement action that failed, once its cause is fixed",
        params: params3
      }
    },
    async (request, reply) => {
      await retryAction(ctx.db, request.actor, request.params.id, ctx.clock());
      return reply.code(202).send();
    }
  );
  app.get(
    "/v1/decision-templates",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["review desk"],
        summary: "Decision templates per category, in Indonesian and English",
        querystring: z9.strictObject({
          category: z9.string().max(40).optional(),
          language: z9.enum(["id", "en"]).optional()
        })
      }
    },
    async (request) => ({ items: decisionTemplates(request.query) })
  );
  app.get(
    "/v1/statements/:token",
    {
      config: { access: "public" },
      schema: {
        tags: ["statements of reasons"],
        summary: "The statement of reasons, for the affected user, at its unguessable link",
        params: z9.strictObject({ token: z9.string().regex(/^[A-Za-z0-9]{40}$/, "the token from your link") }),
        response: {
          200: z9.object({
            statement: z9.record(z9.string(), z9.unknown()),
            issued_at: timestamp,
            appeal_until: timestamp,
            appeal: z9.unknown().nullable()
          })
        }
      }
    },
    async (request) => readStatement(ctx.db, request.params.token)
  );
};

// src/flaggers/routes.ts
import { z as z11 } from "zod";

// src/flaggers/alert-routes.ts
import { z as z10 } from "zod";

// src/flaggers/alerts.ts
var alertQuery = (db) => db.selectFrom("alerts").leftJoin("organisations", "organisations.id", "alerts.org_id").select([
  "alerts.id",
  "alerts.kind",
  "alerts.org_id",
  "organisations.slug as org_slug",
  "alerts.data",
  "alerts.created_at",
  "alerts.acknowledged_by",
  "alerts.acknowledged_at"
]);
async function listAlerts(db, filter) {
  let query = alertQuery(db);
  if (filter.state === "open") query = query.where("alerts.acknowledged_at", "is", null);
  if (filter.state === "acknowledged") query = query.where("alerts.acknowledged_at", "is not", null);
  if (filter.kind) query = query.where("alerts.kind", "=", filter.kind);
  if (filter.org_id) query = query.where("alerts.org_id", "=", filter.org_id);
  const rows2 = await query.orderBy("alerts.created_at", "desc").orderBy("alerts.id", "desc").limit(filter.limit).execute();
  return rows2.map(toView2);
}
async function acknowledgeAlert(db, actor, id, now) {
  return transact(db, async (trx) => {
    const alert2 = await trx.selectFrom("alerts").select(["id", "kind", "org_id"]).where("id", "=", id).executeTakeFirst();
    if (!alert2) throw notFound(`no alert ${id}`);
    await appendAudit(
      trx,
      actor,
      {
        action: "alert.acknowledged",
        objectType: "alert",
        objectId: id,
        change: { kind: alert2.kind, org_id: alert2.org_id, acknowledged_at: now }
      },
      now
    );
    const updated = await trx.updateTable("alerts").set({ acknowledged_by: actor.id, acknowledged_at: now }).where("id", "=", id).where("acknowledged_at", "is", null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw conflict("the alert was already acknowledged");
    return toView2(await alertQuery(trx).where("alerts.id", "=", id).executeTakeFirstOrThrow());
  });
}
function toView2(row) {
  return {
    ...row,
    created_at: new Date(row.created_at),
    acknowledged_at: row.acknowledged_at === null ? null : new Date(row.acknowledged_at)
  };
}

// src/flaggers/alert-routes.ts
var alert = z10.object({
  id: uuid,
  kind: z10.string(),
  org_id: uuid.nullable(),
  org_slug: z10.string().nullable(),
  data: z10.unknown(),
  created_at: timestamp,
  acknowledged_by: z10.string().nullable(),
  acknowledged_at: timestamp.nullable()
});
var alertRoutes = async (app, { ctx }) => {
  app.get(
    "/v1/alerts",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["flaggers"],
        summary: "Alerts for leads, newest first (open ones by default)",
        querystring: z10.strictObject({
          state: z10.enum(["open", "acknowledged", "all"]).default("open"),
          kind: z10.string().max(64).optional(),
          limit: z10.coerce.number().int().min(1).max(500).default(100)
        }),
        response: { 200: z10.object({ items: z10.array(alert) }) }
      }
    },
    async (request) => ({ items: await listAlerts(ctx.db, request.query) })
  );
  app.post(
    "/v1/alerts/:id/acknowledge",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["flaggers"],
        summary: "Acknowledge an alert: it is in hand",
        params: idParams,
        response: { 200: alert }
      }
    },
    async (request) => acknowledgeAlert(ctx.db, request.actor, request.params.id, ctx.clock())
  );
};

// src/flaggers/evidence-pack.ts
import { stringify as stringify2 } from "csv-stringify/sync";

// src/flaggers/status.ts
var flaggerStatuses = ["trusted", "regular", "suspended"];
var statusTransitions = {
  trusted: ["regular", "suspended", "trusted"],
  regular: ["trusted", "suspended", "regular"],
  suspended: ["trusted", "regular", "suspended"]
};
function planStatusChange(current, input, now) {
  if (!statusTransitions[current.flagger_status].includes(input.status)) {
    return conflict(`a ${current.flagger_status} flagger cannot become ${input.status}`);
  }
  const issues = [];
  const designating = input.designated_by !== void 0 || input.designated_categories !== void 0 || input.designated_jurisdictions !== void 0;
  if (designating && input.status !== "trusted") {
    issues.push({ pointer: "/designated_by", detail: "a designation belongs to a change to trusted" });
  }
  const designatedBy = input.designated_by ?? current.designated_by;
  if (input.status === "trusted" && !designatedBy) {
    issues.push({
      pointer: "/designated_by",
      detail: "say who designated the flagger (DSA Art. 22(2)), e.g. the Digital Services Coordinator"
    });
  }
  if (input.until !== void 0 && input.status !== "suspended") {
    issues.push({ pointer: "/until", detail: "only a suspension has an end date" });
  }
  if (input.status === "suspended") {
    if (input.until === void 0)
      issues.push({
        pointer: "/until",
        detail: "a suspension is for a period (DSA Art. 23(2)): give its end date"
      });
    else if (input.until.getTime() <= now.getTime())
      issues.push({ pointer: "/until", detail: "the end of the suspension must be in the future" });
  }
  if (issues.length > 0) return invalid(`${issues[0].pointer.slice(1)}: ${issues[0].detail}`, issues);
  if (input.status === "suspended" && current.flagger_status !== "suspended" && !warnedSinceLastSuspension(current)) {
    return conflict(
      "a notifier is suspended only after a prior warning (DSA Art. 23(2)): warn it first (POST /v1/flaggers/:slug/warnings)"
    );
  }
  const planned = {
    from: current.flagger_status,
    to: input.status,
    designated_by: input.status === "trusted" ? designatedBy : current.designated_by,
    designated_categories: input.status === "trusted" ? input.designated_categories ?? current.designated_categories : current.designated_categories,
    designated_jurisdictions: input.status === "trusted" ? input.designated_jurisdictions ?? current.designated_jurisdictions : current.designated_jurisdictions,
    suspended_until: input.status === "suspended" ? input.until : null
  };
  if (input.status === current.flagger_status && sameAs(current, planned)) {
    return conflict(
      `the flagger is already ${input.status}${input.status === "trusted" ? " with that designation" : input.status === "suspended" ? " until then" : ""}`
    );
  }
  return planned;
}
function warnedSinceLastSuspension(facts) {
  if (!facts.last_warning_at) return false;
  return !facts.last_suspension_at || facts.last_warning_at.getTime() > facts.last_suspension_at.getTime();
}
function sameAs(current, planned) {
  const sameList = (a, b) => [...a].sort().join("\n") === [...b].sort().join("\n");
  return current.designated_by === planned.designated_by && sameList(current.designated_categories, planned.designated_categories) && sameList(current.designated_jurisdictions, planned.designated_jurisdictions) && (current.suspended_until?.getTime() ?? null) === (planned.suspended_until?.getTime() ?? null);
}
function statusBeforeSuspension(history) {
  for (const change of [...history].reverse()) {
    if (change.to_status !== "suspended") break;
    if (change.from_status !== "suspended")
      return isFlaggerStatus(change.from_status) ? change.from_status : "regular";
  }
  return "regular";
}
function isFlaggerStatus(value) {
  return value !== null && flaggerStatuses.includes(value);
}

// src/flaggers/flagger-records.ts
async function findFlagger(db, slug2, options = {}) {
  let query = db.selectFrom("organisations").selectAll().where("slug", "=", slug2);
  if (options.forUpdate) query = query.forUpdate();
  const org = await query.executeTakeFirst();
  if (!org || !isFlaggerStatus(org.flagger_status))
    throw notFound(`no flagger organisation with slug '${slug2}'`);
  return org;
}
async function listFlaggers(db) {
  const orgs = await db.selectFrom("organisations").selectAll().where("flagger_status", "is not", null).orderBy("slug").execute();
  return orgs.filter((o) => isFlaggerStatus(o.flagger_status));
}
async function statusHistory(db, orgId) {
  const rows2 = await db.selectFrom("flagger_status_changes").selectAll().where("org_id", "=", orgId).orderBy("effective_at").orderBy("id").execute();
  return rows2.map((r) => ({
    ...r,
    effective_at: new Date(r.effective_at),
    until: r.until === null ? null : new Date(r.until)
  }));
}
async function warningsOf(db, orgId) {
  const rows2 = await db.selectFrom("flagger_warnings").selectAll().where("org_id", "=", orgId).orderBy("at").orderBy("id").execute();
  return rows2.map((r) => ({ ...r, at: new Date(r.at) }));
}
async function flaggerFacts(db, org) {
  const [warning, suspension] = await Promise.all([
    db.selectFrom("flagger_warnings").select("at").where("org_id", "=", org.id).orderBy("at", "desc").limit(1).executeTakeFirst(),
    db.selectFrom("flagger_status_changes").select("effective_at").where("org_id", "=", org.id).where("to_status", "=", "suspended").where((eb) => eb.or([eb("from_status", "is", null), eb("from_status", "!=", "suspended")])).orderBy("effective_at", "desc").limit(1).executeTakeFirst()
  ]);
  return {
    flagger_status: org.flagger_status,
    designated_by: org.designated_by,
    designated_categories: org.designated_categories,
    designated_jurisdictions: org.designated_jurisdictions,
    suspended_until: org.suspended_until === null ? null : new Date(org.suspended_until),
    last_warning_at: warning ? new Date(warning.at) : null,
    last_suspension_at: suspension ? new Date(suspension.effective_at) : null
  };
}

// src/flaggers/evidence-pack.ts
var definition = "precision = upheld / decided, per notice target, decided in the period. Upheld: removed, restricted in the jurisdiction, suspended or labelled, and not reversed on appeal; or a refusal overturned on the notifier\u2019s appeal. Not upheld: no action, rejected as unsubstantiated, or a restriction reversed on the affected user\u2019s appeal. Left out: impossible, already actioned, undecided. Orders are not notices and are left out.";
var evidenceColumns = [
  "notice_id",
  "received_at",
  "category",
  "reference",
  "target_index",
  "target",
  "outcome",
  "decision_outcome",
  "decided_at",
  "appeal_outcome",
  "appeal_by",
  "appeal_decided_at",
  "reverted_at",
  "counted_as"
];
async function evidencePack(db, actor, slug2, query, settings, now) {
  const to = query.to ?? now;
  const from = query.from ?? windowStart(to);
  if (from.getTime() > to.getTime())
    throw invalid("from: the period starts after it ends", [
      { pointer: "/from", detail: "must not be after to" }
    ]);
  return transact(db, async (trx) => {
    const org = await findFlagger(trx, slug2);
    const judged = (await judgedTargets(trx, { orgIds: [org.id] })).filter((r) => inPeriod(r, from, to));
    const behind = countedRows(judged);
    const pack = {
      organisation: {
        slug: org.slug,
        name: org.name,
        kind: org.kind,
        flagger_status: org.flagger_status,
        status_since: org.status_since === null ? null : new Date(org.status_since),
        designated_by: org.designated_by,
        designated_categories: org.designated_categories,
        designated_jurisdictions: org.designated_jurisdictions
      },
      period: { from, to },
      generated_at: now,
      definition,
      threshold: settings.threshold,
      figure: figureOf(judged),
      rows: behind.map(evidenceRow)
    };
    await appendAudit(
      trx,
      actor,
      {
        action: "flagger.evidence_pack_exported",
        objectType: "organisation",
        objectId: org.id,
        change: {
          slug: org.slug,
          format: query.format,
          from,
          to,
          rows: pack.rows.length,
          figure: pack.figure
        }
      },
      now
    );
    return pack;
  });
}
function evidenceRow(row) {
  const appeal = row.appeals[row.appeals.length - 1];
  return {
    notice_id: row.notice_id,
    received_at: row.received_at.toISOString(),
    category: row.category,
    reference: row.reference ?? "",
    target_index: row.target_idx,
    target: row.target,
    outcome: row.outcome ?? "",
    decision_outcome: row.decision_outcome ?? "",
    decided_at: row.decided_at?.toISOString() ?? "",
    appeal_outcome: appeal?.outcome ?? "",
    appeal_by: appeal?.appellant_type ?? "",
    appeal_decided_at: appeal?.decided_at.toISOString() ?? "",
    reverted_at: row.reverted_at?.toISOString() ?? "",
    counted_as: verdictOf(row) === "upheld" ? "upheld" : "not_upheld"
  };
}
function evidenceCsv(pack) {
  return stringify2(pack.rows, {
    header: true,
    columns: evidenceColumns,
    cast: { string: (value) => /^[=+\-@\t\r]/.test(value) ? `'${value}` : value }
  });
}

// src/flaggers/flagger-view.ts
async function flaggerSummaries(db, settings, now) {
  const flaggers = await listFlaggers(db);
  const rows2 = await judgedTargets(db, { orgIds: flaggers.map((f) => f.id) });
  return flaggers.map(
    (org) => summaryOf(
      org,
      figuresOf(
        rows2.filter((r) => r.org_id === org.id),
        now
      ),
      settings
    )
  );
}
async function flaggerDetail(db, slug2, settings, now) {
  const org = await findFlagger(db, slug2);
  const [rows2, history, warnings, alerts] = await Promise.all([
    judgedTargets(db, { orgIds: [org.id] }),
    statusHistory(db, org.id),
    warningsOf(db, org.id),
    listAlerts(db, { state: "all", kind: PRECISION_ALERT, org_id: org.id, limit: 20 })
  ]);
  return {
    ...summaryOf(org, figuresOf(rows2, now), settings),
    threshold: settings.threshold,
    min_decided: settings.minDecided,
    status_history: history.map(({ org_id: _org, ...change }) => change),
    warnings: warnings.map(({ org_id: _org, ...warning }) => warning),
    alerts
  };
}
function summaryOf(org, figures, settings) {
  return {
    slug: org.slug,
    name: org.name,
    kind: org.kind,
    flagger_status: org.flagger_status,
    status_since: org.status_since === null ? null : new Date(org.status_since),
    suspended_until: org.suspended_until === null ? null : new Date(org.suspended_until),
    designated_by: org.designated_by,
    designated_categories: org.designated_categories,
    designated_jurisdictions: org.designated_jurisdictions,
    figures,
    below_threshold: isBelowThreshold(figures.last_90_days, settings)
  };
}

// src/flaggers/status-changes.ts
async function changeFlaggerStatus(db, actor, slug2, input, now) {
  const taxonomy = (await currentPolicy(db)).document.taxonomy.map((c) => c.code);
  const unknown = (input.designated_categories ?? []).findIndex((c) => !taxonomy.includes(c));
  if (unknown >= 0) {
    throw invalid(
      `designated_categories[${unknown}]: '${input.designated_categories[unknown]}' is not in the taxonomy: ${taxonomy.join(", ")}`,
      [{ pointer: `/designated_categories/${unknown}`, detail: "not in the taxonomy" }]
    );
  }
  return transact(db, async (trx) => {
    const org = await findFlagger(trx, slug2, { forUpdate: true });
    const planned = planStatusChange(await flaggerFacts(trx, org), input, now);
    if (planned instanceof DomainError) throw planned;
    return applyStatus(trx, actor, org, planned, input.reasons, now);
  });
}
async function applyStatus(trx, actor, org, planned, reasons, now) {
  const change = {
    id: newId(),
    org_id: org.id,
    from_status: planned.from,
    to_status: planned.to,
    reasons,
    decided_by: actor.id,
    effective_at: now,
    until: planned.suspended_until
  };
  await trx.insertInto("flagger_status_changes").values(change).execute();
  await trx.updateTable("organisations").set({
    flagger_status: planned.to,
    status_since: now,
    designated_by: planned.designated_by,
    designated_categories: planned.designated_categories,
    designated_jurisdictions: planned.designated_jurisdictions,
    suspended_until: planned.suspended_until
  }).where("id", "=", org.id).execute();
  await appendAudit(
    trx,
    actor,
    {
      action: "flagger.status_changed",
      objectType: "organisation",
      objectId: org.id,
      change: {
        ...change,
        slug: org.slug,
        designated_by: planned.designated_by,
        designated_categories: planned.designated_categories,
        designated_jurisdictions: planned.designated_jurisdictions
      }
    },
    now
  );
  return change;
}

// src/flaggers/warnings.ts
async function warnFlagger(db, actor, slug2, input, now) {
  const noticeIds = [...new Set(input.notice_ids ?? [])];
  const policy = await currentPolicy(db);
  return transact(db, async (trx) => {
    const org = await findFlagger(trx, slug2, { forUpdate: true });
    if (noticeIds.length > 0) {
      const own = await trx.selectFrom("notices").select("id").where("id", "in", noticeIds).where("org_id", "=", org.id).execute();
      const found = new Set(own.map((n) => n.id));
      const missing = noticeIds.findIndex((id) => !found.has(id));
      if (missing >= 0) {
        throw invalid(`notice_ids[${missing}]: ${noticeIds[missing]} is not a notice of ${org.slug}`, [
          { pointer: `/notice_ids/${missing}`, detail: "not a notice of this organisation" }
        ]);
      }
    }
    const warning = {
      id: newId(),
      org_id: org.id,
      reason: input.reason,
      issued_by: actor.id,
      at: now,
      notice_ids: noticeIds
    };
    await trx.insertInto("flagger_warnings").values({ id: warning.id, org_id: org.id, reason: input.reason, issued_by: actor.id, at: now }).execute();
    await appendAudit(
      trx,
      actor,
      {
        action: "flagger.warned",
        objectType: "organisation",
        objectId: org.id,
        change: { ...warning, slug: org.slug }
      },
      now
    );
    const body = warningMessage(input.reason);
    for (const noticeId of noticeIds) {
      await writeMessage(
        trx,
        actor,
        noticeId,
        { kind: "message", body },
        policy.document.at_risk_thresholds,
        now
      );
    }
    return warning;
  });
}
function warningMessage(reason) {
  return [
    `Warning (DSA Art. 23(2)): ${reason}`,
    "If your organisation keeps sending manifestly unfounded notices, the platform may suspend the processing of its notices for a period.",
    "Peringatan: jika organisasi Anda terus mengirim pemberitahuan yang jelas tidak berdasar, pemrosesan pemberitahuan Anda dapat ditangguhkan untuk sementara waktu."
  ].join("\n\n");
}

// src/flaggers/routes.ts
var figure = z11.object({
  precision: z11.number().nullable(),
  upheld: z11.number().int(),
  not_upheld: z11.number().int(),
  decided: z11.number().int(),
  reversed_on_appeal: z11.number().int(),
  overturned_for_notifier: z11.number().int(),
  notices: z11.number().int(),
  excluded: z11.number().int(),
  undecided: z11.number().int()
});
var summary = z11.object({
  slug: z11.string(),
  name: z11.string(),
  kind: z11.string(),
  flagger_status: z11.enum(flaggerStatuses),
  status_since: timestamp.nullable(),
  suspended_until: timestamp.nullable(),
  designated_by: z11.string().nullable(),
  designated_categories: z11.array(z11.string()),
  designated_jurisdictions: z11.array(z11.string()),
  figures: z11.object({ last_90_days: figure, all_time: figure }),
  below_threshold: z11.boolean()
});
var statusChange = z11.object({
  id: uuid,
  from_status: z11.string().nullable(),
  to_status: z11.string(),
  reasons: z11.string(),
  decided_by: z11.string(),
  effective_at: timestamp,
  until: timestamp.nullable()
});
var params4 = z11.strictObject({ slug });
var flaggerRoutes = async (app, options) => {
  const { ctx } = options;
  const settings = () => precisionSettings(ctx.config);
  app.get(
    "/v1/flaggers",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["flaggers"],
        summary: "Flagger organisations: status, designation and precision (90 days and all time)",
        response: { 200: z11.object({ items: z11.array(summary) }) }
      }
    },
    async () => ({ items: await flaggerSummaries(ctx.db, settings(), ctx.clock()) })
  );
  app.get(
    "/v1/flaggers/:slug",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["flaggers"],
        summary: "One flagger: figures, status history, warnings and precision alerts",
        params: params4,
        response: {
          200: summary.extend({
            threshold: z11.number(),
            min_decided: z11.number().int(),
            status_history: z11.array(statusChange),
            warnings: z11.array(
              z11.object({ id: uuid, reason: z11.string(), issued_by: z11.string(), at: timestamp })
            ),
            alerts: z11.array(
              z11.object({
                id: uuid,
                kind: z11.string(),
                data: z11.unknown(),
                created_at: timestamp,
                acknowledged_by: z11.string().nullable(),
                acknowledged_at: timestamp.nullable()
              })
            )
          })
        }
      }
    },
    async (request) => flaggerDetail(ctx.db, request.params.slug, settings(), ctx.clock())
  );
  app.post(
    "/v1/flaggers/:slug/status",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["flaggers"],
        summary: "Decide a flagger\u2019s status, with reasons: trusted (with its designation), regular, or suspended until a date (after a warning)",
        params: params4,
        body: z11.strictObject({
          status: z11.enum(flaggerStatuses),
          reasons: text(1e4),
          designated_by: text(300).optional(),
          designated_categories: z11.array(z11.string().max(40)).max(100).optional(),
          designated_jurisdictions: z11.array(countryCode).max(300).optional(),
          until: timestamp.optional()
        }),
        response: { 201: statusChange }
      }
    },
    async (request, reply) => reply.code(201).send(
      await changeFlaggerStatus(ctx.db, request.actor, request.params.slug, request.body, ctx.clock())
    )
  );
  app.post(
    "/v1/flaggers/:slug/warnings",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["flaggers"],
        summary: "Warn a notifier that sends manifestly unfounded notices (DSA Art. 23(2)); cited notices get the warning in their thread",
        params: params4,
        body: z11.strictObject({ reason: text(1e4), notice_ids: z11.array(uuid).max(100).optional() }),
        response: {
          201: z11.object({
            id: uuid,
            reason: z11.string(),
            issued_by: z11.string(),
            at: timestamp,
            notice_ids: z11.array(uuid)
          })
        }
      }
    },
    async (request, reply) => reply.code(201).send(await warnFlagger(ctx.db, request.actor, request.params.slug, request.body, ctx.clock()))
  );
  app.get(
    "/v1/flaggers/:slug/evidence-pack",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["flaggers"],
        summary: "The notices and decisions behind the figure, for the designating authority (JSON or CSV); audited",
        params: params4,
        querystring: z11.strictObject({
          format: z11.enum(["json", "csv"]).default("json"),
          from: timestamp.optional().describe("Decided at or after; default 90 days before `to`"),
          to: timestamp.optional().describe("Decided at or before; default now")
        })
      }
    },
    async (request, reply) => {
      const pack = await evidencePack(
        ctx.db,
        request.actor,
        request.params.slug,
        request.query,
        settings(),
        ctx.clock()
      );
      if (request.query.format === "json") return pack;
      const name2 = `evidence-${pack.organisation.slug}-${pack.period.to.toISOString().slice(0, 10)}.csv`;
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${name2}"`).send(evidenceCsv(pack));
    }
  );
  await alertRoutes(app, options);
};

// src/identity/routes.ts
import { z as z12 } from "zod";
var organisation = z12.object({
  id: uuid,
  slug,
  name: z12.string(),
  kind: z12.enum(orgKinds),
  flagger_status: z12.enum(["trusted", "regular", "suspended"]).nullable(),
  contact_email: z12.string().nullable(),
  created_at: timestamp
});
var user = z12.object({
  id: uuid,
  org_id: uuid,
  org: z12.string(),
  email: z12.string(),
  display_name: z12.string(),
  roles: z12.array(z12.string()),
  languages: z12.array(z12.string()),
  jurisdictions: z12.array(z12.string()),
  disabled: z12.boolean(),
  created_at: timestamp
});
var apiKey = z12.object({
  id: uuid,
  org: z12.string(),
  name: z12.string(),
  prefix: z12.string(),
  scopes: z12.array(z12.string()),
  expires_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
  created_at: timestamp,
  last_used_at: timestamp.nullable()
});
var me = z12.object({
  type: z12.enum(["user", "key"]),
  id: uuid,
  display_name: z12.string(),
  org: z12.object({ id: uuid, slug: z12.string(), kind: z12.enum(orgKinds) }),
  roles: z12.array(z12.string()),
  permissions: z12.array(z12.string()),
  languages: z12.array(z12.string()),
  jurisdictions: z12.array(z12.string()),
  csrf_token: z12.string().nullable().describe("Send it as x-csrf-token on changes made with the session cookie")
});
var identityRoutes = async (app, { ctx }) => {
  const now = () => ctx.clock();
  app.post(
    "/v1/auth/login",
    {
      config: { access: "public" },
      schema: {
        tags: ["identity"],
        summary: "Log in to the console; sets an HttpOnly session cookie",
        body: z12.strictObject({ email: z12.string().max(254), password: z12.string().min(1).max(1024) }),
        response: { 200: z12.object({ user_id: uuid, csrf_token: z12.string(), expires_at: timestamp }) }
      }
    },
    async (request, reply) => {
      const result = await login(
        ctx.db,
        { email: request.body.email, password: request.body.password, ip: request.ip },
        { sessionHours: ctx.config.TAPIS_SESSION_HOURS, maxFailures: ctx.config.TAPIS_LOGIN_MAX_FAILURES },
        now()
      );
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: "strict",
        secure: ctx.config.cookieSecure,
        path: "/",
        expires: result.expiresAt
      });
      return { user_id: result.userId, csrf_token: result.csrfToken, expires_at: result.expiresAt };
    }
  );
  app.post(
    "/v1/auth/logout",
    {
      config: { access: "authenticated" },
      schema: { tags: ["identity"], summary: "End the console session" }
    },
    async (request, reply) => {
      const actor = request.actor;
      if (!actor.sessionId) throw invalid("an API key has no session to end; revoke the key instead");
      await logout(ctx.db, actor.sessionId, actor.id, now());
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send();
    }
  );
  app.get(
    "/v1/me",
    {
      config: { access: "authenticated" },
      schema: { tags: ["identity"], summary: "Who the caller is, and what it may do", response: { 200: me } }
    },
    async (request) => {
      const actor = request.actor;
      const cookie = request.cookies[SESSION_COOKIE];
      return {
        type: actor.type,
        id: actor.id,
        display_name: actor.displayName,
        org: { id: actor.orgId, slug: actor.orgSlug, kind: actor.orgKind },
        roles: [...actor.roles],
        permissions: [...actor.permissions].sort(),
        languages: [...actor.languages],
        jurisdictions: [...actor.jurisdictions],
        csrf_token: actor.sessionId && cookie ? csrfTokenFor(cookie) : null
      };
    }
  );
  app.get(
    "/v1/orgs",
    {
      config: { access: "orgs:read" },
      schema: {
        tags: ["identity"],
        summary: "List organisations",
        response: { 200: z12.object({ items: z12.array(organisation) }) }
      }
    },
    async () => ({ items: await listOrganisations(ctx.db) })
  );
  app.get(
    "/v1/orgs/:slug",
    {
      config: { access: "orgs:read" },
      schema: {
        tags: ["identity"],
        summary: "Read an organisation",
        params: z12.strictObject({ slug }),
        response: { 200: organisation }
      }
    },
    async (request) => findOrganisation(ctx.db, request.params.slug)
  );
  app.post(
    "/v1/orgs",
    {
      config: { access: "orgs:write" },
      schema: {
        tags: ["identity"],
        summary: "Create an organisation",
        body: z12.strictObject({
          slug,
          name: text(200),
          kind: z12.enum(orgKinds),
          // No flagger_status: a new flagger organisation is a regular notifier, and trusted
          // or suspended status is a decision with reasons (POST /v1/flaggers/{slug}/status).
          contact_email: email.optional()
        }),
        response: { 201: organisation }
      }
    },
    async (request, reply) => reply.code(201).send(await createOrganisation(ctx.db, request.actor, request.body, now()))
  );
  app.get(
    "/v1/users",
    {
      config: { access: "users:read" },
      schema: {
        tags: ["identity"],
        summary: "List users (a flagger_admin sees its own organisation\u2019s)",
        querystring: z12.strictObject({ org: slug.optional() }),
        response: { 200: z12.object({ items: z12.array(user) }) }
      }
    },
    async (request) => ({ items: await listUsers(ctx.db, request.actor, request.query.org) })
  );
  app.post(
    "/v1/users",
    {
      config: { access: "users:write" },
      schema: {
        tags: ["identity"],
        summary: "Create a user; a generated password is returned once when none is given",
        body: z12.strictObject({
          org: slug,
          email,
          display_name: text(200),
          roles: z12.array(z12.enum(roles)).min(1).max(roles.length),
          languages: z12.array(languageCode).max(20).optional(),
          jurisdictions: z12.array(countryCode).max(250).optional(),
          password: z12.string().min(12).max(1024).optional()
        }),
        response: { 201: z12.object({ user, password: z12.string().nullable() }) }
      }
    },
    async (request, reply) => reply.code(201).send(await createUser(ctx.db, request.actor, request.body, now()))
  );
  app.post(
    "/v1/users/:id/disable",
    {
      config: { access: "users:write" },
      schema: {
        tags: ["identity"],
        summary: "Disable a user and end their sessions",
        params: z12.strictObject({ id: uuid })
      }
    },
    async (request, reply) => {
      await disableUser(ctx.db, request.actor, request.params.id, now());
      return reply.code(204).send();
    }
  );
  app.get(
    "/v1/orgs/:slug/keys",
    {
      config: { access: "keys:read" },
      schema: {
        tags: ["identity"],
        summary: "List an organisation\u2019s API keys (never the keys themselves)",
        params: z12.strictObject({ slug }),
        response: { 200: z12.object({ items: z12.array(apiKey) }) }
      }
    },
    async (request) => ({ items: await listApiKeys(ctx.db, request.actor, request.params.slug) })
  );
  app.post(
    "/v1/orgs/:slug/keys",
    {
      config: { access: "keys:write" },
      schema: {
        tags: ["identity"],
        summary: "Create an API key; the key is in this answer and nowhere else, ever",
        params: z12.strictObject({ slug }),
        body: z12.strictObject({
          name: text(100),
          scopes: z12.array(z12.enum(allPermissions)).min(1).optional(),
          expires_at: timestamp.optional()
        }),
        response: { 201: z12.object({ key: z12.string(), api_key: apiKey }) }
      }
    },
    async (request, reply) => {
      const { key, view } = await createApiKey(
        ctx.db,
        request.actor,
        {
          org: request.params.slug,
          name: request.body.name,
          scopes: request.body.scopes,
          expires_at: request.body.expires_at
        },
        now()
      );
      return reply.code(201).send({ key, api_key: view });
    }
  );
  app.post(
    "/v1/keys/:id/revoke",
    {
      config: { access: "keys:write" },
      schema: {
        tags: ["identity"],
        summary: "Revoke an API key at once",
        params: z12.strictObject({ id: uuid }),
        response: { 200: apiKey }
      }
    },
    async (request) => revokeApiKey(ctx.db, request.actor, request.params.id, now())
  );
};

// src/notices/bulk-routes.ts
import { z as z13 } from "zod";

// src/notices/bulk-csv.ts
import { parse as parse3 } from "csv-parse/sync";
var columns3 = {
  targets: "one or more locations, separated by spaces or |",
  category: "a category code, e.g. terrorism",
  jurisdiction: "ISO 3166-1 alpha-2, default ID",
  kind: "notice (default) or order",
  legal_basis: "free text",
  legal_references: "instrument|provision;instrument|provision",
  explanation: "why the content is illegal or against the terms",
  reference: "your own number for the notice",
  good_faith: "true, yes, ya or 1",
  language: "ISO 639 code",
  notifier_name: "who notifies",
  notifier_email: "their e-mail",
  anonymous: "true or false (default false)",
  order_issuing_authority: "for orders",
  order_territorial_scope: "for orders: country codes, separated by spaces or |",
  order_redress: "for orders"
};
var csvColumns = Object.keys(columns3);
var requiredColumns = ["targets", "category", "explanation", "good_faith"];
var isColumn = (name2) => Object.hasOwn(columns3, name2);
function csvRecords(text4, max) {
  let rows2;
  try {
    rows2 = parse3(text4, {
      delimiter: guessDelimiter(text4),
      info: true,
      bom: true,
      skip_empty_lines: true,
      // Rows a spreadsheet pads with empty cells (",,,,") are not notices.
      skip_records_with_empty_values: true,
      // A row with too many cells is that row's fault, reported on the row.
      relax_column_count: true,
      // Explanations quote people: He wrote "join us" must not break the file.
      relax_quotes: true,
      // The header plus one more notice than allowed is enough to refuse the file.
      to: max + 1
    });
  } catch (error) {
    throw invalid(`the CSV cannot be read: ${error.message}`);
  }
  const [header, ...body] = rows2;
  if (!header) return [];
  const names = readHeader(header.record);
  return body.map(({ record: record2 }, index) => {
    const row = index + 1;
    if (record2.length > names.length) {
      return {
        row,
        problem: {
          reason: `the row has ${record2.length} cells; the header names ${names.length} columns`,
          errors: []
        }
      };
    }
    const cells = {};
    names.forEach((name2, i) => {
      const value = record2[i]?.trim();
      if (value) cells[name2] = value;
    });
    return { row, candidate: noticeFromCells(cells) };
  });
}
function readHeader(record2) {
  const names = record2.map((name2) => name2.trim().toLowerCase());
  const unknown = names.filter((name2) => !isColumn(name2));
  if (unknown.length > 0) {
    const shown = unknown.map((name2) => name2 === "" ? "(a column without a name)" : `'${name2}'`).join(", ");
    throw invalid(
      `unknown CSV column${unknown.length > 1 ? "s" : ""} ${shown}; the columns are: ${csvColumns.join(", ")}`,
      [...unknown.map((name2) => ({ pointer: "", detail: `unknown column '${name2}'` }))]
    );
  }
  const repeated = names.filter((name2, i) => names.indexOf(name2) !== i);
  if (repeated.length > 0)
    throw invalid(`the CSV header names ${[...new Set(repeated)].join(", ")} more than once`);
  const missing = requiredColumns.filter((name2) => !names.includes(name2));
  if (missing.length > 0)
    throw invalid(`the CSV header lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  return names;
}
function noticeFromCells(cells) {
  const notice = { targets: splitList(cells.targets) };
  for (const name2 of [
    "category",
    "jurisdiction",
    "kind",
    "legal_basis",
    "explanation",
    "reference",
    "language"
  ]) {
    if (cells[name2] !== void 0) notice[name2] = cells[name2];
  }
  if (cells.good_faith !== void 0) notice.good_faith = yesNo(cells.good_faith);
  if (cells.anonymous !== void 0) notice.anonymous = yesNo(cells.anonymous);
  if (cells.legal_references !== void 0) notice.legal_references = legalReferences(cells.legal_references);
  if (cells.notifier_name !== void 0 || cells.notifier_email !== void 0) {
    notice.notifier = { name: cells.notifier_name, email: cells.notifier_email };
  }
  if (cells.order_issuing_authority || cells.order_territorial_scope || cells.order_redress) {
    notice.order = {
      issuing_authority: cells.order_issuing_authority,
      territorial_scope: splitList(cells.order_territorial_scope),
      redress: cells.order_redress
    };
  }
  return notice;
}
var splitList = (cell) => (cell ?? "").split(/[\s|]+/).filter(Boolean);
function yesNo(cell) {
  const value = cell.toLowerCase();
  if (["true", "yes", "y", "ya", "1"].includes(value)) return true;
  if (["false", "no", "n", "tidak", "0"].includes(value)) return false;
  return cell;
}
function legalReferences(cell) {
  return cell.split(";").map((part) => part.trim()).filter(Boolean).map((part) => {
    const bar = part.indexOf("|");
    if (bar < 0) return { instrument: part };
    const provision = part.slice(bar + 1).trim();
    return provision ? { instrument: part.slice(0, bar).trim(), provision } : { instrument: part.slice(0, bar).trim() };
  });
}
function guessDelimiter(text4) {
  const firstLine = text4.slice(0, text4.search(/\r?\n|$/));
  const count = (char) => firstLine.split(char).length - 1;
  const [best] = [",", ";", "	"].sort((a, b) => count(b) - count(a));
  return best && count(best) > 0 ? best : ",";
}

// src/notices/bulk-parse.ts
var MAX_BULK_ROWS = 1e4;
var BULK_BODY_LIMIT = 25 * 1024 * 1024;
var utf82 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
function decodeBulkFile(body) {
  let text4;
  try {
    text4 = utf82.decode(body);
  } catch {
    throw invalid("the file is not valid UTF-8; save it as UTF-8 and send it again");
  }
  if (text4.includes("\0")) throw invalid("the file contains a NUL character; is it a text file?");
  if (text4.trim() === "") throw invalid("the file is empty; send at least one notice");
  return text4;
}
function parseBulkFile(text4, format) {
  const records = format === "csv" ? csvRecords(text4, MAX_BULK_ROWS + 1) : jsonlRecords(text4, MAX_BULK_ROWS + 1);
  if (records.length === 0) throw invalid("the file holds no notices");
  if (records.length > MAX_BULK_ROWS) {
    throw invalid(
      `the file holds more than ${MAX_BULK_ROWS.toLocaleString("en")} notices; split it into several files`
    );
  }
  return records;
}
function jsonlRecords(text4, max) {
  const records = [];
  for (const line of text4.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    if (records.length >= max) break;
    const row = records.length + 1;
    try {
      records.push({ row, candidate: parseStrictJson(Buffer.from(line, "utf8")) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      records.push({
        row,
        problem: { reason: error.message.replace(/^the body/, "the line"), errors: error.issues }
      });
    }
  }
  return records;
}
function validateRecord(record2) {
  if ("problem" in record2) return record2;
  if (typeof record2.candidate !== "object" || record2.candidate === null || Array.isArray(record2.candidate)) {
    return { row: record2.row, problem: { reason: "a line must hold one JSON object: a notice", errors: [] } };
  }
  const parsed = noticeInput.safeParse(record2.candidate);
  if (parsed.success) return { row: record2.row, notice: parsed.data };
  const errors = parsed.error.issues.flatMap(
    (issue) => issue.code === "unrecognized_keys" ? issue.keys.map((key) => ({
      pointer: toPointer([...issue.path, key]),
      detail: `unknown field '${key}'`
    })) : [{ pointer: toPointer(issue.path), detail: issue.message }]
  );
  return { row: record2.row, problem: { reason: summarise2(errors), errors } };
}
function summarise2(errors) {
  const first = errors[0];
  if (!first) return "invalid notice";
  return `${fieldName(first.pointer)}: ${first.detail}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}`;
}
function fieldName(pointer) {
  if (pointer === "") return "notice";
  return pointer.slice(1).split("/").map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~")).reduce((name2, part) => /^\d+$/.test(part) ? `${name2}[${part}]` : name2 ? `${name2}.${part}` : part, "");
}

// src/notices/bulk.ts
var BULK_TOPIC = "bulk.process";
var bulkMessage = (jobId) => ({
  topic: BULK_TOPIC,
  orderingKey: `bulk:${jobId}`,
  payload: { job_id: jobId }
});
var scopeOf = (orgId) => `bulk:${orgId}`;
async function acceptBulkJob(db, actor, upload, now, options) {
  const org = await db.selectFrom("organisations").select("flagger_status").where("id", "=", actor.orgId).executeTakeFirstOrThrow();
  if (org.flagger_status === "suspended") {
    throw forbidden("your organisation\u2019s notices are suspended (DSA Art. 23(2)); contact the platform");
  }
  const total = parseBulkFile(upload.text, upload.format).length;
  const fileDigest = sha256Hex(`${upload.format}
${upload.text}`);
  const answer = (jobId, status, count) => ({
    job_id: jobId,
    status,
    total: count,
    status_url: `${options.publicUrl}/v1/notices/bulk/${jobId}`
  });
  return transact(db, async (trx) => {
    const jobId = newId();
    if (options.idempotencyKey) {
      const earlier2 = await claimKey(trx, actor.orgId, options.idempotencyKey, fileDigest, jobId);
      if (earlier2) {
        const job = await trx.selectFrom("bulk_jobs").select(["status", "total", "processed"]).where("id", "=", earlier2).executeTakeFirstOrThrow();
        if (job.status !== "failed") return answer(earlier2, job.status, job.total);
        await trx.updateTable("bulk_jobs").set({ status: "queued", error: null }).where("id", "=", earlier2).where("status", "=", "failed").execute();
        await queueJob(trx, actor, earlier2, "bulk_job.resumed", { processed: job.processed }, now);
        return answer(earlier2, "queued", job.total);
      }
    }
    await trx.insertInto("bulk_jobs").values({
      id: jobId,
      org_id: actor.orgId,
      submitted_by: actor.id,
      submitted_by_type: actor.type,
      format: upload.format,
      status: "queued",
      total,
      input: upload.text,
      created_at: now
    }).execute();
    await queueJob(
      trx,
      actor,
      jobId,
      "bulk_job.received",
      { format: upload.format, total, sha256: fileDigest },
      now
    );
    return answer(jobId, "queued", total);
  });
}
async function queueJob(trx, actor, jobId, action, change, now) {
  await enqueue(trx, bulkMessage(jobId), now);
  await appendAudit(trx, actor, { action, objectType: "bulk_job", objectId: jobId, change }, now);
}
async function claimKey(trx, orgId, key, fileDigest, jobId) {
  const claimed = await trx.insertInto("idempotency_keys").values({
    scope: scopeOf(orgId),
    key,
    request_digest: fileDigest,
    status_code: 202,
    response: JSON.stringify({ job_id: jobId })
  }).onConflict((oc) => oc.columns(["scope", "key"]).doNothing()).returning("key").executeTakeFirst();
  if (claimed) return null;
  const earlier2 = await trx.selectFrom("idempotency_keys").select(["request_digest", "response"]).where("scope", "=", scopeOf(orgId)).where("key", "=", key).executeTakeFirstOrThrow();
  if (earlier2.request_digest !== fileDigest) {
    throw conflict("this Idempotency-Key was used with a different file; use a new key for a new file");
  }
  return earlier2.response.job_id;
}
async function listBulkJobs(db, actor, query) {
  let jobs = jobColumns(db).orderBy("bulk_jobs.created_at", "desc").orderBy("bulk_jobs.id", "desc");
  if (!seesAllOrganisations(actor)) jobs = jobs.where("bulk_jobs.org_id", "=", actor.orgId);
  if (query.before) {
    let cursors = db.selectFrom("bulk_jobs").select(["created_at", "id"]).where("id", "=", query.before);
    if (!seesAllOrganisations(actor)) cursors = cursors.where("org_id", "=", actor.orgId);
    const cursor = await cursors.executeTakeFirst();
    if (!cursor) throw notFound(`no bulk job ${query.before}`);
    jobs = jobs.where(
      (eb) => eb.or([
        eb("bulk_jobs.created_at", "<", cursor.created_at),
        eb.and([eb("bulk_jobs.created_at", "=", cursor.created_at), eb("bulk_jobs.id", "<", cursor.id)])
      ])
    );
  }
  const page = await jobs.limit(query.limit + 1).execute();
  const more = page.length > query.limit;
  const shown = more ? page.slice(0, query.limit) : page;
  return { items: shown.map(jobCounters), next_before: more ? shown.at(-1).id : null };
}
function jobColumns(db) {
  return db.selectFrom("bulk_jobs").innerJoin("organisations", "organisations.id", "bulk_jobs.org_id").select([
    "bulk_jobs.id",
    "organisations.slug as org",
    "bulk_jobs.format",
    "bulk_jobs.status",
    "bulk_jobs.total",
    "bulk_jobs.processed",
    "bulk_jobs.created_count",
    "bulk_jobs.duplicate_count",
    "bulk_jobs.invalid_count",
    "bulk_jobs.created_at",
    "bulk_jobs.finished_at",
    "bulk_jobs.error"
  ]);
}
function jobCounters(job) {
  return {
    job_id: job.id,
    org: job.org,
    format: job.format,
    status: job.status,
    total: job.total,
    processed: job.processed,
    created: job.created_count,
    duplicate: job.duplicate_count,
    invalid: job.invalid_count,
    created_at: job.created_at,
    finished_at: job.finished_at,
    error: job.error
  };
}
async function bulkJobView(db, actor, id, query) {
  let jobs = jobColumns(db).where("bulk_jobs.id", "=", id);
  if (!seesAllOrganisations(actor)) jobs = jobs.where("bulk_jobs.org_id", "=", actor.orgId);
  const job = await jobs.executeTakeFirst();
  if (!job) throw notFound(`no bulk job ${id}`);
  let rows2 = db.selectFrom("bulk_job_rows").select(["row_number", "outcome", "notice_id", "reason", "errors"]).where("job_id", "=", id).where("row_number", ">", query.after_row).orderBy("row_number").limit(query.limit + 1);
  if (query.outcome) rows2 = rows2.where("outcome", "=", query.outcome);
  const page = query.limit > 0 ? await rows2.execute() : [];
  const more = page.length > query.limit;
  const shown = more ? page.slice(0, query.limit) : page;
  return {
    ...jobCounters(job),
    rows: shown.map((r) => ({
      row: r.row_number,
      outcome: r.outcome,
      ...r.notice_id ? { notice_id: r.notice_id } : {},
      ...r.reason ? { reason: r.reason } : {},
      ...r.errors ? { errors: r.errors } : {}
    })),
    next_after_row: more ? shown.at(-1).row_number : null
  };
}

// src/notices/bulk-routes.ts
var mediaTypes = {
  "text/csv": "csv",
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl"
};
var idempotencyHeaders = z13.object({
  "idempotency-key": z13.string().regex(/^[\x21-\x7e]{1,255}$/, "1\u2013255 visible ASCII characters").optional().describe("The same key with the same file returns the same job; with another file, 409")
});
var jobStatus = z13.enum(["queued", "running", "done", "failed"]).describe(
  "failed: processing gave up (see error); send the same file with the same Idempotency-Key to resume"
);
var bulkAccepted = z13.object({
  job_id: uuid,
  status: jobStatus,
  total: z13.number().int().describe("Notices in the file"),
  status_url: z13.string().describe("Where to follow the job: GET /v1/notices/bulk/{id}")
});
var rowOutcome = z13.enum(["created", "duplicate", "invalid"]);
var jobCounters2 = {
  job_id: uuid,
  org: z13.string(),
  format: z13.enum(["csv", "jsonl"]),
  status: jobStatus,
  total: z13.number().int(),
  processed: z13.number().int(),
  created: z13.number().int(),
  duplicate: z13.number().int(),
  invalid: z13.number().int(),
  created_at: timestamp,
  finished_at: timestamp.nullable(),
  error: z13.string().nullable().describe("Why the job failed; null unless status is failed")
};
var bulkJob = z13.object({
  ...jobCounters2,
  rows: z13.array(
    z13.object({
      row: z13.number().int().describe("1 is the first notice of the file (a CSV header and blank lines do not count)"),
      outcome: rowOutcome,
      notice_id: uuid.optional().describe("The notice created; for a duplicate, the notice it repeats"),
      reason: z13.string().optional(),
      errors: z13.array(z13.object({ pointer: z13.string(), detail: z13.string() })).optional().describe("JSON pointers into the notice")
    })
  ),
  next_after_row: z13.number().int().nullable().describe("Pass as after_row for the next page; null on the last page")
});
var bulkRoutes = async (app, { ctx }) => {
  registerFileParsers(app);
  app.post(
    "/v1/notices/bulk",
    {
      bodyLimit: BULK_BODY_LIMIT,
      config: { access: "notices:submit" },
      schema: {
        tags: ["notices"],
        summary: `Submit up to ${MAX_BULK_ROWS.toLocaleString("en")} notices as a CSV or JSONL file; they are processed in the background`,
        description: [
          "Send the file as the body, as `text/csv` or `application/x-ndjson` (or `application/jsonl`), UTF-8, up to 25 MiB.",
          "JSONL: one notice per line, each exactly as the body of POST /v1/notices.",
          `CSV: a header row, then one notice per row. Columns: ${csvColumns.join(", ")}.`,
          "`targets` and `order_territorial_scope` take several values separated by spaces or `|`;",
          "`legal_references` is `instrument|provision;instrument|provision`; `good_faith` and `anonymous` take true/yes/ya/1 or false/no/tidak/0.",
          "An unknown column refuses the file. Each row is then created, a duplicate, or invalid with the reason; follow the job at status_url."
        ].join(" "),
        headers: idempotencyHeaders,
        response: { 202: bulkAccepted }
      }
    },
    async (request, reply) => {
      const accepted = await acceptBulkJob(ctx.db, request.actor, uploadOf(request), ctx.clock(), {
        idempotencyKey: request.headers["idempotency-key"],
        publicUrl: ctx.config.publicUrl
      });
      return reply.code(202).header("location", `/v1/notices/bulk/${accepted.job_id}`).send(accepted);
    }
  );
  app.get(
    "/v1/notices/bulk",
    {
      config: { access: "notices:read" },
      schema: {
        tags: ["notices"],
        summary: "Bulk jobs, newest first, with their progress (a flagger sees its own organisation\u2019s)",
        querystring: z13.strictObject({
          limit: z13.coerce.number().int().min(1).max(100).default(20),
          before: uuid.optional().describe("next_before of the previous page")
        }),
        response: {
          200: z13.object({
            items: z13.array(z13.object(jobCounters2)),
            next_before: uuid.nullable().describe("Pass as before for the next page; null on the last page")
          })
        }
      }
    },
    async (request) => listBulkJobs(ctx.db, request.actor, request.query)
  );
  app.get(
    "/v1/notices/bulk/:id",
    {
      config: { access: "notices:read" },
      schema: {
        tags: ["notices"],
        summary: "A bulk job\u2019s progress and its row results, a page at a time (a flagger sees its own organisation\u2019s)",
        params: z13.strictObject({ id: uuid }),
        querystring: z13.strictObject({
          after_row: z13.coerce.number().int().min(0).default(0).describe("Rows after this one"),
          limit: z13.coerce.number().int().min(0).max(1e3).default(100).describe("0 for the counters only"),
          outcome: rowOutcome.optional()
        }),
        response: { 200: bulkJob }
      }
    },
    async (request) => bulkJobView(ctx.db, request.actor, request.params.id, request.query)
  );
};
function registerFileParsers(app) {
  app.addContentTypeParser(
    Object.keys(mediaTypes),
    { parseAs: "buffer" },
    async (request, body) => {
      const type = request.headers["content-type"] ?? "";
      const charset = /;\s*charset="?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase();
      if (charset && charset !== "utf-8" && charset !== "utf8") {
        throw new DomainError("unsupported_media_type", `send the file as UTF-8, not ${charset}`);
      }
      const format = mediaTypes[type.split(";")[0].trim().toLowerCase()];
      return new UploadedFile(format, decodeBulkFile(body));
    }
  );
}
var UploadedFile = class {
  constructor(format, text4) {
    this.format = format;
    this.text = text4;
  }
  format;
  text;
};
function uploadOf(request) {
  if (request.body instanceof UploadedFile) return request.body;
  throw new DomainError(
    "unsupported_media_type",
    `send the file as the body with Content-Type ${Object.keys(mediaTypes).join(" or ")}`
  );
}

// src/notices/feed-routes.ts
import { z as z14 } from "zod";

// src/notices/webhooks.ts
import { randomBytes as randomBytes3 } from "node:crypto";
import { isIP } from "node:net";
function isPrivateAddress(host) {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal"))
    return true;
  const version = isIP(h);
  if (version === 4) {
    const [a, b] = h.split(".").map(Number);
    return a === 10 || a === 127 || a === 0 || a === 169 && b === 254 || a === 172 && b >= 16 && b <= 31 || a === 192 && b === 168 || a === 100 && b >= 64 && b <= 127;
  }
  if (version === 6)
    return h === "::1" || h === "::" || h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe80") || h.startsWith("::ffff:");
  return false;
}
async function registerWebhook(db, actor, input, options, now) {
  if (actor.orgKind === "platform")
    throw forbidden(
      "webhooks carry a flagger organisation\u2019s notice events; the platform has its own connectors"
    );
  const url = new URL(input.url);
  if (url.protocol !== "https:" && !(options.allowPrivateNetworks && url.protocol === "http:")) {
    throw invalid("a webhook must use https", [{ pointer: "/url", detail: "not https" }]);
  }
  if (url.username || url.password)
    throw invalid("put no credentials in the webhook URL; verify the signature instead", [
      { pointer: "/url", detail: "credentials in URL" }
    ]);
  if (!options.allowPrivateNetworks && isPrivateAddress(url.hostname)) {
    throw invalid("a webhook may not point at a private or loopback address", [
      { pointer: "/url", detail: "private address" }
    ]);
  }
  const unknown = (input.event_types ?? []).filter(
    (t) => !noticeEventTypes.includes(t)
  );
  if (unknown.length > 0)
    throw invalid(`unknown event types: ${unknown.join(", ")}`, [
      { pointer: "/event_types", detail: `known: ${noticeEventTypes.join(", ")}` }
    ]);
  const secret = `whsec_${randomBytes3(32).toString("base64url")}`;
  const webhook2 = {
    id: newId(),
    url: url.toString(),
    event_types: input.event_types ?? [],
    description: input.description ?? null,
    created_at: now,
    disabled_at: null
  };
  await transact(db, async (trx) => {
    await trx.insertInto("webhooks").values({ ...webhook2, org_id: actor.orgId, secret, created_by: actor.id }).execute();
    await appendAudit(
      trx,
      actor,
      {
        action: "webhook.registered",
        objectType: "webhook",
        objectId: webhook2.id,
        change: { url: webhook2.url, event_types: webhook2.event_types }
      },
      now
    );
  });
  return { webhook: webhook2, secret };
}
async function listWebhooks(db, actor) {
  return db.selectFrom("webhooks").select(["id", "url", "event_types", "description", "created_at", "disabled_at"]).where("org_id", "=", actor.orgId).orderBy("created_at").execute();
}
async function ownWebhook(db, actor, id) {
  const hook = await db.selectFrom("webhooks").select(["id", "org_id", "disabled_at"]).where("id", "=", id).executeTakeFirst();
  if (!hook || hook.org_id !== actor.orgId) throw notFound(`no webhook ${id}`);
  return hook;
}
async function disableWebhook(db, actor, id, now) {
  await ownWebhook(db, actor, id);
  await transact(db, async (trx) => {
    await trx.updateTable("webhooks").set({ disabled_at: now }).where("id", "=", id).where("disabled_at", "is", null).execute();
    await appendAudit(
      trx,
      actor,
      { action: "webhook.disabled", objectType: "webhook", objectId: id, change: { disabled_at: now } },
      now
    );
  });
}
async function webhookDeliveries(db, actor, id, limit) {
  await ownWebhook(db, actor, id);
  const attempts = await db.selectFrom("webhook_deliveries").innerJoin("notice_events", "notice_events.id", "webhook_deliveries.event_id").select([
    "webhook_deliveries.id",
    "webhook_deliveries.event_id",
    "notice_events.type as event_type",
    "notice_events.notice_id",
    "webhook_deliveries.attempt",
    "webhook_deliveries.status_code",
    "webhook_deliveries.error",
    "webhook_deliveries.duration_ms",
    "webhook_deliveries.at"
  ]).where("webhook_id", "=", id).orderBy("webhook_deliveries.at", "desc").limit(limit).execute();
  const pending = await db.selectFrom("outbox").select(["id", "status", "attempts", "next_attempt_at", "last_error", "payload"]).where("topic", "=", WEBHOOK_TOPIC).where("ordering_key", "like", `${id}:%`).where("status", "<>", "done").orderBy("seq").limit(limit).execute();
  return {
    attempts,
    queue: pending.map((p) => ({
      event_id: p.payload.event_id,
      status: p.status,
      attempts: p.attempts,
      next_attempt_at: p.next_attempt_at,
      last_error: p.last_error
    }))
  };
}
async function redeliverEvent(db, actor, webhookId, eventId, now) {
  await ownWebhook(db, actor, webhookId);
  const event = await db.selectFrom("notice_events").select(["id", "notice_id", "org_id"]).where("id", "=", eventId).executeTakeFirst();
  if (!event || event.org_id !== actor.orgId) throw notFound(`no event ${eventId}`);
  await transact(db, async (trx) => {
    await enqueue(
      trx,
      {
        topic: WEBHOOK_TOPIC,
        orderingKey: `${webhookId}:${event.notice_id}`,
        payload: { webhook_id: webhookId, event_id: eventId }
      },
      now
    );
    await appendAudit(
      trx,
      actor,
      {
        action: "webhook.redelivery_requested",
        objectType: "webhook",
        objectId: webhookId,
        change: { event_id: eventId }
      },
      now
    );
  });
}

// src/notices/feed-routes.ts
var webhook = z14.object({
  id: uuid,
  url: z14.string(),
  event_types: z14.array(z14.string()),
  description: z14.string().nullable(),
  created_at: timestamp,
  disabled_at: timestamp.nullable()
});
var feedRoutes = async (app, { ctx }) => {
  app.get(
    "/v1/events",
    {
      config: { access: "events:read" },
      schema: {
        tags: ["government channel"],
        summary: "Notice events after a cursor, oldest first (a flagger sees its own organisation\u2019s)",
        querystring: z14.strictObject({
          after: z14.coerce.number().int().min(0).default(0).describe("The cursor: the `cursor` of the last event you have"),
          limit: z14.coerce.number().int().min(1).max(1e3).default(100),
          notice_id: uuid.optional(),
          type: z14.enum(noticeEventTypes).optional()
        }),
        response: {
          200: z14.object({
            items: z14.array(
              z14.object({
                id: uuid,
                cursor: z14.number().int(),
                type: z14.string(),
                notice_id: uuid,
                created_at: timestamp,
                data: z14.unknown()
              })
            ),
            next_after: z14.number().int().describe("Pass as `after` to continue; unchanged when there is nothing new")
          })
        }
      }
    },
    async (request) => {
      const actor = request.actor;
      const q = request.query;
      let query = ctx.db.selectFrom("notice_events").select(["id", "seq as cursor", "type", "notice_id", "at as created_at", "data"]).where("seq", ">", q.after).orderBy("seq").limit(q.limit);
      if (!seesAllOrganisations(actor)) query = query.where("org_id", "=", actor.orgId);
      if (q.notice_id) query = query.where("notice_id", "=", q.notice_id);
      if (q.type) query = query.where("type", "=", q.type);
      const items = await query.execute();
      return { items, next_after: items.at(-1)?.cursor ?? q.after };
    }
  );
  app.get(
    "/v1/webhooks",
    {
      config: { access: "webhooks:manage" },
      schema: {
        tags: ["government channel"],
        summary: "Your organisation\u2019s webhooks",
        response: { 200: z14.object({ items: z14.array(webhook) }) }
      }
    },
    async (request) => ({ items: await listWebhooks(ctx.db, request.actor) })
  );
  app.post(
    "/v1/webhooks",
    {
      config: { access: "webhooks:manage" },
      schema: {
        tags: ["government channel"],
        summary: "Register a webhook; its signing secret is in this answer only",
        body: z14.strictObject({
          url: z14.url({ protocol: /^https?$/ }).max(2048),
          event_types: z14.array(z14.string().max(60)).max(30).optional().describe("Only these event types; all when absent"),
          description: z14.string().trim().min(1).max(300).optional()
        }),
        response: {
          201: z14.object({
            webhook,
            secret: z14.string().describe("HMAC-SHA256 key for the tapis-signature header")
          })
        }
      }
    },
    async (request, reply) => reply.code(201).send(
      await registerWebhook(
        ctx.db,
        request.actor,
        request.body,
        { allowPrivateNetworks: ctx.config.TAPIS_ALLOW_PRIVATE_NETWORKS },
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/webhooks/:id/disable",
    {
      config: { access: "webhooks:manage" },
      schema: {
        tags: ["government channel"],
        summary: "Stop delivering to a webhook",
        params: z14.strictObject({ id: uuid })
      }
    },
    async (request, reply) => {
      await disableWebhook(ctx.db, request.actor, request.params.id, ctx.clock());
      return reply.code(204).send();
    }
  );
  app.get(
    "/v1/webhooks/:id/deliveries",
    {
      config: { access: "webhooks:manage" },
      schema: {
        tags: ["government channel"],
        summary: "The delivery log: every attempt, and what is still queued",
        params: z14.strictObject({ id: uuid }),
        querystring: z14.strictObject({ limit: z14.coerce.number().int().min(1).max(1e3).default(100) }),
        response: {
          200: z14.object({
            attempts: z14.array(
              z14.object({
                id: uuid,
                event_id: uuid,
                event_type: z14.string(),
                notice_id: uuid,
                attempt: z14.number().int(),
                status_code: z14.number().int().nullable(),
                error: z14.string().nullable(),
                duration_ms: z14.number().int(),
                at: timestamp
              })
            ),
            queue: z14.array(
              z14.object({
                event_id: uuid,
                status: z14.string(),
                attempts: z14.number().int(),
                next_attempt_at: timestamp,
                last_error: z14.string().nullable()
              })
            )
          })
        }
      }
    },
    async (request) => webhookDeliveries(ctx.db, request.actor, request.params.id, request.query.limit)
  );
  app.post(
    "/v1/webhooks/:id/redeliver",
    {
      config: { access: "webhooks:manage" },
      schema: {
        tags: ["government channel"],
        summary: "Deliver an event again",
        params: z14.strictObject({ id: uuid }),
        body: z14.strictObject({ event_id: uuid })
      }
    },
    async (request, reply) => {
      await redeliverEvent(ctx.db, request.actor, request.params.id, request.body.event_id, ctx.clock());
      return reply.code(202).send();
    }
  );
};

// src/notices/routes.ts
import { z as z16 } from "zod";

// src/notices/evidence.ts
import { createHash as createHash6 } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";

// src/welfare/reveals.ts
import { sql as sql17 } from "kysely";

// src/welfare/exposure.ts
var MEDIA = /^(image|video|audio)\//i;
var BREAK_PROMPT_SHARE = 0.75;
var DAY_MS2 = 864e5;
function countsAsExposure(contentType) {
  return contentType !== null && MEDIA.test(contentType);
}
function utcDay(at) {
  return at.toISOString().slice(0, 10);
}
function startOfUtcDay(at) {
  return new Date(Math.floor(at.getTime() / DAY_MS2) * DAY_MS2);
}
function nextUtcDay(at) {
  return new Date(startOfUtcDay(at).getTime() + DAY_MS2);
}
function startOfUtcWeek(at) {
  const day2 = startOfUtcDay(at);
  const sinceMonday = (day2.getUTCDay() + 6) % 7;
  return new Date(day2.getTime() - sinceMonday * DAY_MS2);
}
function exposureOf(count, limit, now) {
  return {
    day: utcDay(now),
    exposure_today: count,
    limit,
    remaining: Math.max(0, limit - count),
    limit_reached: count >= limit,
    break_prompt: breakPrompt(count, limit),
    resets_at: nextUtcDay(now)
  };
}
function breakPrompt(count, limit) {
  if (count >= limit) {
    return `You have reached today's limit of ${limit} media items. Please step away from the desk; new media stays blurred until tomorrow (UTC), and a lead can take over your cases.`;
  }
  if (count >= Math.ceil(limit * BREAK_PROMPT_SHARE)) {
    return `You have seen ${count} of today's ${limit} media items. Take a short break before the next one.`;
  }
  return null;
}
function refusesReveal(countToday, alreadySeenToday, counted, limit) {
  return counted && !alreadySeenToday && countToday >= limit;
}
function secondsToNextDay(now) {
  return Math.max(1, Math.ceil((nextUtcDay(now).getTime() - now.getTime()) / 1e3));
}

// src/welfare/reveals.ts
function isReviewer(actor) {
  return actor.type === "user" && actor.orgKind === "platform";
}
async function recordReveal(db, actor, reveal, limit, now) {
  if (!isReviewer(actor)) return null;
  const run2 = async (trx) => {
    await sql17`select pg_advisory_xact_lock(hashtextextended(${`tapis.exposure:${actor.id}`}, 0))`.execute(
      trx
    );
    const day2 = utcDay(now);
    const counted = countsAsExposure(reveal.contentType);
    const { rows: rows2 } = await sql17`
      select count(distinct object_type || ':' || object_id) as count,
             bool_or(object_type = ${reveal.objectType} and object_id = ${reveal.objectId}) as seen
        from reveals where reviewer_id = ${actor.id} and day = ${day2} and counted`.execute(trx);
    const count = Number(rows2[0]?.count ?? 0);
    const seen = rows2[0]?.seen === true;
    if (refusesReveal(count, seen, counted, limit)) throw exposureLimitReached(count, limit, now);
    await trx.insertInto("reveals").values({
      id: newId(),
      reviewer_id: actor.id,
      case_id: reveal.caseId,
      object_type: reveal.objectType,
      object_id: reveal.objectId,
      day: day2,
      at: now,
      content_type: reveal.contentType,
      counted
    }).execute();
    return exposureOf(counted && !seen ? count + 1 : count, limit, now);
  };
  return db.isTransaction ? run2(db) : transact(db, run2);
}
function exposureLimitReached(count, limit, now) {
  const exposure2 = exposureOf(count, limit, now);
  return new DomainError(
    "rate_limited",
    `you have revealed ${count} media items today, the daily limit; take a break. New media can be revealed again from ${exposure2.resets_at.toISOString()} (the next UTC day), and a lead can hand your cases to another reviewer meanwhile`,
    {
      extra: { retry_after: secondsToNextDay(now), ...exposure2, resets_at: exposure2.resets_at.toISOString() }
    }
  );
}
async function revealInCase(db, actor, caseId, object, limit, now) {
  return transact(db, async (trx) => {
    const current = await lockCase(trx, caseId);
    const found = await findInCase(trx, caseId, object);
    const exposure2 = await recordReveal(
      trx,
      actor,
      { objectType: object.type, objectId: object.id, caseId, contentType: found.content_type },
      limit,
      now
    );
    await recordCaseEvent(
      trx,
      current,
      actor,
      { type: "content_revealed", data: { ...found, counted: countsAsExposure(found.content_type) } },
      now
    );
    return { object: found, exposure: exposure2 };
  });
}
async function findInCase(trx, caseId, object) {
  const row = object.type === "evidence" ? await trx.selectFrom("evidence").select(["content_type", "sha256", "purged_at"]).where("id", "=", object.id).where(
    "notice_id",
    "in",
    (eb) => eb.selectFrom("notice_targets").select("notice_id").where("case_id", "=", caseId)
  ).executeTakeFirst() : await trx.selectFrom("preserved_content").select(["content_type", "sha256", "purged_at"]).where("id", "=", object.id).where("case_id", "=", caseId).executeTakeFirst();
  const label = object.type.replace("_", " ");
  if (!row) throw notFound(`no ${label} ${object.id} in case ${caseId}`);
  if (row.purged_at)
    throw notFound(
      `${label} ${object.id} was purged on ${row.purged_at.toISOString()} after its preservation period; only its hashes remain`
    );
  return {
    object_type: object.type,
    object_id: object.id,
    content_type: row.content_type,
    sha256: row.sha256
  };
}

// src/notices/evidence.ts
var MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
var allowed = /* @__PURE__ */ new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "video/mp4",
  "video/webm",
  "audio/mpeg",
  "audio/ogg"
]);
var utf83 = new TextDecoder("utf-8", { fatal: true });
async function checkFile(file, index = 0) {
  if (file.data.length === 0)
    throw invalid(`evidence[${index}] (${file.filename}) is empty`, [
      { pointer: `/evidence/${index}`, detail: "empty file" }
    ]);
  if (file.data.length > MAX_EVIDENCE_BYTES) {
    throw new DomainError("too_large", `evidence[${index}] (${file.filename}) is larger than 20 MiB`);
  }
  const sniffed = await fileTypeFromBuffer(file.data);
  let contentType = sniffed?.mime;
  if (!sniffed && isPlainText(file.data)) contentType = "text/plain; charset=utf-8";
  if (!contentType || !(allowed.has(contentType) || contentType.startsWith("text/plain"))) {
    throw new DomainError(
      "unsupported_media_type",
      `evidence[${index}] (${file.filename}) is ${contentType ?? "of an unknown type"}; send PNG, JPEG, GIF, WebP, PDF, MP4, WebM, MP3, Ogg or plain UTF-8 text`
    );
  }
  return {
    ...file,
    filename: safeFilename(file.filename),
    contentType,
    sha256: createHash6("sha256").update(file.data).digest("hex"),
    md5: createHash6("md5").update(file.data).digest("hex")
  };
}
function isPlainText(data) {
  try {
    const text4 = utf83.decode(data);
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text4) && !/<\s*(html|script|svg)/i.test(text4);
  } catch {
    return false;
  }
}
function safeFilename(name2) {
  const base = name2.split(/[\\/]/).pop() ?? "evidence";
  const clean = base.normalize("NFC").replace(/[\u0000-\u001f\u007f"<>|*?:]/g, "_").replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  return clean.slice(0, 200) || "evidence";
}
async function storeEvidence(db, actor, noticeId, files, now) {
  const notice = await loadNotice(db, actor, noticeId);
  return transact(db, async (trx) => {
    const views = [];
    for (const file of files) {
      await storeBlob(trx, file.sha256, file.data);
      const view = {
        id: newId(),
        filename: file.filename,
        content_type: file.contentType,
        size: file.data.length,
        sha256: file.sha256,
        md5: file.md5,
        uploaded_at: now
      };
      await trx.insertInto("evidence").values({ ...view, notice_id: noticeId, org_id: notice.org_id, uploaded_by: actor.id }).execute();
      await appendAudit(
        trx,
        actor,
        {
          action: "evidence.uploaded",
          objectType: "notice",
          objectId: noticeId,
          change: {
            evidence_id: view.id,
            sha256: file.sha256,
            size: view.size,
            content_type: view.content_type
          }
        },
        now
      );
      views.push(view);
    }
    return views;
  });
}
async function readEvidence(db, actor, noticeId, evidenceId, exposureLimit, now) {
  await loadNotice(db, actor, noticeId);
  const row = await db.selectFrom("evidence").leftJoin("blobs", "blobs.sha256", "evidence.sha256").select([
    "evidence.id",
    "evidence.filename",
    "evidence.content_type",
    "evidence.size",
    "evidence.sha256",
    "evidence.purged_at",
    "blobs.data"
  ]).where("evidence.id", "=", evidenceId).where("evidence.notice_id", "=", noticeId).executeTakeFirst();
  if (!row) throw notFound(`no evidence ${evidenceId} on this notice`);
  if (row.purged_at || !row.data)
    throw notFound(
      `evidence ${evidenceId} was purged on ${row.purged_at?.toISOString() ?? "an earlier date"} after its preservation period`
    );
  if (seesAllOrganisations(actor) && actor.orgKind === "platform") {
    await transact(db, async (trx) => {
      await recordReveal(
        trx,
        actor,
        { objectType: "evidence", objectId: evidenceId, caseId: null, contentType: row.content_type },
        exposureLimit,
        now
      );
      await appendAudit(
        trx,
        actor,
        {
          action: "evidence.revealed",
          objectType: "notice",
          objectId: noticeId,
          change: { evidence_id: evidenceId, sha256: row.sha256 }
        },
        now
      );
    });
  }
  return { ...row, data: Buffer.from(row.data) };
}

// src/notices/source-type.ts
function sourceTypeOf(org, notice) {
  if (notice.kind === "order") return "government_order";
  if (org.flagger_status !== "trusted") return "regular_notice";
  const inCategories = org.designated_categories.length === 0 || org.designated_categories.includes(notice.category);
  const inJurisdictions = org.designated_jurisdictions.length === 0 || org.designated_jurisdictions.includes(notice.jurisdiction);
  return inCategories && inJurisdictions ? "trusted_flagger" : "regular_notice";
}
function mayIssueOrders(orgKind) {
  return orgKind === "government" || orgKind === "law_enforcement";
}

// src/notices/target-refusal.ts
var Refusal = class extends Error {
  /** False when the input must not be echoed (it holds a password). */
  echo;
  constructor(predicate, echo = true) {
    super(predicate);
    this.echo = echo;
  }
};

// src/notices/web-targets.ts
var TRACKING_PARAMS = new Set(
  "fbclid gclid gclsrc dclid msclkid igshid yclid twclid ttclid mc_cid mc_eid".split(" ")
);
var LOCAL_SUFFIXES = ".localhost .local .internal .home.arpa .localdomain .test .invalid .example".split(
  " "
);
function webSubject(url) {
  const host = url.hostname.replace(/\.$/, "");
  assertPublicHost(host);
  if (host !== url.hostname) url.hostname = host;
  if (!url.hash.startsWith("#!")) url.hash = "";
  const query = withoutTracking(url.search);
  url.search = query === "" ? "" : `?${query}`;
  return { platform: "web", kind: "url", host, key: `web:${url.href}`, url: url.href };
}
function withoutTracking(search) {
  return search.replace(/^\?/, "").split("&").filter((pair) => pair !== "" && !isTrackingParam(pair.split("=")[0] ?? "")).join("&");
}
function isTrackingParam(rawName) {
  const name2 = decodedQueryName(rawName).toLowerCase();
  return name2.startsWith("utm_") || TRACKING_PARAMS.has(name2);
}
function decodedQueryName(raw) {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return raw;
  }
}
function assertPublicHost(host) {
  const local = host === "localhost" || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
  if (local) throw new Refusal(`points to a local or private host (${host}), not to public content`);
  const v4 = ipv4Of(host);
  const v6 = host.startsWith("[") ? ipv6Hextets(host) : void 0;
  if (v4 !== void 0 && isPrivateIPv4(v4) || v6 !== void 0 && isPrivateIPv6(v6)) {
    throw new Refusal(`points to a private, local or reserved address (${host}), not to public content`);
  }
  if (v4 === void 0 && v6 === void 0 && !host.includes(".")) {
    throw new Refusal(`has no public host name ('${host}' is a single word)`);
  }
}
function ipv4Of(host) {
  const parts = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (parts === null) return void 0;
  return parts.slice(1).reduce((value, part) => value * 256 + Number(part), 0);
}
var PRIVATE_IPV4 = [
  [0, 8],
  [167772160, 8],
  [1681915904, 10],
  [2130706432, 8],
  [2851995648, 16],
  [2886729728, 12],
  [3221225472, 24],
  [3221225984, 24],
  [3232235520, 16],
  [3323068416, 15],
  [3325256704, 24],
  [3405803776, 24],
  [3758096384, 4],
  [4026531840, 4]
];
function isPrivateIPv4(ip) {
  return PRIVATE_IPV4.some(
    ([base, bits]) => Math.floor(ip / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits))
  );
}
function ipv6Hextets(literal) {
  const [head = "", tail] = literal.slice(1, -1).split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === void 0 || tail === "" ? [] : tail.split(":");
  const zeros = Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...zeros, ...right].map((hextet) => Number.parseInt(hextet, 16));
}
function isPrivateIPv6(h) {
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = h;
  const embeddedV4 = h6 * 65536 + h7;
  const upperZero = h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0 && h4 === 0;
  if (upperZero && (h5 === 0 || h5 === 65535)) return isPrivateIPv4(embeddedV4);
  const nat64 = h0 === 100 && h1 === 65435 && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0;
  if (nat64) return isPrivateIPv4(embeddedV4);
  return (h0 & 65024) === 64512 || // unique local
  (h0 & 65472) === 65152 || // link-local
  (h0 & 65472) === 65216 || // site-local (deprecated)
  (h0 & 65280) === 65280 || // multicast
  h0 === 8193 && h1 === 3512;
}

// src/notices/targets.ts
var MAX_TARGET_LENGTH = 2048;
var MAX_MESSAGE_ID = 2 ** 31 - 1;
var MAX_CHAT_ID_DIGITS = 12;
var TELEGRAM_HOSTS2 = new Set(
  words("t.me telegram.me telegram.dog www.t.me www.telegram.me www.telegram.dog")
);
var HINTS = ["channel", "group", "account"];
function words(list2) {
  return list2.split(" ");
}
var SERVICE_PATHS = new Set(
  words(
    "a addemoji addlist addstickers addstyle addtheme auction auth bg boost c call confirmphone contact giftcode invoice iv joinchat k login m msg nft proxy s setlanguage share socks web z"
  )
);
var INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;
var SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d)/i;
function parseTarget(input, hint) {
  if (typeof input !== "string") return { ok: false, reason: "the target is not a string" };
  if (hint !== void 0 && !HINTS.includes(hint)) {
    return { ok: false, reason: `the hint '${String(hint)}' is not one of channel, group or account` };
  }
  const text4 = input.trim();
  const surface = surfaceProblem(input, text4);
  if (surface !== void 0) return { ok: false, reason: surface };
  try {
    const subject = parseText(text4);
    return { ok: true, subject: hint === void 0 ? subject : applyHint(subject, hint) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { ok: false, reason: error.echo ? `${quoted(text4)} ${error.message}` : error.message };
  }
}
function surfaceProblem(input, text4) {
  if (input.length > MAX_TARGET_LENGTH) {
    return `the target is ${input.length} characters long; the limit is ${MAX_TARGET_LENGTH}`;
  }
  if (input.length === 0) return "the target is empty";
  if (text4.length === 0) return "the target is blank (only whitespace)";
  const hidden = INVISIBLE.exec(text4)?.[0];
  if (hidden !== void 0) {
    return `the target contains an invisible or control character (${codePoint(hidden)}); type it again rather than pasting it`;
  }
  if (/\s/u.test(text4)) return `${quoted(text4)} contains a space or line break; give one link per target`;
  return void 0;
}
function parseText(text4) {
  if (text4.startsWith("@")) return chatSubject({ username: parseUsername(text4.slice(1)) });
  const scheme = SCHEME.exec(text4)?.[1]?.toLowerCase();
  if (scheme === void 0) return parseSchemeless(text4);
  if (scheme === "tg") return parseTgLink(parseUrl(text4));
  if (scheme === "http" || scheme === "https") return parseHttpUrl(parseUrl(text4));
  const asHost = tryUrl(`https://${text4}`);
  if (asHost !== void 0) assertNoCredentials(asHost);
  throw new Refusal(`uses the ${scheme}: scheme; give an http(s) link, a t.me link or an @username`);
}
function parseSchemeless(text4) {
  const url = tryUrl(`https://${text4}`);
  if (url !== void 0) assertNoCredentials(url);
  if (url !== void 0 && telegramPath(url) !== void 0) return parseHttpUrl(url);
  if (/^[a-z][a-z0-9_]{3,31}$/i.test(text4)) {
    throw new Refusal(`is not a link or an @username; write @${text4} or t.me/${text4}`);
  }
  throw new Refusal("has no scheme; give the full link (https://\u2026), a t.me link or an @username");
}
function parseUrl(text4) {
  const url = tryUrl(text4);
  if (url === void 0) throw new Refusal("is not a valid URL");
  assertNoCredentials(url);
  return url;
}
function assertNoCredentials(url) {
  if (url.username !== "" || url.password !== "") {
    throw new Refusal(
      "the link contains a user name or password (user:pass@\u2026); remove them and send it again",
      false
    );
  }
}
function tryUrl(text4) {
  return URL.canParse(text4) ? new URL(text4) : void 0;
}
function parseHttpUrl(url) {
  const path5 = telegramPath(url);
  return path5 === void 0 ? webSubject(url) : parseTelegramPath(path5, url.searchParams);
}
function telegramPath(url) {
  const host = url.hostname.replace(/\.$/, "");
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  if (TELEGRAM_HOSTS2.has(host)) return segments;
  if (!host.endsWith(".t.me")) return void 0;
  const label = host.slice(0, -".t.me".length);
  if (label.includes(".") || SERVICE_PATHS.has(label) || usernameProblem(label) !== void 0) {
    throw new Refusal(`has a t.me subdomain ('${label}') that is not a Telegram username`);
  }
  return [label, ...segments];
}
function parseTelegramPath(path5, query) {
  const [head, ...rest] = path5;
  if (head === void 0) throw new Refusal("links to t.me itself, not to a chat, channel or message");
  const lower = head.toLowerCase();
  if (head.startsWith("+")) return plusLink(head.slice(1), rest);
  if (lower === "s") return publicLink(rest, query, "t.me/s/");
  if (lower === "c") return privateLink(rest, query);
  if (lower === "joinchat") return inviteSubject(onlySegment(rest, "invite hash"));
  if (SERVICE_PATHS.has(lower)) {
    throw new Refusal(`is a Telegram service link (t.me/${lower}/\u2026), not a chat, channel, bot or message`);
  }
  return publicLink(path5, query, "t.me/");
}
function publicLink(path5, query, prefix) {
  const [name2, ...ids] = path5;
  if (name2 === void 0) throw new Refusal(`has no username after ${prefix}`);
  if (ids[0]?.toLowerCase() === "s") {
    throw new Refusal(
      "links to a story; stories are not a supported target yet: give the channel or account"
    );
  }
  return chatSubject({ username: parseUsername(name2) }, messageFromPath(ids, query));
}
function privateLink(path5, query) {
  const [id, ...ids] = path5;
  if (id === void 0) throw new Refusal("has no chat id after t.me/c/");
  return chatSubject({ chat_id: parseChatId(id) }, messageFromPath(ids, query));
}
function plusLink(rest, extra) {
  if (/^\d+$/.test(rest)) {
    throw new Refusal("is a phone-number link; give the account by its username or a message link instead");
  }
  if (extra.length > 0) throw new Refusal("has more path after the invite hash than an invite link has");
  return inviteSubject(rest);
}
function onlySegment(rest, what) {
  if (rest.length > 1) throw new Refusal(`has more path after the ${what} than this kind of link has`);
  return rest[0] ?? "";
}
function messageFromPath(ids, query) {
  if (ids.length > 2) {
    throw new Refusal("has more path segments than a Telegram message link (\u2026/<thread>/<message>)");
  }
  const [first, second] = ids;
  if (first === void 0) return void 0;
  const post = second ?? first;
  const thread = second === void 0 ? query.get("thread") : first;
  return messageRef(post, thread, query.get("comment"));
}
function messageRef(post, thread, comment) {
  if (post === null) return void 0;
  const ref2 = { message_id: parseMessageId(post, "message") };
  if (comment !== null) ref2.comment_id = parseMessageId(comment, "comment");
  else if (thread !== null) ref2.thread_id = parseMessageId(thread, "thread");
  return ref2;
}
function parseTgLink(url) {
  const action = (url.host || url.pathname).replace(/^\/+|\/+$/g, "").toLowerCase();
  const query = url.searchParams;
  const messageOf2 = () => messageRef(query.get("post"), query.get("thread"), query.get("comment"));
  if (action === "resolve") {
    if (query.has("phone")) {
      throw new Refusal("is a phone-number link; give the account by its username instead");
    }
    const domain = query.get("domain");
    if (!domain) throw new Refusal("has no domain= (the username to open)");
    return chatSubject({ username: parseUsername(domain) }, messageOf2());
  }
  if (action === "privatepost") {
    const channel = query.get("channel");
    if (!channel) throw new Refusal("has no channel= (the private channel id)");
    if (!query.has("post")) throw new Refusal("has no post= (the message id)");
    return chatSubject({ chat_id: parseChatId(channel) }, messageOf2());
  }
  if (action === "join") return inviteSubject(query.get("invite") ?? "");
  throw new Refusal(
    `is a tg: link to a Telegram feature (${action || "none"}), not to a chat, channel or message`
  );
}
function parseUsername(name2) {
  const problem2 = usernameProblem(name2);
  if (problem2 !== void 0) {
    throw new Refusal(
      `is not a Telegram username: ${problem2} (usernames have 4\u201332 letters, digits or _ and start with a letter)`
    );
  }
  const lower = name2.toLowerCase();
  if (SERVICE_PATHS.has(lower)) {
    throw new Refusal(`names '${lower}', which is a Telegram feature, not a username`);
  }
  return lower;
}
function usernameProblem(name2) {
  const shown = quoted(name2, 40);
  if (name2 === "") return "the username is missing";
  const bad = /[^a-z0-9_]/i.exec(name2)?.[0];
  if (bad !== void 0) return `${shown} has ${quoted(bad)}, which is not a letter, digit or _`;
  if (name2.length < 4) return `${shown} is too short`;
  if (name2.length > 32) return `${shown} is too long`;
  if (!/^[a-z]/i.test(name2)) return `${shown} does not start with a letter`;
  if (name2.endsWith("_")) return `${shown} ends with _`;
  if (name2.includes("__")) return `${shown} has two _ in a row`;
  return void 0;
}
function parseMessageId(text4, what) {
  const value = /^\d{1,10}$/.test(text4) ? Number(text4) : 0;
  if (value < 1 || value > MAX_MESSAGE_ID) {
    throw new Refusal(
      `has ${quoted(text4, 24)} as its ${what} id; ids are whole numbers from 1 to ${MAX_MESSAGE_ID}`
    );
  }
  return value;
}
function parseChatId(text4) {
  if (/^-100\d+$/.test(text4)) {
    throw new Refusal(`has ${quoted(text4, 24)}, a Bot API chat id; t.me/c/ links use the digits after -100`);
  }
  if (!/^[1-9]\d*$/.test(text4) || text4.length > MAX_CHAT_ID_DIGITS) {
    throw new Refusal(
      `has ${quoted(text4, 24)} as its chat id; t.me/c/ ids are 1 to ${MAX_CHAT_ID_DIGITS} digits`
    );
  }
  return text4;
}
function inviteSubject(hash) {
  if (hash === "") throw new Refusal("has no invite hash");
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(hash)) {
    throw new Refusal(`has ${quoted(hash, 24)} as its invite hash; hashes are 4\u201364 letters, digits, - or _`);
  }
  return {
    platform: "telegram",
    kind: "invite",
    invite_hash: hash,
    key: `telegram:invite:${hash}`,
    url: `https://t.me/+${hash}`
  };
}
function chatSubject(chat, message) {
  const isPublic = "username" in chat;
  const chatPath = isPublic ? chat.username : `c/${chat.chat_id}`;
  const chatKey = isPublic ? chat.username : chat.chat_id;
  if (message === void 0) {
    const kind = isPublic && /bot$/.test(chat.username) ? "bot" : "channel";
    const key = isPublic ? `telegram:username:${chatKey}` : `telegram:private:${chatKey}`;
    return { platform: "telegram", kind, ...chat, key, url: `https://t.me/${chatPath}` };
  }
  const { message_id, thread_id, comment_id } = message;
  const comment = comment_id === void 0 ? "" : `?comment=${comment_id}`;
  const threadPath = thread_id === void 0 ? "" : `/${thread_id}`;
  return {
    platform: "telegram",
    kind: "message",
    ...chat,
    ...message,
    key: `telegram:${isPublic ? "message" : "private"}:${chatKey}/${message_id}${comment}`,
    url: `https://t.me/${chatPath}${threadPath}/${message_id}${comment}`
  };
}
function applyHint(subject, hint) {
  const namesAChat = subject.platform === "telegram" && subject.kind !== "message" && subject.kind !== "invite";
  if (!namesAChat) return subject;
  if (subject.chat_id !== void 0 && hint === "account") {
    throw new Refusal("is a private channel or supergroup link (t.me/c/\u2026), so it cannot name an account");
  }
  return { ...subject, kind: hint };
}
function quoted(text4, max = 80) {
  const chars = Array.from(text4);
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join("")}\u2026` : text4;
  return `'${cut.replace(new RegExp(INVISIBLE.source, "gu"), codePoint)}'`;
}
function codePoint(char) {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

// src/notices/intake.ts
var HOUR2 = 36e5;
function suspendedNotifier() {
  return forbidden("your organisation\u2019s notices are suspended (DSA Art. 23(2)); contact the platform");
}
async function prepareNotice(db, actor, input, now, options) {
  const [org, policy, languages] = await Promise.all([
    notifierOrganisation(db, actor.orgId),
    currentPolicy(db),
    jurisdictionLanguages(db, input.jurisdiction)
  ]);
  if (org.flagger_status === "suspended") throw suspendedNotifier();
  const category = findCategory(policy.document, input.category);
  const issues = [];
  if (!category) {
    issues.push({
      pointer: "/category",
      detail: `'${input.category}' is not in the taxonomy: ${policy.document.taxonomy.map((c) => c.code).join(", ")}`
    });
  }
  if (input.anonymous && category && !category.anonymous_notices) {
    issues.push({
      pointer: "/anonymous",
      detail: `notices about ${input.category} cannot be anonymous (DSA Art. 16(2)(c))`
    });
  }
  if (input.kind === "order") {
    if (!mayIssueOrders(org.kind))
      issues.push({
        pointer: "/kind",
        detail: "only government and law-enforcement organisations may send orders"
      });
    if (!input.order)
      issues.push({
        pointer: "/order",
        detail: "an order needs its issuing authority, territorial scope and redress (DSA Art. 9(2))"
      });
    if (!input.legal_basis)
      issues.push({ pointer: "/legal_basis", detail: "an order needs its legal basis (DSA Art. 9(2))" });
  }
  const subjects = input.targets.map((raw, index) => {
    const parsed = parseTarget(raw);
    if (!parsed.ok) issues.push({ pointer: `/targets/${index}`, detail: parsed.reason });
    return parsed.ok ? parsed.subject : null;
  });
  if (issues.length > 0) {
    const first = issues[0];
    const where = first.pointer.replace(/^\/targets\/(\d+)$/, "targets[$1]").replace(/^\//, "");
    throw invalid(
      `${where}: ${first.detail}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
      issues
    );
  }
  const sourceType = sourceTypeOf(org, input);
  const deadlines = deadlinesFor(policy.document, {
    jurisdiction: input.jurisdiction,
    category: input.category,
    sourceType
  });
  const noticeId = newId();
  const legalDue = new Date(now.getTime() + deadlines.legalHours * HOUR2);
  const targetDue = new Date(now.getTime() + deadlines.targetHours * HOUR2);
  const digest = canonicalDigest(input);
  const firstMark = marks(
    policy.document.at_risk_thresholds,
    deadlines.targetHours / deadlines.legalHours
  )[0];
  const receipt = await signReceipt(await currentSigningKey(db), {
    iss: options.publicUrl,
    notice_id: noticeId,
    org: org.slug,
    received_at: now.toISOString(),
    deadline: legalDue.toISOString(),
    target_deadline: targetDue.toISOString(),
    digest,
    targets: input.targets.length
  });
  const language = input.language ?? languages[0] ?? "en";
  return {
    actor,
    orgSlug: org.slug,
    idempotencyKey: options.idempotencyKey ?? null,
    digest,
    receipt,
    subjects,
    raws: input.targets,
    reference: input.reference ?? null,
    caseFacts: {
      jurisdiction: input.jurisdiction,
      category: input.category,
      severity: category.severity,
      trusted: sourceType === "trusted_flagger" || sourceType === "government_order",
      language,
      dueAt: targetDue,
      legalDueAt: legalDue
    },
    row: {
      id: noticeId,
      org_id: org.id,
      submitted_by: actor.id,
      submitted_by_type: actor.type,
      kind: input.kind,
      source_type: sourceType,
      category: input.category,
      jurisdiction: input.jurisdiction,
      language,
      legal_basis: input.legal_basis ?? null,
      legal_references: JSON.stringify(input.legal_references ?? []),
      explanation: input.explanation,
      reference: input.reference ?? null,
      good_faith: input.good_faith,
      notifier: JSON.stringify(
        input.notifier ?? {
          name: `${actor.displayName} (${org.name})`,
          email: org.contact_email ?? void 0
        }
      ),
      anonymous: input.anonymous,
      order_details: JSON.stringify(input.order ?? null),
      received_at: now,
      legal_hours: deadlines.legalHours,
      target_hours: deadlines.targetHours,
      legal_due_at: legalDue,
      target_due_at: targetDue,
      policy_version: policy.version,
      status: "received",
      next_clock_at: markTime(now, deadlines.legalHours, [], now, firstMark.share),
      digest,
      receipt,
      bulk_job_id: options.bulkJobId ?? null
    }
  };
}
var CACHE_MS2 = 2e3;
var organisations = /* @__PURE__ */ new WeakMap();
var jurisdictions = /* @__PURE__ */ new WeakMap();
function cached2(store, db, key, load) {
  let entries = store.get(db);
  if (!entries) {
    entries = /* @__PURE__ */ new Map();
    store.set(db, entries);
  }
  const hit = entries.get(key);
  const at = Date.now();
  if (hit && at - hit.at < CACHE_MS2) return hit.value;
  const entry2 = { at, value: load() };
  entries.set(key, entry2);
  entry2.value.catch(() => {
    if (entries.get(key) === entry2) entries.delete(key);
  });
  return entry2.value;
}
function notifierOrganisation(db, orgId) {
  return cached2(
    organisations,
    db,
    orgId,
    () => db.selectFrom("organisations").select([
      "id",
      "slug",
      "name",
      "kind",
      "flagger_status",
      "contact_email",
      "designated_categories",
      "designated_jurisdictions"
    ]).where("id", "=", orgId).executeTakeFirstOrThrow()
  );
}
function jurisdictionLanguages(db, code2) {
  return cached2(jurisdictions, db, code2, async () => {
    const row = await db.selectFrom("jurisdictions").select("languages").where("code", "=", code2).executeTakeFirst();
    return row?.languages ?? [];
  });
}

// src/notices/multipart.ts
import fastifyMultipart from "@fastify/multipart";
async function acceptMultipart(app) {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_EVIDENCE_BYTES, files: 10, fields: 10, fieldSize: 1024 * 1024, parts: 30 },
    throwFileSizeLimit: true
  });
}
async function readMultipart(request) {
  const body = { fields: {}, files: [] };
  try {
    for await (const part of request.parts()) {
      if (part.type === "file")
        body.files.push({ filename: part.filename || "evidence", data: await part.toBuffer() });
      else body.fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    const code2 = error.code ?? "";
    if (code2.includes("FILE_TOO_LARGE"))
      throw new DomainError("too_large", "each file may be at most 20 MiB");
    if (code2.includes("LIMIT") || code2.includes("TOO_MANY"))
      throw new DomainError("too_large", "at most 10 files and 10 fields per upload");
    throw error;
  }
  return body;
}

// src/notices/schemas.ts
import { z as z15 } from "zod";
var subjectSchema = z15.object({
  platform: z15.string(),
  kind: z15.string(),
  key: z15.string(),
  url: z15.string(),
  username: z15.string().optional(),
  chat_id: z15.string().optional(),
  message_id: z15.number().optional(),
  thread_id: z15.number().optional(),
  comment_id: z15.number().optional(),
  invite_hash: z15.string().optional(),
  host: z15.string().optional()
}).describe("A canonical subject: what a target points at");
var intakeTargetSchema = subjectSchema.extend({
  index: z15.number().int(),
  case_id: uuid.nullable(),
  status: z15.enum(["opened_case", "joined_case", "already_actioned"]),
  already_actioned: z15.object({ case_id: uuid, outcome: z15.string(), decided_at: timestamp }).optional()
});
var receiptAnswer = z15.object({
  notice_id: uuid,
  received_at: timestamp,
  deadline: timestamp.describe("The legal deadline (net of pauses, it moves while a clarification is open)"),
  target_deadline: timestamp.describe("The internal target"),
  source_type: z15.string(),
  targets: z15.array(intakeTargetSchema),
  receipt: z15.string().describe("A compact JWS (EdDSA) signed with a key published at /.well-known/jwks.json"),
  digest: z15.string().describe("SHA-256 of the canonical JSON (RFC 8785) of the notice as received, defaults applied"),
  evidence: z15.array(
    z15.object({
      id: uuid,
      filename: z15.string(),
      content_type: z15.string(),
      size: z15.number().int(),
      sha256: z15.string(),
      uploaded_at: timestamp
    })
  ).optional().describe("The evidence files sent with a multipart notice, as stored")
});
var noticeSummary = z15.object({
  id: uuid,
  org: z15.string(),
  kind: z15.string(),
  category: z15.string(),
  jurisdiction: z15.string(),
  source_type: z15.string(),
  reference: z15.string().nullable(),
  status: z15.string(),
  received_at: timestamp,
  deadline: timestamp,
  target_deadline: timestamp,
  paused_since: timestamp.nullable()
});
var noticeDetail = z15.object({
  id: uuid,
  org: z15.string(),
  kind: z15.string(),
  source_type: z15.string(),
  category: z15.string(),
  jurisdiction: z15.string(),
  language: z15.string(),
  legal_basis: z15.string().nullable(),
  legal_references: z15.unknown(),
  explanation: z15.string(),
  reference: z15.string().nullable(),
  notifier: z15.unknown(),
  anonymous: z15.boolean(),
  order: z15.unknown(),
  status: z15.string(),
  received_at: timestamp,
  deadline: timestamp,
  target_deadline: timestamp,
  clock: z15.object({
    state: z15.enum(["running", "paused", "at_risk", "breached", "stopped"]),
    paused: z15.boolean(),
    pauses: z15.array(z15.object({ paused_at: timestamp, resumed_at: timestamp.nullable(), reason: z15.string() }))
  }),
  policy_version: z15.number().int(),
  closed_at: timestamp.nullable(),
  digest: z15.string(),
  receipt: z15.string(),
  targets: z15.array(
    z15.object({
      index: z15.number().int(),
      raw: z15.string(),
      subject: z15.unknown(),
      case_id: uuid.nullable(),
      case_status: z15.string().nullable(),
      outcome: z15.string().nullable(),
      outcome_at: timestamp.nullable()
    })
  ),
  evidence: z15.array(
    z15.object({
      id: uuid,
      filename: z15.string(),
      content_type: z15.string(),
      size: z15.number().int(),
      sha256: z15.string(),
      uploaded_at: timestamp,
      purged_at: timestamp.nullable()
    })
  )
});

// src/notices/routes.ts
var idempotencyHeaders2 = z16.object({
  "idempotency-key": z16.string().regex(/^[\x21-\x7e]{1,255}$/, "1\u2013255 visible ASCII characters").optional().describe("The same key with the same notice returns the same receipt; with another notice, 409")
});
var noticeRoutes = async (app, { ctx }) => {
  await acceptMultipart(app);
  app.post(
    "/v1/notices",
    {
      config: { access: "notices:submit" },
      schema: {
        tags: ["notices"],
        summary: 'Submit a notice; the answer carries a signed receipt. As JSON, or as multipart/form-data with the notice as JSON in a "notice" field and evidence files beside it',
        headers: idempotencyHeaders2,
        body: noticeInput,
        response: { 201: receiptAnswer, 200: receiptAnswer }
      },
      // A multipart notice: the "notice" field becomes the body the schema validates, and the
      // files wait, checked, until the notice is stored.
      preValidation: async (request) => {
        if (!request.isMultipart()) return;
        const { fields, files } = await readMultipart(request);
        if (!fields.notice)
          throw invalid('a multipart notice needs a "notice" field holding the notice as JSON', [
            { pointer: "/notice", detail: "missing" }
          ]);
        request.body = parseStrictJson(Buffer.from(fields.notice, "utf8"));
        request.evidenceUploads = files;
      }
    },
    async (request, reply) => {
      const files = await Promise.all((request.evidenceUploads ?? []).map((file, i) => checkFile(file, i)));
      const prepared = await prepareNotice(ctx.db, request.actor, request.body, ctx.clock(), {
        idempotencyKey: request.headers["idempotency-key"],
        publicUrl: ctx.config.publicUrl
      });
      const result = await ctx.intake.submit(prepared);
      if (files.length === 0) return reply.code(201).send(result);
      const held = await ctx.db.selectFrom("evidence").select("sha256").where("notice_id", "=", result.notice_id).execute();
      const fresh = files.filter((f) => !held.some((h) => h.sha256 === f.sha256));
      const stored = fresh.length ? await storeEvidence(ctx.db, request.actor, result.notice_id, fresh, ctx.clock()) : [];
      return reply.code(201).send({ ...result, evidence: stored.map(({ md5: _, ...e }) => e) });
    }
  );
  app.get(
    "/v1/notices",
    {
      config: { access: "notices:read" },
      schema: {
        tags: ["notices"],
        summary: "List notices, newest first (a flagger sees its own organisation\u2019s)",
        querystring: z16.strictObject({
          status: z16.string().max(40).optional(),
          category: z16.string().max(40).optional(),
          reference: z16.string().max(200).optional(),
          org: z16.string().max(40).optional(),
          before: timestamp.optional().describe("Continue from next_before of the previous page"),
          limit: z16.coerce.number().int().min(1).max(500).default(50)
        }),
        response: { 200: z16.object({ items: z16.array(noticeSummary), next_before: timestamp.nullable() }) }
      }
    },
    async (request) => listNotices(ctx.db, request.actor, request.query)
  );
  app.get(
    "/v1/notices/:id",
    {
      config: { access: "notices:read" },
      schema: {
        tags: ["notices"],
        summary: "A notice with its targets, clock, evidence and receipt",
        params: z16.strictObject({ id: uuid }),
        response: { 200: noticeDetail }
      }
    },
    async (request) => noticeView(ctx.db, request.actor, request.params.id, ctx.clock())
  );
  app.get(
    "/.well-known/jwks.json",
    {
      config: { access: "public" },
      schema: { tags: ["notices"], summary: "The public keys that verify receipts (JWKS, RFC 7517)" }
    },
    async () => publicJwks(ctx.db)
  );
};

// src/notices/thread-routes.ts
import { z as z17 } from "zod";
var params5 = z17.strictObject({ id: uuid });
var posted = z17.object({
  id: uuid,
  notice_id: uuid,
  side: z17.string(),
  kind: z17.string(),
  status: z17.string(),
  created_at: timestamp
});
var text3 = (max) => z17.string().trim().min(1).max(max);
var attachments = z17.array(uuid).max(10).optional().describe("Evidence ids uploaded first to /v1/notices/{id}/evidence");
var targetIndexes = z17.array(z17.number().int().min(0).max(999)).min(1).max(1e3).optional();
var threadRoutes = async (app, { ctx }) => {
  await acceptMultipart(app);
  app.get(
    "/v1/notices/:id/thread",
    {
      config: { access: "notices:read" },
      schema: {
        tags: ["government channel"],
        summary: "The notice\u2019s thread, oldest first, with read receipts",
        params: params5,
        response: {
          200: z17.object({
            items: z17.array(
              z17.object({
                id: uuid,
                side: z17.string(),
                kind: z17.string(),
                author_name: z17.string(),
                body: z17.string(),
                target_idx: z17.number().nullable(),
                created_at: timestamp,
                read_at: timestamp.nullable(),
                attachments: z17.array(
                  z17.object({
                    id: uuid,
                    filename: z17.string(),
                    content_type: z17.string(),
                    size: z17.number(),
                    sha256: z17.string()
                  })
                )
              })
            )
          })
        }
      }
    },
    async (request) => ({ items: await readThread(ctx.db, request.actor, request.params.id) })
  );
  app.post(
    "/v1/notices/:id/messages",
    {
      config: { access: "threads:write" },
      schema: {
        tags: ["government channel"],
        summary: "Write in the notice\u2019s thread",
        params: params5,
        body: z17.strictObject({ body: text3(2e4), attachments }),
        response: { 201: posted }
      }
    },
    async (request, reply) => reply.code(201).send(
      await postMessage(
        ctx.db,
        request.actor,
        request.params.id,
        { kind: "message", body: request.body.body, attachments: request.body.attachments },
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/notices/:id/clarification-requests",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["government channel"],
        summary: "Ask the notifier for clarification; the notice\u2019s clock pauses until the answer (TCO Art. 3(7)-(8))",
        params: params5,
        body: z17.strictObject({ question: text3(2e4), attachments }),
        response: { 201: posted }
      }
    },
    async (request, reply) => reply.code(201).send(
      await postMessage(
        ctx.db,
        request.actor,
        request.params.id,
        {
          kind: "clarification_request",
          body: request.body.question,
          attachments: request.body.attachments
        },
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/notices/:id/clarification",
    {
      config: { access: "notices:submit" },
      schema: {
        tags: ["government channel"],
        summary: "Answer the open clarification request; the clock resumes",
        params: params5,
        body: z17.strictObject({ answer: text3(2e4), attachments }),
        response: { 201: posted }
      }
    },
    async (request, reply) => reply.code(201).send(
      await postMessage(
        ctx.db,
        request.actor,
        request.params.id,
        {
          kind: "clarification_answer",
          body: request.body.answer,
          attachments: request.body.attachments
        },
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/notices/:id/impossible",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["government channel"],
        summary: "Declare the notice (or some targets) impossible to carry out, with the reason (TCO Annex III)",
        params: params5,
        body: z17.strictObject({
          reason: z17.enum(impossibilityReasons),
          explanation: text3(2e4),
          target_indexes: targetIndexes
        }),
        response: { 201: posted }
      }
    },
    async (request, reply) => reply.code(201).send(
      await postMessage(
        ctx.db,
        request.actor,
        request.params.id,
        {
          kind: "impossible",
          body: request.body.explanation,
          reason: request.body.reason,
          targetIndexes: request.body.target_indexes
        },
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/notices/:id/objections",
    {
      config: { access: "notices:submit" },
      schema: {
        tags: ["government channel"],
        summary: 'Object to the platform\u2019s decision (SAMAN "sanggah")',
        params: params5,
        body: z17.strictObject({ grounds: text3(2e4), target_indexes: targetIndexes, attachments }),
        response: { 201: posted }
      }
    },
    async (request, reply) => reply.code(201).send(
      await postMessage(
        ctx.db,
        request.actor,
        request.params.id,
        {
          kind: "objection",
          body: request.body.grounds,
          targetIndexes: request.body.target_indexes,
          attachments: request.body.attachments
        },
        ctx.clock()
      )
    )
  );
  app.post(
    "/v1/notices/:id/thread/read",
    {
      config: { access: "threads:write" },
      schema: {
        tags: ["government channel"],
        summary: "Read receipt: mark the other side\u2019s messages up to this one as read",
        params: params5,
        body: z17.strictObject({ up_to: uuid }),
        response: { 200: z17.object({ marked: z17.number().int() }) }
      }
    },
    async (request) => ({
      marked: await markRead(ctx.db, request.actor, request.params.id, request.body.up_to, ctx.clock())
    })
  );
  app.post(
    "/v1/notices/:id/evidence",
    {
      config: { access: "threads:write" },
      schema: {
        tags: ["government channel"],
        summary: "Upload evidence (multipart/form-data, up to 10 files of 20 MiB): screenshots, PDFs, the official letter",
        params: params5,
        consumes: ["multipart/form-data"],
        response: {
          201: z17.object({
            items: z17.array(
              z17.object({
                id: uuid,
                filename: z17.string(),
                content_type: z17.string(),
                size: z17.number(),
                sha256: z17.string(),
                md5: z17.string(),
                uploaded_at: timestamp
              })
            )
          })
        }
      }
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalid("send the files as multipart/form-data");
      const { files } = await readMultipart(request);
      if (files.length === 0) throw invalid("no file in the upload");
      const checked = await Promise.all(files.map((file, i) => checkFile(file, i)));
      return reply.code(201).send({
        items: await storeEvidence(ctx.db, request.actor, request.params.id, checked, ctx.clock())
      });
    }
  );
  app.get(
    "/v1/notices/:id/evidence/:evidenceId",
    {
      config: { access: "notices:read" },
      schema: {
        tags: ["government channel"],
        summary: "Download a piece of evidence (never rendered inline)",
        params: z17.strictObject({ id: uuid, evidenceId: uuid })
      }
    },
    async (request, reply) => {
      const file = await readEvidence(
        ctx.db,
        request.actor,
        request.params.id,
        request.params.evidenceId,
        ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY,
        ctx.clock()
      );
      return reply.header(
        "content-type",
        file.content_type.startsWith("text/") ? "text/plain; charset=utf-8" : file.content_type
      ).header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`).header("x-content-type-options", "nosniff").header("content-security-policy", "sandbox; default-src 'none'").header("digest", `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`).send(file.data);
    }
  );
};

// src/policy/routes.ts
import { z as z18 } from "zod";

// src/policy/jurisdictions.ts
async function publicJurisdiction(db, code2) {
  const row = await db.selectFrom("jurisdictions").selectAll().where("code", "=", code2).executeTakeFirst();
  if (!row) throw notFound(`no record for jurisdiction ${code2}`);
  const policy = await currentPolicy(db);
  const deadlines = policy.document.rules.filter((r) => r.jurisdiction === code2 || r.jurisdiction === "*").map((r) => ({
    applies_to: { jurisdiction: r.jurisdiction, category: r.category, source_type: r.source_type },
    legal_deadline_hours: r.legal_deadline_hours,
    internal_target_hours: r.internal_target_hours ?? null,
    note: r.note ?? null
  }));
  const { escalation_roster: _, ...record2 } = row;
  return { ...record2, policy_version: policy.version, deadlines };
}
async function listJurisdictions(db) {
  return db.selectFrom("jurisdictions").select(["code", "name", "languages", "time_zone"]).orderBy("code").execute();
}
async function saveJurisdiction(db, actor, code2, input, now) {
  const row = {
    code: code2,
    name: input.name,
    legal_representative: JSON.stringify(input.legal_representative),
    contact_point: JSON.stringify(input.contact_point),
    languages: input.languages,
    time_zone: input.time_zone,
    escalation_roster: JSON.stringify(input.escalation_roster ?? []),
    updated_at: now
  };
  await transact(db, async (trx) => {
    await trx.insertInto("jurisdictions").values(row).onConflict((oc) => oc.column("code").doUpdateSet({ ...row })).execute();
    await appendAudit(
      trx,
      actor,
      { action: "jurisdiction.saved", objectType: "jurisdiction", objectId: code2, change: input },
      now
    );
  });
}

// src/policy/routes.ts
var contact = z18.strictObject({
  name: z18.string().trim().min(1).max(200),
  email: z18.email().max(254).optional(),
  phone: z18.string().trim().min(3).max(50).optional(),
  address: z18.string().trim().min(1).max(500).optional()
});
var timeZone = z18.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "an IANA time zone, e.g. Asia/Jakarta");
var versionSchema = z18.object({
  version: z18.number().int(),
  note: z18.string().nullable(),
  created_by: z18.string().nullable(),
  created_at: timestamp
});
var policyRoutes = async (app, { ctx }) => {
  app.get(
    "/v1/policy",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["policy"],
        summary: "The SOP policy in force: taxonomy, deadlines, at-risk thresholds",
        response: { 200: versionSchema.extend({ document: z18.unknown() }) }
      }
    },
    async () => currentPolicy(ctx.db)
  );
  app.put(
    "/v1/policy",
    {
      config: { access: "policy:write" },
      schema: {
        tags: ["policy"],
        summary: "Save a new version of the SOP policy (the whole document); every version is kept and audited",
        body: z18.strictObject({ document: z18.unknown(), note: z18.string().trim().min(1).max(1e3) }),
        response: { 201: versionSchema.extend({ document: z18.unknown() }) }
      }
    },
    async (request, reply) => reply.code(201).send(
      await savePolicy(ctx.db, request.actor, request.body.document, request.body.note, ctx.clock())
    )
  );
  app.get(
    "/v1/policy/versions",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["policy"],
        summary: "Every version of the policy, newest first",
        response: { 200: z18.object({ items: z18.array(versionSchema) }) }
      }
    },
    async () => ({ items: await listPolicyVersions(ctx.db) })
  );
  app.get(
    "/v1/policy/versions/:version",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["policy"],
        summary: "One version of the policy",
        params: z18.strictObject({ version: z18.coerce.number().int().min(1) }),
        response: { 200: versionSchema.extend({ document: z18.unknown() }) }
      }
    },
    async (request) => {
      const found = await policyVersion(ctx.db, request.params.version);
      if (!found) throw notFound(`no policy version ${request.params.version}`);
      return found;
    }
  );
  app.get(
    "/v1/taxonomy",
    {
      config: { access: "public" },
      schema: {
        tags: ["policy"],
        summary: "The categories a notice can have, with Indonesian and English labels"
      }
    },
    async () => ({ items: (await currentPolicy(ctx.db)).document.taxonomy })
  );
  app.get(
    "/v1/jurisdictions",
    {
      config: { access: "public" },
      schema: { tags: ["policy"], summary: "The jurisdictions with a public record" }
    },
    async () => ({ items: await listJurisdictions(ctx.db) })
  );
  app.get(
    "/v1/jurisdictions/:code",
    {
      config: { access: "public" },
      schema: {
        tags: ["policy"],
        summary: "The platform\u2019s legal representative and contact point in a country, its languages, time zone and the deadlines in force",
        params: z18.strictObject({ code: countryCode })
      }
    },
    async (request) => publicJurisdiction(ctx.db, request.params.code)
  );
  app.put(
    "/v1/jurisdictions/:code",
    {
      config: { access: "policy:write" },
      schema: {
        tags: ["policy"],
        summary: "Create or update a jurisdiction\u2019s record",
        params: z18.strictObject({ code: countryCode }),
        body: z18.strictObject({
          name: z18.string().trim().min(1).max(200),
          legal_representative: contact,
          contact_point: contact,
          languages: z18.array(languageCode).min(1).max(20),
          time_zone: timeZone,
          escalation_roster: z18.array(contact).max(50).optional()
        })
      }
    },
    async (request) => {
      await saveJurisdiction(ctx.db, request.actor, request.params.code, request.body, ctx.clock());
      return publicJurisdiction(ctx.db, request.params.code);
    }
  );
};

// src/preservation/routes.ts
import { z as z20 } from "zod";

// src/preservation/deposit.ts
import { createHash as createHash8 } from "node:crypto";

// src/screening/text/character-folds.ts
var KEEP = -1;
var DROP = -2;
var SPACE = -3;
var table = new Int32Array(65536).fill(KEEP);
function drop(from, to = from) {
  for (let c = from; c <= to; c++) table[c] = DROP;
}
function fold(pairs) {
  for (const [from, to] of Object.entries(pairs)) table[from.charCodeAt(0)] = to.charCodeAt(0);
}
drop(0, 31);
drop(127, 159);
for (const c of [
  9,
  10,
  11,
  12,
  13,
  32,
  133,
  160,
  5760,
  8232,
  8233,
  8239,
  8287,
  12288
]) {
  table[c] = SPACE;
}
for (let c = 8192; c <= 8202; c++) table[c] = SPACE;
drop(173);
drop(847);
drop(1564);
drop(6158);
drop(8203, 8207);
drop(8234, 8238);
drop(8288, 8292);
drop(8294, 8303);
drop(65024, 65039);
drop(65279);
drop(768, 879);
drop(6832, 6911);
drop(7616, 7679);
drop(8400, 8447);
drop(65056, 65071);
drop(1552, 1562);
drop(1611, 1631);
drop(1648);
drop(1750, 1756);
drop(1759, 1764);
drop(1767, 1768);
drop(1770, 1773);
drop(2259, 2273);
drop(2275, 2303);
drop(1600);
fold({ \u0671: "\u0627", \u0649: "\u064A", \u06CC: "\u064A", \u0629: "\u0647", \u06A9: "\u0643", \u06D5: "\u0647" });
for (let d = 0; d <= 9; d++) {
  table[1632 + d] = 48 + d;
  table[1776 + d] = 48 + d;
}
fold({
  \u0430: "a",
  \u0435: "e",
  \u043E: "o",
  \u0440: "p",
  \u0441: "c",
  \u0443: "y",
  \u0445: "x",
  \u043A: "k",
  \u043C: "m",
  \u043D: "h",
  \u0442: "t",
  \u0432: "b",
  \u0455: "s",
  \u0456: "i",
  \u0458: "j",
  \u04BB: "h",
  "\u04CF": "l",
  "\u0501": "d",
  "\u051B": "q",
  "\u051D": "w",
  \u04AF: "y",
  \u03B1: "a",
  \u03B2: "b",
  \u03B3: "y",
  \u03B5: "e",
  \u03B7: "n",
  \u03B9: "i",
  \u03BA: "k",
  \u03BD: "v",
  \u03BF: "o",
  \u03C1: "p",
  \u03C4: "t",
  \u03C5: "u",
  \u03C7: "x",
  \u03C9: "w",
  \u03F2: "c",
  \u03F3: "j",
  \u03C2: "\u03C3",
  \u0131: "i",
  "\u0237": "j",
  \u0261: "g",
  \u0251: "a"
});
for (let c = 0; c < 65536; c++) {
  if (c >= 55296 && c <= 57343) continue;
  const lower = String.fromCharCode(c).toLowerCase();
  if (lower.length !== 1) continue;
  const l = lower.charCodeAt(0);
  if (l === c) continue;
  table[c] = table[l] === KEEP ? l : table[l];
}
var CHARACTER_FOLDS = table;
var MAY_COMPOSE = (() => {
  const composes = new Uint8Array(65536);
  const mark = new RegExp("\\p{M}", "u");
  for (let c = 768; c < 65536; c++) {
    if (c >= 55296 && c <= 57343 || mark.test(String.fromCharCode(c))) composes[c] = 1;
  }
  composes.fill(1, 4449, 4470);
  composes.fill(1, 4520, 4547);
  return composes;
})();
var LEET = (() => {
  const leet = new Int32Array(128);
  const pairs = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };
  for (const [from, to] of Object.entries(pairs)) leet[from.charCodeAt(0)] = to.charCodeAt(0);
  return leet;
})();

// src/screening/text/normalise.ts
function normaliseText(text4) {
  let decomposed = text4.normalize("NFKD");
  const surrogates = SURROGATE.test(decomposed);
  if (surrogates) decomposed = decomposed.toLowerCase();
  const out = scratch(decomposed.length * 2 + 1);
  let length = 0;
  let composes = false;
  let pendingSpace = false;
  let tokenStart = 0;
  let tokenLatin = 0;
  let tokenLeet = false;
  const end = decomposed.length;
  for (let i = 0; i < end; i++) {
    let code2 = decomposed.charCodeAt(i);
    if (code2 >= 97 && code2 <= 122 && !pendingSpace) {
      tokenLatin++;
      out[length++] = code2;
      continue;
    }
    if (code2 === 56128) {
      const low = decomposed.charCodeAt(i + 1);
      if (low >= 56320 && low <= 56815) {
        i++;
        continue;
      }
    }
    const action = CHARACTER_FOLDS[code2];
    if (action === DROP) continue;
    if (action === SPACE) {
      if (length > 0) pendingSpace = true;
      continue;
    }
    if (action !== KEEP) code2 = action;
    if (pendingSpace) {
      if (tokenLeet && tokenLatin >= 3) foldLeet(out, tokenStart, length);
      tokenLatin = 0;
      tokenLeet = false;
      out[length++] = 32;
      tokenStart = length;
      pendingSpace = false;
    }
    if (code2 < 128) {
      if (code2 >= 97 && code2 <= 122) tokenLatin++;
      else if (LEET[code2] !== 0) tokenLeet = true;
    } else if (code2 === 223) {
      out[length++] = 115;
      out[length++] = 115;
      tokenLatin += 2;
      continue;
    } else if (MAY_COMPOSE[code2] === 1) composes = true;
    out[length++] = code2;
  }
  if (tokenLeet && tokenLatin >= 3) foldLeet(out, tokenStart, length);
  let folded = decodeUtf16(out, length);
  if (surrogates) folded = toWellFormed(folded);
  return composes ? folded.normalize("NFC") : folded;
}
var SURROGATE = /[\ud800-\udfff]/;
var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function toWellFormed(text4) {
  return text4.replace(LONE_SURROGATE, "\uFFFD");
}
var SCRATCH_KEPT = 1 << 22;
var kept = new Uint16Array(1 << 12);
function scratch(units) {
  if (units <= kept.length) return kept;
  const buffer = new Uint16Array(units);
  if (units <= SCRATCH_KEPT) kept = buffer;
  return buffer;
}
function foldLeet(out, start, end) {
  for (let i = start; i < end; i++) {
    const code2 = out[i];
    if (code2 !== 64 && code2 !== 36) continue;
    const before = i > start ? out[i - 1] : 0;
    const after = i + 1 < end ? out[i + 1] : 0;
    if (isWordCode(before) && isWordCode(after)) out[i] = LEET[code2];
  }
  for (let i = start; i < end; i++) {
    const code2 = out[i];
    const letter = isDigit(code2) ? LEET[code2] : 0;
    if (letter === 0) continue;
    const before = i > start ? out[i - 1] : 0;
    const after = i + 1 < end ? out[i + 1] : 0;
    if (!isDigit(before) && !isDigit(after) && (isLatin(before) || isLatin(after))) out[i] = letter;
  }
}
function isLatin(code2) {
  return code2 >= 97 && code2 <= 122;
}
function isDigit(code2) {
  return code2 >= 48 && code2 <= 57;
}
function isWordCode(code2) {
  return isLatin(code2) || isDigit(code2);
}
function decodeUtf16(units, length) {
  return Buffer.from(units.buffer, units.byteOffset, length * 2).toString("ucs2");
}

// src/screening/lexicon/lexicon-rules.ts
import { readFileSync as readFileSync6 } from "node:fs";
import { z as z19 } from "zod";
var lexiconRuleSchema = z19.object({
  id: z19.string().min(1),
  pattern: z19.string().min(1),
  category: z19.string().min(1),
  /** 0–1: how strongly a match indicates the category (combined as independent evidence). */
  weight: z19.number().min(0).max(1),
  /** BCP 47 language of the pattern: 'ar', 'id', 'en'… */
  language: z19.string().min(2),
  /**
   * Match only as whole words (not inside a longer word). Defaults to true for patterns written
   * in Latin script and false otherwise: Arabic attaches prefixes (و ب ل ال) to the word.
   */
  wholeWord: z19.boolean().optional()
});
var lexiconFileSchema = z19.object({
  description: z19.string().optional(),
  rules: z19.array(lexiconRuleSchema)
});
function parseLexiconRules(input) {
  const rules2 = z19.array(lexiconRuleSchema).parse(input);
  const seen = /* @__PURE__ */ new Set();
  for (const rule of rules2) {
    if (seen.has(rule.id)) throw new TypeError(`lexicon rule id '${rule.id}' is used twice`);
    seen.add(rule.id);
  }
  return rules2;
}
function readLexiconFile(path5) {
  const json = JSON.parse(readFileSync6(path5, "utf8"));
  return parseLexiconRules(lexiconFileSchema.parse(json).rules);
}
function defaultLexiconRules() {
  return readLexiconFile(new URL("./default-lexicon.json", import.meta.url));
}

// src/screening/lexicon/pattern-automaton.ts
var OTHER = 0;
var SEPARATOR = 1;
var IGNORED = 65535;
var SEPARATORS = " -_./\\|\xB7\u2022\u2013\u2014";
var IGNORABLE = "'\u2019\u2018\u02BC\u02BB\u02BF\u02BE`\xB4";
var MAX_TABLE_CELLS = 64 * 1024 * 1024;
var PatternAutomaton = class {
  patternCount;
  classOf = new Uint16Array(65536);
  classCount;
  /**
   * The transitions, as scanning uses them: the cell for (state, class) holds the next
   * state's row offset (state × classCount), bitwise-negated (~) when that state ends a
   * pattern. One lookup per character, no multiplication, and no second table to consult.
   */
  jump;
  /** Pattern ending exactly at each state, or −1. */
  output;
  /** Nearest state on the failure chain (itself included) that ends a pattern, or −1. */
  firstOutput;
  /** Next state with an output on the failure chain, below this one, or −1. */
  nextOutput;
  /** Length of each pattern in symbols (separator runs count once, skipped marks not at all). */
  symbolLengths;
  /** Further patterns equal to the one a state outputs (lexicons may list a name twice). */
  duplicates = /* @__PURE__ */ new Map();
  /** `patterns` should already be normalised; equal patterns are reported under each index. */
  constructor(patterns) {
    this.patternCount = patterns.length;
    for (const c of SEPARATORS) this.classOf[c.charCodeAt(0)] = SEPARATOR;
    for (const c of IGNORABLE) this.classOf[c.charCodeAt(0)] = IGNORED;
    let classes = 2;
    const symbols = patterns.map((pattern) => {
      const out = [];
      for (let i = 0; i < pattern.length; i++) {
        const code2 = pattern.charCodeAt(i);
        let cls = this.classOf[code2];
        if (cls === OTHER) {
          cls = classes++;
          this.classOf[code2] = cls;
        }
        if (cls === IGNORED || cls === SEPARATOR && out[out.length - 1] === SEPARATOR) continue;
        out.push(cls);
      }
      return out;
    });
    this.classCount = classes;
    this.symbolLengths = Int32Array.from(symbols, (s) => s.length);
    const children = [/* @__PURE__ */ new Map()];
    const ends = [[]];
    symbols.forEach((word, index) => {
      if (word.length === 0) return;
      let state = 0;
      for (const cls of word) {
        let next = children[state].get(cls);
        if (next === void 0) {
          next = children.length;
          children.push(/* @__PURE__ */ new Map());
          ends.push([]);
          children[state].set(cls, next);
        }
        state = next;
      }
      ends[state].push(index);
    });
    const states = children.length;
    if (states * classes > MAX_TABLE_CELLS) {
      throw new RangeError(`lexicon too large: ${states} states \xD7 ${classes} character classes`);
    }
    const delta = new Int32Array(states * classes);
    this.output = new Int32Array(states).fill(-1);
    this.firstOutput = new Int32Array(states).fill(-1);
    this.nextOutput = new Int32Array(states).fill(-1);
    const failure = new Int32Array(states);
    const incoming = new Int32Array(states).fill(-1);
    for (let state = 0; state < states; state++) {
      const list2 = ends[state];
      if (list2.length > 0) this.output[state] = list2[0];
      if (list2.length > 1) this.duplicates.set(list2[0], list2.slice(1));
    }
    const queue = [];
    for (let cls = 0; cls < classes; cls++) {
      const child = children[0].get(cls);
      if (child !== void 0) {
        failure[child] = 0;
        incoming[child] = cls;
        queue.push(child);
        delta[cls] = child;
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const fail = failure[state];
      this.firstOutput[state] = this.output[state] >= 0 ? state : this.firstOutput[fail];
      this.nextOutput[state] = this.firstOutput[fail];
      const row = state * classes;
      const failRow = fail * classes;
      for (let cls = 0; cls < classes; cls++) {
        const child = children[state].get(cls);
        if (child === void 0) {
          delta[row + cls] = delta[failRow + cls];
        } else {
          failure[child] = delta[failRow + cls];
          incoming[child] = cls;
          queue.push(child);
          delta[row + cls] = child;
        }
      }
      if (incoming[state] === SEPARATOR && !children[state].has(SEPARATOR)) {
        delta[row + SEPARATOR] = state;
      }
    }
    this.firstOutput[0] = -1;
    this.jump = delta.map(
      (next) => this.firstOutput[next] >= 0 ? ~(next * classes) : next * classes
    );
  }
  /** Every occurrence of every pattern in `text`, overlapping ones included, by end position. */
  scan(text4, hits = []) {
    const { classOf, jump, classCount } = this;
    let row = 0;
    for (let i = 0; i < text4.length; i++) {
      const cls = classOf[text4.charCodeAt(i)];
      if (cls === IGNORED) continue;
      const next = jump[row + cls];
      if (next >= 0) {
        row = next;
      } else {
        row = ~next;
        this.report(text4, row / classCount, i + 1, hits);
      }
    }
    return hits;
  }
  report(text4, state, end, hits) {
    for (let at = this.firstOutput[state]; at >= 0; at = this.nextOutput[at]) {
      const pattern = this.output[at];
      const start = this.startOf(text4, end, this.symbolLengths[pattern]);
      hits.push({ pattern, start, end });
      for (const same of this.duplicates.get(pattern) ?? []) hits.push({ pattern: same, start, end });
    }
  }
  /** Walks back `symbols` symbols from `end`, as the automaton counted them. */
  startOf(text4, end, symbols) {
    let position = end;
    let remaining = symbols;
    while (remaining > 0 && position > 0) {
      position--;
      const cls = this.classOf[text4.charCodeAt(position)];
      if (cls === IGNORED) continue;
      if (cls === SEPARATOR) {
        while (position > 0 && this.classOf[text4.charCodeAt(position - 1)] === SEPARATOR) position--;
      }
      remaining--;
    }
    return position;
  }
};

// src/screening/lexicon/lexicon.ts
var LATIN_ONLY = /^[\p{Script=Latin}\p{N}\p{P}\p{Zs}]+$/u;
var WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;
var Lexicon = class _Lexicon {
  rules;
  automaton;
  wholeWord;
  constructor(rules2) {
    this.rules = parseLexiconRules(rules2);
    const patterns = this.rules.map((rule) => normaliseText(rule.pattern));
    patterns.forEach((pattern, i) => {
      if (pattern.length === 0)
        throw new TypeError(`lexicon rule '${this.rules[i]?.id}' normalises to nothing`);
    });
    this.automaton = new PatternAutomaton(patterns);
    this.wholeWord = this.rules.map((rule, i) => rule.wholeWord ?? LATIN_ONLY.test(patterns[i]));
  }
  static fromFile(path5) {
    return new _Lexicon(readLexiconFile(path5));
  }
  /** The ISIS media-outlet names and slogans shipped with tapis. */
  static default() {
    return new _Lexicon(defaultLexiconRules());
  }
  /** Normalises `text` and reports every rule that occurs in it. */
  scan(text4) {
    const normalised = normaliseText(text4);
    return { normalised, ...this.scanNormalised(normalised) };
  }
  /** As scan, for text already normalised with normaliseText. */
  scanNormalised(normalised) {
    const matches = [];
    const matched = /* @__PURE__ */ new Set();
    for (const hit of this.automaton.scan(normalised)) {
      if (this.wholeWord[hit.pattern] && !isWholeWord(normalised, hit.start, hit.end)) continue;
      const rule = this.rules[hit.pattern];
      matched.add(hit.pattern);
      matches.push({
        ruleId: rule.id,
        category: rule.category,
        language: rule.language,
        start: hit.start,
        end: hit.end,
        text: normalised.slice(hit.start, hit.end),
        score: rule.weight
      });
    }
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    let miss = 1;
    for (const index of matched) miss *= 1 - this.rules[index].weight;
    return { matches, score: 1 - miss };
  }
};
function isWholeWord(text4, start, end) {
  const before = start > 0 ? text4.charAt(start - 1) : "";
  const after = end < text4.length ? text4.charAt(end) : "";
  return !(before && WORD_CHARACTER.test(before)) && !(after && WORD_CHARACTER.test(after));
}

// src/screening/text/text-fingerprints.ts
import { createHash as createHash7 } from "node:crypto";
function textSha256(text4) {
  return createHash7("sha256").update(normaliseText(text4), "utf8").digest("hex");
}
var SIMHASH_SHINGLE = 5;
var SIMHASH_NEAR_DUPLICATE_DISTANCE = 10;
function textSimHash(text4) {
  const normalised = [...normaliseText(text4)];
  const counts = /* @__PURE__ */ new Map();
  const last = Math.max(1, normalised.length - SIMHASH_SHINGLE + 1);
  for (let i = 0; i < last; i++) {
    const shingle = normalised.slice(i, i + SIMHASH_SHINGLE).join("");
    counts.set(shingle, (counts.get(shingle) ?? 0) + 1);
  }
  const votes = new Float64Array(64);
  for (const [shingle, weight] of counts) {
    const high2 = fnv1a32(shingle, 2166136261);
    const low2 = fnv1a32(shingle, 16777619 ^ 2654435769);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit] = votes[bit] + (low2 >>> bit & 1 ? weight : -weight);
      votes[32 + bit] = votes[32 + bit] + (high2 >>> bit & 1 ? weight : -weight);
    }
  }
  let low = 0;
  let high = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (votes[bit] > 0) low |= 1 << bit;
    if (votes[32 + bit] > 0) high |= 1 << bit;
  }
  return { high: high >>> 0, low: low >>> 0 };
}
function simHashToHex(hash) {
  return hash.high.toString(16).padStart(8, "0") + hash.low.toString(16).padStart(8, "0");
}
function simHashFromHex(hex) {
  if (!/^[0-9a-fA-F]{16}$/.test(hex))
    throw new TypeError(`'${hex.slice(0, 40)}' is not a SimHash (16 hex digits)`);
  return { high: Number.parseInt(hex.slice(0, 8), 16) >>> 0, low: Number.parseInt(hex.slice(8), 16) >>> 0 };
}
function fnv1a32(text4, seed) {
  let hash = seed >>> 0;
  for (let i = 0; i < text4.length; i++) {
    hash ^= text4.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 2246822507);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 3266489909);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

// src/screening/matching/simhash-index.ts
var CHUNKS = 4;
var CHUNK_BITS = 16;
var MAX_PROBES_PER_CHUNK = 5e3;
var SimHashIndex = class {
  high = [];
  low = [];
  alive = [];
  tables = Array.from({ length: CHUNKS }, () => /* @__PURE__ */ new Map());
  masks = flipMasks(CHUNK_BITS, 3);
  live = 0;
  get size() {
    return this.live;
  }
  add(hash) {
    const id = this.high.length;
    this.high.push(hash.high >>> 0);
    this.low.push(hash.low >>> 0);
    this.alive.push(true);
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const key = chunkOf(hash, chunk);
      const table2 = this.tables[chunk];
      const ids = table2.get(key);
      if (ids) ids.push(id);
      else table2.set(key, [id]);
    }
    this.live++;
    return id;
  }
  remove(id) {
    if (!this.alive[id]) return false;
    this.alive[id] = false;
    const hash = { high: this.high[id], low: this.low[id] };
    for (let chunk = 0; chunk < CHUNKS; chunk++) {
      const table2 = this.tables[chunk];
      const key = chunkOf(hash, chunk);
      const ids = (table2.get(key) ?? []).filter((other) => other !== id);
      if (ids.length > 0) table2.set(key, ids);
      else table2.delete(key);
    }
    this.live--;
    return true;
  }
  hashOf(id) {
    return this.alive[id] ? { high: this.high[id], low: this.low[id] } : null;
  }
  /** Every live hash within `maxDistance` of `query`, nearest first (then by id). */
  query(query, maxDistance = SIMHASH_NEAR_DUPLICATE_DISTANCE) {
    if (maxDistance < 0) return [];
    const thresholds = chunkThresholds(maxDistance, CHUNKS);
    const probes = Math.max(...[...thresholds].map((t) => t < 0 ? 0 : ballSize(CHUNK_BITS, t)));
    const matches = [];
    const seen = /* @__PURE__ */ new Set();
    const consider = (id) => {
      if (seen.has(id) || !this.alive[id]) return;
      seen.add(id);
      const distance = popcount32((this.high[id] ^ query.high) >>> 0) + popcount32((this.low[id] ^ query.low) >>> 0);
      if (distance <= maxDistance) matches.push({ id, distance });
    };
    if (probes > MAX_PROBES_PER_CHUNK || Math.max(...thresholds) > 3) {
      for (let id = 0; id < this.high.length; id++) consider(id);
    } else {
      thresholds.forEach((t, chunk) => {
        if (t < 0) return;
        const key = chunkOf(query, chunk);
        const table2 = this.tables[chunk];
        const count = ballSize(CHUNK_BITS, t);
        for (let m = 0; m < count; m++) {
          for (const id of table2.get((key ^ this.masks[m]) >>> 0) ?? []) consider(id);
        }
      });
    }
    return matches.sort((a, b) => a.distance - b.distance || a.id - b.id);
  }
};
function chunkOf(hash, chunk) {
  const word = chunk < 2 ? hash.low : hash.high;
  return (chunk % 2 === 0 ? word : word >>> 16) & 65535;
}

// src/screening/matching/exact-index.ts
var ExactIndex = class {
  byValue = /* @__PURE__ */ new Map();
  values = [];
  live = 0;
  get size() {
    return this.live;
  }
  add(value) {
    const id = this.values.length;
    this.values.push(value);
    const ids = this.byValue.get(value);
    if (ids) ids.push(id);
    else this.byValue.set(value, [id]);
    this.live++;
    return id;
  }
  remove(id) {
    const value = this.values[id];
    if (value === void 0) return false;
    this.values[id] = void 0;
    const ids = (this.byValue.get(value) ?? []).filter((other) => other !== id);
    if (ids.length > 0) this.byValue.set(value, ids);
    else this.byValue.delete(value);
    this.live--;
    return true;
  }
  valueOf(id) {
    return this.values[id] ?? null;
  }
  /** Ids holding exactly this (canonical) value, oldest first. */
  query(value) {
    return this.byValue.get(value) ?? [];
  }
};

// src/screening/signal-matcher.ts
var PDQ_MIN_QUALITY = 50;
var SignalMatcher = class {
  options;
  pdq;
  simhash = new SimHashIndex();
  exact = {
    md5: new ExactIndex(),
    sha256: new ExactIndex(),
    text_sha256: new ExactIndex(),
    url: new ExactIndex(),
    domain: new ExactIndex()
  };
  /** Per type, the ref of each index id. */
  refs = /* @__PURE__ */ new Map();
  byRef = /* @__PURE__ */ new Map();
  constructor(options = {}) {
    this.options = {
      pdqMaxDistance: options.pdqMaxDistance ?? PDQ_DEFAULT_MAX_DISTANCE,
      pdqMinQuality: options.pdqMinQuality ?? PDQ_MIN_QUALITY,
      simhashMaxDistance: options.simhashMaxDistance ?? SIMHASH_NEAR_DUPLICATE_DISTANCE
    };
    this.pdq = new PdqIndex(options.pdq);
  }
  /**
   * Indexes a signal. Returns false, indexing nothing, for a PDQ hash under the minimum quality.
   * Throws a TypeError for a malformed value.
   */
  add(signal2) {
    const value = canonicalSignal(signal2.type, signal2.value);
    if (signal2.type === "pdq" && signal2.quality !== void 0 && signal2.quality < this.options.pdqMinQuality) {
      return false;
    }
    let id;
    if (signal2.type === "pdq") id = this.pdq.add(pdqFromHex(value));
    else if (signal2.type === "text_simhash") id = this.simhash.add(simHashFromHex(value));
    else id = this.exact[signal2.type].add(value);
    const refs = this.refs.get(signal2.type) ?? [];
    refs[id] = signal2.ref;
    this.refs.set(signal2.type, refs);
    this.byRef.set(signal2.ref, [...this.byRef.get(signal2.ref) ?? [], [signal2.type, id]]);
    return true;
  }
  /** Removes every signal added under `ref`; returns how many. */
  remove(ref2) {
    const entries = this.byRef.get(ref2) ?? [];
    for (const [type, id] of entries) {
      if (type === "pdq") this.pdq.remove(id);
      else if (type === "text_simhash") this.simhash.remove(id);
      else this.exact[type].remove(id);
      const refs = this.refs.get(type);
      if (refs) refs[id] = void 0;
    }
    this.byRef.delete(ref2);
    return entries.length;
  }
  /** Banked signals matching `value`: within the type's distance for pdq and text_simhash. */
  match(type, value, options = {}) {
    const canonical = canonicalSignal(type, value);
    if (type === "pdq") {
      if (options.quality !== void 0 && options.quality < this.options.pdqMinQuality) return [];
      const found = this.pdq.query(pdqFromHex(canonical), options.maxDistance ?? this.options.pdqMaxDistance);
      return found.map(
        (m) => this.result(type, m.id, pdqToHex(this.pdq.hashOf(m.id) ?? new Uint32Array(PDQ_WORDS)), m.distance)
      );
    }
    if (type === "text_simhash") {
      const found = this.simhash.query(
        simHashFromHex(canonical),
        options.maxDistance ?? this.options.simhashMaxDistance
      );
      return found.map((m) => {
        const hash = this.simhash.hashOf(m.id);
        return this.result(type, m.id, hash ? simHashToHex(hash) : canonical, m.distance);
      });
    }
    return this.exact[type].query(canonical).map((id) => this.result(type, id, canonical, 0));
  }
  /** A link checked against the url bank and its host (and parent domains) against the domain bank. */
  matchUrl(url) {
    const canonical = canonicalSignal("url", url);
    const host = new URL(canonical).hostname;
    return [
      ...this.match("url", canonical),
      ...domainAndParents(host).flatMap((domain) => this.match("domain", domain))
    ];
  }
  /** Indexed signals per type. */
  get sizes() {
    return {
      pdq: this.pdq.size,
      text_simhash: this.simhash.size,
      md5: this.exact.md5.size,
      sha256: this.exact.sha256.size,
      text_sha256: this.exact.text_sha256.size,
      url: this.exact.url.size,
      domain: this.exact.domain.size
    };
  }
  result(type, id, value, distance) {
    return { ref: this.refs.get(type)?.[id] ?? "", type, value, distance };
  }
};

// src/preservation/preserved-view.ts
function toPreservedView(row) {
  return {
    id: row.id,
    case_id: row.case_id,
    kind: row.kind,
    description: row.description,
    filename: row.filename,
    content_type: row.content_type,
    size: row.size,
    sha256: row.sha256,
    md5: row.md5,
    hashes: row.hashes,
    deposited_by: row.deposited_by,
    created_at: row.created_at,
    preserved_until: row.preserved_until,
    purged_at: row.purged_at
  };
}

// src/preservation/deposit.ts
async function depositContent(db, actor, caseId, deposit, preservationDays, now) {
  const stored = deposit.kind === "file" ? await fileContent(deposit.file) : textContent(deposit.text);
  return transact(db, async (trx) => {
    const found = await trx.selectFrom("cases").select(["id", "decided_at"]).where("id", "=", caseId).executeTakeFirst();
    if (!found) throw notFound(`no case ${caseId}`);
    const until = preservedUntil(found.decided_at, now, preservationDays);
    if (until <= now && !(await activeHoldCases(trx, [caseId], now)).has(caseId)) {
      throw conflict(
        `the preservation period of this case ended on ${until.toISOString()} and no legal hold keeps it; nothing more is kept for it`,
        { preserved_until: until.toISOString() }
      );
    }
    await storeBlob(trx, stored.sha256, stored.data);
    const row = await trx.insertInto("preserved_content").values({
      id: newId(),
      case_id: caseId,
      kind: deposit.kind,
      description: deposit.description,
      sha256: stored.sha256,
      filename: stored.filename,
      content_type: stored.contentType,
      size: stored.data.length,
      md5: stored.md5,
      hashes: JSON.stringify(stored.hashes),
      deposited_by: actor.id,
      preserved_until: until,
      created_at: now
    }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      actor,
      {
        action: "preserved_content.deposited",
        objectType: "case",
        objectId: caseId,
        change: {
          preserved_content_id: row.id,
          kind: row.kind,
          sha256: row.sha256,
          size: row.size,
          preserved_until: until
        }
      },
      now
    );
    return toPreservedView(row);
  });
}
async function fileContent(file) {
  const hashes = { sha256: file.sha256, md5: file.md5 };
  if (file.contentType.startsWith("image/")) {
    const media = await hashMediaBytes(file.data);
    if (media.pdq) Object.assign(hashes, { pdq: media.pdq, pdq_quality: media.quality });
  }
  return {
    data: file.data,
    sha256: file.sha256,
    md5: file.md5,
    filename: file.filename,
    contentType: file.contentType,
    hashes
  };
}
function textContent(text4) {
  const data = Buffer.from(text4, "utf8");
  const sha256 = createHash8("sha256").update(data).digest("hex");
  const md5 = createHash8("md5").update(data).digest("hex");
  return {
    data,
    sha256,
    md5,
    filename: null,
    contentType: "text/plain; charset=utf-8",
    hashes: { sha256, md5, text_sha256: textSha256(text4), simhash: simHashToHex(textSimHash(text4)) }
  };
}

// src/preservation/preserved-content.ts
async function listPreservedContent(db, actor, caseId, now) {
  return transact(db, async (trx) => {
    const found = await trx.selectFrom("cases").select("id").where("id", "=", caseId).executeTakeFirst();
    if (!found) throw notFound(`no case ${caseId}`);
    const rows2 = await trx.selectFrom("preserved_content").selectAll().where("case_id", "=", caseId).orderBy("created_at").execute();
    await appendAudit(
      trx,
      actor,
      {
        action: "preserved_content.listed",
        objectType: "case",
        objectId: caseId,
        change: { items: rows2.length }
      },
      now
    );
    return rows2.map(toPreservedView);
  });
}
async function readPreservedContent(db, actor, id, exposureLimit, now) {
  return transact(db, async (trx) => {
    const located = await trx.selectFrom("preserved_content").select("case_id").where("id", "=", id).executeTakeFirst();
    if (!located) throw notFound(`no preserved content ${id}`);
    const current = await lockCase(trx, located.case_id);
    const row = await trx.selectFrom("preserved_content").leftJoin("blobs", "blobs.sha256", "preserved_content.sha256").selectAll("preserved_content").select("blobs.data").where("preserved_content.id", "=", id).executeTakeFirstOrThrow();
    if (row.purged_at || !row.data) {
      throw notFound(
        `preserved content ${id} was purged on ${row.purged_at?.toISOString() ?? "an earlier date"} after its preservation period; only its hashes remain`
      );
    }
    const exposure2 = await recordReveal(
      trx,
      actor,
      { objectType: "preserved_content", objectId: id, caseId: row.case_id, contentType: row.content_type },
      exposureLimit,
      now
    );
    await recordCaseEvent(
      trx,
      current,
      actor,
      {
        type: "content_revealed",
        data: {
          object_type: "preserved_content",
          object_id: id,
          sha256: row.sha256,
          content_type: row.content_type,
          counted: countsAsExposure(row.content_type),
          download: true
        }
      },
      now
    );
    const { data, ...rest } = row;
    return { view: toPreservedView(rest), data: Buffer.from(data), exposure: exposure2 };
  });
}

// src/preservation/routes.ts
var params6 = z20.strictObject({ id: uuid });
var preserved = z20.object({
  id: uuid,
  case_id: uuid,
  kind: z20.string(),
  description: z20.string(),
  filename: z20.string().nullable(),
  content_type: z20.string().nullable(),
  size: z20.number().int().nullable(),
  sha256: z20.string().nullable(),
  md5: z20.string().nullable(),
  hashes: z20.record(z20.string(), z20.unknown()),
  deposited_by: z20.string().nullable(),
  created_at: timestamp,
  preserved_until: timestamp,
  purged_at: timestamp.nullable()
});
var hold = z20.object({
  id: uuid,
  case_id: uuid,
  reason: z20.string(),
  requested_by: z20.string(),
  placed_by: z20.string(),
  until: timestamp.nullable(),
  placed_at: timestamp,
  released_at: timestamp.nullable(),
  released_by: z20.string().nullable(),
  release_reason: z20.string().nullable(),
  active: z20.boolean()
});
var textDeposit = z20.strictObject({
  description: text(2e3).describe('What this is, e.g. "message 42 of @channel as posted, with its caption"'),
  text: z20.string().min(1).max(5e5)
});
var preservationRoutes = async (app, { ctx }) => {
  await acceptMultipart(app);
  const days = ctx.config.TAPIS_PRESERVATION_DAYS;
  app.post(
    "/v1/cases/:id/preserved-content",
    {
      config: { access: "cases:work" },
      schema: {
        tags: ["preservation"],
        summary: "Deposit captured content of the case: one file (multipart/form-data with a `description` field) or text (JSON); kept for the preservation period after the decision (TCO Art. 6)",
        params: params6,
        consumes: ["application/json", "multipart/form-data"],
        body: textDeposit.nullish(),
        response: { 201: preserved }
      }
    },
    async (request, reply) => {
      let deposit;
      if (request.isMultipart()) {
        const { files, fields } = await readMultipart(request);
        if (files.length !== 1) throw invalid(`send exactly one file per deposit (got ${files.length})`);
        const description = text(2e3).safeParse(fields.description ?? "");
        if (!description.success)
          throw invalid("description: say what the file is (1\u20132000 characters)", [
            { pointer: "/description", detail: "required" }
          ]);
        deposit = { kind: "file", description: description.data, file: await checkFile(files[0]) };
      } else {
        if (!request.body)
          throw invalid('send a file as multipart/form-data, or {"description", "text"} as JSON');
        deposit = { kind: "text", ...request.body };
      }
      return reply.code(201).send(await depositContent(ctx.db, request.actor, request.params.id, deposit, days, ctx.clock()));
    }
  );
  app.get(
    "/v1/cases/:id/preserved-content",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["preservation"],
        summary: "What is preserved for the case: metadata and hashes, purged items included (this access is audited)",
        params: params6,
        response: { 200: z20.object({ items: z20.array(preserved) }) }
      }
    },
    async (request) => ({
      items: await listPreservedContent(ctx.db, request.actor, request.params.id, ctx.clock())
    })
  );
  app.get(
    "/v1/preserved-content/:id",
    {
      config: { access: "content:reveal" },
      schema: {
        tags: ["preservation"],
        summary: "Download preserved content (never rendered inline); a reveal, counted against your exposure and audited",
        params: params6
      }
    },
    async (request, reply) => {
      const file = await readPreservedContent(
        ctx.db,
        request.actor,
        request.params.id,
        ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY,
        ctx.clock()
      );
      const type = file.view.content_type ?? "application/octet-stream";
      const name2 = file.view.filename ?? `${file.view.id}.${type.startsWith("text/") ? "txt" : "bin"}`;
      if (file.exposure)
        reply.header("x-exposure-today", String(file.exposure.exposure_today)).header("x-exposure-limit", String(file.exposure.limit));
      return reply.header("content-type", type.startsWith("text/") ? "text/plain; charset=utf-8" : type).header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(name2)}`).header("x-content-type-options", "nosniff").header("content-security-policy", "sandbox; default-src 'none'").header("digest", `sha-256=${Buffer.from(file.view.sha256 ?? "", "hex").toString("base64")}`).send(file.data);
    }
  );
  app.post(
    "/v1/cases/:id/legal-holds",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["preservation"],
        summary: "Place a legal hold: the case\u2019s content is kept past its preservation period until released (TCO Art. 6(2))",
        params: params6,
        body: z20.strictObject({
          reason: text(2e3),
          requested_by: text(500).describe("The authority or court that asked, with its reference"),
          until: timestamp.optional()
        }),
        response: { 201: hold }
      }
    },
    async (request, reply) => reply.code(201).send(await placeHold(ctx.db, request.actor, request.params.id, request.body, ctx.clock()))
  );
  app.get(
    "/v1/cases/:id/legal-holds",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["preservation"],
        summary: "The case\u2019s legal holds, active and released",
        params: params6,
        response: { 200: z20.object({ items: z20.array(hold) }) }
      }
    },
    async (request) => ({ items: await listHolds(ctx.db, request.params.id, ctx.clock()) })
  );
  app.post(
    "/v1/legal-holds/:id/release",
    {
      config: { access: "cases:lead" },
      schema: {
        tags: ["preservation"],
        summary: "Release a legal hold; content past its date is then purged by the next pass",
        params: params6,
        body: z20.strictObject({ reason: text(2e3).optional() }).nullish(),
        response: { 200: hold }
      }
    },
    async (request) => releaseHold(ctx.db, request.actor, request.params.id, request.body?.reason, ctx.clock())
  );
};

// src/screening/banks/match-routes.ts
import { z as z21 } from "zod";
var signal = z21.strictObject({
  type: z21.enum(SIGNAL_TYPES),
  value: z21.string().min(1).max(4096),
  quality: z21.number().int().min(0).max(100).optional()
});
var matchRoutes = async (app, { ctx }) => {
  await acceptMultipart(app);
  const lexicon = Lexicon.default();
  async function fileFrom(request) {
    if (!request.isMultipart()) throw invalid("send the file as multipart/form-data");
    const { files } = await readMultipart(request);
    if (files.length !== 1) throw invalid("send exactly one file");
    return files[0];
  }
  app.post(
    "/v1/hash",
    {
      config: { access: "screening:match" },
      schema: {
        tags: ["screening"],
        summary: "The hashes of a file: PDQ (with quality and the 8 dihedral variants), MD5, SHA-256",
        consumes: ["multipart/form-data"]
      }
    },
    async (request) => {
      const file = await fileFrom(request);
      const hashes = await hashMediaBytes(file.data, { dihedral: true });
      return {
        file: file.filename,
        size: file.data.length,
        md5: hashes.md5,
        sha256: hashes.sha256,
        pdq: hashes.pdq,
        quality: hashes.quality,
        pdq_dihedral: hashes.pdqDihedral ?? null,
        ...hashes.pdqError ? { pdq_error: hashes.pdqError } : {}
      };
    }
  );
  app.post(
    "/v1/match",
    {
      config: { access: "screening:match" },
      schema: {
        tags: ["screening"],
        summary: "Match signals, text, links, or an uploaded file (multipart) against the enabled banks",
        body: z21.strictObject({
          signals: z21.array(signal).max(1e3).optional(),
          text: z21.string().max(1e5).optional(),
          urls: z21.array(z21.string().max(4096)).max(1e3).optional(),
          max_distance: z21.number().int().min(0).max(64).optional().describe("PDQ radius; 31 by default")
        }).nullish()
      }
    },
    async (request) => {
      await ctx.banks.ready();
      const results = [];
      const push = (query, matches) => {
        for (const m of matches) results.push({ query, ...m });
      };
      let text4 = null;
      let file = null;
      if (request.isMultipart()) {
        const upload = await fileFrom(request);
        const hashes = await hashMediaBytes(upload.data, { dihedral: true });
        file = {
          file: upload.filename,
          md5: hashes.md5,
          sha256: hashes.sha256,
          pdq: hashes.pdq,
          quality: hashes.quality
        };
        push({ type: "md5", value: hashes.md5 }, ctx.banks.match("md5", hashes.md5));
        push({ type: "sha256", value: hashes.sha256 }, ctx.banks.match("sha256", hashes.sha256));
        (hashes.pdqDihedral ?? []).forEach((variant, i) => {
          push(
            { type: "pdq", value: variant, transform: DIHEDRAL_NAMES[i] },
            ctx.banks.match("pdq", variant, { quality: hashes.quality ?? 0 })
          );
        });
      } else {
        const body = request.body ?? {};
        for (const s of body.signals ?? []) {
          const options = {
            ...s.quality === void 0 ? {} : { quality: s.quality },
            ...body.max_distance === void 0 ? {} : { maxDistance: body.max_distance }
          };
          try {
            push({ type: s.type, value: s.value }, ctx.banks.match(s.type, s.value, options));
          } catch (error) {
            throw invalid(`signals: ${error.message}`);
          }
        }
        for (const url of body.urls ?? []) {
          try {
            push({ type: "url", value: url }, ctx.banks.matchUrl(url));
          } catch (error) {
            throw invalid(`urls: ${error.message}`);
          }
        }
        if (body.text !== void 0) {
          const sha = textSha256(body.text);
          const simhash = simHashToHex(textSimHash(body.text));
          push({ type: "text_sha256", value: sha }, ctx.banks.match("text_sha256", sha));
          push({ type: "text_simhash", value: simhash }, ctx.banks.match("text_simhash", simhash));
          const scan = lexicon.scan(body.text);
          text4 = {
            text_sha256: sha,
            text_simhash: simhash,
            normalised_length: normaliseText(body.text).length,
            lexicon: scan
          };
        }
      }
      const best = /* @__PURE__ */ new Map();
      for (const r of results) {
        const known = best.get(r.provenance.entry_id);
        if (!known || r.distance < known.distance) best.set(r.provenance.entry_id, r);
      }
      return { matches: [...best.values()].sort((a, b) => a.distance - b.distance), file, text: text4 };
    }
  );
};

// src/screening/banks/routes.ts
import { z as z22 } from "zod";
var autoAction = z22.strictObject({
  outcome: z22.enum(["remove", "restrict_in_jurisdiction", "suspend", "label"]),
  territories: z22.array(z22.string().regex(/^[A-Z]{2}$/)).max(250).optional(),
  label: z22.string().max(200).optional()
});
var bankView = z22.object({
  id: uuid,
  name: z22.string(),
  description: z22.string().nullable(),
  enabled: z22.boolean(),
  policy: z22.enum(["review", "auto_action"]),
  auto_action: z22.unknown(),
  created_at: timestamp,
  updated_at: timestamp
});
var entryInput = z22.strictObject({
  signal_type: z22.enum(SIGNAL_TYPES),
  value: z22.string().min(1).max(4096),
  quality: z22.number().int().min(0).max(100).optional(),
  source: z22.string().trim().min(1).max(200).optional(),
  case_id: uuid.optional(),
  note: z22.string().trim().min(1).max(2e3).optional(),
  metadata: z22.record(z22.string().max(60), z22.string().max(500)).optional()
});
var params7 = z22.strictObject({ id: z22.string().min(1).max(100).describe("The bank id or name") });
var MAX_IMPORT_BYTES = 64 * 1024 * 1024;
var bankRoutes = async (app, { ctx }) => {
  app.addContentTypeParser(
    "text/csv",
    { parseAs: "string", bodyLimit: MAX_IMPORT_BYTES },
    (_request, body, done) => done(null, body)
  );
  app.get(
    "/v1/banks",
    {
      config: { access: "banks:read" },
      schema: {
        tags: ["screening"],
        summary: "The hash banks, with their policy and entry counts per signal type"
      }
    },
    async () => ({ items: await listBanks(ctx.db) })
  );
  app.post(
    "/v1/banks",
    {
      config: { access: "banks:write" },
      schema: {
        tags: ["screening"],
        summary: "Create a bank: matches go to review, or act automatically with the given action",
        body: z22.strictObject({
          name: z22.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, "lower-case letters, digits, . _ -"),
          description: z22.string().max(1e3).optional(),
          policy: z22.enum(["review", "auto_action"]),
          auto_action: autoAction.optional()
        }),
        response: { 201: bankView }
      }
    },
    async (request, reply) => reply.code(201).send(await createBank(ctx.db, request.actor, request.body, ctx.clock()))
  );
  app.patch(
    "/v1/banks/:id",
    {
      config: { access: "banks:write" },
      schema: {
        tags: ["screening"],
        summary: "Enable or disable a bank, or change its policy",
        params: params7,
        body: z22.strictObject({
          enabled: z22.boolean().optional(),
          description: z22.string().max(1e3).optional(),
          policy: z22.enum(["review", "auto_action"]).optional(),
          auto_action: autoAction.nullable().optional()
        }),
        response: { 200: bankView }
      }
    },
    async (request) => {
      const bank = await findBank(ctx.db, request.params.id);
      const updated = await updateBank(ctx.db, request.actor, bank.id, request.body, ctx.clock());
      await ctx.banks.refresh();
      return updated;
    }
  );
  app.get(
    "/v1/banks/:id/entries",
    {
      config: { access: "banks:read" },
      schema: {
        tags: ["screening"],
        summary: "A bank\u2019s entries with their provenance",
        params: params7,
        querystring: z22.strictObject({
          after: uuid.optional(),
          limit: z22.coerce.number().int().min(1).max(1e3).default(100),
          signal_type: z22.enum(SIGNAL_TYPES).optional()
        })
      }
    },
    async (request) => listEntries(
      ctx.db,
      (await findBank(ctx.db, request.params.id)).id,
      request.query.after,
      request.query.limit,
      request.query.signal_type
    )
  );
  app.post(
    "/v1/banks/:id/entries",
    {
      config: { access: "banks:write" },
      schema: {
        tags: ["screening"],
        summary: "Add entries (up to 1,000 a call); each is matchable within a second",
        params: params7,
        body: z22.strictObject({ entries: z22.array(entryInput).min(1).max(1e3) })
      }
    },
    async (request, reply) => {
      const bank = await findBank(ctx.db, request.params.id);
      const outcomes = await addEntries(ctx.db, request.actor, bank.id, request.body.entries, ctx.clock());
      await ctx.banks.refresh();
      return reply.code(201).send({ items: outcomes });
    }
  );
  app.delete(
    "/v1/banks/:id/entries/:entryId",
    {
      config: { access: "banks:write" },
      schema: {
        tags: ["screening"],
        summary: "Remove an entry (it stays in the history)",
        params: z22.strictObject({ id: z22.string().min(1).max(100), entryId: uuid })
      }
    },
    async (request, reply) => {
      const bank = await findBank(ctx.db, request.params.id);
      await removeEntry(ctx.db, request.actor, bank.id, request.params.entryId, ctx.clock());
      await ctx.banks.refresh();
      return reply.code(204).send();
    }
  );
  app.post(
    "/v1/banks/:id/import",
    {
      config: { access: "banks:write" },
      schema: {
        tags: ["screening"],
        summary: "Import a CSV (`signal_type,signal,quality,source,case_id,note,\u2026`); answers per-row results",
        params: params7,
        consumes: ["text/csv"]
      }
    },
    async (request) => {
      if (typeof request.body !== "string") throw invalid("send the bank file as text/csv");
      const bank = await findBank(ctx.db, request.params.id);
      const parsed = parseBankCsv(request.body);
      const outcomes = await addEntries(
        ctx.db,
        request.actor,
        bank.id,
        parsed.entries.map((e) => e.entry),
        ctx.clock()
      );
      await ctx.banks.refresh();
      const rows2 = [
        ...parsed.errors.map((e) => ({ row: e.row, status: "invalid", reason: e.reason })),
        ...outcomes.map((o, i) => ({
          row: parsed.entries[i].row,
          status: o.status,
          ...o.reason ? { reason: o.reason } : {},
          ...o.entry_id ? { entry_id: o.entry_id } : {}
        }))
      ].sort((a, b) => a.row - b.row);
      const count = (status) => rows2.filter((r) => r.status === status).length;
      return {
        added: count("added"),
        duplicate: count("duplicate"),
        invalid: count("invalid"),
        rows: rows2.filter((r) => r.status !== "added")
      };
    }
  );
  app.get(
    "/v1/banks/:id/export",
    {
      config: { access: "banks:read" },
      schema: {
        tags: ["screening"],
        summary: "The bank as CSV, in the form hash-sharing programmes exchange",
        params: params7
      }
    },
    async (request, reply) => {
      const bank = await findBank(ctx.db, request.params.id);
      const rows2 = await ctx.db.selectFrom("bank_entries").select(["signal_type", "value", "quality", "source", "added_by", "added_at", "case_id", "note"]).where("bank_id", "=", bank.id).where("removed_at", "is", null).orderBy("added_at").execute();
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${bank.name}.csv"`).send(bankCsv(rows2));
    }
  );
};

// src/welfare/routes.ts
import { z as z23 } from "zod";

// src/welfare/workload.ts
import { sql as sql18 } from "kysely";
var toCounts = (rows2) => new Map(rows2.filter((r) => r.id !== null).map((r) => [r.id, Number(r.n)]));
async function reviewerWorkload(db, exposureLimit, now) {
  const users = await db.selectFrom("users").innerJoin("organisations", "organisations.id", "users.org_id").select(["users.id", "users.display_name", "users.roles", "users.languages", "users.jurisdictions"]).where("organisations.kind", "=", "platform").where("users.disabled_at", "is", null).orderBy("users.display_name").execute();
  const reviewers = users.filter((u) => permissionsOfRoles(u.roles.filter(isRole)).has("cases:work"));
  const ids = reviewers.map((r) => r.id);
  const day2 = startOfUtcDay(now);
  const week = startOfUtcWeek(now);
  if (ids.length === 0)
    return { day: utcDay(now), week_start: week, exposure_limit: exposureLimit, reviewers: [] };
  const [
    held,
    appealsHeld,
    decidedToday,
    decidedWeek,
    appealsToday,
    appealsWeek,
    reveals,
    lastEvent,
    lastReveal
  ] = await Promise.all([
    db.selectFrom("cases").select(["assigned_to as id", (eb) => eb.fn.countAll().as("n")]).where("assigned_to", "in", ids).where("status", "=", "in_review").where("lease_until", ">", now).groupBy("assigned_to").execute(),
    db.selectFrom("appeals").select(["assigned_to as id", (eb) => eb.fn.countAll().as("n")]).where("assigned_to", "in", ids).where("status", "=", "in_review").where("lease_until", ">", now).groupBy("assigned_to").execute(),
    countSince(db, "decisions", "decided_by", "created_at", ids, day2),
    countSince(db, "decisions", "decided_by", "created_at", ids, week),
    countSince(db, "appeals", "decided_by", "decided_at", ids, day2),
    countSince(db, "appeals", "decided_by", "decided_at", ids, week),
    db.selectFrom("reveals").select(["reviewer_id as id", sql18`count(distinct object_type || ':' || object_id)`.as("n")]).where("reviewer_id", "in", ids).where("day", "=", utcDay(now)).where("counted", "=", true).groupBy("reviewer_id").execute(),
    db.selectFrom("case_events").select(["actor_id as id", (eb) => eb.fn.max("at").as("at")]).where("actor_type", "=", "user").where("actor_id", "in", ids).groupBy("actor_id").execute(),
    db.selectFrom("reveals").select(["reviewer_id as id", (eb) => eb.fn.max("at").as("at")]).where("reviewer_id", "in", ids).groupBy("reviewer_id").execute()
  ]);
  const counts = {
    held: toCounts(held),
    appealsHeld: toCounts(appealsHeld),
    decidedToday: toCounts(decidedToday),
    decidedWeek: toCounts(decidedWeek),
    appealsToday: toCounts(appealsToday),
    appealsWeek: toCounts(appealsWeek),
    reveals: toCounts(reveals)
  };
  const last = /* @__PURE__ */ new Map();
  for (const row of [...lastEvent, ...lastReveal]) {
    const at = new Date(row.at);
    const known = last.get(row.id);
    if (!known || at > known) last.set(row.id, at);
  }
  return {
    day: utcDay(now),
    week_start: week,
    exposure_limit: exposureLimit,
    reviewers: reviewers.map((r) => {
      const revealed = counts.reveals.get(r.id) ?? 0;
      return {
        reviewer_id: r.id,
        display_name: r.display_name,
        roles: r.roles,
        languages: r.languages,
        jurisdictions: r.jurisdictions,
        cases_held: counts.held.get(r.id) ?? 0,
        appeals_held: counts.appealsHeld.get(r.id) ?? 0,
        decisions_today: counts.decidedToday.get(r.id) ?? 0,
        decisions_this_week: counts.decidedWeek.get(r.id) ?? 0,
        appeals_decided_today: counts.appealsToday.get(r.id) ?? 0,
        appeals_decided_this_week: counts.appealsWeek.get(r.id) ?? 0,
        reveals_today: revealed,
        exposure_limit: exposureLimit,
        exposure_limit_reached: revealed >= exposureLimit,
        last_activity_at: last.get(r.id) ?? null
      };
    })
  };
}
function countSince(db, table2, by, at, ids, since) {
  return db.selectFrom(table2).select([sql18`${sql18.ref(by)}`.as("id"), (eb) => eb.fn.countAll().as("n")]).where(sql18.ref(by), "in", ids).where(sql18.ref(at), ">=", since).groupBy(sql18.ref(by)).execute();
}

// src/welfare/routes.ts
var exposure = z23.object({
  day: z23.string(),
  exposure_today: z23.number().int(),
  limit: z23.number().int(),
  remaining: z23.number().int(),
  limit_reached: z23.boolean(),
  break_prompt: z23.string().nullable(),
  resets_at: timestamp
});
var welfareRoutes = async (app, { ctx }) => {
  app.post(
    "/v1/cases/:id/reveal",
    {
      config: { access: "content:reveal" },
      schema: {
        tags: ["reviewer welfare"],
        summary: "Reveal a blurred item of the case (evidence of its notices, or preserved content): recorded, audited and counted against your daily exposure; past the limit, new media is refused until the next UTC day (429)",
        params: z23.strictObject({ id: uuid }),
        body: z23.strictObject({ object_type: z23.enum(["evidence", "preserved_content"]), object_id: uuid }),
        response: {
          200: z23.object({
            object_type: z23.string(),
            object_id: uuid,
            content_type: z23.string().nullable(),
            sha256: z23.string().nullable(),
            exposure: exposure.nullable()
          })
        }
      }
    },
    async (request) => {
      const { object, exposure: exposure2 } = await revealInCase(
        ctx.db,
        request.actor,
        request.params.id,
        { type: request.body.object_type, id: request.body.object_id },
        ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY,
        ctx.clock()
      );
      return { ...object, exposure: exposure2 };
    }
  );
  app.get(
    "/v1/reviewers/workload",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["reviewer welfare"],
        summary: "Each reviewer\u2019s load: cases held, decisions today and this week, media revealed today against the limit, last activity",
        response: {
          200: z23.object({
            day: z23.string(),
            week_start: timestamp,
            exposure_limit: z23.number().int(),
            reviewers: z23.array(
              z23.object({
                reviewer_id: uuid,
                display_name: z23.string(),
                roles: z23.array(z23.string()),
                languages: z23.array(z23.string()),
                jurisdictions: z23.array(z23.string()),
                cases_held: z23.number().int(),
                appeals_held: z23.number().int(),
                decisions_today: z23.number().int(),
                decisions_this_week: z23.number().int(),
                appeals_decided_today: z23.number().int(),
                appeals_decided_this_week: z23.number().int(),
                reveals_today: z23.number().int(),
                exposure_limit: z23.number().int(),
                exposure_limit_reached: z23.boolean(),
                last_activity_at: timestamp.nullable()
              })
            )
          })
        }
      }
    },
    async () => reviewerWorkload(ctx.db, ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY, ctx.clock())
  );
};

// src/http/health.ts
import { z as z24 } from "zod";
var healthRoutes = async (app, { ctx, metrics }) => {
  let schemaChecked = false;
  app.get(
    "/healthz",
    {
      config: { access: "public" },
      schema: {
        tags: ["service"],
        summary: "The process is up",
        response: { 200: z24.object({ status: z24.literal("ok") }) }
      }
    },
    async () => ({ status: "ok" })
  );
  app.get(
    "/readyz",
    {
      config: { access: "public" },
      schema: {
        tags: ["service"],
        summary: "The database answers and every migration is applied",
        response: { 200: z24.object({ status: z24.literal("ready"), database: z24.enum(["pglite", "postgres"]) }) }
      }
    },
    async (_request, reply) => {
      if (!await ping(ctx.db))
        return sendProblem(reply, problem("unavailable", "the database does not answer"));
      if (!schemaChecked) {
        if (!await schemaIsCurrent(ctx.store))
          return sendProblem(reply, problem("unavailable", "migrations are pending; run tapis migrate"));
        schemaChecked = true;
      }
      return { status: "ready", database: ctx.store.kind };
    }
  );
  app.get(
    "/openapi.json",
    { config: { access: "public" }, schema: { hide: true } },
    async () => app.swagger()
  );
  app.get(
    "/metrics",
    {
      config: { access: "public" },
      schema: { tags: ["service"], summary: "Prometheus metrics", hide: false }
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics())
  );
  app.get(
    "/problems/:type",
    {
      config: { access: "public" },
      schema: {
        tags: ["service"],
        summary: "What a problem type means",
        params: z24.object({ type: z24.string().max(64) })
      }
    },
    async (request, reply) => {
      const kind = problemKinds.find((k) => problemType(k) === `/problems/${request.params.type}`);
      if (!kind) return sendProblem(reply, problem("not_found", `no problem type '${request.params.type}'`));
      const { title, status } = problem(kind, "");
      return reply.type("text/plain; charset=utf-8").send(`${status} ${title}

${problemHelp[kind]}
`);
    }
  );
};
var problemHelp = {
  invalid: "The request is malformed or a field is wrong. The `errors` member lists each field as a JSON pointer.",
  unauthenticated: "Log in, or send an API key as `Authorization: Bearer tapis_\u2026`.",
  forbidden: "You are authenticated but your roles or key scopes do not allow this, or the record belongs to another organisation.",
  not_found: "Nothing exists at that address, or you may not see it.",
  conflict: "The request clashes with the current state, e.g. a duplicate or an Idempotency-Key reused with another body.",
  too_large: "The body or file is larger than the endpoint accepts.",
  unsupported_media_type: "The endpoint does not accept that Content-Type.",
  rate_limited: "Too many requests. Wait for the number of seconds in Retry-After.",
  unavailable: "The service cannot answer now, e.g. the database is down. Try again later."
};

// src/http/routes.ts
var routeModules = [
  healthRoutes,
  identityRoutes,
  auditRoutes,
  noticeRoutes,
  bulkRoutes,
  threadRoutes,
  feedRoutes,
  policyRoutes,
  caseRoutes,
  decisionRoutes,
  appealRoutes,
  flaggerRoutes,
  preservationRoutes,
  welfareRoutes,
  bankRoutes,
  matchRoutes
];

// src/http/server.ts
async function buildServer(ctx) {
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: ctx.config.TAPIS_BODY_LIMIT,
    trustProxy: false,
    // Ids in logs tie a problem document to its log line.
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // One line per request, written below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true })
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10
      },
      "request"
    );
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandling(app);
  registerJsonParser(app, ctx.config.TAPIS_BODY_LIMIT);
  await app.register(fastifyCookie);
  app.addHook("onRoute", (route) => assertStrictBody(route.method, route.url, route.schema?.body));
  const routes = [];
  registerAccessControl(app, ctx, routes);
  const metrics = registerMetrics(app);
  await registerOpenApi(app, ctx.config.publicUrl);
  for (const module of routeModules) await app.register(module, { ctx, metrics });
  await app.ready();
  return { app, routes, metrics };
}
function assertStrictBody(method, url, body) {
  if (!(body instanceof z25.ZodType)) return;
  const def = body.def;
  if (def.type === "object" && def.catchall?.def.type !== "never") {
    throw new Error(
      `route ${String(method)} ${url}: its body schema must be z.strictObject (unknown fields are a 400)`
    );
  }
}

// src/enforcement/connectors/transport.ts
async function postJson(url, body, headers, timeoutMs) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error"
    });
    const text4 = await response.text();
    return { kind: "answered", status: response.status, headers: response.headers, text: text4 };
  } catch (error) {
    return { kind: "unreachable", detail: describeNetworkError(error, timeoutMs) };
  }
}
function describeNetworkError(error, timeoutMs) {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : void 0;
  const code2 = typeof cause?.code === "string" ? cause.code : void 0;
  switch (code2) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "connection closed before an answer";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name did not resolve";
    default:
      return code2 ? `network error (${code2})` : "network error";
  }
}
function retryAfterMs(header, now) {
  if (header === null) return void 0;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now.getTime());
}
function parseJson(text4) {
  try {
    return JSON.parse(text4);
  } catch {
    return void 0;
  }
}

// src/enforcement/connectors/telegram-bot-api.ts
var BotApi = class {
  constructor(config) {
    this.config = config;
    this.baseUrl = (config.baseUrl ?? "https://api.telegram.org").replace(/\/+$/, "");
    this.timeoutMs = config.timeoutMs ?? 1e4;
  }
  config;
  baseUrl;
  timeoutMs;
  async call(method, params8) {
    const url = `${this.baseUrl}/bot${this.config.token}/${method}`;
    const sent = await postJson(url, JSON.stringify(params8), {}, this.timeoutMs);
    if (sent.kind === "unreachable") return { ok: false, unreachable: this.redact(sent.detail) };
    const body = parseJson(sent.text);
    if (isRecord(body) && body.ok === true) return { ok: true, result: body.result };
    if (isRecord(body) && body.ok === false) {
      const parameters = isRecord(body.parameters) ? body.parameters : {};
      return {
        ok: false,
        error: {
          // "error_code … its contents are subject to change in the future": fall back to the HTTP status.
          error_code: typeof body.error_code === "number" ? body.error_code : sent.status,
          description: this.redact(typeof body.description === "string" ? body.description : ""),
          ...typeof parameters.retry_after === "number" ? { retry_after: parameters.retry_after } : {},
          ...typeof parameters.migrate_to_chat_id === "number" ? { migrate_to_chat_id: parameters.migrate_to_chat_id } : {}
        }
      };
    }
    return {
      ok: false,
      error: { error_code: sent.status, description: `HTTP ${sent.status} without a Bot API answer` }
    };
  }
  redact(text4) {
    return this.config.token ? text4.replaceAll(this.config.token, "<token>") : text4;
  }
};
function classifyBotApiFailure(method, failure) {
  if ("unreachable" in failure)
    return { status: "retry", detail: `Bot API unreachable: ${failure.unreachable}` };
  const { error_code: code2, description, retry_after: retryAfter } = failure.error;
  const said = description ? `: ${description}` : "";
  const text4 = description.toLowerCase();
  if (retryAfter !== void 0) {
    return {
      status: "retry",
      after_ms: retryAfter * 1e3,
      detail: `Telegram flood control (${code2}): retry after ${retryAfter} s`
    };
  }
  if (code2 === 429 || code2 >= 500)
    return { status: "retry", detail: `Bot API error ${code2} on ${method}${said}` };
  if (text4.includes("message to delete not found")) {
    return { status: "already_done", detail: "Telegram has no such message: it is already deleted" };
  }
  if (failure.error.migrate_to_chat_id !== void 0) {
    const to = failure.error.migrate_to_chat_id;
    return {
      status: "failed",
      detail: method === "deleteMessage" ? `the group became supergroup ${to}; message ids do not carry over, so find the message there and file a new action` : `the group became supergroup ${to}, which answered as migrated too; file the action against ${to}`
    };
  }
  if (text4.includes("not enough rights")) {
    return {
      status: "failed",
      detail: `the bot lacks the administrator right for ${method} in this chat (${code2}${said}); grant it and retry`
    };
  }
  if (text4.includes("bot is not a member")) {
    return {
      status: "failed",
      detail: `the bot is not a member of this chat (${code2}${said}); add it as an administrator`
    };
  }
  if (text4.includes("bot was kicked")) {
    return {
      status: "failed",
      detail: `the bot was removed from this chat (${code2}${said}); re-add it as an administrator`
    };
  }
  if (text4.includes("chat not found")) {
    return {
      status: "failed",
      detail: `Telegram does not know this chat, or the bot cannot see it (${code2}${said})`
    };
  }
  if (text4.includes("message can't be deleted")) {
    return {
      status: "failed",
      // deleteMessage's documented limits: 48 hours, service messages about a chat's creation, rights.
      detail: `Telegram refused to delete the message (${code2}${said}): the bot needs can_delete_messages, and the Bot API documents a 48-hour limit and undeletable service messages`
    };
  }
  if (text4.includes("user is an administrator") || text4.includes("can't remove chat owner")) {
    return {
      status: "failed",
      detail: `the member is an administrator of the chat (${code2}${said}); only a chat owner can act on them`
    };
  }
  if (code2 === 401 || code2 === 404) {
    return {
      status: "failed",
      detail: `the Bot API refused the bot's credentials (${code2}${said}); check the configured token and base URL`
    };
  }
  return { status: "failed", detail: `Telegram refused ${method} (${code2}${said})` };
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/enforcement/connectors/telegram-target.ts
var username = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
var telegramHosts = /* @__PURE__ */ new Set([
  "t.me",
  "telegram.me",
  "telegram.dog",
  "www.t.me",
  "www.telegram.me",
  "www.telegram.dog"
]);
var reservedPaths = new Set(
  "joinchat addstickers addemoji addlist addtheme share proxy socks login boost invoice contact setlanguage confirmphone".split(
    " "
  )
);
function chatIdOf(subject) {
  if (subject.chat_id !== void 0) {
    const id = subject.chat_id.trim();
    if (/^-\d{1,15}$/.test(id)) return { ok: true, value: Number(id) };
    if (/^\d{1,12}$/.test(id)) return { ok: true, value: Number(`-100${id}`) };
    const name2 = id.startsWith("@") ? id.slice(1) : id;
    if (username.test(name2)) return { ok: true, value: `@${name2}` };
    return { ok: false, detail: `subject.chat_id '${id}' is neither a Telegram chat id nor a username` };
  }
  if (subject.username !== void 0) {
    const name2 = subject.username.replace(/^@/, "");
    if (username.test(name2)) return { ok: true, value: `@${name2}` };
  }
  const link = parseLink(subject.url);
  if (link) return { ok: true, value: link.chat };
  return {
    ok: false,
    detail: `cannot tell the Telegram chat from subject ${subject.key}: give chat_id, username or a t.me link`
  };
}
function messageOf(subject) {
  const link = parseLink(subject.url);
  const message = subject.message_id ?? link?.message;
  const comment = subject.comment_id ?? link?.comment;
  if (message === void 0) {
    return {
      ok: false,
      detail: `subject ${subject.key} names no message: give message_id or a t.me/<chat>/<id> link`
    };
  }
  return { ok: true, value: comment === void 0 ? { message } : { message, comment } };
}
function userIdOf(subject) {
  const id = subject.user_id === void 0 ? Number.NaN : Number(subject.user_id);
  if (Number.isSafeInteger(id) && id > 0) return { ok: true, value: id };
  return {
    ok: false,
    detail: `subject ${subject.key} has no numeric user_id; the Bot API addresses members by id only`
  };
}
function parseLink(url) {
  let parsed;
  try {
    parsed = new URL(/^[a-z]+:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`);
  } catch {
    return void 0;
  }
  if (!telegramHosts.has(parsed.hostname.toLowerCase())) return void 0;
  const parts = parsed.pathname.split("/").filter((part) => part !== "");
  let chat;
  if (parts[0] === "c" && /^\d{1,12}$/.test(parts[1] ?? "")) {
    chat = Number(`-100${parts[1]}`);
    parts.splice(0, 2);
  } else {
    if (parts[0] === "s") parts.shift();
    const name2 = parts.shift() ?? "";
    if (!username.test(name2) || reservedPaths.has(name2.toLowerCase())) return void 0;
    chat = `@${name2}`;
  }
  if (parts.length > 2 || !parts.every((part) => /^\d{1,10}$/.test(part))) return void 0;
  const message = parts.length > 0 ? Number(parts.at(-1)) : void 0;
  const comment = parsed.searchParams.get("comment");
  return {
    chat,
    ...message === void 0 ? {} : { message },
    ...comment !== null && /^\d{1,10}$/.test(comment) ? { comment: Number(comment) } : {}
  };
}
var day = 24 * 60 * 60;
var untilBounds = { minSeconds: 30 + 30, maxSeconds: 366 * day - 60 * 60 };
function untilDateOf(until, now) {
  if (until === void 0) return { ok: true, value: void 0 };
  const end = Date.parse(until);
  if (Number.isNaN(end)) return { ok: false, detail: `params.until '${until}' is not a date` };
  const seconds = Math.floor(end / 1e3);
  const ahead = seconds - Math.floor(now.getTime() / 1e3);
  if (ahead < untilBounds.minSeconds) {
    return {
      ok: false,
      detail: `params.until ${until} is past or under a minute away; Telegram would read it as permanent, so nothing was done`
    };
  }
  if (ahead > untilBounds.maxSeconds) {
    return {
      ok: false,
      detail: `params.until ${until} is more than 366 days away; Telegram would read it as permanent. Decide a permanent restriction, or one of at most 365 days and renew it`
    };
  }
  return { ok: true, value: seconds };
}

// src/enforcement/connectors/telegram-bot.ts
var chatPermissionFields = [
  "can_send_messages",
  "can_send_audios",
  "can_send_documents",
  "can_send_photos",
  "can_send_videos",
  "can_send_video_notes",
  "can_send_voice_notes",
  "can_send_polls",
  "can_send_other_messages",
  "can_add_web_page_previews",
  "can_react_to_messages",
  "can_change_info",
  "can_invite_users",
  "can_edit_tag",
  "can_pin_messages",
  "can_manage_topics"
];
var TelegramBotConnector = class {
  name = "telegram_bot";
  capabilities = {
    remove_message: {
      revertible: false,
      note: "a message deleted through the Telegram Bot API cannot be restored"
    },
    restrict_member: {
      revertible: true,
      note: "lifting returns the member to the chat's default permissions"
    },
    ban_member: {
      revertible: true,
      note: "unbanning lets the user rejoin; it does not add them back to the chat"
    }
  };
  api;
  clock;
  constructor(config) {
    this.api = new BotApi(config);
    this.clock = config.clock ?? systemClock;
  }
  async apply(action) {
    switch (action.type) {
      case "remove_message":
        return this.deleteMessage(action);
      case "restrict_member":
        return this.restrict(action);
      case "ban_member":
        return this.ban(action);
      default:
        return unsupported(this, action.type, "apply");
    }
  }
  async revert(action) {
    if (action.type === "restrict_member") return this.lift(action);
    if (action.type === "ban_member") return this.unban(action);
    return unsupported(this, action.type, "revert");
  }
  async status(action) {
    if (action.type === "remove_message") {
      return {
        state: "unknown",
        detail: "the Bot API has no method to read a message by id, so a deletion cannot be confirmed"
      };
    }
    if (action.type !== "restrict_member" && action.type !== "ban_member") {
      return { state: "unknown", detail: `the ${this.name} connector does not handle ${action.type}` };
    }
    const permissions2 = permissionsFor(action.params.permissions);
    if (typeof permissions2 === "string") return { state: "unknown", detail: permissions2 };
    const member = await this.readMember(action);
    if (!member.ok)
      return { state: "unknown", detail: member.outcome.detail ?? "the member could not be read" };
    const { status, until_date: until = 0 } = member.value;
    const holds = action.type === "ban_member" ? status === "kicked" : status === "restricted" && sameAs2(member.value, permissions2);
    const end = until === 0 ? ", no end date" : `, until ${new Date(until * 1e3).toISOString()}`;
    const detail = `member status ${status}${holds ? end : ""}`;
    return { state: holds ? "applied" : "not_applied", detail };
  }
  async deleteMessage(action) {
    const chat = chatIdOf(action.subject);
    if (!chat.ok) return { status: "failed", detail: chat.detail };
    const target = messageOf(action.subject);
    if (!target.ok) return { status: "failed", detail: target.detail };
    let chatId = chat.value;
    let messageId = target.value.message;
    if (target.value.comment !== void 0) {
      const channel = await this.api.call("getChat", { chat_id: chatId });
      if (!channel.ok) return classifyBotApiFailure("getChat", channel);
      if (channel.result.linked_chat_id === void 0) {
        return {
          status: "failed",
          detail: `${chatId} has no discussion group, so comment ${target.value.comment} cannot be found`
        };
      }
      chatId = channel.result.linked_chat_id;
      messageId = target.value.comment;
    }
    const result = await this.api.call("deleteMessage", { chat_id: chatId, message_id: messageId });
    if (!result.ok) return classifyBotApiFailure("deleteMessage", result);
    return { status: "applied", external_ref: `${chatId}:${messageId}` };
  }
  async restrict(action) {
    const until = untilDateOf(action.params.until, this.clock());
    if (!until.ok) return { status: "failed", detail: until.detail };
    const permissions2 = permissionsFor(action.params.permissions);
    if (typeof permissions2 === "string") return { status: "failed", detail: permissions2 };
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== "failed") return member.outcome;
    if (member.ok && member.value.status === "kicked") {
      return {
        status: "already_done",
        external_ref: ref(member.chat, action),
        detail: "the user is banned from the chat, which already stops them posting"
      };
    }
    const wanted = until.value ?? 0;
    if (member.ok && member.value.status === "restricted" && member.value.until_date === wanted && sameAs2(member.value, permissions2)) {
      return {
        status: "already_done",
        external_ref: ref(member.chat, action),
        detail: "the member was already restricted so"
      };
    }
    return this.memberCall(action, member, "restrictChatMember", {
      permissions: permissions2,
      // Without it, some permissions imply others (#restrictchatmember); we want exactly these.
      use_independent_chat_permissions: true,
      ...until.value === void 0 ? {} : { until_date: until.value }
    });
  }
  async lift(action) {
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== "failed") return member.outcome;
    if (member.ok && member.value.status !== "restricted") {
      return {
        status: "already_done",
        external_ref: ref(member.chat, action),
        detail: `the member is not restricted (${member.value.status})`
      };
    }
    const permissions2 = Object.fromEntries(
      chatPermissionFields.map((field) => [field, true])
    );
    return this.memberCall(action, member, "restrictChatMember", {
      permissions: permissions2,
      use_independent_chat_permissions: true
    });
  }
  async ban(action) {
    const until = untilDateOf(action.params.until, this.clock());
    if (!until.ok) return { status: "failed", detail: until.detail };
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== "failed") return member.outcome;
    if (member.ok && member.value.status === "kicked" && member.value.until_date === (until.value ?? 0)) {
      return {
        status: "already_done",
        external_ref: ref(member.chat, action),
        detail: "the user was already banned so"
      };
    }
    return this.memberCall(
      action,
      member,
      "banChatMember",
      until.value === void 0 ? {} : { until_date: until.value }
    );
  }
  async unban(action) {
    const member = await this.readMember(action);
    if (!member.ok && member.outcome.status !== "failed") return member.outcome;
    if (member.ok && member.value.status !== "kicked") {
      return {
        status: "already_done",
        external_ref: ref(member.chat, action),
        detail: `the user is not banned (${member.value.status})`
      };
    }
    return this.memberCall(action, member, "unbanChatMember", { only_if_banned: true });
  }
  async readMember(action) {
    return this.onMember(action, "getChatMember", {});
  }
  /** Acts on the member, in the chat the read found it in (which may be a migrated group's successor). */
  async memberCall(action, read, method, params8) {
    const step = await this.onMember(action, method, params8, read.ok ? read.chat : void 0);
    return step.ok ? { status: "applied", external_ref: ref(step.chat, action) } : step.outcome;
  }
  /** Calls a member method, following a group's migration to a supergroup once. */
  async onMember(action, method, params8, knownChat) {
    const chat = knownChat === void 0 ? chatIdOf(action.subject) : { ok: true, value: knownChat };
    if (!chat.ok) return { ok: false, outcome: { status: "failed", detail: chat.detail } };
    const user2 = userIdOf(action.subject);
    if (!user2.ok) return { ok: false, outcome: { status: "failed", detail: user2.detail } };
    let chatId = chat.value;
    let result = await this.api.call(method, { chat_id: chatId, user_id: user2.value, ...params8 });
    if (!result.ok && "error" in result && result.error.migrate_to_chat_id !== void 0) {
      chatId = result.error.migrate_to_chat_id;
      result = await this.api.call(method, { chat_id: chatId, user_id: user2.value, ...params8 });
    }
    return result.ok ? { ok: true, chat: chatId, value: result.result } : { ok: false, outcome: classifyBotApiFailure(method, result) };
  }
};
function ref(chat, action) {
  return `${chat}:${action.subject.user_id ?? ""}`;
}
function permissionsFor(requested) {
  const permissions2 = Object.fromEntries(
    chatPermissionFields.map((field) => [field, false])
  );
  for (const [name2, allowed2] of Object.entries(requested ?? {})) {
    if (!chatPermissionFields.includes(name2)) {
      return `params.permissions.${name2} is not a Telegram chat permission (${chatPermissionFields.join(", ")})`;
    }
    permissions2[name2] = allowed2;
  }
  return permissions2;
}
function sameAs2(member, permissions2) {
  return chatPermissionFields.every(
    (field) => member[field] === void 0 || member[field] === permissions2[field]
  );
}

// src/enforcement/connectors/webhook.ts
import { z as z26 } from "zod";

// src/enforcement/connectors/webhook-signature.ts
import { createHmac, timingSafeEqual as timingSafeEqual3 } from "node:crypto";
var signatureHeader = "tapis-signature";
function signatureFor(secret, timestamp2, rawBody) {
  const hmac = createHmac("sha256", secret);
  hmac.update(`${timestamp2}.`);
  hmac.update(rawBody);
  return hmac.digest("hex");
}
function signWebhook(secret, rawBody, nowSeconds) {
  const t = Math.floor(nowSeconds);
  return `t=${t},v1=${signatureFor(secret, t, rawBody)}`;
}

// src/enforcement/connectors/webhook.ts
var webhookOperations = ["apply", "revert", "status"];
var webhookRequestSchema = z26.strictObject({
  id: z26.string().min(1).max(100).describe("The action id; also the stem of the idempotency-key header"),
  operation: z26.enum(webhookOperations),
  action: enforcementActionSchema,
  sent_at: z26.iso.datetime({ offset: true })
}).describe(
  'An enforcement call from tapis to a platform. Signed: tapis-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">; reject a t more than 300 s from your clock. idempotency-key: <id>:<operation>; a repeat must not act twice.'
);
var webhookAnswerSchema = z26.object({
  status: z26.enum(["applied", "already_done", "reverted", "not_applied"]),
  external_ref: z26.string().max(500).optional(),
  detail: z26.string().max(2e3).optional()
}).describe(
  "The platform's answer (200 or 201). 409 means already done; 429 with Retry-After, 5xx and timeouts are retried; other 4xx fail."
);
var maxRemoteDetail = 300;
var WebhookConnector = class {
  constructor(config) {
    this.config = config;
    this.clock = config.clock ?? systemClock;
  }
  config;
  name = "webhook";
  /**
   * The platform holds the content, so it can hide and restore, suspend and reinstate.
   * A delivered statement of reasons is the exception: it cannot be taken back, only
   * followed by a new one.
   */
  capabilities = Object.fromEntries(
    actionTypes.map((type) => [type, { revertible: type !== "deliver_statement" }])
  );
  clock;
  async apply(action) {
    if (!this.capabilities[action.type]) return unsupported(this, action.type, "apply");
    const result = await this.call("apply", action);
    if (result.kind === "outcome") return result.outcome;
    const { status, external_ref: ref2, detail } = result.answer;
    if (status === "applied") return withRef({ status: "applied", ...detail ? { detail } : {} }, ref2);
    if (status === "already_done")
      return withRef(
        { status: "already_done", detail: detail ?? "the platform had already applied it" },
        ref2
      );
    return {
      status: "failed",
      detail: `the platform answered ${status} to apply${detail ? `: ${clip(detail)}` : ""}`
    };
  }
  async revert(action) {
    if (!this.capabilities[action.type]?.revertible) return unsupported(this, action.type, "revert");
    const result = await this.call("revert", action);
    if (result.kind === "outcome") return result.outcome;
    const { status, external_ref: ref2, detail } = result.answer;
    if (status === "reverted") return withRef({ status: "applied", ...detail ? { detail } : {} }, ref2);
    if (status === "already_done" || status === "not_applied") {
      return withRef({ status: "already_done", detail: detail ?? `the platform reports ${status}` }, ref2);
    }
    return {
      status: "failed",
      detail: `the platform answered ${status} to revert${detail ? `: ${clip(detail)}` : ""}`
    };
  }
  async status(action) {
    const result = await this.call("status", action);
    if (result.kind === "outcome") {
      const outcome2 = result.outcome;
      return { state: outcome2.status === "already_done" ? "applied" : "unknown", detail: outcome2.detail };
    }
    const { status, detail } = result.answer;
    const state = status === "applied" || status === "already_done" ? "applied" : "not_applied";
    return detail ? { state, detail } : { state };
  }
  async call(operation, action) {
    const now = this.clock();
    const request = { id: action.action_id, operation, action, sent_at: now.toISOString() };
    const body = JSON.stringify(request);
    const sent = await postJson(
      this.config.url,
      body,
      {
        [signatureHeader]: signWebhook(this.config.secret, body, now.getTime() / 1e3),
        "idempotency-key": `${action.action_id}:${operation}`
      },
      this.config.timeoutMs
    );
    if (sent.kind === "unreachable")
      return outcome({ status: "retry", detail: `platform unreachable: ${sent.detail}` });
    const { status, headers, text: text4 } = sent;
    const remote = remoteDetail(text4);
    if (status === 200 || status === 201) {
      const answer = webhookAnswerSchema.safeParse(parseJson(text4));
      if (answer.success) return { kind: "answer", answer: answer.data };
      return outcome({
        status: "retry",
        detail: `the platform answered ${status} with a body that is not a webhook answer`
      });
    }
    if (status === 409)
      return outcome({
        status: "already_done",
        detail: remote ?? "the platform had already carried out this call (409)"
      });
    if (status === 429) {
      const after = retryAfterMs(headers.get("retry-after"), now);
      return outcome({
        status: "retry",
        ...after === void 0 ? {} : { after_ms: after },
        detail: "rate limited by the platform (429)"
      });
    }
    if (status >= 500 || status === 408)
      return outcome({ status: "retry", detail: `platform error ${status}${remote ? `: ${remote}` : ""}` });
    if (status === 401 || status === 403) {
      return outcome({
        status: "failed",
        detail: `the platform refused the call (${status}): check the shared secret and the server clocks${remote ? `; it said: ${remote}` : ""}`
      });
    }
    return outcome({
      status: "failed",
      detail: `the platform rejected the call (${status})${remote ? `: ${remote}` : ""}`
    });
  }
};
function outcome(value) {
  return { kind: "outcome", outcome: value };
}
function withRef(value, ref2) {
  return ref2 === void 0 ? value : { ...value, external_ref: ref2 };
}
function remoteDetail(text4) {
  const body = parseJson(text4);
  if (typeof body !== "object" || body === null) return void 0;
  const record2 = body;
  for (const key of ["detail", "title", "message", "error"]) {
    const value = record2[key];
    if (typeof value === "string" && value.length > 0) return clip(value);
  }
  return void 0;
}
function clip(text4) {
  return text4.length > maxRemoteDetail ? `${text4.slice(0, maxRemoteDetail)}\u2026` : text4;
}

// src/enforcement/registry.ts
function connectorsFromConfig(config, clock2) {
  const connectors = {};
  if (config.TAPIS_PLATFORM_WEBHOOK_URL && config.TAPIS_PLATFORM_WEBHOOK_SECRET) {
    connectors.webhook = new WebhookConnector({
      url: config.TAPIS_PLATFORM_WEBHOOK_URL,
      secret: config.TAPIS_PLATFORM_WEBHOOK_SECRET,
      timeoutMs: 1e4,
      clock: clock2
    });
  }
  if (config.TAPIS_TELEGRAM_BOT_TOKEN) {
    connectors.telegram_bot = new TelegramBotConnector({
      token: config.TAPIS_TELEGRAM_BOT_TOKEN,
      baseUrl: config.TAPIS_TELEGRAM_API_URL,
      timeoutMs: 1e4,
      clock: clock2
    });
  }
  return connectors;
}

// src/notices/intake-commit.ts
import { sql as sql20 } from "kysely";

// src/notices/case-intake.ts
import { sql as sql19 } from "kysely";

// src/cases/outcomes.ts
var restrictiveOutcomes = [
  "removed",
  "restricted_in_jurisdiction",
  "suspended"
];

// src/notices/case-intake.ts
function actionedCases(trx, keys) {
  const latest = trx.selectFrom("cases").distinctOn("subject_key").select(["id", "subject_key", "outcome", "decided_at"]).where(
    "subject_key",
    "=",
    sql19`any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`
  ).where("status", "=", "closed").where("decided_at", "is not", null).orderBy("subject_key").orderBy("decided_at", "desc");
  return trx.selectFrom(latest.as("latest")).select(["id", "subject_key", "outcome", "decided_at"]).where("outcome", "in", [...restrictiveOutcomes]);
}
var earlier = (a, b) => b < a ? b : a;
function openings(notices) {
  const byKey = /* @__PURE__ */ new Map();
  for (const notice of notices) {
    for (const subject of new Map(notice.subjects.map((s) => [s.key, s])).values()) {
      const known = byKey.get(subject.key);
      if (!known) {
        byKey.set(subject.key, { key: subject.key, subject, facts: notice.facts, notices: 1 });
        continue;
      }
      known.notices += 1;
      const worse = notice.facts.severity > known.facts.severity;
      known.facts = {
        ...known.facts,
        category: worse ? notice.facts.category : known.facts.category,
        severity: Math.max(known.facts.severity, notice.facts.severity),
        trusted: known.facts.trusted || notice.facts.trusted,
        dueAt: earlier(notice.facts.dueAt, known.facts.dueAt),
        legalDueAt: earlier(notice.facts.legalDueAt, known.facts.legalDueAt)
      };
    }
  }
  return [...byKey.values()].sort((a, b) => a.key < b.key ? -1 : 1);
}
function upsertCases(trx, notices, now, actioned) {
  const input = JSON.stringify(
    openings(notices).map((o) => ({
      id: newId(),
      subject_key: o.key,
      subject: o.subject,
      jurisdiction: o.facts.jurisdiction,
      category: o.facts.category,
      severity: o.facts.severity,
      trusted: o.facts.trusted,
      notice_count: o.notices,
      language: o.facts.language,
      due_at: o.facts.dueAt,
      legal_due_at: o.facts.legalDueAt
    }))
  );
  return trx.insertInto("cases").columns([
    "id",
    "subject_key",
    "subject",
    "status",
    "jurisdiction",
    "category",
    "severity",
    "trusted",
    "notice_count",
    "language",
    "due_at",
    "legal_due_at",
    "opened_at"
  ]).expression(
    sql19`select id, subject_key, subject, 'open', jurisdiction, category, severity, trusted, notice_count, language,
        due_at, legal_due_at, ${now}::timestamptz
      from jsonb_to_recordset(${input}::jsonb) as o(id uuid, subject_key text, subject jsonb, jurisdiction text,
        category text, severity integer, trusted boolean, notice_count integer, language text,
        due_at timestamptz, legal_due_at timestamptz)
      where subject_key not in ${actioned}`
  ).onConflict(
    (oc) => oc.column("subject_key").where("status", "<>", "closed").doUpdateSet({
      notice_count: sql19`cases.notice_count + excluded.notice_count`,
      due_at: sql19`least(cases.due_at, excluded.due_at)`,
      legal_due_at: sql19`least(cases.legal_due_at, excluded.legal_due_at)`,
      trusted: sql19`cases.trusted or excluded.trusted`,
      // The case takes the most severe category any of its notices names.
      category: sql19`case when excluded.severity > cases.severity then excluded.category else cases.category end`,
      severity: sql19`greatest(cases.severity, excluded.severity)`
    })
  ).returning(["id", "subject_key", "status", sql19`(xmax = 0)`.as("inserted")]);
}
function assignCases(notices, actioned, upserted) {
  const caseOf = new Map(upserted.map((row) => [row.subject_key, row]));
  const openedBy = /* @__PURE__ */ new Set();
  return notices.map(
    (notice) => notice.subjects.map((subject) => {
      const decision = actioned.get(subject.key);
      if (decision)
        return { case_id: decision.case_id, status: "already_actioned", already_actioned: decision };
      const found = caseOf.get(subject.key);
      const first = found.inserted && !openedBy.has(subject.key);
      openedBy.add(subject.key);
      return { case_id: found.id, status: first ? "opened_case" : "joined_case" };
    })
  );
}

// src/notices/intake-commit.ts
async function commitNotices(trx, batch, now, onWritten) {
  const outcomes = batch.map(() => null);
  await claimIdempotencyKeys(trx, batch, outcomes);
  const fresh = batch.filter((_, i) => outcomes[i] === null);
  if (fresh.length > 0) {
    const cases = await writeNotices(trx, fresh, now);
    const results = fresh.map((p, n2) => toResult(p, cases[n2]));
    onWritten?.();
    const events = prepareNoticeEvents(
      trx,
      fresh.map((p, n2) => ({
        noticeId: p.row.id,
        orgId: p.row.org_id,
        type: "notice.received",
        data: {
          reference: p.reference,
          received_at: p.row.received_at,
          deadline: p.row.legal_due_at,
          target_deadline: p.row.target_due_at,
          source_type: p.row.source_type,
          targets: results[n2].targets.map((t) => ({
            index: t.index,
            key: t.key,
            status: t.status,
            already_actioned: t.already_actioned ?? null
          }))
        }
      })),
      now,
      takeAuditLock()
    );
    const audit = prepareAuditAppend(
      trx,
      fresh.map((p, n2) => ({
        actor: p.actor,
        record: {
          action: "notice.received",
          objectType: "notice",
          objectId: p.row.id,
          change: {
            digest: p.digest,
            category: p.row.category,
            jurisdiction: p.row.jurisdiction,
            source_type: p.row.source_type,
            targets: p.subjects.map((s) => s.key),
            // The case each target opened or joined: a case's opening is audited here.
            cases: results[n2].targets.map((t) => t.case_id),
            deadline: p.row.legal_due_at,
            target_deadline: p.row.target_due_at
          }
        }
      })),
      now
    );
    const answers = idempotentAnswers(
      trx,
      fresh.flatMap((p, n2) => p.idempotencyKey ? [{ prepared: p, result: results[n2] }] : [])
    );
    const [eventsDone, auditDone] = await runTogether(trx, [
      events.statement,
      audit.statement,
      ...answers ? [answers] : []
    ]);
    await events.finish(trx, eventsDone);
    await audit.finish(trx, auditDone);
    let n = 0;
    for (let i = 0; i < outcomes.length; i++) if (outcomes[i] === null) outcomes[i] = results[n++];
  }
  return outcomes.map((o) => o instanceof Twin ? outcomes[o.of] : o);
}
async function writeNotices(trx, fresh, now) {
  for (const key of Object.keys(fresh[0].row))
    if (!NOTICE_COLUMN_SET.has(key))
      throw new Error(`notice field '${key}' has no column in the intake's insert`);
  const notices = fresh.map((p) => ({ subjects: p.subjects, facts: p.caseFacts }));
  const orgIds = [...new Set(fresh.map((p) => p.row.org_id))];
  const keys = [...new Set(fresh.flatMap((p) => p.subjects.map((s) => s.key)))];
  const targets = JSON.stringify(
    fresh.flatMap(
      (p, ord) => p.subjects.map((subject, idx) => ({
        notice_id: p.row.id,
        ord,
        idx,
        raw: p.raws[idx],
        subject_key: subject.key,
        subject,
        actor_type: p.actor.type,
        actor_id: p.actor.id
      }))
    )
  );
  const result = await sql20`
    with input as (
      select * from jsonb_to_recordset(${targets}::jsonb) as t(notice_id uuid, ord integer, idx integer,
        raw text, subject_key text, subject jsonb, actor_type text, actor_id text)
    ),
    suspended as (
      select id from organisations where id in (${sql20.join(orgIds)}) and flagger_status = 'suspended'
    ),
    actioned as (${actionedCases(trx, keys)}),
    c as (${upsertCases(trx, notices, now, sql20`(select subject_key from actioned)`)}),
    n as (
      insert into notices (${sql20.raw(NOTICE_COLUMNS.join(", "))})
      select ${sql20.raw(NOTICE_COLUMNS.map((c) => NOTICE_JSONB.has(c) ? `${c}::jsonb` : c === "anonymous" ? "coalesce(anonymous, false)" : c).join(", "))}
      from jsonb_to_recordset(${JSON.stringify(fresh.map((p) => p.row))}::jsonb) as r(${sql20.raw(NOTICE_RECORD)})
    ),
    t as (
      -- A target already actioned names the case that decided it; any other, its case.
      insert into notice_targets (notice_id, idx, raw, subject_key, subject, case_id, outcome, outcome_at)
      select t.notice_id, t.idx, t.raw, t.subject_key, t.subject, coalesce(a.id, c.id),
        case when a.id is null then null else 'already_actioned' end,
        case when a.id is null then null else ${now}::timestamptz end
      from input t
        left join actioned a on a.subject_key = t.subject_key
        left join c on c.subject_key = t.subject_key
    ),
    e as (
      -- The case's log: the first notice of the batch to name a subject whose case this
      -- statement opened opened it; every other notice joined it (src/cases/transitions.ts).
      insert into case_events (id, case_id, type, from_status, to_status, actor_type, actor_id, data, at)
      select gen_random_uuid(), c.id, case when c.inserted and f.first then 'opened' else 'notice_joined' end,
        c.status, c.status, f.actor_type, f.actor_id, jsonb_build_object('notice_id', f.notice_id), ${now}::timestamptz
      from (
        select distinct on (ord, subject_key) ord, subject_key, notice_id, actor_type, actor_id,
          ord = min(ord) over (partition by subject_key) as first
        from input
        order by ord, subject_key
      ) f join c on c.subject_key = f.subject_key
      order by f.ord, f.subject_key
    )
    select 'case' as kind, id, subject_key, inserted, null::text as outcome, null::timestamptz as decided_at from c
    union all select 'actioned', id, subject_key, null, outcome, decided_at from actioned
    union all select 'suspended', id, null, null, null, null from suspended`.execute(trx);
  const actioned = /* @__PURE__ */ new Map();
  const upserted = [];
  for (const row of result.rows) {
    if (row.kind === "suspended") throw suspendedNotifier();
    if (row.kind === "actioned")
      actioned.set(row.subject_key, { case_id: row.id, outcome: row.outcome, decided_at: row.decided_at });
    else upserted.push({ id: row.id, subject_key: row.subject_key, inserted: row.inserted });
  }
  return assignCases(notices, actioned, upserted);
}
var NOTICE_FIELDS = [
  ["id", "uuid"],
  ["org_id", "uuid"],
  ["submitted_by", "text"],
  ["submitted_by_type", "text"],
  ["kind", "text"],
  ["source_type", "text"],
  ["category", "text"],
  ["jurisdiction", "text"],
  ["language", "text"],
  ["legal_basis", "text"],
  ["legal_references", "text"],
  ["explanation", "text"],
  ["reference", "text"],
  ["good_faith", "boolean"],
  ["notifier", "text"],
  ["anonymous", "boolean"],
  ["order_details", "text"],
  ["received_at", "timestamptz"],
  ["legal_hours", "real"],
  ["target_hours", "real"],
  ["legal_due_at", "timestamptz"],
  ["target_due_at", "timestamptz"],
  ["policy_version", "integer"],
  ["status", "text"],
  ["next_clock_at", "timestamptz"],
  ["digest", "text"],
  ["receipt", "text"],
  ["bulk_job_id", "uuid"]
];
var NOTICE_COLUMNS = NOTICE_FIELDS.map(([name2]) => name2);
var NOTICE_COLUMN_SET = new Set(NOTICE_COLUMNS);
var NOTICE_JSONB = /* @__PURE__ */ new Set(["legal_references", "notifier", "order_details"]);
var NOTICE_RECORD = NOTICE_FIELDS.map(([name2, type]) => `${name2} ${type}`).join(", ");
function toResult(p, cases) {
  return {
    notice_id: p.row.id,
    received_at: p.row.received_at,
    deadline: p.row.legal_due_at,
    target_deadline: p.row.target_due_at,
    source_type: p.row.source_type,
    targets: p.subjects.map((subject, index) => ({ index, ...subject, ...cases[index] })),
    receipt: p.receipt,
    digest: p.digest
  };
}
var scopeOf2 = (orgId) => `notices:${orgId}`;
async function claimIdempotencyKeys(trx, batch, outcomes) {
  const keyed = batch.map((p, i) => ({ p, i })).filter(({ p, i }) => p.idempotencyKey !== null && outcomes[i] === null);
  if (keyed.length === 0) return;
  const firstByKey = /* @__PURE__ */ new Map();
  const claims = [];
  for (const { p, i } of keyed) {
    const id = `${scopeOf2(p.row.org_id)} ${p.idempotencyKey}`;
    if (firstByKey.has(id)) continue;
    firstByKey.set(id, i);
    claims.push({
      scope: scopeOf2(p.row.org_id),
      key: p.idempotencyKey,
      request_digest: p.digest,
      status_code: 0,
      response: "null"
    });
  }
  const claimed = await trx.insertInto("idempotency_keys").values(claims).onConflict((oc) => oc.columns(["scope", "key"]).doNothing()).returning(["scope", "key"]).execute();
  const won = new Set(claimed.map((c) => `${c.scope} ${c.key}`));
  const lost = claims.filter((c) => !won.has(`${c.scope} ${c.key}`));
  const stored = /* @__PURE__ */ new Map();
  if (lost.length > 0) {
    const rows2 = await trx.selectFrom("idempotency_keys").select(["scope", "key", "request_digest", "response"]).where("scope", "in", [...new Set(lost.map((c) => c.scope))]).where("key", "in", [...new Set(lost.map((c) => c.key))]).execute();
    for (const row of rows2)
      if (!won.has(`${row.scope} ${row.key}`)) stored.set(`${row.scope} ${row.key}`, row);
  }
  for (const { p, i } of keyed) {
    const id = `${scopeOf2(p.row.org_id)} ${p.idempotencyKey}`;
    const previous = stored.get(id);
    if (previous) {
      outcomes[i] = replay(previous, p.digest);
    } else if (firstByKey.get(id) !== i) {
      outcomes[i] = p.digest === batch[firstByKey.get(id)].digest ? new Twin(firstByKey.get(id)) : mismatch();
    }
  }
}
var Twin = class extends DomainError {
  constructor(of) {
    super("conflict", "twin");
    this.of = of;
  }
  of;
};
function mismatch() {
  return conflict("this Idempotency-Key was used with a different notice; use a new key for a new notice");
}
function replay(previous, digest) {
  if (previous.request_digest !== digest) return mismatch();
  const stored = previous.response;
  if (!stored)
    return conflict("a notice with this Idempotency-Key is still being processed; retry in a moment");
  return {
    ...stored,
    received_at: new Date(stored.received_at),
    deadline: new Date(stored.deadline),
    target_deadline: new Date(stored.target_deadline),
    targets: stored.targets.map(
      (t) => t.already_actioned ? {
        ...t,
        already_actioned: { ...t.already_actioned, decided_at: new Date(t.already_actioned.decided_at) }
      } : t
    )
  };
}
function idempotentAnswers(trx, items) {
  if (items.length === 0) return null;
  const values = sql20.join(
    items.map(
      ({ prepared, result }) => sql20`(${scopeOf2(prepared.row.org_id)}, ${prepared.idempotencyKey}, ${JSON.stringify(result)})`
    )
  );
  return sql20`
    update idempotency_keys as i set status_code = 201, response = v.response::jsonb
    from (values ${values}) as v(scope, key, response)
    where i.scope = v.scope and i.key = v.key`.compile(trx);
}

// src/notices/intake-queue.ts
var IntakeQueue = class {
  constructor(options) {
    this.options = options;
    this.maxBatch = options.maxBatch ?? 200;
  }
  options;
  waiting = [];
  /** Whether a batch is in its first stage; how many batches are under way. */
  writing = false;
  inFlight = 0;
  maxBatch;
  submit(prepared) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ prepared, at: performance.now(), resolve, reject });
      this.pump();
    });
  }
  pump() {
    if (this.writing || this.inFlight >= 2 || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    this.writing = true;
    this.inFlight += 1;
    let written = false;
    const onWritten = () => {
      if (written) return;
      written = true;
      this.writing = false;
      this.pump();
    };
    void this.commit(batch, onWritten).finally(() => {
      this.inFlight -= 1;
      onWritten();
      this.pump();
    });
  }
  async commit(batch, onWritten) {
    const began = performance.now();
    const waited = began - batch[0].at;
    try {
      const outcomes = await this.options.store.pipelinedTransaction(
        (trx) => commitNotices(
          trx,
          batch.map((w) => w.prepared),
          this.options.clock(),
          onWritten
        )
      );
      this.options.log.debug(
        { size: batch.length, ms: Math.round(performance.now() - began), waited: Math.round(waited) },
        "intake batch committed"
      );
      for (const [i, outcome2] of outcomes.entries()) {
        if (outcome2 instanceof DomainError) batch[i].reject(outcome2);
        else batch[i].resolve(outcome2);
      }
    } catch (error) {
      onWritten();
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      this.options.log.warn(
        { err: error, size: batch.length },
        "intake batch failed; committing its notices one by one"
      );
      for (const waiting of batch) await this.commit([waiting], () => {
      });
    }
  }
};

// src/screening/banks/bank-matcher.ts
import { sql as sql21 } from "kysely";
var PAGE = 2e4;
var WINDOW = 1e3;
var ENTRY_COLUMNS = [...ENTRY_FIELDS, "bank_id"];
var BankMatcher = class {
  constructor(db, log) {
    this.db = db;
    this.log = log;
  }
  db;
  log;
  matcher = new SignalMatcher();
  provenance = /* @__PURE__ */ new Map();
  banks = /* @__PURE__ */ new Map();
  recentBanks = [];
  lastSeq = 0;
  /** The change_seq applied per entry within the window, so a re-read applies nothing twice. */
  recent = /* @__PURE__ */ new Map();
  loaded = false;
  refreshing = null;
  timer = null;
  /** Loads every live entry, in pages. */
  async load() {
    const matcher = new SignalMatcher();
    this.provenance.clear();
    const top = await sql21`select case when is_called then last_value else 0 end as seq from bank_change_seq`.execute(this.db);
    const seq = Number(top.rows[0]?.seq ?? 0);
    let after = "";
    for (; ; ) {
      const rows2 = await this.db.selectFrom("bank_entries").select(ENTRY_COLUMNS).where("removed_at", "is", null).where("id", ">", after || "00000000-0000-0000-0000-000000000000").orderBy("id").limit(PAGE).execute();
      for (const row of rows2) this.index(matcher, row);
      if (rows2.length < PAGE) break;
      after = rows2[rows2.length - 1].id;
    }
    this.matcher = matcher;
    await this.loadBanks();
    this.lastSeq = seq;
    this.loaded = true;
  }
  /** Loads the banks once; later calls return at once. */
  async ready() {
    if (!this.loaded) await this.refresh();
  }
  /** Applies the changes made since the last load or refresh (by any process). */
  refresh() {
    this.refreshing ??= this.applyChanges().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }
  /** Follows changes every `everyMs` until stopped. */
  follow(everyMs = 500) {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.refresh().catch((error) => this.log?.error({ err: error }, "bank refresh failed")).finally(tick);
      }, everyMs);
    };
    tick();
  }
  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
  async applyChanges() {
    if (!this.loaded) return this.load();
    const since = Math.max(0, this.lastSeq - WINDOW);
    const changed = await this.db.selectFrom("bank_entries").select([...ENTRY_COLUMNS, "removed_at", "change_seq"]).where("change_seq", ">", since).orderBy("change_seq").limit(PAGE).execute();
    const bankChanged = await this.db.selectFrom("banks").select("id").where("change_seq", ">", since).where("change_seq", "not in", [...this.recentBanks, -1]).executeTakeFirst();
    for (const row of changed) {
      if (this.recent.get(row.id) === row.change_seq) continue;
      this.recent.set(row.id, row.change_seq);
      this.matcher.remove(row.id);
      this.provenance.delete(row.id);
      if (!row.removed_at) this.index(this.matcher, row);
      this.lastSeq = Math.max(this.lastSeq, row.change_seq);
    }
    for (const [id, seq] of this.recent) if (seq <= this.lastSeq - WINDOW) this.recent.delete(id);
    if (bankChanged) {
      await this.loadBanks();
      const seqs = await this.db.selectFrom("banks").select("change_seq").where("change_seq", ">", since).execute();
      this.recentBanks = seqs.map((b) => b.change_seq);
      this.lastSeq = Math.max(this.lastSeq, ...this.recentBanks);
    }
    if (changed.length === PAGE) await this.applyChanges();
  }
  async loadBanks() {
    const banks = await this.db.selectFrom("banks").select(["id", "name", "enabled", "policy", "auto_action"]).execute();
    this.banks = new Map(banks.map((b) => [b.id, { ...b, auto_action: b.auto_action }]));
  }
  index(matcher, row) {
    try {
      const added = matcher.add({
        ref: row.id,
        type: row.signal_type,
        value: row.value,
        ...row.quality === null ? {} : { quality: row.quality }
      });
      if (!added) return;
      this.provenance.set(row.id, {
        entry_id: row.id,
        bank_id: row.bank_id,
        source: row.source,
        added_by: row.added_by,
        added_at: row.added_at,
        case_id: row.case_id,
        note: row.note
      });
    } catch (error) {
      this.log?.warn({ entry_id: row.id, err: error }, "bank entry not indexed");
    }
  }
  /** Matches of one signal in enabled banks, closest first. */
  match(type, value, options = {}) {
    return this.enrich(this.matcher.match(type, value, options));
  }
  /** A link against the url bank, and its host and parent domains against the domain bank. */
  matchUrl(url) {
    return this.enrich(this.matcher.matchUrl(url));
  }
  get sizes() {
    return this.matcher.sizes;
  }
  enrich(matches) {
    const out = [];
    for (const m of matches) {
      const provenance = this.provenance.get(m.ref);
      const bank = provenance && this.banks.get(provenance.bank_id);
      if (!provenance || !bank?.enabled) continue;
      const { enabled: _, ...bankView2 } = bank;
      out.push({ signal_type: m.type, value: m.value, distance: m.distance, bank: bankView2, provenance });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }
};

// src/runtime/context.ts
function createAppContext(store, config, clock2, log) {
  return {
    store,
    db: store.db,
    config,
    clock: clock2,
    log,
    intake: new IntakeQueue({ store, clock: clock2, log: log.child({ component: "intake" }) }),
    connectors: connectorsFromConfig(config, clock2),
    banks: new BankMatcher(store.db, log.child({ component: "banks" }))
  };
}

// src/runtime/logger.ts
import pino from "pino";
var redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "*.password",
  "*.token"
];
function serializeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code: code2, routine, severity } = error;
  return { type: error.name, message: error.message, code: code2, routine, severity, stack: error.stack };
}
function createLogger(level, destination) {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      serializers: { err: serializeError }
    },
    destination
  );
}

// src/outbox/worker.ts
import { sql as sql22 } from "kysely";

// src/outbox/backoff.ts
var defaultBackoff = { baseMs: 1e3, maxMs: 60 * 60 * 1e3, maxAttempts: 25 };
function retryDelayMs(policy, attempts, random = Math.random) {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

// src/outbox/worker.ts
var PermanentFailure = class extends Error {
};
var RetryLater = class extends Error {
  constructor(message, afterMs) {
    super(message);
    this.afterMs = afterMs;
  }
  afterMs;
};
var OutboxWorker = class {
  timer = null;
  running = false;
  stopped = true;
  wakeRequested = false;
  options;
  constructor(options) {
    this.options = { leaseMs: 6e4, batchSize: 20, pollMs: 250, ...options };
  }
  start() {
    this.stopped = false;
    this.schedule(0);
  }
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  /** Ask for a pass soon, e.g. right after a transaction wrote to the outbox. */
  wake() {
    if (this.running) this.wakeRequested = true;
    else if (!this.stopped) this.schedule(0);
  }
  schedule(ms) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), ms);
  }
  async loop() {
    if (this.stopped || this.running) return;
    this.running = true;
    let delivered = 0;
    try {
      delivered = await this.runOnce();
    } catch (error) {
      this.options.log.error({ err: error }, "outbox pass failed");
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    const again = delivered > 0 || this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.options.pollMs);
  }
  /** One pass: claim a batch and deliver it. Returns how many were handled. */
  async runOnce() {
    const topics = Object.keys(this.options.handlers);
    if (topics.length === 0) return 0;
    const claimed = await claim(
      this.options.db,
      topics,
      this.options.batchSize,
      this.options.leaseMs,
      this.options.clock()
    );
    await Promise.all(claimed.map((message) => this.deliver(message)));
    return claimed.length;
  }
  async deliver(message) {
    const { db, clock: clock2, log } = this.options;
    const handler = this.options.handlers[message.topic];
    try {
      await handler.handle(message);
      await db.updateTable("outbox").set({ status: "done", done_at: clock2(), locked_until: null, last_error: null }).where("id", "=", message.id).execute();
    } catch (error) {
      const policy = handler.backoff ?? defaultBackoff;
      const reason = error instanceof Error ? error.message : String(error);
      const dead = error instanceof PermanentFailure || message.attempt >= policy.maxAttempts;
      const delay = error instanceof RetryLater ? error.afterMs : retryDelayMs(policy, message.attempt);
      log.warn(
        { outbox_id: message.id, topic: message.topic, attempt: message.attempt, dead, reason },
        "outbox delivery failed"
      );
      const settle2 = async (trx) => {
        await trx.updateTable("outbox").set({
          status: dead ? "dead" : "pending",
          next_attempt_at: new Date(clock2().getTime() + delay),
          locked_until: null,
          last_error: reason.slice(0, 2e3)
        }).where("id", "=", message.id).execute();
        if (dead) await handler.onDead?.(trx, message, reason);
      };
      if (dead && handler.onDead) await transact(db, settle2);
      else await settle2(db);
    }
  }
};
async function claim(db, topics, limit, leaseMs, now) {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  const result = await sql22`
    update outbox set locked_until = ${leaseEnd}, attempts = attempts + 1
    where id in (
      select o.id from outbox o
      where o.status = 'pending'
        and o.topic = any(${topics})
        and o.next_attempt_at <= ${now}
        and (o.locked_until is null or o.locked_until < ${now})
        and (o.ordering_key is null or not exists (
          select 1 from outbox e
          where e.ordering_key = o.ordering_key and e.status = 'pending' and e.seq < o.seq))
      order by o.seq
      limit ${limit}
      for update skip locked
    )
    returning id, topic, ordering_key, payload, attempts`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    orderingKey: row.ordering_key,
    payload: row.payload,
    attempt: row.attempts
  }));
}

// src/enforcement/action-handler.ts
function applyHandler(deps) {
  return {
    backoff: { baseMs: 2e3, maxMs: 15 * 6e4, maxAttempts: 40 },
    handle: (m) => run(deps, m, "apply")
  };
}
function revertHandler(deps) {
  return {
    backoff: { baseMs: 2e3, maxMs: 15 * 6e4, maxAttempts: 40 },
    handle: (m) => run(deps, m, "revert")
  };
}
async function run(deps, message, operation) {
  const { action_id } = message.payload;
  const row = await deps.db.selectFrom("enforcement_actions").selectAll().where("id", "=", action_id).executeTakeFirstOrThrow();
  const expected = operation === "apply" ? "pending" : "revert_pending";
  if (row.status !== expected && row.status !== "failed" && row.status !== "revert_failed") return;
  const connector = deps.connectors[row.connector];
  if (!connector) throw new PermanentFailure(`the ${row.connector} connector is not configured any more`);
  const action = {
    action_id: row.id,
    type: row.type,
    subject: row.subject,
    params: row.params,
    case_id: row.case_id,
    decision_id: row.decision_id
  };
  const outcome2 = operation === "apply" ? await connector.apply(action) : await connector.revert(action);
  const now = deps.clock();
  await deps.db.updateTable("enforcement_actions").set({
    attempts: row.attempts + 1,
    last_error: outcome2.status === "retry" || outcome2.status === "failed" ? outcome2.detail : null
  }).where("id", "=", row.id).execute();
  if (outcome2.status === "retry") {
    if (outcome2.after_ms !== void 0) throw new RetryLater(outcome2.detail, outcome2.after_ms);
    throw new Error(outcome2.detail);
  }
  const succeeded = outcome2.status === "applied" || outcome2.status === "already_done";
  await transact(deps.db, async (trx) => {
    const current = await lockCase(trx, row.case_id);
    const status = succeeded ? operation === "apply" ? "applied" : "reverted" : operation === "apply" ? "failed" : "revert_failed";
    await trx.updateTable("enforcement_actions").set({
      status,
      external_ref: "external_ref" in outcome2 ? outcome2.external_ref ?? row.external_ref : row.external_ref,
      ...status === "applied" ? { applied_at: now } : {},
      ...status === "reverted" ? { reverted_at: now } : {}
    }).where("id", "=", row.id).execute();
    if (status === "applied" && row.type === "deliver_statement") {
      await trx.updateTable("statements").set({ delivered_at: now }).where("decision_id", "=", row.decision_id).execute();
    }
    const remaining = await trx.selectFrom("enforcement_actions").select(["status"]).where("decision_id", "=", row.decision_id).execute();
    const data = {
      action_id: row.id,
      type: row.type,
      connector: row.connector,
      outcome: outcome2.status,
      detail: "detail" in outcome2 ? outcome2.detail : null
    };
    if (operation === "apply") {
      const failed = remaining.some((a) => a.status === "failed");
      const pending = remaining.some((a) => a.status === "pending");
      const to = current.status === "under_appeal" ? "under_appeal" : failed ? "action_failed" : pending ? "actioning" : "closed";
      if (["actioning", "action_failed", "under_appeal"].includes(current.status)) {
        await recordCaseEvent(
          trx,
          current,
          workerActor,
          {
            type: succeeded ? "action_applied" : "action_failed",
            to,
            data,
            ...to === "closed" ? { set: { closed_at: now } } : {}
          },
          now
        );
      }
    } else {
      const pending = remaining.some((a) => a.status === "revert_pending");
      if (current.status === "reverting") {
        await recordCaseEvent(
          trx,
          current,
          workerActor,
          {
            type: succeeded ? "reverted" : "revert_failed",
            to: succeeded && !pending ? "closed" : "reverting",
            data
          },
          now
        );
      }
    }
    if (succeeded && row.type !== "deliver_statement") {
      const notices = await noticesOfCase(trx, row.case_id);
      await recordNoticeEvents(
        trx,
        [...new Map(notices.map((n) => [n.id, n])).values()].map((n) => ({
          noticeId: n.id,
          orgId: n.org_id,
          type: operation === "apply" ? "notice.action_applied" : "notice.action_reverted",
          data: { case_id: row.case_id, action: row.type, at: now }
        })),
        now
      );
    }
  });
  if (!succeeded) throw new PermanentFailure(outcome2.status === "failed" ? outcome2.detail : "failed");
}

// src/flaggers/suspensions.ts
var suspensionsActor = { type: "system", id: "flagger-suspensions" };
var BATCH2 = 50;
async function liftEndedSuspensions(db, now) {
  return transact(db, async (trx) => {
    const due = await trx.selectFrom("organisations").selectAll().where("flagger_status", "=", "suspended").where("suspended_until", "<=", now).orderBy("suspended_until").limit(BATCH2).forUpdate().skipLocked().execute();
    const lifted = [];
    for (const org of due) {
      const back = statusBeforeSuspension(await statusHistory(trx, org.id));
      const reasons = `The suspension ended on ${new Date(org.suspended_until).toISOString()} (DSA Art. 23(2)); the flagger returns to ${back}.`;
      lifted.push(
        await applyStatus(
          trx,
          suspensionsActor,
          org,
          {
            from: "suspended",
            to: back,
            designated_by: org.designated_by,
            designated_categories: org.designated_categories,
            designated_jurisdictions: org.designated_jurisdictions,
            suspended_until: null
          },
          reasons,
          now
        )
      );
    }
    return lifted.length;
  });
}

// src/notices/bulk-rows.ts
async function chunkResults(ctx, job, actor, rows2) {
  const results = rows2.map(
    (r) => "problem" in r ? { outcome: "invalid", notice_id: null, reason: r.problem.reason, errors: r.problem.errors } : null
  );
  const valid = rows2.flatMap(
    (r, i) => "notice" in r ? [{ i, row: r.row, notice: r.notice, digest: canonicalDigest(r.notice) }] : []
  );
  const earlier2 = await earlierNotices(ctx.db, job, [...new Set(valid.map((v) => v.digest))]);
  const firstInChunk = /* @__PURE__ */ new Map();
  const fresh = [];
  const twins = [];
  for (const v of valid) {
    const seen = earlier2.get(v.digest);
    const first = firstInChunk.get(v.digest);
    if (seen) {
      const reason = seen.row ? `the same notice as row ${seen.row}` : `the same notice as ${seen.id}, received ${seen.received_at.toISOString()}`;
      results[v.i] = { outcome: "duplicate", notice_id: seen.id, reason, errors: null };
    } else if (first) {
      twins.push({ i: v.i, of: first.i, row: first.row });
    } else {
      firstInChunk.set(v.digest, v);
      fresh.push(v);
    }
  }
  const created = await createNotices(ctx, job, actor, fresh);
  fresh.forEach((v, n) => {
    results[v.i] = created[n];
  });
  for (const t of twins) {
    const of = results[t.of];
    results[t.i] = of.outcome === "created" ? {
      outcome: "duplicate",
      notice_id: of.notice_id,
      reason: `the same notice as row ${t.row}`,
      errors: null
    } : of;
  }
  return results;
}
async function createNotices(ctx, job, actor, rows2) {
  const prepared = await settle(
    rows2.map(
      (r) => prepareNotice(ctx.db, actor, r.notice, job.created_at, {
        idempotencyKey: `bulk ${job.id} ${r.row}`,
        bulkJobId: job.id,
        publicUrl: ctx.config.publicUrl
      })
    )
  );
  return settle(
    prepared.map(async (p) => {
      if (!("value" in p)) return p.refused;
      const result = await ctx.intake.submit(p.value);
      return { outcome: "created", notice_id: result.notice_id, reason: null, errors: null };
    })
  ).then((outcomes) => outcomes.map((o) => "value" in o ? o.value : o.refused));
}
async function settle(promises) {
  const settled2 = await Promise.allSettled(promises);
  return settled2.map((s) => {
    if (s.status === "fulfilled") return { value: s.value };
    const error = s.reason;
    if (error instanceof DomainError && (error.kind === "invalid" || error.kind === "forbidden")) {
      return {
        refused: { outcome: "invalid", notice_id: null, reason: error.message, errors: error.issues }
      };
    }
    throw error;
  });
}
async function earlierNotices(db, job, digests) {
  const found = /* @__PURE__ */ new Map();
  if (digests.length === 0) return found;
  const rows2 = await db.selectFrom("notices as n").leftJoin(
    "bulk_job_rows as r",
    (join) => join.on("r.job_id", "=", job.id).onRef("r.notice_id", "=", "n.id").on("r.outcome", "=", "created")
  ).select(["n.id", "n.digest", "n.received_at", "r.row_number"]).where("n.org_id", "=", job.org_id).where("n.digest", "in", digests).where(
    (eb) => eb.or([
      eb("n.bulk_job_id", "is", null),
      eb("n.bulk_job_id", "!=", job.id),
      eb("r.row_number", "is not", null)
    ])
  ).orderBy("n.received_at").orderBy("n.id").execute();
  for (const r of rows2)
    if (!found.has(r.digest))
      found.set(r.digest, { id: r.id, received_at: r.received_at, row: r.row_number });
  return found;
}

// src/notices/bulk-processing.ts
function bulkJobHandler(ctx, options = {}) {
  return {
    handle: async (message) => {
      const { job_id } = message.payload;
      await processBulkJob(ctx, job_id, options);
    },
    // Its delivery gave up: the job says so, rather than stay `running` for ever. Sending the
    // same file with the same Idempotency-Key resumes it (src/notices/bulk.ts).
    onDead: async (trx, message, reason) => {
      const { job_id } = message.payload;
      const failed = await trx.updateTable("bulk_jobs").set({ status: "failed", error: reason.slice(0, 2e3) }).where("id", "=", job_id).where("status", "in", ["queued", "running"]).executeTakeFirst();
      if (failed.numUpdatedRows === 0n) return;
      await appendAudit(
        trx,
        workerActor,
        { action: "bulk_job.failed", objectType: "bulk_job", objectId: job_id, change: { reason } },
        ctx.clock()
      );
    }
  };
}
async function processBulkJob(ctx, jobId, options = {}) {
  const { chunkSize = 200, sliceMs = 5e3 } = options;
  const began = performance.now();
  const job = await ctx.db.selectFrom("bulk_jobs").select([
    "id",
    "org_id",
    "submitted_by",
    "submitted_by_type",
    "format",
    "status",
    "total",
    "processed",
    "input",
    "created_at"
  ]).where("id", "=", jobId).executeTakeFirst();
  if (!job) throw new PermanentFailure(`no bulk job ${jobId}`);
  if (job.status === "done") return;
  if (job.status !== "running")
    await ctx.db.updateTable("bulk_jobs").set({ status: "running", error: null }).where("id", "=", jobId).where("status", "=", job.status).execute();
  const actor = await submitterOf(ctx.db, job);
  const records = recordsOf(job);
  let start = job.processed;
  while (start < job.total) {
    const rows2 = records.slice(start, start + chunkSize).map(validateRecord);
    const results = await chunkResults(ctx, job, actor, rows2);
    const end = start + rows2.length;
    const handOver = end < job.total && performance.now() - began >= sliceMs;
    const moved = await commitChunk(ctx, job, start, rows2, results, handOver);
    if (moved !== end) return;
    if (handOver) return;
    start = end;
  }
}
var lastRead = null;
function recordsOf(job) {
  if (lastRead?.jobId !== job.id) lastRead = { jobId: job.id, records: parseBulkFile(job.input, job.format) };
  return lastRead.records;
}
async function commitChunk(ctx, job, start, rows2, results, handOver) {
  const now = ctx.clock();
  return transact(ctx.db, async (trx) => {
    const current = await trx.selectFrom("bulk_jobs").select("processed").where("id", "=", job.id).forUpdate().executeTakeFirstOrThrow();
    if (current.processed !== start) return current.processed;
    await trx.insertInto("bulk_job_rows").values(
      results.map((r, i) => ({
        job_id: job.id,
        row_number: rows2[i].row,
        outcome: r.outcome,
        notice_id: r.notice_id,
        reason: r.reason,
        errors: r.errors && r.errors.length > 0 ? JSON.stringify(r.errors) : null
      }))
    ).execute();
    const end = start + results.length;
    const count = (outcome2) => results.filter((r) => r.outcome === outcome2).length;
    const done = end >= job.total;
    await trx.updateTable("bulk_jobs").set((eb) => ({
      processed: end,
      created_count: eb("created_count", "+", count("created")),
      duplicate_count: eb("duplicate_count", "+", count("duplicate")),
      invalid_count: eb("invalid_count", "+", count("invalid")),
      status: done ? "done" : "running",
      finished_at: done ? now : null
    })).where("id", "=", job.id).execute();
    if (handOver) await enqueue(trx, bulkMessage(job.id), now);
    ctx.log.debug({ bulk_job: job.id, processed: end, total: job.total }, "bulk chunk committed");
    return end;
  });
}
async function submitterOf(db, job) {
  const org = await db.selectFrom("organisations").select(["slug", "kind"]).where("id", "=", job.org_id).executeTakeFirstOrThrow();
  const name2 = job.submitted_by_type === "key" ? (await db.selectFrom("api_keys").select("name").where("id", "=", job.submitted_by).executeTakeFirst())?.name : (await db.selectFrom("users").select("display_name").where("id", "=", job.submitted_by).executeTakeFirst())?.display_name;
  return {
    type: job.submitted_by_type === "key" ? "key" : "user",
    id: job.submitted_by,
    displayName: name2 ?? job.submitted_by,
    orgId: job.org_id,
    orgSlug: org.slug,
    orgKind: org.kind,
    // Permissions were checked when the file was accepted; intake needs none of these.
    roles: [],
    permissions: /* @__PURE__ */ new Set(),
    languages: [],
    jurisdictions: []
  };
}

// src/notices/clock-job.ts
async function announceClockMarks(db, now, limit = 500) {
  const policy = await currentPolicy(db);
  const thresholds = policy.document.at_risk_thresholds;
  return transact(db, async (trx) => {
    const due = await trx.selectFrom("notices").select([
      "id",
      "org_id",
      "legal_hours",
      "target_hours",
      "legal_due_at",
      "target_due_at",
      "clock_marks_announced"
    ]).where("next_clock_at", "<=", now).where("paused_since", "is", null).where("closed_at", "is", null).orderBy("next_clock_at").limit(limit).forUpdate().skipLocked().execute();
    if (due.length === 0) return 0;
    const events = [];
    for (const notice of due) {
      const all2 = clockMarksOf(notice, thresholds);
      const start = notice.legal_due_at.getTime() - notice.legal_hours * 36e5;
      const share = (now.getTime() - start) / (notice.legal_hours * 36e5);
      let announced = notice.clock_marks_announced;
      while (announced < all2.length && share >= all2[announced].share) {
        const mark = all2[announced];
        events.push({
          noticeId: notice.id,
          orgId: notice.org_id,
          type: mark.kind === "at_risk" ? "notice.clock.at_risk" : mark.kind === "target_missed" ? "notice.clock.target_missed" : "notice.clock.breached",
          data: { share: mark.share, deadline: notice.legal_due_at, target_deadline: notice.target_due_at }
        });
        announced += 1;
      }
      await trx.updateTable("notices").set({
        clock_marks_announced: announced,
        next_clock_at: nextMarkAt({ ...notice, clock_marks_announced: announced }, thresholds)
      }).where("id", "=", notice.id).execute();
    }
    await recordNoticeEvents(trx, events, now);
    const breaches = events.filter((e) => e.type === "notice.clock.breached");
    await appendAuditMany(
      trx,
      breaches.map((e) => ({
        actor: workerActor,
        record: {
          action: "notice.deadline_breached",
          objectType: "notice",
          objectId: e.noticeId,
          change: e.data
        }
      })),
      now
    );
    return events.length;
  });
}

// src/notices/webhook-delivery.ts
import { lookup } from "node:dns/promises";
function webhookDeliveryHandler(deps) {
  return {
    backoff: { baseMs: 2e3, maxMs: 30 * 6e4, maxAttempts: 100 },
    handle: (message) => deliver(deps, message)
  };
}
async function deliver(deps, message) {
  const { webhook_id, event_id } = message.payload;
  const hook = await deps.db.selectFrom("webhooks").select(["url", "secret", "disabled_at"]).where("id", "=", webhook_id).executeTakeFirst();
  if (!hook || hook.disabled_at) return;
  const event = await deps.db.selectFrom("notice_events").select(["id", "type", "notice_id", "data", "at"]).where("id", "=", event_id).executeTakeFirstOrThrow();
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.at.toISOString(),
    notice_id: event.notice_id,
    data: event.data
  });
  const began = performance.now();
  let status = null;
  let error = null;
  try {
    const url = new URL(hook.url);
    if (!deps.allowPrivateNetworks) await refusePrivateResolution(url.hostname);
    const response = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs ?? 1e4),
      headers: {
        "content-type": "application/json",
        "user-agent": "tapis-webhooks/1",
        "tapis-event-id": event.id,
        "tapis-event-type": event.type,
        [signatureHeader]: signWebhook(hook.secret, body, deps.clock().getTime() / 1e3)
      },
      body
    });
    status = response.status;
    await response.arrayBuffer().catch(() => void 0);
    if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
    if (status === 429 || status === 503) {
      const after = Number(response.headers.get("retry-after"));
      if (Number.isFinite(after) && after > 0) throw new RetryLater(error, Math.min(after, 3600) * 1e3);
    }
  } catch (caught) {
    if (caught instanceof RetryLater || caught instanceof PermanentFailure) {
      error = caught.message;
      await logAttempt(deps, webhook_id, event_id, message, status, error, began);
      throw caught;
    }
    error = caught instanceof Error ? caught.name === "TimeoutError" ? "timed out" : caught.message : String(caught);
  }
  await logAttempt(deps, webhook_id, event_id, message, status, error, began);
  if (error) throw new Error(error);
}
async function refusePrivateResolution(hostname) {
  const addresses = await lookup(hostname, { all: true });
  if (addresses.some((a) => isPrivateAddress(a.address)))
    throw new PermanentFailure(`${hostname} resolves to a private address`);
}
async function logAttempt(deps, webhookId, eventId, message, status, error, began) {
  await deps.db.insertInto("webhook_deliveries").values({
    id: newId(),
    webhook_id: webhookId,
    event_id: eventId,
    outbox_id: message.id,
    attempt: message.attempt,
    status_code: status,
    error: error?.slice(0, 500) ?? null,
    duration_ms: Math.round(performance.now() - began),
    at: deps.clock()
  }).execute();
}

// src/preservation/purge-job.ts
var PURGE_EVERY_MS = 36e5;
async function purgePass(ctx) {
  const report = await runPurge(ctx.db, {
    now: ctx.clock(),
    preservationDays: ctx.config.TAPIS_PRESERVATION_DAYS,
    actor: workerActor
  });
  if (report.cases.length > 0) {
    ctx.log.info(
      {
        job: "purge",
        cases: report.cases.map((c) => c.case_id),
        evidence: report.evidence,
        preserved_content: report.preserved_content,
        blobs_released: report.blobs_released
      },
      "purged content past its preservation period"
    );
  }
  return report.cases.length;
}

// src/runtime/schedule.ts
var ScheduledJob = class {
  constructor(name2, everyMs, pass, log) {
    this.name = name2;
    this.everyMs = everyMs;
    this.pass = pass;
    this.log = log;
  }
  name;
  everyMs;
  pass;
  log;
  timer = null;
  running = null;
  stopped = false;
  start() {
    this.stopped = false;
    this.schedule(this.everyMs);
  }
  schedule(ms) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }, ms);
  }
  async run() {
    let done = 0;
    try {
      done = await this.pass();
    } catch (error) {
      this.log.error({ err: error, job: this.name }, "scheduled job failed");
    }
    this.schedule(done > 0 ? 0 : this.everyMs);
  }
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
};

// src/runtime/workers.ts
function outboxHandlers(ctx) {
  return {
    [BULK_TOPIC]: bulkJobHandler(ctx),
    [WEBHOOK_TOPIC]: webhookDeliveryHandler({
      db: ctx.db,
      clock: ctx.clock,
      allowPrivateNetworks: ctx.config.TAPIS_ALLOW_PRIVATE_NETWORKS
    }),
    [APPLY_TOPIC]: applyHandler(ctx),
    [REVERT_TOPIC]: revertHandler(ctx)
  };
}
function scheduledJobs(ctx) {
  const log = ctx.log.child({ worker: "scheduler" });
  return [
    new ScheduledJob("clock marks", 5e3, () => announceClockMarks(ctx.db, ctx.clock()), log),
    new ScheduledJob(
      "flagger precision",
      36e5,
      () => reviewAllFlaggers(ctx.db, precisionSettings(ctx.config), ctx.clock()),
      log
    ),
    new ScheduledJob("flagger suspensions", 6e4, () => liftEndedSuspensions(ctx.db, ctx.clock()), log),
    new ScheduledJob("preservation purge", PURGE_EVERY_MS, () => purgePass(ctx), log)
  ];
}
function startWorkers(ctx) {
  const outbox = new OutboxWorker({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log.child({ worker: "outbox" }),
    handlers: outboxHandlers(ctx)
  });
  const jobs = scheduledJobs(ctx);
  outbox.start();
  for (const job of jobs) job.start();
  return {
    outbox,
    stop: async () => {
      await Promise.all([outbox.stop(), ...jobs.map((job) => job.stop())]);
    }
  };
}

// src/runtime/start.ts
async function startTapis(config) {
  const log = createLogger(config.LOG_LEVEL);
  const store = await openConfiguredStore(config);
  const ctx = createAppContext(store, config, systemClock, log);
  const seeded = config.TAPIS_DEMO ? await seedDemo(store.db, ctx.clock()) : false;
  const server = await buildServer(ctx);
  await ctx.banks.load();
  ctx.banks.follow();
  const workers = config.TAPIS_WORKERS ? startWorkers(ctx) : null;
  const unfollowRevocations = await followKeyRevocations(store);
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      await server.app.close();
      await workers?.stop();
      ctx.banks.stop();
      await unfollowRevocations();
      await store.close();
    })();
    return stopping;
  };
  let address;
  try {
    address = await server.app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await stop();
    throw error;
  }
  const url = address.replace("://[::1]", "://localhost");
  printBanner({
    url,
    config,
    database: store.kind === "pglite" ? `embedded PGlite at ${store.location}` : `PostgreSQL at ${store.location}`,
    seeded
  });
  return { ctx, server, url, stop };
}
function printBanner(info) {
  const lines = [
    "",
    `tapis is running at ${info.url}`,
    `  API docs:  ${info.url}/docs   (OpenAPI: ${info.url}/openapi.json)`,
    `  database:  ${info.database}`
  ];
  if (info.config.TAPIS_DEMO) {
    lines.push(
      `  demo data: ${info.seeded ? "seeded now" : "already present"}; every demo login's password is ${DEMO_PASSWORD}`
    );
    for (const login2 of demoLogins())
      lines.push(`    ${login2.email.padEnd(28)} ${login2.role.padEnd(22)} ${login2.org}`);
  }
  lines.push("");
  process.stdout.write(lines.join("\n") + "\n");
}

// src/cli/commands/service.ts
function register9(program2) {
  program2.command("serve").description("run the server (migrates the database first)").option("--demo", "seed the demo organisations and users once (same as TAPIS_DEMO=true)").option("--port <port>", "port to listen on (PORT)").option("--host <host>", "address to listen on (HOST)").action(async (options) => {
    const config = loadConfig({
      ...process.env,
      ...options.demo ? { TAPIS_DEMO: "true" } : {},
      ...options.port ? { PORT: options.port } : {},
      ...options.host ? { HOST: options.host } : {}
    });
    const running = await startTapis(config);
    const shutdown = (signal2) => {
      running.ctx.log.info({ signal: signal2 }, "stopping");
      void running.stop().then(() => process.exit(0));
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  });
  program2.command("migrate").description("apply pending database migrations").action(async () => {
    const applied = await withStore(async (store) => (await migrateToLatest(store)).applied, {
      migrate: false
    });
    process.stdout.write(
      applied.length ? `applied ${applied.join(", ")}
` : "the database is up to date\n"
    );
  });
  program2.command("seed-demo").description("add the demo organisations and users (once per database)").action(async () => {
    const seeded = await withStore((store) => seedDemo(store.db, /* @__PURE__ */ new Date()));
    process.stdout.write(seeded ? "demo data seeded\n" : "demo data was already there\n");
  });
}

// src/cli/commands/index.ts
function registerCommands(program2) {
  register9(program2);
  register4(program2);
  register(program2);
  register8(program2);
  register3(program2);
  register5(program2);
  register2(program2);
  register6(program2);
  register7(program2);
}

// src/cli/main.ts
var program = new Command("tapis").description("tapis: notice-and-action desk and content screening engine").showHelpAfterError().exitOverride();
registerCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`tapis: ${error instanceof Error ? error.message : String(error)}
`);
    process.exitCode = 1;
  }
}
