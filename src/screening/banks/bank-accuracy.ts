import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';

/**
 * How often a bank's automated actions stand (DSA Art. 15(1)(e): the accuracy of automated
 * tools): of the fully automated decisions resting on its entries, the share not reversed by
 * an upheld appeal. null until the bank has acted.
 */
export interface BankAccuracy {
  automated_actions: number;
  appeals_upheld: number;
  accuracy: number | null;
}

export async function bankAccuracy(db: Db): Promise<Map<string, BankAccuracy>> {
  const rows = await db
    .selectFrom('decisions')
    .select([
      'decisions.bank_id',
      sql<number>`count(*)`.as('actions'),
      sql<number>`count(*) filter (where exists (
        select 1 from appeals a where a.decision_id = decisions.id and a.outcome = 'upheld'))`.as('upheld'),
    ])
    .where('decisions.bank_id', 'is not', null)
    .where('decisions.automation', '=', 'fully')
    .where('decisions.status', '=', 'final')
    .groupBy('decisions.bank_id')
    .execute();
  return new Map(
    rows.map((r) => {
      const actions = Number(r.actions);
      const upheld = Number(r.upheld);
      return [
        r.bank_id!,
        {
          automated_actions: actions,
          appeals_upheld: upheld,
          accuracy: actions ? 1 - upheld / actions : null,
        },
      ];
    }),
  );
}
