import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../src/notices/receipts.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Rotating the Ed25519 receipt key through the API (issue 15, item 5): receipts before and
 * after both verify against the published keys, the retired key is published with the
 * period it signed in and can no longer sign (its private half is gone).
 */
let app: TestApp;
let admin: Caller;
let analyst: Caller;
let lead: Caller;

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') } });
  admin = await app.loginAs('admin@platform.example');
  lead = await app.loginAs('lead@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
});
afterAll(async () => {
  await app.close();
});

async function receiptFor(target: string): Promise<string> {
  const response = await app.request({
    method: 'POST',
    url: '/v1/notices',
    as: analyst,
    payload: {
      targets: [target],
      category: 'terrorism',
      explanation: 'Synthetic notice whose receipt outlives its key.',
      good_faith: true,
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json().receipt;
}

const kidOf = (receipt: string) =>
  JSON.parse(Buffer.from(receipt.split('.')[0]!, 'base64url').toString()).kid as string;

const rotate = (as: Caller, payload?: unknown) =>
  app.request({
    method: 'POST',
    url: '/v1/signing-keys/rotate',
    as,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

describe('POST /v1/signing-keys/rotate', () => {
  it('signs new receipts with a new key, while receipts of the retired key still verify', async () => {
    const before = await receiptFor('@rotation_before');
    const oldKid = kidOf(before);
    const rotatedAt = app.clock();

    const response = await rotate(admin, { reason: 'Scheduled yearly rotation' });
    expect(response.statusCode).toBe(200);
    const rotation = response.json();
    expect(rotation.retired).toEqual([oldKid]);
    expect(rotation.kid).not.toBe(oldKid);
    expect(new Date(rotation.valid_from).getTime()).toBe(rotatedAt.getTime());

    const after = await receiptFor('@rotation_after');
    expect(kidOf(after)).toBe(rotation.kid);

    const jwks = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const published = Object.fromEntries(jwks.keys.map((k: { kid: string }) => [k.kid, k]));
    expect(Object.keys(published).sort()).toEqual([oldKid, rotation.kid].sort());
    expect(published[oldKid]).toMatchObject({ valid_until: rotatedAt.toISOString() });
    expect(published[rotation.kid].valid_until).toBeUndefined();
    expect(published[rotation.kid].valid_from).toBe(rotatedAt.toISOString());
    for (const key of jwks.keys) expect(key.d).toBeUndefined();

    expect(await verifyReceipt(before, jwks)).toMatchObject({ valid: true, kid: oldKid });
    expect(await verifyReceipt(after, jwks)).toMatchObject({ valid: true, kid: rotation.kid });
    // Without the retired key's public half, the old receipt would no longer verify.
    const onlyNew = { keys: jwks.keys.filter((k: { kid: string }) => k.kid === rotation.kid) };
    expect(await verifyReceipt(before, onlyNew)).toMatchObject({ valid: false });

    // The retired key cannot sign again: its private half is erased, the new one is sealed.
    const rows = (
      await sql<{ kid: string; private_jwk: string | null }>`
        select kid, private_jwk from signing_keys`.execute(app.ctx.db)
    ).rows;
    expect(rows.find((r) => r.kid === oldKid)!.private_jwk).toBeNull();
    expect(rows.find((r) => r.kid === rotation.kid)!.private_jwk).toMatch(/^v1:/);

    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select(['object_id', 'change'])
      .where('action', '=', 'signing_key.rotated')
      .execute();
    expect(audit).toEqual([
      {
        object_id: rotation.kid,
        change: expect.objectContaining({ retired: [oldKid], reason: 'Scheduled yearly rotation' }),
      },
    ]);
  });

  it('needs no body, and refuses unknown fields, oversized and hostile text with a 400', async () => {
    const bare = await rotate(admin);
    expect(bare.statusCode).toBe(200);
    const keysBefore = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys
      .length;
    for (const payload of [
      { reason: 'x', extra: true },
      { reason: 'x'.repeat(501) },
      { reason: 'bad \u0000 byte' },
      { reason: 42 },
    ]) {
      const response = await rotate(admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const malformed = await app.request({
      method: 'POST',
      url: '/v1/signing-keys/rotate',
      as: admin,
      headers: { 'content-type': 'application/json' },
      payload: '{"reason": ',
    });
    expect(malformed.statusCode).toBe(400);
    // Nothing was rotated by a refused request.
    const keysAfter = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys
      .length;
    expect(keysAfter).toBe(keysBefore);
  });

  it('is for admins only', async () => {
    expect((await rotate(lead)).statusCode).toBe(403);
    expect((await rotate(analyst)).statusCode).toBe(403);
    expect((await rotate(null)).statusCode).toBe(401);
  });
});
