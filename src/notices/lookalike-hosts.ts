import { domainToUnicode } from 'node:url';

/**
 * Hosts that look like Telegram's but are not (a homograph: `t.мe` with a Cyrillic м). A
 * notice that names one is almost always a typing accident in a Cyrillic layout, or a
 * phishing copy; taken as an ordinary web target it would never reach the channel meant.
 *
 * The skeleton maps the Cyrillic and Greek letters that render like Latin ones (a subset of
 * Unicode TR39's confusables, enough for the letters of Telegram's host names) to those
 * Latin letters, after NFKC and case folding.
 */
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  е: 'e',
  ё: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  к: 'k',
  м: 'm',
  т: 't',
  г: 'r',
  н: 'h',
  в: 'b',
  ԁ: 'd',
  ɡ: 'g',
  ӏ: 'l',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  α: 'a',
  ε: 'e',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  κ: 'k',
  μ: 'm',
  ν: 'v',
  γ: 'y',
  ι: 'i',
  χ: 'x',
};

const TELEGRAM = ['t.me', 'telegram.me', 'telegram.dog', 'telegram.org', 'www.t.me', 'www.telegram.me'];

export function skeleton(host: string): string {
  return [...domainToUnicode(host).normalize('NFKC').toLowerCase()].map((c) => LOOKALIKES[c] ?? c).join('');
}

/** The Telegram host `host` imitates, or null (a real Telegram host is not a lookalike). */
export function telegramLookalike(host: string): string | null {
  const lower = host.toLowerCase();
  if (TELEGRAM.includes(lower)) return null;
  const shape = skeleton(lower);
  return TELEGRAM.find((real) => shape === real || shape.endsWith(`.${real}`)) ?? null;
}
