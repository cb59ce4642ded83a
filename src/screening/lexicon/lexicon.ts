import { normaliseText } from '../text/normalise.ts';
import {
  defaultLexiconRules,
  type LexiconRule,
  parseLexiconRules,
  readLexiconFile,
} from './lexicon-rules.ts';
import { PatternAutomaton } from './pattern-automaton.ts';

export interface LexiconMatch {
  readonly ruleId: string;
  readonly category: string;
  readonly language: string;
  /** Code-unit offsets [start, end) in the normalised text. */
  readonly start: number;
  readonly end: number;
  /** The matched part of the normalised text. */
  readonly text: string;
  /** The rule's weight. */
  readonly score: number;
}

export interface LexiconScan {
  /** The normalised text the offsets refer to. */
  readonly normalised: string;
  readonly matches: readonly LexiconMatch[];
  /**
   * 0–1: the rules matched, each counted once, combined as independent evidence:
   * 1 − Π (1 − weight). Repeating a name does not raise it; two different names do.
   */
  readonly score: number;
}

const LATIN_ONLY = /^[\p{Script=Latin}\p{N}\p{P}\p{Zs}]+$/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;

/** A compiled lexicon: build once (the automaton), scan many texts. */
export class Lexicon {
  readonly rules: readonly LexiconRule[];
  private readonly automaton: PatternAutomaton;
  private readonly wholeWord: boolean[];

  constructor(rules: readonly LexiconRule[]) {
    this.rules = parseLexiconRules(rules);
    const patterns = this.rules.map((rule) => normaliseText(rule.pattern));
    patterns.forEach((pattern, i) => {
      if (pattern.length === 0)
        throw new TypeError(`lexicon rule '${this.rules[i]?.id}' normalises to nothing`);
    });
    this.automaton = new PatternAutomaton(patterns);
    this.wholeWord = this.rules.map((rule, i) => rule.wholeWord ?? LATIN_ONLY.test(patterns[i] as string));
  }

  static fromFile(path: string | URL): Lexicon {
    return new Lexicon(readLexiconFile(path));
  }

  /** The ISIS media-outlet names and slogans shipped with tapis. */
  static default(): Lexicon {
    return new Lexicon(defaultLexiconRules());
  }

  /** Normalises `text` and reports every rule that occurs in it. */
  scan(text: string): LexiconScan {
    const normalised = normaliseText(text);
    return { normalised, ...this.scanNormalised(normalised) };
  }

  /** As scan, for text already normalised with normaliseText. */
  scanNormalised(normalised: string): { matches: LexiconMatch[]; score: number } {
    const matches: LexiconMatch[] = [];
    const matched = new Set<number>();
    for (const hit of this.automaton.scan(normalised)) {
      if (this.wholeWord[hit.pattern] && !isWholeWord(normalised, hit.start, hit.end)) continue;
      const rule = this.rules[hit.pattern] as LexiconRule;
      matched.add(hit.pattern);
      matches.push({
        ruleId: rule.id,
        category: rule.category,
        language: rule.language,
        start: hit.start,
        end: hit.end,
        text: normalised.slice(hit.start, hit.end),
        score: rule.weight,
      });
    }
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    let miss = 1;
    for (const index of matched) miss *= 1 - (this.rules[index] as LexiconRule).weight;
    return { matches, score: 1 - miss };
  }
}

function isWholeWord(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charAt(start - 1) : '';
  const after = end < text.length ? text.charAt(end) : '';
  return !(before && WORD_CHARACTER.test(before)) && !(after && WORD_CHARACTER.test(after));
}
