import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import { outboxHandlers } from '../../src/runtime/workers.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Routes that only the authorisation matrix used to call (issue 15, item 7): what each
 * changes, what it answers, the audit entry it writes and what it refuses. Every test makes
 * the records it needs, so that each can run alone and in any order.
 */
let app: TestApp;
let admin: Caller;
let lead: Caller;
let peninjau: Caller;
let penelaah: Caller;
let auditor: Caller;
let analyst: Caller;
let peninjauId: string;
let penelaahId: string;
let counter = 0;

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_DEMO: 'true' } });
  admin = await app.loginAs('admin@platform.example');
  lead = await app.loginAs('lead@platform.example');
  peninjau = await app.loginAs('peninjau@platform.example');
  penelaah = await app.loginAs('penelaah@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
  peninjauId = (await app.request({ method: 'GET', url: '/v1/me', as: peninjau })).json().id;
  penelaahId = (await app.request({ method: 'GET', url: '/v1/me', as: penelaah })).json().id;
});
afterAll(() => app.close());

const post = (url: string, as: Caller, payload?: object) =>
  app.request({ method: 'POST', url, as, ...(payload ? { payload } : {}) });

/** A new notice about one message, and its case. */
async function openCase(): Promise<{ caseId: string; noticeId: string }> {
  counter += 1;
  const response = await post('/v1/notices', analyst, {
    targets: [`https://t.me/route_behaviour_${counter}/${counter}`],
    category: 'terrorism',
    explanation: 'Synthetic notice: the message recruits for a designated terrorist organisation.',
    good_faith: true,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { noticeId: response.json().notice_id, caseId: response.json().targets[0].case_id };
}

async function caseFile(caseId: string) {
  return (await app.request({ method: 'GET', url: `/v1/cases/${caseId}`, as: auditor })).json();
}

async function auditOf(objectId: string) {
  const response = await app.request({
    method: 'GET',
    url: `/v1/audit?object_id=${objectId}&limit=1000`,
    as: auditor,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as { action: string; actor_id: string; change: Record<string, unknown> }[];
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown> }, status: number) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
}

const grounds = {
  illegal: {
    legal_ground: 'UU No. 5 Tahun 2018',
    explanation: 'Synthetic: propaganda of a designated group.',
  },
};

describe('POST /v1/cases/:id/release', () => {
  it('gives a claimed case back to the queue, with its event and audit entry', async () => {
    const { caseId } = await openCase();
    expect((await post(`/v1/cases/${caseId}/claim`, peninjau)).statusCode).toBe(200);
    const released = await post(`/v1/cases/${caseId}/release`, peninjau);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({
      id: caseId,
      status: 'open',
      assigned_to: null,
      lease_until: null,
    });
    const file = await caseFile(caseId);
    expect(file).toMatchObject({ status: 'open', assigned_to: null });
    expect(file.events.at(-1)).toMatchObject({
      type: 'released',
      from_status: 'in_review',
      to_status: 'open',
    });
    expect((await auditOf(caseId)).map((a) => a.action)).toContain('case.released');
    // Back in the queue, and anyone routed to it may claim it now.
    expect((await post(`/v1/cases/${caseId}/claim`, penelaah)).json()).toMatchObject({
      assigned_to: penelaahId,
    });
  });

  it('refuses whoever does not hold the case, and changes nothing', async () => {
    const { caseId } = await openCase();
    expectProblem(await post(`/v1/cases/${caseId}/release`, peninjau), 409);
    await post(`/v1/cases/${caseId}/claim`, peninjau);
    const other = await post(`/v1/cases/${caseId}/release`, penelaah);
    expectProblem(other, 409);
    expect(other.json().detail).toMatch(/claim the case first/);
    expect(await caseFile(caseId)).toMatchObject({ status: 'in_review', assigned_to: peninjauId });
    expect((await auditOf(caseId)).map((a) => a.action)).not.toContain('case.released');
    expectProblem(await post('/v1/cases/00000000-0000-7000-8000-000000000000/release', peninjau), 404);
    expectProblem(await post(`/v1/cases/${caseId}/release`, analyst), 403);
  });
});

describe('POST /v1/cases/:id/escalate', () => {
  it('escalates the case to a lead with its reason, freeing the reviewer’s lease', async () => {
    const { caseId } = await openCase();
    await post(`/v1/cases/${caseId}/claim`, peninjau);
    const escalated = await post(`/v1/cases/${caseId}/escalate`, peninjau, {
      reason: 'Synthetic: needs a lead, the channel may be a news outlet.',
    });
    expect(escalated.statusCode, escalated.body).toBe(200);
    expect(escalated.json()).toMatchObject({ status: 'escalated', assigned_to: null, lease_until: null });
    const file = await caseFile(caseId);
    expect(file).toMatchObject({ status: 'escalated', escalated: true });
    expect(file.events.at(-1)).toMatchObject({
      type: 'escalated',
      to_status: 'escalated',
      data: { reason: 'Synthetic: needs a lead, the channel may be a news outlet.' },
    });
    expect((await auditOf(caseId)).map((a) => a.action)).toContain('case.escalated');
    const queue = (await app.request({ method: 'GET', url: '/v1/queue?limit=500', as: lead })).json().items;
    expect(queue.find((i: { case_id: string }) => i.case_id === caseId)).toMatchObject({ escalated: true });
  });

  it('refuses an empty reason, and a case another reviewer holds', async () => {
    const { caseId } = await openCase();
    await post(`/v1/cases/${caseId}/claim`, peninjau);
    expectProblem(await post(`/v1/cases/${caseId}/escalate`, peninjau, { reason: '   ' }), 400);
    expectProblem(await post(`/v1/cases/${caseId}/escalate`, peninjau, { reason: 'x', extra: 1 }), 400);
    expectProblem(await post(`/v1/cases/${caseId}/escalate`, penelaah, { reason: 'Not mine' }), 409);
    expect(await caseFile(caseId)).toMatchObject({ status: 'in_review', escalated: false });
    expect((await auditOf(caseId)).map((a) => a.action)).not.toContain('case.escalated');
  });
});

describe('POST /v1/cases/:id/comments', () => {
  it('records an internal comment in the case’s events without changing its state', async () => {
    const { caseId, noticeId } = await openCase();
    const before = await caseFile(caseId);
    const body = 'Synthetic internal note: same administrator as an earlier channel.';
    const commented = await post(`/v1/cases/${caseId}/comments`, peninjau, { body });
    expect(commented.statusCode, commented.body).toBe(201);
    expect(commented.json()).toMatchObject({ id: caseId, status: before.status, assigned_to: null });
    expect(commented.json().last_event_seq).toBeGreaterThan(before.last_event_seq);
    const file = await caseFile(caseId);
    expect(file.events.at(-1)).toMatchObject({ type: 'commented', actor_id: peninjauId, data: { body } });
    const audit = await auditOf(caseId);
    expect(audit.map((a) => a.action)).toContain('case.commented');
    // Internal: the notifier's thread does not carry it.
    const thread = await app.request({ method: 'GET', url: `/v1/notices/${noticeId}/thread`, as: analyst });
    expect(thread.statusCode).toBe(200);
    expect(thread.body).not.toContain(body);
  });

  it('refuses an empty or unknown-field body, an unknown case and a flagger', async () => {
    const { caseId } = await openCase();
    const before = await caseFile(caseId);
    expectProblem(await post(`/v1/cases/${caseId}/comments`, peninjau, { body: '' }), 400);
    expectProblem(await post(`/v1/cases/${caseId}/comments`, peninjau, { body: 'x', note: 'y' }), 400);
    expectProblem(await post(`/v1/cases/${caseId}/comments`, peninjau, { body: 'x'.repeat(20_001) }), 400);
    expectProblem(
      await post('/v1/cases/00000000-0000-7000-8000-000000000000/comments', peninjau, { body: 'x' }),
      404,
    );
    expectProblem(await post(`/v1/cases/${caseId}/comments`, analyst, { body: 'x' }), 403);
    expect((await caseFile(caseId)).events).toHaveLength(before.events.length);
  });
});

describe('POST /v1/decisions/:id/refuse', () => {
  async function pendingSuspension() {
    const { caseId } = await openCase();
    await post(`/v1/cases/${caseId}/claim`, peninjau);
    const decided = await post(`/v1/cases/${caseId}/decisions`, peninjau, {
      outcome: 'suspend',
      grounds,
      suspension: { target: 'channel', permanent: true },
      acknowledge_irreversible: true,
    });
    expect(decided.statusCode, decided.body).toBe(201);
    expect(decided.json().status).toBe('pending_approval');
    return { caseId, decisionId: decided.json().decision_id as string };
  }

  it('sets the decision aside and returns the case to the queue, acting on nothing', async () => {
    const { caseId, decisionId } = await pendingSuspension();
    const refused = await post(`/v1/decisions/${decisionId}/refuse`, penelaah, {
      reason: 'Synthetic: a permanent suspension is out of proportion here.',
    });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toEqual({ decision_id: decisionId, status: 'refused' });
    const file = await caseFile(caseId);
    expect(file).toMatchObject({ status: 'open', decision_id: null });
    expect(file.decisions.find((d: { id: string }) => d.id === decisionId)).toMatchObject({
      status: 'refused',
      approved_by: penelaahId,
    });
    expect(file.actions).toEqual([]);
    expect(file.events.at(-1)).toMatchObject({
      type: 'approval_refused',
      actor_id: penelaahId,
      data: {
        decision_id: decisionId,
        reason: 'Synthetic: a permanent suspension is out of proportion here.',
      },
    });
    expect((await auditOf(caseId)).map((a) => a.action)).toContain('case.approval_refused');
    // No statement of reasons for a decision that never took effect.
    const statements = await app.ctx.db
      .selectFrom('statements')
      .select('id')
      .where('decision_id', '=', decisionId)
      .execute();
    expect(statements).toEqual([]);
  });

  it('refuses its author, a second refusal, an approval after it, and a missing reason', async () => {
    const { caseId, decisionId } = await pendingSuspension();
    const own = await post(`/v1/decisions/${decisionId}/refuse`, peninjau, { reason: 'Changed my mind' });
    expectProblem(own, 403);
    expect(own.json().detail).toMatch(/author/);
    expectProblem(await post(`/v1/decisions/${decisionId}/refuse`, penelaah, {}), 400);
    expect((await caseFile(caseId)).status).toBe('pending_approval');
    expect((await post(`/v1/decisions/${decisionId}/refuse`, penelaah, { reason: 'No' })).statusCode).toBe(
      200,
    );
    expectProblem(await post(`/v1/decisions/${decisionId}/refuse`, admin, { reason: 'Again' }), 409);
    expectProblem(await post(`/v1/decisions/${decisionId}/approve`, admin), 409);
    expectProblem(
      await post('/v1/decisions/00000000-0000-7000-8000-000000000000/refuse', penelaah, { reason: 'x' }),
      404,
    );
  });
});

describe('POST /v1/actions/:id/retry', () => {
  /** A removal on the demo platform, which has no such channel: the action fails. */
  async function failedAction() {
    const { caseId } = await openCase();
    await post(`/v1/cases/${caseId}/claim`, peninjau);
    const decided = await post(`/v1/cases/${caseId}/decisions`, peninjau, {
      outcome: 'remove',
      grounds,
      actions: [{ type: 'hide_message', connector: 'demo_platform' }],
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const worker = new OutboxWorker({
      db: app.ctx.db,
      clock: app.clock,
      log: app.ctx.log,
      handlers: outboxHandlers(app.ctx),
    });
    for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++);
    const file = await caseFile(caseId);
    const action = file.actions.find((a: { type: string }) => a.type === 'hide_message');
    expect(action).toMatchObject({ status: 'failed' });
    expect(file.status).toBe('action_failed');
    return { caseId, actionId: action.id as string };
  }

  it('sends a failed action back to its connector, with its event', async () => {
    const { caseId, actionId } = await failedAction();
    const retried = await post(`/v1/actions/${actionId}/retry`, lead);
    expect(retried.statusCode, retried.body).toBe(202);
    const file = await caseFile(caseId);
    expect(file.status).toBe('actioning');
    expect(file.actions.find((a: { id: string }) => a.id === actionId)).toMatchObject({
      status: 'pending',
      last_error: null,
    });
    expect(file.events.at(-1)).toMatchObject({ type: 'action_retried', data: { action_id: actionId } });
    expect((await auditOf(caseId)).map((a) => a.action)).toContain('case.action_retried');
    const queued = await app.ctx.db
      .selectFrom('outbox')
      .select(['topic', 'status'])
      .where('ordering_key', '=', `action:${actionId}`)
      .where('status', '=', 'pending')
      .execute();
    expect(queued).toHaveLength(1);
  });

  it('refuses an action that has not failed, a reviewer, and an unknown action', async () => {
    const { actionId } = await failedAction();
    expectProblem(await post(`/v1/actions/${actionId}/retry`, peninjau), 403);
    expect((await post(`/v1/actions/${actionId}/retry`, lead)).statusCode).toBe(202);
    const again = await post(`/v1/actions/${actionId}/retry`, lead);
    expectProblem(again, 409);
    expect(again.json().detail).toMatch(/only a failed action can be retried/);
    const queued = await app.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('ordering_key', '=', `action:${actionId}`)
      .where('status', '=', 'pending')
      .execute();
    expect(queued).toHaveLength(1);
    expectProblem(await post('/v1/actions/00000000-0000-7000-8000-000000000000/retry', lead), 404);
  });
});

const keepId = (entries: { id: string; value: string }[]) =>
  entries.find((e) => e.value === 'https://example.org/keep-me')!.id;

describe('GET and DELETE /v1/banks/:id/entries', () => {
  async function bankWith(entries: { signal_type: string; value: string; source?: string }[]) {
    counter += 1;
    const bank = await post('/v1/banks', admin, { name: `behaviour-bank-${counter}`, policy: 'review' });
    expect(bank.statusCode, bank.body).toBe(201);
    const added = await post(`/v1/banks/${bank.json().id}/entries`, admin, { entries });
    expect(added.statusCode, added.body).toBe(201);
    return bank.json().id as string;
  }
  const list = (bankId: string, query = '', as: Caller = auditor) =>
    app.request({ method: 'GET', url: `/v1/banks/${bankId}/entries${query}`, as });

  it('lists a bank’s live entries with their provenance, a page at a time, by signal type', async () => {
    const bankId = await bankWith([
      { signal_type: 'url', value: 'https://example.org/a', source: 'synthetic list' },
      { signal_type: 'url', value: 'https://example.org/b' },
      { signal_type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
    ]);
    const other = await bankWith([{ signal_type: 'url', value: 'https://example.org/other' }]);
    const first = await list(bankId, '?limit=2');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().items).toHaveLength(2);
    expect(first.json().next_after).toBe(first.json().items[1].id);
    const second = (await list(bankId, `?limit=2&after=${first.json().next_after}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.next_after).toBeNull();
    const all = [...first.json().items, ...second.items];
    expect(all.map((e: { value: string }) => e.value).sort()).toEqual([
      'd41d8cd98f00b204e9800998ecf8427e',
      'https://example.org/a',
      'https://example.org/b',
    ]);
    expect(all.find((e: { value: string }) => e.value === 'https://example.org/a')).toMatchObject({
      signal_type: 'url',
      source: 'synthetic list',
      added_by: expect.any(String),
      added_at: expect.any(String),
    });
    const md5 = (await list(bankId, '?signal_type=md5')).json().items;
    expect(md5.map((e: { signal_type: string }) => e.signal_type)).toEqual(['md5']);
    expect((await list(other)).json().items.map((e: { value: string }) => e.value)).toEqual([
      'https://example.org/other',
    ]);
    expectProblem(await list(bankId, '?limit=0'), 400);
    expectProblem(await list(bankId, '?signal_type=sha1'), 400);
    expectProblem(await list(bankId, '', analyst), 403);
  });

  it('removes an entry from the listing and the matcher, keeps it in the history, and audits it', async () => {
    const bankId = await bankWith([
      { signal_type: 'url', value: 'https://example.org/remove-me' },
      { signal_type: 'url', value: 'https://example.org/keep-me' },
    ]);
    const entries = (await list(bankId)).json().items as { id: string; value: string }[];
    const gone = entries.find((e) => e.value === 'https://example.org/remove-me')!;
    const matchUrl = async (url: string) => {
      const response = await app.request({
        method: 'POST',
        url: '/v1/match',
        as: admin,
        payload: { urls: [url] },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.body;
    };
    expect(await matchUrl('https://example.org/remove-me')).toContain(gone.id);
    const deleted = await app.request({
      method: 'DELETE',
      url: `/v1/banks/${bankId}/entries/${gone.id}`,
      as: lead,
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(deleted.body).toBe('');
    expect((await list(bankId)).json().items.map((e: { value: string }) => e.value)).toEqual([
      'https://example.org/keep-me',
    ]);
    const row = await app.ctx.db
      .selectFrom('bank_entries')
      .select(['removed_at'])
      .where('id', '=', gone.id)
      .executeTakeFirstOrThrow();
    expect(row.removed_at).not.toBeNull();
    const audit = await auditOf(bankId);
    expect(audit.find((a) => a.action === 'bank.entry_removed')).toMatchObject({
      change: { entry_id: gone.id },
    });
    expect(await matchUrl('https://example.org/remove-me')).not.toContain(gone.id);
    expect(await matchUrl('https://example.org/keep-me')).toContain(keepId(entries));
    // Twice, from another bank, or by someone who may only read: refused.
    const again = await app.request({
      method: 'DELETE',
      url: `/v1/banks/${bankId}/entries/${gone.id}`,
      as: lead,
    });
    expectProblem(again, 404);
    const keep = entries.find((e) => e.value === 'https://example.org/keep-me')!;
    const otherBank = await bankWith([{ signal_type: 'md5', value: '0cc175b9c0f1b6a831c399e269772661' }]);
    expectProblem(
      await app.request({ method: 'DELETE', url: `/v1/banks/${otherBank}/entries/${keep.id}`, as: lead }),
      404,
    );
    expectProblem(
      await app.request({ method: 'DELETE', url: `/v1/banks/${bankId}/entries/${keep.id}`, as: auditor }),
      403,
    );
    expect((await list(bankId)).json().items).toHaveLength(1);
  });
});

describe('GET /v1/cases/:id/legal-holds', () => {
  it('lists a case’s holds, oldest first, active and released', async () => {
    const { caseId } = await openCase();
    expect(
      (await app.request({ method: 'GET', url: `/v1/cases/${caseId}/legal-holds`, as: auditor })).json(),
    ).toEqual({ items: [] });
    const first = await post(`/v1/cases/${caseId}/legal-holds`, lead, {
      reason: 'Synthetic investigation',
      requested_by: 'Synthetic police unit (ref. 1)',
    });
    expect(first.statusCode, first.body).toBe(201);
    app.clock.advance(60_000);
    const second = await post(`/v1/cases/${caseId}/legal-holds`, lead, {
      reason: 'Synthetic court order',
      requested_by: 'Synthetic court',
    });
    expect(second.statusCode, second.body).toBe(201);
    const released = await post(`/v1/legal-holds/${first.json().id}/release`, lead, { reason: 'Closed' });
    expect(released.statusCode, released.body).toBe(200);
    const listed = await app.request({ method: 'GET', url: `/v1/cases/${caseId}/legal-holds`, as: auditor });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toMatchObject([
      {
        id: first.json().id,
        case_id: caseId,
        requested_by: 'Synthetic police unit (ref. 1)',
        active: false,
        release_reason: 'Closed',
      },
      {
        id: second.json().id,
        case_id: caseId,
        requested_by: 'Synthetic court',
        active: true,
        released_at: null,
      },
    ]);
    // Another case's holds are not listed here.
    const { caseId: other } = await openCase();
    expect(
      (await app.request({ method: 'GET', url: `/v1/cases/${other}/legal-holds`, as: auditor })).json().items,
    ).toEqual([]);
  });

  it('refuses an unknown case, a malformed id and a flagger', async () => {
    const { caseId } = await openCase();
    expectProblem(
      await app.request({
        method: 'GET',
        url: '/v1/cases/00000000-0000-7000-8000-000000000000/legal-holds',
        as: auditor,
      }),
      404,
    );
    expectProblem(
      await app.request({ method: 'GET', url: '/v1/cases/not-a-uuid/legal-holds', as: auditor }),
      400,
    );
    expectProblem(
      await app.request({ method: 'GET', url: `/v1/cases/${caseId}/legal-holds`, as: analyst }),
      403,
    );
  });
});

describe('GET /v1/orgs', () => {
  it('lists every organisation with its kind and flagger status, a new one included', async () => {
    const created = await post('/v1/orgs', admin, {
      slug: 'behaviour-ngo',
      name: 'Behaviour NGO',
      kind: 'ngo',
    });
    expect(created.statusCode, created.body).toBe(201);
    const listed = await app.request({ method: 'GET', url: '/v1/orgs', as: auditor });
    expect(listed.statusCode).toBe(200);
    const items = listed.json().items as { slug: string; kind: string; flagger_status: string | null }[];
    const bySlug = new Map(items.map((o) => [o.slug, o]));
    expect(bySlug.get('platform')).toMatchObject({ kind: 'platform' });
    expect(bySlug.get('komdigi')).toMatchObject({ kind: 'government', flagger_status: 'trusted' });
    expect(bySlug.get('behaviour-ngo')).toMatchObject({ kind: 'ngo', name: 'Behaviour NGO' });
    const count = await app.ctx.db
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(items).toHaveLength(Number(count.n));
    // Nothing but the organisation's public face: no keys, users or limits.
    for (const org of items)
      expect(Object.keys(org).sort()).toEqual([
        'contact_email',
        'created_at',
        'flagger_status',
        'id',
        'kind',
        'name',
        'slug',
      ]);
  });

  it('refuses flaggers, API keys and anonymous callers', async () => {
    expectProblem(await app.request({ method: 'GET', url: '/v1/orgs', as: analyst }), 403);
    expectProblem(await app.request({ method: 'GET', url: '/v1/orgs' }), 401);
    const key = await post('/v1/orgs/platform/keys', admin, { name: 'behaviour-key' });
    expect(key.statusCode, key.body).toBe(201);
    expectProblem(await app.request({ method: 'GET', url: '/v1/orgs', as: { key: key.json().key } }), 403);
  });
});
