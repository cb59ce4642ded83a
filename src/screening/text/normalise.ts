import { CHARACTER_FOLDS, DROP, KEEP, LEET, SPACE } from './character-folds.ts';

/**
 * The matching form of a text, for Indonesian, Arabic and English: what the lexicon, the text
 * hash and the near-duplicate fingerprint see. Evasions that leave a text readable to a person
 * should not change it.
 *
 * 1. Compatibility decomposition (NFKD): fullwidth, mathematical, circled letters and Arabic
 *    presentation forms become plain letters; accents and hamzas become separate marks.
 * 2. Lower case (ß becomes ss, final sigma σ), the case folding that matters for these scripts.
 * 3. One pass over the characters (character-folds.ts): drop zero-width and bidi controls,
 *    combining diacritics, Arabic harakat, tanwin, superscript alef, Quranic marks and tatweel;
 *    fold Arabic letter variants and digits, and Cyrillic/Greek look-alikes of Latin letters;
 *    collapse whitespace to single spaces.
 * 4. Leetspeak, conservatively: inside a whitespace-separated token with at least three Latin
 *    letters, a lone digit touching a Latin letter is read as a letter (0 o, 1 i, 3 e, 4 a, 5 s,
 *    7 t), and @ and $ between two letters or digits as a and s. So "4maq", "n4sh1r" and
 *    "i$l@mic" fold, while numbers stay numbers: "2017", "3.14", "10km", "3rd", "mp3", "covid19",
 *    "$100" and "@handle" are left alone. 1 is read as i, not l: a variant such as "a1-hayat"
 *    needs its own lexicon entry.
 * 5. Canonical composition (NFC) of what remains, so that the result is in NFKC form.
 */
export function normaliseText(text: string): string {
  const decomposed = text.normalize('NFKD').toLowerCase();
  const out = new Uint16Array(decomposed.length * 2 + 1);
  let length = 0;
  let pendingSpace = false;
  let tokenStart = 0;
  let tokenLatin = 0;
  let tokenLeet = false;

  for (let i = 0; i < decomposed.length; i++) {
    let code = decomposed.charCodeAt(i);
    // Tag characters and supplementary variation selectors (U+E0000–E01EF): invisible.
    if (code === 0xdb40) {
      const low = decomposed.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xddef) {
        i++;
        continue;
      }
    }
    const action = CHARACTER_FOLDS[code] as number;
    if (action === DROP) continue;
    if (action === SPACE) {
      if (length > 0) pendingSpace = true;
      continue;
    }
    if (action !== KEEP) code = action;
    if (pendingSpace) {
      if (tokenLeet && tokenLatin >= 3) foldLeet(out, tokenStart, length);
      tokenLatin = 0;
      tokenLeet = false;
      out[length++] = 0x20;
      tokenStart = length;
      pendingSpace = false;
    }
    if (code < 0x80) {
      if (code >= 0x61 && code <= 0x7a) tokenLatin++;
      else if (LEET[code] !== 0) tokenLeet = true;
    } else if (code === 0xdf) {
      out[length++] = 0x73;
      out[length++] = 0x73;
      tokenLatin += 2;
      continue;
    }
    out[length++] = code;
  }
  if (tokenLeet && tokenLatin >= 3) foldLeet(out, tokenStart, length);
  const folded = decodeUtf16(out, length);
  return folded.normalize('NFC');
}

/**
 * A lone digit touching a Latin letter, or @/$ between letters or digits, becomes a letter.
 * Symbols first, so that digits see them as the letters they become ("1@x" → "1ax" → "iax"):
 * one pass then gives what a second would, which keeps the normaliser idempotent.
 */
function foldLeet(out: Uint16Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const code = out[i] as number;
    if (code !== 0x40 && code !== 0x24) continue;
    const before = i > start ? (out[i - 1] as number) : 0;
    const after = i + 1 < end ? (out[i + 1] as number) : 0;
    if (isWordCode(before) && isWordCode(after)) out[i] = LEET[code] as number;
  }
  for (let i = start; i < end; i++) {
    const code = out[i] as number;
    const letter = isDigit(code) ? (LEET[code] as number) : 0;
    if (letter === 0) continue;
    const before = i > start ? (out[i - 1] as number) : 0;
    const after = i + 1 < end ? (out[i + 1] as number) : 0;
    if (!isDigit(before) && !isDigit(after) && (isLatin(before) || isLatin(after))) out[i] = letter;
  }
}

function isLatin(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isWordCode(code: number): boolean {
  return isLatin(code) || isDigit(code);
}

const decoder = new TextDecoder('utf-16le');

function decodeUtf16(units: Uint16Array, length: number): string {
  return decoder.decode(units.subarray(0, length));
}
