import { randomBytes, randomInt } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import { openStore, quoteIdent, type Store } from '../../src/store/db.ts';
import { type ChildServer, launchChildServer, startChildServer } from '../support/child-server.ts';
import { runCli } from '../support/cli.ts';
import { FakePlatformApi } from '../support/fake-platform-api.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { adminQuery, onPostgres } from '../support/store.ts';

/**
 * Crash consistency (issue 15, decision 0015). `tapis serve` runs as a child process on a
 * PostgreSQL database of this test's own, under a mixed workload: notices, bulk uploads,
 * decisions enforced through the webhook connector against a local double of the platform,
 * flagger webhooks to a local receiver, and appeals upheld (which revert). It is killed with
 * SIGKILL at random moments — under load, and at times before it is even ready — and started
 * again, TAPIS_CRASH_KILLS times (20 in CI; set more for a longer run).
 *
 * After each kill, from the database itself: every notice, bulk job, decision and appeal
 * that was acknowledged is stored; every decision and decided appeal has its audit entry;
 * every action still to do has its outbox message (none lost); the platform never applied
 * an action twice, nor one tapis does not know; the audit chain verifies. At the end, with
 * the server left running: every action is applied (or reverted) on the platform exactly
 * once, every bulk row was processed once, and every notice reached the flagger's webhook.
 *
 * PostgreSQL only: the embedded PGlite lives inside the process being killed.
 */
const url = process.env.TEST_DATABASE_URL;
const KILLS = Number(process.env.TAPIS_CRASH_KILLS ?? 20);
const SECRET = 'crash-test-platform-webhook-secret';
const database = `tapis_crash_${process.pid}_${randomBytes(2).toString('hex')}`;
const run = randomBytes(3).toString('hex');
const grounds = {
  illegal: {
    legal_ground: 'UU No. 5 Tahun 2018',
    explanation: 'Synthetic: propaganda of a designated group.',
  },
};

let crashUrl: string;
let env: Record<string, string>;
let platform: FakePlatformApi;
let receiver: Receiver;
let store: Store;
let server: ChildServer | null = null;
let key = '';
const sessions: Record<'peninjau' | 'penelaah' | 'flaggerAdmin', { cookie: string; csrf: string }> =
  {} as never;

/** What the server acknowledged: a 2xx answer reached us. */
const acked = {
  notices: [] as { notice_id: string; case_id: string }[],
  bulkJobs: [] as { job_id: string; rows: number }[],
  decisions: [] as { decision_id: string; case_id: string; statement: string }[],
  appeals: [] as { appeal_id: string; decided: boolean }[],
};
/** Cases whose decision was attempted but not acknowledged: tried again after the restart. */
const undecided: string[] = [];

beforeAll(async () => {
  if (!url) return;
  await adminQuery(url, `create database ${quoteIdent(database)}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  crashUrl = target.toString();
  platform = await FakePlatformApi.start({ secret: SECRET });
  receiver = await startReceiver();
  env = {
    DATABASE_URL: crashUrl,
    DATABASE_SCHEMA: '',
    TAPIS_PLATFORM_WEBHOOK_URL: platform.url,
    TAPIS_PLATFORM_WEBHOOK_SECRET: SECRET,
    TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
    // A delivery cut off by a kill is taken again after its lease: the shortest allowed.
    TAPIS_OUTBOX_LEASE_SECONDS: '15',
    TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '10000000',
    TAPIS_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
  };
  const seeded = await runCli(['seed-demo'], env);
  if (seeded.code !== 0) throw new Error(seeded.stderr);
  const created = await runCli(['key', 'create', '--org', 'komdigi', '--name', 'crash-test'], env);
  if (created.code !== 0) throw new Error(created.stderr);
  key = created.stdout.trim();
  store = await openStore({ databaseUrl: crashUrl, poolSize: 2 });
  server = await startChildServer(env);
  sessions.peninjau = await login('peninjau@platform.example');
  sessions.penelaah = await login('penelaah@platform.example');
  sessions.flaggerAdmin = await login('admin@komdigi.example');
  const hook = await call('POST', '/v1/webhooks', sessions.flaggerAdmin, {
    url: receiver.url,
    description: 'crash test receiver',
  });
  if (hook.status !== 201) throw new Error(`webhook: ${hook.status}`);
}, 180_000);

afterAll(async () => {
  if (!url) return;
  await server?.kill();
  await store?.close();
  await platform?.stop();
  await receiver?.close();
  await adminQuery(url, `drop database if exists ${quoteIdent(database)} with (force)`);
});

async function login(email: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${server!.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const cookie = /tapis_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
  return { cookie, csrf: ((await response.json()) as { csrf_token: string }).csrf_token };
}

type As = { cookie: string; csrf: string } | 'key' | null;

/** A request to the server running now; a refused or cut-off one is status 0. */
async function call(
  method: string,
  path: string,
  as: As,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field.
): Promise<{ status: number; json: any }> {
  const all: Record<string, string> = { ...headers };
  if (as === 'key') all.authorization = `Bearer ${key}`;
  else if (as) Object.assign(all, { cookie: as.cookie, 'x-csrf-token': as.csrf });
  if (body !== undefined && typeof body !== 'string') all['content-type'] = 'application/json';
  try {
    const response = await fetch(`${server!.url}${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (response.status >= 300)
      refusals.push(`${response.status} ${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}: ${json?.detail}`);
    return { status: response.status, json };
  } catch {
    return { status: 0, json: null };
  }
}

const notice = (target: string, reference: string) => ({
  targets: [target],
  category: 'terrorism',
  explanation: 'Synthetic crash-test notice: recruitment for a designated group.',
  reference,
  good_faith: true,
});

/** The mixed workload, until `running()` says stop (the server is about to be, or was, killed). */
function workload(running: () => boolean): Promise<unknown> {
  let n = 0;
  const intake = async () => {
    while (running()) {
      const i = `${Date.now().toString(36)}${n++}`;
      const answer = await call(
        'POST',
        '/v1/notices',
        'key',
        notice(`https://t.me/crash_${run}_${i}/1`, `C-${run}-${i}`),
      );
      if (answer.status === 201)
        acked.notices.push({ notice_id: answer.json.notice_id, case_id: answer.json.targets[0].case_id });
      else if (answer.status === 0) return;
    }
  };
  const bulk = async () => {
    while (running()) {
      const j = `${Date.now().toString(36)}${n++}`;
      const lines = Array.from({ length: 10 }, (_, r) =>
        JSON.stringify(notice(`https://t.me/crashb_${run}_${j}/${r + 1}`, `B-${run}-${j}-${r}`)),
      );
      const answer = await call('POST', '/v1/notices/bulk', 'key', `${lines.join('\n')}\n`, {
        'content-type': 'application/x-ndjson',
        'idempotency-key': `bulk-${run}-${j}`,
      });
      if (answer.status === 202) acked.bulkJobs.push({ job_id: answer.json.job_id, rows: 10 });
      else if (answer.status === 0) return;
    }
  };
  const decide = async () => {
    while (running()) {
      const caseId = undecided.shift() ?? acked.notices.find((a) => !tried.has(a.case_id))?.case_id;
      if (!caseId) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      tried.add(caseId);
      const claim = await call('POST', `/v1/cases/${caseId}/claim`, sessions.peninjau);
      if (claim.status === 0) return void undecided.push(caseId);
      const answer = await call('POST', `/v1/cases/${caseId}/decisions`, sessions.peninjau, {
        outcome: 'remove',
        grounds,
      });
      if (answer.status === 201)
        acked.decisions.push({
          decision_id: answer.json.decision_id,
          case_id: caseId,
          statement: new URL(answer.json.statement_url).pathname,
        });
      else if (answer.status === 0) return void undecided.push(caseId);
    }
  };
  const appeal = async () => {
    while (running()) {
      // An appeal lodged earlier is decided once its decision's enforcement has settled.
      const open = acked.appeals.find((a) => !a.decided && !attempted.has(a.appeal_id));
      if (open) {
        attempted.add(open.appeal_id);
        const claim = await call('POST', `/v1/appeals/${open.appeal_id}/claim`, sessions.penelaah);
        if (claim.status === 0) return;
        const decided = await call('POST', `/v1/appeals/${open.appeal_id}/decision`, sessions.penelaah, {
          outcome: 'upheld',
          reasons: 'Synthetic: on review the post reports on the group rather than promoting it.',
        });
        if (decided.status === 200) open.decided = true;
        else if (decided.status === 0) return;
        continue;
      }
      attempted.clear();
      // Every third decision is appealed by the affected user; each appeal is upheld.
      const target = acked.decisions.find((d, i) => i % 3 === 0 && !appealed.has(d.decision_id));
      if (!target) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      appealed.add(target.decision_id);
      const lodged = await call('POST', `${target.statement}/appeal`, null, {
        grounds: 'Synthetic appeal: this is news reporting about the group.',
      });
      if (lodged.status === 201) acked.appeals.push({ appeal_id: lodged.json.appeal_id, decided: false });
      else if (lodged.status === 0) return;
    }
  };
  return Promise.all([intake(), intake(), intake(), bulk(), decide(), decide(), appeal()]);
}
/** Answers other than 2xx, for the record (a refused claim, an appeal while enforcement runs). */
const refusals: string[] = [];
const tried = new Set<string>();
const appealed = new Set<string>();
const attempted = new Set<string>();

async function rows<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: crashUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** What must hold after every crash: nothing acknowledged lost, nothing done twice, the chain whole. */
async function checkConsistency(after: string): Promise<void> {
  const missing = async (table: string, ids: string[]) =>
    (
      await rows<{ id: string }>(
        `select x.id from unnest($1::uuid[]) as x(id) where not exists (select 1 from ${table} t where t.id = x.id)`,
        [ids],
      )
    ).map((r) => r.id);
  expect(
    await missing(
      'notices',
      acked.notices.map((a) => a.notice_id),
    ),
    `${after}: notices lost`,
  ).toEqual([]);
  expect(
    await missing(
      'bulk_jobs',
      acked.bulkJobs.map((a) => a.job_id),
    ),
    `${after}: bulk jobs lost`,
  ).toEqual([]);
  expect(
    await missing(
      'decisions',
      acked.decisions.map((a) => a.decision_id),
    ),
    `${after}: decisions lost`,
  ).toEqual([]);
  expect(
    await missing(
      'appeals',
      acked.appeals.map((a) => a.appeal_id),
    ),
    `${after}: appeals lost`,
  ).toEqual([]);
  const undecidedAppeals = await rows(
    `select id from appeals where id = any($1::uuid[]) and status <> 'decided'`,
    [acked.appeals.filter((a) => a.decided).map((a) => a.appeal_id)],
  );
  expect(undecidedAppeals, `${after}: appeal decisions lost`).toEqual([]);

  // Every notice, decision and decided appeal stored has its audit entry.
  expect(
    await rows(
      `select n.id from notices n where not exists (
         select 1 from audit_log a where a.action = 'notice.received' and a.object_id = n.id::text)`,
    ),
    `${after}: notices without their audit entry`,
  ).toEqual([]);
  expect(
    await rows(
      `select d.id from decisions d where not exists (
         select 1 from audit_log a where a.action = 'case.decided' and a.change->>'decision_id' = d.id::text)`,
    ),
    `${after}: decisions without their audit entry`,
  ).toEqual([]);
  expect(
    await rows(
      `select p.id from appeals p where p.status = 'decided' and not exists (
         select 1 from audit_log a where a.action = 'case.appeal_decided' and a.change->>'appeal_id' = p.id::text)`,
    ),
    `${after}: decided appeals without their audit entry`,
  ).toEqual([]);

  // No action lost: each removal has its actions, and each action still to do its message.
  expect(
    await rows(
      `select d.id from decisions d where d.outcome = 'remove'
         and not exists (select 1 from enforcement_actions e where e.decision_id = d.id)`,
    ),
    `${after}: decisions without their actions`,
  ).toEqual([]);
  expect(
    await rows(
      `select e.id, e.status from enforcement_actions e
       where e.status in ('pending', 'revert_pending') and not exists (
         select 1 from outbox o where o.status = 'pending' and o.payload->>'action_id' = e.id::text
           and o.topic = case e.status when 'pending' then 'enforcement.apply' else 'enforcement.revert' end)`,
    ),
    `${after}: actions waiting with no message to carry them`,
  ).toEqual([]);
  // Nothing doubled: one decision per case, one action of a kind per decision.
  expect(
    await rows(`select case_id from decisions group by case_id having count(*) > 1`),
    `${after}: cases decided twice`,
  ).toEqual([]);
  expect(
    await rows(`select decision_id, type from enforcement_actions group by 1, 2 having count(*) > 1`),
    `${after}: actions doubled`,
  ).toEqual([]);
  expect(
    await rows(`select reference from notices where reference like $1 group by 1 having count(*) > 1`, [
      `B-${run}-%`,
    ]),
    `${after}: bulk rows created twice`,
  ).toEqual([]);
  await checkPlatform(after, false);

  const chain = await verifyAuditChain(store.db);
  expect(chain.fault, `${after}: audit chain`).toBeNull();
  expect(chain.ok).toBe(true);
}

/**
 * The platform double's view: it never applied an action twice (by its id, or the same
 * kind on the same subject twice) nor one tapis does not know; at the end, it applied or
 * reverted exactly what tapis says it did.
 */
async function checkPlatform(after: string, final: boolean): Promise<void> {
  const actions = await rows<{ id: string; status: string; type: string; key: string }>(
    `select id, status, type, subject->>'key' as key from enforcement_actions where connector = 'webhook'`,
  );
  const known = new Map(actions.map((a) => [a.id, a]));
  const count = new Map<string, number>();
  for (const effect of platform.effects) {
    expect(known.has(effect.action_id), `${after}: the platform applied an action tapis does not know`).toBe(
      true,
    );
    for (const k of [
      `${effect.action_id}:${effect.operation}`,
      `${effect.type}|${effect.key}|${effect.operation}`,
    ])
      count.set(k, (count.get(k) ?? 0) + 1);
  }
  expect(
    [...count].filter(([, n]) => n > 1),
    `${after}: applied twice on the platform`,
  ).toEqual([]);
  for (const action of actions) {
    const applied = count.get(`${action.id}:apply`) ?? 0;
    const reverted = count.get(`${action.id}:revert`) ?? 0;
    // tapis marks an action applied only after the platform said so.
    if (action.status === 'applied') expect(applied, `${after}: ${action.id} applied`).toBe(1);
    if (action.status === 'reverted')
      expect([applied, reverted], `${after}: ${action.id} reverted`).toEqual([1, 1]);
    if (final)
      expect(['applied', 'reverted'], `${after}: ${action.id} left ${action.status}`).toContain(
        action.status,
      );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a server killed with SIGKILL again and again under a mixed workload', () => {
  it.skipIf(!onPostgres)(
    `loses nothing acknowledged, doubles no action and keeps the audit chain whole (${KILLS} kills; PostgreSQL only: set TEST_DATABASE_URL)`,
    async () => {
      const began = Date.now();
      const kills: string[] = [];
      for (let k = 1; k <= KILLS; k++) {
        let running = true;
        if (!server) {
          // One kill in four lands while the server starts (workers recovering what the last
          // one left), at a random moment: if it is ready by then, it is killed under load.
          if (k % 4 === 0) {
            const launch = launchChildServer(env);
            const ready = await Promise.race([
              launch.ready.catch(() => null),
              sleep(randomInt(200, 3_000)).then(() => null),
            ]);
            if (!ready) {
              await launch.kill();
              await launch.ready.catch(() => {});
              kills.push('starting');
              await checkConsistency(`kill ${k} (while starting)`);
              continue;
            }
            server = ready;
          } else server = await startChildServer(env);
        }
        const load = workload(() => running);
        // The first run lasts until there are decisions to appeal, so that every kind of
        // work is under way from the second kill on; then each lasts a random while.
        if (k === 1) {
          const until = Date.now() + 30_000;
          while ((acked.decisions.length < 6 || acked.appeals.length < 1) && Date.now() < until)
            await sleep(100);
        }
        await sleep(randomInt(200, 1_500));
        running = false;
        await server.kill();
        kills.push('under load');
        server = null;
        await load;
        await checkConsistency(`kill ${k}`);
      }

      // The last start: no more kills; everything left over is finished by the server itself.
      server = await startChildServer(env);
      const deadline = Date.now() + 90_000;
      const outstanding = async () =>
        (
          await rows<{ n: number }>(
            `select (select count(*) from outbox where status = 'pending')
                  + (select count(*) from bulk_jobs where status in ('queued', 'running'))
                  + (select count(*) from enforcement_actions where status in ('pending', 'revert_pending')) as n`,
          )
        )[0]!.n;
      // Appeals still open are decided now that enforcement can settle (upheld: reverts).
      while (acked.appeals.some((a) => !a.decided) && Date.now() < deadline) {
        for (const open of acked.appeals.filter((a) => !a.decided)) {
          await call('POST', `/v1/appeals/${open.appeal_id}/claim`, sessions.penelaah);
          const decided = await call('POST', `/v1/appeals/${open.appeal_id}/decision`, sessions.penelaah, {
            outcome: 'upheld',
            reasons: 'Synthetic: on review the post reports on the group rather than promoting it.',
          });
          if (decided.status === 200) open.decided = true;
        }
        await sleep(500);
      }
      expect(
        acked.appeals.filter((a) => !a.decided),
        'appeals that could not be decided',
      ).toEqual([]);
      while ((await outstanding()) > 0 && Date.now() < deadline) await sleep(500);
      expect(await outstanding(), 'work left over after the last restart').toBe(0);
      await checkConsistency('the end');
      await checkPlatform('the end', true);
      expect(
        await rows(`select id, topic, last_error from outbox where status = 'dead'`),
        'dead messages',
      ).toEqual([]);

      // Every bulk row was processed once, and each created notice exists.
      const jobs = await rows<{ id: string; status: string; total: number; processed: number; rows: number }>(
        `select j.id, j.status, j.total, j.processed, (select count(*)::int from bulk_job_rows r where r.job_id = j.id) as rows
         from bulk_jobs j where j.id = any($1::uuid[])`,
        [acked.bulkJobs.map((j) => j.job_id)],
      );
      for (const job of jobs)
        expect(job).toMatchObject({ status: 'done', total: 10, processed: 10, rows: 10 });
      // Every notice stored reached the flagger's webhook at least once (at-least-once: a
      // repeat is recognised by its event id).
      const stored = await rows<{ id: string }>(`select id from notices where reference like $1`, [
        `%-${run}-%`,
      ]);
      const announced = new Set(
        receiver.received
          .map((r) => JSON.parse(r.body) as { type: string; notice_id: string })
          .filter((e) => e.type === 'notice.received')
          .map((e) => e.notice_id),
      );
      expect(
        stored.filter((n) => !announced.has(n.id)),
        'notices never announced',
      ).toEqual([]);

      const applies = platform.effects.filter((e) => e.operation === 'apply').length;
      const reverts = platform.effects.filter((e) => e.operation === 'revert').length;
      const repeats = platform.requests.filter((r) => r.operation !== 'status').length - applies - reverts;
      process.stdout.write(
        `crash consistency: ${KILLS} SIGKILLs (${kills.filter((k) => k === 'starting').length} while starting) in ${Math.round((Date.now() - began) / 1000)} s; ` +
          `acknowledged ${acked.notices.length} notices, ${acked.bulkJobs.length} bulk jobs, ${acked.decisions.length} decisions, ` +
          `${acked.appeals.length} appeals; platform: ${applies} applied, ${reverts} reverted, ${repeats} repeated requests recognised; ` +
          `${receiver.received.length} webhook deliveries for ${stored.length} notices (under load)\n`,
      );
      const tally = new Map<string, number>();
      for (const r of refusals) tally.set(r, (tally.get(r) ?? 0) + 1);
      process.stdout.write(`refusals: ${JSON.stringify([...tally], null, 1)}\n`);
      expect(acked.decisions.length, 'the workload reached decisions').toBeGreaterThan(0);
      expect(applies).toBeGreaterThan(0);
    },
    600_000,
  );
});
