import type { Db } from './db.ts';

/**
 * Runs `work` in a transaction, and runs it again when PostgreSQL aborted it to break a
 * deadlock (40P01) or a serialisation conflict (40001). Transactions here lock in a
 * natural order (the row they change, then the audit chain), but two use cases can meet
 * in the opposite order; the server then picks one to abort, and retrying it is the
 * standard remedy. `work` must keep its effects inside the transaction.
 */
const RETRYABLE = new Set(['40P01', '40001']);

export function transact<T>(db: Db, work: (trx: Db) => Promise<T>, attempts = 4): Promise<T> {
  return retryingConflicts(() => db.transaction().execute(work), attempts);
}

/** Runs `transaction` again (after a short random pause) while PostgreSQL aborts it to break a conflict. */
export async function retryingConflicts<T>(transaction: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
