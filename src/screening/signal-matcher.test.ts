import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignalMatcher } from './signal-matcher.ts';

const PDQ = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
/** The same hash with the last 3 bits flipped. */
const PDQ_NEAR = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b25';

describe('signal matcher', () => {
  it('matches each signal type by its own rule', () => {
    const matcher = new SignalMatcher();
    matcher.add({ ref: 'e1', type: 'pdq', value: PDQ, quality: 100 });
    matcher.add({ ref: 'e2', type: 'md5', value: '900150983CD24FB0D6963F7D28E17F72' });
    matcher.add({ ref: 'e3', type: 'text_simhash', value: '0123456789abcdef' });
    matcher.add({ ref: 'e4', type: 'url', value: 't.me/SomeChannel/5' });
    expect(matcher.match('pdq', PDQ_NEAR)).toEqual([{ ref: 'e1', type: 'pdq', value: PDQ, distance: 3 }]);
    expect(matcher.match('pdq', PDQ_NEAR, { maxDistance: 2 })).toEqual([]);
    expect(matcher.match('md5', '900150983cd24fb0d6963f7d28e17f72').map((m) => m.ref)).toEqual(['e2']);
    expect(matcher.match('text_simhash', '0123456789abcdee')).toEqual([
      { ref: 'e3', type: 'text_simhash', value: '0123456789abcdef', distance: 1 },
    ]);
    expect(matcher.match('url', 'https://t.me/s/somechannel/5').map((m) => m.ref)).toEqual(['e4']);
    expect(matcher.sizes).toMatchObject({ pdq: 1, md5: 1, text_simhash: 1, url: 1, domain: 0 });
  });

  it('does not bank or match PDQ hashes under quality 50', () => {
    const matcher = new SignalMatcher();
    expect(matcher.add({ ref: 'flat', type: 'pdq', value: PDQ, quality: 49 })).toBe(false);
    expect(matcher.match('pdq', PDQ)).toEqual([]);
    matcher.add({ ref: 'good', type: 'pdq', value: PDQ, quality: 90 });
    expect(matcher.match('pdq', PDQ, { quality: 10 })).toEqual([]);
    expect(matcher.match('pdq', PDQ, { quality: 80 })).toHaveLength(1);
  });

  it('finds a link through its domain or a parent domain', () => {
    const matcher = new SignalMatcher();
    matcher.add({ ref: 'd', type: 'domain', value: 'example.org' });
    expect(
      matcher.matchUrl('https://media.example.org/video/1').map((m) => [m.ref, m.type, m.value]),
    ).toEqual([['d', 'domain', 'example.org']]);
    expect(matcher.matchUrl('https://example.net/')).toEqual([]);
  });

  it('forgets every signal of a removed entry at once', () => {
    const matcher = new SignalMatcher();
    matcher.add({ ref: 'e', type: 'pdq', value: PDQ });
    matcher.add({ ref: 'e', type: 'sha256', value: 'a'.repeat(64) });
    expect(matcher.remove('e')).toBe(2);
    expect(matcher.match('pdq', PDQ)).toEqual([]);
    expect(matcher.match('sha256', 'a'.repeat(64))).toEqual([]);
    expect(matcher.remove('e')).toBe(0);
  });

  it('refuses a malformed value with the reason', () => {
    expect(() => new SignalMatcher().add({ ref: 'x', type: 'pdq', value: 'abc' })).toThrow(/pdq: 'abc'/);
  });

  it('indexes a bulk load as one adds each: same matches, malformed values reported, removal by ref', () => {
    // More PDQ hashes than the index's scan buffer holds, so the bulk path builds a segment.
    const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
    const signals = [
      ...Array.from({ length: 3_000 }, (_, i) => ({
        ref: `p${i}`,
        type: 'pdq' as const,
        value: hex(`p${i}`),
      })),
      { ref: 'near', type: 'pdq' as const, value: PDQ, quality: 100 },
      { ref: 'flat', type: 'pdq' as const, value: PDQ_NEAR, quality: 10 },
      { ref: 'bad', type: 'pdq' as const, value: 'abc' },
      { ref: 'md5', type: 'md5' as const, value: '900150983cd24fb0d6963f7d28e17f72' },
    ];
    const one = new SignalMatcher();
    for (const signal of signals) {
      try {
        one.add(signal);
      } catch {}
    }
    const bulk = new SignalMatcher();
    const rejected: string[] = [];
    const indexed = bulk.addMany(signals, (signal) => rejected.push(signal.ref));
    expect(rejected).toEqual(['bad']);
    expect(indexed.filter((x) => !x)).toHaveLength(2);
    expect(indexed[signals.findIndex((s) => s.ref === 'flat')]).toBe(false);
    expect(bulk.sizes).toEqual(one.sizes);
    for (const query of [PDQ_NEAR, hex('p7'), hex('p2999'), hex('not banked')])
      expect(bulk.match('pdq', query)).toEqual(one.match('pdq', query));
    expect(bulk.match('pdq', hex('p2999')).map((m) => m.ref)).toEqual(['p2999']);
    expect(bulk.match('md5', '900150983cd24fb0d6963f7d28e17f72').map((m) => m.ref)).toEqual(['md5']);
    expect(bulk.remove('p2999')).toBe(1);
    expect(bulk.match('pdq', hex('p2999'))).toEqual([]);
  });
});
