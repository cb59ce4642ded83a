import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';

/**
 * tapis notices import FILE: bulk intake from a flagger's desk. It talks to a running
 * server through the API, as flaggers have no access to the database: it uploads the
 * file, follows the job with a progress bar, then reports each row.
 *
 * Exit codes: 0 when every row was created or was a duplicate; 2 when the job finished
 * but some rows were invalid (they are listed on stderr); 1 when the import failed.
 */
interface Job {
  job_id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  total: number;
  processed: number;
  created: number;
  duplicate: number;
  invalid: number;
  rows: RowResult[];
  next_after_row: number | null;
}
interface RowResult {
  row: number;
  outcome: 'created' | 'duplicate' | 'invalid';
  notice_id?: string;
  reason?: string;
  errors?: { pointer: string; detail: string }[];
}
interface ImportOptions {
  server: string;
  key?: string;
  format?: 'csv' | 'jsonl';
  out?: string;
  pollMs: string;
}

const contentTypes = { csv: 'text/csv', jsonl: 'application/x-ndjson' } as const;

export function register(program: Command): void {
  const notices = program.command('notices').description('notices');
  notices
    .command('import')
    .description(
      'submit a CSV or JSONL file of notices through the API and follow it to the end; exits 2 if any row was invalid',
    )
    .argument('<file>', 'a .csv, .jsonl or .ndjson file')
    .addOption(
      new Option('--server <url>', 'the tapis server').env('TAPIS_URL').default('http://127.0.0.1:8080'),
    )
    .addOption(new Option('--key <key>', 'an API key of your organisation (tapis_…)').env('TAPIS_API_KEY'))
    .addOption(
      new Option('--format <format>', 'the file format (default: from the extension)').choices([
        'csv',
        'jsonl',
      ]),
    )
    .option('--out <file>', 'write every row result to this file, one JSON object per line')
    .addOption(new Option('--poll-ms <ms>', 'how often to ask for progress').default('500').hideHelp())
    .action(async (file: string, options: ImportOptions) => {
      process.exitCode = await importNotices(file, options);
    });
}

async function importNotices(file: string, options: ImportOptions): Promise<number> {
  if (!options.key) throw new Error('pass --key tapis_… or set TAPIS_API_KEY');
  const format = options.format ?? formatOf(file);
  const body = readFileSync(file);
  const api = client(options.server, options.key);
  // The same file gets the same key: running the command again after a lost connection
  // follows the job already under way instead of submitting the file twice, and resumes a
  // job that failed.
  const key = `import-${createHash('sha256').update(format).update(body).digest('hex').slice(0, 48)}`;
  const accepted = await api<{ job_id: string; total: number }>('POST', '/v1/notices/bulk', {
    body,
    headers: { 'content-type': contentTypes[format], 'idempotency-key': key },
  });
  process.stderr.write(`job ${accepted.job_id}: ${accepted.total} notices from ${path.basename(file)}\n`);

  const job = await follow(api, accepted.job_id, accepted.total, Number(options.pollMs));
  const invalid = await allRows(api, job.job_id, 'invalid');
  for (const r of invalid) process.stderr.write(`row ${r.row}: ${r.reason ?? 'invalid'}\n`);
  if (options.out) {
    const rows = await allRows(api, job.job_id);
    writeFileSync(options.out, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  }
  process.stdout.write(
    `${job.total} notices: ${job.created} created, ${job.duplicate} duplicate, ${job.invalid} invalid (job ${job.job_id})\n`,
  );
  return job.invalid > 0 ? 2 : 0;
}

function formatOf(file: string): 'csv' | 'jsonl' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(`cannot tell the format of ${file} from its name; pass --format csv or --format jsonl`);
}

type Api = <T>(
  method: string,
  url: string,
  init?: { body?: Buffer; headers?: Record<string, string> },
) => Promise<T>;

function client(server: string, key: string): Api {
  const base = server.replace(/\/+$/, '');
  return async (method, url, init = {}) => {
    let response: Response;
    try {
      response = await fetch(`${base}${url}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...init.headers },
        ...(init.body ? { body: init.body } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `cannot reach tapis at ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const problem = safeJson(text) as { detail?: string } | null;
      throw new Error(`${method} ${url}: ${response.status} ${problem?.detail ?? text.slice(0, 200)}`);
    }
    return JSON.parse(text);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Polls the job's counters until it is done, with a progress bar on a terminal. */
async function follow(api: Api, id: string, total: number, pollMs: number): Promise<Job> {
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      'importing [{bar}] {value}/{total} rows | {created} created, {duplicate} duplicate, {invalid} invalid',
    hideCursor: true,
  });
  bar.start(total, 0, { created: 0, duplicate: 0, invalid: 0 });
  try {
    for (;;) {
      const job = await api<Job>('GET', `/v1/notices/bulk/${id}?limit=0`);
      bar.update(job.processed, { created: job.created, duplicate: job.duplicate, invalid: job.invalid });
      if (job.status === 'done') return job;
      if (job.status === 'failed')
        throw new Error(
          `job ${id} failed after ${job.processed} of ${job.total} rows: ${job.error ?? 'no reason given'}; run the same command again to resume it`,
        );
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    bar.stop();
  }
}

async function allRows(api: Api, id: string, outcome?: RowResult['outcome']): Promise<RowResult[]> {
  const rows: RowResult[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: Job = await api<Job>(
      'GET',
      `/v1/notices/bulk/${id}?limit=1000&after_row=${after}${outcome ? `&outcome=${outcome}` : ''}`,
    );
    rows.push(...page.rows);
    after = page.next_after_row;
  }
  return rows;
}
