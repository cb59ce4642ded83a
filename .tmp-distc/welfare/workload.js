import { sql } from 'kysely';
import { isRole, permissionsOfRoles } from "../identity/permissions.js";
import { startOfUtcDay, startOfUtcWeek, utcDay } from "./exposure.js";
const toCounts = (rows) => new Map(rows.filter((r) => r.id !== null).map((r) => [r.id, Number(r.n)]));
export async function reviewerWorkload(db, exposureLimit, now) {
    const users = await db
        .selectFrom('users')
        .innerJoin('organisations', 'organisations.id', 'users.org_id')
        .select(['users.id', 'users.display_name', 'users.roles', 'users.languages', 'users.jurisdictions'])
        .where('organisations.kind', '=', 'platform')
        .where('users.disabled_at', 'is', null)
        .orderBy('users.display_name')
        .execute();
    const reviewers = users.filter((u) => permissionsOfRoles(u.roles.filter(isRole)).has('cases:work'));
    const ids = reviewers.map((r) => r.id);
    const day = startOfUtcDay(now);
    const week = startOfUtcWeek(now);
    if (ids.length === 0)
        return { day: utcDay(now), week_start: week, exposure_limit: exposureLimit, reviewers: [] };
    const [held, appealsHeld, decidedToday, decidedWeek, appealsToday, appealsWeek, reveals, lastEvent, lastReveal,] = await Promise.all([
        db
            .selectFrom('cases')
            .select(['assigned_to as id', (eb) => eb.fn.countAll().as('n')])
            .where('assigned_to', 'in', ids)
            .where('status', '=', 'in_review')
            .where('lease_until', '>', now)
            .groupBy('assigned_to')
            .execute(),
        db
            .selectFrom('appeals')
            .select(['assigned_to as id', (eb) => eb.fn.countAll().as('n')])
            .where('assigned_to', 'in', ids)
            .where('status', '=', 'in_review')
            .where('lease_until', '>', now)
            .groupBy('assigned_to')
            .execute(),
        countSince(db, 'decisions', 'decided_by', 'created_at', ids, day),
        countSince(db, 'decisions', 'decided_by', 'created_at', ids, week),
        countSince(db, 'appeals', 'decided_by', 'decided_at', ids, day),
        countSince(db, 'appeals', 'decided_by', 'decided_at', ids, week),
        db
            .selectFrom('reveals')
            .select(['reviewer_id as id', sql `count(distinct object_type || ':' || object_id)`.as('n')])
            .where('reviewer_id', 'in', ids)
            .where('day', '=', utcDay(now))
            .where('counted', '=', true)
            .groupBy('reviewer_id')
            .execute(),
        db
            .selectFrom('case_events')
            .select(['actor_id as id', (eb) => eb.fn.max('at').as('at')])
            .where('actor_type', '=', 'user')
            .where('actor_id', 'in', ids)
            .groupBy('actor_id')
            .execute(),
        db
            .selectFrom('reveals')
            .select(['reviewer_id as id', (eb) => eb.fn.max('at').as('at')])
            .where('reviewer_id', 'in', ids)
            .groupBy('reviewer_id')
            .execute(),
    ]);
    const counts = {
        held: toCounts(held),
        appealsHeld: toCounts(appealsHeld),
        decidedToday: toCounts(decidedToday),
        decidedWeek: toCounts(decidedWeek),
        appealsToday: toCounts(appealsToday),
        appealsWeek: toCounts(appealsWeek),
        reveals: toCounts(reveals),
    };
    const last = new Map();
    for (const row of [...lastEvent, ...lastReveal]) {
        const at = new Date(row.at);
        const known = last.get(row.id);
        if (!known || at > known)
            last.set(row.id, at);
    }
    return {
        day: utcDay(now),
        week_start: week,
        exposure_limit: exposureLimit,
        reviewers: reviewers.map((r) => {
            const revealed = counts.reveals.get(r.id) ?? 0;
            return {
                reviewer_id: r.id,
                display_name: r.display_name,
                roles: r.roles,
                languages: r.languages,
                jurisdictions: r.jurisdictions,
                cases_held: counts.held.get(r.id) ?? 0,
                appeals_held: counts.appealsHeld.get(r.id) ?? 0,
                decisions_today: counts.decidedToday.get(r.id) ?? 0,
                decisions_this_week: counts.decidedWeek.get(r.id) ?? 0,
                appeals_decided_today: counts.appealsToday.get(r.id) ?? 0,
                appeals_decided_this_week: counts.appealsWeek.get(r.id) ?? 0,
                reveals_today: revealed,
                exposure_limit: exposureLimit,
                exposure_limit_reached: revealed >= exposureLimit,
                last_activity_at: last.get(r.id) ?? null,
            };
        }),
    };
}
/** Rows of `table` whose `by` is one of the reviewers, at or after `since`, per reviewer. */
function countSince(db, table, by, at, ids, since) {
    return db
        .selectFrom(table)
        .select([sql `${sql.ref(by)}`.as('id'), (eb) => eb.fn.countAll().as('n')])
        .where(sql.ref(by), 'in', ids)
        .where(sql.ref(at), '>=', since)
        .groupBy(sql.ref(by))
        .execute();
}
