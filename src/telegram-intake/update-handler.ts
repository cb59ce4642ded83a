import type { Logger } from 'pino';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../identity/actor.ts';
import { writeMessage } from '../notices/threads.ts';
import { currentPolicy } from '../policy/policy-store.ts';
import type { Db } from '../store/db.ts';
import { linkedActor } from './actor.ts';
import { allows } from './conversation.ts';
import {
  cancelDraft,
  type DialogueDeps,
  type Post,
  pressButton,
  startGathering,
  takePost,
  takeText,
} from './dialogue.ts';
import { openDraft } from './drafts.ts';
import { forwardFacts, mediaOf, pastedTargets } from './forwards.ts';
import { parseCallback } from './keyboards.ts';
import { closeDrafts, findLink, LINK_CODE_PATTERN, type Link, redeemLinkCode } from './links.ts';
import { type Language, languageOf, say } from './messages.ts';
import { Turn } from './turn.ts';
import { type Message, senderOf, type Update, updateSchema } from './updates.ts';

/**
 * One update, start to finish: who sent it (linked or not), whether they are flooding,
 * and what it asks for (a command, a reply to a clarification request, a forward, a link,
 * a button). Returns the Turn: its writes and replies are applied by the inbox in the
 * transaction that marks the update handled. Logs carry ids, never a post's content.
 */
export interface HandlerDeps extends DialogueDeps {
  log: Logger;
  /** Updates a sender may send in a minute before the bot stops answering them. */
  floodPerMinute: number;
}

export async function handleUpdate(deps: HandlerDeps, payload: unknown, now: Date): Promise<Turn | null> {
  const parsed = updateSchema.safeParse(payload);
  if (!parsed.success) {
    deps.log.warn(
      {
        update_id: (payload as { update_id?: unknown })?.update_id,
        issue: parsed.error.issues[0]?.path.join('.'),
      },
      'telegram update not understood; skipped',
    );
    return null;
  }
  const update = parsed.data;
  const sender = senderOf(update);
  const chatId = update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? sender?.id;
  // The bot works in private chats with people; a group it was added to gets no answers.
  if (!sender || sender.is_bot || chatId === undefined) return null;
  if (update.message && update.message.chat.type !== 'private') return null;

  const link = await findLink(deps.db, sender.id);
  const turn = new Turn(chatId, (link?.language as Language | undefined) ?? languageOf(sender.language_code));
  const t = say(turn.language);

  if (await flooding(deps.db, sender.id, update.update_id, deps.floodPerMinute, now, turn)) return turn;

  const text = update.message?.text?.trim() ?? '';
  const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/.exec(text);
  if (start && update.message) {
    await linkWithCode(turn, { telegramUserId: sender.id, chatId }, start[1], link, now);
    return turn;
  }
  if (!link) {
    // An unlinked sender gets the polite refusal and nothing else.
    if (update.callback_query) turn.answer(update.callback_query.id, t.notLinked.slice(0, 200));
    else turn.say(t.notLinked);
    turn.outcome = 'not_linked';
    return turn;
  }
  const actor = await linkedActor(deps.db, link.user_id);
  if (!actor) {
    if (update.callback_query) turn.answer(update.callback_query.id, t.disabled);
    else turn.say(t.disabled);
    turn.outcome = 'disabled';
    return turn;
  }
  if (update.callback_query) {
    const press = parseCallback(update.callback_query.data);
    if (!press) turn.answer(update.callback_query.id, t.staleButton);
    else await pressButton(deps, turn, link, actor, { id: update.callback_query.id, ...press }, now);
    return turn;
  }
  if (update.message) await takeMessage(deps, turn, link, actor, update.message, now);
  return turn;
}

async function takeMessage(
  deps: HandlerDeps,
  turn: Turn,
  link: Link,
  actor: Actor,
  message: Message,
  now: Date,
): Promise<void> {
  const t = say(turn.language);
  const text = (message.text ?? '').trim();
  const command = /^\/([a-z]+)(?:@\w+)?(?:\s+(.*))?$/i.exec(text);
  if (command && !message.forward_origin && !message.forward_date) {
    await runCommand(deps, turn, link, command[1]!.toLowerCase(), command[2]?.trim() ?? '', now);
    return;
  }
  const facts = forwardFacts(message);
  if (facts) {
    const post: Post = {
      message_id: message.message_id,
      targets: facts.target
        ? [
            {
              raw: facts.target,
              precision: facts.precision,
              source: facts.origin,
              described: facts.described,
              message_id: message.message_id,
            },
          ]
        : [],
      precision: facts.precision,
      text: message.text ?? message.caption ?? null,
      described: facts.described,
      media: mediaOf(message),
      media_group_id: message.media_group_id ?? null,
    };
    await takePost(deps, turn, link, actor, post, now);
    return;
  }
  if (message.reply_to_message && text) {
    if (await answerClarification(deps, turn, actor, message.reply_to_message.message_id, text, now)) return;
  }
  if (!text) {
    turn.say(t.notText);
    return;
  }
  const draft = await openDraft(deps.db, link.telegram_user_id);
  if (draft && allows(draft.state, 'text')) {
    await takeText(deps, turn, draft, actor, text, now);
    return;
  }
  const pasted = pastedTargets(text);
  const usable = pasted.filter((p) => p.ok);
  for (const bad of pasted.filter((p) => !p.ok)) turn.say(t.linkRefused(`${bad.raw}: ${bad.reason}`));
  if (usable.length === 0) {
    if (pasted.length === 0) turn.say(t.notText);
    turn.outcome = 'not_understood';
    return;
  }
  // A pasted link is a post like a forward: the parser gives its location.
  await takePost(
    deps,
    turn,
    link,
    actor,
    {
      message_id: message.message_id,
      targets: usable.map((p) => ({
        raw: p.raw,
        precision: 'message',
        source: 'link',
        described: `link ${p.raw}`,
        message_id: message.message_id,
      })),
      precision: /\/\d+(?:\?|$)/.test(usable[0]!.raw) ? 'message' : 'chat',
      text: null,
      described: 'pasted link',
      media: null,
      media_group_id: null,
    },
    now,
  );
}

async function runCommand(
  deps: HandlerDeps,
  turn: Turn,
  link: Link,
  name: string,
  arg: string,
  now: Date,
): Promise<void> {
  const t = say(turn.language);
  switch (name) {
    case 'help':
    case 'bantuan':
      turn.say(t.help);
      return;
    case 'cancel':
    case 'batal': {
      const draft = await openDraft(deps.db, link.telegram_user_id);
      if (draft) cancelDraft(turn, draft, now);
      else turn.say(t.nothingToCancel);
      return;
    }
    case 'gather':
    case 'kumpulkan':
      await startGathering(deps, turn, link, now);
      return;
    case 'mute':
    case 'bisukan':
    case 'unmute':
    case 'bunyikan': {
      const muted = name === 'mute' || name === 'bisukan';
      turn.write(async (trx) => {
        await trx
          .updateTable('telegram_links')
          .set({ muted })
          .where('telegram_user_id', '=', link.telegram_user_id)
          .execute();
      });
      turn.say(muted ? t.muted : t.unmuted);
      return;
    }
    case 'language':
    case 'bahasa': {
      const language: Language = /^(id|in|indonesia)/i.test(arg)
        ? 'id'
        : /^(en|english|inggris)/i.test(arg)
          ? 'en'
          : turn.language === 'id'
            ? 'en'
            : 'id';
      turn.language = language;
      turn.write(async (trx) => {
        await trx
          .updateTable('telegram_links')
          .set({ language })
          .where('telegram_user_id', '=', link.telegram_user_id)
          .execute();
      });
      turn.say(say(language).languageSet);
      return;
    }
    case 'unlink':
    case 'putuskan':
      turn.write(async (trx) => {
        await trx
          .deleteFrom('telegram_links')
          .where('telegram_user_id', '=', link.telegram_user_id)
          .execute();
        await closeDrafts(trx, link.telegram_user_id, now);
        await appendAudit(
          trx,
          { type: 'system', id: 'telegram-intake' },
          {
            action: 'telegram.unlinked',
            objectType: 'user',
            objectId: link.user_id,
            change: { by: 'telegram' },
          },
          now,
        );
      });
      turn.say(t.unlinked);
      return;
    default:
      turn.say(t.help);
  }
}

async function linkWithCode(
  turn: Turn,
  sender: { telegramUserId: number; chatId: number },
  code: string | undefined,
  link: Link | undefined,
  now: Date,
): Promise<void> {
  const t = say(turn.language);
  if (!code) {
    turn.say(link ? t.help : t.linkMissing);
    return;
  }
  if (!LINK_CODE_PATTERN.test(code)) {
    turn.say(t.codeUnknown);
    turn.outcome = 'link_refused';
    return;
  }
  // Redeemed in the update's own transaction: the code is spent if and only if the link is made.
  const language = turn.language;
  let outcome: Awaited<ReturnType<typeof redeemLinkCode>> | null = null;
  turn.write(async (trx) => {
    outcome = await redeemLinkCode(trx, { ...sender, language }, code, now);
    const name = outcome.ok
      ? ((
          await trx
            .selectFrom('users')
            .select('display_name')
            .where('id', '=', outcome.userId)
            .executeTakeFirst()
        )?.display_name ?? '')
      : '';
    const reply = outcome.ok
      ? t.linked(name)
      : { unknown: t.codeUnknown, used: t.codeUsed, expired: t.codeExpired, not_flagger: t.codeNotFlagger }[
          outcome.reason
        ];
    turn.outcome = outcome.ok ? 'linked' : `link_${outcome.reason}`;
    turn.say(reply);
  });
}

/** A reply to the bot's clarification request answers it in the notice's thread. */
async function answerClarification(
  deps: HandlerDeps,
  turn: Turn,
  actor: Actor,
  repliedTo: number,
  text: string,
  now: Date,
): Promise<boolean> {
  const t = say(turn.language);
  const asked = await deps.db
    .selectFrom('telegram_sent_messages')
    .innerJoin('notices', 'notices.id', 'telegram_sent_messages.notice_id')
    .select(['notices.id', 'notices.org_id', 'notices.paused_since'])
    .where('telegram_sent_messages.chat_id', '=', turn.chatId)
    .where('telegram_sent_messages.message_id', '=', repliedTo)
    .where('telegram_sent_messages.kind', '=', 'clarification')
    .executeTakeFirst();
  if (!asked) return false;
  if (asked.org_id !== actor.orgId) return false;
  if (!asked.paused_since) {
    turn.say(t.clarificationRefused('no clarification request is open on this notice'));
    turn.outcome = 'clarification_refused';
    return true;
  }
  const thresholds = (await currentPolicy(deps.db)).document.at_risk_thresholds;
  turn.write(async (trx) => {
    await writeMessage(
      trx,
      actor,
      asked.id,
      { kind: 'clarification_answer', body: text.slice(0, 20_000) },
      thresholds,
      now,
    );
  });
  turn.say(t.clarificationAnswered);
  turn.outcome = 'clarification_answered';
  return true;
}

/**
 * Flood limit per sender: the updates they sent in the last minute up to this one, from the inbox. The
 * first one over the limit is told how long to wait; the rest get no answer, so a flood
 * cannot make the bot flood Telegram in turn (and meet its 429s).
 */
async function flooding(
  db: Db,
  senderId: number,
  updateId: number,
  perMinute: number,
  now: Date,
  turn: Turn,
): Promise<boolean> {
  const row = await db
    .selectFrom('telegram_updates')
    .select(db.fn.countAll<number>().as('n'))
    .where('sender_id', '=', senderId)
    // This update and the ones before it: those after it are not its concern.
    .where('update_id', '<=', updateId)
    .where('received_at', '>', new Date(now.getTime() - 60_000))
    .executeTakeFirstOrThrow();
  const count = Number(row.n);
  if (count <= perMinute) return false;
  if (count === perMinute + 1) turn.say(say(turn.language).flood(60));
  turn.outcome = 'flood';
  return true;
}

export type { Update };
