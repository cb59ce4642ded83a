import { type FieldIssue, invalid } from '../core/errors.ts';

/**
 * A reporting period (DSA Art. 15 and 24, TCO Art. 7): whole days in UTC, `from` and `to`
 * both included, by default the calendar year of `now`. Pure: the time comes in.
 */
export interface Period {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD (included). */
  to: string;
  /** The half-open instant range the SQL uses: [start, end). */
  start: Date;
  end: Date;
}

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

function dayIssue(field: string, value: string): FieldIssue | null {
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  )
    return { pointer: `/${field}`, detail: `'${value}' is not a day in the form YYYY-MM-DD` };
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR)
    return { pointer: `/${field}`, detail: `the year ${year} is out of range (${FIRST_YEAR}–${LAST_YEAR})` };
  return null;
}

export function parsePeriod(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Period {
  const year = now.getUTCFullYear();
  const from = input.from ?? (input.to ? `${input.to.slice(0, 4)}-01-01` : `${year}-01-01`);
  const to = input.to ?? (input.from ? `${input.from.slice(0, 4)}-12-31` : `${year}-12-31`);
  // The field the caller gave is named first; a default derived from it is not blamed.
  const issues = [
    input.from !== undefined || input.to === undefined ? dayIssue('from', from) : null,
    input.to !== undefined || input.from === undefined ? dayIssue('to', to) : null,
  ].filter((i): i is FieldIssue => i !== null);
  if (issues.length === 0 && (dayIssue('from', from) || dayIssue('to', to)))
    issues.push((dayIssue('from', from) ?? dayIssue('to', to))!);
  if (issues.length > 0)
    throw invalid(issues.map((i) => `${i.pointer.slice(1)}: ${i.detail}`).join('; '), issues);
  const start = new Date(`${from}T00:00:00Z`);
  const last = new Date(`${to}T00:00:00Z`);
  if (last < start)
    throw invalid(`to: the period ends (${to}) before it starts (${from})`, [
      { pointer: '/to', detail: 'on or after from' },
    ]);
  return { from, to, start, end: new Date(last.getTime() + 86_400_000) };
}

/** A calendar year, as a period: a trusted flagger's annual report (DSA Art. 22(3)). */
export function yearPeriod(year: number | string, field = 'year'): Period {
  const value = Number(year);
  if (!Number.isInteger(value) || value < FIRST_YEAR || value > LAST_YEAR)
    throw invalid(`${field}: '${year}' is out of range (${FIRST_YEAR}–${LAST_YEAR})`, [
      { pointer: `/${field}`, detail: `a year from ${FIRST_YEAR} to ${LAST_YEAR}` },
    ]);
  return parsePeriod({ from: `${value}-01-01`, to: `${value}-12-31` }, new Date());
}
