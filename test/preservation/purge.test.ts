import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { workerActor } from '../../src/identity/actor.ts';
import { preserveForDecision } from '../../src/preservation/preserve.ts';
import { planPurge, runPurge } from '../../src/preservation/purge.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { png, postMultipart, uploadEvidence } from '../support/uploads.ts';

let desk: Desk;
let analyst: Caller;
let reviewer: Caller;
let lead: Caller;

const DAY = 86_400_000;
const PERIOD_DAYS = 183;
const removeDecision = {
  outcome: 'remove',
  grounds: {
    illegal: { legal_ground: 'UU 5/2018', explanation: 'Synthetic: propaganda of a designated group.' },
  },
};
const notice = (target: string) => ({
  targets: [target],
  category: 'terrorism',
  explanation: 'Synthetic notice for the preservation tests.',
  good_faith: true,
});

beforeAll(async () => {
  desk = await createDesk();
});
// The tests move the clock by months: sessions (12 hours) are opened afresh after each move.
async function login() {
  analyst = await desk.app.loginAs('analis@komdigi.example');
  reviewer = await desk.app.loginAs('peninjau@platform.example');
  lead = await desk.app.loginAs('lead@platform.example');
}
beforeEach(login);
async function advance(ms: number) {
  desk.app.clock.advance(ms);
  await login();
}
afterAll(() => desk.close());

const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);
const db = () => desk.app.ctx.db;
const purge = () =>
  runPurge(db(), { now: desk.app.clock(), preservationDays: PERIOD_DAYS, actor: workerActor });

async function openCase(target: string) {
  const { notice_id, targets } = await desk.submit(analyst, notice(target));
  return { noticeId: notice_id, caseId: targets[0]!.case_id };
}

async function decideRemove(caseId: string) {
  expect((await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer })).statusCode).toBe(
    200,
  );
  const decided = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: reviewer,
    payload: removeDecision,
  });
  expect(decided.statusCode).toBe(201);
  await desk.drain();
  const status = (
    await db().selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()
  ).status;
  expect(status).toBe('closed');
}

async function depositText(caseId: string, text: string) {
  const response = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/preserved-content`,
    as: reviewer,
    payload: { description: 'The message as posted', text },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as {
    id: string;
    sha256: string;
    md5: string;
    hashes: Record<string, string>;
    preserved_until: string;
  };
}

async function depositFile(caseId: string, name: string, data: Buffer) {
  const response = await postMultipart(
    desk.app,
    `/v1/cases/${caseId}/preserved-content`,
    reviewer,
    [{ name, data }],
    { description: 'The image as posted' },
  );
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json() as {
    id: string;
    sha256: string;
    md5: string;
    hashes: Record<string, string>;
    content_type: string;
  };
}

const blob = (sha256: string) =>
  db().selectFrom('blobs').select(['size', 'data']).where('sha256', '=', sha256).executeTakeFirstOrThrow();
const eventTypes = async (caseId: string) =>
  (
    await db().selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('seq').execute()
  ).map((e) => e.type);

describe('the purge', () => {
  it('removes preserved content past its date and keeps content under legal hold', async () => {
    const a = await openCase('@purge_case_a');
    const b = await openCase('@purge_case_b');
    const [shared, onlyA, onlyB, capturedB] = await Promise.all([
      png('#aa0000'),
      png('#00aa00'),
      png('#0000aa'),
      png('#aaaa00'),
    ]);
    // The same screenshot came with both notices: one blob, two evidence rows.
    const evidenceA = await uploadEvidence(desk.app, analyst, a.noticeId, [
      { name: 'shared.png', data: shared },
      { name: 'a.png', data: onlyA },
    ]);
    const evidenceB = await uploadEvidence(desk.app, analyst, b.noticeId, [
      { name: 'shared.png', data: shared },
      { name: 'b.png', data: onlyB },
    ]);
    expect(evidenceA[0]!.sha256).toBe(evidenceB[0]!.sha256);

    const textA = await depositText(a.caseId, 'Synthetic captured message of case A.');
    expect(textA.hashes.text_sha256).toMatch(/^[0-9a-f]{64}$/);
    await decideRemove(a.caseId);
    await decideRemove(b.caseId);
    const fileB = await depositFile(b.caseId, 'captured.png', capturedB);
    expect(fileB).toMatchObject({ content_type: 'image/png', md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(fileB.hashes.pdq).toMatch(/^[0-9a-f]{64}$/);

    const hold = await request({
      method: 'POST',
      url: `/v1/cases/${b.caseId}/legal-holds`,
      as: lead,
      payload: {
        reason: 'Criminal investigation into the channel’s administrators',
        requested_by: 'Direktorat Tindak Pidana Siber, Bareskrim Polri (ref. B/123/XI/2026)',
      },
    });
    expect(hold.statusCode).toBe(201);
    expect(hold.json()).toMatchObject({ active: true, until: null });

    // Before the period ends, nothing goes.
    expect((await purge()).cases).toEqual([]);

    await advance((PERIOD_DAYS + 1) * DAY);
    const plan = await planPurge(db(), { now: desk.app.clock(), preservationDays: PERIOD_DAYS });
    expect(plan.cases.map((c) => c.case_id)).toEqual([a.caseId]);
    expect((await blob(evidenceA[1]!.sha256)).data).not.toBeNull();

    const report = await purge();
    expect(report.cases.map((c) => c.case_id)).toEqual([a.caseId]);
    expect(report).toMatchObject({ evidence: 2, preserved_content: 1 });

    // Case A: bytes gone; rows, hashes and dates kept.
    const gone = await request({
      method: 'GET',
      url: `/v1/notices/${a.noticeId}/evidence/${evidenceA[1]!.id}`,
      as: reviewer,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().detail).toMatch(/purged/);
    expect(
      (await request({ method: 'GET', url: `/v1/preserved-content/${textA.id}`, as: reviewer })).statusCode,
    ).toBe(404);
    const listed = (
      await request({ method: 'GET', url: `/v1/cases/${a.caseId}/preserved-content`, as: reviewer })
    ).json().items;
    expect(listed[0]).toMatchObject({
      id: textA.id,
      sha256: textA.sha256,
      md5: textA.md5,
      purged_at: desk.app.clock().toISOString(),
    });
    expect(listed[0].hashes.text_sha256).toBe(textA.hashes.text_sha256);
    const rowsA = await db()
      .selectFrom('evidence')
      .select(['sha256', 'md5', 'purged_at', 'preserved_until'])
      .where('notice_id', '=', a.noticeId)
      .execute();
    expect(
      rowsA.every(
        (r) => r.purged_at !== null && r.preserved_until !== null && /^[0-9a-f]{64}$/.test(r.sha256),
      ),
    ).toBe(true);
    expect(await blob(evidenceA[1]!.sha256)).toMatchObject({ data: null, size: onlyA.length });
    expect(await blob(textA.sha256)).toMatchObject({ data: null });
    // The shared screenshot is still needed by case B's evidence.
    expect((await blob(evidenceA[0]!.sha256)).data).not.toBeNull();

    // Case B, under hold: everything still there.
    const kept = await request({ method: 'GET', url: `/v1/preserved-content/${fileB.id}`, as: reviewer });
    expect(kept.statusCode).toBe(200);
    expect(kept.rawPayload.equals(capturedB)).toBe(true);
    expect(
      (
        await request({
          method: 'GET',
          url: `/v1/notices/${b.noticeId}/evidence/${evidenceB[0]!.id}`,
          as: reviewer,
        })
      ).statusCode,
    ).toBe(200);

    expect(await eventTypes(a.caseId)).toContain('purged');
    expect(await eventTypes(b.caseId)).not.toContain('purged');
    const audited = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('object_id', '=', a.caseId)
      .where('action', '=', 'case.purged')
      .execute();
    expect(audited).toEqual([{ action: 'case.purged', actor_id: 'worker' }]);

    // Released, the hold no longer keeps anything: the next pass takes case B, and the shared blob with it.
    const released = await request({
      method: 'POST',
      url: `/v1/legal-holds/${hold.json().id}/release`,
      as: lead,
      payload: { reason: 'Investigation closed' },
    });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ active: false, release_reason: 'Investigation closed' });
    expect(
      (await request({ method: 'POST', url: `/v1/legal-holds/${hold.json().id}/release`, as: lead }))
        .statusCode,
    ).toBe(409);
    const second = await purge();
    expect(second.cases.map((c) => c.case_id)).toEqual([b.caseId]);
    expect(second).toMatchObject({ evidence: 2, preserved_content: 1 });
    expect((await blob(evidenceB[0]!.sha256)).data).toBeNull();
    expect((await blob(fileB.sha256)).data).toBeNull();
    expect(await eventTypes(b.caseId)).toEqual(
      expect.arrayContaining(['legal_hold_placed', 'legal_hold_released', 'purged']),
    );
    expect((await purge()).cases).toEqual([]);
  });

  it('audits every access to preserved content', async () => {
    const c = await openCase('@audited_access');
    await decideRemove(c.caseId);
    const item = await depositFile(c.caseId, 'capture.png', await png('#123456'));
    expect(
      (await request({ method: 'GET', url: `/v1/cases/${c.caseId}/preserved-content`, as: lead })).statusCode,
    ).toBe(200);
    const download = await request({ method: 'GET', url: `/v1/preserved-content/${item.id}`, as: reviewer });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toMatch(/sandbox/);
    expect(download.headers['x-exposure-today']).toMatch(/^[1-9]\d*$/);

    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'change'])
      .where('object_id', '=', c.caseId)
      .orderBy('seq')
      .execute();
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'preserved_content.deposited',
        'preserved_content.listed',
        'case.content_revealed',
      ]),
    );
    const revealed = audit.find((a) => a.action === 'case.content_revealed')!.change as Record<
      string,
      unknown
    >;
    expect(revealed).toMatchObject({
      object_type: 'preserved_content',
      object_id: item.id,
      sha256: item.sha256,
    });
    const me = (await request({ method: 'GET', url: '/v1/me', as: reviewer })).json();
    const reveals = await db().selectFrom('reveals').selectAll().where('object_id', '=', item.id).execute();
    expect(reveals).toMatchObject([
      { reviewer_id: me.id, case_id: c.caseId, object_type: 'preserved_content', counted: true },
    ]);
  });

  it('keeps the content of a case still being worked, and of a notice not yet closed, past any date', async () => {
    const open = await openCase('@still_open_case');
    const [evidence] = await uploadEvidence(desk.app, analyst, open.noticeId, [
      { name: 'open.png', data: await png('#654321') },
    ]);
    await depositText(open.caseId, 'Captured before any decision.');
    await advance(400 * DAY);
    const report = await purge();
    expect(report.cases.map((c) => c.case_id)).not.toContain(open.caseId);
    expect((await blob(evidence!.sha256)).data).not.toBeNull();
  });

  it('refuses a deposit once the period is over unless a hold keeps the case, and a hold dated in the past', async () => {
    const c = await openCase('@late_deposit');
    await decideRemove(c.caseId);
    await advance((PERIOD_DAYS + 1) * DAY);
    const late = await request({
      method: 'POST',
      url: `/v1/cases/${c.caseId}/preserved-content`,
      as: reviewer,
      payload: { description: 'Late', text: 'Too late.' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(/preservation period of this case ended/);
    const past = await request({
      method: 'POST',
      url: `/v1/cases/${c.caseId}/legal-holds`,
      as: lead,
      payload: { reason: 'x', requested_by: 'Court', until: '2020-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
    await request({
      method: 'POST',
      url: `/v1/cases/${c.caseId}/legal-holds`,
      as: lead,
      payload: { reason: 'Court order', requested_by: 'Pengadilan Negeri Jakarta Pusat' },
    });
    const held = await depositText(c.caseId, 'Deposited under a court’s hold.');
    expect(new Date(held.preserved_until).getTime()).toBeLessThan(desk.app.clock().getTime());
    await purge();
    expect(
      (await request({ method: 'GET', url: `/v1/preserved-content/${held.id}`, as: reviewer })).statusCode,
    ).toBe(200);
  });

  it('a restrictive decision dates the case’s evidence and content, and never shortens a date', async () => {
    const c = await openCase('@dated_by_decision');
    const [evidence] = await uploadEvidence(desk.app, analyst, c.noticeId, [
      { name: 'd.png', data: await png('#0f0f0f') },
    ]);
    const text = await depositText(c.caseId, 'Captured for the dating test.');
    await advance(DAY);
    const decidedAt = desk.app.clock();
    const dated = await db()
      .transaction()
      .execute((trx) => preserveForDecision(trx, c.caseId, decidedAt, PERIOD_DAYS));
    expect(dated).toMatchObject({ evidence: 1, preserved_content: 1 });
    expect(dated.until.getTime()).toBe(decidedAt.getTime() + PERIOD_DAYS * DAY);
    const earlier = await db()
      .transaction()
      .execute((trx) =>
        preserveForDecision(trx, c.caseId, new Date(decidedAt.getTime() - 10 * DAY), PERIOD_DAYS),
      );
    expect(earlier).toMatchObject({ evidence: 0, preserved_content: 0 });
    const row = await db()
      .selectFrom('evidence')
      .select('preserved_until')
      .where('id', '=', evidence!.id)
      .executeTakeFirstOrThrow();
    expect(row.preserved_until).toEqual(dated.until);
    const content = await db()
      .selectFrom('preserved_content')
      .select('preserved_until')
      .where('id', '=', text.id)
      .executeTakeFirstOrThrow();
    expect(content.preserved_until).toEqual(dated.until);
  });

  it('two purgers at once purge each case once, and release a blob the cases shared', async () => {
    const cases = [
      await openCase('@parallel_purge_1'),
      await openCase('@parallel_purge_2'),
      await openCase('@parallel_purge_3'),
    ];
    const shared = await png('#babaca');
    let sharedSha = '';
    for (const [i, c] of cases.entries()) {
      const [item] = await uploadEvidence(desk.app, analyst, c.noticeId, [
        { name: 'p.png', data: await png(`#30303${i}`) },
        { name: 'shared.png', data: shared },
      ]);
      sharedSha = (
        await db()
          .selectFrom('evidence')
          .select('sha256')
          .where('notice_id', '=', c.noticeId)
          .where('filename', '=', 'shared.png')
          .executeTakeFirstOrThrow()
      ).sha256;
      expect(item).toBeDefined();
      await decideRemove(c.caseId);
    }
    await advance((PERIOD_DAYS + 1) * DAY);
    const [one, two] = await Promise.all([purge(), purge()]);
    const purged = [...one.cases, ...two.cases].map((c) => c.case_id);
    for (const c of cases) expect(purged.filter((id) => id === c.caseId)).toHaveLength(1);
    for (const c of cases) expect((await eventTypes(c.caseId)).filter((t) => t === 'purged')).toHaveLength(1);
    expect((await blob(sharedSha)).data).toBeNull();
  });
});
