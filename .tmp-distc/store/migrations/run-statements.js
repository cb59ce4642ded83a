import { sql } from 'kysely';
/**
 * Runs DDL one statement at a time: PGlite, like any prepared-statement path, refuses
 * several commands in one query.
 */
export async function runStatements(db, statements) {
    for (const statement of statements)
        await sql.raw(statement).execute(db);
}
