/**
 * What the text normaliser does with each UTF-16 code unit, as one lookup table (fast: the
 * normaliser touches every character of every message screened).
 */
/** Keep the code unit as it is. */
export const KEEP = -1;
/** Drop it: invisible, a direction control, or a diacritic. */
export const DROP = -2;
/** Whitespace: runs become one space. */
export const SPACE = -3;
const table = new Int32Array(65_536).fill(KEEP);
function drop(from, to = from) {
    for (let c = from; c <= to; c++)
        table[c] = DROP;
}
function fold(pairs) {
    for (const [from, to] of Object.entries(pairs))
        table[from.charCodeAt(0)] = to.charCodeAt(0);
}
// Controls and whitespace. C0/C1 controls other than whitespace are dropped.
drop(0x00, 0x1f);
drop(0x7f, 0x9f);
for (const c of [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]) {
    table[c] = SPACE;
}
for (let c = 0x2000; c <= 0x200a; c++)
    table[c] = SPACE;
// Zero-width and bidirectional controls: used to split a word so that a filter misses it, or to
// reorder what a reader sees. Soft hyphen, combining grapheme joiner, Mongolian vowel separator,
// ZWSP/ZWNJ/ZWJ, LRM/RLM, embeddings and overrides (LRE…RLO), word joiner and invisible
// operators, isolates (LRI…PDI), Arabic letter mark, variation selectors, BOM.
drop(0xad);
drop(0x34f);
drop(0x61c);
drop(0x180e);
drop(0x200b, 0x200f);
drop(0x202a, 0x202e);
drop(0x2060, 0x2064);
drop(0x2066, 0x206f);
drop(0xfe00, 0xfe0f);
drop(0xfeff);
// Combining diacritics of Latin, Greek and Cyrillic (after NFKD: "àmàq" becomes "amaq").
drop(0x300, 0x36f);
drop(0x1ab0, 0x1aff);
drop(0x1dc0, 0x1dff);
drop(0x20d0, 0x20ff);
drop(0xfe20, 0xfe2f);
// Arabic: honorific and Quranic small marks, harakat and tanwin (fatha, damma, kasra, sukun,
// shadda…), hamza above/below (so that after NFKD أ إ آ ؤ ئ become ا ا ا و ي), superscript alef,
// Quranic annotation marks, extended marks, and tatweel (the stretching stroke ـ).
drop(0x610, 0x61a);
drop(0x64b, 0x65f);
drop(0x670);
drop(0x6d6, 0x6dc);
drop(0x6df, 0x6e4);
drop(0x6e7, 0x6e8);
drop(0x6ea, 0x6ed);
drop(0x8d3, 0x8e1);
drop(0x8e3, 0x8ff);
drop(0x640);
// Arabic letter variants written interchangeably, as Arabic search engines fold them: alef
// wasla, alef maqsura and Farsi yeh as yeh, teh marbuta as heh, keheh as kaf. Arabic-Indic digits
// as ASCII digits.
fold({ ٱ: 'ا', ى: 'ي', ی: 'ي', ة: 'ه', ک: 'ك', ە: 'ه' });
for (let d = 0; d <= 9; d++) {
    table[0x660 + d] = 0x30 + d;
    table[0x6f0 + d] = 0x30 + d;
}
// Latin look-alikes from other scripts (Unicode confusables, lower case, as seen after case
// folding): Cyrillic and Greek letters that render like Latin ones, dotless i and friends.
fold({
    а: 'a',
    е: 'e',
    о: 'o',
    р: 'p',
    с: 'c',
    у: 'y',
    х: 'x',
    к: 'k',
    м: 'm',
    н: 'h',
    т: 't',
    в: 'b',
    ѕ: 's',
    і: 'i',
    ј: 'j',
    һ: 'h',
    ӏ: 'l',
    ԁ: 'd',
    ԛ: 'q',
    ԝ: 'w',
    ү: 'y',
    α: 'a',
    β: 'b',
    γ: 'y',
    ε: 'e',
    η: 'n',
    ι: 'i',
    κ: 'k',
    ν: 'v',
    ο: 'o',
    ρ: 'p',
    τ: 't',
    υ: 'u',
    χ: 'x',
    ω: 'w',
    ϲ: 'c',
    ϳ: 'j',
    ς: 'σ',
    ı: 'i',
    ȷ: 'j',
    ɡ: 'g',
    ɑ: 'a',
});
// Lower case, folded into the same lookup: each upper-case code unit goes where its lower-case
// form goes. (U+0130 İ, the one BMP letter whose lower case is two code units, never reaches
// the table: NFKD has split it into I and a combining dot.) Supplementary letters are lowered
// by the normaliser itself, with toLowerCase.
for (let c = 0; c < 0x1_0000; c++) {
    if (c >= 0xd800 && c <= 0xdfff)
        continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length !== 1)
        continue;
    const l = lower.charCodeAt(0);
    if (l === c)
        continue;
    table[c] = table[l] === KEEP ? l : table[l];
}
export const CHARACTER_FOLDS = table;
/**
 * 1 for the code units after which canonical composition (NFC) may change the text: marks
 * (which may compose or be reordered), the Hangul vowels and final consonants that compose
 * into syllables, and surrogates (supplementary marks). A text without any is already NFC
 * once decomposed and folded, and skips that pass.
 */
export const MAY_COMPOSE = (() => {
    const composes = new Uint8Array(0x1_0000);
    const mark = /\p{M}/u;
    for (let c = 0x300; c < 0x1_0000; c++) {
        if ((c >= 0xd800 && c <= 0xdfff) || mark.test(String.fromCharCode(c)))
            composes[c] = 1;
    }
    composes.fill(1, 0x1161, 0x1176);
    composes.fill(1, 0x11a8, 0x11c3);
    return composes;
})();
/**
 * Leetspeak: the letter each ASCII character is read as inside a Latin word (see normalise.ts for
 * when), or 0. A typed table: looked up for every character normalised.
 */
export const LEET = (() => {
    const leet = new Int32Array(128);
    const pairs = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
    for (const [from, to] of Object.entries(pairs))
        leet[from.charCodeAt(0)] = to.charCodeAt(0);
    return leet;
})();
