import { describe, expect, it } from 'vitest';
import { parseTarget, type Subject, subjectKeyOf } from './targets.ts';

// Web targets go through the one parser (targets.ts), which hands http(s) links of other hosts
// to web-targets.ts. Refusals of private and local hosts are among the malformed targets in
// targets.test.ts. Every host here is made up or a documentation name.

function subjectOf(input: string): Subject {
  const result = parseTarget(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${result.reason}`);
  return result.subject;
}

describe('web URLs', () => {
  it('become web subjects with a canonical URL: lower-case host, no default port, dot segments, fragment or tracking', () => {
    expect(
      subjectOf('HTTPS://Example.COM:443/a/./b/../c?utm_source=x&id=7&fbclid=abc&UTM_Medium=y#section'),
    ).toStrictEqual({
      platform: 'web',
      kind: 'url',
      host: 'example.com',
      key: 'web:https://example.com/a/c?id=7',
      url: 'https://example.com/a/c?id=7',
    });
  });

  it('keeps the query in its order and encoding, and non-default ports', () => {
    expect(subjectOf('http://example.org:8080/search?b=2&a=1&q=a%20b&flag').url).toBe(
      'http://example.org:8080/search?b=2&a=1&q=a%20b&flag',
    );
    expect(subjectOf('http://example.org:80/x?gclid=1&&').url).toBe('http://example.org/x');
    expect(subjectOf('https://example.org/x??a=1').url).toBe('https://example.org/x??a=1');
  });

  it('keeps #! routes, which name a page on sites that route by fragment', () => {
    expect(subjectOf('https://example.org/#!/post/1').url).toBe('https://example.org/#!/post/1');
  });

  it('writes international domain names in punycode', () => {
    expect(subjectOf('https://bücher.de/Straße')).toMatchObject({
      host: 'xn--bcher-kva.de',
      url: 'https://xn--bcher-kva.de/Stra%C3%9Fe',
    });
    expect(subjectKeyOf('https://BÜCHER.de./Straße')).toBe(
      subjectKeyOf('https://xn--bcher-kva.de/Stra%C3%9Fe'),
    );
  });

  it('accepts public IP addresses, .onion hosts and other Telegram-run sites such as Telegraph', () => {
    expect(subjectOf('http://1.2.3.4/page')).toMatchObject({ platform: 'web', host: '1.2.3.4' });
    const onion = `http://${'a2'.repeat(28)}.onion/`;
    expect(subjectOf(onion)).toMatchObject({ platform: 'web', host: `${'a2'.repeat(28)}.onion` });
    expect(subjectOf('https://telegra.ph/Contoh-Artikel-01-01')).toMatchObject({
      platform: 'web',
      host: 'telegra.ph',
    });
  });
});
