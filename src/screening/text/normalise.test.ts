import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText } from './normalise.ts';

describe('text normaliser', () => {
  it('folds case and compatibility forms: fullwidth, mathematical, ligatures, ß', () => {
    expect(normaliseText('ＡＭＡＱ 𝐀𝐦𝐚𝐪 𝔞𝔪𝔞𝔮 ﬁle Straße')).toBe('amaq amaq amaq file strasse');
  });

  it('removes zero-width, bidi-control and other invisible characters that split words', () => {
    const hidden = 'a\u200bm\u200ca\u200dq \u202enaba\u202c \u2066x\u2069 so\u00adft \ufeffbom \u{e0041}tag';
    expect(normaliseText(hidden)).toBe('amaq naba x soft bom tag');
  });

  it('removes Latin accents used to disguise a word', () => {
    expect(normaliseText('Àmàq Ñáshír')).toBe('amaq nashir');
  });

  it('removes Arabic harakat, tanwin, shadda, superscript alef, Quranic marks and tatweel', () => {
    // "أَعْمَاق" with vowels, and "النـــبأ" stretched with tatweel.
    expect(normaliseText('أَعْمَاقٌ')).toBe(normaliseText('اعماق'));
    expect(normaliseText('النـــبأ')).toBe('النبا');
    expect(normaliseText('هٰذا ۖ')).toBe('هذا');
  });

  it('folds Arabic letter variants: hamza forms of alef, alef maqsura, teh marbuta, Farsi yeh', () => {
    expect(normaliseText('إسلامية أ آ ٱ')).toBe('اسلاميه ا ا ا');
    expect(normaliseText('على ی')).toBe('علي ي');
    expect(normaliseText('الدولة الإسلامية')).toBe(normaliseText('الدوله الاسلاميه'));
  });

  it('reads Arabic presentation forms and Arabic-Indic digits as plain letters and digits', () => {
    expect(normaliseText('ﺍﻟﻨﺒﺄ ٢٠١٧ ۱۲')).toBe('النبا 2017 12');
  });

  it('folds Cyrillic and Greek look-alikes into Latin', () => {
    // а, м, а from Cyrillic; ο and ν from Greek.
    expect(normaliseText('\u0430\u043c\u0430q Nashir \u03bfn \u03bdideo')).toBe('amaq nashir on video');
  });

  it('reads leetspeak inside words but leaves numbers, units, ordinals and handles alone', () => {
    expect(normaliseText('4maq n4sh1r i$l@mic 1slamic')).toBe('amaq nashir islamic islamic');
    expect(normaliseText('2017 3.14 10km 3rd mp3 covid19 $100 @handle 4g')).toBe(
      '2017 3.14 10km 3rd mp3 covid19 $100 @handle 4g',
    );
    // Digits with no letter reading stay digits, also inside words ("㎟" is "mm2").
    expect(normaliseText('Ａ㎟ abc2 abc9x')).toBe('amm2 abc2 abc9x');
  });

  it('collapses every kind of whitespace into single spaces and trims', () => {
    expect(normaliseText('  al\t\tnaba\n\n\u00a0\u3000amaq  ')).toBe('al naba amaq');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const once = normaliseText(text);
        return normaliseText(once) === once;
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent on mixed Arabic, Latin, digits and invisible characters', () => {
    const pieces = [
      'أ',
      'ـ',
      'َ',
      'a',
      'A',
      '4',
      '1',
      '@',
      ' ',
      '\u200b',
      'ى',
      'ة',
      'ß',
      'İ',
      '\u0430',
      '٣',
      '-',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const once = normaliseText(parts.join(''));
        return normaliseText(once) === once;
      }),
      { numRuns: 500 },
    );
  });

  // The normaliser lowers BMP letters through its table and skips NFC when nothing can
  // compose: both shortcuts must give what toLowerCase and NFC would.
  const tricky = fc.constantFrom(
    ...'AZaz ÀÉÑ İıẞß ΣΑΩσςΈ АЯЁё 한국어 ᄀ ᅡ ᆨ ガ か ゙ é ̈ ̣ ö أإآؤئ ٔ ٕ 𐐀𐐨 𞤀 🙂 ﬁ ① Ａ'.split(/(?=[\s\S])/u),
  );
  it('lowers case as toLowerCase does and returns NFC text, on every script it meets', () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const result = normaliseText(text);
        expect(result).toBe(result.normalize('NFC'));
        expect(result).toBe(result.toLowerCase());
        expect(result).toBe(normaliseText(text.normalize('NFKD').toLowerCase()));
      }),
      { numRuns: 1000 },
    );
    // Hangul decomposed by NFKD comes back composed; Deseret capitals come back small.
    expect(normaliseText('한국 𐐀')).toBe('한국 𐐨');
    // Malformed UTF-16: a lone surrogate becomes U+FFFD, wherever it stands.
    expect(normaliseText('a\ud800b \udc00 𐐀\ud800')).toBe('a\ufffdb \ufffd 𐐨\ufffd');
  });
});
