import { sql } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import type { SystemActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { isSealed, reveal, SecretUnavailable, sealedKid, sealWith } from './envelope.ts';
import type { Keyring } from './keyring.ts';

/**
 * Every column that holds a secret tapis must be able to read back (so it cannot be a hash).
 * Connector credentials (TAPIS_PLATFORM_WEBHOOK_SECRET, the Telegram bot tokens,
 * TAPIS_TDB_TOKEN) are settings, never stored; API keys, sessions and passwords are hashes.
 */
export interface SecretColumn {
  table: 'webhooks' | 'signing_keys';
  column: string;
  id: string;
  what: string;
}

export const secretColumns: readonly SecretColumn[] = [
  { table: 'webhooks', column: 'secret', id: 'id', what: 'webhook signing secrets' },
  { table: 'signing_keys', column: 'private_jwk', id: 'kid', what: 'receipt signing keys (private half)' },
];

/** Where a value lives, bound into its seal: `webhooks.secret:<id>`. */
export function secretContext(column: Pick<SecretColumn, 'table' | 'column'>, id: string): string {
  return `${column.table}.${column.column}:${id}`;
}

export interface SecretSurvey {
  /** Values stored as given, not sealed. */
  plaintext: number;
  /** Sealed values by the id of the key that opens them. */
  byKey: Record<string, number>;
  /** Key ids that values need and this keyring does not hold. */
  missingKeys: string[];
  /** Sealed values under a key that is not the current one. */
  underOtherKeys: number;
}

export async function surveySecrets(db: Db, keyring: Keyring): Promise<SecretSurvey> {
  const survey: SecretSurvey = { plaintext: 0, byKey: {}, missingKeys: [], underOtherKeys: 0 };
  for (const c of secretColumns) {
    const value = sql.ref(c.column);
    const { rows } = await sql<{ kid: string; n: string | number }>`
      select case when ${value} like 'v1:%' then split_part(${value}, ':', 2) else '' end as kid,
             count(*) as n
        from ${sql.table(c.table)} where ${value} is not null group by 1`.execute(db);
    for (const row of rows) {
      const n = Number(row.n);
      if (row.kid === '') survey.plaintext += n;
      else survey.byKey[row.kid] = (survey.byKey[row.kid] ?? 0) + n;
    }
  }
  for (const [kid, n] of Object.entries(survey.byKey)) {
    if (!keyring.keys.has(kid)) survey.missingKeys.push(kid);
    if (kid !== keyring.current?.kid) survey.underOtherKeys += n;
  }
  return survey;
}

export interface ResealReport {
  /** Values sealed (or sealed again) under the current key. */
  resealed: number;
  /** Values that changed under us (a webhook disabled, a key retired) and were left to the next run. */
  skipped: number;
  kid: string;
}

const BATCH = 200;

/**
 * Seals every stored secret under the current key: `plaintext` seals only values stored as
 * given (start-up, after a key is first set); `all` also re-seals values under older keys
 * (`tapis secrets rotate`). Each batch is one transaction with its audit entry; each row is
 * replaced only if it still holds what was read, so a concurrent change is never undone.
 */
export async function resealSecrets(
  db: Db,
  keyring: Keyring,
  options: {
    scope: 'plaintext' | 'all';
    actor: SystemActor;
    now: () => Date;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ResealReport> {
  const current = keyring.current;
  if (!current) throw new SecretUnavailable('no current key: set TAPIS_SECRET_KEY first');
  const survey = await surveySecrets(db, keyring);
  if (survey.missingKeys.length > 0)
    throw new SecretUnavailable(
      `stored secrets are sealed with key(s) ${survey.missingKeys.join(', ')}, which this process does not hold: list them in TAPIS_SECRET_KEYS_RETIRED`,
    );
  const total = survey.plaintext + (options.scope === 'all' ? survey.underOtherKeys : 0);
  const report: ResealReport = { resealed: 0, skipped: 0, kid: current.kid };
  options.onProgress?.(0, total);
  for (const c of secretColumns) {
    const value = sql.ref(c.column);
    const id = sql.ref(c.id);
    const needsWork =
      options.scope === 'all'
        ? sql`${value} not like ${`v1:${current.kid}:%`}`
        : sql`${value} not like 'v1:%'`;
    let after = '';
    for (;;) {
      const { rows } = await sql<{ id: string; value: string }>`
        select ${id}::text as id, ${value} as value from ${sql.table(c.table)}
         where ${value} is not null and ${needsWork} and ${id}::text > ${after}
         order by ${id}::text limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      const changed = await transact(db, async (trx) => {
        let resealed = 0;
        for (const row of rows) {
          const context = secretContext(c, row.id);
          const sealed = sealWith(current, reveal(keyring, row.value, context), context);
          const result = await sql`
            update ${sql.table(c.table)} set ${value} = ${sealed}
             where ${id}::text = ${row.id} and ${value} = ${row.value}`.execute(trx);
          resealed += Number(result.numAffectedRows ?? 0);
        }
        await appendAudit(
          trx,
          options.actor,
          {
            action: 'secrets.resealed',
            objectType: 'secrets',
            objectId: `${c.table}.${c.column}`,
            change: {
              kid: current.kid,
              count: resealed,
              from: [...new Set(rows.map((r) => (isSealed(r.value) ? sealedKid(r.value) : 'plaintext')))],
            },
          },
          options.now(),
        );
        return resealed;
      });
      report.resealed += changed;
      report.skipped += rows.length - changed;
      options.onProgress?.(report.resealed + report.skipped, total);
    }
  }
  return report;
}
