import { expect } from 'vitest';
import type { Caller, TestApp } from './app.ts';

/** Helpers for the government channel's tests (issue 14): notices, decisions, problems. */
export const HOUR = 3_600_000;

export function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  pointer?: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  if (pointer)
    expect(JSON.parse(response.body).errors?.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
}

/** Malformed, oversized, unknown-field and hostile-unicode bodies for a route that takes `good`. */
export function badBodies(good: Record<string, unknown>, textField: string): [string, object][] {
  return [
    ['a body that is not an object', [1, 2]],
    ['an unknown field', { ...good, sneaky: true }],
    ['an oversized text', { ...good, [textField]: 'x'.repeat(20_001) }],
    ['a text of only whitespace', { ...good, [textField]: ' \u00a0\t\n ' }],
    ['a number where text belongs', { ...good, [textField]: 12 }],
    ['a NUL character in the text', { ...good, [textField]: 'Synthetic \u0000 text' }],
    ['a lone surrogate in the text', { ...good, [textField]: 'Synthetic \ud800 text' }],
    ['hostile unicode in a field name', { ...good, '\u202e\u200bfield': 'x' }],
  ];
}

export async function submitNotice(
  app: TestApp,
  as: Caller,
  target: string,
  overrides: Record<string, unknown> = {},
): Promise<{ notice_id: string; deadline: string; targets: { case_id: string }[] }> {
  const response = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as,
    payload: {
      targets: [target],
      category: 'terrorism',
      explanation: 'Synthetic test notice: the post recruits for a designated group.',
      good_faith: true,
      ...overrides,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function view(app: TestApp, id: string, as: Caller) {
  const response = await app.request({ method: 'GET', url: `/v1/notices/${id}`, as });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export async function eventTypes(app: TestApp, noticeId: string, as: Caller): Promise<string[]> {
  const response = await app.request({
    method: 'GET',
    url: `/v1/events?limit=1000&notice_id=${noticeId}`,
    as,
  });
  return (response.json().items as { type: string }[]).map((e) => e.type);
}

export async function eventsOf(app: TestApp, noticeId: string, as: Caller) {
  const response = await app.request({
    method: 'GET',
    url: `/v1/events?limit=1000&notice_id=${noticeId}`,
    as,
  });
  return response.json().items as { type: string; data: Record<string, unknown> }[];
}

/** Claims the case and decides it; returns the decision id. */
export async function decideCase(
  app: TestApp,
  caseId: string,
  as: Caller,
  decision: Record<string, unknown>,
) {
  const claim = await app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as });
  expect(claim.statusCode, claim.body).toBe(200);
  const response = await app.request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as,
    payload: decision,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().decision_id as string;
}
