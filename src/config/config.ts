import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { decodeSecretKey, SECRET_KEY_HELP } from '../secrets/keyring.ts';

/**
 * The one place that reads the environment. Settings come from, in rising precedence:
 * the defaults below, an optional JSON config file (`TAPIS_CONFIG`, or `tapis.config.json`
 * in the working directory when present), and the environment.
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.strictObject({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** A schema of its own on a shared PostgreSQL server (created if missing). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier')
    .optional(),
  /** Pool size for a real PostgreSQL server. */
  DATABASE_POOL_SIZE: int(1, 200).default(20),
  /**
   * The server's bounds on waiting for PostgreSQL (decision 0015): connecting or waiting for a
   * free connection, and one statement (statement_timeout; 0 for none). Past them a request
   * answers 503 with Retry-After instead of hanging.
   */
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 600_000).default(3_000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(4_000),
  TAPIS_DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  /** The address people and webhooks reach this instance at; used in links. */
  TAPIS_PUBLIC_URL: z.url().optional(),
  /** Largest JSON body accepted, in bytes. */
  TAPIS_BODY_LIMIT: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Marks session cookies Secure; on by default when the public URL is https. */
  TAPIS_COOKIE_SECURE: bool.optional(),
  /** Console session lifetime, in hours. */
  TAPIS_SESSION_HOURS: int(1, 24 * 30).default(12),
  /** Failed logins per account in 15 minutes that cost no wait; past them each doubles it. */
  TAPIS_LOGIN_MAX_FAILURES: int(1, 1000).default(5),
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), as Fastify's
   * trustProxy: `false` (none, the default), `true` (any), a hop count, or addresses/CIDRs.
   */
  TAPIS_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string[] => {
      const value = v.trim();
      if (value === 'false' || value === '0' || value === '') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      return value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    }),
  /** When set, GET /metrics needs `Authorization: Bearer <this>`; unset, it is open (bind it privately). */
  TAPIS_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** When set, /metrics is served only on this port (of TAPIS_METRICS_HOST), not on the public one. */
  TAPIS_METRICS_PORT: int(0, 65535).optional(),
  TAPIS_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Seals webhook secrets and the receipt key at rest (AES-256-GCM): 32 bytes, base64 or hex. */
  TAPIS_SECRET_KEY: z
    .string()
    .refine((v) => decodeSecretKey(v) !== null, SECRET_KEY_HELP)
    .optional(),
  /** Keys rotated out, comma-separated: they only open values `tapis secrets rotate` has not re-sealed yet. */
  TAPIS_SECRET_KEYS_RETIRED: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((keys) => keys.every((k) => decodeSecretKey(k) !== null), SECRET_KEY_HELP)
    .optional(),
  /** Seed the demo organisations and users on start (once). */
  TAPIS_DEMO: bool.default(false),
  /** Let webhooks and connectors reach private and loopback addresses (tests, closed networks). */
  TAPIS_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  /** Requests per minute per organisation, and per API key, unless an organisation has its own limit. */
  TAPIS_RATE_LIMIT_ORG_PER_MINUTE: int(1, 10_000_000).default(6000),
  TAPIS_RATE_LIMIT_KEY_PER_MINUTE: int(1, 10_000_000).default(3000),
  /** Connector (a): the platform's own moderation API, called with signed POSTs. */
  TAPIS_PLATFORM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  TAPIS_PLATFORM_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  /** Connector (b): the Telegram Bot API, for the chats the bot administers. */
  TAPIS_TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'a bot token as BotFather gives it: <digits>:<secret>')
    .optional(),
  TAPIS_TELEGRAM_API_URL: z.url().default('https://api.telegram.org'),
  /** Where connector (b) forwards a message before deleting it, to keep it (MR5; decision 0022). */
  TAPIS_TELEGRAM_EVIDENCE_CHAT_ID: z
    .string()
    .regex(
      /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/,
      'a chat id (e.g. -1001234567890) or @channelusername',
    )
    .optional(),
  /** The intake bot (src/telegram-intake/): analysts forward posts to it. Its token turns it on. */
  TAPIS_TELEGRAM_INTAKE_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'a bot token as BotFather gives it: <digits>:<secret>')
    .optional(),
  /** polling (getUpdates, the default) or webhook (needs a public https TAPIS_PUBLIC_URL). */
  TAPIS_TELEGRAM_INTAKE_MODE: z.enum(['polling', 'webhook']).default('polling'),
  /** Webhook mode: Telegram sends it in X-Telegram-Bot-Api-Secret-Token (1–256 of A-Z a-z 0-9 _ -). */
  TAPIS_TELEGRAM_INTAKE_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  /** How long removed content and evidence are kept, in days (TCO Art. 6: six months). */
  TAPIS_PRESERVATION_DAYS: int(1, 3650).default(183),
  /** A flagger whose upheld share falls below this is brought to a lead's attention. */
  TAPIS_FLAGGER_PRECISION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.7),
  /** Fewest decided notices in 90 days before the precision alert can fire. */
  TAPIS_FLAGGER_MIN_DECIDED: int(1, 100_000).default(10),
  /** Reveals of media a reviewer may make a day before the desk asks them to stop. */
  TAPIS_EXPOSURE_LIMIT_PER_DAY: int(1, 100_000).default(60),
  /** The DSA Transparency Database's API (its base URL, e.g. https://transparency.dsa.ec.europa.eu) and the platform's token. */
  TAPIS_TDB_URL: z.url({ protocol: /^https?$/ }).optional(),
  TAPIS_TDB_TOKEN: z.string().min(8, 'the API token the database issued').optional(),
  /** Run background workers (outbox delivery, clocks) in this process. */
  TAPIS_WORKERS: bool.default(true),
  /**
   * How long a claimed outbox message is reserved for its worker: after a crash (or an
   * outage mid-delivery) it is delivered again once this has passed. Longer than any
   * connector's timeout (10 s), so a slow delivery is not taken twice while under way.
   */
  TAPIS_OUTBOX_LEASE_SECONDS: int(15, 3600).default(60),
  /** How long the hashes of scanned posts are kept for sweeps, in days (never the content). */
  TAPIS_CONTENT_RETENTION_DAYS: int(1, 3650).default(90),
  /** Jurisdiction and language of the cases automated detection opens (reviewer routing). */
  TAPIS_DETECTION_JURISDICTION: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('ID'),
  TAPIS_DETECTION_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .default('id'),
  /** NATS server: content events come from JetStream, and bank changes are broadcast over it. */
  TAPIS_NATS_URL: z
    .string()
    .regex(/^(nats|tls|wss?):\/\//, 'a nats:// URL')
    .optional(),
  /** JetStream stream and subject prefix (tapis.content.> by default); tests use their own. */
  TAPIS_NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('TAPIS_CONTENT'),
  TAPIS_NATS_SUBJECT: z
    .string()
    .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/)
    .default('tapis.content'),
});

export type Config = z.infer<typeof configSchema> & { cookieSecure: boolean; publicUrl: string };

export class ConfigError extends Error {}

const knownKeys = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const file = readConfigFile(env.TAPIS_CONFIG, cwd);
  const fromEnv: Record<string, string> = {};
  for (const key of knownKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const parsed = configSchema.safeParse({ ...file, ...fromEnv });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(config)';
      return `  ${name}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  const publicUrl = (config.TAPIS_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, '');
  return {
    ...config,
    publicUrl,
    cookieSecure: config.TAPIS_COOKIE_SECURE ?? publicUrl.startsWith('https://'),
  };
}

function readConfigFile(explicit: string | undefined, cwd: string): Record<string, unknown> {
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, 'tapis.config.json');
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`TAPIS_CONFIG: no file at ${file}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`TAPIS_CONFIG: ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`TAPIS_CONFIG: ${file} must hold a JSON object of settings`);
  }
  return parsed as Record<string, unknown>;
}
