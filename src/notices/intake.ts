import type { Insertable } from 'kysely';
import { canonicalDigest } from '../core/canonical-json.ts';
import { type DomainError, type FieldIssue, forbidden, invalid } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import { registrationFor } from '../orders/issuer-registry.ts';
import { defaultOrderKind, orderKindIssues, orderKinds } from '../orders/order-kinds.ts';
import { channelPolicy, type OrderKindCode, orderKindRule } from '../policy/channel-policy.ts';
import { marks, markTime } from '../policy/clock.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import { type Deadlines, deadlinesFor, findCategory } from '../policy/sop-policy.ts';
import type { Db } from '../store/db.ts';
import type { NoticesTable } from '../store/schema/index.ts';
import type { CaseFacts, TargetCase } from './case-intake.ts';
import type { NoticeInput } from './notice-input.ts';
import { orderContentIssues } from './order-contents.ts';
import { signReceipt } from './receipts.ts';
import { currentSigningKey } from './signing-keys.ts';
import { mayIssueOrders, type NotifierOrg, sourceTypeOf } from './source-type.ts';
import { parseTarget, type Subject } from './targets.ts';

/**
 * The intake use case, first half: validate a notice, work out its source type and
 * deadlines, and sign its receipt. Nothing is written yet; src/notices/intake-commit.ts
 * writes prepared notices in one transaction (several at once under load, see
 * src/notices/intake-queue.ts), and only then does the receipt leave.
 */
export interface IntakeResult {
  notice_id: string;
  received_at: Date;
  deadline: Date;
  target_deadline: Date;
  source_type: string;
  targets: (Subject & TargetCase & { index: number })[];
  receipt: string;
  digest: string;
}

export interface PreparedNotice {
  actor: Actor;
  orgSlug: string;
  idempotencyKey: string | null;
  digest: string;
  receipt: string;
  row: Insertable<NoticesTable> & {
    id: string;
    org_id: string;
    received_at: Date;
    legal_due_at: Date;
    target_due_at: Date;
  };
  subjects: Subject[];
  raws: string[];
  caseFacts: CaseFacts;
  reference: string | null;
}

export interface PrepareOptions {
  idempotencyKey?: string | undefined;
  bulkJobId?: string | undefined;
  publicUrl: string;
}

const HOUR = 3_600_000;

export function suspendedNotifier(): DomainError {
  return forbidden('your organisation’s notices are suspended (DSA Art. 23(2)); contact the platform');
}

export async function prepareNotice(
  db: Db,
  actor: Actor,
  input: NoticeInput,
  now: Date,
  options: PrepareOptions,
): Promise<PreparedNotice> {
  const [org, policy, languages] = await Promise.all([
    notifierOrganisation(db, actor.orgId),
    currentPolicy(db),
    jurisdictionLanguages(db, input.jurisdiction),
  ]);
  if (org.flagger_status === 'suspended') throw suspendedNotifier();
  const category = findCategory(policy.document, input.category);
  const issues: FieldIssue[] = [];
  // A jurisdiction without a record has no SOP policy, deadlines or reviewers of its own: a
  // notice for it would run on defaults nobody chose, so it is refused (GET /v1/jurisdictions).
  if (languages === null) {
    issues.push({
      pointer: '/jurisdiction',
      detail: `'${input.jurisdiction}' is not a jurisdiction tapis handles; see GET /v1/jurisdictions`,
    });
  }
  if (!category) {
    issues.push({
      pointer: '/category',
      detail: `'${input.category}' is not in the taxonomy: ${policy.document.taxonomy.map((c) => c.code).join(', ')}`,
    });
  }
  if (input.anonymous && category && !category.anonymous_notices) {
    issues.push({
      pointer: '/anonymous',
      detail: `notices about ${input.category} cannot be anonymous (DSA Art. 16(2)(c))`,
    });
  }
  if (input.kind === 'order') {
    if (!mayIssueOrders(org.kind))
      issues.push({
        pointer: '/kind',
        detail: 'only government, law-enforcement and court organisations may send orders',
      });
    if (!input.order)
      issues.push({
        pointer: '/order',
        detail: 'an order needs its issuing authority, territorial scope and redress (DSA Art. 9(2))',
      });
    if (!input.legal_basis)
      issues.push({ pointer: '/legal_basis', detail: 'an order needs its legal basis (DSA Art. 9(2))' });
    issues.push(...orderContentIssues(input, languages));
  }
  // Orders are tied to their issuer (docs/decisions/0017): the kind's own statement fields,
  // and a live registration for the authority, jurisdiction and kind.
  let orderKind: OrderKindCode | null = null;
  if (input.kind === 'order' && input.order && mayIssueOrders(org.kind)) {
    orderKind = input.order.order_kind ?? defaultOrderKind(input.jurisdiction, org.kind);
    issues.push(
      ...orderKindIssues(orderKinds[orderKind], {
        orgKind: org.kind,
        jurisdiction: input.jurisdiction,
        category: input.category,
        order: input.order,
        legalReferences: input.legal_references ?? [],
      }),
    );
    if (issues.length === 0) {
      const registered = await registrationFor(db, org.id, {
        authority: input.order.issuing_authority,
        jurisdiction: input.jurisdiction,
        orderKind,
      });
      if ('refusal' in registered)
        throw forbidden(
          `order.issuing_authority: ${registered.refusal} (GET /v1/orgs/${org.slug}/issuer-registrations)`,
        );
    }
  }
  const subjects = input.targets.map((raw, index) => {
    const parsed = parseTarget(raw);
    if (!parsed.ok) issues.push({ pointer: `/targets/${index}`, detail: parsed.reason });
    return parsed.ok ? parsed.subject : null;
  });
  if (issues.length > 0) {
    const first = issues[0]!;
    const where = first.pointer.replace(/^\/targets\/(\d+)$/, 'targets[$1]').replace(/^\//, '');
    throw invalid(
      `${where}: ${first.detail}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
      issues,
    );
  }

  const sourceType = sourceTypeOf(org, input);
  const deadlines = orderDeadlines(
    deadlinesFor(policy.document, { jurisdiction: input.jurisdiction, category: input.category, sourceType }),
    orderKind ? orderKindRule(channelPolicy(policy.document), orderKind) : undefined,
  );
  const noticeId = newId();
  const legalDue = new Date(now.getTime() + deadlines.legalHours * HOUR);
  const targetDue = new Date(now.getTime() + deadlines.targetHours * HOUR);
  // What was received, as tapis understood it (defaults applied): its digest is signed.
  const digest = canonicalDigest(input);
  const firstMark = marks(
    policy.document.at_risk_thresholds,
    deadlines.targetHours / deadlines.legalHours,
  )[0]!;
  const receipt = await signReceipt(await currentSigningKey(db), {
    iss: options.publicUrl,
    notice_id: noticeId,
    org: org.slug,
    received_at: now.toISOString(),
    deadline: legalDue.toISOString(),
    target_deadline: targetDue.toISOString(),
    digest,
    targets: input.targets.length,
  });
  const language = input.language ?? languages?.[0] ?? 'en';
  return {
    actor,
    orgSlug: org.slug,
    idempotencyKey: options.idempotencyKey ?? null,
    digest,
    receipt,
    subjects: subjects as Subject[],
    raws: input.targets,
    reference: input.reference ?? null,
    caseFacts: {
      jurisdiction: input.jurisdiction,
      category: input.category,
      severity: category!.severity,
      trusted: sourceType === 'trusted_flagger' || sourceType === 'government_order',
      language,
      dueAt: targetDue,
      legalDueAt: legalDue,
    },
    row: {
      id: noticeId,
      org_id: org.id,
      submitted_by: actor.id,
      submitted_by_type: actor.type,
      kind: input.kind,
      source_type: sourceType,
      category: input.category,
      jurisdiction: input.jurisdiction,
      language,
      legal_basis: input.legal_basis ?? null,
      legal_references: JSON.stringify(input.legal_references ?? []),
      explanation: input.explanation,
      reference: input.reference ?? null,
      good_faith: input.good_faith,
      notifier: JSON.stringify(
        input.notifier ?? {
          name: `${actor.displayName} (${org.name})`,
          email: org.contact_email ?? undefined,
        },
      ),
      anonymous: input.anonymous,
      order_details: JSON.stringify(input.order ? { ...input.order, order_kind: orderKind } : null),
      order_kind: orderKind,
      received_at: now,
      legal_hours: deadlines.legalHours,
      target_hours: deadlines.targetHours,
      legal_due_at: legalDue,
      target_due_at: targetDue,
      policy_version: policy.version,
      status: 'received',
      next_clock_at: markTime(now, deadlines.legalHours, [], now, firstMark.share),
      digest,
      receipt,
      bulk_job_id: options.bulkJobId ?? null,
    },
  };
}

/**
 * An order kind with a deadline of its own (a TCO removal order: one hour from receipt, TCO
 * Art. 3(3)) holds over the jurisdiction rules when it is stricter; never a later one.
 */
function orderDeadlines(
  fromRules: Deadlines,
  kind: { legal_deadline_hours?: number | undefined; internal_target_hours?: number | undefined } | undefined,
): Deadlines {
  if (!kind?.legal_deadline_hours) return fromRules;
  // Where the kind and the rules disagree, the stricter holds (RULEBOOK: the stricter default).
  const legalHours = Math.min(kind.legal_deadline_hours, fromRules.legalHours);
  return {
    ...fromRules,
    legalHours,
    targetHours: Math.min(kind.internal_target_hours ?? legalHours, fromRules.targetHours, legalHours),
  };
}

/**
 * Reads every notice needs but that change rarely: the notifier's organisation and a
 * jurisdiction's languages. Under load they were two of the three queries a notice cost
 * before its commit, so they are kept for a moment. A suspension is not left to the cache:
 * the commit checks it again, in the transaction that would store the notice
 * (src/notices/intake-commit.ts), so a suspended flagger is refused as soon as the
 * suspension commits. Other changes (trusted ↔ regular, designation) apply within CACHE_MS.
 */
const CACHE_MS = 2_000;

type NotifierRow = NotifierOrg & { id: string; slug: string; name: string; contact_email: string | null };

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

const organisations = new WeakMap<Db, Map<string, Cached<NotifierRow>>>();
const jurisdictions = new WeakMap<Db, Map<string, Cached<readonly string[] | null>>>();

function cached<T>(
  store: WeakMap<Db, Map<string, Cached<T>>>,
  db: Db,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  let entries = store.get(db);
  if (!entries) {
    entries = new Map();
    store.set(db, entries);
  }
  const hit = entries.get(key);
  const at = Date.now();
  if (hit && at - hit.at < CACHE_MS) return hit.value;
  // Concurrent requests share one read; a failed read is not kept.
  const entry = { at, value: load() };
  entries.set(key, entry);
  entry.value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return entry.value;
}

function notifierOrganisation(db: Db, orgId: string): Promise<NotifierRow> {
  return cached(organisations, db, orgId, () =>
    db
      .selectFrom('organisations')
      .select([
        'id',
        'slug',
        'name',
        'kind',
        'flagger_status',
        'contact_email',
        'designated_categories',
        'designated_jurisdictions',
      ])
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow(),
  );
}

/** The jurisdiction's languages; null when tapis has no record of it. */
function jurisdictionLanguages(db: Db, code: string): Promise<readonly string[] | null> {
  return cached(jurisdictions, db, code, async () => {
    const row = await db
      .selectFrom('jurisdictions')
      .select('languages')
      .where('code', '=', code)
      .executeTakeFirst();
    return row ? row.languages : null;
  });
}
