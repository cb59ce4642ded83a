import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { BankMatcher } from '../screening/banks/bank-matcher.ts';
import type { Store } from '../store/db.ts';

/**
 * A new bank entry must be matchable in every process within a second (issue 11). Each
 * process polls the banks' change sequence (BankMatcher.follow); on PostgreSQL it also
 * follows `tapis_bank_changed`, which the banks' triggers notify when a change commits
 * (migration 1220), and reloads the change at once. Polling goes on beside it (two small
 * indexed reads per interval): it is what still holds when the LISTEN connection is down,
 * and the store says only that notifications may have been missed, not for how long.
 * PGlite is one process's alone: its own changes reach its matcher directly.
 */
export const BANK_CHANNEL = 'tapis_bank_changed';

export async function followBankChanges(
  store: Store,
  banks: BankMatcher,
  log?: Logger,
): Promise<() => Promise<void>> {
  if (store.kind !== 'postgres') return async () => {};
  const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]!
    .schema;
  // One refresh at a time; a notification during one asks for another after it, since the
  // one in flight may have read before the notified change committed.
  let running = false;
  let again = false;
  const refresh = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    banks
      .refresh()
      .catch((error) => log?.error({ err: error }, 'bank refresh on notification failed'))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  };
  // null: the connection was made or lost, and notifications may have been missed.
  return store.listen(BANK_CHANNEL, (payload) => {
    if (payload === null || payload === schema) refresh();
  });
}
