import { canonicalDigest } from '../core/canonical-json.ts';
import type { Db } from '../store/db.ts';
import type { DataCategory } from './rules.ts';

/**
 * The disclosure package: one JSON document per data category disclosed, each with its
 * SHA-256 digest (of its canonical JSON) in a manifest, and the manifest's own digest as the
 * package's. What it lists is what was disclosed; the audit entry carries the manifest.
 */
export interface DisclosureScope {
  subjectKey: string;
  categories: readonly DataCategory[];
  from: Date;
  to: Date;
}

const MAX_ITEMS = 5_000;

/** Cases about the subject: the subject itself, or for a channel, its messages too. */
function subjectCases(db: Db, key: string) {
  const chat = /^telegram:(username|private):(.+)$/.exec(key);
  return db
    .selectFrom('cases')
    .select([
      'id',
      'subject_key',
      'subject',
      'category',
      'jurisdiction',
      'status',
      'outcome',
      'opened_at',
      'decided_at',
    ])
    .where((eb) => {
      const same = eb('subject_key', '=', key);
      if (!chat) return same;
      const prefix = chat[1] === 'username' ? `telegram:message:${chat[2]}/` : `telegram:private:${chat[2]}/`;
      return eb.or([same, eb('subject_key', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)]);
    })
    .orderBy('opened_at')
    .limit(MAX_ITEMS);
}

export async function buildPackage(db: Db, requestId: string, scope: DisclosureScope, now: Date) {
  const cases = await subjectCases(db, scope.subjectKey).execute();
  const caseIds = cases.map((c) => c.id);
  const none = caseIds.length === 0;
  const files: Record<string, unknown[]> = {};
  for (const category of scope.categories) {
    switch (category) {
      case 'subject':
        files['subject.json'] = cases.map((c) => ({
          case_id: c.id,
          subject_key: c.subject_key,
          subject: c.subject,
        }));
        break;
      case 'notices':
        files['notices.json'] = none
          ? []
          : await db
              .selectFrom('notice_targets')
              .innerJoin('notices', 'notices.id', 'notice_targets.notice_id')
              .innerJoin('organisations', 'organisations.id', 'notices.org_id')
              .select([
                'notices.id',
                'notice_targets.case_id',
                'notice_targets.raw as target',
                'organisations.slug as notifier',
                'notices.source_type',
                'notices.category',
                'notices.reference',
                'notices.legal_basis',
                'notices.explanation',
                'notices.received_at',
                'notices.status',
              ])
              .where('notice_targets.case_id', 'in', caseIds)
              .where('notices.received_at', '>=', scope.from)
              .where('notices.received_at', '<=', scope.to)
              .orderBy('notices.received_at')
              .limit(MAX_ITEMS)
              .execute();
        break;
      case 'decisions':
        files['decisions.json'] = none
          ? []
          : await db
              .selectFrom('decisions')
              .leftJoin('statements', 'statements.decision_id', 'decisions.id')
              .select([
                'decisions.id',
                'decisions.case_id',
                'decisions.outcome',
                'decisions.grounds',
                'decisions.territories',
                'decisions.suspension',
                'decisions.status',
                'decisions.created_at',
                'decisions.reverted_at',
                'statements.content as statement',
              ])
              .where('decisions.case_id', 'in', caseIds)
              .where('decisions.created_at', '>=', scope.from)
              .where('decisions.created_at', '<=', scope.to)
              .orderBy('decisions.created_at')
              .limit(MAX_ITEMS)
              .execute();
        break;
      case 'enforcement':
        files['enforcement.json'] = none
          ? []
          : await db
              .selectFrom('enforcement_actions')
              .select([
                'id',
                'decision_id',
                'case_id',
                'connector',
                'type',
                'params',
                'status',
                'applied_at',
                'reverted_at',
                'created_at',
              ])
              .where('case_id', 'in', caseIds)
              .where('created_at', '>=', scope.from)
              .where('created_at', '<=', scope.to)
              .orderBy('created_at')
              .limit(MAX_ITEMS)
              .execute();
        break;
      case 'preserved_content':
        files['preserved_content.json'] = none
          ? []
          : await db
              .selectFrom('preserved_content')
              .select([
                'id',
                'case_id',
                'kind',
                'description',
                'sha256',
                'md5',
                'filename',
                'content_type',
                'size',
                'preserved_until',
                'purged_at',
                'created_at',
              ])
              .where('case_id', 'in', caseIds)
              .where('created_at', '>=', scope.from)
              .where('created_at', '<=', scope.to)
              .orderBy('created_at')
              .limit(MAX_ITEMS)
              .execute();
        break;
    }
  }
  // Dates as ISO text before digesting: the digest is of what the requester receives.
  const plain = JSON.parse(JSON.stringify(files)) as Record<string, unknown[]>;
  const manifest = {
    request_id: requestId,
    generated_at: now.toISOString(),
    subject_key: scope.subjectKey,
    period: { from: scope.from.toISOString(), to: scope.to.toISOString() },
    files: Object.entries(plain).map(([name, items]) => ({
      name,
      items: items.length,
      sha256: canonicalDigest(items),
      truncated: items.length >= MAX_ITEMS,
    })),
  };
  return { manifest, files: plain, digest: canonicalDigest(manifest) };
}
