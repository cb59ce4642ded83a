import { createHash } from 'node:crypto';
import type { BankMatch, BankMatcher } from '../screening/banks/bank-matcher.ts';
import type { Lexicon, LexiconMatch } from '../screening/lexicon/lexicon.ts';
import { PDQ_MIN_QUALITY } from '../screening/signal-matcher.ts';
import type { PreparedEvent } from '../stream/prepare.ts';
import type { IndexedSignal } from './content-index.ts';

/**
 * What the scanner finds in one post, as plain data: the hashes kept in the content index,
 * the bank matches (bank, distance, provenance) and the lexicon's verdict. No database: the
 * banks are the in-memory matcher, kept current by src/screening/banks/bank-matcher.ts.
 */
export interface PostSignal {
  type: IndexedSignal;
  value: string;
}

export interface LexiconHit {
  score: number;
  rules: { id: string; category: string; text: string }[];
}

export interface Analysis {
  /** Hashes kept in the content index for the sweep (never the text or media). */
  signals: PostSignal[];
  /** One per bank entry matched, the closest variant's distance. */
  matches: BankMatch[];
  lexicon: LexiconHit | null;
}

/** A lexicon verdict this strong opens a case for review on its own. */
export const LEXICON_CASE_SCORE = 0.8;

export function analyse(event: PreparedEvent, banks: BankMatcher, lexicon: Lexicon): Analysis {
  const signals: PostSignal[] = [];
  const byEntry = new Map<string, BankMatch>();
  const keep = (found: BankMatch[]) => {
    for (const m of found) {
      const known = byEntry.get(m.provenance.entry_id);
      if (!known || m.distance < known.distance) byEntry.set(m.provenance.entry_id, m);
    }
  };
  let lexiconHit: LexiconHit | null = null;
  if (event.type !== 'post_deleted') {
    if (event.text) {
      const scan = lexicon.scan(event.text);
      const textSha = createHash('sha256').update(scan.normalised, 'utf8').digest('hex');
      if (scan.normalised.length > 0) {
        signals.push({ type: 'text_sha256', value: textSha });
        keep(banks.match('text_sha256', textSha));
      }
      if (scan.score > 0) lexiconHit = { score: scan.score, rules: rulesOf(scan.matches) };
    }
    for (const media of event.media) {
      const [pdq, ...variants] = media.pdq;
      if (pdq) {
        signals.push({ type: 'pdq', value: pdq });
        const quality = media.quality ?? undefined;
        if (quality === undefined || quality >= PDQ_MIN_QUALITY) {
          // A rotated or mirrored repost matches through one of the dihedral variants.
          for (const hash of [pdq, ...variants])
            keep(banks.match('pdq', hash, { ...(quality === undefined ? {} : { quality }) }));
        }
      }
      if (media.md5) {
        signals.push({ type: 'md5', value: media.md5 });
        keep(banks.match('md5', media.md5));
      }
      if (media.sha256) {
        signals.push({ type: 'sha256', value: media.sha256 });
        keep(banks.match('sha256', media.sha256));
      }
    }
  }
  return {
    signals,
    matches: [...byEntry.values()].sort((a, b) => a.distance - b.distance),
    lexicon: lexiconHit,
  };
}

function rulesOf(matches: readonly LexiconMatch[]): LexiconHit['rules'] {
  const seen = new Map<string, LexiconHit['rules'][number]>();
  for (const m of matches)
    if (!seen.has(m.ruleId)) seen.set(m.ruleId, { id: m.ruleId, category: m.category, text: m.text });
  return [...seen.values()];
}

/**
 * How sure a match is, 0–1, for the queue's order (src/cases/queue.ts): exact signals 1;
 * PDQ falls with the distance, to 0 just past the largest distance that matches.
 */
export function matchConfidence(match: { signal_type: string; distance: number }): number {
  if (match.signal_type === 'pdq') return Math.max(0, 1 - match.distance / 32);
  if (match.signal_type === 'text_simhash') return Math.max(0, 1 - match.distance / 11);
  return 1;
}
