import { appendAudit } from '../audit/log.ts';
import { notFound } from '../core/errors.ts';
import type { Actor, SystemActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import type { Contact } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';
import { currentPolicy } from './policy-store.ts';

/**
 * Each jurisdiction's public record (SOP point 3, DSA Art. 11 and 13, MR5): the platform's
 * legal representative and single point of contact there, working languages, time zone, and
 * the deadlines in force under the current SOP policy.
 */
export interface JurisdictionInput {
  name: string;
  legal_representative: Contact;
  contact_point: Contact;
  languages: string[];
  time_zone: string;
  escalation_roster?: Contact[] | undefined;
}

export async function publicJurisdiction(db: Db, code: string) {
  const row = await db.selectFrom('jurisdictions').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound(`no record for jurisdiction ${code}`);
  const policy = await currentPolicy(db);
  const deadlines = policy.document.rules
    .filter((r) => r.jurisdiction === code || r.jurisdiction === '*')
    .map((r) => ({
      applies_to: { jurisdiction: r.jurisdiction, category: r.category, source_type: r.source_type },
      legal_deadline_hours: r.legal_deadline_hours,
      internal_target_hours: r.internal_target_hours ?? null,
      note: r.note ?? null,
    }));
  const { escalation_roster: _, ...record } = row;
  return { ...record, policy_version: policy.version, deadlines };
}

export async function listJurisdictions(db: Db) {
  return db
    .selectFrom('jurisdictions')
    .select(['code', 'name', 'languages', 'time_zone'])
    .orderBy('code')
    .execute();
}

const rest = <T extends { escalation_roster: unknown }>({ escalation_roster: _, ...others }: T) => others;

export async function saveJurisdiction(
  db: Db,
  actor: Actor | SystemActor,
  code: string,
  input: JurisdictionInput,
  now: Date,
): Promise<void> {
  const row = {
    code,
    name: input.name,
    legal_representative: JSON.stringify(input.legal_representative),
    contact_point: JSON.stringify(input.contact_point),
    languages: input.languages,
    time_zone: input.time_zone,
    escalation_roster: JSON.stringify(input.escalation_roster ?? []),
    updated_at: now,
  };
  await transact(db, async (trx) => {
    await trx
      .insertInto('jurisdictions')
      .values(row)
      // The roster is not in the public record, so an editor that never saw it sends none:
      // an update without one keeps the roster it had rather than emptying it.
      .onConflict((oc) =>
        oc.column('code').doUpdateSet(input.escalation_roster === undefined ? rest(row) : { ...row }),
      )
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'jurisdiction.saved', objectType: 'jurisdiction', objectId: code, change: input },
      now,
    );
  });
}
