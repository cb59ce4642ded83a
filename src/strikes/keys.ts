import type { EnforcementSubject } from '../enforcement/connectors/connector.ts';
import type { RepeatInfringerSchema } from './rules.ts';

/**
 * Whom a strike is against (DSA Art. 23(1)): the channel a message was posted in (or the
 * channel itself), and the account, when the decision names one (an account subject, or a
 * member action's user_id). Web subjects name neither: a web host is not an account of
 * this platform. Pure.
 */
export interface StrikeKey {
  kind: 'account' | 'channel';
  key: string;
  /** What an enforcement action against this account or channel is about. */
  subject: EnforcementSubject;
}

type SubjectLike = Partial<EnforcementSubject> & { platform?: string; kind?: string; key?: string };

export function strikeKeys(subject: SubjectLike, userIds: readonly string[] = []): StrikeKey[] {
  const keys: StrikeKey[] = [];
  if (subject.platform !== 'telegram') return keys;
  const chat = subject.username
    ? { key: `telegram:username:${subject.username}`, username: subject.username, path: subject.username }
    : subject.chat_id
      ? { key: `telegram:private:${subject.chat_id}`, chat_id: subject.chat_id, path: `c/${subject.chat_id}` }
      : null;
  if (subject.kind === 'account' && subject.key) {
    keys.push({
      kind: 'account',
      key: subject.key,
      subject: { ...(subject as EnforcementSubject), kind: 'account' },
    });
  } else if (chat && subject.kind !== 'invite') {
    keys.push({
      kind: 'channel',
      key: chat.key,
      subject: {
        platform: 'telegram',
        kind: 'channel',
        key: chat.key,
        ...('username' in chat ? { username: chat.username } : { chat_id: chat.chat_id }),
        url: `https://t.me/${chat.path}`,
      },
    });
  }
  for (const userId of new Set(userIds)) {
    const key = `telegram:user:${userId}`;
    keys.push({
      kind: 'account',
      key,
      subject: {
        platform: 'telegram',
        kind: 'account',
        key,
        user_id: userId,
        url: subject.url ?? 'https://t.me',
      },
    });
  }
  return keys;
}

/** What the count of active strikes calls for, given the latest warning and suspension. */
export type Measure = { kind: 'none' } | { kind: 'warning' } | { kind: 'suspension'; until: Date };

export function measureFor(
  strikes: number,
  history: { lastWarningAt: Date | null; lastSuspensionAt: Date | null; suspendedUntil: Date | null },
  rules: RepeatInfringerSchema,
  now: Date,
): Measure {
  // Suspended now: the suspension is the measure; the strike still counts for later.
  if (history.suspendedUntil && history.suspendedUntil.getTime() > now.getTime()) return { kind: 'none' };
  const warned =
    history.lastWarningAt !== null &&
    (history.lastSuspensionAt === null ||
      history.lastWarningAt.getTime() > history.lastSuspensionAt.getTime());
  // DSA Art. 23(1): "after having issued a prior warning" — a warning before every suspension.
  if (strikes >= rules.suspension_at && warned)
    return { kind: 'suspension', until: new Date(now.getTime() + rules.suspension_days * 86_400_000) };
  if (strikes >= rules.warning_at && !warned) return { kind: 'warning' };
  return { kind: 'none' };
}
