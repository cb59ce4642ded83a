import { z } from 'zod';
import { invalid } from "../core/errors.js";
import { text, timestamp, uuid } from "../http/schemas.js";
import { checkFile } from "../notices/evidence.js";
import { acceptMultipart, readMultipart } from "../notices/multipart.js";
import { depositContent } from "./deposit.js";
import { listHolds, placeHold, releaseHold } from "./legal-holds.js";
import { listPreservedContent, readPreservedContent } from "./preserved-content.js";
const params = z.strictObject({ id: uuid });
const preserved = z.object({
    id: uuid,
    case_id: uuid,
    kind: z.string(),
    description: z.string(),
    filename: z.string().nullable(),
    content_type: z.string().nullable(),
    size: z.number().int().nullable(),
    sha256: z.string().nullable(),
    md5: z.string().nullable(),
    hashes: z.record(z.string(), z.unknown()),
    deposited_by: z.string().nullable(),
    created_at: timestamp,
    preserved_until: timestamp,
    purged_at: timestamp.nullable(),
});
const hold = z.object({
    id: uuid,
    case_id: uuid,
    reason: z.string(),
    requested_by: z.string(),
    placed_by: z.string(),
    until: timestamp.nullable(),
    placed_at: timestamp,
    released_at: timestamp.nullable(),
    released_by: z.string().nullable(),
    release_reason: z.string().nullable(),
    active: z.boolean(),
});
const textDeposit = z.strictObject({
    description: text(2000).describe('What this is, e.g. "message 42 of @channel as posted, with its caption"'),
    text: z.string().min(1).max(500_000),
});
/** Preserved content of a case (deposit, list, download) and legal holds. */
export const preservationRoutes = async (app, { ctx }) => {
    await acceptMultipart(app);
    const days = ctx.config.TAPIS_PRESERVATION_DAYS;
    app.post('/v1/cases/:id/preserved-content', {
        config: { access: 'cases:work' },
        schema: {
            tags: ['preservation'],
            summary: 'Deposit captured content of the case: one file (multipart/form-data with a `description` field) or text (JSON); kept for the preservation period after the decision (TCO Art. 6)',
            params,
            consumes: ['application/json', 'multipart/form-data'],
            body: textDeposit.nullish(),
            response: { 201: preserved },
        },
    }, async (request, reply) => {
        let deposit;
        if (request.isMultipart()) {
            const { files, fields } = await readMultipart(request);
            if (files.length !== 1)
                throw invalid(`send exactly one file per deposit (got ${files.length})`);
            const description = text(2000).safeParse(fields.description ?? '');
            if (!description.success)
                throw invalid('description: say what the file is (1–2000 characters)', [
                    { pointer: '/description', detail: 'required' },
                ]);
            deposit = { kind: 'file', description: description.data, file: await checkFile(files[0]) };
        }
        else {
            if (!request.body)
                throw invalid('send a file as multipart/form-data, or {"description", "text"} as JSON');
            deposit = { kind: 'text', ...request.body };
        }
        return reply
            .code(201)
            .send(await depositContent(ctx.db, request.actor, request.params.id, deposit, days, ctx.clock()));
    });
    app.get('/v1/cases/:id/preserved-content', {
        config: { access: 'cases:read' },
        schema: {
            tags: ['preservation'],
            summary: 'What is preserved for the case: metadata and hashes, purged items included (this access is audited)',
            params,
            response: { 200: z.object({ items: z.array(preserved) }) },
        },
    }, async (request) => ({
        items: await listPreservedContent(ctx.db, request.actor, request.params.id, ctx.clock()),
    }));
    app.get('/v1/preserved-content/:id', {
        config: { access: 'content:reveal' },
        schema: {
            tags: ['preservation'],
            summary: 'Download preserved content (never rendered inline); a reveal, counted against your exposure and audited',
            params,
        },
    }, async (request, reply) => {
        const file = await readPreservedContent(ctx.db, request.actor, request.params.id, ctx.config.TAPIS_EXPOSURE_LIMIT_PER_DAY, ctx.clock());
        const type = file.view.content_type ?? 'application/octet-stream';
        const name = file.view.filename ?? `${file.view.id}.${type.startsWith('text/') ? 'txt' : 'bin'}`;
        if (file.exposure)
            reply
                .header('x-exposure-today', String(file.exposure.exposure_today))
                .header('x-exposure-limit', String(file.exposure.limit));
        return reply
            .header('content-type', type.startsWith('text/') ? 'text/plain; charset=utf-8' : type)
            .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', "sandbox; default-src 'none'")
            .header('digest', `sha-256=${Buffer.from(file.view.sha256 ?? '', 'hex').toString('base64')}`)
            .send(file.data);
    });
    app.post('/v1/cases/:id/legal-holds', {
        config: { access: 'cases:lead' },
        schema: {
            tags: ['preservation'],
            summary: 'Place a legal hold: the case’s content is kept past its preservation period until released (TCO Art. 6(2))',
            params,
            body: z.strictObject({
                reason: text(2000),
                requested_by: text(500).describe('The authority or court that asked, with its reference'),
                until: timestamp.optional(),
            }),
            response: { 201: hold },
        },
    }, async (request, reply) => reply
        .code(201)
        .send(await placeHold(ctx.db, request.actor, request.params.id, request.body, ctx.clock())));
    app.get('/v1/cases/:id/legal-holds', {
        config: { access: 'cases:read' },
        schema: {
            tags: ['preservation'],
            summary: 'The case’s legal holds, active and released',
            params,
            response: { 200: z.object({ items: z.array(hold) }) },
        },
    }, async (request) => ({ items: await listHolds(ctx.db, request.params.id, ctx.clock()) }));
    app.post('/v1/legal-holds/:id/release', {
        config: { access: 'cases:lead' },
        schema: {
            tags: ['preservation'],
            summary: 'Release a legal hold; content past its date is then purged by the next pass',
            params,
            body: z.strictObject({ reason: text(2000).optional() }).nullish(),
            response: { 200: hold },
        },
    }, async (request) => releaseHold(ctx.db, request.actor, request.params.id, request.body?.reason, ctx.clock()));
};
