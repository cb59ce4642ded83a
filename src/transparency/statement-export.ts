import type { Db } from '../store/db.ts';
import type { Period } from './period.ts';
import { type TdbStatement, tdbTerritorialScope, toTdbSubmission } from './tdb-mapping.ts';

/**
 * The statements of reasons issued in a period, in the Transparency Database's API shape,
 * for decisions whose effect reaches the EU/EEA (the database holds nothing else: DSA
 * Art. 24(5)). Read page by page (keyset on created_at, id), so that a year of statements
 * streams in constant memory.
 */
const PAGE = 500;

/** A stored statement in the database's shape, or null when its effect stays outside the EU/EEA. */
export function exportable(content: Record<string, unknown>): TdbStatement | null {
  const statement = toTdbSubmission(content);
  const scope = Array.isArray(statement.territorial_scope)
    ? tdbTerritorialScope(statement.territorial_scope as string[])
    : [];
  if (scope.length === 0) return null;
  return { ...statement, territorial_scope: scope };
}

export async function* statementsInPeriod(
  db: Db,
  period: Period,
): AsyncGenerator<{ id: string; statement: TdbStatement }> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    let query = db
      .selectFrom('statements')
      .select(['id', 'content', 'created_at'])
      .where('created_at', '>=', period.start)
      .where('created_at', '<', period.end);
    if (after) {
      const { at, id } = after;
      query = query.where((eb) =>
        eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]),
      );
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(PAGE).execute();
    for (const row of rows) {
      const statement = exportable(row.content);
      if (statement) yield { id: row.id, statement };
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.created_at, id: last.id };
  }
}

/** One statement per line (JSON Lines). */
export async function* statementLines(db: Db, period: Period): AsyncGenerator<string> {
  for await (const { statement } of statementsInPeriod(db, period)) yield `${JSON.stringify(statement)}\n`;
}
