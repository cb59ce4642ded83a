import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';

/** The browser's own time zone: dates are shown in the user's time. */
export const userTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function format(date: Date, lang: string, timeZone: string, withZone = true): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    // dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are named.
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    ...(withZone ? { timeZoneName: 'short' } : {}),
  }).format(date);
}

export function DateTime({ value }: { value: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (!value) return <span>—</span>;
  return <time dateTime={value}>{format(new Date(value), i18n.language, userTimeZone)}</time>;
}

/** One tick a second for every countdown on the page. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h >= 48 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${h}:${two(m)}:${two(s)}`;
}

export function Countdown({ until, now }: { until: string | null; now: number }) {
  const { t } = useTranslation();
  if (!until) return <span>—</span>;
  const left = new Date(until).getTime() - now;
  const cls = left < 0 ? 'countdown breached' : left < 3600_000 ? 'countdown at-risk' : 'countdown';
  return (
    <span className={cls} data-testid="countdown">
      {left < 0
        ? t('time.overdue', { d: formatDuration(left) })
        : t('time.left', { d: formatDuration(left) })}
    </span>
  );
}

interface Jurisdiction {
  code: string;
  name: string;
  time_zone: string;
}

export function useJurisdictions() {
  return useQuery({
    queryKey: ['jurisdictions'],
    queryFn: async () => (await get<{ items: Jurisdiction[] }>('/v1/jurisdictions')).items,
    staleTime: 3600_000,
  });
}

/**
 * A deadline: the live countdown, the time in the user's zone and, when it differs, the
 * time in the jurisdiction's zone (the SOP's clock is the jurisdiction's).
 */
export function Deadline({
  at,
  jurisdiction,
  now,
}: {
  at: string | null;
  jurisdiction: string;
  now: number;
}) {
  const { i18n } = useTranslation();
  const { data } = useJurisdictions();
  if (!at) return <span>—</span>;
  const zone = data?.find((j) => j.code === jurisdiction)?.time_zone;
  const date = new Date(at);
  return (
    <span className="deadline">
      <Countdown until={at} now={now} />{' '}
      <time dateTime={at}>{format(date, i18n.language, userTimeZone)}</time>
      {zone && zone !== userTimeZone ? (
        <span className="muted">
          {' '}
          ({jurisdiction}: {format(date, i18n.language, zone)})
        </span>
      ) : null}
    </span>
  );
}

/** The instant a day given as `YYYY-MM-DD` (a date input) starts or ends, in the user's zone. */
export const startOfDay = (date: string) => new Date(`${date}T00:00:00`).toISOString();
export const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();
