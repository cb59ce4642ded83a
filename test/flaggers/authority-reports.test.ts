import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalDigest } from '../../src/core/canonical-json.ts';
import { cliActor } from '../../src/identity/actor.ts';
import { createOrganisation } from '../../src/identity/organisations.ts';
import { createUser } from '../../src/identity/users.ts';
import { DEMO_PASSWORD } from '../../src/runtime/demo.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';

/**
 * DSA Art. 22(6): a trusted flagger's imprecise notices are reported to the authority that
 * designated it, with the supporting documents. A lead sends the evidence pack; tapis keeps
 * what was sent, to whom, when and its digest, audits it, and delivers it through the outbox
 * to the authority's organisation, whose users read exactly that pack.
 */
let desk: Desk;
let lead: Caller;
let reviewer: Caller;
let analyst: Caller;
let authority: Caller;

beforeAll(async () => {
  desk = await createDesk();
  const { app } = desk;
  await createOrganisation(
    app.ctx.db,
    cliActor,
    { slug: 'dsc', name: 'Synthetic Digital Services Coordinator', kind: 'government' },
    app.clock(),
  );
  await createUser(
    app.ctx.db,
    cliActor,
    {
      org: 'dsc',
      email: 'officer@dsc.example',
      display_name: 'DSC officer',
      roles: ['flagger'],
      password: DEMO_PASSWORD,
      languages: ['en'],
      jurisdictions: ['ID'],
    },
    app.clock(),
  );
  [lead, reviewer, analyst, authority] = await Promise.all([
    app.loginAs('lead@platform.example'),
    app.loginAs('peninjau@platform.example'),
    app.loginAs('analis@komdigi.example'),
    app.loginAs('officer@dsc.example'),
  ]);
  // One of the flagger's notices, rejected as unsubstantiated: the pack has a row to show.
  const receipt = await desk.submit(analyst, {
    targets: ['@imprecise_notice_channel'],
    category: 'terrorism',
    explanation: 'Synthetic test notice that the reviewer finds unsubstantiated.',
    good_faith: true,
  });
  const caseId = receipt.targets[0]!.case_id;
  await app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer });
  const decided = await app.request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: reviewer,
    payload: { outcome: 'reject_unsubstantiated', language: 'id' },
  });
  expect(decided.statusCode, decided.body).toBe(201);
});
afterAll(() => desk?.close());

const send = (body: unknown, slug = 'komdigi', as: Caller = lead) =>
  desk.app.request({
    method: 'POST',
    url: `/v1/flaggers/${slug}/authority-reports`,
    as,
    payload: body as object,
  });

describe('reporting a trusted flagger to its designating authority', () => {
  it('sends the evidence pack to the authority’s organisation, recorded with its digest, audited, through the outbox', async () => {
    const { app } = desk;
    const response = await send({ authority: 'dsc', note: 'Synthetic: most notices were unfounded.' });
    expect(response.statusCode, response.body).toBe(201);
    const report = response.json();
    expect(report).toMatchObject({
      flagger: 'komdigi',
      authority: 'dsc',
      rows: 1,
      precision: 0,
      submitted_at: app.clock().toISOString(),
      delivered_at: null,
    });
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'flagger.reported_to_authority')
      .execute();
    expect(audit).toHaveLength(1);

    // Before delivery the authority has nothing; the outbox delivers it.
    const before = await app.request({ method: 'GET', url: '/v1/authority-reports', as: authority });
    expect(before.json().items).toEqual([]);
    await desk.worker.runOnce();
    const inbox = (await app.request({ method: 'GET', url: '/v1/authority-reports', as: authority })).json();
    expect(inbox.items.map((r: { id: string }) => r.id)).toEqual([report.id]);
    expect(inbox.items[0].delivered_at).not.toBeNull();

    // What the authority reads is the pack as sent: its digest recomputes.
    const read = await app.request({
      method: 'GET',
      url: `/v1/authority-reports/${report.id}`,
      as: authority,
    });
    expect(read.statusCode).toBe(200);
    expect(canonicalDigest(read.json().pack)).toBe(report.digest);
    expect(read.json().pack.rows[0]).toMatchObject({ counted_as: 'not_upheld' });

    // Another flagger organisation does not read it; the platform's leads do.
    const other = await app.request({
      method: 'GET',
      url: `/v1/authority-reports/${report.id}`,
      as: analyst,
    });
    expect(other.statusCode).toBe(404);
    const listed = (
      await app.request({ method: 'GET', url: '/v1/authority-reports?flagger=komdigi', as: lead })
    ).json();
    expect(listed.items).toHaveLength(1);
  });

  it('refuses an unknown or non-government authority, an unknown flagger and bad input with a problem', async () => {
    const ngo = await send({ authority: 'ngo' });
    expect(ngo.statusCode).toBe(400);
    expect(ngo.json().errors[0].pointer).toBe('/authority');
    expect((await send({ authority: 'nobody' })).json().errors[0].pointer).toBe('/authority');
    expect((await send({ authority: 'dsc' }, 'no-such-flagger')).statusCode).toBe(404);
    const unknownField = await send({ authority: 'dsc', recipients: ['x'] });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await send({ authority: 'dsc', note: 'x'.repeat(5001) })).statusCode).toBe(400);
    expect((await send({ authority: 'dsc\u202e' })).statusCode).toBe(400);
    expect((await send({ authority: 'dsc', from: '2026-12-01', to: '2026-01-01' })).statusCode).toBe(400);
    const malformed = await desk.app.request({
      method: 'POST',
      url: '/v1/flaggers/komdigi/authority-reports',
      as: lead,
      headers: { 'content-type': 'application/json' },
      payload: '{"authority": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(
      (await desk.app.request({ method: 'GET', url: '/v1/authority-reports/not-a-uuid', as: lead }))
        .statusCode,
    ).toBe(400);
    const reports = await desk.app.ctx.db.selectFrom('authority_reports').select('id').execute();
    expect(reports).toHaveLength(1);
  });
});
