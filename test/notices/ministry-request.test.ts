import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { PDF, png, postMultipart, uploadEvidence } from '../support/uploads.ts';

/**
 * SAMAN: a verified ministry request carries an official letter, a legal analysis, the URL or
 * ID, and a screenshot. The notice view says whether a request from the ministry does, and
 * what it lacks; requests of other notifiers are not SAMAN's and carry no such mark.
 */
let app: TestApp;
let ministry: Caller;
let ngo: Caller;

const request = (overrides: Record<string, unknown> = {}) => ({
  targets: ['https://t.me/saman_channel/3'],
  category: 'terrorism',
  legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
  legal_references: [{ instrument: 'UU 5/2018', provision: 'Pasal 13A' }],
  explanation: 'Synthetic request: the post recruits for a designated group.',
  reference: 'B-77/KOMDIGI/2026',
  good_faith: true,
  ...overrides,
});

beforeAll(async () => {
  app = await createTestApp();
  ministry = await app.loginAs('analis@komdigi.example');
  ngo = await app.loginAs('analyst@ngo.example');
});
afterAll(() => app?.close());

const view = async (id: string, as: Caller = ministry) =>
  (await app.request({ method: 'GET', url: `/v1/notices/${id}`, as })).json();

describe('a ministry request (SAMAN)', () => {
  it('is verified when it carries the letter, the legal analysis, the URL and a screenshot', async () => {
    const response = await postMultipart(
      app,
      '/v1/notices',
      ministry,
      [
        { name: 'surat-resmi.pdf', data: PDF },
        { name: 'tangkapan-layar.png', data: await png('#336699') },
      ],
      { notice: JSON.stringify(request({ targets: ['https://t.me/saman_channel/4'] })) },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect((await view(response.json().notice_id)).ministry_request).toEqual({ verified: true, missing: [] });
  });

  it('is marked not verified, with the missing parts, and becomes verified when they arrive', async () => {
    const sent = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: ministry,
      payload: request({ legal_references: [{ instrument: 'UU 5/2018' }] }),
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const id = sent.json().notice_id;
    expect((await view(id)).ministry_request).toEqual({
      verified: false,
      missing: ['letter', 'legal_analysis', 'screenshot'],
    });
    // The platform reads the same mark.
    const admin = await app.loginAs('admin@platform.example');
    expect((await view(id, admin)).ministry_request.verified).toBe(false);

    await uploadEvidence(app, ministry, id, [{ name: 'surat.pdf', data: PDF }]);
    expect((await view(id)).ministry_request.missing).toEqual(['legal_analysis', 'screenshot']);
    await uploadEvidence(app, ministry, id, [{ name: 'layar.png', data: await png('#993366') }]);
    expect((await view(id)).ministry_request.missing).toEqual(['legal_analysis']);
  });

  it('is no mark at all for a notifier that is not a ministry', async () => {
    const sent = await app.request({
      method: 'POST',
      url: '/v1/notices',
      as: ngo,
      payload: request({ targets: ['@ngo_saman_channel'] }),
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect((await view(sent.json().notice_id, ngo)).ministry_request).toBeNull();
  });
});
