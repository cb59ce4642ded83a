import { z } from 'zod';
import type { Db } from '../store/db.ts';

/**
 * SAMAN: a verified ministry request carries an official letter, a legal analysis, the URL or
 * ID of the content, and a screenshot. tapis marks a request from an Indonesian ministry as
 * verified or not, with what is missing; it does not refuse it (decision 0022): a request
 * with a legal deadline of hours is taken and reviewed, and the platform asks for the
 * missing part in the thread.
 *
 * The parts, as tapis holds them:
 * - letter: a PDF among the evidence (the ministry's signed letter);
 * - legal_analysis: the legal basis and at least one legal reference with its provision;
 * - url_or_id: at least one target (every notice has one, but the rule is SAMAN's, so it is
 *   checked and shown like the others);
 * - screenshot: an image among the evidence.
 */
export const ministryRequestParts = ['letter', 'legal_analysis', 'url_or_id', 'screenshot'] as const;
export type MinistryRequestPart = (typeof ministryRequestParts)[number];

export const ministryRequestSchema = z
  .object({ verified: z.boolean(), missing: z.array(z.enum(ministryRequestParts)) })
  .nullable()
  .describe(
    'For a request from an Indonesian ministry (SAMAN): whether it carries an official letter (a PDF), a legal analysis (legal basis and provisions), the URL or ID, and a screenshot (an image); null for other notifiers',
  );
export type MinistryRequest = z.infer<typeof ministryRequestSchema>;

export interface RequestFacts {
  orgKind: string;
  jurisdiction: string;
  legalBasis: string | null;
  legalReferences: { instrument: string; provision?: string | undefined }[];
  targets: number;
  evidenceTypes: string[];
}

/** SAMAN is Indonesia's ministry channel: requests of a government organisation for Indonesia. */
export function isMinistryRequest(facts: Pick<RequestFacts, 'orgKind' | 'jurisdiction'>): boolean {
  return facts.orgKind === 'government' && facts.jurisdiction === 'ID';
}

export function ministryRequestCheck(facts: RequestFacts): MinistryRequest {
  if (!isMinistryRequest(facts)) return null;
  const present: Record<MinistryRequestPart, boolean> = {
    letter: facts.evidenceTypes.some((t) => t === 'application/pdf'),
    legal_analysis:
      Boolean(facts.legalBasis?.trim()) && facts.legalReferences.some((r) => Boolean(r.provision?.trim())),
    url_or_id: facts.targets > 0,
    screenshot: facts.evidenceTypes.some((t) => t.startsWith('image/')),
  };
  const missing = ministryRequestParts.filter((part) => !present[part]);
  return { verified: missing.length === 0, missing };
}

/** The check for a stored notice: its organisation's kind is read here, the rest is given. */
export async function ministryRequestOf(
  db: Db,
  notice: {
    org_id: string;
    jurisdiction: string;
    legal_basis: string | null;
    legal_references: unknown;
  },
  targets: number,
  evidence: { content_type: string }[],
): Promise<MinistryRequest> {
  if (notice.jurisdiction !== 'ID') return null;
  const org = await db
    .selectFrom('organisations')
    .select('kind')
    .where('id', '=', notice.org_id)
    .executeTakeFirstOrThrow();
  return ministryRequestCheck({
    orgKind: org.kind,
    jurisdiction: notice.jurisdiction,
    legalBasis: notice.legal_basis,
    legalReferences: Array.isArray(notice.legal_references)
      ? (notice.legal_references as RequestFacts['legalReferences'])
      : [],
    targets,
    evidenceTypes: evidence.map((e) => e.content_type),
  });
}
