import { appendAudit } from '../audit/log.ts';
import { sha256Hex } from '../core/canonical-json.ts';
import { conflict, DomainError, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { transact } from '../store/transact.ts';
import { PUBLIC_ORG_SLUG } from './public-intake.ts';

/**
 * DSA Art. 23(2) for members of the public. They all file under one organisation
 * (src/notices/public-intake.ts), so suspending that organisation would silence everyone;
 * instead one person is known by the e-mail they give, kept only as a SHA-256 of its
 * normalised form (decision 0022). A lead warns them first, citing one of their notices,
 * then may suspend them for a period; the public form refuses their notices meanwhile.
 * Anonymous notices carry no e-mail and cannot be told apart: they are not affected.
 */
export type MeasureKind = 'warning' | 'suspension';

export interface MeasureInput {
  notice_id: string;
  reason: string;
  until?: Date | undefined;
}

export interface MeasureView {
  id: string;
  kind: MeasureKind;
  notice_id: string;
  reason: string;
  until: Date | null;
  issued_by: string;
  at: Date;
}

/** The same address in any letter case or Unicode form is the same person. */
export function notifierEmailHash(email: string): string {
  return sha256Hex(email.trim().normalize('NFC').toLowerCase());
}

async function publicNotifierOf(db: Db, noticeId: string): Promise<string> {
  const notice = await db
    .selectFrom('notices')
    .innerJoin('organisations', 'organisations.id', 'notices.org_id')
    .select(['notices.notifier', 'notices.anonymous', 'organisations.slug'])
    .where('notices.id', '=', noticeId)
    .executeTakeFirst();
  if (!notice) throw notFound(`no notice ${noticeId}`);
  const email = (notice.notifier as { email?: string } | null)?.email;
  if (notice.slug !== PUBLIC_ORG_SLUG || notice.anonymous || !email)
    throw invalid(
      'notice_id: not a notice from a named member of the public; warn a notifier organisation with POST /v1/flaggers/{slug}/warnings',
      [{ pointer: '/notice_id', detail: 'a notice sent through the public form with a name and e-mail' }],
    );
  return notifierEmailHash(email);
}

export async function measurePublicNotifier(
  db: Db,
  actor: Actor,
  kind: MeasureKind,
  input: MeasureInput,
  now: Date,
): Promise<MeasureView> {
  const emailHash = await publicNotifierOf(db, input.notice_id);
  if (kind === 'suspension' && (!input.until || input.until <= now))
    throw invalid('until: a suspension ends at a time after now (DSA Art. 23(2): for a reasonable period)', [
      { pointer: '/until', detail: 'a time in the future' },
    ]);
  return transact(db, async (trx) => {
    if (kind === 'suspension') {
      const warned = await trx
        .selectFrom('public_notifier_measures')
        .select('id')
        .where('email_hash', '=', emailHash)
        .where('kind', '=', 'warning')
        .executeTakeFirst();
      if (!warned)
        throw conflict(
          'this notifier has not been warned; DSA Art. 23(2) asks for a warning before a suspension',
        );
    }
    const view: MeasureView = {
      id: newId(),
      kind,
      notice_id: input.notice_id,
      reason: input.reason,
      until: kind === 'suspension' ? input.until! : null,
      issued_by: actor.id,
      at: now,
    };
    await trx
      .insertInto('public_notifier_measures')
      .values({ ...view, email_hash: emailHash })
      .execute();
    await appendAudit(
      trx,
      actor,
      {
        action: kind === 'warning' ? 'public_notifier.warned' : 'public_notifier.suspended',
        objectType: 'notice',
        objectId: input.notice_id,
        change: { ...view, email_hash: emailHash },
      },
      now,
    );
    return view;
  });
}

export async function measuresOfNotifier(db: Db, noticeId: string): Promise<MeasureView[]> {
  const emailHash = await publicNotifierOf(db, noticeId);
  return db
    .selectFrom('public_notifier_measures')
    .select(['id', 'kind', 'notice_id', 'reason', 'until', 'issued_by', 'at'])
    .where('email_hash', '=', emailHash)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/**
 * Before the public form takes a notice: refuses it while its e-mail is suspended, and
 * otherwise returns the latest warning, which the receipt carries so that the person reads it.
 */
export async function publicNotifierStanding(
  db: Db,
  email: string | undefined,
  now: Date,
): Promise<{ reason: string; at: Date } | null> {
  if (!email) return null;
  const measures = await db
    .selectFrom('public_notifier_measures')
    .select(['kind', 'reason', 'until', 'at'])
    .where('email_hash', '=', notifierEmailHash(email))
    .orderBy('at', 'desc')
    .execute();
  const suspension = measures.find((m) => m.kind === 'suspension' && m.until && m.until > now);
  if (suspension)
    throw new DomainError(
      'forbidden',
      `notices from this e-mail address are suspended until ${suspension.until!.toISOString()} after a warning, for manifestly unfounded notices (DSA Art. 23(2))`,
      { extra: { suspended_until: suspension.until!.toISOString() } },
    );
  const warning = measures.find((m) => m.kind === 'warning');
  return warning ? { reason: warning.reason, at: warning.at } : null;
}
