import { sql } from 'kysely';
import { appendAudit } from '../../audit/log.ts';
import { conflict, invalid, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Actor, SystemActor } from '../../identity/actor.ts';
import type { Db } from '../../store/db.ts';
import type { IncidentPolicy } from '../../store/schema/index.ts';
import { transact } from '../../store/transact.ts';

/**
 * Crisis mode, after the GIFCT Content Incident Protocol: a lead declares an incident (an
 * ongoing terrorist event with perpetrator-made footage) naming the banks it concerns, when
 * it starts and when it expires. While it is active, matches in those banks follow its
 * stricter policy (act at once, shorter deadlines) and hashes added to them are swept at
 * once; a per-minute timeline counts matches, actions and new hashes; it closes with a
 * debrief record. Declaring, changing and closing are audited.
 */
export interface ActiveIncident {
  id: string;
  name: string;
  bank_ids: string[];
  policy: IncidentPolicy;
  starts_at: Date;
  expires_at: Date;
}

export interface IncidentInput {
  name: string;
  description: string;
  bank_ids: string[];
  policy: IncidentPolicy;
  starts_at: Date;
  expires_at: Date;
}

export function isActive(
  incident: { status: string; starts_at: Date; expires_at: Date },
  now: Date,
): boolean {
  return incident.status === 'active' && incident.starts_at <= now && now < incident.expires_at;
}

export async function activeIncidents(db: Db, now: Date): Promise<ActiveIncident[]> {
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'name', 'bank_ids', 'policy', 'starts_at', 'expires_at', 'status'])
    .where('status', '=', 'active')
    .where('starts_at', '<=', now)
    .where('expires_at', '>', now)
    .execute();
  return rows.map((r) => ({ ...r, policy: r.policy as IncidentPolicy }));
}

export async function declareIncident(db: Db, actor: Actor | SystemActor, input: IncidentInput, now: Date) {
  if (input.expires_at <= input.starts_at)
    throw invalid('expires_at: an incident expires after it starts', [
      { pointer: '/expires_at', detail: 'later than starts_at' },
    ]);
  return transact(db, async (trx) => {
    const banks = await trx.selectFrom('banks').select('id').where('id', 'in', input.bank_ids).execute();
    const missing = input.bank_ids.filter((id) => !banks.some((b) => b.id === id));
    if (missing.length > 0)
      throw invalid(`bank_ids: no bank ${missing[0]}`, [
        { pointer: '/bank_ids', detail: `no bank ${missing[0]}` },
      ]);
    const taken = await trx
      .selectFrom('incidents')
      .select('id')
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (taken) throw conflict(`an incident named '${input.name}' already exists`);
    const row = {
      id: newId(),
      name: input.name,
      description: input.description,
      bank_ids: input.bank_ids,
      policy: input.policy,
      starts_at: input.starts_at,
      expires_at: input.expires_at,
      status: 'active' as const,
      declared_by: actor.id,
      declared_at: now,
      closed_by: null,
      closed_at: null,
      debrief: null,
    };
    await trx
      .insertInto('incidents')
      .values({ ...row, policy: JSON.stringify(row.policy), debrief: JSON.stringify(null) })
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'incident.declared', objectType: 'incident', objectId: row.id, change: row },
      now,
    );
    return row;
  });
}

export interface Debrief {
  summary: string;
  lessons?: string | undefined;
}

/** Closes an incident with its debrief: what happened, in figures, and what was learnt. */
export async function closeIncident(
  db: Db,
  actor: Actor | SystemActor,
  id: string,
  debrief: Debrief,
  now: Date,
) {
  return transact(db, async (trx) => {
    const incident = await trx
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!incident) throw notFound(`no incident ${id}`);
    if (incident.status === 'closed') throw conflict('the incident is already closed');
    const totals = await timelineTotals(trx, id);
    const record = { ...debrief, totals, closed_at: now.toISOString() };
    await trx
      .updateTable('incidents')
      .set({ status: 'closed', closed_by: actor.id, closed_at: now, debrief: JSON.stringify(record) })
      .where('id', '=', id)
      .execute();
    await appendAudit(
      trx,
      actor,
      { action: 'incident.closed', objectType: 'incident', objectId: id, change: record },
      now,
    );
    return { ...incident, status: 'closed' as const, closed_by: actor.id, closed_at: now, debrief: record };
  });
}

export async function incidentView(db: Db, id: string, now: Date) {
  const incident = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!incident) throw notFound(`no incident ${id}`);
  const timeline = await db
    .selectFrom('incident_timeline')
    .select(['minute', 'matches', 'actions', 'new_hashes'])
    .where('incident_id', '=', id)
    .orderBy('minute')
    .execute();
  return { ...incident, active: isActive(incident, now), timeline, totals: await timelineTotals(db, id) };
}

export async function listIncidents(db: Db, now: Date) {
  const rows = await db.selectFrom('incidents').selectAll().orderBy('declared_at', 'desc').execute();
  return rows.map((r) => ({ ...r, active: isActive(r, now) }));
}

async function timelineTotals(db: Db, id: string) {
  const row = await db
    .selectFrom('incident_timeline')
    .select([
      sql<number>`coalesce(sum(matches), 0)`.as('matches'),
      sql<number>`coalesce(sum(actions), 0)`.as('actions'),
      sql<number>`coalesce(sum(new_hashes), 0)`.as('new_hashes'),
    ])
    .where('incident_id', '=', id)
    .executeTakeFirstOrThrow();
  return { matches: Number(row.matches), actions: Number(row.actions), new_hashes: Number(row.new_hashes) };
}

/** Adds to the incident's count for the minute of `now`. */
export async function bumpTimeline(
  trx: Db,
  incidentId: string,
  now: Date,
  add: { matches?: number; actions?: number; new_hashes?: number },
): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  await trx
    .insertInto('incident_timeline')
    .values({
      incident_id: incidentId,
      minute,
      matches: add.matches ?? 0,
      actions: add.actions ?? 0,
      new_hashes: add.new_hashes ?? 0,
    })
    .onConflict((oc) =>
      oc.columns(['incident_id', 'minute']).doUpdateSet({
        matches: sql`incident_timeline.matches + excluded.matches`,
        actions: sql`incident_timeline.actions + excluded.actions`,
        new_hashes: sql`incident_timeline.new_hashes + excluded.new_hashes`,
      }),
    )
    .execute();
}
