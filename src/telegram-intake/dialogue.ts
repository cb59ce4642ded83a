import type { Actor } from '../identity/actor.ts';
import type { IntakeQueue } from '../notices/intake-queue.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import { findCategory } from '../policy/sop-policy.ts';
import { releaseBlobs } from '../preservation/blobs.ts';
import type { Db } from '../store/db.ts';
import type { IntakeBotApi } from './bot-client.ts';
import { DOWNLOAD_LIMIT_BYTES } from './bot-client.ts';
import { captureMedia } from './capture.ts';
import { advance, type DraftState, GATHER_WINDOW_MS, type Step, StepRefused } from './conversation.ts';
import {
  type Draft,
  type DraftTarget,
  emptyDraftData,
  newDraft,
  openDraft,
  saveDraft,
  tokenOf,
} from './drafts.ts';
import { attachEvidence, explanationOf, fileDraft } from './filing.ts';
import type { MediaRef } from './forwards.ts';
import { basisKeyboard, categoryKeyboard, confirmKeyboard, doneKeyboard, templatesFor } from './keyboards.ts';
import type { Link } from './links.ts';
import { type Precision, say } from './messages.ts';
import type { Turn } from './turn.ts';

/**
 * The conversation's use cases: a post (forwarded or pasted) joins or starts a draft; a
 * button or a text moves it through the table in src/telegram-intake/conversation.ts; the
 * confirmation files it. Each works on one Turn: what to say and what to write.
 */
export interface DialogueDeps {
  db: Db;
  api: IntakeBotApi;
  intake: IntakeQueue;
  publicUrl: string;
}

export interface Post {
  message_id: number;
  targets: DraftTarget[];
  precision: Precision;
  text: string | null;
  described: string;
  media: MediaRef | null;
  media_group_id: string | null;
}

export async function takePost(
  deps: DialogueDeps,
  turn: Turn,
  link: Link,
  actor: Actor,
  post: Post,
  now: Date,
): Promise<void> {
  const t = say(turn.language);
  let draft = await openDraft(deps.db, link.telegram_user_id);
  if (draft?.data.messages.includes(post.message_id)) return;
  const closed = draft !== null && closeGathering(draft, now);
  if (draft && closed) {
    turn.say(t.gatherClosed);
    await askNext(deps, turn, draft, actor);
  }
  const albumPart = Boolean(
    draft && post.media_group_id && draft.data.media_group_id === post.media_group_id,
  );
  const step: Step = albumPart ? 'album_part' : post.targets.length > 0 ? 'post' : 'untargeted_post';
  const fresh = !draft;
  if (draft) {
    try {
      draft.state = advance(draft.state, step);
    } catch (error) {
      if (!(error instanceof StepRefused)) throw error;
      turn.say(t.busy);
      turn.outcome = 'busy';
      const kept = draft;
      if (closed) turn.write((trx) => saveDraft(trx, kept, now));
      return;
    }
  } else {
    const state: DraftState = post.targets.length > 0 ? 'category' : 'needs_target';
    draft = newDraft(link, state, emptyDraftData(turn.language), now);
    draft.data.media_group_id = post.media_group_id;
  }
  const before = draft.state;
  const d = draft.data;
  d.messages.push(post.message_id);
  d.targets.push(...post.targets.filter((p) => !d.targets.some((t) => t.raw === p.raw)));
  if (post.text) d.texts.push({ message_id: post.message_id, described: post.described, text: post.text });
  if (post.media) {
    const captured = await captureMedia(deps.db, deps.api, post.media, post.message_id);
    d.media.push(captured);
    if (captured.note === 'too_large')
      turn.say(t.mediaTooLarge(captured.name, DOWNLOAD_LIMIT_BYTES / 2 ** 20));
    else if (captured.note) turn.say(t.mediaFailed(captured.name));
  }
  // A post without a target (hidden user) keeps waiting for a link.
  if (draft.state === 'category' && d.targets.length === 0) draft.state = 'needs_target';

  if (fresh) {
    turn.say(
      t.draftStarted(
        d.targets.map((x) => x.raw),
        t.precision[post.precision],
      ),
    );
    if (d.media.some((m) => m.sha256)) turn.say(t.mediaHashed(d.media.filter((m) => m.sha256).length));
  } else if (draft.state === 'gathering') {
    turn.say(t.gatherAdded(d.messages.length));
  } else if (step === 'post' && before === 'category') {
    // needs_target → category: the link arrived.
    turn.say(
      t.draftStarted(
        d.targets.map((x) => x.raw),
        t.precision[post.precision],
      ),
    );
  } else if (step === 'untargeted_post') {
    turn.say(t.precision.none);
  }
  if (draft.state === 'needs_target') turn.say(t.needTarget);
  if (draft.state === 'category' && (fresh || step === 'post')) await askNext(deps, turn, draft, actor);
  const saved = draft;
  turn.write((trx) => saveDraft(trx, saved, now));
}

/** Starts gathering several forwards into one notice (/gather). */
export async function startGathering(deps: DialogueDeps, turn: Turn, link: Link, now: Date): Promise<void> {
  const t = say(turn.language);
  if (await openDraft(deps.db, link.telegram_user_id)) {
    turn.say(t.busy);
    return;
  }
  const draft = newDraft(link, 'gathering', emptyDraftData(turn.language), now);
  draft.data.gather_until = new Date(now.getTime() + GATHER_WINDOW_MS).toISOString();
  turn.say(t.gatherStarted(GATHER_WINDOW_MS / 60_000), {
    reply_markup: doneKeyboard(turn.language, tokenOf(draft.id)),
  });
  turn.write((trx) => saveDraft(trx, draft, now));
}

function closeGathering(draft: Draft, now: Date): boolean {
  if (draft.state !== 'gathering' || !draft.data.gather_until) return false;
  if (new Date(draft.data.gather_until) > now) return false;
  draft.state = advance(draft.state, 'window_closed');
  if (draft.data.targets.length === 0) draft.state = 'needs_target';
  return true;
}

/** Asks what the draft's state is waiting for. */
async function askNext(deps: DialogueDeps, turn: Turn, draft: Draft, actor: Actor): Promise<void> {
  const t = say(turn.language);
  const token = tokenOf(draft.id);
  const policy = (await currentPolicy(deps.db)).document;
  if (draft.state === 'category')
    turn.say(t.askCategory, { reply_markup: categoryKeyboard(policy, turn.language, token) });
  if (draft.state === 'needs_target') turn.say(t.needTarget);
  if (draft.state === 'legal_basis') {
    const templates = templatesFor(policy, actor.jurisdictions[0] ?? 'ID', draft.data.category ?? '');
    turn.say(t.askLegalBasis, { reply_markup: basisKeyboard(templates, turn.language, token) });
  }
  if (draft.state === 'legal_basis_text') turn.say(t.askLegalBasisText);
  if (draft.state === 'confirm') {
    const category = draft.data.category ? findCategory(policy, draft.data.category) : undefined;
    turn.say(
      t.summary({
        targets: draft.data.targets.map((x) => x.raw),
        category: category?.labels[turn.language] ?? draft.data.category ?? '',
        legalBasis: draft.data.legal_basis ?? '',
        explanation: explanationOf(draft),
        evidence: draft.data.media.filter((m) => m.sha256).length + 1,
      }),
      { reply_markup: confirmKeyboard(turn.language, token) },
    );
  }
}

/** A button press on a draft's keyboard. */
export async function pressButton(
  deps: DialogueDeps,
  turn: Turn,
  link: Link,
  actor: Actor,
  press: { id: string; what: string; token: string; arg: string | null },
  now: Date,
): Promise<void> {
  const t = say(turn.language);
  const draft = await openDraft(deps.db, link.telegram_user_id);
  if (!draft || tokenOf(draft.id) !== press.token) {
    turn.answer(press.id, t.staleButton);
    turn.outcome = 'stale';
    return;
  }
  const policy = (await currentPolicy(deps.db)).document;
  try {
    switch (press.what) {
      case 'c': {
        const category = press.arg ? findCategory(policy, press.arg) : undefined;
        if (!category) throw new StepRefused(draft.state, 'category');
        draft.state = advance(draft.state, 'category');
        draft.data.category = category.code;
        const templates = templatesFor(policy, actor.jurisdictions[0] ?? 'ID', category.code);
        if (templates.length === 0) draft.state = advance(draft.state, 'basis_own');
        break;
      }
      case 'b': {
        if (press.arg === 'own') {
          draft.state = advance(draft.state, 'basis_own');
          break;
        }
        const template = templatesFor(policy, actor.jurisdictions[0] ?? 'ID', draft.data.category ?? '').find(
          (x) => x.code === press.arg,
        );
        if (!template) throw new StepRefused(draft.state, 'basis');
        draft.state = advance(draft.state, 'basis');
        draft.data.legal_basis = template.legal_basis;
        draft.data.legal_references = template.legal_references;
        break;
      }
      case 'd':
        draft.state = advance(draft.state, 'done');
        if (draft.data.targets.length === 0) draft.state = 'needs_target';
        break;
      case 'x':
        draft.state = advance(draft.state, 'cancel');
        break;
      case 'ok':
        advance(draft.state, 'confirm');
        turn.answer(press.id, t.filing);
        await confirm(deps, turn, draft, actor, now);
        return;
    }
  } catch (error) {
    if (!(error instanceof StepRefused)) throw error;
    turn.answer(press.id, t.staleButton);
    turn.outcome = 'stale';
    return;
  }
  turn.answer(press.id);
  if (draft.state === 'cancelled') cancelDraft(turn, draft, now);
  else {
    await askNext(deps, turn, draft, actor);
    turn.write((trx) => saveDraft(trx, draft, now));
  }
}

/** Text in a state that waits for it: the legal basis, or a new explanation. */
export async function takeText(
  deps: DialogueDeps,
  turn: Turn,
  draft: Draft,
  actor: Actor,
  text: string,
  now: Date,
): Promise<void> {
  const clean = text.trim().slice(0, 4000);
  const was = draft.state;
  draft.state = advance(draft.state, 'text');
  if (was === 'legal_basis_text') {
    draft.data.legal_basis = clean;
    draft.data.legal_references = [];
  } else {
    draft.data.explanation = clean;
    turn.say(say(turn.language).explanationNoted);
  }
  await askNext(deps, turn, draft, actor);
  turn.write((trx) => saveDraft(trx, draft, now));
}

export function cancelDraft(turn: Turn, draft: Draft, now: Date): void {
  draft.state = 'cancelled';
  turn.say(say(turn.language).cancelled);
  const shas = draft.data.media.flatMap((m) => (m.sha256 ? [m.sha256] : []));
  turn.write(async (trx) => {
    await saveDraft(trx, draft, now);
    // Media of a draft never filed are nobody's evidence: their bytes go (src/preservation/blobs.ts).
    await releaseBlobs(trx, shas);
  });
}

async function confirm(deps: DialogueDeps, turn: Turn, draft: Draft, actor: Actor, now: Date): Promise<void> {
  const t = say(turn.language);
  const filing = await fileDraft(deps, draft, actor, now);
  if (!filing.ok) {
    turn.say(t.refusedByIntake(filing.reason));
    turn.outcome = 'refused_by_intake';
    return;
  }
  const { result } = filing;
  draft.state = 'filed';
  draft.notice_id = result.notice_id;
  const deadline = await formatDeadline(
    deps.db,
    actor.jurisdictions[0] ?? 'ID',
    result.deadline,
    turn.language,
  );
  turn.write(async (trx) => {
    await attachEvidence(trx, actor, draft, result.notice_id, now);
    await saveDraft(trx, draft, now);
  });
  turn.send({
    method: 'sendDocument',
    params: { chat_id: turn.chatId, caption: t.filed(result.notice_id, deadline) },
    document: {
      filename: `tanda-terima-${result.notice_id}.jws`,
      content: result.receipt,
      contentType: 'application/jose',
    },
  });
  turn.outcome = 'filed';
}

/** The deadline in the jurisdiction's time zone, with its UTC instant for the record. */
async function formatDeadline(db: Db, jurisdiction: string, at: Date, language: string): Promise<string> {
  const row = await db
    .selectFrom('jurisdictions')
    .select('time_zone')
    .where('code', '=', jurisdiction)
    .executeTakeFirst();
  const timeZone = row?.time_zone ?? 'UTC';
  const local = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
  return `${local} (${at.toISOString()})`;
}
