import { z } from 'zod';
import { timestamp, uuid } from "../http/schemas.js";
import { revealInCase } from "./reveals.js";
import { reviewerWorkload } from "./workload.js";
const exposure = z.object({
    day: z.string(),
    exposure_today: z.number().int(),
    limit: z.number().int(),
    remaining: z.number().int(),
    limit_reached: z.boolean(),
    break_prompt: z.string().nullable(),
    resets_at: timestamp,
});
/** Reviewer welfare: revealing blurred media, and the leads' view of each reviewer's load. */
export const welfareRoutes = async (app, { ctx }) => {
    app.post('/v1/cases/:id/reveal', {
        config: { access: 'content:reveal' },
        schema: {
            tags: ['reviewer welfare'],
            summary: 'Reveal a blurred item of the case (evidence of its notices, or preserved content): recorded, audited and counted against your daily exposure; past the limit, new media is refused until the next UTC day (429)',
            params: z.strictObject({ id: uuid }),
            body: z.strictObject({ object_type: z.enum(['evidence', 'preserved_content']), object_id: uuid }),
            response: {
                200: z.object({
                    object_type: z.string(),
                    object_id: uuid,
                    content_type: z.string().nullable(),
                    sha256: z.string().nullable(),
                    exposure: exposure.nullable(),
                }),
            },
        },
    }, async (request) => {
        const { object, exposure } = await revealInCase(ctx.db, request.actor, request.params.id, { type: request.body.object_type, id: request.body.object_id }, ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY, ctx.clock());
        return { ...object, exposure };
    });
    app.get('/v1/reviewers/workload', {
        config: { access: 'reports:read' },
        schema: {
            tags: ['reviewer welfare'],
            summary: 'Each reviewer’s load: cases held, decisions today and this week, media revealed today against the limit, last activity',
            response: {
                200: z.object({
                    day: z.string(),
                    week_start: timestamp,
                    exposure_limit: z.number().int(),
                    reviewers: z.array(z.object({
                        reviewer_id: uuid,
                        display_name: z.string(),
                        roles: z.array(z.string()),
                        languages: z.array(z.string()),
                        jurisdictions: z.array(z.string()),
                        cases_held: z.number().int(),
                        appeals_held: z.number().int(),
                        decisions_today: z.number().int(),
                        decisions_this_week: z.number().int(),
                        appeals_decided_today: z.number().int(),
                        appeals_decided_this_week: z.number().int(),
                        reveals_today: z.number().int(),
                        exposure_limit: z.number().int(),
                        exposure_limit_reached: z.boolean(),
                        last_activity_at: timestamp.nullable(),
                    })),
                }),
            },
        },
    }, async () => reviewerWorkload(ctx.db, ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY, ctx.clock()));
};
