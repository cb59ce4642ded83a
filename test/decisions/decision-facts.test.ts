import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import { queueSubmissions, TDB_TOPIC, tdbSubmitHandler } from '../../src/transparency/submission.ts';
import { tdbClient } from '../../src/transparency/tdb-client.ts';
import { validateTdbStatement } from '../../src/transparency/tdb-validation.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';
import { FakeTdbApi } from '../support/fake-tdb-api.ts';

/**
 * DSA Art. 17(3)(b): the statement of reasons states the facts and circumstances relied on.
 * What the reviewer writes as `facts` is what the affected user reads in the statement, what
 * the export carries, and what the Transparency Database receives as decision_facts.
 */
const TOKEN = 'tdb-facts-token-0123456789';
const FACTS =
  'Synthetic: the post of 27 November shows the flag of a designated group and a call to join it, with a contact handle.';
let desk: Desk;
let tdb: FakeTdbApi;
let analyst: Caller;
let peninjau: Caller;
let auditor: Caller;

beforeAll(async () => {
  [desk, tdb] = await Promise.all([createDesk(), FakeTdbApi.start(TOKEN)]);
  analyst = await desk.app.loginAs('analis@komdigi.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  auditor = await desk.app.loginAs('auditor@platform.example');
});
afterAll(async () => {
  await desk?.close();
  await tdb?.stop();
});

describe('the reviewer’s facts', () => {
  it('reach decision_facts in the statement of reasons, the export and the Transparency Database', async () => {
    const receipt = await desk.submit(analyst, {
      targets: ['https://t.me/facts_channel/7'],
      category: 'terrorism',
      explanation: 'Synthetic test notice: the post recruits for a designated group.',
      good_faith: true,
    });
    const caseId = receipt.targets[0]!.case_id;
    const { app } = desk;
    expect(
      (await app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau })).statusCode,
    ).toBe(200);
    const decided = await app.request({
      method: 'POST',
      url: `/v1/cases/${caseId}/decisions`,
      as: peninjau,
      payload: {
        outcome: 'remove',
        language: 'id',
        acknowledge_irreversible: true,
        facts: FACTS,
        // A removal that also reaches the EU, so the statement is exported and submitted.
        territories: ['ID', 'NL'],
        grounds: {
          illegal: {
            legal_ground: 'UU No. 5 Tahun 2018, Pasal 13A',
            explanation: 'Synthetic: the message spreads propaganda of a designated organisation.',
          },
        },
      },
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const { decision_id: decisionId, statement_url: statementUrl } = decided.json();

    // The statement the affected user opens at its link.
    const token = new URL(statementUrl).pathname.split('/').pop();
    const statement = await app.request({ method: 'GET', url: `/v1/statements/${token}` });
    expect(statement.statusCode).toBe(200);
    expect(statement.json().statement.decision_facts).toBe(FACTS);

    // The export in the database's shape.
    const exported = await app.request({
      method: 'GET',
      url: '/v1/statements/export?from=2026-01-01&to=2026-12-31',
      as: auditor,
    });
    const line = exported.body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.puid === decisionId);
    expect(line.decision_facts).toBe(FACTS);
    expect(validateTdbStatement(line).ok).toBe(true);

    // What the Transparency Database receives (its local double validates as it does).
    expect(await queueSubmissions(app.ctx.db, app.clock())).toBeGreaterThan(0);
    const worker = new OutboxWorker({
      db: app.ctx.db,
      clock: app.clock,
      log: pino({ level: 'silent' }),
      handlers: {
        [TDB_TOPIC]: tdbSubmitHandler({
          db: app.ctx.db,
          client: tdbClient({ url: tdb.url, token: TOKEN }),
          clock: app.clock,
          log: pino({ level: 'silent' }),
        }),
      },
    });
    for (let i = 0; i < 10 && !tdb.stored.has(decisionId); i++) await worker.runOnce();
    expect(tdb.stored.get(decisionId)?.statement.decision_facts).toBe(FACTS);
  });
});
