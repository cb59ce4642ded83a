import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueSubmissions } from '../../src/transparency/submission.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { insertStatement } from '../support/statements.ts';

/**
 * GET /v1/statements/submissions: each statement's state with the Transparency Database,
 * filtered by state, day queued, puid and case, paged newest first; for leads, admins and
 * auditors only (the authorisation matrix has the full list).
 */
let app: TestApp;
let lead: Caller;
let auditor: Caller;
let reviewer: Caller;
let flagger: Caller;
const made: { statementId: string; decisionId: string; caseId: string }[] = [];

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2026-06-01T08:00:00Z');
  // Seven statements queued on 1 June, five on 2 June, one outside the EU/EEA.
  for (let i = 0; i < 12; i++)
    made.push(await insertStatement(app.ctx.db, { at: new Date(Date.UTC(2026, 4, 1, i)) }));
  made.push(
    await insertStatement(app.ctx.db, {
      at: new Date('2026-05-02T00:00:00Z'),
      facts: { territories: ['ID'] },
    }),
  );
  await queueSubmissions(app.ctx.db, app.clock(), 7);
  app.clock.set('2026-06-02T08:00:00Z');
  await queueSubmissions(app.ctx.db, app.clock());
  const db = app.ctx.db;
  await db
    .updateTable('tdb_submissions')
    .set({
      status: 'submitted',
      attempts: 1,
      tdb_uuid: 'tdb-0001',
      submitted_at: new Date('2026-06-02T09:00:00Z'),
    })
    .where('statement_id', '=', made[0]!.statementId)
    .execute();
  await db
    .updateTable('tdb_submissions')
    .set({ status: 'failed', attempts: 30, last_error: 'HTTP 503 from the Transparency Database' })
    .where('statement_id', '=', made[1]!.statementId)
    .execute();
  await db
    .updateTable('tdb_submissions')
    .set({ status: 'refused', attempts: 1, last_error: '{"decision_ground":["invalid"]}' })
    .where('statement_id', '=', made[2]!.statementId)
    .execute();
  lead = await app.loginAs('lead@platform.example');
  auditor = await app.loginAs('auditor@platform.example');
  reviewer = await app.loginAs('reviewer@platform.example');
  flagger = await app.loginAs('analis@komdigi.example');
});
afterAll(() => app.close());

const list = (query: string, as: Caller = lead) =>
  app.request({ method: 'GET', url: `/v1/statements/submissions${query}`, as });

describe('GET /v1/statements/submissions', () => {
  it('lists every statement’s state with attempts, error and the database’s id, and the totals', async () => {
    const response = await list('?limit=500');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items).toHaveLength(13);
    expect(body.next_cursor).toBeNull();
    expect(body.totals).toEqual({ pending: 9, submitted: 1, refused: 1, failed: 1, outside_eea: 1 });
    const failed = body.items.find((i: { statement_id: string }) => i.statement_id === made[1]!.statementId);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 30,
      last_error: 'HTTP 503 from the Transparency Database',
      decision_id: made[1]!.decisionId,
      case_id: made[1]!.caseId,
      tdb_uuid: null,
      queued_at: '2026-06-01T08:00:00.000Z',
    });
    const sent = body.items.find((i: { statement_id: string }) => i.statement_id === made[0]!.statementId);
    expect(sent).toMatchObject({
      status: 'submitted',
      tdb_uuid: 'tdb-0001',
      submitted_at: '2026-06-02T09:00:00.000Z',
    });
    // Newest first.
    expect(body.items[0].queued_at).toBe('2026-06-02T08:00:00.000Z');
    expect(body.items.at(-1).queued_at).toBe('2026-06-01T08:00:00.000Z');
  });

  it('filters by state, by day queued, by puid and by case', async () => {
    const states = async (q: string) =>
      (await list(q))
        .json()
        .items.map((i: { status: string }) => i.status)
        .sort();
    expect(await states('?status=failed,refused')).toEqual(['failed', 'refused']);
    expect(await states('?status=outside_eea')).toEqual(['outside_eea']);
    expect((await list('?from=2026-06-02&to=2026-06-02')).json().items).toHaveLength(6);
    expect((await list('?from=2026-06-01&to=2026-06-01&status=pending')).json().items).toHaveLength(4);
    const puid = (await list('?status=submitted')).json().items[0].puid;
    expect((await list(`?puid=${puid}`)).json().items.map((i: { status: string }) => i.status)).toEqual([
      'submitted',
    ]);
    const byCase = (await list(`?case_id=${made[2]!.caseId}`)).json().items;
    expect(byCase.map((i: { statement_id: string }) => i.statement_id)).toEqual([made[2]!.statementId]);
  });

  it('pages with a cursor: every statement once, in order, however small the page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await list(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.items.length).toBeLessThanOrEqual(4);
      seen.push(...body.items.map((i: { statement_id: string }) => i.statement_id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(13);
    const all = (await list('?limit=500')).json().items.map((i: { statement_id: string }) => i.statement_id);
    expect(seen).toEqual(all);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?status=sent', '/status'],
      ['?status=pending,', '/status'],
      ['?cursor=not-a-cursor', '/cursor'],
      [`?cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, '/cursor'],
      ['?limit=0', '/limit'],
      ['?limit=100000', '/limit'],
      ['?case_id=42', '/case_id'],
      ['?from=2026-02-30', '/from'],
      ['?from=2026-06-02&to=2026-06-01', '/to'],
      [`?puid=${encodeURIComponent('a\u202eb')}`, '/puid'],
      [`?puid=${'a'.repeat(600)}`, '/puid'],
      [`?status=${'pending,'.repeat(50)}`, '/status'],
    ];
    for (const [query, pointer] of cases) {
      const response = await list(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type'], query).toContain('application/problem+json');
      expect(
        response.json().errors.map((e: { pointer: string }) => e.pointer),
        query,
      ).toContain(pointer);
    }
    // Unknown fields and NUL characters are refused before the route (the server's hardening).
    for (const query of ['?colour=blue', `?puid=${encodeURIComponent('a\u0000b')}`]) {
      const response = await list(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type'], query).toContain('application/problem+json');
    }
  });

  it('is for leads, admins and auditors', async () => {
    expect((await list('', auditor)).statusCode).toBe(200);
    expect((await list('', reviewer)).statusCode).toBe(403);
    expect((await list('', flagger)).statusCode).toBe(403);
    expect((await list('', null)).statusCode).toBe(401);
  });
});
