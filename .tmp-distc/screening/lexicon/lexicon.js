import { normaliseText } from "../text/normalise.js";
import { defaultLexiconRules, parseLexiconRules, readLexiconFile, } from "./lexicon-rules.js";
import { PatternAutomaton } from "./pattern-automaton.js";
const LATIN_ONLY = /^[\p{Script=Latin}\p{N}\p{P}\p{Zs}]+$/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;
/** A compiled lexicon: build once (the automaton), scan many texts. */
export class Lexicon {
    rules;
    automaton;
    wholeWord;
    constructor(rules) {
        this.rules = parseLexiconRules(rules);
        const patterns = this.rules.map((rule) => normaliseText(rule.pattern));
        patterns.forEach((pattern, i) => {
            if (pattern.length === 0)
                throw new TypeError(`lexicon rule '${this.rules[i]?.id}' normalises to nothing`);
        });
        this.automaton = new PatternAutomaton(patterns);
        this.wholeWord = this.rules.map((rule, i) => rule.wholeWord ?? LATIN_ONLY.test(patterns[i]));
    }
    static fromFile(path) {
        return new Lexicon(readLexiconFile(path));
    }
    /** The ISIS media-outlet names and slogans shipped with tapis. */
    static default() {
        return new Lexicon(defaultLexiconRules());
    }
    /** Normalises `text` and reports every rule that occurs in it. */
    scan(text) {
        const normalised = normaliseText(text);
        return { normalised, ...this.scanNormalised(normalised) };
    }
    /** As scan, for text already normalised with normaliseText. */
    scanNormalised(normalised) {
        const matches = [];
        const matched = new Set();
        for (const hit of this.automaton.scan(normalised)) {
            if (this.wholeWord[hit.pattern] && !isWholeWord(normalised, hit.start, hit.end))
                continue;
            const rule = this.rules[hit.pattern];
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
        for (const index of matched)
            miss *= 1 - this.rules[index].weight;
        return { matches, score: 1 - miss };
    }
}
function isWholeWord(text, start, end) {
    const before = start > 0 ? text.charAt(start - 1) : '';
    const after = end < text.length ? text.charAt(end) : '';
    return !(before && WORD_CHARACTER.test(before)) && !(after && WORD_CHARACTER.test(after));
}
