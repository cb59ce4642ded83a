import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The escalation roster is kept out of the public record, so the console's jurisdiction
 * editor never sees it: saving the record without a roster must keep the one it had.
 */
let app: TestApp;
let admin: Caller;
const roster = async () =>
  (
    await app.ctx.db
      .selectFrom('jurisdictions')
      .select('escalation_roster')
      .where('code', '=', 'ID')
      .executeTakeFirstOrThrow()
  ).escalation_roster;

const record = {
  name: 'Indonesia',
  legal_representative: { name: 'PT Contoh Perwakilan', email: 'legal@platform.example' },
  contact_point: { name: 'Kontak Tunggal', email: 'contact@platform.example' },
  languages: ['id', 'en'],
  time_zone: 'Asia/Jakarta',
};

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
});
afterAll(() => app.close());

describe('saving a jurisdiction record', () => {
  it('without a roster keeps the roster; with one replaces it', async () => {
    const before = await roster();
    expect(before).not.toEqual([]);
    const kept = await app.request({
      method: 'PUT',
      url: '/v1/jurisdictions/ID',
      as: admin,
      payload: record,
    });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().contact_point.name).toBe('Kontak Tunggal');
    expect(await roster()).toEqual(before);
    const replaced = await app.request({
      method: 'PUT',
      url: '/v1/jurisdictions/ID',
      as: admin,
      payload: { ...record, escalation_roster: [{ name: 'Lead Dua', email: 'lead2@platform.example' }] },
    });
    expect(replaced.statusCode).toBe(200);
    expect(await roster()).toEqual([{ name: 'Lead Dua', email: 'lead2@platform.example' }]);
  });
});
