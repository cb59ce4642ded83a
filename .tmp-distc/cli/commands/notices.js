import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Option } from 'commander';
const contentTypes = { csv: 'text/csv', jsonl: 'application/x-ndjson' };
export function register(program) {
    const notices = program.command('notices').description('notices');
    notices
        .command('import')
        .description('submit a CSV or JSONL file of notices through the API and follow it to the end; exits 2 if any row was invalid')
        .argument('<file>', 'a .csv, .jsonl or .ndjson file')
        .addOption(new Option('--server <url>', 'the tapis server').env('TAPIS_URL').default('http://127.0.0.1:8080'))
        .addOption(new Option('--key <key>', 'an API key of your organisation (tapis_…)').env('TAPIS_API_KEY'))
        .addOption(new Option('--format <format>', 'the file format (default: from the extension)').choices([
        'csv',
        'jsonl',
    ]))
        .option('--out <file>', 'write every row result to this file, one JSON object per line')
        .addOption(new Option('--poll-ms <ms>', 'how often to ask for progress').default('500').hideHelp())
        .action(async (file, options) => {
        process.exitCode = await importNotices(file, options);
    });
}
async function importNotices(file, options) {
    if (!options.key)
        throw new Error('pass --key tapis_… or set TAPIS_API_KEY');
    const format = options.format ?? formatOf(file);
    const body = readFileSync(file);
    const api = client(options.server, options.key);
    // The same file gets the same key: running the command again after a lost connection
    // follows the job already under way instead of submitting the file twice, and resumes a
    // job that failed.
    const key = `import-${createHash('sha256').update(format).update(body).digest('hex').slice(0, 48)}`;
    const accepted = await api('POST', '/v1/notices/bulk', {
        body,
        headers: { 'content-type': contentTypes[format], 'idempotency-key': key },
    });
    process.stderr.write(`job ${accepted.job_id}: ${accepted.total} notices from ${path.basename(file)}\n`);
    const job = await follow(api, accepted.job_id, accepted.total, Number(options.pollMs));
    const invalid = await allRows(api, job.job_id, 'invalid');
    for (const r of invalid)
        process.stderr.write(`row ${r.row}: ${r.reason ?? 'invalid'}\n`);
    if (options.out) {
        const rows = await allRows(api, job.job_id);
        writeFileSync(options.out, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
    }
    process.stdout.write(`${job.total} notices: ${job.created} created, ${job.duplicate} duplicate, ${job.invalid} invalid (job ${job.job_id})\n`);
    return job.invalid > 0 ? 2 : 0;
}
function formatOf(file) {
    const ext = path.extname(file).toLowerCase();
    if (ext === '.csv')
        return 'csv';
    if (ext === '.jsonl' || ext === '.ndjson')
        return 'jsonl';
    throw new Error(`cannot tell the format of ${file} from its name; pass --format csv or --format jsonl`);
}
function client(server, key) {
    const base = server.replace(/\/+$/, '');
    return async (method, url, init = {}) => {
        let response;
        try {
            response = await fetch(`${base}${url}`, {
                method,
                headers: { authorization: `Bearer ${key}`, ...init.headers },
                ...(init.body ? { body: init.body } : {}),
            });
        }
        catch (error) {
            const cause = error.cause;
            throw new Error(`cannot reach tapis at ${base}: ${cause?.code ?? cause?.message ?? error.message}`);
        }
        const text = await response.text();
        if (!response.ok) {
            const problem = safeJson(text);
            throw new Error(`${method} ${url}: ${response.status} ${problem?.detail ?? text.slice(0, 200)}`);
        }
        return JSON.parse(text);
    };
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return null;
    }
}
/** Polls the job's counters until it is done, with a progress bar on a terminal. */
async function follow(api, id, total, pollMs) {
    const bar = new SingleBar({
        stream: process.stderr,
        format: 'importing [{bar}] {value}/{total} rows | {created} created, {duplicate} duplicate, {invalid} invalid',
        hideCursor: true,
    });
    bar.start(total, 0, { created: 0, duplicate: 0, invalid: 0 });
    try {
        for (;;) {
            const job = await api('GET', `/v1/notices/bulk/${id}?limit=0`);
            bar.update(job.processed, { created: job.created, duplicate: job.duplicate, invalid: job.invalid });
            if (job.status === 'done')
                return job;
            if (job.status === 'failed')
                throw new Error(`job ${id} failed after ${job.processed} of ${job.total} rows: ${job.error ?? 'no reason given'}; run the same command again to resume it`);
            await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
    }
    finally {
        bar.stop();
    }
}
async function allRows(api, id, outcome) {
    const rows = [];
    let after = 0;
    while (after !== null) {
        const page = await api('GET', `/v1/notices/bulk/${id}?limit=1000&after_row=${after}${outcome ? `&outcome=${outcome}` : ''}`);
        rows.push(...page.rows);
        after = page.next_after_row;
    }
    return rows;
}
