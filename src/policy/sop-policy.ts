import { z } from 'zod';
import { channelPolicyShape } from './channel-policy.ts';
import defaults from './sop-policy.default.json' with { type: 'json' };

/**
 * The SOP policy: the taxonomy of categories, and rules mapping jurisdiction × category ×
 * source type to a legal deadline and an internal target. It is a document, versioned in
 * the database; every version is kept. The most specific matching rule wins.
 */
export const sourceTypes = [
  'trusted_flagger',
  'government_order',
  'regular_notice',
  'automated_detection',
] as const;
export type SourceType = (typeof sourceTypes)[number];

const code = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _, 2–40 characters');
const hours = z
  .number()
  .positive()
  .max(24 * 365);

export const categorySchema = z.strictObject({
  code,
  /** 1 (least) to 5 (most severe): a queue priority, after the due time. */
  severity: z.number().int().min(1).max(5),
  labels: z.strictObject({ id: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
  /** DSA Art. 16(2)(c): the notifier may stay anonymous (child sexual abuse material). */
  anonymous_notices: z.boolean(),
});

export const ruleSchema = z.strictObject({
  jurisdiction: z.union([z.literal('*'), z.string().regex(/^[A-Z]{2}$/)]),
  category: z.union([z.literal('*'), code]),
  source_type: z.union([z.literal('*'), z.enum(sourceTypes)]),
  legal_deadline_hours: hours,
  internal_target_hours: hours.optional(),
  note: z.string().max(500).optional(),
});

/** A decision that waits for a second reviewer's approval before it acts. */
export const fourEyesRuleSchema = z.strictObject({
  outcome: z.enum([
    'remove',
    'restrict_in_jurisdiction',
    'suspend',
    'label',
    'disable_access',
    'demote',
    'age_restrict',
    'restrict_interaction',
    'suspend_monetisation',
    'terminate_monetisation',
    'suspend_service',
    'terminate_service',
    'no_action',
    'reject_unsubstantiated',
  ]),
  /** Only when the suspension is permanent. */
  permanent_only: z.boolean().default(false),
  /** Only for these categories; all when absent. */
  categories: z.array(code).max(200).optional(),
  note: z.string().max(500).optional(),
});

/**
 * A legal basis a notifier can pick instead of writing one (the Telegram bot offers them as
 * buttons): for a jurisdiction ('*': any) and some categories (none listed: all).
 */
export const legalBasisTemplateSchema = z.strictObject({
  code,
  jurisdiction: z.union([z.literal('*'), z.string().regex(/^[A-Z]{2}$/)]),
  categories: z.array(code).max(200).default([]),
  labels: z.strictObject({ id: z.string().min(1).max(60), en: z.string().min(1).max(60) }),
  legal_basis: z.string().min(1).max(4000),
  legal_references: z
    .array(
      z.strictObject({
        instrument: z.string().min(1).max(300),
        provision: z.string().min(1).max(300).optional(),
      }),
    )
    .max(50)
    .default([]),
});

/**
 * DSA Art. 23(1),(3): repeat infringers. Strikes from upheld restrictive decisions within the
 * window count per account and per channel; at `warning_at` the account or channel is
 * warned, at `suspension_at` (after a warning) suspended for `suspension_days`.
 */
export const repeatInfringerSchema = z
  .strictObject({
    window_days: z.number().int().min(1).max(3650),
    warning_at: z.number().int().min(1).max(1000),
    suspension_at: z.number().int().min(2).max(1000),
    suspension_days: z.number().int().min(1).max(3650),
    /** Only strikes in these categories count; all when absent. */
    categories: z.array(code).max(200).optional(),
  })
  .refine((r) => r.suspension_at > r.warning_at, {
    message: 'suspension_at must be greater than warning_at: the warning comes first',
    path: ['suspension_at'],
  });

/** MR5/2020: the clock of a law-enforcement data request (src/data-requests/). */
export const dataRequestClockSchema = z.strictObject({
  urgent_hours: hours,
  normal_hours: hours,
});

export const policySchema = z
  .strictObject({
    taxonomy: z.array(categorySchema).min(1).max(200),
    rules: z.array(ruleSchema).min(1).max(2000),
    at_risk_thresholds: z.array(z.number().gt(0).lt(1)).max(5),
    four_eyes: z.array(fourEyesRuleSchema).max(100).default([]),
    legal_bases: z.array(legalBasisTemplateSchema).max(500).optional(),
    /** Posts of one channel matching banks before the channel itself becomes a case (src/scanning/channel-cases.ts). */
    channel_case_threshold: z.number().int().min(2).max(10_000).default(5),
    /** The government channel's clocks: objections, appeals, order kinds, SAMAN's ladder (src/policy/channel-policy.ts). */
    ...channelPolicyShape,
    repeat_infringers: repeatInfringerSchema.default({
      window_days: 365,
      warning_at: 2,
      suspension_at: 3,
      suspension_days: 30,
    }),
    /** DSA Art. 22(7): days a trusted flagger has to answer before its status is revoked or suspended. */
    flagger_hearing_days: z.number().int().min(1).max(365).default(14),
    data_requests: dataRequestClockSchema.default({ urgent_hours: 4, normal_hours: 72 }),
  })
  .superRefine((policy, ctx) => {
    const codes = new Set<string>();
    policy.taxonomy.forEach((category, i) => {
      if (codes.has(category.code))
        ctx.addIssue({
          code: 'custom',
          path: ['taxonomy', i, 'code'],
          message: `duplicate category '${category.code}'`,
        });
      codes.add(category.code);
    });
    policy.rules.forEach((rule, i) => {
      if (rule.category !== '*' && !codes.has(rule.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'category'],
          message: `'${rule.category}' is not in the taxonomy`,
        });
      }
      if (
        rule.internal_target_hours !== undefined &&
        rule.internal_target_hours > rule.legal_deadline_hours
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'internal_target_hours'],
          message: 'the internal target must not be later than the legal deadline',
        });
      }
    });
    if (!policy.rules.some((r) => r.jurisdiction === '*' && r.category === '*' && r.source_type === '*')) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules'],
        message: 'a catch-all rule (*, *, *) is required so every notice gets a deadline',
      });
    }
  });

export type SopPolicy = z.infer<typeof policySchema>;
export type Category = z.infer<typeof categorySchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type FourEyesRule = z.infer<typeof fourEyesRuleSchema>;
export type LegalBasisTemplate = z.infer<typeof legalBasisTemplateSchema>;

export const defaultPolicy: SopPolicy = policySchema.parse(defaults);

export interface Deadlines {
  legalHours: number;
  /** The internal target; the legal deadline when no rule sets one. */
  targetHours: number;
  rule: Rule;
}

function specificity(rule: Rule): number {
  // Jurisdiction counts most, then category, then source: a national rule beats a
  // general one, whatever its category.
  return (
    (rule.jurisdiction === '*' ? 0 : 4) + (rule.category === '*' ? 0 : 2) + (rule.source_type === '*' ? 0 : 1)
  );
}

/** The deadlines for a notice. The most specific matching rule wins; among equals, the stricter. */
export function deadlinesFor(
  policy: SopPolicy,
  facts: { jurisdiction: string; category: string; sourceType: SourceType },
): Deadlines {
  const matching = policy.rules.filter(
    (r) =>
      (r.jurisdiction === '*' || r.jurisdiction === facts.jurisdiction) &&
      (r.category === '*' || r.category === facts.category) &&
      (r.source_type === '*' || r.source_type === facts.sourceType),
  );
  // Where sources disagree the stricter default ships (RULEBOOK): ties go to the shorter deadline.
  const rule = matching.sort(
    (a, b) => specificity(b) - specificity(a) || a.legal_deadline_hours - b.legal_deadline_hours,
  )[0];
  if (!rule) throw new Error('the policy has no catch-all rule');
  return {
    legalHours: rule.legal_deadline_hours,
    targetHours: rule.internal_target_hours ?? rule.legal_deadline_hours,
    rule,
  };
}

export function findCategory(policy: SopPolicy, codeValue: string): Category | undefined {
  return policy.taxonomy.find((c) => c.code === codeValue);
}
