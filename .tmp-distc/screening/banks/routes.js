import { z } from 'zod';
import { invalid } from "../../core/errors.js";
import { timestamp, uuid } from "../../http/schemas.js";
import { SIGNAL_TYPES } from "../signal-types.js";
import { bankCsv, parseBankCsv } from "./bank-csv.js";
import { addEntries, createBank, findBank, listBanks, listEntries, removeEntry, updateBank, } from "./bank-store.js";
const autoAction = z.strictObject({
    outcome: z.enum(['remove', 'restrict_in_jurisdiction', 'suspend', 'label']),
    territories: z
        .array(z.string().regex(/^[A-Z]{2}$/))
        .max(250)
        .optional(),
    label: z.string().max(200).optional(),
});
const bankView = z.object({
    id: uuid,
    name: z.string(),
    description: z.string().nullable(),
    enabled: z.boolean(),
    policy: z.enum(['review', 'auto_action']),
    auto_action: z.unknown(),
    created_at: timestamp,
    updated_at: timestamp,
});
const entryInput = z.strictObject({
    signal_type: z.enum(SIGNAL_TYPES),
    value: z.string().min(1).max(4096),
    quality: z.number().int().min(0).max(100).optional(),
    source: z.string().trim().min(1).max(200).optional(),
    case_id: uuid.optional(),
    note: z.string().trim().min(1).max(2000).optional(),
    metadata: z.record(z.string().max(60), z.string().max(500)).optional(),
});
const params = z.strictObject({ id: z.string().min(1).max(100).describe('The bank id or name') });
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** Hash banks: create, list, enable and disable, fill by entry or by CSV, export. */
export const bankRoutes = async (app, { ctx }) => {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_request, body, done) => done(null, body));
    app.get('/v1/banks', {
        config: { access: 'banks:read' },
        schema: {
            tags: ['screening'],
            summary: 'The hash banks, with their policy and entry counts per signal type',
        },
    }, async () => ({ items: await listBanks(ctx.db) }));
    app.post('/v1/banks', {
        config: { access: 'banks:write' },
        schema: {
            tags: ['screening'],
            summary: 'Create a bank: matches go to review, or act automatically with the given action',
            body: z.strictObject({
                name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'lower-case letters, digits, . _ -'),
                description: z.string().max(1000).optional(),
                policy: z.enum(['review', 'auto_action']),
                auto_action: autoAction.optional(),
            }),
            response: { 201: bankView },
        },
    }, async (request, reply) => reply.code(201).send(await createBank(ctx.db, request.actor, request.body, ctx.clock())));
    app.patch('/v1/banks/:id', {
        config: { access: 'banks:write' },
        schema: {
            tags: ['screening'],
            summary: 'Enable or disable a bank, or change its policy',
            params,
            body: z.strictObject({
                enabled: z.boolean().optional(),
                description: z.string().max(1000).optional(),
                policy: z.enum(['review', 'auto_action']).optional(),
                auto_action: autoAction.nullable().optional(),
            }),
            response: { 200: bankView },
        },
    }, async (request) => {
        const bank = await findBank(ctx.db, request.params.id);
        const updated = await updateBank(ctx.db, request.actor, bank.id, request.body, ctx.clock());
        await ctx.banks.refresh();
        return updated;
    });
    app.get('/v1/banks/:id/entries', {
        config: { access: 'banks:read' },
        schema: {
            tags: ['screening'],
            summary: 'A bank’s entries with their provenance',
            params,
            querystring: z.strictObject({
                after: uuid.optional(),
                limit: z.coerce.number().int().min(1).max(1000).default(100),
                signal_type: z.enum(SIGNAL_TYPES).optional(),
            }),
        },
    }, async (request) => listEntries(ctx.db, (await findBank(ctx.db, request.params.id)).id, request.query.after, request.query.limit, request.query.signal_type));
    app.post('/v1/banks/:id/entries', {
        config: { access: 'banks:write' },
        schema: {
            tags: ['screening'],
            summary: 'Add entries (up to 1,000 a call); each is matchable within a second',
            params,
            body: z.strictObject({ entries: z.array(entryInput).min(1).max(1000) }),
        },
    }, async (request, reply) => {
        const bank = await findBank(ctx.db, request.params.id);
        const outcomes = await addEntries(ctx.db, request.actor, bank.id, request.body.entries, ctx.clock());
        await ctx.banks.refresh();
        return reply.code(201).send({ items: outcomes });
    });
    app.delete('/v1/banks/:id/entries/:entryId', {
        config: { access: 'banks:write' },
        schema: {
            tags: ['screening'],
            summary: 'Remove an entry (it stays in the history)',
            params: z.strictObject({ id: z.string().min(1).max(100), entryId: uuid }),
        },
    }, async (request, reply) => {
        const bank = await findBank(ctx.db, request.params.id);
        await removeEntry(ctx.db, request.actor, bank.id, request.params.entryId, ctx.clock());
        await ctx.banks.refresh();
        return reply.code(204).send();
    });
    app.post('/v1/banks/:id/import', {
        config: { access: 'banks:write' },
        schema: {
            tags: ['screening'],
            summary: 'Import a CSV (`signal_type,signal,quality,source,case_id,note,…`); answers per-row results',
            params,
            consumes: ['text/csv'],
        },
    }, async (request) => {
        if (typeof request.body !== 'string')
            throw invalid('send the bank file as text/csv');
        const bank = await findBank(ctx.db, request.params.id);
        const parsed = parseBankCsv(request.body);
        const outcomes = await addEntries(ctx.db, request.actor, bank.id, parsed.entries.map((e) => e.entry), ctx.clock());
        await ctx.banks.refresh();
        const rows = [
            ...parsed.errors.map((e) => ({ row: e.row, status: 'invalid', reason: e.reason })),
            ...outcomes.map((o, i) => ({
                row: parsed.entries[i].row,
                status: o.status,
                ...(o.reason ? { reason: o.reason } : {}),
                ...(o.entry_id ? { entry_id: o.entry_id } : {}),
            })),
        ].sort((a, b) => a.row - b.row);
        const count = (status) => rows.filter((r) => r.status === status).length;
        return {
            added: count('added'),
            duplicate: count('duplicate'),
            invalid: count('invalid'),
            rows: rows.filter((r) => r.status !== 'added'),
        };
    });
    app.get('/v1/banks/:id/export', {
        config: { access: 'banks:read' },
        schema: {
            tags: ['screening'],
            summary: 'The bank as CSV, in the form hash-sharing programmes exchange',
            params,
        },
    }, async (request, reply) => {
        const bank = await findBank(ctx.db, request.params.id);
        const rows = await ctx.db
            .selectFrom('bank_entries')
            .select(['signal_type', 'value', 'quality', 'source', 'added_by', 'added_at', 'case_id', 'note'])
            .where('bank_id', '=', bank.id)
            .where('removed_at', 'is', null)
            .orderBy('added_at')
            .execute();
        return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${bank.name}.csv"`)
            .send(bankCsv(rows));
    });
};
