import { describe, expect, it } from 'vitest';
import type { DecisionOutcome, PlannedAction } from '../decisions/outcomes.ts';
import { type AutomatedDecision, buildStatement, type StatementFacts } from '../decisions/statement.ts';
import { tdbTerritorialScope, toTdbSubmission } from './tdb-mapping.ts';
import { validateTdbBatch, validateTdbStatement } from './tdb-validation.ts';

const subject = {
  platform: 'telegram',
  kind: 'message',
  key: 'telegram:message:example/1',
  url: 'https://t.me/example/1',
};
const action = (type: PlannedAction['type'], params: PlannedAction['params'] = {}): PlannedAction => ({
  type,
  connector: 'webhook',
  subject,
  params,
  revertible: type !== 'remove_message',
});

function facts(overrides: Partial<StatementFacts> = {}): StatementFacts {
  return {
    puid: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    outcome: 'remove',
    grounds: {
      illegal: { legal_ground: 'UU No. 5 Tahun 2018, Pasal 13A', explanation: 'Synthetic: propaganda.' },
    },
    category: 'terrorism',
    territories: ['*'],
    suspension: null,
    actions: [action('hide_message')],
    sourceTypes: ['trusted_flagger'],
    sourceIdentity: 'Kementerian Komunikasi dan Digital',
    facts: 'Synthetic facts.',
    contentType: ['CONTENT_TYPE_TEXT'],
    contentDate: new Date('2026-03-01T10:00:00Z'),
    language: 'id',
    decidedAt: new Date('2026-03-02T10:00:00Z'),
    appealUntil: new Date('2026-09-02T10:00:00Z'),
    appealUrl: 'https://tapis.example/v1/statements/x/appeal',
    ...overrides,
  };
}

const valid = () => toTdbSubmission(buildStatement(facts()));

describe('statements tapis builds', () => {
  const outcomes: [DecisionOutcome, PlannedAction[], StatementFacts['suspension']][] = [
    ['remove', [action('remove_message')], null],
    ['remove', [action('hide_message')], null],
    ['remove', [action('suspend_channel')], null],
    ['restrict_in_jurisdiction', [action('restrict_in_jurisdiction', { territories: ['DE'] })], null],
    ['label', [action('label', { label: 'graphic', until: '2026-06-01T00:00:00Z' })], null],
    [
      'suspend',
      [action('suspend_account', { until: '2026-04-01T00:00:00Z' })],
      { target: 'account', until: '2026-04-01T00:00:00Z' },
    ],
    ['suspend', [action('suspend_account')], { target: 'account', until: null }],
    [
      'suspend',
      [action('suspend_channel', { until: '2026-04-01T00:00:00Z' })],
      { target: 'channel', until: '2026-04-01T00:00:00Z' },
    ],
    ['remove', [action('hide_message'), action('restrict_member', { until: '2026-04-01T00:00:00Z' })], null],
    ['remove', [action('ban_member')], null],
    ['remove', [action('deliver_statement')], null],
  ];
  const grounds = [
    { illegal: { legal_ground: 'UU ITE Pasal 45', explanation: 'Synthetic: illegal.' } },
    { incompatible: { ground: 'Terms §4', explanation: 'Synthetic: against the terms.' } },
    {
      illegal: { legal_ground: 'UU ITE Pasal 45', explanation: 'Synthetic: illegal.' },
      incompatible: { ground: 'Terms §4', explanation: 'Synthetic: against the terms.' },
    },
  ];
  const automation: [boolean, AutomatedDecision][] = [
    [false, 'not'],
    [true, 'partially'],
    [true, 'fully'],
  ];
  const sources = [
    ['trusted_flagger'],
    ['government_order'],
    ['regular_notice'],
    ['automated_detection'],
    [],
  ];

  it('pass the database’s validation for every outcome, ground, automation and source, with nothing dropped', () => {
    const refused: string[] = [];
    for (const [outcome, actions, suspension] of outcomes)
      for (const ground of grounds)
        for (const [detected, decided] of automation)
          for (const sourceTypes of sources)
            for (const category of ['terrorism', 'hoax', 'csam', 'unknown_category']) {
              const statement = toTdbSubmission(
                buildStatement(
                  facts({
                    outcome,
                    actions,
                    suspension,
                    grounds: ground,
                    sourceTypes,
                    category,
                    automatedDetection: detected,
                    automatedDecision: decided,
                  }),
                ),
              );
              const result = validateTdbStatement(statement);
              if (!result.ok || result.excluded.length > 0)
                refused.push(`${outcome}/${actions.map((a) => a.type)}: ${JSON.stringify(result)}`);
            }
    expect(refused).toEqual([]);
  });

  it('map automation to the database’s values, defaulting to not automated', () => {
    expect(valid()).toMatchObject({
      automated_detection: 'No',
      automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED',
    });
    const auto = toTdbSubmission(
      buildStatement(facts({ automatedDetection: true, automatedDecision: 'fully' })),
    );
    expect(auto).toMatchObject({
      automated_detection: 'Yes',
      automated_decision: 'AUTOMATED_DECISION_FULLY',
    });
    expect(
      toTdbSubmission(buildStatement(facts({ automatedDecision: 'partially' }))).automated_decision,
    ).toBe('AUTOMATED_DECISION_PARTIALLY');
  });

  it('file terrorism under public security with the terrorist-content keyword', () => {
    expect(valid()).toMatchObject({
      category: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
      category_specification: ['KEYWORD_TERRORIST_CONTENT'],
      source_type: 'SOURCE_TRUSTED_FLAGGER',
      content_date: '2026-03-01',
      application_date: '2026-03-02',
      content_language: 'ID',
    });
  });

  it('carry only the fields of the ground that applies', () => {
    const legal = valid();
    expect(legal).not.toHaveProperty('incompatible_content_ground');
    expect(legal).not.toHaveProperty('incompatible_content_illegal');
    const terms = toTdbSubmission(
      buildStatement(facts({ grounds: { incompatible: { ground: 'Terms §4', explanation: 'Synthetic.' } } })),
    );
    expect(terms).toMatchObject({
      decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
      incompatible_content_illegal: 'No',
    });
    expect(terms).not.toHaveProperty('illegal_content_legal_ground');
  });

  it('name the restrictions from what the decision did', () => {
    const suspended = toTdbSubmission(
      buildStatement(
        facts({
          outcome: 'suspend',
          actions: [action('suspend_account', { until: '2026-04-01T12:00:00Z' })],
          suspension: { target: 'account', until: '2026-04-01T12:00:00Z' },
        }),
      ),
    );
    expect(suspended).toMatchObject({
      decision_visibility: null,
      decision_account: 'DECISION_ACCOUNT_SUSPENDED',
      end_date_account_restriction: '2026-04-01',
      decision_monetary: null,
    });
    const terminated = toTdbSubmission(
      buildStatement(facts({ outcome: 'suspend', actions: [action('suspend_account')] })),
    );
    expect(terminated).toMatchObject({
      decision_account: 'DECISION_ACCOUNT_TERMINATED',
      end_date_account_restriction: null,
    });
    const member = toTdbSubmission(
      buildStatement(
        facts({
          actions: [action('hide_message'), action('restrict_member', { until: '2026-04-01T00:00:00Z' })],
        }),
      ),
    );
    expect(member).toMatchObject({
      decision_visibility: ['DECISION_VISIBILITY_CONTENT_DISABLED'],
      decision_provision: 'DECISION_PROVISION_PARTIAL_SUSPENSION',
      end_date_service_restriction: '2026-04-01',
    });
    const removed = toTdbSubmission(buildStatement(facts({ actions: [action('remove_message')] })));
    expect(removed.decision_visibility).toEqual(['DECISION_VISIBILITY_CONTENT_REMOVED']);
  });

  it('give a global removal every EU/EEA country, and drop countries outside the EEA', () => {
    expect(tdbTerritorialScope(['*'])).toHaveLength(30);
    expect(tdbTerritorialScope(['*'])).toContain('NO');
    expect(tdbTerritorialScope(['EU'])).toHaveLength(27);
    expect(tdbTerritorialScope(['ID', 'de', 'FR'])).toEqual(['DE', 'FR']);
    expect(tdbTerritorialScope(['ID'])).toEqual([]);
  });
});

describe('the database’s validation refuses', () => {
  const refusal = (patch: Record<string, unknown>) => {
    const result = validateTdbStatement({ ...valid(), ...patch });
    return result.errors.map((e) => e.field);
  };

  it('the old source and category values', () => {
    expect(refusal({ source_type: 'SOURCE_TRUSTED_NOTIFIER' })).toEqual(['source_type']);
    expect(refusal({ category: 'STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE' })).toEqual(['category']);
    expect(refusal({ category_specification: ['KEYWORD_NOPE'] })).toEqual(['category_specification']);
    expect(refusal({ automated_decision: 'No' })).toEqual(['automated_decision']);
    expect(refusal({ automated_detection: true })).toEqual(['automated_detection']);
  });

  it('dates that are not YYYY-MM-DD calendar days, a missing content date, dates out of range', () => {
    expect(refusal({ application_date: '2026-03-02T10:00:00.000Z' })).toEqual(['application_date']);
    expect(refusal({ application_date: '2026-02-30' })).toEqual(['application_date']);
    expect(refusal({ application_date: '2019-12-31' })).toEqual(['application_date']);
    expect(refusal({ content_date: null })).toEqual(['content_date']);
    expect(refusal({ content_date: '1999-12-31' })).toEqual(['content_date']);
    expect(refusal({ end_date_service_restriction: '2038-01-02' })).toEqual(['end_date_service_restriction']);
  });

  it('a puid outside [a-zA-Z0-9-_] or longer than 500', () => {
    expect(refusal({ puid: 'case:decision' })).toEqual(['puid']);
    expect(refusal({ puid: 'abc\n' })).toEqual(['puid']);
    expect(refusal({ puid: 'a'.repeat(501) })).toEqual(['puid']);
    expect(refusal({ puid: 'A-z_09' })).toEqual([]);
  });

  it('a territorial scope outside the EU/EEA, a language it does not know', () => {
    expect(refusal({ territorial_scope: ['DE', 'ID'] })).toEqual(['territorial_scope']);
    expect(refusal({ territorial_scope: null })).toEqual([]);
    expect(refusal({ content_language: 'XX' })).toEqual(['content_language']);
  });

  it('a statement with no restriction, or without its ground’s fields', () => {
    expect(
      refusal({
        decision_visibility: null,
        decision_provision: null,
        decision_account: null,
        decision_monetary: null,
      }),
    ).toEqual(['decision_visibility', 'decision_monetary', 'decision_provision', 'decision_account']);
    expect(refusal({ illegal_content_explanation: '  ' })).toEqual(['illegal_content_explanation']);
    expect(refusal({ decision_facts: 'x'.repeat(5001) })).toEqual(['decision_facts']);
    expect(refusal({ content_type: ['CONTENT_TYPE_OTHER'] })).toEqual(['content_type_other']);
    expect(refusal({ decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED', 'NOPE'] })).toEqual([
      'decision_visibility',
    ]);
  });

  it('reports the other ground’s fields as dropped, not refused', () => {
    const result = validateTdbStatement({ ...valid(), incompatible_content_ground: 'Terms §4', redress: {} });
    expect(result.ok).toBe(true);
    expect(result.excluded.sort()).toEqual(['incompatible_content_ground', 'redress']);
  });

  it('batches of none or more than 100, and puids repeated or already known', () => {
    expect(validateTdbBatch([], new Set()).ok).toBe(false);
    expect(validateTdbBatch(Array.from({ length: 101 }, valid), new Set()).error).toMatch(/1 to 100/);
    const one = valid();
    expect(validateTdbBatch([one], new Set()).ok).toBe(true);
    expect(validateTdbBatch([one, one], new Set()).duplicatePuids).toEqual([one.puid]);
    expect(validateTdbBatch([one], new Set([one.puid as string])).duplicatePuids).toEqual([one.puid]);
    const bad = validateTdbBatch([one, { ...valid(), puid: 'other', source_type: 'X' }], new Set());
    expect(bad.statements).toEqual({ statement_1: [expect.objectContaining({ field: 'source_type' })] });
  });
});
