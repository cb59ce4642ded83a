import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../src/notices/receipts.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { createPrincipals } from '../support/principals.ts';

let app: TestApp;
let komdigi: Caller;
let ngo: Caller;
let admin: Caller;

const notice = (overrides: Record<string, unknown> = {}) => ({
  targets: ['https://t.me/examplechannel/101'],
  category: 'terrorism',
  legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
  legal_references: [{ instrument: 'UU 11/2008 jo. UU 1/2024', provision: 'Pasal 45' }],
  explanation: 'Synthetic test notice: the post recruits for a designated group.',
  reference: 'B-123/KOMDIGI/2026',
  good_faith: true,
  ...overrides,
});

beforeAll(async () => {
  app = await createTestApp();
  const principals = await createPrincipals(app);
  komdigi = principals.flagger_key;
  admin = principals.admin;
  ngo = await app.loginAs('analyst@ngo.example');
});
afterAll(() => app.close());

const submit = (body: unknown, as: Caller = komdigi, headers: Record<string, string> = {}) =>
  app.request({ method: 'POST', url: '/v1/notices', as, payload: body as object, headers });

describe('notice intake', () => {
  it('answers with a signed receipt that verifies against the published keys', async () => {
    const response = await submit(notice());
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      notice_id: expect.any(String),
      received_at: app.clock().toISOString(),
      source_type: 'trusted_flagger',
      targets: [
        {
          index: 0,
          platform: 'telegram',
          kind: 'message',
          username: 'examplechannel',
          message_id: 101,
          status: 'opened_case',
        },
      ],
    });
    // Trusted government notice on terrorism in Indonesia: 4 h legal deadline, 1 h internal target.
    expect(new Date(body.deadline).getTime() - app.clock().getTime()).toBe(4 * 3600_000);
    expect(new Date(body.target_deadline).getTime() - app.clock().getTime()).toBe(3600_000);

    const jwks = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const check = await verifyReceipt(body.receipt, jwks);
    expect(check).toMatchObject({
      valid: true,
      claims: { notice_id: body.notice_id, digest: body.digest, deadline: body.deadline },
    });

    // Change one character inside the signature (the last one carries padding bits only).
    const at = body.receipt.length - 20;
    const tampered =
      body.receipt.slice(0, at) + (body.receipt[at] === 'A' ? 'B' : 'A') + body.receipt.slice(at + 1);
    expect((await verifyReceipt(tampered, jwks)).valid).toBe(false);
  });

  it('gives a regular notice on a non-urgent category 24 hours', async () => {
    const body = (
      await submit(notice({ category: 'gambling', targets: ['@somecasinochannel'] }), ngo)
    ).json();
    expect(body.source_type).toBe('regular_notice');
    expect(new Date(body.deadline).getTime() - new Date(body.received_at).getTime()).toBe(24 * 3600_000);
  });

  it('joins notices about the same subject in one case, whatever form the link takes', async () => {
    const first = (await submit(notice({ targets: ['t.me/joinme_channel/7'] }))).json();
    const second = (
      await submit(notice({ targets: ['https://telegram.me/s/JoinMe_Channel/7'] }), ngo)
    ).json();
    expect(first.targets[0].status).toBe('opened_case');
    expect(second.targets[0]).toMatchObject({ status: 'joined_case', case_id: first.targets[0].case_id });
  });

  it('logs each notice in its case: the first opens it, the others join it', async () => {
    const caseEvents = (caseId: string) =>
      app.store.db
        .selectFrom('case_events')
        .select(['type', 'from_status', 'to_status', 'actor_id', 'data'])
        .where('case_id', '=', caseId)
        .orderBy('seq')
        .execute();
    // Sent together, they may share one batch; a notice naming the subject twice counts once.
    const together = await Promise.all(
      [['@logged_case'], ['@logged_case', 't.me/logged_case'], ['https://t.me/logged_case']].map(
        async (targets) => (await submit(notice({ targets }))).json(),
      ),
    );
    const caseId = together[0].targets[0].case_id;
    expect(together.flatMap((n) => n.targets.map((t: { case_id: string }) => t.case_id))).toEqual(
      Array(4).fill(caseId),
    );
    const events = await caseEvents(caseId);
    expect(events.map((e) => e.type)).toEqual(['opened', 'notice_joined', 'notice_joined']);
    expect(events.map((e) => (e.data as { notice_id: string }).notice_id).sort()).toEqual(
      together.map((n) => n.notice_id).sort(),
    );
    const opener = together.find((n) => n.targets[0].status === 'opened_case');
    expect((events[0]!.data as { notice_id: string }).notice_id).toBe(opener.notice_id);

    const reviewer = await app.loginAs('peninjau@platform.example');
    expect(
      (await app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer })).statusCode,
    ).toBe(200);
    const late = (await submit(notice({ targets: ['@logged_case'] }), ngo)).json();
    const after = await caseEvents(caseId);
    expect(after.at(-1)).toMatchObject({
      type: 'notice_joined',
      from_status: 'in_review',
      to_status: 'in_review',
      data: { notice_id: late.notice_id },
    });
  });

  it('names the index and the reason of an unparseable target, and stores nothing', async () => {
    const before = await app.ctx.db
      .selectFrom('notices')
      .select(app.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await submit(
      notice({ targets: ['https://t.me/fine_channel/1', 't.me/ab', 'javascript:alert(1)'] }),
    );
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.detail).toMatch(/^targets\[1\]: /);
    expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/targets/1', '/targets/2']);
    const after = await app.ctx.db
      .selectFrom('notices')
      .select(app.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses an unknown category, a missing good-faith statement and a thin explanation', async () => {
    const response = await submit(notice({ category: 'piracy', good_faith: false, explanation: 'bad' }));
    expect(response.statusCode).toBe(400);
    const pointers = response.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/good_faith', '/explanation']));
    const unknown = await submit(notice({ category: 'piracy' }));
    expect(unknown.json().errors[0]).toMatchObject({ pointer: '/category' });
  });

  it('lets only authorities send orders, with what DSA Art. 9(2) requires', async () => {
    const order = {
      kind: 'order',
      language: 'id',
      order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'Keberatan via SAMAN' },
    };
    expect((await submit(notice(order), ngo)).json().errors[0].pointer).toBe('/kind');
    expect((await submit(notice({ kind: 'order' }))).json().errors[0].pointer).toBe('/order');
    const accepted = await submit(notice({ ...order, targets: ['@orderedchannel'] }));
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().source_type).toBe('government_order');
  });

  it('allows anonymity only where the category allows it', async () => {
    expect((await submit(notice({ anonymous: true }))).json().errors[0].pointer).toBe('/anonymous');
    expect(
      (await submit(notice({ anonymous: true, category: 'csam', targets: ['@anonchannel'] }))).statusCode,
    ).toBe(201);
  });

  it('shows a flagger its own notices only', async () => {
    const mine = (await submit(notice({ targets: ['@visibility_test'] }), ngo)).json();
    expect(
      (await app.request({ method: 'GET', url: `/v1/notices/${mine.notice_id}`, as: ngo })).statusCode,
    ).toBe(200);
    expect(
      (await app.request({ method: 'GET', url: `/v1/notices/${mine.notice_id}`, as: komdigi })).statusCode,
    ).toBe(404);
    expect(
      (await app.request({ method: 'GET', url: `/v1/notices/${mine.notice_id}`, as: admin })).statusCode,
    ).toBe(200);
    const list = (await app.request({ method: 'GET', url: '/v1/notices?limit=500', as: ngo })).json();
    expect(new Set(list.items.map((n: { org: string }) => n.org))).toEqual(new Set(['ngo']));
  });
});

describe('Idempotency-Key', () => {
  it('returns the same receipt for the same notice, and 409 for another', async () => {
    const body = notice({ targets: ['@idempotent_channel'] });
    const first = await submit(body, komdigi, { 'idempotency-key': 'letter-42' });
    const again = await submit(body, komdigi, { 'idempotency-key': 'letter-42' });
    expect(again.json()).toEqual(first.json());
    const other = await submit({ ...body, explanation: `${body.explanation} Changed.` }, komdigi, {
      'idempotency-key': 'letter-42',
    });
    expect(other.statusCode).toBe(409);
  });

  it('sent 20 times at once yields exactly one notice', async () => {
    const body = notice({ targets: ['@concurrent_channel'] });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => submit(body, komdigi, { 'idempotency-key': 'burst-1' })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.json().notice_id)).size).toBe(1);
    const stored = await app.ctx.db
      .selectFrom('notice_targets')
      .select('notice_id')
      .where('subject_key', '=', 'telegram:username:concurrent_channel')
      .execute();
    expect(stored).toHaveLength(1);
  });
});
