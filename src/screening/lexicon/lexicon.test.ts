import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../text/normalise.ts';
import { Lexicon } from './lexicon.ts';
import type { LexiconRule } from './lexicon-rules.ts';
import { PatternAutomaton } from './pattern-automaton.ts';

const rule = (id: string, pattern: string, extra: Partial<LexiconRule> = {}): LexiconRule => ({
  id,
  pattern,
  category: 'test',
  weight: 0.5,
  language: 'en',
  ...extra,
});

describe('pattern automaton', () => {
  it('finds every occurrence of every pattern, overlapping ones included, like a naive search', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[abc]{1,4}$/), { minLength: 1, maxLength: 8 }),
        fc.stringMatching(/^[abcd]{0,40}$/),
        (patterns, text) => {
          const found = new PatternAutomaton(patterns)
            .scan(text)
            .map((h) => `${h.pattern}@${h.start}-${h.end}`)
            .sort();
          const naive: string[] = [];
          patterns.forEach((pattern, p) => {
            for (let at = text.indexOf(pattern); at >= 0; at = text.indexOf(pattern, at + 1)) {
              naive.push(`${p}@${at}-${at + pattern.length}`);
            }
          });
          return JSON.stringify(found) === JSON.stringify(naive.sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('treats a run of separators as one and skips apostrophes, reporting the span in the text', () => {
    const automaton = new PatternAutomaton(['al-naba', 'amaq']);
    expect(automaton.scan('x al naba, al_naba and al - naba')).toEqual([
      { pattern: 0, start: 2, end: 9 },
      { pattern: 0, start: 11, end: 18 },
      { pattern: 0, start: 23, end: 32 },
    ]);
    expect(automaton.scan("a'maq")).toEqual([{ pattern: 1, start: 0, end: 5 }]);
  });
});

describe('lexicon', () => {
  it('matches disguised mentions after normalisation and reports offsets in the normalised text', () => {
    const lexicon = new Lexicon([rule('amaq', 'Amaq News Agency', { weight: 0.9 })]);
    const scan = lexicon.scan('Breaking: 4MAQ  n\u200bews   ＡＧＥＮＣＹ reports');
    expect(scan.normalised).toBe('breaking: amaq news agency reports');
    expect(scan.matches).toEqual([
      {
        ruleId: 'amaq',
        category: 'test',
        language: 'en',
        start: 10,
        end: 26,
        text: 'amaq news agency',
        score: 0.9,
      },
    ]);
    expect(scan.score).toBeCloseTo(0.9);
  });

  it('matches Latin patterns as whole words only, Arabic ones inside words', () => {
    const lexicon = new Lexicon([rule('amaq', 'amaq'), rule('ar', 'أعماق', { language: 'ar' })]);
    expect(lexicon.scan('kamaqi amaqnews').matches).toEqual([]);
    expect(lexicon.scan('#amaq: amaq.').matches.map((m) => m.start)).toEqual([1, 7]);
    // "وأعماق" (and Amaq): the conjunction is attached to the word.
    expect(lexicon.scan('وأعماق').matches.map((m) => m.ruleId)).toEqual(['ar']);
    expect(new Lexicon([rule('x', 'amaq', { wholeWord: false })]).scan('kamaqi').matches).toHaveLength(1);
  });

  it('counts each rule once in the score, and combines different rules as independent evidence', () => {
    const lexicon = new Lexicon([rule('a', 'alpha', { weight: 0.5 }), rule('b', 'beta', { weight: 0.5 })]);
    expect(lexicon.scan('alpha alpha alpha').score).toBeCloseTo(0.5);
    expect(lexicon.scan('alpha beta').score).toBeCloseTo(0.75);
    expect(lexicon.scan('gamma').score).toBe(0);
  });

  it('refuses invalid rules with the reason', () => {
    expect(() => new Lexicon([rule('a', 'x', { weight: 2 })])).toThrow(/weight|less than or equal/i);
    expect(() => new Lexicon([rule('a', 'x'), rule('a', 'y')])).toThrow(/used twice/);
    expect(() => new Lexicon([rule('a', '\u200b')])).toThrow(/normalises to nothing/);
  });

  it('loads a lexicon from a JSON file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tapis-lexicon-')), 'lexicon.json');
    writeFileSync(file, JSON.stringify({ rules: [rule('synthetic', 'zorblax media')] }));
    expect(Lexicon.fromFile(file).scan('Zorblax-Media posted').matches[0]?.ruleId).toBe('synthetic');
  });

  it('ships a default lexicon of outlet names that finds them in Arabic, Indonesian and English', () => {
    const lexicon = Lexicon.default();
    expect(lexicon.rules.length).toBeGreaterThan(30);
    for (const r of lexicon.rules) expect(normaliseText(r.pattern).length).toBeGreaterThan(2);
    const ids = (text: string) => lexicon.scan(text).matches.map((m) => m.ruleId);
    expect(ids('Video dari kantor berita A\u200bmaq')).toContain('amaq-agency-id');
    expect(ids('نشرت وكالة أَعْمَاق')).toContain('amaq-agency-ar');
    expect(ids('al hayat media center released')).toContain('hayat-en');
    expect(ids('baqiyah wa tatamaddad')).toContain('baqiyah-latn');
    expect(ids('a weather report from the national news agency')).toEqual([]);
  });
});
