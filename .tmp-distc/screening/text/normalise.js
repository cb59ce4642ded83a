import { CHARACTER_FOLDS, DROP, KEEP, LEET, MAY_COMPOSE, SPACE } from "./character-folds.js";
/**
 * The matching form of a text, for Indonesian, Arabic and English: what the lexicon, the text
 * hash and the near-duplicate fingerprint see. Evasions that leave a text readable to a person
 * should not change it.
 *
 * 1. Compatibility decomposition (NFKD): fullwidth, mathematical, circled letters and Arabic
 *    presentation forms become plain letters; accents and hamzas become separate marks.
 * 2. Lower case (ß becomes ss, final sigma σ), the case folding that matters for these scripts.
 * 3. One pass over the characters (character-folds.ts, whose table also does step 2 for the
 *    BMP): drop zero-width and bidi controls, combining diacritics, Arabic harakat, tanwin,
 *    superscript alef, Quranic marks and tatweel;
 *    fold Arabic letter variants and digits, and Cyrillic/Greek look-alikes of Latin letters;
 *    collapse whitespace to single spaces.
 * 4. Leetspeak, conservatively: inside a whitespace-separated token with at least three Latin
 *    letters, a lone digit touching a Latin letter is read as a letter (0 o, 1 i, 3 e, 4 a, 5 s,
 *    7 t), and @ and $ between two letters or digits as a and s. So "4maq", "n4sh1r" and
 *    "i$l@mic" fold, while numbers stay numbers: "2017", "3.14", "10km", "3rd", "mp3", "covid19",
 *    "$100" and "@handle" are left alone. 1 is read as i, not l: a variant such as "a1-hayat"
 *    needs its own lexicon entry.
 * 5. Canonical composition (NFC) of what remains, so that the result is in NFKC form; skipped
 *    when nothing left can compose (MAY_COMPOSE), which is most text in Latin and Arabic.
 */
export function normaliseText(text) {
    let decomposed = text.normalize('NFKD');
    // Supplementary upper-case letters (Deseret, Adlam…) are beyond the table.
    const surrogates = SURROGATE.test(decomposed);
    if (surrogates)
        decomposed = decomposed.toLowerCase();
    const out = scratch(decomposed.length * 2 + 1);
    let length = 0;
    let composes = false;
    let pendingSpace = false;
    let tokenStart = 0;
    let tokenLatin = 0;
    let tokenLeet = false;
    const end = decomposed.length;
    for (let i = 0; i < end; i++) {
        let code = decomposed.charCodeAt(i);
        // Most characters are lower-case Latin letters inside a word: straight through.
        if (code >= 0x61 && code <= 0x7a && !pendingSpace) {
            tokenLatin++;
            out[length++] = code;
            continue;
        }
        // Tag characters and supplementary variation selectors (U+E0000–E01EF): invisible.
        if (code === 0xdb40) {
            const low = decomposed.charCodeAt(i + 1);
            if (low >= 0xdc00 && low <= 0xddef) {
                i++;
                continue;
            }
        }
        const action = CHARACTER_FOLDS[code];
        if (action === DROP)
            continue;
        if (action === SPACE) {
            if (length > 0)
                pendingSpace = true;
            continue;
        }
        if (action !== KEEP)
            code = action;
        if (pendingSpace) {
            if (tokenLeet && tokenLatin >= 3)
                foldLeet(out, tokenStart, length);
            tokenLatin = 0;
            tokenLeet = false;
            out[length++] = 0x20;
            tokenStart = length;
            pendingSpace = false;
        }
        if (code < 0x80) {
            if (code >= 0x61 && code <= 0x7a)
                tokenLatin++;
            else if (LEET[code] !== 0)
                tokenLeet = true;
        }
        else if (code === 0xdf) {
            out[length++] = 0x73;
            out[length++] = 0x73;
            tokenLatin += 2;
            continue;
        }
        else if (MAY_COMPOSE[code] === 1)
            composes = true;
        out[length++] = code;
    }
    if (tokenLeet && tokenLatin >= 3)
        foldLeet(out, tokenStart, length);
    let folded = decodeUtf16(out, length);
    // A lone surrogate (malformed UTF-16) becomes U+FFFD, as a UTF-16 decoder would make it.
    if (surrogates)
        folded = toWellFormed(folded);
    return composes ? folded.normalize('NFC') : folded;
}
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function toWellFormed(text) {
    return text.replace(LONE_SURROGATE, '\ufffd');
}
/**
 * The output buffer, reused from call to call (the normaliser runs to completion without
 * yielding, so one is enough): allocating a fresh one per message made the garbage collector
 * a large share of the normaliser's cost. Buffers above SCRATCH_KEPT code units are not kept.
 */
const SCRATCH_KEPT = 1 << 22;
let kept = new Uint16Array(1 << 12);
function scratch(units) {
    if (units <= kept.length)
        return kept;
    const buffer = new Uint16Array(units);
    if (units <= SCRATCH_KEPT)
        kept = buffer;
    return buffer;
}
/**
 * A lone digit touching a Latin letter, or @/$ between letters or digits, becomes a letter.
 * Symbols first, so that digits see them as the letters they become ("1@x" → "1ax" → "iax"):
 * one pass then gives what a second would, which keeps the normaliser idempotent.
 */
function foldLeet(out, start, end) {
    for (let i = start; i < end; i++) {
        const code = out[i];
        if (code !== 0x40 && code !== 0x24)
            continue;
        const before = i > start ? out[i - 1] : 0;
        const after = i + 1 < end ? out[i + 1] : 0;
        if (isWordCode(before) && isWordCode(after))
            out[i] = LEET[code];
    }
    for (let i = start; i < end; i++) {
        const code = out[i];
        const letter = isDigit(code) ? LEET[code] : 0;
        if (letter === 0)
            continue;
        const before = i > start ? out[i - 1] : 0;
        const after = i + 1 < end ? out[i + 1] : 0;
        if (!isDigit(before) && !isDigit(after) && (isLatin(before) || isLatin(after)))
            out[i] = letter;
    }
}
function isLatin(code) {
    return code >= 0x61 && code <= 0x7a;
}
function isDigit(code) {
    return code >= 0x30 && code <= 0x39;
}
function isWordCode(code) {
    return isLatin(code) || isDigit(code);
}
function decodeUtf16(units, length) {
    // Buffer's UCS-2 decoder is about three times as fast as TextDecoder's here.
    return Buffer.from(units.buffer, units.byteOffset, length * 2).toString('ucs2');
}
