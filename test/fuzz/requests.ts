import fc from 'fast-check';
import {
  hostileNumber,
  hostileString,
  hostileValue,
  type JsonSchema,
  nearlyValid,
  valid,
} from './schema-arbitrary.ts';
import type { World } from './world.ts';

/** One operation of the OpenAPI document, with what the fuzzer needs of it. */
export interface Operation {
  method: string;
  /** Fastify's form: /v1/cases/:id */
  route: string;
  parameters: { in: 'path' | 'query' | 'header'; name: string; required: boolean; schema: JsonSchema }[];
  /** Declared body content types and their schemas. */
  bodies: Record<string, JsonSchema>;
}

export interface FuzzRequest {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Operation['parameters'];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const bodies: Record<string, JsonSchema> = {};
      for (const [type, content] of Object.entries(op.requestBody?.content ?? {}))
        bodies[type] = content.schema;
      operations.push({
        method: method.toUpperCase(),
        route: path.replace(/\{([^}]+)\}/g, ':$1'),
        parameters: op.parameters ?? [],
        bodies,
      });
    }
  }
  return operations;
}

/** Routes whose body is not described by a JSON schema: uploads and raw documents. */
const RAW_BODY: Record<string, string[]> = {
  'POST /v1/notices/bulk': ['text/csv', 'application/x-ndjson', 'application/json'],
  'POST /v1/banks/:id/import': ['text/csv', 'application/json'],
  'POST /v1/notices/:id/evidence': ['multipart/form-data'],
  'POST /v1/hash': ['multipart/form-data'],
  'POST /v1/match': ['multipart/form-data'],
  'POST /v1/notices': ['multipart/form-data'],
  'POST /v1/telegram-intake/webhook': ['application/json'],
};

const BOUNDARY = '----fuzzBoundary0123456789';
const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

const pathValue = (world: World, route: string, name: string, schema: JsonSchema) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...withFallback(world.params(route, name), name)) },
    { weight: 1, arbitrary: valid(schema, name).map(String) },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: hostileNumber.map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '00000000-0000-7000-8000-000000000000',
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        '..',
        '.',
        '%2e%2e%2f',
        '9'.repeat(30),
        'toString',
        'constructor',
        '__proto__',
      ),
    },
  );

function withFallback(values: string[], name: string): string[] {
  return values.length > 0 ? values : [name === 'id' ? '00000000-0000-7000-8000-000000000000' : 'x'];
}

/** Encodes a value for a URL, or (sometimes) not at all: raw bytes a careless client sends. */
const encoded = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(value, fc.nat({ max: 9 }))
    .map(([v, raw]) => (raw === 0 ? v.replace(/[/?#\s%]/g, '_') : percentEncode(v)));

const LONE_SURROGATE = /([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/;

/** encodeURIComponent, except that a lone surrogate becomes the bytes a careless client sends. */
function percentEncode(value: string): string {
  return value
    .split(LONE_SURROGATE)
    .map((part, i) => (i % 2 === 1 ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

const queryPart = (parameter: Operation['parameters'][number]) =>
  fc.oneof(
    { weight: 5, arbitrary: valid(parameter.schema, parameter.name).map((v) => String(v)) },
    { weight: 2, arbitrary: hostileString },
    { weight: 2, arbitrary: hostileNumber.map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('99999999999999999999', '-1', '1e3', '0x10', '1.5', 'true', '[]'),
    },
  );

function queryOf(op: Operation): fc.Arbitrary<string> {
  const parameters = op.parameters.filter((p) => p.in === 'query');
  const pairs = parameters.map((p) =>
    fc.option(
      fc
        .tuple(encoded(queryPart(p)), fc.nat({ max: 19 }), encoded(queryPart(p)))
        // Now and then the parameter twice: an array where a string is expected.
        .map(([v, twice, w]) => (twice === 0 ? `${p.name}=${v}&${p.name}=${w}` : `${p.name}=${v}`)),
      { freq: 2 },
    ),
  );
  const unknown = fc.option(
    encoded(hostileString).map((v) => `unknown_param=${v}`),
    { freq: 8 },
  );
  return fc.tuple(fc.tuple(...pairs), unknown).map(([parts, extra]) => {
    const all = [...parts, extra].filter((p): p is string => Boolean(p));
    return all.length ? `?${all.join('&')}` : '';
  });
}

function urlOf(op: Operation, world: World): fc.Arbitrary<string> {
  const names = [...op.route.matchAll(/:([A-Za-z_]+)|\*/g)].map((m) => m[1] ?? '*');
  const values = names.map((name) => {
    const schema = op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {
      type: 'string',
    };
    return encoded(pathValue(world, op.route, name, schema));
  });
  return fc.tuple(fc.tuple(...values), queryOf(op)).map(([vals, query]) => {
    let i = 0;
    return op.route.replace(/:([A-Za-z_]+)|\*/g, () => vals[i++] ?? 'x') + query;
  });
}

const hostileHeaderValue = fc.oneof(
  fc.constantFrom('', ' ', 'x'.repeat(8000), 'ÿþ', '\t', '*/*', 'null', 'undefined', '%00'),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
);

const headerSet = (op: Operation): fc.Arbitrary<Record<string, string>> => {
  const declared = op.parameters.filter((p) => p.in === 'header').map((p) => p.name);
  const names = [
    ...declared,
    'accept',
    'accept-language',
    'idempotency-key',
    'x-forwarded-for',
    'x-csrf-token',
    'authorization',
    'cookie',
    'if-none-match',
    'range',
    'x-request-id',
  ];
  return fc.dictionary(fc.constantFrom(...names), hostileHeaderValue, { maxKeys: 3 });
};

function multipart(
  parts: { name: string; filename?: string; type?: string; data: Buffer | string }[],
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
      ),
      Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const fileData = fc.oneof(
  fc.constant(Buffer.concat([PNG_HEADER, Buffer.alloc(64, 1)])),
  fc.constant(Buffer.from('<html><script>alert(1)</script></html>')),
  fc.constant(Buffer.from('%PDF-1.4\n%%EOF\n')),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(0)),
);

const multipartBody = (schema: JsonSchema | undefined): fc.Arbitrary<FuzzRequest['payload'] & Buffer> =>
  fc
    .array(
      fc.oneof(
        fc.record({
          name: fc.constantFrom('file', 'files', 'evidence', 'x'),
          filename: fc.oneof(
            fc.constantFrom('a.png', 'a.html', 'a.png.html', '../../a', '', 'ملف.png'),
            hostileString.map((s) => s.slice(0, 200).replace(/["\r\n]/g, '')),
          ),
          type: fc.constantFrom('image/png', 'text/html', 'application/octet-stream', 'application/pdf'),
          data: fileData,
        }),
        fc.record({
          name: fc.constantFrom('notice', 'description', 'text', 'signal_type', 'bank', 'x'),
          data: fc.oneof(
            schema ? valid(schema).map((v) => JSON.stringify(v)) : fc.constant('{}'),
            hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
            hostileString.map((s) => s.slice(0, 1000)),
          ),
        }),
      ),
      { maxLength: 3 },
    )
    .map((parts) => multipart(parts) as Buffer);

const malformedMultipart: fc.Arbitrary<{ type: string; payload: Buffer }> = fc.constantFrom(
  {
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc`,
    ),
  },
  {
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: Buffer.from(`--${BOUNDARY}\r\n\r\n\r\nabc\r\n--${BOUNDARY}--\r\n`),
  },
  { type: 'multipart/form-data', payload: Buffer.from(`--${BOUNDARY}\r\n\r\nabc\r\n--${BOUNDARY}--\r\n`) },
  { type: `multipart/form-data; boundary=${BOUNDARY}`, payload: Buffer.from('\u0000\u0001not multipart') },
  { type: 'multipart/form-data; boundary=', payload: Buffer.from('--\r\n') },
  { type: `multipart/form-data; boundary="${'b'.repeat(200)}"`, payload: Buffer.from('x') },
  {
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--${BOUNDARY}--\r\n`,
    ),
  },
  {
    type: `multipart/form-data; boundary=${BOUNDARY}`,
    payload: Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="notice"\r\n\r\n{"targets":\r\n--${BOUNDARY}--\r\n`,
    ),
  },
  { type: `multipart/mixed; boundary=${BOUNDARY}`, payload: Buffer.from(`--${BOUNDARY}--\r\n`) },
);

const badJson: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '{"a":}',
      '[1,2',
      'nul',
      '"unterminated',
      '{"a":1}{"b":2}',
      '\uFEFF{}',
      '{"__proto__": {"admin": true}}',
      '{"constructor": {"prototype": {}}}',
      '{"a": "\\u0000"}',
      '{"a": "\\ud800"}',
      '{"a": 1e999}',
      '{"a": -}',
      "{'a': 1}",
      '{"a": NaN}',
      '',
      '   ',
    )
    .map((s) => Buffer.from(s)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
  fc.nat({ max: 20000 }).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`)),
  fc.constant(Buffer.from(`{"a":"${'x'.repeat(1024 * 1024 + 10)}"}`)),
);

const csvBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'targets,category,explanation,good_faith\n@fuzz_csv_channel,terrorism,Synthetic fuzzing explanation long enough,true\n',
    'targets,category\n"unterminated,terrorism\n',
    'a,b\n1,2,3\n',
    'signal_type,value\nmd5,d41d8cd98f00b204e9800998ecf8427e\n',
    'signal_type,value\npdq,zz\nurl,"https://x.example\n',
    '\uFEFFsignal_type,value\nurl,=cmd|"/c calc"!A1\n',
    '',
    '\n\n\n',
  ),
  fc
    .array(
      fc.array(
        hostileString.map((s) => s.slice(0, 300)),
        { minLength: 1, maxLength: 4 },
      ),
      { maxLength: 4 },
    )
    .map((rows) => rows.map((r) => r.join(',')).join('\n')),
);

const otherContentTypes = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/problem+json',
  'application/vnd.api+json',
  'image/png',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
  ';;;',
);

function bodyOf(op: Operation): fc.Arbitrary<{ kind: string; type?: string; payload?: string | Buffer }> {
  const key = `${op.method} ${op.route}`;
  const jsonSchema = op.bodies['application/json'];
  const json = (kind: string, arb: fc.Arbitrary<unknown>) =>
    arb.map((v) => ({ kind, type: 'application/json', payload: JSON.stringify(v) ?? 'null' }));
  const options: fc.WeightedArbitrary<{ kind: string; type?: string; payload?: string | Buffer }>[] = [];
  if (jsonSchema) {
    options.push(
      { weight: 5, arbitrary: json('valid', valid(jsonSchema)) },
      { weight: 5, arbitrary: json('nearly valid', nearlyValid(jsonSchema)) },
    );
  }
  if (op.bodies['multipart/form-data'] || RAW_BODY[key]?.includes('multipart/form-data')) {
    const fields = jsonSchema;
    options.push(
      {
        weight: 4,
        arbitrary: multipartBody(fields).map((payload) => ({
          kind: 'multipart',
          type: `multipart/form-data; boundary=${BOUNDARY}`,
          payload,
        })),
      },
      { weight: 3, arbitrary: malformedMultipart.map((m) => ({ kind: 'malformed multipart', ...m })) },
    );
  }
  for (const type of RAW_BODY[key] ?? []) {
    if (type === 'text/csv')
      options.push({ weight: 4, arbitrary: csvBody.map((payload) => ({ kind: 'csv', type, payload })) });
    if (type === 'application/x-ndjson')
      options.push({
        weight: 2,
        arbitrary: fc
          .array(
            hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
            { maxLength: 3 },
          )
          .map((lines) => ({ kind: 'ndjson', type, payload: lines.join('\n') })),
      });
    if (type === 'application/json' && !jsonSchema)
      options.push({ weight: 3, arbitrary: json('raw json', hostileValue) });
  }
  const hasBody = options.length > 0 || op.method !== 'GET';
  options.push(
    { weight: hasBody ? 2 : 1, arbitrary: json('hostile json', hostileValue) },
    {
      weight: hasBody ? 2 : 1,
      arbitrary: badJson.map((payload) => ({ kind: 'bad json', type: 'application/json', payload })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(otherContentTypes, fc.oneof(hostileString, fc.constant('a=1&b=2'), fc.constant('<a/>')))
        .map(([type, payload]) => ({ kind: 'wrong content type', type, payload })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'no body' }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'body without type', payload: Buffer.from('{"a":1}') }) },
  );
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    options.push({
      weight: 1,
      arbitrary: malformedMultipart.map((m) => ({ kind: 'malformed multipart', ...m })),
    });
  }
  return fc.oneof(...options);
}

export function requestsFor(op: Operation, world: World): fc.Arbitrary<FuzzRequest> {
  const idempotency = op.parameters.some((p) => p.name === 'idempotency-key');
  return fc
    .tuple(
      urlOf(op, world),
      bodyOf(op),
      fc.option(headerSet(op), { freq: 3 }),
      idempotency ? fc.option(fc.uuid(), { freq: 2 }) : fc.constant(null),
    )
    .map(([url, body, headers, key]) => {
      const all: Record<string, string> = { ...(headers ?? {}) };
      if (key) all['idempotency-key'] ??= key;
      if (body.type) all['content-type'] = body.type;
      return {
        kind: body.kind,
        method: op.method,
        url,
        headers: all,
        ...(body.payload === undefined || op.method === 'GET' ? {} : { payload: body.payload }),
      };
    });
}
