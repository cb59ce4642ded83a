import { z } from 'zod';
import { countryCode, languageCode } from '../http/schemas.ts';
import { terroristContentTypes } from '../orders/order-kinds.ts';
import { orderKindCodes } from '../policy/channel-policy.ts';

/**
 * What a notifier sends: one schema for the API, the bulk files and the CLI. Category codes
 * are checked against the taxonomy of the policy in force by the intake, not here, since
 * admins can change the taxonomy.
 */
export const legalReference = z.strictObject({
  instrument: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .describe('The law or regulation, e.g. "UU 11/2008 jo. UU 1/2024"'),
  provision: z.string().trim().min(1).max(300).optional().describe('The article, e.g. "Pasal 45"'),
});

export const noticeInput = z.strictObject({
  targets: z
    .array(z.string().max(4096))
    .min(1, 'name at least one target')
    .max(1000, 'at most 1,000 targets per notice')
    .describe('Locations of the content: t.me links, @usernames, invite links, or other URLs'),
  category: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a category code from the taxonomy, e.g. terrorism'),
  jurisdiction: countryCode.default('ID'),
  kind: z
    .enum(['notice', 'order'])
    .default('notice')
    .describe('An order is a formal removal order from an authority (DSA Art. 9, TCO Art. 3)'),
  legal_basis: z.string().trim().min(1).max(4000).optional(),
  legal_references: z.array(legalReference).max(50).optional(),
  explanation: z
    .string()
    .trim()
    .min(
      20,
      'explain why the content is illegal or against the terms, in at least 20 characters (DSA Art. 16(2)(a))',
    )
    .max(20_000),
  reference: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Your own number for the notice, e.g. the letter number'),
  good_faith: z.literal(true, { error: 'confirm the notice is made in good faith (DSA Art. 16(2)(d))' }),
  language: languageCode
    .optional()
    .describe('The language of the notice; defaults to the jurisdiction’s first language'),
  notifier: z
    .strictObject({ name: z.string().trim().min(1).max(200), email: z.email().max(254) })
    .optional()
    .describe('Who is notifying; defaults to the signed-in user or the organisation'),
  anonymous: z
    .boolean()
    .default(false)
    .describe('Keep the notifier’s identity from the affected user; only where the category allows it'),
  order: z
    .strictObject({
      order_kind: z
        .enum(orderKindCodes)
        .optional()
        .describe(
          'tco_removal_order (TCO Art. 3, one hour), dsa_article_9_order, mr5_order, court_order; by default mr5_order in ID, dsa_article_9_order elsewhere, court_order for a court',
        ),
      issuing_authority: z
        .string()
        .trim()
        .min(1)
        .max(300)
        .describe(
          'One of the authorities the organisation is registered for (GET /v1/orgs/{slug}/issuer-registrations)',
        ),
      territorial_scope: z.array(countryCode).min(1).max(250),
      redress: z
        .string()
        .trim()
        .min(1)
        .max(2000)
        .describe('How the platform or the user can contest the order'),
      reasons: z
        .string()
        .trim()
        .min(1)
        .max(20_000)
        .optional()
        .describe('The statement of reasons (DSA Art. 9(2)(a); TCO Annex I); required for EU orders'),
      terrorist_content_type: z
        .enum(terroristContentTypes)
        .optional()
        .describe('TCO Art. 2(7)(a)-(e); required for a TCO removal order'),
      authority_contact: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .optional()
        .describe('The issuing authority’s contact point (TCO Annex I); required for a TCO removal order'),
      court_case_number: z.string().trim().min(1).max(200).optional().describe('Required for a court order'),
    })
    .optional()
    .describe('Required for orders (DSA Art. 9(2))'),
});

export type NoticeInput = z.output<typeof noticeInput>;
