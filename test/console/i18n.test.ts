import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The console's strings: every key in Bahasa Indonesia and in English, and none missing. */
const dir = new URL('../../web/src/', import.meta.url).pathname;
const load = (lang: string) => JSON.parse(readFileSync(join(dir, 'i18n', `${lang}.json`), 'utf8')) as object;

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sources(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) ? [readFileSync(full, 'utf8')] : [];
  });
}

describe('the console speaks both languages', () => {
  const id = keys(load('id'));
  const en = keys(load('en'));

  it('has every Indonesian string in English too', () => {
    expect(id.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('has every English string in Indonesian too', () => {
    expect(en.filter((k) => !id.includes(k))).toEqual([]);
  });

  it('has no empty string in either language', () => {
    const empty = (tree: object) =>
      keys(tree).filter(
        (k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], tree) === '',
      );
    expect([...empty(load('id')), ...empty(load('en'))]).toEqual([]);
  });

  it('defines every key the code asks for by name', () => {
    const used = new Set<string>();
    for (const text of sources(dir)) {
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !en.includes(k) || !id.includes(k))).toEqual([]);
  });
});
