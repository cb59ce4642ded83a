import { type Insertable, sql } from 'kysely';
import { type CaseRow, lockCase, recordCaseEvent } from '../cases/case-events.ts';
import { newId } from '../core/ids.ts';
import { actionedCases } from '../notices/case-intake.ts';
import type { Subject } from '../notices/targets.ts';
import { deadlinesFor, findCategory, type SopPolicy } from '../policy/sop-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import type { BankMatch } from '../screening/banks/bank-matcher.ts';
import type { Db } from '../store/db.ts';
import type { AutoAction, DetectionsTable } from '../store/schema/index.ts';
import { type LexiconHit, matchConfidence } from './analyse.ts';
import { decideAutomatically, scannerActor } from './automated-decision.ts';
import { openChannelCaseIfRepeated } from './channel-cases.ts';
import { type ActiveIncident, bumpTimeline } from './incidents/incidents.ts';

/**
 * A match becomes a case: it opens or joins the case of the post (source
 * automated_detection, in the same queue and on the same SOP clock as notices, ranked by
 * the match's confidence), is stored as the case's evidence with its bank, distance and
 * provenance, and, when the bank's policy (or an active incident's) says so, is acted on at
 * once (src/scanning/automated-decision.ts). A post whose subject was already actioned gets
 * the evidence on that case and nothing more. Each match is recorded once per post and bank
 * entry, however often the post is scanned or swept.
 */
export interface DetectionSetting {
  policy: SopPolicy;
  incidents: readonly ActiveIncident[];
  jurisdiction: string;
  language: string;
  /** Banks hold terrorist propaganda: the category of the cases they open. */
  category: string;
}

export interface DetectedPost {
  platform: string;
  post_id: string;
  channel: string;
  subject: Subject;
  channel_subject: Subject;
}

export interface DetectionOutcome {
  case_id: string | null;
  status: 'opened_case' | 'joined_case' | 'already_actioned' | 'nothing_new';
  actions: number;
  decision_id: string | null;
  channel_case_id: string | null;
}

const HOUR = 3_600_000;

type DetectionRow = Omit<Insertable<DetectionsTable>, 'case_id'> & {
  id: string;
  score: number;
  bank_id: string | null;
  incident_id: string | null;
};

export async function recordDetections(
  ctx: AppContext,
  trx: Db,
  post: DetectedPost,
  hits: { matches: BankMatch[]; lexicon: LexiconHit | null },
  via: 'scan' | 'sweep',
  setting: DetectionSetting,
  now: Date,
): Promise<DetectionOutcome> {
  const incidentOf = (bankId: string) => setting.incidents.find((i) => i.bank_ids.includes(bankId)) ?? null;
  const rows: DetectionRow[] = hits.matches.map((m) => ({
    id: newId(),
    dedup_key: `${post.platform}:${post.post_id}:${m.provenance.entry_id}`,
    platform: post.platform,
    post_id: post.post_id,
    channel: post.channel,
    kind: 'bank',
    bank_id: m.bank.id,
    entry_id: m.provenance.entry_id,
    signal_type: m.signal_type,
    distance: m.distance,
    score: matchConfidence(m),
    provenance: JSON.stringify({ ...m.provenance, bank: m.bank.name, value: m.value }),
    via,
    incident_id: incidentOf(m.bank.id)?.id ?? null,
    detected_at: now,
  }));
  if (hits.lexicon) {
    rows.push({
      id: newId(),
      dedup_key: `${post.platform}:${post.post_id}:lexicon`,
      platform: post.platform,
      post_id: post.post_id,
      channel: post.channel,
      kind: 'lexicon',
      bank_id: null,
      entry_id: null,
      signal_type: null,
      distance: null,
      score: hits.lexicon.score,
      provenance: JSON.stringify({ lexicon: hits.lexicon.rules }),
      via,
      incident_id: null,
      detected_at: now,
    });
  }
  if (rows.length === 0) return nothing(null);
  const confidence = Math.max(...rows.map((r) => r.score));

  const actioned = await actionedCases(trx, [post.subject.key]).executeTakeFirst();
  let current: CaseRow;
  let opened = false;
  if (actioned) {
    current = await lockCase(trx, actioned.id);
  } else {
    const upserted = await upsertDetectionCase(
      trx,
      post.subject,
      confidence,
      setting,
      incidentsOf(rows, setting),
      now,
    );
    current = await lockCase(trx, upserted.id);
    opened = upserted.inserted;
  }
  const inserted = await trx
    .insertInto('detections')
    .values(rows.map((r) => ({ ...r, case_id: current.id })))
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning(['id', 'kind', 'bank_id', 'incident_id'])
    .execute();
  if (inserted.length === 0 && !opened) return nothing(current.id);

  const summary = rows
    .filter((r) => inserted.some((i) => i.id === r.id))
    .map((r) => ({
      kind: r.kind,
      bank_id: r.bank_id,
      signal_type: r.signal_type,
      distance: r.distance,
      score: r.score,
    }));
  current = await recordCaseEvent(
    trx,
    current,
    scannerActor,
    {
      type: opened ? 'opened' : 'detected',
      data: {
        source: 'automated_detection',
        via,
        post: { platform: post.platform, id: post.post_id, channel: post.channel },
        matches: summary,
      },
    },
    now,
  );
  const status = actioned ? 'already_actioned' : opened ? 'opened_case' : 'joined_case';

  let decisionId: string | null = null;
  let actions = 0;
  const auto = actioned ? null : automaticAction(hits.matches, inserted, incidentOf);
  if (auto) {
    const result = await decideAutomatically(
      ctx,
      trx,
      current.id,
      auto.action,
      auto.match,
      setting.policy,
      now,
    );
    if (result.decided) {
      decisionId = result.decision_id;
      actions = result.actions;
    }
  }
  for (const incident of setting.incidents) {
    const matches = inserted.filter((i) => i.incident_id === incident.id).length;
    if (matches > 0)
      await bumpTimeline(trx, incident.id, now, {
        matches,
        actions: auto?.incident === incident.id && decisionId ? 1 : 0,
      });
  }
  const channelCase =
    inserted.some((i) => i.kind === 'bank') && !actioned
      ? await openChannelCaseIfRepeated(trx, post, setting, now)
      : null;
  return { case_id: current.id, status, actions, decision_id: decisionId, channel_case_id: channelCase };
}

function nothing(caseId: string | null): DetectionOutcome {
  return { case_id: caseId, status: 'nothing_new', actions: 0, decision_id: null, channel_case_id: null };
}

/** The action to take at once: the closest new match in an auto_action bank, or in a bank an active incident tightens. */
function automaticAction(
  matches: BankMatch[],
  inserted: { bank_id: string | null }[],
  incidentOf: (bankId: string) => ActiveIncident | null,
): { action: AutoAction; match: BankMatch; incident: string | null } | null {
  const fresh = new Set(inserted.map((i) => i.bank_id));
  for (const match of matches) {
    if (!fresh.has(match.bank.id)) continue;
    const incident = incidentOf(match.bank.id);
    if (incident?.policy.auto_action)
      return { action: incident.policy.auto_action, match, incident: incident.id };
    if (match.bank.policy === 'auto_action' && match.bank.auto_action)
      return { action: match.bank.auto_action, match, incident: null };
  }
  return null;
}

function incidentsOf(rows: { incident_id: string | null }[], setting: DetectionSetting): ActiveIncident[] {
  const ids = new Set(rows.map((r) => r.incident_id).filter(Boolean));
  return setting.incidents.filter((i) => ids.has(i.id));
}

/**
 * Opens the case of a subject, or joins its open case: the earlier due time wins and the
 * confidence only rises. Deadlines come from the SOP policy for source automated_detection,
 * shortened by an active incident's deadline.
 */
export async function upsertDetectionCase(
  trx: Db,
  subject: Subject,
  confidence: number,
  setting: DetectionSetting,
  incidents: readonly ActiveIncident[],
  now: Date,
): Promise<{ id: string; inserted: boolean }> {
  const deadlines = deadlinesFor(setting.policy, {
    jurisdiction: setting.jurisdiction,
    category: setting.category,
    sourceType: 'automated_detection',
  });
  const tighter = Math.min(Number.POSITIVE_INFINITY, ...incidents.map((i) => i.policy.deadline_hours));
  const legalHours = Math.min(deadlines.legalHours, tighter);
  const targetHours = Math.min(deadlines.targetHours, tighter);
  const row = await trx
    .insertInto('cases')
    .values({
      id: newId(),
      subject_key: subject.key,
      subject: JSON.stringify(subject),
      status: 'open',
      jurisdiction: setting.jurisdiction,
      category: setting.category,
      severity: findCategory(setting.policy, setting.category)?.severity ?? 5,
      trusted: false,
      notice_count: 0,
      hash_match_confidence: confidence,
      language: setting.language,
      due_at: new Date(now.getTime() + targetHours * HOUR),
      legal_due_at: new Date(now.getTime() + legalHours * HOUR),
      opened_at: now,
    })
    .onConflict((oc) =>
      oc.column('subject_key').where('status', '<>', 'closed').doUpdateSet({
        hash_match_confidence: sql`greatest(coalesce(cases.hash_match_confidence, 0), excluded.hash_match_confidence)`,
        due_at: sql`least(cases.due_at, excluded.due_at)`,
        legal_due_at: sql`least(cases.legal_due_at, excluded.legal_due_at)`,
      }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
  return { id: row.id, inserted: Boolean(row.inserted) };
}
