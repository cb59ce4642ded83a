import { z } from 'zod';

/**
 * The SOP policy's settings for the government channel's own clocks (issue 14,
 * docs/decisions/0017): how long the platform has to answer an objection and to decide an
 * appeal, the deadlines of each order kind, and SAMAN's escalation ladder. Every part has
 * a default, so that a policy version stored before these settings existed still reads.
 */
const hours = z
  .number()
  .positive()
  .max(24 * 365);

export const orderKindCodes = [
  'tco_removal_order',
  'dsa_article_9_order',
  'mr5_order',
  'court_order',
] as const;
export type OrderKindCode = (typeof orderKindCodes)[number];

export const orderKindRuleSchema = z.strictObject({
  code: z.enum(orderKindCodes),
  /** Absent: the order's deadline comes from the jurisdiction × category rules. */
  legal_deadline_hours: hours.optional(),
  internal_target_hours: hours.optional(),
  note: z.string().max(500).optional(),
});

export const escalationSteps = ['first_warning', 'second_warning', 'access_blocking_recommendation'] as const;
export type EscalationStep = (typeof escalationSteps)[number];

export const escalationStepRuleSchema = z.strictObject({
  step: z.enum(escalationSteps),
  /** How long the platform has to comply once the step is issued. */
  deadline_hours: hours,
  /** The legal basis the step is issued under when the authority names none. */
  legal_basis: z.string().min(1).max(2000),
  /** SAMAN: the second warning comes with an administrative fine. */
  with_fine: z.boolean().default(false),
});

export const escalationSchema = z
  .strictObject({
    /** Where the ladder applies (SAMAN is Indonesian). */
    jurisdictions: z.array(z.string().regex(/^[A-Z]{2}$/)).max(250),
    steps: z.array(escalationStepRuleSchema).length(3),
  })
  .superRefine((ladder, ctx) => {
    ladder.steps.forEach((s, i) => {
      if (s.step !== escalationSteps[i])
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'step'],
          message: `step ${i + 1} of the ladder is ${escalationSteps[i]}`,
        });
    });
  });

export interface ChannelPolicy {
  objection_deadline_hours: number;
  appeal_deadline_hours: number;
  order_kinds: z.output<typeof orderKindRuleSchema>[];
  escalation: z.output<typeof escalationSchema>;
}

export const defaultChannelPolicy: ChannelPolicy = {
  objection_deadline_hours: 24,
  appeal_deadline_hours: 72,
  order_kinds: [
    { code: 'tco_removal_order', legal_deadline_hours: 1, note: 'TCO Art. 3(3): one hour from receipt' },
    {
      code: 'dsa_article_9_order',
      legal_deadline_hours: 24,
      note: 'DSA Art. 9(1): without undue delay; 24 hours as the working deadline',
    },
    {
      code: 'mr5_order',
      note: 'MR5 Art. 14(3): 4 hours urgent, 24 hours otherwise (the jurisdiction rules)',
    },
    { code: 'court_order', note: 'the jurisdiction rules' },
  ],
  escalation: {
    jurisdictions: ['ID'],
    steps: [
      {
        step: 'first_warning',
        deadline_hours: 24,
        legal_basis: 'Permenkominfo No. 5 Tahun 2020, Pasal 15 (teguran tertulis pertama)',
        with_fine: false,
      },
      {
        step: 'second_warning',
        deadline_hours: 24,
        legal_basis: 'Permenkominfo No. 5 Tahun 2020, Pasal 15 (teguran kedua dan denda administratif)',
        with_fine: true,
      },
      {
        step: 'access_blocking_recommendation',
        deadline_hours: 24,
        legal_basis: 'Permenkominfo No. 5 Tahun 2020, Pasal 15 (rekomendasi pemutusan akses)',
        with_fine: false,
      },
    ],
  },
};

export const channelPolicyShape = {
  /** SAMAN "sanggah": the platform answers an objection within this time. */
  objection_deadline_hours: hours.default(defaultChannelPolicy.objection_deadline_hours),
  /** DSA Art. 20(4): appeals are decided in a timely manner; this is the time. */
  appeal_deadline_hours: hours.default(defaultChannelPolicy.appeal_deadline_hours),
  order_kinds: z
    .array(orderKindRuleSchema)
    .max(orderKindCodes.length)
    .default(defaultChannelPolicy.order_kinds),
  escalation: escalationSchema.default(defaultChannelPolicy.escalation),
};

const channelPolicySchema = z.object(channelPolicyShape);

/**
 * The channel settings of a policy document as stored (a version stored before they
 * existed has none of them: the defaults apply).
 */
export function channelPolicy(document: unknown): ChannelPolicy {
  const parsed = channelPolicySchema.safeParse(document ?? {});
  return parsed.success ? parsed.data : defaultChannelPolicy;
}

export function orderKindRule(policy: ChannelPolicy, code: OrderKindCode) {
  return policy.order_kinds.find((k) => k.code === code);
}
