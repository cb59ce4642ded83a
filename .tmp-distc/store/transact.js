/**
 * Runs `work` in a transaction, and runs it again when PostgreSQL aborted it to break a
 * deadlock (40P01) or a serialisation conflict (40001). Transactions here lock in a
 * natural order (the row they change, then the audit chain), but two use cases can meet
 * in the opposite order; the server then picks one to abort, and retrying it is the
 * standard remedy. `work` must keep its effects inside the transaction.
 */
const RETRYABLE = new Set(['40P01', '40001']);
export function transact(db, work, attempts = 4) {
    return retryingConflicts(() => db.transaction().execute(work), attempts);
}
/** Runs `transaction` again (after a short random pause) while PostgreSQL aborts it to break a conflict. */
export async function retryingConflicts(transaction, attempts = 4) {
    for (let attempt = 1;; attempt++) {
        try {
            return await transaction();
        }
        catch (error) {
            const code = error.code;
            if (attempt >= attempts || !code || !RETRYABLE.has(code))
                throw error;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        }
    }
}
