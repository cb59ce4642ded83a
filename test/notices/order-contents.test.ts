import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * DSA Art. 9(2): an authority order states its legal basis, the reasons with the specific
 * provisions it rests on, and the language it is sent in. An order missing one is refused
 * with a problem+json naming the field, and nothing is stored.
 */
let app: TestApp;
let ministry: Caller;

const order = (overrides: Record<string, unknown> = {}) => ({
  kind: 'order',
  targets: ['https://t.me/ordered_channel/9'],
  category: 'terrorism',
  legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
  legal_references: [{ instrument: 'UU 5/2018', provision: 'Pasal 13A' }],
  language: 'id',
  explanation: 'Synthetic order: the post recruits for a designated group.',
  good_faith: true,
  order: { issuing_authority: 'Komdigi', territorial_scope: ['ID'], redress: 'Keberatan via SAMAN' },
  ...overrides,
});

beforeAll(async () => {
  app = await createTestApp();
  ministry = await app.loginAs('analis@komdigi.example');
});
afterAll(() => app?.close());

const send = (body: Record<string, unknown>) =>
  app.request({ method: 'POST', url: '/v1/notices', as: ministry, payload: body });

async function refused(body: Record<string, unknown>) {
  const before = await app.ctx.db.selectFrom('notices').select('id').execute();
  const response = await send(body);
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const after = await app.ctx.db.selectFrom('notices').select('id').execute();
  expect(after).toHaveLength(before.length);
  return response.json() as { detail: string; errors: { pointer: string; detail: string }[] };
}

const without = (field: string) => {
  const body: Record<string, unknown> = order({ targets: [`@without_${field}`] });
  delete body[field];
  return body;
};

describe('an authority order', () => {
  it('without a legal basis is refused with a problem naming legal_basis', async () => {
    const problem = await refused(without('legal_basis'));
    expect(problem.errors.map((e) => e.pointer)).toEqual(['/legal_basis']);
    expect(problem.detail).toMatch(/^legal_basis: an order needs its legal basis \(DSA Art\. 9\(2\)\)/);
  });

  it('without its specific provisions is refused with a problem naming legal_references', async () => {
    const none = await refused(without('legal_references'));
    expect(none.errors.map((e) => e.pointer)).toEqual(['/legal_references']);
    expect(none.detail).toContain('DSA Art. 9(2)(a)');
    // An instrument without its article is not a specific provision.
    const vague = await refused(
      order({
        legal_references: [{ instrument: 'UU 5/2018', provision: 'Pasal 13A' }, { instrument: 'UU 1/2024' }],
      }),
    );
    expect(vague.errors).toEqual([
      {
        in: 'body',
        pointer: '/legal_references/1/provision',
        detail: 'name the article or section of UU 1/2024 the order rests on (DSA Art. 9(2)(a))',
      },
    ]);
  });

  it('without its language, or in a language the jurisdiction does not work in, is refused with a problem naming language', async () => {
    const none = await refused(without('language'));
    expect(none.errors).toEqual([
      {
        in: 'body',
        pointer: '/language',
        detail: 'an order states its language (DSA Art. 9(2)(c)): one of id, en',
      },
    ]);
    const foreign = await refused(order({ language: 'fr' }));
    expect(foreign.errors[0]!.pointer).toBe('/language');
    expect(foreign.errors[0]!.detail).toContain("'fr' is not a working language of ID");
  });

  it('with its legal basis, provisions and language is taken, and keeps them', async () => {
    const response = await send(order({ language: 'en', targets: ['@complete_order_channel'] }));
    expect(response.statusCode, response.body).toBe(201);
    const { notice_id: id, source_type } = response.json();
    expect(source_type).toBe('government_order');
    const view = (await app.request({ method: 'GET', url: `/v1/notices/${id}`, as: ministry })).json();
    expect(view).toMatchObject({
      kind: 'order',
      language: 'en',
      legal_basis: 'UU 5/2018 tentang Pemberantasan Tindak Pidana Terorisme',
      legal_references: [{ instrument: 'UU 5/2018', provision: 'Pasal 13A' }],
    });
  });

  it('is the only kind held to this: a notice needs no provisions and defaults its language', async () => {
    const response = await send({
      targets: ['@plain_notice_channel'],
      category: 'terrorism',
      explanation: 'Synthetic notice: the post recruits for a designated group.',
      good_faith: true,
    });
    expect(response.statusCode, response.body).toBe(201);
    const view = (
      await app.request({ method: 'GET', url: `/v1/notices/${response.json().notice_id}`, as: ministry })
    ).json();
    expect(view.language).toBe('id');
  });
});
