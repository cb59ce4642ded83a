import { Feed } from 'feed';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

/**
 * Public daily counters, as Telegram's "ISIS Watch" channel publishes them: the channels,
 * groups, bots and messages actioned for terrorism each day (UTC), counted once per case
 * on the day its first enforcement action was applied. Counts only: nothing identifies
 * what was actioned.
 */
export interface DayCount {
  day: string;
  channels: number;
  groups: number;
  bots: number;
  messages: number;
}

export async function dailyCounters(db: Db, days: number, now: Date): Promise<DayCount[]> {
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const since = new Date(today.getTime() - (days - 1) * 86_400_000);
  const rows = (
    await sql<{ day: string; kind: string; n: string }>`
      with first_applied as (
        select a.case_id, min(a.applied_at) as at from enforcement_actions a
        join cases c on c.id = a.case_id
        where c.category = 'terrorism' and a.type <> 'deliver_statement' and a.applied_at is not null
          and a.applied_at >= ${since}
        group by a.case_id
      )
      select to_char(f.at at time zone 'UTC', 'YYYY-MM-DD') as day, c.subject->>'kind' as kind, count(*) as n
      from first_applied f join cases c on c.id = f.case_id
      group by 1, 2`.execute(db)
  ).rows;
  const out: DayCount[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(since.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    const of = (...kinds: string[]) =>
      rows.filter((r) => r.day === day && kinds.includes(r.kind)).reduce((s, r) => s + Number(r.n), 0);
    out.push({
      day,
      channels: of('channel'),
      groups: of('group', 'supergroup'),
      bots: of('bot'),
      messages: of('message'),
    });
  }
  return out.reverse();
}

/** The counters as an Atom feed, one entry a day, newest first. */
export function countersFeed(counts: DayCount[], publicUrl: string, now: Date): string {
  const feed = new Feed({
    title: 'tapis — actioned for terrorism, daily',
    description: 'Channels, groups, bots and messages actioned for terrorism each day (UTC).',
    id: `${publicUrl}/transparency/counters.atom`,
    link: `${publicUrl}/transparency`,
    language: 'en',
    updated: now,
    copyright: 'Public figures',
    feedLinks: { atom: `${publicUrl}/transparency/counters.atom` },
  });
  for (const c of counts)
    feed.addItem({
      title: `${c.day}: ${c.channels} channels, ${c.groups} groups, ${c.bots} bots, ${c.messages} messages`,
      id: `${publicUrl}/transparency/counters/${c.day}`,
      link: `${publicUrl}/v1/public/counters?days=1`,
      date: new Date(`${c.day}T23:59:59Z`),
      description: `Actioned for terrorism on ${c.day} (UTC): channels ${c.channels}, groups ${c.groups}, bots ${c.bots}, messages ${c.messages}.`,
    });
  return feed.atom1();
}
