import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * DSA Art. 22(1): a trusted flagger's priority holds within the area it is designated for.
 * The ministry's organisation is designated here for terrorism in Indonesia only; a notice of
 * it about gambling, or about Malaysia, is a regular notice: regular source type, regular
 * deadline, not marked trusted in the queue.
 */
let app: TestApp;
let analyst: Caller;
let lead: Caller;

const notice = (target: string, category: string, jurisdiction = 'ID') => ({
  targets: [target],
  category,
  jurisdiction,
  explanation: 'Synthetic test notice about the designated area of a trusted flagger.',
  good_faith: true,
});

beforeAll(async () => {
  app = await createTestApp();
  analyst = await app.loginAs('analis@komdigi.example');
  lead = await app.loginAs('lead@platform.example');
  const admin = await app.loginAs('admin@platform.example');
  const malaysia = await app.request({
    method: 'PUT',
    url: '/v1/jurisdictions/MY',
    as: admin,
    payload: {
      name: 'Malaysia',
      legal_representative: { name: 'Demo Platform Sdn Bhd' },
      contact_point: { name: 'Compliance', email: 'my@platform.example' },
      languages: ['ms', 'en'],
      time_zone: 'Asia/Kuala_Lumpur',
    },
  });
  expect(malaysia.statusCode, malaysia.body).toBeLessThan(300);
  const designated = await app.request({
    method: 'POST',
    url: '/v1/flaggers/komdigi/status',
    as: lead,
    payload: {
      status: 'trusted',
      reasons: 'Synthetic: designated for terrorism content in Indonesia only.',
      designated_by: 'Synthetic designating authority',
      designated_categories: ['terrorism'],
      designated_jurisdictions: ['ID'],
    },
  });
  expect(designated.statusCode, designated.body).toBe(201);
});
afterAll(() => app?.close());

const submit = async (body: object) => {
  const response = await app.request({ method: 'POST', url: '/v1/notices', as: analyst, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};

describe('a trusted flagger’s designated area', () => {
  it('gives trusted priority inside the designated area only, not to a notice outside it', async () => {
    const inside = await submit(notice('@area_inside_channel', 'terrorism'));
    const otherCategory = await submit(notice('@area_gambling_channel', 'gambling'));
    const otherCountry = await submit(notice('@area_malaysia_channel', 'terrorism', 'MY'));
    expect(inside.source_type).toBe('trusted_flagger');
    expect(otherCategory.source_type).toBe('regular_notice');
    expect(otherCountry.source_type).toBe('regular_notice');
    // The trusted internal target (1 h) is for the designated area; gambling gets 24 h.
    const hours = (r: { received_at: string; target_deadline: string }) =>
      (new Date(r.target_deadline).getTime() - new Date(r.received_at).getTime()) / 3_600_000;
    expect(hours(inside)).toBe(1);
    expect(hours(otherCategory)).toBeGreaterThan(1);

    const queue = (await app.request({ method: 'GET', url: '/v1/queue?limit=500', as: lead })).json()
      .items as { case_id: string; trusted: boolean }[];
    const trustedOf = (r: { targets: { case_id: string }[] }) =>
      queue.find((i) => i.case_id === r.targets[0]!.case_id)?.trusted;
    expect(trustedOf(inside)).toBe(true);
    expect(trustedOf(otherCategory)).toBe(false);
  });
});
