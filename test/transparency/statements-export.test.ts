import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTdbStatement } from '../../src/transparency/tdb-validation.ts';
import { europeanCountryCodes } from '../../src/transparency/tdb-values.ts';
import type { Caller } from '../support/app.ts';
import { createDesk, type Desk } from '../support/desk.ts';

/**
 * The export of a seeded set of decisions — every outcome, both grounds, automated and not,
 * every source — goes line by line through the Transparency Database's validation
 * (transcribed in src/transparency/tdb-validation.ts), and fails on any refusal.
 */
let desk: Desk;
let analyst: Caller;
let ngo: Caller;
let peninjau: Caller;
let auditor: Caller;
const decided: { outcome: string; decisionId: string | null; exported: boolean }[] = [];

const illegal = {
  illegal: {
    legal_ground: 'UU No. 5 Tahun 2018, Pasal 13A',
    explanation: 'Synthetic: the message spreads propaganda of a designated organisation.',
  },
};
const terms = {
  incompatible: {
    ground: 'Terms of service §4.2',
    explanation: 'Synthetic: spam and platform manipulation.',
  },
};

async function decide(
  as: Caller,
  notice: Record<string, unknown>,
  body: Record<string, unknown>,
  options: { automated?: boolean; exported: boolean },
) {
  const receipt = await desk.submit(as, {
    category: 'terrorism',
    explanation: 'Synthetic test notice for the statements export.',
    good_faith: true,
    ...notice,
  });
  const caseId = receipt.targets[0]!.case_id;
  // Automated detection: the case came from a hash match (as the screening path records it).
  if (options.automated)
    await desk.app.ctx.db
      .updateTable('cases')
      .set({ hash_match_confidence: 0.98 })
      .where('id', '=', caseId)
      .execute();
  const claim = await desk.app.request({ method: 'POST', url: `/v1/cases/${caseId}/claim`, as: peninjau });
  expect(claim.statusCode).toBe(200);
  const response = await desk.app.request({
    method: 'POST',
    url: `/v1/cases/${caseId}/decisions`,
    as: peninjau,
    payload: { language: 'id', acknowledge_irreversible: true, ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  decided.push({
    outcome: String(body.outcome),
    decisionId: response.json().decision_id,
    exported: options.exported,
  });
}

beforeAll(async () => {
  desk = await createDesk();
  analyst = await desk.app.loginAs('analis@komdigi.example');
  ngo = await desk.app.loginAs('analyst@ngo.example');
  peninjau = await desk.app.loginAs('peninjau@platform.example');
  auditor = await desk.app.loginAs('auditor@platform.example');
  const order = {
    kind: 'order',
    legal_basis: 'UU No. 5 Tahun 2018',
    legal_references: [{ instrument: 'UU No. 5 Tahun 2018', provision: 'Pasal 13A' }],
    language: 'id',
    order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'Keberatan via SAMAN' },
  };
  // A trusted flagger's notice, removed everywhere in the EEA on a legal ground (the scope
  // is named: there is no wildcard, issue 14 §6; 'EU' is written out as its members).
  await decide(
    analyst,
    { targets: ['https://t.me/export_chan/11'] },
    { outcome: 'remove', grounds: illegal, territories: ['EU', 'IS', 'LI', 'NO'] },
    { exported: true },
  );
  // A regular notice about a channel, removed on the terms.
  await decide(
    ngo,
    { targets: ['@export_spam_channel'], category: 'hoax' },
    {
      outcome: 'remove',
      grounds: terms,
      territories: ['ID', 'DE'],
      content_type: ['CONTENT_TYPE_IMAGE', 'CONTENT_TYPE_TEXT'],
    },
    { exported: true },
  );
  // An authority order, restricted in Germany and Indonesia: the export names Germany only.
  await decide(
    analyst,
    { targets: ['https://t.me/export_chan/12'], ...order },
    { outcome: 'restrict_in_jurisdiction', grounds: illegal, territories: ['DE', 'ID'] },
    { exported: true },
  );
  // A label on the terms, from a hash match (automated detection).
  await decide(
    ngo,
    { targets: ['https://t.me/export_chan/13'], category: 'gambling' },
    { outcome: 'label', grounds: terms, label: 'Synthetic label', territories: ['FR'] },
    { exported: true, automated: true },
  );
  // An account suspended for 30 days, detected automatically.
  await decide(
    analyst,
    { targets: ['@export_suspended_channel'] },
    {
      outcome: 'suspend',
      grounds: illegal,
      territories: ['NL'],
      suspension: { target: 'account', duration_days: 30 },
    },
    { exported: true, automated: true },
  );
  // Restricted in Indonesia only: the Transparency Database has no business with it.
  await decide(
    ngo,
    { targets: ['https://t.me/export_chan/14'], category: 'hoax' },
    { outcome: 'restrict_in_jurisdiction', grounds: terms, territories: ['ID'] },
    { exported: false },
  );
  // Decisions that restrict nothing have no statement of reasons.
  await decide(
    ngo,
    { targets: ['https://t.me/export_chan/15'] },
    { outcome: 'no_action' },
    { exported: false },
  );
  await decide(
    analyst,
    { targets: ['https://t.me/export_chan/16'] },
    { outcome: 'reject_unsubstantiated' },
    { exported: false },
  );
});
afterAll(() => desk?.close());

const exportLines = async (query: string, as: Caller = auditor) => {
  const response = await desk.app.request({ method: 'GET', url: `/v1/statements/export${query}`, as });
  return {
    response,
    lines: response.body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
};

describe('GET /v1/statements/export', () => {
  it('exports one statement per line, each accepted by the database’s validation with nothing dropped', async () => {
    const { response, lines } = await exportLines('?from=2026-01-01&to=2026-12-31');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const wanted = decided.filter((d) => d.exported).map((d) => d.decisionId);
    expect(lines.map((l) => l.puid).sort()).toEqual([...wanted].sort());
    for (const line of lines)
      expect(validateTdbStatement(line), JSON.stringify(line)).toEqual({
        ok: true,
        errors: [],
        excluded: [],
      });
    expect(new Set(lines.map((l) => l.puid)).size).toBe(lines.length);
  });

  it('covers both grounds, every source type and automation, in the database’s values', async () => {
    const { lines } = await exportLines('?from=2026-01-01&to=2026-12-31');
    expect(new Set(lines.map((l) => l.decision_ground))).toEqual(
      new Set(['DECISION_GROUND_ILLEGAL_CONTENT', 'DECISION_GROUND_INCOMPATIBLE_CONTENT']),
    );
    expect(new Set(lines.map((l) => l.source_type))).toEqual(
      new Set(['SOURCE_TRUSTED_FLAGGER', 'SOURCE_ARTICLE_16', 'SOURCE_TYPE_OTHER_NOTIFICATION']),
    );
    expect(lines.filter((l) => l.automated_detection === 'Yes')).toHaveLength(2);
    const byPuid = Object.fromEntries(lines.map((l) => [l.puid, l]));
    const [removed, , restricted, labelled, suspended] = decided.map((d) => byPuid[d.decisionId!]);
    expect(removed.territorial_scope).toEqual([...europeanCountryCodes].sort());
    expect(removed.decision_visibility).toEqual(['DECISION_VISIBILITY_CONTENT_DISABLED']);
    expect(restricted.territorial_scope).toEqual(['DE']);
    expect(labelled.decision_visibility).toEqual(['DECISION_VISIBILITY_CONTENT_LABELLED']);
    expect(suspended).toMatchObject({
      decision_account: 'DECISION_ACCOUNT_SUSPENDED',
      end_date_account_restriction: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    // Only the database's fields: nothing meant for the affected user alone.
    expect(removed).not.toHaveProperty('redress');
    expect(removed.content_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('exports nothing for a period with no statements', async () => {
    const { response, lines } = await exportLines('?from=2025-01-01&to=2025-12-31');
    expect(response.statusCode).toBe(200);
    expect(lines).toEqual([]);
  });

  it('refuses a period that ends before it starts, or a day that is no day, naming the field', async () => {
    const backwards = await exportLines('?from=2026-03-01&to=2026-02-01');
    expect(backwards.response.statusCode).toBe(400);
    expect(backwards.response.json().errors[0].pointer).toBe('/to');
    const bad = await exportLines('?from=2026-02-30');
    expect(bad.response.statusCode).toBe(400);
    expect(bad.response.json().errors[0].pointer).toBe('/from');
  });

  it('is for admins and auditors only', async () => {
    expect((await exportLines('', peninjau)).response.statusCode).toBe(403);
    expect((await exportLines('', analyst)).response.statusCode).toBe(403);
  });
});
