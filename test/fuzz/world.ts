import { OutboxWorker } from '../../src/outbox/worker.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import type { Caller, TestApp } from '../support/app.ts';
import { png, postMultipart } from '../support/uploads.ts';

/**
 * Live records for the fuzzer: a path id must name a real notice, case, decision, appeal,
 * bank entry… so that a handler runs past its lookup, where the interesting failures are.
 * Seeded through the API as the demo's people, the way a user would make them.
 */
export interface World {
  /** Values for each path parameter, by route pattern and parameter name ('*' for any route). */
  params(route: string, name: string): string[];
  /** Everything created, by what it is, for the report of a failing case. */
  ids: Record<string, string>;
}

const EXPLANATION = 'Synthetic fuzzing notice: the message recruits for a designated group.';

export async function seedWorld(app: TestApp): Promise<World> {
  const ids: Record<string, string> = {};
  const admin = await app.loginAs('admin@platform.example');
  const lead = await app.loginAs('lead@platform.example');
  const reviewer = await app.loginAs('peninjau@platform.example');
  const analyst = await app.loginAs('analis@komdigi.example');
  const flaggerAdmin = await app.loginAs('admin@komdigi.example');

  const call = async (
    as: Caller,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    want = [200, 201, 202],
  ) => {
    const response = await app.request({
      method,
      url,
      as,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (!want.includes(response.statusCode))
      throw new Error(
        `seeding the fuzz world: ${method} ${url} answered ${response.statusCode}: ${response.body}`,
      );
    return response.json();
  };

  const notice = await call(analyst, 'POST', '/v1/notices', {
    targets: [
      'https://t.me/fuzz_world/1',
      'https://t.me/fuzz_world/2',
      'https://t.me/fuzz_world/3',
      '@fuzz_world_channel',
    ],
    category: 'terrorism',
    explanation: EXPLANATION,
    good_faith: true,
    reference: 'FUZZ-1',
  });
  ids.notice = notice.notice_id;
  const [caseFourEyes, caseDecided, caseOpen, caseSpare] = notice.targets.map(
    (t: { case_id: string }) => t.case_id,
  );
  ids.caseFourEyes = caseFourEyes;
  ids.caseDecided = caseDecided;
  ids.caseOpen = caseOpen;
  ids.caseSpare = caseSpare;

  const evidence = await postMultipart(app, `/v1/notices/${ids.notice}/evidence`, analyst, [
    { name: 'screenshot.png', data: await png('#123456') },
  ]);
  if (evidence.statusCode !== 201) throw new Error(`evidence: ${evidence.body}`);
  ids.evidence = evidence.json().items[0].id;

  // A permanent suspension waits for a second reviewer (four eyes).
  await call(reviewer, 'POST', `/v1/cases/${caseFourEyes}/claim`);
  const pending = await call(reviewer, 'POST', `/v1/cases/${caseFourEyes}/decisions`, {
    outcome: 'suspend',
    grounds: { illegal: { legal_ground: 'UU No. 5 Tahun 2018', explanation: 'Synthetic: propaganda.' } },
    suspension: { target: 'channel', permanent: true },
    acknowledge_irreversible: true,
  });
  ids.decisionPending = pending.decision_id;

  // A removal on the demo platform, which has no such channel: its action fails.
  await call(reviewer, 'POST', `/v1/cases/${caseDecided}/claim`);
  const decided = await call(reviewer, 'POST', `/v1/cases/${caseDecided}/decisions`, {
    outcome: 'remove',
    grounds: { illegal: { legal_ground: 'UU No. 5 Tahun 2018', explanation: 'Synthetic: propaganda.' } },
    actions: [{ type: 'hide_message', connector: 'demo_platform' }],
  });
  ids.decisionFinal = decided.decision_id;
  ids.statementToken = new URL(decided.statement_url).pathname.split('/').pop()!;
  const worker = new OutboxWorker({
    db: app.ctx.db,
    clock: app.clock,
    log: app.ctx.log,
    handlers: outboxHandlers(app.ctx),
  });
  for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++);
  const failed = await app.ctx.db
    .selectFrom('enforcement_actions')
    .select(['id', 'status'])
    .where('case_id', '=', caseDecided)
    .execute();
  ids.action = (failed.find((a) => a.status === 'failed') ?? failed[0])!.id;

  const appeal = await call(null, 'POST', `/v1/statements/${ids.statementToken}/appeal`, {
    grounds: 'Synthetic appeal: the message was news reporting.',
  });
  ids.appeal = appeal.appeal_id;

  await call(lead, 'POST', `/v1/cases/${caseOpen}/legal-holds`, {
    reason: 'Synthetic investigation',
    requested_by: 'Synthetic court',
  });
  const holds = await call(lead, 'GET', `/v1/cases/${caseOpen}/legal-holds`);
  ids.legalHold = holds.items[0].id;
  const preserved = await call(reviewer, 'POST', `/v1/cases/${caseOpen}/preserved-content`, {
    description: 'message 3 of fuzz_world as posted',
    text: 'Synthetic preserved text.',
  });
  ids.preserved = preserved.id;

  const bank = await call(admin, 'POST', '/v1/banks', {
    name: 'fuzz-bank',
    description: 'Synthetic bank for fuzzing',
    policy: 'review',
  });
  ids.bank = bank.id;
  await call(admin, 'POST', `/v1/banks/${ids.bank}/entries`, {
    entries: [
      { signal_type: 'url', value: 'https://example.org/fuzz' },
      { signal_type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
    ],
  });
  const entries = await call(admin, 'GET', `/v1/banks/${ids.bank}/entries`);
  ids.bankEntry = entries.items[0].id;

  const hook = await call(flaggerAdmin, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/fuzz-hook' });
  ids.webhook = hook.id ?? hook.webhook?.id;

  const user = await call(admin, 'POST', '/v1/users', {
    org: 'komdigi',
    email: 'fuzz-target@komdigi.example',
    display_name: 'Fuzz target',
    roles: ['flagger'],
  });
  ids.user = user.id ?? user.user?.id;
  const key = await call(admin, 'POST', '/v1/orgs/komdigi/keys', { name: 'fuzz-target' });
  ids.key = key.id ?? key.api_key?.id;

  const bulk = await app.request({
    method: 'POST',
    url: '/v1/notices/bulk',
    as: analyst,
    headers: { 'content-type': 'text/csv' },
    payload: `targets,category,explanation,good_faith\n@fuzz_bulk_channel,terrorism,${EXPLANATION},true\n`,
  });
  if (bulk.statusCode !== 202) throw new Error(`bulk: ${bulk.body}`);
  ids.bulk = bulk.json().job_id;

  const incident = await call(admin, 'POST', '/v1/incidents', {
    name: 'fuzz-incident',
    description: 'Synthetic incident',
    bank_ids: [ids.bank],
    policy: { auto_action: null, deadline_hours: 1 },
    expires_at: new Date(app.clock().getTime() + 86_400_000).toISOString(),
  });
  ids.incident = incident.id ?? incident.incident?.id;

  const alert = await app.ctx.db.selectFrom('alerts').select('id').executeTakeFirst();
  if (alert) ids.alert = alert.id;

  const byName: Record<string, string[]> = {
    slug: ['komdigi', 'platform'],
    code: ['ID', 'EU'],
    version: ['1'],
    token: [ids.statementToken!],
    evidenceId: [ids.evidence!],
    entryId: [ids.bankEntry!],
    platform: ['telegram'],
    name: ['warta_kota_demo'],
    type: ['invalid', 'not-found'],
    file: ['report.css', 'report.js'],
  };
  // Which record an `:id` names depends on the route.
  const idFor: [RegExp, string[]][] = [
    [/^\/v1\/notices\/bulk\//, [ids.bulk]],
    [/^\/v1\/notices\//, [ids.notice]],
    [/^\/v1\/cases\//, [caseOpen, caseDecided, caseFourEyes, caseSpare]],
    [/^\/v1\/decisions\/:id\/bank/, [ids.decisionFinal]],
    [/^\/v1\/decisions\//, [ids.decisionPending, ids.decisionFinal]],
    [/^\/v1\/actions\//, [ids.action]],
    [/^\/v1\/appeals\//, [ids.appeal]],
    [/^\/v1\/legal-holds\//, [ids.legalHold]],
    [/^\/v1\/preserved-content\//, [ids.preserved]],
    [/^\/v1\/banks\//, [ids.bank]],
    [/^\/v1\/webhooks\//, [ids.webhook]],
    [/^\/v1\/users\//, [ids.user]],
    [/^\/v1\/keys\//, [ids.key]],
    [/^\/v1\/incidents\//, [ids.incident]],
    [/^\/v1\/alerts\//, ids.alert ? [ids.alert] : []],
    [/^\/v1\/content\//, ['1001', 'fuzz_world/1']],
  ];
  return {
    ids,
    params(route, name) {
      if (name === 'id') {
        const found = idFor.find(([pattern]) => pattern.test(route))?.[1] ?? [];
        return found.filter(Boolean);
      }
      return byName[name] ?? [];
    },
  };
}
