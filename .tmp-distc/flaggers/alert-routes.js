import { z } from 'zod';
import { idParams, timestamp, uuid } from "../http/schemas.js";
import { acknowledgeAlert, listAlerts } from "./alerts.js";
const alert = z.object({
    id: uuid,
    kind: z.string(),
    org_id: uuid.nullable(),
    org_slug: z.string().nullable(),
    data: z.unknown(),
    created_at: timestamp,
    acknowledged_by: z.string().nullable(),
    acknowledged_at: timestamp.nullable(),
});
/** Leads' alerts (registered by src/flaggers/routes.ts). */
export const alertRoutes = async (app, { ctx }) => {
    app.get('/v1/alerts', {
        config: { access: 'cases:lead' },
        schema: {
            tags: ['flaggers'],
            summary: 'Alerts for leads, newest first (open ones by default)',
            querystring: z.strictObject({
                state: z.enum(['open', 'acknowledged', 'all']).default('open'),
                kind: z.string().max(64).optional(),
                limit: z.coerce.number().int().min(1).max(500).default(100),
            }),
            response: { 200: z.object({ items: z.array(alert) }) },
        },
    }, async (request) => ({ items: await listAlerts(ctx.db, request.query) }));
    app.post('/v1/alerts/:id/acknowledge', {
        config: { access: 'cases:lead' },
        schema: {
            tags: ['flaggers'],
            summary: 'Acknowledge an alert: it is in hand',
            params: idParams,
            response: { 200: alert },
        },
    }, async (request) => acknowledgeAlert(ctx.db, request.actor, request.params.id, ctx.clock()));
};
