import { canonicalDigest } from "../core/canonical-json.js";
import { DomainError } from "../core/errors.js";
import { prepareNotice } from "./intake.js";
/** What each row of a chunk comes to: invalid, a duplicate, or a notice created (or replayed). */
export async function chunkResults(ctx, job, actor, rows) {
    const results = rows.map((r) => 'problem' in r
        ? { outcome: 'invalid', notice_id: null, reason: r.problem.reason, errors: r.problem.errors }
        : null);
    const valid = rows.flatMap((r, i) => 'notice' in r ? [{ i, row: r.row, notice: r.notice, digest: canonicalDigest(r.notice) }] : []);
    const earlier = await earlierNotices(ctx.db, job, [...new Set(valid.map((v) => v.digest))]);
    const firstInChunk = new Map();
    const fresh = [];
    const twins = [];
    for (const v of valid) {
        const seen = earlier.get(v.digest);
        const first = firstInChunk.get(v.digest);
        if (seen) {
            const reason = seen.row
                ? `the same notice as row ${seen.row}`
                : `the same notice as ${seen.id}, received ${seen.received_at.toISOString()}`;
            results[v.i] = { outcome: 'duplicate', notice_id: seen.id, reason, errors: null };
        }
        else if (first) {
            twins.push({ i: v.i, of: first.i, row: first.row });
        }
        else {
            firstInChunk.set(v.digest, v);
            fresh.push(v);
        }
    }
    const created = await createNotices(ctx, job, actor, fresh);
    fresh.forEach((v, n) => {
        results[v.i] = created[n];
    });
    // A repeat of a row of this chunk shares that row's fate: a duplicate if it was created, invalid if not.
    for (const t of twins) {
        const of = results[t.of];
        results[t.i] =
            of.outcome === 'created'
                ? {
                    outcome: 'duplicate',
                    notice_id: of.notice_id,
                    reason: `the same notice as row ${t.row}`,
                    errors: null,
                }
                : of;
    }
    return results;
}
/**
 * Submits rows through the ordinary intake. Every row is prepared before any is
 * submitted, so that the group commit takes the chunk in one or two transactions rather
 * than one per notice. The keys cannot be sent over HTTP (they hold spaces, which the
 * Idempotency-Key header refuses), so no client can collide with them. Notices count as
 * received when the job was accepted: the deadline runs from when tapis had them.
 */
async function createNotices(ctx, job, actor, rows) {
    const prepared = await settle(rows.map((r) => prepareNotice(ctx.db, actor, r.notice, job.created_at, {
        idempotencyKey: `bulk ${job.id} ${r.row}`,
        bulkJobId: job.id,
        publicUrl: ctx.config.publicUrl,
    })));
    return settle(prepared.map(async (p) => {
        if (!('value' in p))
            return p.refused;
        const result = await ctx.intake.submit(p.value);
        return { outcome: 'created', notice_id: result.notice_id, reason: null, errors: null };
    })).then((outcomes) => outcomes.map((o) => ('value' in o ? o.value : o.refused)));
}
/**
 * Waits for every promise, so that none is left running unseen, then throws the first
 * failure that is not the row's own fault. Refusals of a notice itself (taxonomy,
 * targets, orders; or the organisation suspended since the upload) make the row invalid.
 * Anything else, a conflict on a row's key included (another delivery is creating that
 * notice right now), fails the chunk, to be retried.
 */
async function settle(promises) {
    const settled = await Promise.allSettled(promises);
    return settled.map((s) => {
        if (s.status === 'fulfilled')
            return { value: s.value };
        const error = s.reason;
        if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'forbidden')) {
            return {
                refused: { outcome: 'invalid', notice_id: null, reason: error.message, errors: error.issues },
            };
        }
        throw error;
    });
}
/**
 * Notices the organisation already has with these digests, earliest first: from single
 * intake, other jobs, and rows of this job already committed. Notices this job created for
 * rows without a committed result (a chunk cut short by a crash) are left out: those rows
 * replay them through their Idempotency-Key instead of calling them duplicates of themselves.
 */
async function earlierNotices(db, job, digests) {
    const found = new Map();
    if (digests.length === 0)
        return found;
    const rows = await db
        .selectFrom('notices as n')
        .leftJoin('bulk_job_rows as r', (join) => join.on('r.job_id', '=', job.id).onRef('r.notice_id', '=', 'n.id').on('r.outcome', '=', 'created'))
        .select(['n.id', 'n.digest', 'n.received_at', 'r.row_number'])
        .where('n.org_id', '=', job.org_id)
        .where('n.digest', 'in', digests)
        .where((eb) => eb.or([
        eb('n.bulk_job_id', 'is', null),
        eb('n.bulk_job_id', '!=', job.id),
        eb('r.row_number', 'is not', null),
    ]))
        .orderBy('n.received_at')
        .orderBy('n.id')
        .execute();
    for (const r of rows)
        if (!found.has(r.digest))
            found.set(r.digest, { id: r.id, received_at: r.received_at, row: r.row_number });
    return found;
}
