import { describe, expect, it } from 'vitest';
import { deadlinesFor, defaultPolicy, policySchema } from './sop-policy.ts';

describe('the default SOP policy', () => {
  it('has the twelve taxonomy codes, and public order for the MR5 urgent class', () => {
    expect(defaultPolicy.taxonomy.map((c) => c.code)).toEqual(
      expect.arrayContaining([
        'terrorism',
        'violent_extremism',
        'csam',
        'pornography',
        'gambling',
        'fraud',
        'hoax',
        'hate_sara',
        'regulated_goods',
        'privacy',
        'intellectual_property',
        'other',
        'public_order',
      ]),
    );
    for (const c of defaultPolicy.taxonomy) expect(c.labels.id && c.labels.en).toBeTruthy();
  });

  it('gives urgent categories in Indonesia 4 hours and the others 24', () => {
    for (const category of ['terrorism', 'violent_extremism', 'csam', 'public_order']) {
      expect(
        deadlinesFor(defaultPolicy, { jurisdiction: 'ID', category, sourceType: 'regular_notice' })
          .legalHours,
      ).toBe(4);
    }
    for (const category of ['gambling', 'hoax', 'fraud', 'other']) {
      expect(
        deadlinesFor(defaultPolicy, { jurisdiction: 'ID', category, sourceType: 'trusted_flagger' })
          .legalHours,
      ).toBe(24);
    }
  });

  it('gives trusted government notices on terrorism a 1 hour internal target', () => {
    const trusted = deadlinesFor(defaultPolicy, {
      jurisdiction: 'ID',
      category: 'terrorism',
      sourceType: 'trusted_flagger',
    });
    expect(trusted).toMatchObject({ legalHours: 4, targetHours: 1 });
    const regular = deadlinesFor(defaultPolicy, {
      jurisdiction: 'ID',
      category: 'terrorism',
      sourceType: 'regular_notice',
    });
    expect(regular.targetHours).toBe(4);
  });

  it('falls back to the catch-all rule elsewhere, and follows TCO for orders', () => {
    expect(
      deadlinesFor(defaultPolicy, { jurisdiction: 'FR', category: 'fraud', sourceType: 'regular_notice' })
        .legalHours,
    ).toBe(24);
    expect(
      deadlinesFor(defaultPolicy, {
        jurisdiction: 'DE',
        category: 'terrorism',
        sourceType: 'government_order',
      }).legalHours,
    ).toBe(1);
  });
});

describe('a policy document', () => {
  it('refuses rules about unknown categories, duplicate codes, late targets and a missing catch-all', () => {
    const bad = {
      ...defaultPolicy,
      taxonomy: [...defaultPolicy.taxonomy, defaultPolicy.taxonomy[0]!],
      rules: [
        { jurisdiction: 'ID', category: 'piracy', source_type: '*', legal_deadline_hours: 4 },
        {
          jurisdiction: 'ID',
          category: 'fraud',
          source_type: '*',
          legal_deadline_hours: 4,
          internal_target_hours: 8,
        },
      ],
    };
    const result = policySchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'taxonomy.13.code',
        'rules.0.category',
        'rules.1.internal_target_hours',
        'rules',
      ]),
    );
  });
});
