import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../src/store/db.ts';
import { runCli } from '../support/cli.ts';
import { adminQuery, onPostgres } from '../support/store.ts';

/**
 * Nothing acknowledged is lost: `tapis serve` is killed with SIGKILL in the middle of a
 * stream of submissions, restarted, and every notice that got a 201 is there, with its
 * targets, its receipt and its audit entry, and the audit chain still verifies. A notice
 * whose 201 never arrived may or may not have been stored (its commit may have landed just
 * before the kill); the reverse, a 201 for a notice that is not stored, is the failure.
 *
 * PostgreSQL only (CI sets TEST_DATABASE_URL): the embedded PGlite is one process's file,
 * and its durability is PGlite's, not tapis's.
 */
const url = process.env.TEST_DATABASE_URL;
const bin = path.resolve(import.meta.dirname, '../../bin/tapis.js');
const schema = `test_crash_${randomBytes(4).toString('hex')}`;
const env = {
  DATABASE_URL: url ?? '',
  DATABASE_SCHEMA: schema,
  LOG_LEVEL: 'warn',
  // One key sends the whole stream; the rate limits are not under test here.
  TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '10000000',
  TAPIS_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
};
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (url) await adminQuery(url, `drop schema if exists ${quoteIdent(schema)} cascade`);
});

async function serve(
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const base = /tapis is running at (http:\/\/\S+)/.exec(output)?.[1];
    if (base && (await fetch(`${base}/readyz`).catch(() => null))?.status === 200)
      return { child, url: base, output: () => output };
    if (child.exitCode !== null) throw new Error(`tapis exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready within 30 s: ${output}`);
}

interface Acknowledged {
  notice_id: string;
  receipt: string;
  target: string;
}

const TOTAL = 1500;
const CONCURRENCY = 24;
const KILL_AFTER = 300;

describe('a server killed in the middle of a stream of notices', () => {
  it.skipIf(!onPostgres)(
    'has stored every notice it acknowledged (PostgreSQL only: set TEST_DATABASE_URL)',
    async () => {
      const first = await serve(['--demo']);
      const created = await runCli(['key', 'create', '--org', 'komdigi', '--name', 'crash-test'], env);
      expect(created.code, created.stderr).toBe(0);
      const key = created.stdout.trim();

      const run = randomBytes(3).toString('hex');
      const acknowledged: Acknowledged[] = [];
      const refused: { status: number; body: string }[] = [];
      let failed = 0;
      let next = 0;
      let killed = false;
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        first.child.once('exit', (_code, signal) => resolve(signal)),
      );

      // Each sender submits notices one after another until the server is gone.
      const sender = async () => {
        while (next < TOTAL) {
          const i = next++;
          const target = `https://t.me/crash_${run}_${i}/${i + 1}`;
          try {
            const response = await fetch(`${first.url}/v1/notices`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
              body: JSON.stringify({
                targets: [target],
                category: 'terrorism',
                legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
                explanation: 'Crash test notice: the post recruits for a designated terrorist organisation.',
                reference: `CRASH-${run}-${i}`,
                good_faith: true,
              }),
              signal: AbortSignal.timeout(15_000),
            });
            const body = await response.text();
            if (response.status !== 201) {
              refused.push({ status: response.status, body });
              continue;
            }
            const receipt = JSON.parse(body) as { notice_id: string; receipt: string };
            acknowledged.push({ notice_id: receipt.notice_id, receipt: receipt.receipt, target });
            if (acknowledged.length >= KILL_AFTER && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          } catch {
            // Refused connections and answers cut off by the kill: not acknowledged.
            failed += 1;
            if (killed) return;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, sender));

      expect(await exited).toBe('SIGKILL');
      expect(refused).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
      // The kill cut the stream: some requests were under way or never sent.
      expect(failed + (TOTAL - next)).toBeGreaterThan(0);

      const second = await serve();
      const ids = acknowledged.map((a) => a.notice_id);
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        const notices = await client.query<{
          id: string;
          receipt: string;
          raw: string;
          case_id: string | null;
        }>(
          `select n.id, n.receipt, t.raw, t.case_id
           from notices n join notice_targets t on t.notice_id = n.id and t.idx = 0
           where n.id = any($1::uuid[])`,
          [ids],
        );
        const stored = new Map(notices.rows.map((row) => [row.id, row]));
        const missing = acknowledged.filter((a) => !stored.has(a.notice_id));
        expect(missing, 'acknowledged but not stored').toEqual([]);
        for (const a of acknowledged) {
          const row = stored.get(a.notice_id)!;
          expect(row.receipt).toBe(a.receipt);
          expect(row.raw).toBe(a.target);
          expect(row.case_id).not.toBeNull();
        }
        // Whatever else is stored was sent and cut off by the kill after its commit.
        const sent = await client.query<{ n: number }>(
          `select count(*)::int as n from notices where reference like $1`,
          [`CRASH-${run}-%`],
        );
        expect(sent.rows[0]!.n - acknowledged.length).toBeLessThanOrEqual(failed);
        const audited = await client.query<{ object_id: string }>(
          `select object_id from audit_log where action = 'notice.received' and object_id = any($1::text[])`,
          [ids],
        );
        expect(new Set(audited.rows.map((r) => r.object_id)).size).toBe(ids.length);
        const received = await client.query<{ notice_id: string }>(
          `select notice_id from notice_events where type = 'notice.received' and notice_id = any($1::uuid[])`,
          [ids],
        );
        expect(new Set(received.rows.map((r) => r.notice_id)).size).toBe(ids.length);
      } finally {
        await client.end();
      }

      // The restarted server serves them: the last ones acknowledged, closest to the kill.
      for (const a of acknowledged.slice(-20)) {
        const response = await fetch(`${second.url}/v1/notices/${a.notice_id}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ id: a.notice_id, receipt: a.receipt });
      }

      const verified = await runCli(['audit', 'verify'], env);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(/audit chain intact/);

      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    },
    120_000,
  );
});
