/**
 * npm run bench:lexicon [-- --patterns 10000 --megabytes 4 --seconds 3]
 *
 * MB/s of normalising and matching text against a lexicon of 10,000 synthetic patterns, next to
 * one alternation RegExp of the same patterns, in the same run. The RegExp gets the easier job:
 * it runs on text already normalised, does not report overlapping matches, and checks no word
 * boundaries. MB are megabytes of UTF-8 input text, screened message by message.
 */
import { Lexicon } from '../src/screening/lexicon/lexicon.ts';
import type { LexiconRule } from '../src/screening/lexicon/lexicon-rules.ts';
import { normaliseText } from '../src/screening/text/normalise.ts';
import {
  argument,
  format,
  load,
  machine,
  perSecond,
  printTable,
  type Rate,
  seededWords,
} from './bench-support.ts';

const scaled = (rate: Rate, megabytes: number) => ({
  wall: rate.wall * megabytes,
  cpu: rate.cpu * megabytes,
});

const patternCount = Number(argument('patterns') ?? 10_000);
const megabytes = Number(argument('megabytes') ?? 4);
const seconds = Number(argument('seconds') ?? 3);

const next = seededWords(17);
const pick = <T>(items: readonly T[]): T => items[next() % items.length] as T;
// Names are distinctive: pattern words share syllables with ordinary text but always carry one
// that ordinary text lacks, as an outlet's name does; ordinary words are made of common ones.
const commonSyllables = [
  'ba',
  'ka',
  'ta',
  'ma',
  'na',
  'ra',
  'sa',
  'la',
  'di',
  'ku',
  'mu',
  'an',
  'in',
  'un',
  'pe',
  'jo',
];
const nameSyllables = ['zo', 'qe', 'xu', 'vy', 'fex', 'qor', 'zil', 'wux'];
const commonArabic = [...'ابتدرسعلمنهوي'];
const nameArabic = [...'ثخذضظغ'];
const word = (syllables: readonly string[], marks: readonly string[], min: number) => {
  const parts = Array.from({ length: min + (next() % 3) }, () => pick(syllables));
  if (marks.length > 0) parts.splice(next() % (parts.length + 1), 0, pick(marks));
  return parts.join('');
};
const latinWord = () => word(commonSyllables, [], 2);
const arabicWord = () => word(commonArabic, [], 3);

// Patterns: one to three words, a fifth of them Arabic.
const patterns = new Set<string>();
while (patterns.size < patternCount) {
  const arabic = next() % 5 === 0;
  const nameWord = arabic
    ? () => word(commonArabic, nameArabic, 2)
    : () => word(commonSyllables, nameSyllables, 1);
  patterns.add(Array.from({ length: 1 + (next() % 3) }, nameWord).join(' '));
}
const patternList = [...patterns];
const rules: LexiconRule[] = patternList.map((pattern, i) => ({
  id: `p${i}`,
  pattern,
  category: 'synthetic',
  weight: 0.5,
  language: /[a-z]/.test(pattern) ? 'en' : 'ar',
}));

// Text: messages of filler words with a pattern every ~200 words, some disguised (upper case,
// zero-width spaces, harakat), as a screening queue would see them.
const lines: string[] = [];
let bytes = 0;
while (bytes < megabytes * 1e6) {
  const words: string[] = [];
  for (let w = 0; w < 40; w++) {
    if (next() % 200 === 0) {
      let planted = pick(patternList);
      if (next() % 3 === 0) planted = planted.toUpperCase().replace(' ', ' \u200b');
      words.push(planted);
    } else {
      words.push(next() % 6 === 0 ? arabicWord() : latinWord());
    }
  }
  const line = words.join(' ');
  lines.push(line);
  bytes += Buffer.byteLength(line) + 1;
}
const textMegabytes = bytes / 1e6;

process.stdout.write(
  `bench:lexicon — ${machine()}, ${load()}; ${format(patternCount)} patterns; ${format(textMegabytes, 1)} MB of text\n`,
);

const buildStart = performance.now();
const lexicon = new Lexicon(rules);
const buildSeconds = (performance.now() - buildStart) / 1000;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const regexpStart = performance.now();
const alternation = new RegExp(
  patternList
    .map(normaliseText)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|'),
  'gu',
);
const regexpBuildSeconds = (performance.now() - regexpStart) / 1000;
// Each message is screened on its own, as a screening queue sees them.
const normalised = lines.map(normaliseText);

let lexiconMatches = 0;
const normaliseRate = scaled(
  perSecond(() => {
    for (const line of lines) normaliseText(line);
  }, seconds),
  textMegabytes,
);
const lexiconRate = scaled(
  perSecond(() => {
    lexiconMatches = 0;
    for (const line of lines) lexiconMatches += lexicon.scan(line).matches.length;
  }, seconds),
  textMegabytes,
);
const automatonRate = scaled(
  perSecond(() => {
    for (const line of normalised) lexicon.scanNormalised(line);
  }, seconds),
  textMegabytes,
);

// The RegExp is slow: time it on the first twentieth of the messages, enough to be steady.
const slice = normalised.slice(0, Math.max(100, Math.floor(normalised.length / 20)));
const sliceMegabytes = slice.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0) / 1e6;
let regexpMatches = 0;
const regexpRate = scaled(
  perSecond(() => {
    regexpMatches = 0;
    // exec on the one compiled RegExp: matchAll would construct a copy of it per message.
    for (const line of slice) {
      alternation.lastIndex = 0;
      while (alternation.exec(line) !== null) regexpMatches++;
    }
  }, seconds),
  sliceMegabytes,
);
const regexpMatchesFull = (regexpMatches * textMegabytes) / sliceMegabytes;

printTable(
  `Lexicon matching, ${format(patternCount)} patterns (one core)`,
  ['what', 'MB/s (wall)', 'MB/s (CPU)', 'vs RegExp', 'matches', 'build s'],
  [
    [
      'tapis: normalise + match',
      format(lexiconRate.wall, 1),
      format(lexiconRate.cpu, 1),
      `${format(lexiconRate.cpu / regexpRate.cpu, 0)}×`,
      format(lexiconMatches),
      format(buildSeconds, 2),
    ],
    ['  normalise only', format(normaliseRate.wall, 1), format(normaliseRate.cpu, 1), '', '', ''],
    [
      '  match only (text already normalised)',
      format(automatonRate.wall, 1),
      format(automatonRate.cpu, 1),
      `${format(automatonRate.cpu / regexpRate.cpu, 0)}×`,
      '',
      '',
    ],
    [
      'one alternation RegExp (normalised text)',
      format(regexpRate.wall, 2),
      format(regexpRate.cpu, 2),
      '1×',
      `~${format(regexpMatchesFull)}`,
      format(regexpBuildSeconds, 2),
    ],
  ],
);
process.stdout.write(
  '\nMB/s per second of wall-clock time and of CPU time (what one core does when the process is not waiting for\n' +
    'one); "vs RegExp" compares CPU-time rates. Messages (one line of about 40 words each) are scanned one\n' +
    'at a time. The RegExp was timed on the first twentieth of them; its match count is scaled to the whole. It finds fewer matches: no overlaps, no word-boundary rule, no separator folding.\n',
);
