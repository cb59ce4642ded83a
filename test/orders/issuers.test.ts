import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEuJurisdiction, saveDemoJurisdiction } from '../../src/runtime/demo.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { badBodies, expectProblem, HOUR, view } from '../support/channel.ts';

/** Orders are tied to their issuer: the registry, the order kinds, and courts. */
let app: TestApp;
let admin: Caller;
let lead: Caller;
let analyst: Caller;
let ngo: Caller;
let garda: Caller;
let court: Caller;

const post = (url: string, as: Caller, payload: object) => app.request({ method: 'POST', url, as, payload });
const get = (url: string, as: Caller) => app.request({ method: 'GET', url, as });

async function member(org: string, email: string, kind: string) {
  const created = await post('/v1/orgs', admin, { slug: org, name: `Synthetic ${kind}`, kind });
  expect(created.statusCode, created.body).toBe(201);
  const user = await post('/v1/users', admin, {
    org,
    email,
    display_name: `Synthetic ${kind} analyst`,
    roles: ['flagger'],
    languages: ['en', 'id'],
    jurisdictions: ['ID', 'IE'],
    password: 'tapis-demo-2026',
  });
  expect(user.statusCode, user.body).toBe(201);
  return app.loginAs(email);
}

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
  lead = await app.loginAs('lead@platform.example');
  analyst = await app.loginAs('analis@komdigi.example');
  ngo = await app.loginAs('analyst@ngo.example');
  await saveDemoJurisdiction(app.ctx.db, demoEuJurisdiction, app.clock());
  garda = await member('garda-ie', 'analyst@garda.example', 'law_enforcement');
  court = await member('pn-jakarta', 'panitera@pn-jakarta.example', 'court');
});
afterAll(() => app.close());

const order = (target: string, o: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  targets: [target],
  category: 'terrorism',
  kind: 'order',
  legal_basis: 'UU No. 5 Tahun 2018',
  // DSA Art. 9(2): an order names its provisions and its language (src/notices/order-contents.ts).
  legal_references: [{ instrument: 'UU No. 5 Tahun 2018', provision: 'Pasal 13A' }],
  language: 'id',
  explanation: 'Synthetic order: the channel distributes propaganda of a designated group.',
  good_faith: true,
  ...extra,
  order: { territorial_scope: ['ID'], redress: 'Keberatan via SAMAN', ...o },
});
const send = (as: Caller, body: object) => post('/v1/notices', as, body);

describe('the issuer registry', () => {
  it('lets an organisation issue orders only as the authorities and jurisdictions it is registered for', async () => {
    const ok = await send(analyst, order('@issuer_registered', { issuing_authority: 'Komdigi' }));
    expect(ok.statusCode, ok.body).toBe(201);
    const seen = await view(app, ok.json().notice_id, analyst);
    expect(seen).toMatchObject({
      kind: 'order',
      order_kind: 'mr5_order',
      order: { order_kind: 'mr5_order' },
    });

    const other = await send(analyst, order('@issuer_other', { issuing_authority: 'Kepolisian Negara RI' }));
    expectProblem(other, 403);
    expect(other.json().detail).toMatch(/as 'Komdigi' only/);
    // Case and spacing are not what makes an authority.
    expect(
      (await send(analyst, order('@issuer_spacing', { issuing_authority: '  komdigi ' }))).statusCode,
    ).toBe(201);
    expectProblem(await send(ngo, order('@issuer_ngo', { issuing_authority: 'Komdigi' })), 400, '/kind');

    const registry = (await get('/v1/orgs/komdigi/issuer-registrations', lead)).json().items;
    expect(registry).toEqual([
      expect.objectContaining({
        authority: 'Komdigi',
        jurisdictions: ['ID'],
        order_kinds: ['mr5_order'],
        revoked_at: null,
      }),
    ]);
    const revoked = await post(`/v1/issuer-registrations/${registry[0].id}/revoke`, admin, {
      reason: 'Synthetic: the ministry was reorganised.',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectProblem(await send(analyst, order('@issuer_revoked', { issuing_authority: 'Komdigi' })), 403);
    expectProblem(
      await post(`/v1/issuer-registrations/${registry[0].id}/revoke`, admin, { reason: 'again' }),
      409,
    );

    const again = await post('/v1/orgs/komdigi/issuer-registrations', admin, {
      authority: 'Komdigi',
      jurisdictions: ['ID'],
      order_kinds: ['mr5_order'],
      note: 'Synthetic: registered again.',
    });
    expect(again.statusCode, again.body).toBe(201);
    expect((await send(analyst, order('@issuer_again', { issuing_authority: 'Komdigi' }))).statusCode).toBe(
      201,
    );
    const audit = await app.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'issuer_registration.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'issuer_registration.created',
      'issuer_registration.revoked',
      'issuer_registration.created',
    ]);
  });

  it('is kept by admins only, and answers bad input with problem+json', async () => {
    const good = { authority: 'Synthetic authority', jurisdictions: ['ID'], order_kinds: ['mr5_order'] };
    expectProblem(await post('/v1/orgs/komdigi/issuer-registrations', lead, good), 403);
    for (const [name, body] of badBodies(good, 'authority')) {
      const response = await post('/v1/orgs/komdigi/issuer-registrations', admin, body);
      expect(response.statusCode, name).toBe(400);
      expectProblem(response, 400);
    }
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, { ...good, jurisdictions: ['id'] }),
      400,
    );
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, { ...good, jurisdictions: [] }),
      400,
    );
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, { ...good, order_kinds: ['fatwa'] }),
      400,
    );
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, { ...good, jurisdictions: ['ZZ'] }),
      400,
      '/jurisdictions/0',
    );
    // A TCO removal order is issued in the EU only; a court order by a court only.
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, {
        ...good,
        order_kinds: ['tco_removal_order'],
      }),
      400,
      '/order_kinds/0',
    );
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, { ...good, order_kinds: ['court_order'] }),
      400,
      '/order_kinds/0',
    );
    expectProblem(await post('/v1/orgs/ngo/issuer-registrations', admin, good), 400);
    expectProblem(await post('/v1/orgs/no-such-org/issuer-registrations', admin, good), 404);
    expectProblem(await post('/v1/orgs/Bad_Slug/issuer-registrations', admin, good), 400);
    expectProblem(
      await post('/v1/orgs/komdigi/issuer-registrations', admin, { ...good, authority: 'Komdigi' }),
      409,
    );
    expectProblem(
      await post('/v1/issuer-registrations/00000000-0000-7000-8000-000000000000/revoke', admin, {
        reason: 'x',
      }),
      404,
    );
    expectProblem(await post('/v1/issuer-registrations/not-a-uuid/revoke', admin, { reason: 'x' }), 400);
    expectProblem(
      await post('/v1/issuer-registrations/00000000-0000-7000-8000-000000000000/revoke', admin, {
        reason: 'x',
        also: 1,
      }),
      400,
    );
    expect((await get('/v1/orgs/komdigi/issuer-registrations', lead)).json().items).toHaveLength(2);
  });
});

describe('order kinds', () => {
  it('tells a TCO removal order (one hour) from a DSA Art. 9 order, each with its own statement fields', async () => {
    const registered = await post('/v1/orgs/garda-ie/issuer-registrations', admin, {
      authority: 'An Garda Síochána',
      jurisdictions: ['IE'],
      order_kinds: ['tco_removal_order', 'dsa_article_9_order'],
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const eu = {
      issuing_authority: 'An Garda Síochána',
      territorial_scope: ['IE'],
      redress: 'High Court of Ireland',
    };
    const tco = {
      ...eu,
      order_kind: 'tco_removal_order',
      reasons: 'Synthetic: the video glorifies an attack (TCO Art. 2(7)(a)).',
      terrorist_content_type: 'incites',
      authority_contact: 'tco-contact@garda.example',
    };
    const missing = await send(
      garda,
      order(
        '@tco_missing',
        { ...tco, terrorist_content_type: undefined },
        { jurisdiction: 'IE', language: 'en' },
      ),
    );
    expectProblem(missing, 400, '/order/terrorist_content_type');
    expectProblem(
      await send(
        garda,
        order('@tco_gambling', tco, { jurisdiction: 'IE', language: 'en', category: 'gambling' }),
      ),
      400,
      '/category',
    );
    expectProblem(await send(garda, order('@tco_in_id', tco, { jurisdiction: 'ID' })), 400, '/jurisdiction');

    const removal = await send(garda, order('@tco_removal', tco, { jurisdiction: 'IE', language: 'en' }));
    expect(removal.statusCode, removal.body).toBe(201);
    const r = removal.json();
    expect(new Date(r.deadline).getTime() - new Date(r.received_at).getTime()).toBe(HOUR);
    expect((await view(app, r.notice_id, garda)).order_kind).toBe('tco_removal_order');

    const art9 = {
      ...eu,
      order_kind: 'dsa_article_9_order',
      reasons: 'Synthetic: an illegal lottery under national law.',
    };
    const noProvision = await send(
      garda,
      order('@art9_missing', art9, {
        jurisdiction: 'IE',
        language: 'en',
        category: 'gambling',
        legal_references: undefined,
      }),
    );
    expectProblem(noProvision, 400, '/legal_references');
    const nine = await send(
      garda,
      order('@art9_order', art9, {
        jurisdiction: 'IE',
        language: 'en',
        category: 'gambling',
        legal_references: [{ instrument: 'Gaming and Lotteries Act 1956', provision: 'section 4' }],
      }),
    );
    expect(nine.statusCode, nine.body).toBe(201);
    const n = nine.json();
    expect(new Date(n.deadline).getTime() - new Date(n.received_at).getTime()).toBe(24 * HOUR);
    expect((await view(app, n.notice_id, garda)).order_kind).toBe('dsa_article_9_order');
    // Registered for TCO and Art. 9 orders in Ireland, not for MR5 orders.
    expectProblem(
      await send(
        garda,
        order('@garda_mr5', { ...eu, order_kind: 'mr5_order' }, { jurisdiction: 'IE', language: 'en' }),
      ),
      400,
      '/jurisdiction',
    );
  });

  it('makes courts an organisation kind that issues court orders', async () => {
    // Courts hold flagger roles, never the platform's (migration 0710's rule).
    expectProblem(
      await post('/v1/users', admin, {
        org: 'pn-jakarta',
        email: 'reviewer@pn-jakarta.example',
        display_name: 'Not a reviewer',
        roles: ['reviewer'],
        password: 'tapis-demo-2026',
      }),
      400,
      '/roles',
    );
    expect((await get('/v1/orgs/pn-jakarta', admin)).json().kind).toBe('court');
    const registered = await post('/v1/orgs/pn-jakarta/issuer-registrations', admin, {
      authority: 'Pengadilan Negeri Jakarta Pusat',
      jurisdictions: ['ID'],
      order_kinds: ['court_order'],
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const base = { issuing_authority: 'Pengadilan Negeri Jakarta Pusat' };
    expectProblem(await send(court, order('@court_missing', base)), 400, '/order/court_case_number');
    const ordered = await send(
      court,
      order('@court_order', { ...base, court_case_number: '123/Pid.Sus/2026/PN Jkt.Pst' }),
    );
    expect(ordered.statusCode, ordered.body).toBe(201);
    expect(await view(app, ordered.json().notice_id, court)).toMatchObject({
      order_kind: 'court_order',
      source_type: 'government_order',
    });
  });
});
