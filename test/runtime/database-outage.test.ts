import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { quoteIdent } from '../../src/store/db.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { runCli } from '../support/cli.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { adminQuery, onPostgres } from '../support/store.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

/**
 * The database goes away under load and comes back (issue 15, decision 0015). `tapis serve`
 * runs as a child process whose DATABASE_URL points at a TCP proxy this test controls, in
 * front of the shared PostgreSQL server (which is never stopped). The outage has two halves:
 * a partition (sockets open, nothing answers: only timeouts end the wait), then a stopped
 * server (connections cut and refused). Throughout, every request is answered within 5 s,
 * with 201 or with a 503 problem document carrying Retry-After, never a 500; /readyz names
 * the database check and why it fails; when the database returns, the service resumes by
 * itself, its outbox workers too, and every notice acknowledged with a 201 is stored.
 *
 * CI runs an 8 s outage; TAPIS_OUTAGE_SECONDS=30 runs the issue's full 30 s.
 * PostgreSQL only: the embedded PGlite lives in the process and cannot be cut off.
 */
const url = process.env.TEST_DATABASE_URL;
const OUTAGE_MS = Number(process.env.TAPIS_OUTAGE_SECONDS ?? 8) * 1000;
const SENDERS = 6;
const ANSWER_WITHIN_MS = 5_000;
const schema = `test_outage_${randomBytes(4).toString('hex')}`;

interface Answer {
  phase: 'before' | 'partition' | 'stopped' | 'after';
  status: number | 'no answer';
  ms: number;
  retryAfter: string | null;
  contentType: string | null;
  problemType?: string;
  noticeId?: string;
  /** The server's id for the request (a problem document carries it), to find its log line. */
  requestId?: string;
  at: number;
}

let proxy: TcpProxy;
let server: ChildServer;
let receiver: Receiver;
let key: string;
let directEnv: Record<string, string>;

beforeAll(async () => {
  if (!url) return;
  const target = new URL(url);
  proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(url);
  proxied.port = String(proxy.port);
  directEnv = { DATABASE_URL: url, DATABASE_SCHEMA: schema };
  receiver = await startReceiver();
  server = await startChildServer(
    {
      DATABASE_URL: proxied.toString(),
      DATABASE_SCHEMA: schema,
      // Tighter than the defaults (3 s, 4 s), so that even a loaded CI machine answers
      // well within the 5 s the issue asks for; the defaults are within it on their own.
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      TAPIS_OUTBOX_LEASE_SECONDS: '15',
      TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
      TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '10000000',
      TAPIS_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
    },
    ['--demo'],
  );
  const created = await runCli(['key', 'create', '--org', 'komdigi', '--name', 'outage-test'], directEnv);
  if (created.code !== 0) throw new Error(created.stderr);
  key = created.stdout.trim();
  // The flagger's webhook: its deliveries show the outbox workers at work after the outage.
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@komdigi.example', password: DEMO_PASSWORD }),
  });
  const cookie = /tapis_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const hook = await fetch(`${server.url}/v1/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
    body: JSON.stringify({ url: receiver.url, description: 'outage test receiver' }),
  });
  if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${await hook.text()}`);
}, 120_000);

afterAll(async () => {
  if (!url) return;
  await server?.stop();
  await proxy?.stop();
  await receiver?.close();
  await adminQuery(url, `drop schema if exists ${quoteIdent(schema)} cascade`);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a database outage under load', () => {
  it.skipIf(!onPostgres)(
    'answers 503 with Retry-After within 5 s, says why at /readyz, resumes by itself and loses nothing (PostgreSQL only: set TEST_DATABASE_URL)',
    async () => {
      let phase: Answer['phase'] = 'before';
      let sending = true;
      const answers: Answer[] = [];
      const run = randomBytes(3).toString('hex');
      let next = 0;

      const submit = async (): Promise<void> => {
        const i = next++;
        const began = performance.now();
        const startedIn = phase;
        const answer: Answer = {
          phase: startedIn,
          status: 'no answer',
          ms: 0,
          retryAfter: null,
          contentType: null,
          at: Date.now(),
        };
        try {
          const response = await fetch(`${server.url}/v1/notices`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({
              targets: [`https://t.me/outage_${run}_${i}/${i + 1}`],
              category: 'terrorism',
              explanation: 'Synthetic outage test notice: recruitment for a designated group.',
              reference: `OUTAGE-${run}-${i}`,
              good_faith: true,
            }),
            signal: AbortSignal.timeout(20_000),
          });
          const body = (await response.json()) as { notice_id?: string; type?: string; request_id?: string };
          Object.assign(answer, {
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            contentType: response.headers.get('content-type'),
            problemType: body.type,
            noticeId: response.status === 201 ? body.notice_id : undefined,
            requestId: body.request_id,
          });
        } catch {
          // No answer within 20 s: the hang this test is here to catch.
        }
        answer.ms = performance.now() - began;
        answers.push(answer);
      };
      const sender = async () => {
        while (sending) {
          await submit();
          // A client told to come back later does not hammer the server meanwhile.
          if (answers.at(-1)?.status === 503) await sleep(100);
        }
      };
      const senders = Array.from({ length: SENDERS }, sender);

      await sleep(2_000);
      expect(
        answers.filter((a) => a.status === 201).length,
        'notices accepted before the outage',
      ).toBeGreaterThan(0);

      // The partition: the server's sockets stay open and silent.
      phase = 'partition';
      await proxy.blackhole();
      await sleep(Math.min(3_000, OUTAGE_MS / 2));
      const partitionReady = await readiness();
      await sleep(Math.max(0, OUTAGE_MS / 2 - 3_000));

      // The stopped server: every connection cut, new ones refused.
      phase = 'stopped';
      await proxy.refuse();
      await sleep(Math.min(2_000, OUTAGE_MS / 2));
      const stoppedReady = await readiness();
      await sleep(Math.max(0, OUTAGE_MS / 2 - 2_000));

      phase = 'after';
      const restoredAt = Date.now();
      await proxy.restore();
      let ready = await readiness();
      while (ready.status !== 200 && Date.now() - restoredAt < 30_000) {
        await sleep(200);
        ready = await readiness();
      }
      const recoveredAfterMs = Date.now() - restoredAt;
      // Load goes on after the recovery, and is accepted again.
      const deadline = Date.now() + 30_000;
      while (
        answers.filter((a) => a.status === 201 && a.at >= restoredAt + recoveredAfterMs).length < 20 &&
        Date.now() < deadline
      )
        await sleep(100);
      sending = false;
      await Promise.all(senders);

      const during = answers.filter((a) => a.phase === 'partition' || a.phase === 'stopped');
      const slowest = Math.max(...answers.map((a) => a.ms));
      process.stdout.write(
        `database outage of ${OUTAGE_MS / 1000} s: ${answers.length} requests, ` +
          `${answers.filter((a) => a.status === 201).length} accepted, ${answers.filter((a) => a.status === 503).length} answered 503, ` +
          `slowest answer ${Math.round(slowest)} ms, ready again ${recoveredAfterMs} ms after the database returned (under load)\n`,
      );

      // The slowest answers, and what the server logged about them: which wait was long.
      const log = server.output().split('\n');
      for (const slow of [...answers].sort((a, b) => b.ms - a.ms).slice(0, 3)) {
        const line = slow.requestId ? log.find((l) => l.includes(slow.requestId!)) : undefined;
        const reason = line ? /"reason":"([^"]*)"/.exec(line)?.[1] : undefined;
        process.stdout.write(
          `  slow: ${Math.round(slow.ms)} ms, ${slow.status}, sent in the ${slow.phase} phase` +
            `${reason ? `, logged: ${reason}` : ''}\n`,
        );
      }

      // Only 201 or 503, never a 500, never a hang.
      expect(answers.filter((a) => a.status !== 201 && a.status !== 503)).toEqual([]);
      expect(slowest, 'the slowest answer, in ms').toBeLessThan(ANSWER_WITHIN_MS);
      // Each phase of the outage was answered 503, with the problem document and Retry-After.
      for (const half of ['partition', 'stopped'] as const)
        expect(during.filter((a) => a.phase === half && a.status === 503).length, half).toBeGreaterThan(0);
      for (const refused of answers.filter((a) => a.status === 503)) {
        expect(refused.contentType).toMatch(/^application\/problem\+json/);
        expect(refused.problemType).toBe('/problems/unavailable');
        expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      }

      // /readyz says it is the database, and why, in both halves.
      for (const probe of [partitionReady, stoppedReady]) {
        expect(probe.status).toBe(503);
        expect(probe.ms).toBeLessThan(ANSWER_WITHIN_MS);
        expect(probe.retryAfter).not.toBeNull();
        expect(probe.body).toMatchObject({
          type: '/problems/unavailable',
          checks: { database: { status: 'failing', detail: expect.any(String) } },
        });
      }
      expect(stoppedReady.body.checks.database.detail).toMatch(/ECONNREFUSED|terminated|timeout/i);
      expect(ready.status, 'ready again after the outage').toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
      expect(server.child.exitCode, 'the server process is still running').toBeNull();

      // Nothing acknowledged is lost.
      const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.noticeId!);
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        const stored = await client.query<{ id: string }>(
          'select id from notices where id = any($1::uuid[])',
          [acknowledged],
        );
        expect(stored.rows.length, 'acknowledged notices stored').toBe(acknowledged.length);

        // The outbox workers came back by themselves: every acknowledged notice's event
        // reaches the flagger's webhook (a delivery cut off by the outage waits for its lease).
        const want = new Set(acknowledged);
        const waitUntil = Date.now() + 45_000;
        const delivered = () =>
          new Set(
            receiver.received
              .map((r) => JSON.parse(r.body) as { type: string; notice_id: string })
              .filter((event) => event.type === 'notice.received')
              .map((event) => event.notice_id),
          );
        while ([...want].some((id) => !delivered().has(id)) && Date.now() < waitUntil) await sleep(250);
        expect(
          [...want].filter((id) => !delivered().has(id)),
          'acknowledged notices never announced',
        ).toEqual([]);
      } finally {
        await client.end();
      }
    },
    180_000,
  );
});

async function readiness(): Promise<{
  status: number;
  ms: number;
  retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever /readyz sent.
  body: any;
}> {
  const began = performance.now();
  try {
    const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(20_000) });
    return {
      status: response.status,
      ms: performance.now() - began,
      retryAfter: response.headers.get('retry-after'),
      body: await response.json(),
    };
  } catch (error) {
    return { status: 0, ms: performance.now() - began, retryAfter: null, body: { error: String(error) } };
  }
}
