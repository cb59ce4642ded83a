import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { hashMediaBytes } from '../../src/screening/media-hashes.ts';
import { textSha256 } from '../../src/screening/text/text-fingerprints.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let lead: Caller;
let reviewer: Caller;
let platformKey: Caller;

/** A synthetic image with structure (PDQ needs gradients to reach a useful quality). */
async function syntheticImage(seed: number): Promise<Buffer> {
  const width = 128;
  const height = 96;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 2 + seed * 37) % 256;
      pixels[i + 1] = ((x ^ y) * 3 + seed * 11) % 256;
      pixels[i + 2] = (y * 2 + ((x / 16) | 0) * 40) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

function multipart(name: string, data: Buffer) {
  const boundary = '----tapis-bank-test';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

beforeAll(async () => {
  app = await createTestApp();
  lead = await app.loginAs('lead@platform.example');
  reviewer = await app.loginAs('reviewer@platform.example');
  const admin = await app.loginAs('admin@platform.example');
  platformKey = {
    key: (
      await app.request({
        method: 'POST',
        url: '/v1/orgs/platform/keys',
        as: admin,
        payload: { name: 'scanner' },
      })
    ).json().key,
  };
});
afterAll(() => app.close());

describe('hash banks', () => {
  let image: Buffer;
  let pdq: string;

  it('are created with a policy, and filled with entries carrying provenance', async () => {
    const bank = await app.request({
      method: 'POST',
      url: '/v1/banks',
      as: lead,
      payload: { name: 'isis-media', policy: 'auto_action', auto_action: { outcome: 'remove' } },
    });
    expect(bank.statusCode).toBe(201);
    expect(
      (
        await app.request({
          method: 'POST',
          url: '/v1/banks',
          as: lead,
          payload: { name: 'no-action', policy: 'auto_action' },
        })
      ).statusCode,
    ).toBe(400);
    image = await syntheticImage(1);
    const hashes = await hashMediaBytes(image);
    expect(hashes.quality).toBeGreaterThanOrEqual(50);
    pdq = hashes.pdq!;
    const caseId = newId();
    const added = await app.request({
      method: 'POST',
      url: '/v1/banks/isis-media/entries',
      as: lead,
      payload: {
        entries: [
          {
            signal_type: 'pdq',
            value: pdq,
            quality: hashes.quality!,
            source: 'own decision',
            case_id: caseId,
            note: 'synthetic test image',
          },
          { signal_type: 'md5', value: 'nothex' },
        ],
      },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().items.map((i: { status: string }) => i.status)).toEqual(['added', 'invalid']);
    const listed = (await app.request({ method: 'GET', url: '/v1/banks', as: reviewer })).json().items;
    expect(listed[0]).toMatchObject({ name: 'isis-media', policy: 'auto_action', entries: { pdq: 1 } });
  });

  it('match an uploaded image, and its rotated and mirrored copies, with the bank and provenance', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/match',
      as: platformKey,
      ...multipart('copy.png', image),
    });
    expect(response.statusCode).toBe(200);
    const [match] = response.json().matches;
    expect(match).toMatchObject({
      signal_type: 'pdq',
      distance: 0,
      bank: { name: 'isis-media', policy: 'auto_action' },
      provenance: { source: 'own decision', note: 'synthetic test image' },
    });

    const rotated = await sharp(image).rotate(90).png().toBuffer();
    const turned = (
      await app.request({
        method: 'POST',
        url: '/v1/match',
        as: platformKey,
        ...multipart('rotated.png', rotated),
      })
    ).json();
    expect(turned.matches).toHaveLength(1);
    expect(turned.matches[0].distance).toBeLessThanOrEqual(31);
    expect(turned.matches[0].query.transform).not.toBe('original');

    const other = await syntheticImage(7);
    expect(
      (
        await app.request({
          method: 'POST',
          url: '/v1/match',
          as: platformKey,
          ...multipart('other.png', other),
        })
      ).json().matches,
    ).toEqual([]);
  });

  it('match hashes sent as signals, within the PDQ radius, and not from a disabled bank', async () => {
    const flipped = (Number.parseInt(pdq[0]!, 16) ^ 0xf).toString(16) + pdq.slice(1);
    const near = (
      await app.request({
        method: 'POST',
        url: '/v1/match',
        as: platformKey,
        payload: { signals: [{ type: 'pdq', value: flipped }] },
      })
    ).json();
    expect(near.matches[0].distance).toBe(4);
    expect(
      (
        await app.request({
          method: 'POST',
          url: '/v1/match',
          as: platformKey,
          payload: { signals: [{ type: 'pdq', value: flipped }], max_distance: 3 },
        })
      ).json().matches,
    ).toEqual([]);
    expect(
      (
        await app.request({
          method: 'PATCH',
          url: '/v1/banks/isis-media',
          as: lead,
          payload: { enabled: false },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await app.request({
          method: 'POST',
          url: '/v1/match',
          as: platformKey,
          payload: { signals: [{ type: 'pdq', value: pdq }] },
        })
      ).json().matches,
    ).toEqual([]);
    await app.request({ method: 'PATCH', url: '/v1/banks/isis-media', as: lead, payload: { enabled: true } });
  });

  it('match text through the normaliser, and links through their domains', async () => {
    await app.request({
      method: 'POST',
      url: '/v1/banks',
      as: lead,
      payload: { name: 'texts', policy: 'review' },
    });
    const text = 'Synthetic slogan for tests only: join the example channel now';
    await app.request({
      method: 'POST',
      url: '/v1/banks/texts/entries',
      as: lead,
      payload: {
        entries: [
          { signal_type: 'text_sha256', value: textSha256(text) },
          { signal_type: 'domain', value: 'propaganda.example' },
        ],
      },
    });
    // Zero-width characters and capitals do not hide a copy.
    const disguised = 'SYNTHETIC slogan for tests\u200b only: join the example channel now';
    const found = (
      await app.request({
        method: 'POST',
        url: '/v1/match',
        as: platformKey,
        payload: { text: disguised, urls: ['https://cdn.propaganda.example/x'] },
      })
    ).json();
    expect(found.matches.map((m: { signal_type: string }) => m.signal_type).sort()).toEqual([
      'domain',
      'text_sha256',
    ]);
  });

  it('import a CSV with per-row results, and export what they hold', async () => {
    await app.request({
      method: 'POST',
      url: '/v1/banks',
      as: lead,
      payload: { name: 'shared', policy: 'review' },
    });
    const csv = `signal_type,signal,quality,source\npdq,${'a'.repeat(64)},90,partner\nmd5,${'b'.repeat(32)},,partner\nmd5,xyz,,partner\npdq,${'a'.repeat(64)},90,partner\n`;
    const imported = await app.request({
      method: 'POST',
      url: '/v1/banks/shared/import',
      as: lead,
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.json()).toMatchObject({ added: 2, duplicate: 1, invalid: 1 });
    expect(imported.json().rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [4, 'invalid'],
      [5, 'duplicate'],
    ]);
    const exported = await app.request({ method: 'GET', url: '/v1/banks/shared/export', as: reviewer });
    expect(exported.headers['content-type']).toMatch(/text\/csv/);
    expect(exported.body.split('\n')[0]).toBe(
      'signal_type,signal,quality,source,added_by,added_at,case_id,note',
    );
    expect(exported.body).toContain('a'.repeat(64));
  });

  it('make a hash banked by another process matchable within a second', async () => {
    await app.ctx.banks.ready();
    app.ctx.banks.follow(200);
    try {
      const bank = await app.ctx.db
        .selectFrom('banks')
        .select('id')
        .where('name', '=', 'shared')
        .executeTakeFirstOrThrow();
      const value = 'c'.repeat(64);
      // Written straight to the database, as another process would.
      await app.ctx.db
        .insertInto('bank_entries')
        .values({
          id: newId(),
          bank_id: bank.id,
          signal_type: 'sha256',
          value,
          quality: null,
          source: 'elsewhere',
          added_by: 'other-process',
          added_at: app.clock(),
          case_id: null,
          note: null,
          metadata: '{}',
        })
        .execute();
      // Within a second on an idle machine; the bound is ten, since a loaded CI delays the
      // refresh timer. What fails it is an entry the matcher never picks up without a restart.
      const started = Date.now();
      let seen = false;
      while (!seen && Date.now() - started < 10_000) {
        seen = app.ctx.banks.match('sha256', value).length > 0;
        if (!seen) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toBe(true);
    } finally {
      app.ctx.banks.stop();
    }
  });

  it('hash a file: PDQ with its dihedral variants, MD5 and SHA-256', async () => {
    const response = await app.request({
      method: 'POST',
      url: '/v1/hash',
      as: reviewer,
      ...multipart('image.png', image),
    });
    expect(response.json()).toMatchObject({
      pdq,
      md5: expect.stringMatching(/^[0-9a-f]{32}$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(response.json().pdq_dihedral).toHaveLength(8);
  });

  it('are written by leads and admins only', async () => {
    expect(
      (
        await app.request({
          method: 'POST',
          url: '/v1/banks',
          as: reviewer,
          payload: { name: 'x', policy: 'review' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
