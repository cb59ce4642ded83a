import { readFileSync } from 'node:fs';
import { z } from 'zod';
/**
 * A lexicon rule: a name or phrase to look for, what it indicates, and how much. Patterns are
 * written naturally ("Amaq News Agency", "أعماق"); they go through the same normaliser as the
 * text they are matched against.
 */
export const lexiconRuleSchema = z.object({
    id: z.string().min(1),
    pattern: z.string().min(1),
    category: z.string().min(1),
    /** 0–1: how strongly a match indicates the category (combined as independent evidence). */
    weight: z.number().min(0).max(1),
    /** BCP 47 language of the pattern: 'ar', 'id', 'en'… */
    language: z.string().min(2),
    /**
     * Match only as whole words (not inside a longer word). Defaults to true for patterns written
     * in Latin script and false otherwise: Arabic attaches prefixes (و ب ل ال) to the word.
     */
    wholeWord: z.boolean().optional(),
});
export const lexiconFileSchema = z.object({
    description: z.string().optional(),
    rules: z.array(lexiconRuleSchema),
});
/** Checks rule objects (from configuration or a database) and refuses duplicate ids. */
export function parseLexiconRules(input) {
    const rules = z.array(lexiconRuleSchema).parse(input);
    const seen = new Set();
    for (const rule of rules) {
        if (seen.has(rule.id))
            throw new TypeError(`lexicon rule id '${rule.id}' is used twice`);
        seen.add(rule.id);
    }
    return rules;
}
/** Reads a lexicon file: JSON `{ "rules": [ {id, pattern, category, weight, language}, … ] }`. */
export function readLexiconFile(path) {
    const json = JSON.parse(readFileSync(path, 'utf8'));
    return parseLexiconRules(lexiconFileSchema.parse(json).rules);
}
/** The default lexicon shipped with tapis (default-lexicon.json beside this file). */
export function defaultLexiconRules() {
    return readLexiconFile(new URL('./default-lexicon.json', import.meta.url));
}
