import { z } from 'zod';
import { invalid } from "../../core/errors.js";
import { acceptMultipart, readMultipart } from "../../notices/multipart.js";
import { Lexicon } from "../lexicon/lexicon.js";
import { hashMediaBytes } from "../media-hashes.js";
import { DIHEDRAL_NAMES } from "../pdq/dihedral.js";
import { SIGNAL_TYPES } from "../signal-types.js";
import { normaliseText } from "../text/normalise.js";
import { simHashToHex, textSha256, textSimHash } from "../text/text-fingerprints.js";
/**
 * Hashing and matching: a file (PDQ with its eight dihedral variants, MD5, SHA-256), text
 * (normalised hash, SimHash, lexicon), links and raw signals, against every enabled bank.
 * Answers with each match's bank, distance and provenance.
 */
const signal = z.strictObject({
    type: z.enum(SIGNAL_TYPES),
    value: z.string().min(1).max(4096),
    quality: z.number().int().min(0).max(100).optional(),
});
export const matchRoutes = async (app, { ctx }) => {
    await acceptMultipart(app);
    const lexicon = Lexicon.default();
    async function fileFrom(request) {
        if (!request.isMultipart())
            throw invalid('send the file as multipart/form-data');
        const { files } = await readMultipart(request);
        if (files.length !== 1)
            throw invalid('send exactly one file');
        return files[0];
    }
    app.post('/v1/hash', {
        config: { access: 'screening:match' },
        schema: {
            tags: ['screening'],
            summary: 'The hashes of a file: PDQ (with quality and the 8 dihedral variants), MD5, SHA-256',
            consumes: ['multipart/form-data'],
        },
    }, async (request) => {
        const file = await fileFrom(request);
        const hashes = await hashMediaBytes(file.data, { dihedral: true });
        return {
            file: file.filename,
            size: file.data.length,
            md5: hashes.md5,
            sha256: hashes.sha256,
            pdq: hashes.pdq,
            quality: hashes.quality,
            pdq_dihedral: hashes.pdqDihedral ?? null,
            ...(hashes.pdqError ? { pdq_error: hashes.pdqError } : {}),
        };
    });
    app.post('/v1/match', {
        config: { access: 'screening:match' },
        schema: {
            tags: ['screening'],
            summary: 'Match signals, text, links, or an uploaded file (multipart) against the enabled banks',
            body: z
                .strictObject({
                signals: z.array(signal).max(1000).optional(),
                text: z.string().max(100_000).optional(),
                urls: z.array(z.string().max(4096)).max(1000).optional(),
                max_distance: z.number().int().min(0).max(64).optional().describe('PDQ radius; 31 by default'),
            })
                // A multipart upload leaves the JSON body empty.
                .nullish(),
        },
    }, async (request) => {
        await ctx.banks.ready();
        const results = [];
        const push = (query, matches) => {
            for (const m of matches)
                results.push({ query, ...m });
        };
        let text = null;
        let file = null;
        if (request.isMultipart()) {
            const upload = await fileFrom(request);
            const hashes = await hashMediaBytes(upload.data, { dihedral: true });
            file = {
                file: upload.filename,
                md5: hashes.md5,
                sha256: hashes.sha256,
                pdq: hashes.pdq,
                quality: hashes.quality,
            };
            push({ type: 'md5', value: hashes.md5 }, ctx.banks.match('md5', hashes.md5));
            push({ type: 'sha256', value: hashes.sha256 }, ctx.banks.match('sha256', hashes.sha256));
            // The dihedral variants find rotated and mirrored copies of a banked image.
            (hashes.pdqDihedral ?? []).forEach((variant, i) => {
                push({ type: 'pdq', value: variant, transform: DIHEDRAL_NAMES[i] }, ctx.banks.match('pdq', variant, { quality: hashes.quality ?? 0 }));
            });
        }
        else {
            const body = request.body ?? {};
            for (const s of body.signals ?? []) {
                const options = {
                    ...(s.quality === undefined ? {} : { quality: s.quality }),
                    ...(body.max_distance === undefined ? {} : { maxDistance: body.max_distance }),
                };
                try {
                    push({ type: s.type, value: s.value }, ctx.banks.match(s.type, s.value, options));
                }
                catch (error) {
                    throw invalid(`signals: ${error.message}`);
                }
            }
            for (const url of body.urls ?? []) {
                try {
                    push({ type: 'url', value: url }, ctx.banks.matchUrl(url));
                }
                catch (error) {
                    throw invalid(`urls: ${error.message}`);
                }
            }
            if (body.text !== undefined) {
                const sha = textSha256(body.text);
                const simhash = simHashToHex(textSimHash(body.text));
                push({ type: 'text_sha256', value: sha }, ctx.banks.match('text_sha256', sha));
                push({ type: 'text_simhash', value: simhash }, ctx.banks.match('text_simhash', simhash));
                const scan = lexicon.scan(body.text);
                text = {
                    text_sha256: sha,
                    text_simhash: simhash,
                    normalised_length: normaliseText(body.text).length,
                    lexicon: scan,
                };
            }
        }
        // One entry matched through several variants is reported once, at its closest.
        const best = new Map();
        for (const r of results) {
            const known = best.get(r.provenance.entry_id);
            if (!known || r.distance < known.distance)
                best.set(r.provenance.entry_id, r);
        }
        return { matches: [...best.values()].sort((a, b) => a.distance - b.distance), file, text };
    });
};
