import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  markPrecisionDue,
  precisionSettings,
  reviewAllFlaggers,
  reviewDueFlaggers,
  reviewFlaggerPrecision,
} from '../../src/flaggers/precision-review.ts';
import { liftEndedSuspensions } from '../../src/flaggers/suspensions.ts';
import { cliActor } from '../../src/identity/actor.ts';
import { createOrganisation } from '../../src/identity/organisations.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';

/**
 * A failing flagger (issue 4, "What it must show"): a trusted flagger whose notices are
 * mostly rejected drops below the threshold and the alert fires; its figure matches a hand
 * count; an appeal reversal moves it; the evidence pack holds exactly the rows behind it;
 * and warning → suspension → intake refused → the suspension lifts when its period ends.
 */
let desk: Desk;
let admin: Caller;
let lead: Caller;
let peninjau: Caller;
let auditor: Caller;
let watchdog: Caller;

const DAY = 86_400_000;
const request = (...args: Parameters<Desk['app']['request']>) => desk.app.request(...args);
const settings = () => precisionSettings(desk.app.ctx.config);
const hourlyPass = () => reviewAllFlaggers(desk.app.ctx.db, settings(), desk.app.clock());
const duePass = () => reviewDueFlaggers(desk.app.ctx.db, settings(), desk.app.clock());
const marked = async () =>
  (await desk.app.ctx.db.selectFrom('flagger_precision_due').select('org_id').execute()).map((r) => r.org_id);
const detail = async () => (await request({ method: 'GET', url: '/v1/flaggers/watchdog', as: lead })).json();
const openAlerts = async () =>
  (await request({ method: 'GET', url: '/v1/alerts?kind=flagger_precision_low', as: lead })).json().items as {
    id: string;
    org_slug: string;
    data: { figure: Record<string, number> };
  }[];

const notice = (targets: string[]) => ({
  targets,
  category: 'terrorism',
  reference: `WD-${targets[0]}`,
  explanation: 'Synthetic test notice for flagger governance.',
  good_faith: true,
});
const decisions = {
  remove: {
    outcome: 'remove',
    grounds: {
      illegal: { legal_ground: 'UU 5/2018', explanation: 'Synthetic: propaganda of a designated group.' },
    },
  },
  no_action: { outcome: 'no_action' },
  reject: { outcome: 'reject_unsubstantiated' },
} as const;

/** The hand count: every target the flagger named, and what the reviewers decided. */
interface Judged {
  notice_id: string;
  idx: number;
  case_id: string;
  decision: keyof typeof decisions | 'impossible' | null;
}
const judged: Judged[] = [];

async function decide(caseId: string, kind: keyof typeof decisions): Promise<string> {
  expect((await request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode).toBe(
    200,
  );
  const response = await request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: peninjau,
    payload: decisions[kind],
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().decision_id;
}

beforeAll(async () => {
  desk = await createDesk();
  admin = await desk.app.loginAs('admin@platform.example');
  lead = await desk.app.loginAs('lead@platform.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  auditor = await desk.app.loginAs('auditor@platform.example');
  const org = await request({
    method: 'POST',
    url: '/v1/orgs',
    as: admin,
    payload: { slug: 'watchdog', name: 'Synthetic watchdog', kind: 'ngo' },
  });
  expect(org.statusCode).toBe(201);
  expect(org.json()).toMatchObject({ flagger_status: 'regular' });
  const user = await request({
    method: 'POST',
    url: '/v1/users',
    as: admin,
    payload: {
      org: 'watchdog',
      email: 'analyst@watchdog.example',
      display_name: 'Watchdog Analyst',
      roles: ['flagger'],
      languages: ['id'],
      jurisdictions: ['ID'],
      password: 'tapis-demo-2026',
    },
  });
  expect(user.statusCode).toBe(201);
  watchdog = await desk.app.loginAs('analyst@watchdog.example');
});
afterAll(() => desk.close());

async function logInAgain(): Promise<void> {
  lead = await desk.app.loginAs('lead@platform.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  auditor = await desk.app.loginAs('auditor@platform.example');
  watchdog = await desk.app.loginAs('analyst@watchdog.example');
}

describe('a failing flagger', () => {
  it('is designated trusted by a decision with reasons, visible in its history', async () => {
    const response = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/status',
      as: lead,
      payload: {
        status: 'trusted',
        reasons: 'Designated by the coordinator for terrorist content.',
        designated_by: 'Digital Services Coordinator',
        designated_categories: ['terrorism'],
        designated_jurisdictions: ['ID'],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ from_status: 'regular', to_status: 'trusted' });
    const flagger = await detail();
    expect(flagger).toMatchObject({
      flagger_status: 'trusted',
      designated_by: 'Digital Services Coordinator',
      designated_categories: ['terrorism'],
    });
    expect(flagger.status_history).toHaveLength(1);
  });

  it('cannot be made trusted by creating it so: trust is a designation, decided with reasons', async () => {
    const response = await request({
      method: 'POST',
      url: '/v1/orgs',
      as: admin,
      payload: { slug: 'self-trusted', name: 'Synthetic', kind: 'ngo', flagger_status: 'trusted' },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toMatch(/flagger_status/);
    await expect(
      createOrganisation(
        desk.app.ctx.db,
        cliActor,
        { slug: 'cli-trusted', name: 'Synthetic', kind: 'ngo', flagger_status: 'trusted' },
        desk.app.clock(),
      ),
    ).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/designated it/) });
  });

  it('sends notices that reviewers mostly reject; below ten decided, no alert yet', async () => {
    // 11 one-target notices, one two-target notice, one left undecided, one declared impossible.
    for (let i = 0; i < 11; i++) {
      const { notice_id, targets } = await desk.submit(watchdog, notice([`@wd_channel_${i}`]));
      judged.push({ notice_id, idx: 0, case_id: targets[0]!.case_id, decision: null });
    }
    const pair = await desk.submit(watchdog, notice(['@wd_pair_a', '@wd_pair_b']));
    for (const [idx, t] of pair.targets.entries())
      judged.push({ notice_id: pair.notice_id, idx, case_id: t.case_id, decision: null });
    const undecided = await desk.submit(watchdog, notice(['@wd_undecided']));
    judged.push({
      notice_id: undecided.notice_id,
      idx: 0,
      case_id: undecided.targets[0]!.case_id,
      decision: null,
    });
    const impossible = await desk.submit(watchdog, notice(['@wd_impossible']));
    const declared = await request({
      method: 'POST',
      url: `/v1/notices/${impossible.notice_id}/impossible-for-good`,
      as: peninjau,
      payload: {
        reason: 'de_facto_impossibility',
        explanation: 'Synthetic: the channel is on another service.',
      },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    judged.push({
      notice_id: impossible.notice_id,
      idx: 0,
      case_id: impossible.targets[0]!.case_id,
      decision: 'impossible',
    });

    // The plan: 3 removed, 6 no action, 4 rejected as unsubstantiated (13 decided targets).
    const plan: (keyof typeof decisions)[] = [
      'remove',
      'no_action',
      'reject',
      'no_action',
      'reject',
      'remove',
      'no_action',
      'reject',
      'no_action',
      'no_action',
      'reject',
      'remove',
      'no_action',
    ];
    for (const [i, kind] of plan.entries()) {
      if (i === 9) {
        // Nine decided: a poor figure, but too few to judge (TAPIS_FLAGGER_MIN_DECIDED).
        expect(await hourlyPass()).toBe(0);
        expect(await openAlerts()).toHaveLength(0);
      }
      await decide(judged[i]!.case_id, kind);
      judged[i]!.decision = kind;
    }
    // Each decision marked its notifier due for review, once however many decisions.
    const org = await desk.app.ctx.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'watchdog')
      .executeTakeFirstOrThrow();
    expect(await marked()).toEqual([org.id]);
  });

  it('drops below the threshold: the alert fires once, and the figure matches the hand count', async () => {
    const decided = judged.filter((j) => j.decision !== null && j.decision !== 'impossible');
    const upheld = decided.filter((j) => j.decision === 'remove').length;
    expect({ upheld, decided: decided.length }).toEqual({ upheld: 3, decided: 13 });

    // The decisions marked the flagger due; the due pass (every 2 s in a running server)
    // reviews it and raises the alert, and takes the mark; the hourly pass then finds the
    // alert open and raises no second one.
    await duePass();
    expect(await marked()).toEqual([]);
    expect(await hourlyPass()).toBe(0);
    const alerts = await openAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ org_slug: 'watchdog' });
    const atAlert = alerts[0]!.data.figure as { upheld: number; decided: number };
    expect(atAlert.decided).toBeGreaterThanOrEqual(10);
    expect(atAlert.upheld / atAlert.decided).toBeLessThan(0.7);

    const figure = (await detail()).figures.last_90_days;
    expect(figure).toEqual({
      precision: upheld / decided.length,
      upheld,
      not_upheld: decided.length - upheld,
      decided: decided.length,
      reversed_on_appeal: 0,
      overturned_for_notifier: 0,
      notices: new Set(decided.map((j) => j.notice_id)).size,
      excluded: 1,
      undecided: 1,
    });
    const listed = (await request({ method: 'GET', url: '/v1/flaggers', as: auditor })).json().items;
    expect(listed.find((f: { slug: string }) => f.slug === 'watchdog')).toMatchObject({
      below_threshold: true,
      figures: { last_90_days: { upheld, decided: decided.length } },
    });

    // Still below: the next passes raise nothing more.
    expect(await hourlyPass()).toBe(0);
    expect(await openAlerts()).toHaveLength(1);
  });

  it('is reviewed by the due pass at most every 30 s: a newer mark waits for the next turn', async () => {
    const { db } = desk.app.ctx;
    const org = await db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'watchdog')
      .executeTakeFirstOrThrow();
    const now = desk.app.clock();
    const mark = () =>
      db
        .transaction()
        .execute((trx) => markPrecisionDue(trx, [org.id, '00000000-0000-7000-8000-0000000000ff'], now));
    const reviewedAt = new Map([[org.id, now.getTime() - 10_000]]);
    await mark();
    // Reviewed 10 s ago: the mark stays. A platform or unknown organisation is never marked.
    await reviewDueFlaggers(db, settings(), now, reviewedAt);
    expect(await marked()).toEqual([org.id]);
    // 30 s after the last review, the pass takes it and remembers the time.
    const later = new Date(now.getTime() + 20_000);
    await reviewDueFlaggers(db, settings(), later, reviewedAt);
    expect(await marked()).toEqual([]);
    expect(reviewedAt.get(org.id)).toBe(later.getTime());
  });

  it('is acknowledged by a lead, and not raised again while the figure stays below', async () => {
    const [alert] = await openAlerts();
    const acknowledged = await request({
      method: 'POST',
      url: `/v1/alerts/${alert!.id}/acknowledge`,
      as: lead,
    });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json().acknowledged_at).not.toBeNull();
    expect(
      (await request({ method: 'POST', url: `/v1/alerts/${alert!.id}/acknowledge`, as: lead })).statusCode,
    ).toBe(409);
    expect(await hourlyPass()).toBe(0);
    expect(await openAlerts()).toHaveLength(0);
  });

  it('is reviewed again after a decision: recovered then below again, a new alert fires', async () => {
    const { db } = desk.app.ctx;
    const orgId = (
      await db
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'watchdog')
        .executeTakeFirstOrThrow()
    ).id;
    const now = desk.app.clock();
    // What the due and hourly passes call, each in a transaction; a lenient threshold stands for a recovery.
    const [recovered] = await db
      .transaction()
      .execute((trx) => reviewFlaggerPrecision(trx, [orgId], { ...settings(), threshold: 0.1 }, now));
    expect(recovered).toMatchObject({ below: false, alert_id: null });
    const [again] = await db
      .transaction()
      .execute((trx) => reviewFlaggerPrecision(trx, [orgId], settings(), now));
    expect(again!.alert_id).not.toBeNull();
    expect(await openAlerts()).toHaveLength(1);
  });

  it('counts a removal reversed on appeal as not upheld', async () => {
    // The appeals API is being built alongside: the reversal is set up as it records one
    // (src/appeals/decide.ts: an upheld affected-user appeal, decisions.reverted_at, the
    // case's and its targets' outcome `reverted`).
    const { db } = desk.app.ctx;
    const reversed = judged.find((j) => j.decision === 'remove')!;
    const kase = await db
      .selectFrom('cases')
      .select(['decision_id'])
      .where('id', '=', reversed.case_id)
      .executeTakeFirstOrThrow();
    const at = desk.app.clock();
    await db
      .insertInto('appeals')
      .values({
        id: '00000000-0000-7000-8000-00000000a001',
        case_id: reversed.case_id,
        decision_id: kase.decision_id!,
        appellant_type: 'affected_user',
        appellant: JSON.stringify({ channel: 'synthetic' }),
        notice_id: null,
        grounds: 'Synthetic: the post was news reporting.',
        status: 'decided',
        decided_by: null,
        decided_at: at,
        outcome: 'upheld',
        reasons: 'Synthetic reversal.',
        created_at: at,
      })
      .execute();
    await db.updateTable('decisions').set({ reverted_at: at }).where('id', '=', kase.decision_id!).execute();
    await db.updateTable('cases').set({ outcome: 'reverted' }).where('id', '=', reversed.case_id).execute();
    await db
      .updateTable('notice_targets')
      .set({ outcome: 'reverted', outcome_at: at })
      .where('case_id', '=', reversed.case_id)
      .execute();

    const figure = (await detail()).figures.last_90_days;
    expect(figure).toMatchObject({
      upheld: 2,
      not_upheld: 11,
      decided: 13,
      reversed_on_appeal: 1,
      precision: 2 / 13,
    });
  });

  it('exports an evidence pack with exactly the rows behind the figure, as JSON and CSV, audited', async () => {
    const behind = judged
      .filter((j) => j.decision !== null && j.decision !== 'impossible')
      .map((j) => `${j.notice_id}#${j.idx}`);
    const json = await request({ method: 'GET', url: '/v1/flaggers/watchdog/evidence-pack', as: auditor });
    expect(json.statusCode).toBe(200);
    const pack = json.json();
    expect(
      pack.rows
        .map((r: { notice_id: string; target_index: number }) => `${r.notice_id}#${r.target_index}`)
        .sort(),
    ).toEqual([...behind].sort());
    expect(pack.figure).toMatchObject({ upheld: 2, decided: 13 });
    expect(pack.rows.filter((r: { counted_as: string }) => r.counted_as === 'upheld')).toHaveLength(2);
    const reversedRow = pack.rows.find((r: { appeal_outcome: string }) => r.appeal_outcome === 'upheld');
    expect(reversedRow).toMatchObject({
      outcome: 'reverted',
      decision_outcome: 'remove',
      appeal_by: 'affected_user',
      counted_as: 'not_upheld',
    });
    expect(JSON.stringify(pack)).not.toMatch(/news reporting|appellant|Synthetic reversal/);

    const csv = await request({
      method: 'GET',
      url: '/v1/flaggers/watchdog/evidence-pack?format=csv',
      as: lead,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => `${r.notice_id}#${r.target_index}`).sort()).toEqual([...behind].sort());
    expect(rows.filter((r) => r.counted_as === 'upheld')).toHaveLength(2);

    const audit = (
      await request({ method: 'GET', url: '/v1/audit?action=flagger.evidence_pack_exported', as: auditor })
    ).json().items;
    expect(audit.map((e: { change: { format: string } }) => e.change.format)).toEqual(['json', 'csv']);
  });

  it('is warned, then suspended for a period: intake refuses its notices until the period ends', async () => {
    const refused = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/status',
      as: lead,
      payload: {
        status: 'suspended',
        reasons: 'Manifestly unfounded notices.',
        until: new Date(desk.app.clock().getTime() + 7 * DAY).toISOString(),
      },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/prior warning/);

    const cited = judged.filter((j) => j.decision === 'reject').map((j) => j.notice_id);
    const warning = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/warnings',
      as: lead,
      payload: { reason: 'Most of your recent notices were manifestly unfounded.', notice_ids: cited },
    });
    expect(warning.statusCode, warning.body).toBe(201);
    const thread = (
      await request({ method: 'GET', url: `/v1/notices/${cited[0]}/thread`, as: watchdog })
    ).json().items;
    expect(thread.at(-1)).toMatchObject({
      side: 'platform',
      body: expect.stringMatching(/^Warning \(DSA Art\. 23\(2\)\)/),
    });

    const until = new Date(desk.app.clock().getTime() + 7 * DAY);
    const suspended = await request({
      method: 'POST',
      url: '/v1/flaggers/watchdog/status',
      as: lead,
      payload: {
        status: 'suspended',
        reasons: 'Warned; still manifestly unfounded notices (DSA Art. 23(2)).',
        until: until.toISOString(),
      },
    });
    expect(suspended.statusCode, suspended.body).toBe(201);
    expect(suspended.json()).toMatchObject({
      from_status: 'trusted',
      to_status: 'suspended',
      until: until.toISOString(),
    });

    const refusedNotice = await request({
      method: 'POST',
      url: '/v1/notices',
      as: watchdog,
      payload: notice(['@wd_while_suspended']),
    });
    expect(refusedNotice.statusCode).toBe(403);
    expect(refusedNotice.json().detail).toMatch(/suspended/);
    // Its complaints too (DSA Art. 23(2)): an appeal against a rejection it could otherwise make.
    const refusedAppeal = await request({
      method: 'POST',
      url: `/v1/notices/${cited[0]}/appeals`,
      as: watchdog,
      payload: { grounds: 'Synthetic appeal: the rejected notice was well founded.' },
    });
    expect(refusedAppeal.statusCode).toBe(403);
    expect(refusedAppeal.json().detail).toMatch(/appeals are suspended/);

    desk.app.clock.advance(DAY);
    expect(await liftEndedSuspensions(desk.app.ctx.db, desk.app.clock())).toBe(0);
    desk.app.clock.advance(6 * DAY + 60_000);
    expect(await liftEndedSuspensions(desk.app.ctx.db, desk.app.clock())).toBe(1);
    await logInAgain(); // a week has passed: the sessions have expired
    expect(await detail()).toMatchObject({ flagger_status: 'trusted', suspended_until: null });
    // Intake keeps the notifier's organisation for two seconds (src/notices/intake.ts): the lift applies within that.
    let accepted = 0;
    for (let i = 0; i < 40 && accepted !== 201; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      accepted = (
        await request({
          method: 'POST',
          url: '/v1/notices',
          as: watchdog,
          payload: notice([`@wd_after_suspension_${i}`]),
        })
      ).statusCode;
    }
    expect(accepted).toBe(201);
  });

  it('keeps every status decision in the history and the audit chain, with its reasons', async () => {
    const flagger = await detail();
    expect(
      flagger.status_history.map(
        (c: { from_status: string; to_status: string }) => `${c.from_status}→${c.to_status}`,
      ),
    ).toEqual(['regular→trusted', 'trusted→suspended', 'suspended→trusted']);
    expect(flagger.status_history[2]).toMatchObject({
      decided_by: 'flagger-suspensions',
      reasons: expect.stringMatching(/suspension ended/),
    });
    expect(flagger.warnings).toHaveLength(1);
    const audit = (
      await request({ method: 'GET', url: '/v1/audit?action=flagger.status_changed', as: auditor })
    ).json().items;
    expect(audit.map((e: { change: { to_status: string; reasons: string } }) => e.change.to_status)).toEqual([
      'trusted',
      'suspended',
      'trusted',
    ]);
    expect(audit.every((e: { change: { reasons: string } }) => e.change.reasons.length > 0)).toBe(true);
    expect((await request({ method: 'GET', url: '/v1/audit/verify', as: auditor })).json()).toMatchObject({
      ok: true,
    });
  });

  it('is not for reviewers or flaggers to change', async () => {
    expect(
      (
        await request({
          method: 'POST',
          url: '/v1/flaggers/watchdog/status',
          as: peninjau,
          payload: { status: 'regular', reasons: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await request({ method: 'GET', url: '/v1/flaggers/watchdog/evidence-pack', as: watchdog })).statusCode,
    ).toBe(403);
  });
});
