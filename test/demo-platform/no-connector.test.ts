import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Issue 16, Found 1: outside demo mode with no connector configured, a decision that must act
 * is refused before anything is written, with the settings to set, not a pointer at a field
 * the reviewer never sent.
 */
let app: TestApp;
let reviewer: Caller;
let caseId: string;

beforeAll(async () => {
  app = await createTestApp();
  const analyst = await app.loginAs('analis@komdigi.example');
  const notice = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      targets: ['https://t.me/some_channel_x/5'],
      category: 'terrorism',
      explanation: 'Synthetic test notice about incitement.',
      good_faith: true,
    },
  });
  caseId = notice.json().targets[0].case_id;
  reviewer = await app.loginAs('peninjau@platform.example');
  await app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: reviewer, payload: {} });
});
afterAll(async () => {
  await app.close();
});

const remove = {
  outcome: 'remove',
  grounds: { illegal: { legal_ground: 'UU 5/2018', explanation: 'Synthetic test grounds.' } },
};

describe('a decision with no connector configured', () => {
  it('is refused with a 409 that names the settings, and the case is still open', async () => {
    for (const url of [`/v1/cases/${caseId}/decisions/preview`, `/v1/cases/${caseId}/decisions`]) {
      const response = await app.request({ method: 'POST', url, as: reviewer, payload: remove });
      expect(response.statusCode, url).toBe(409);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      const problem = response.json();
      expect(problem.detail).toMatch(/TAPIS_PLATFORM_WEBHOOK_URL/);
      expect(problem.detail).toMatch(/TAPIS_TELEGRAM_BOT_TOKEN/);
      expect(problem.detail).toMatch(/TAPIS_DEMO/);
      expect(JSON.stringify(problem)).not.toMatch(/\/actions\/0/);
      expect(problem.settings).toContain('TAPIS_PLATFORM_WEBHOOK_URL');
    }
    const file = await app.request({ method: 'GET', url: `/v1/cases/${caseId}`, as: reviewer });
    expect(file.json().status).toBe('in_review');
    expect(file.json().decisions ?? []).toEqual([]);
  });

  it('a decision that needs no action (no_action) still goes through', async () => {
    const response = await app.request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: reviewer,
      payload: { outcome: 'no_action' },
    });
    expect(response.statusCode).toBe(201);
  });

  it('an action that names an unconfigured connector says which setting turns it on', async () => {
    const response = await app.request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions/preview`,
      as: reviewer,
      payload: { ...remove, actions: [{ type: 'remove_message', connector: 'telegram_bot' }] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({
      pointer: '/actions/0',
      detail: expect.stringMatching(/TAPIS_TELEGRAM_BOT_TOKEN/),
    });
  });
});
