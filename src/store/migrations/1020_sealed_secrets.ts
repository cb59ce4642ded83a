import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Secrets at rest (docs/decisions/0016-secrets-at-rest.md). The receipt key's private half
 * becomes text, so that it can hold a sealed value (`v1:<kid>:…`) as webhook secrets do, and
 * may be null: a rotated-out key keeps only its public half, so it can verify old receipts
 * and never sign again. The values themselves are sealed at start-up, once TAPIS_SECRET_KEY
 * is set (src/secrets/start-up.ts): a migration does not hold the key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table signing_keys alter column private_jwk type text using private_jwk::text`,
    `alter table signing_keys alter column private_jwk drop not null`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Only a database whose secrets are not sealed goes back (run with no TAPIS_SECRET_KEY first).
  await runStatements(db, [
    `delete from signing_keys where private_jwk is null`,
    `alter table signing_keys alter column private_jwk type jsonb using private_jwk::jsonb`,
    `alter table signing_keys alter column private_jwk set not null`,
  ]);
}
