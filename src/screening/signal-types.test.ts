import { describe, expect, it } from 'vitest';
import { canonicalDomain, canonicalSignal, canonicalUrl, domainAndParents } from './signal-types.ts';

describe('signal values', () => {
  it('lower-cases hashes and refuses ones of the wrong length', () => {
    expect(canonicalSignal('md5', ' 900150983CD24FB0D6963F7D28E17F72 ')).toBe(
      '900150983cd24fb0d6963f7d28e17f72',
    );
    expect(() => canonicalSignal('sha256', 'abc')).toThrow(/sha256: 'abc' is not 64 hexadecimal digits/);
    expect(() => canonicalSignal('pdq', 'z'.repeat(64))).toThrow(/pdq/);
    expect(canonicalSignal('text_simhash', '00FF00FF00FF00FF')).toBe('00ff00ff00ff00ff');
  });

  it('reduces Telegram links to one form', () => {
    const expected = 'https://t.me/somechannel/123';
    for (const link of [
      't.me/SomeChannel/123',
      'https://telegram.me/somechannel/123/',
      'http://t.me/s/SomeChannel/123',
      'https://t.me/somechannel/123?utm_source=x#frag',
    ]) {
      expect(canonicalUrl(link)).toBe(expected);
    }
  });

  it('normalises other URLs: host case, default port, fragment, tracking parameters, trailing slash', () => {
    expect(canonicalUrl('HTTPS://Example.COM:443/a/b/?x=1&utm_medium=y&fbclid=z#top')).toBe(
      'https://example.com/a/b?x=1',
    );
    expect(canonicalUrl('http://example.com/')).toBe('http://example.com');
    expect(() => canonicalUrl('ftp://example.com/file')).toThrow(/not an http\(s\) URL/);
    expect(() => canonicalUrl('http://')).toThrow(/not a URL/);
  });

  it('normalises domains and lists parent domains', () => {
    expect(canonicalDomain('WWW.Example.com.')).toBe('example.com');
    expect(canonicalDomain('https://sub.example.com/path')).toBe('sub.example.com');
    expect(canonicalDomain('bücher.example')).toBe('xn--bcher-kva.example');
    expect(() => canonicalDomain('localhost')).toThrow(/not a domain name/);
    expect(domainAndParents('a.b.example.com')).toEqual(['a.b.example.com', 'b.example.com', 'example.com']);
  });
});
