import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../../src/http/access.ts';
import { orgKinds, roles } from '../../src/identity/permissions.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { createPrincipals, type PrincipalName, principalNames } from '../support/principals.ts';

/**
 * Every route × every principal. The table below is written by hand, independently of
 * src/identity/permissions.ts, and must list every route the server has: a new route
 * that is not added here fails the first test.
 */
const everyone = principalNames;
const signedIn = principalNames.filter((p) => p !== 'anonymous');

const readers: PrincipalName[] = [
  'admin',
  'lead',
  'reviewer',
  'auditor',
  'flagger_admin',
  'flagger',
  'platform_key',
  'flagger_key',
];
const submitters: PrincipalName[] = ['admin', 'flagger_admin', 'flagger', 'flagger_key'];
const workers: PrincipalName[] = ['admin', 'lead', 'reviewer'];
const bankReaders: PrincipalName[] = ['admin', 'lead', 'reviewer', 'auditor', 'platform_key'];
const bankWriters: PrincipalName[] = ['admin', 'lead', 'platform_key'];
const matchers: PrincipalName[] = ['admin', 'lead', 'reviewer', 'platform_key'];
const caseReaders: PrincipalName[] = ['admin', 'lead', 'reviewer', 'auditor', 'platform_key'];
const threadWriters: PrincipalName[] = [
  'admin',
  'lead',
  'reviewer',
  'flagger_admin',
  'flagger',
  'flagger_key',
];

const expected: Record<string, readonly PrincipalName[]> = {
  'GET /healthz': everyone,
  'GET /readyz': everyone,
  'GET /metrics': everyone,
  'GET /openapi.json': everyone,
  'GET /problems/:type': everyone,
  // The browsable documentation: Swagger UI's own routes and static files.
  'GET /docs': everyone,
  'GET /docs/**': everyone,
  // The console (its files, and index.html for its deep links).
  'GET /*': everyone,
  'POST /v1/targets/parse': everyone,
  'GET /v1/actions': ['admin', 'lead'],
  'POST /v1/public/notices': everyone,
  'POST /v1/auth/login': everyone,
  'POST /v1/auth/logout': signedIn,
  'GET /v1/me': signedIn,
  'GET /v1/orgs': ['admin', 'lead', 'reviewer', 'auditor'],
  'GET /v1/orgs/:slug': ['admin', 'lead', 'reviewer', 'auditor'],
  'POST /v1/orgs': ['admin'],
  'GET /v1/users': ['admin', 'lead', 'auditor', 'flagger_admin'],
  'POST /v1/users': ['admin', 'flagger_admin'],
  'POST /v1/users/:id/disable': ['admin', 'flagger_admin'],
  'GET /v1/orgs/:slug/keys': ['admin', 'flagger_admin'],
  'POST /v1/orgs/:slug/keys': ['admin', 'flagger_admin'],
  'POST /v1/keys/:id/revoke': ['admin', 'flagger_admin'],
  'GET /v1/audit': ['admin', 'auditor'],
  'GET /v1/audit/verify': ['admin', 'auditor'],
  'GET /.well-known/jwks.json': everyone,
  'POST /v1/signing-keys/rotate': ['admin'],
  'POST /v1/notices': submitters,
  'GET /v1/notices': readers,
  'GET /v1/notices/:id': readers,
  'POST /v1/notices/bulk': submitters,
  'GET /v1/notices/bulk': readers,
  'GET /v1/notices/bulk/:id': readers,
  'GET /v1/notices/:id/thread': readers,
  'POST /v1/notices/:id/messages': threadWriters,
  'POST /v1/notices/:id/thread/read': threadWriters,
  'POST /v1/notices/:id/evidence': threadWriters,
  'GET /v1/notices/:id/evidence/:evidenceId': readers,
  'POST /v1/notices/:id/clarification-requests': ['admin', 'lead', 'reviewer'],
  'POST /v1/notices/:id/impossible': ['admin', 'lead', 'reviewer'],
  'POST /v1/notices/:id/clarification': submitters,
  'POST /v1/notices/:id/objections': submitters,
  'GET /v1/events': readers,
  'GET /v1/webhooks': ['admin', 'flagger_admin', 'flagger_key'],
  'POST /v1/webhooks': ['admin', 'flagger_admin', 'flagger_key'],
  'POST /v1/webhooks/:id/disable': ['admin', 'flagger_admin', 'flagger_key'],
  'GET /v1/webhooks/:id/deliveries': ['admin', 'flagger_admin', 'flagger_key'],
  'POST /v1/webhooks/:id/redeliver': ['admin', 'flagger_admin', 'flagger_key'],
  'GET /v1/policy': signedIn,
  'PUT /v1/policy': ['admin'],
  'GET /v1/policy/versions': signedIn,
  'GET /v1/policy/versions/:version': signedIn,
  'GET /v1/taxonomy': everyone,
  'GET /v1/jurisdictions': everyone,
  'GET /v1/jurisdictions/:code': everyone,
  'PUT /v1/jurisdictions/:code': ['admin'],
  'GET /v1/queue': workers,
  'GET /v1/cases/:id': caseReaders,
  'GET /v1/cases/:id/prior': caseReaders,
  'POST /v1/cases/:id/claim': workers,
  'POST /v1/cases/:id/release': workers,
  'POST /v1/cases/:id/assign': ['admin', 'lead'],
  'POST /v1/cases/:id/escalate': workers,
  'POST /v1/cases/:id/comments': workers,
  'POST /v1/cases/:id/decisions/preview': workers,
  'POST /v1/cases/:id/decisions': workers,
  'POST /v1/decisions/:id/approve': workers,
  'POST /v1/decisions/:id/refuse': workers,
  'POST /v1/actions/:id/retry': ['admin', 'lead'],
  'GET /v1/decision-templates': caseReaders,
  'GET /v1/statements/:token': everyone,
  'GET /v1/banks': bankReaders,
  'POST /v1/banks': bankWriters,
  'PATCH /v1/banks/:id': bankWriters,
  'GET /v1/banks/:id/entries': bankReaders,
  'POST /v1/banks/:id/entries': bankWriters,
  'DELETE /v1/banks/:id/entries/:entryId': bankWriters,
  'POST /v1/banks/:id/import': bankWriters,
  'GET /v1/banks/:id/export': bankReaders,
  'POST /v1/hash': matchers,
  'POST /v1/match': matchers,
  // The demo platform: public, like the channels it simulates (404 outside demo mode).
  'GET /v1/demo-platform/channels': everyone,
  'GET /v1/demo-platform/channels/:name/messages': everyone,
  // Trusted-flagger governance and leads' alerts.
  'GET /v1/flaggers': ['admin', 'lead', 'auditor'],
  'GET /v1/flaggers/:slug': ['admin', 'lead', 'auditor'],
  'POST /v1/flaggers/:slug/status': ['admin', 'lead'],
  'POST /v1/flaggers/:slug/warnings': ['admin', 'lead'],
  'GET /v1/flaggers/:slug/evidence-pack': ['admin', 'lead', 'auditor'],
  'GET /v1/alerts': ['admin', 'lead'],
  'POST /v1/alerts/:id/acknowledge': ['admin', 'lead'],
  // Preservation and reviewer welfare.
  'POST /v1/cases/:id/preserved-content': workers,
  'GET /v1/cases/:id/preserved-content': caseReaders,
  'GET /v1/preserved-content/:id': workers,
  'POST /v1/cases/:id/legal-holds': ['admin', 'lead'],
  'GET /v1/cases/:id/legal-holds': caseReaders,
  'POST /v1/legal-holds/:id/release': ['admin', 'lead'],
  'POST /v1/cases/:id/reveal': workers,
  'GET /v1/reviewers/workload': ['admin', 'lead', 'auditor'],
  // Appeals.
  'POST /v1/statements/:token/appeal': everyone,
  'POST /v1/notices/:id/appeals': submitters,
  'GET /v1/appeals': workers,
  'POST /v1/appeals/:id/claim': workers,
  'POST /v1/appeals/:id/assign': ['admin', 'lead'],
  'POST /v1/appeals/:id/decision': workers,
  // The Telegram intake bot: flaggers link their own account (platform admins and API keys
  // pass the permission check and get a 403 saying why); Telegram calls the webhook itself.
  'POST /v1/me/telegram-link': submitters,
  'GET /v1/me/telegram-link': submitters,
  'DELETE /v1/me/telegram-link': submitters,
  'POST /v1/telegram-intake/webhook': everyone,
  // The automated path: content events, bank and sweep, automated evidence, crisis mode.
  'POST /v1/content': ['admin', 'platform_key'],
  'GET /v1/content/:platform/:id': caseReaders,
  'POST /v1/decisions/:id/bank': bankWriters,
  'POST /v1/sweeps': bankWriters,
  'GET /v1/cases/:id/detections': caseReaders,
  'POST /v1/incidents': ['admin', 'lead'],
  'GET /v1/incidents': caseReaders,
  'GET /v1/incidents/:id': caseReaders,
  'POST /v1/incidents/:id/close': ['admin', 'lead'],
  // Transparency.
  'GET /v1/statements/export': ['admin', 'auditor'],
  'GET /v1/statements/submissions': ['admin', 'lead', 'auditor'],
  'GET /v1/reports/transparency': ['admin', 'lead', 'auditor'],
  'GET /transparency': everyone,
  'GET /transparency/assets/:file': everyone,
  'GET /v1/flaggers/:slug/annual-report': readers,
  'GET /v1/sla': readers,
  'GET /v1/public/counters': everyone,
  'GET /transparency/counters.atom': everyone,
  // Rulebook gaps (issue 14): reports to designating authorities, public notifiers, out-of-court disputes.
  'POST /v1/flaggers/:slug/authority-reports': ['admin', 'lead'],
  'GET /v1/authority-reports': readers,
  'GET /v1/authority-reports/:id': readers,
  'POST /v1/public-notifiers/warnings': ['admin', 'lead'],
  'POST /v1/public-notifiers/suspensions': ['admin', 'lead'],
  'GET /v1/public-notifiers/measures': ['admin', 'lead'],
  'POST /v1/out-of-court-disputes': ['admin', 'lead'],
  'PATCH /v1/out-of-court-disputes/:id': ['admin', 'lead'],
  'GET /v1/out-of-court-disputes': ['admin', 'lead', 'auditor'],
  // The government channel's open ends (issue 14): impossibility, objections, the issuer
  // registry, SAMAN's escalation ladder, the appeal view.
  'POST /v1/notices/:id/impossibility-answer': submitters,
  'POST /v1/notices/:id/impossibility-ended': workers,
  'POST /v1/notices/:id/impossible-for-good': workers,
  'GET /v1/objections': workers,
  'GET /v1/objections/:id': readers,
  'POST /v1/objections/:id/answer': workers,
  'GET /v1/orgs/:slug/issuer-registrations': ['admin', 'lead', 'reviewer', 'auditor'],
  'POST /v1/orgs/:slug/issuer-registrations': ['admin'],
  'POST /v1/issuer-registrations/:id/revoke': ['admin'],
  'GET /v1/notices/:id/escalation': readers,
  'POST /v1/notices/:id/escalation': submitters,
  'POST /v1/notices/:id/escalation/:stepId/answer': workers,
  'GET /v1/appeals/:id': caseReaders,
  // Safeguards (issue 14): hearings before revoking trusted status, law-enforcement data requests.
  'POST /v1/flaggers/:slug/hearings': ['admin', 'lead'],
  'GET /v1/flaggers/:slug/hearings': ['admin', 'lead', 'auditor'],
  'GET /v1/hearings': ['admin', 'flagger_admin'],
  'POST /v1/hearings/:id/answer': ['admin', 'flagger_admin'],
  'POST /v1/hearings/:id/decision': ['admin', 'lead'],
  'POST /v1/data-requests': ['admin', 'flagger_admin', 'flagger'],
  'GET /v1/data-requests': ['admin', 'lead', 'flagger_admin', 'flagger'],
  'GET /v1/data-requests/:id': ['admin', 'lead', 'flagger_admin', 'flagger'],
  'POST /v1/data-requests/:id/decision': ['admin', 'lead'],
  'GET /v1/data-requests/:id/package': ['admin', 'lead', 'flagger_admin', 'flagger'],
};

/** An entry ending in /** covers every route under that prefix. */
function matches(entry: string, route: string): boolean {
  return entry.endsWith('/**') ? route.startsWith(entry.slice(0, -2)) : entry === route;
}
function entryFor(route: string): string | undefined {
  return Object.keys(expected).find((entry) => matches(entry, route));
}

const sampleParams: Record<string, string> = {
  slug: 'komdigi',
  id: '00000000-0000-7000-8000-000000000000',
  type: 'invalid',
  evidenceId: '00000000-0000-7000-8000-000000000001',
  stepId: '00000000-0000-7000-8000-000000000003',
  entryId: '00000000-0000-7000-8000-000000000002',
  version: '1',
  code: 'ID',
  token: 'A'.repeat(40),
  platform: 'telegram',
  '*': 'index.html',
};

function concreteUrl(pattern: string): string {
  return pattern.replace(
    /:([A-Za-z_]+)|\*/g,
    (_m, name: string | undefined) => sampleParams[name ?? '*'] ?? 'x',
  );
}

/**
 * What an allowed principal may be answered, other than a 2xx, to the probe below (sample
 * ids that name no record, an empty JSON object as the body): a 400 where the route takes
 * input, a 404 where its path names a record, and the answers listed here, each for a reason.
 * Anything else — a 500 above all — fails, though it is no denial.
 */
const probeAnswers: Record<string, number[]> = {
  // Redirects to the documentation's index.
  'GET /docs/static/index.html': [302],
  'GET /docs/static/*': [302],
  // A bulk upload is CSV or JSON Lines, not a JSON object.
  'POST /v1/notices/bulk': [415],
  // Only a flagger user links a Telegram account; others hear why (a 403 that is no denial).
  'POST /v1/me/telegram-link': [403],
  // Nothing linked yet to unlink.
  'DELETE /v1/me/telegram-link': [404],
  // Off outside demo mode / without a bot token: a 404 that says so.
  'GET /v1/demo-platform/channels': [404],
  'POST /v1/telegram-intake/webhook': [404],
  // No such statement, no such asset.
  'GET /v1/statements/:token': [404],
  'GET /transparency/assets/:file': [404],
  // The measures of one notice: the notice is named in the query string, which the probe leaves out.
  'GET /v1/public-notifiers/measures': [400],
};

function documentedAnswer(route: RouteAccess, status: number): boolean {
  if (status >= 200 && status < 300) return true;
  const key = `${route.method} ${route.url}`;
  if (probeAnswers[key]?.includes(status)) return true;
  const takesInput = route.method !== 'GET' && route.method !== 'DELETE';
  if (status === 400 && takesInput) return true;
  return status === 404 && /:[A-Za-z_]+/.test(route.url);
}

let app: TestApp;
let callers: Record<PrincipalName, Caller>;

beforeAll(async () => {
  app = await createTestApp();
  callers = await createPrincipals(app);
});
afterAll(() => app.close());

describe('the authorisation matrix', () => {
  it('lists every route the server has, and no route it lacks', () => {
    const actual = app.server.routes.map((r) => `${r.method} ${r.url}`);
    expect(actual.filter((route) => entryFor(route) === undefined)).toEqual([]);
    expect(Object.keys(expected).filter((entry) => !actual.some((route) => matches(entry, route)))).toEqual(
      [],
    );
  });

  // Every route × every principal is over 1,500 requests: more than the default on a loaded machine.
  it('holds for every route and every principal', { timeout: 180_000 }, async () => {
    const failures: string[] = [];
    for (const route of app.server.routes) {
      const key = `${route.method} ${route.url}`;
      const allowed = expected[entryFor(key) ?? ''] ?? [];
      for (const principal of principalNames) {
        // Logging out would end the session the next routes use.
        if (key === 'POST /v1/auth/logout' && allowed.includes(principal)) continue;
        const response = await app.request({
          method: route.method as 'GET',
          url: concreteUrl(route.url),
          as: callers[principal],
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        // Following redirects is not the point here: a 3xx is not a denial.
        const denied =
          response.statusCode === 401 ||
          (response.statusCode === 403 && /permission|log in|API key/.test(response.body));
        if (allowed.includes(principal)) {
          if (denied)
            failures.push(`${key} as ${principal}: expected to be let through, got ${response.statusCode}`);
          else if (!documentedAnswer(route, response.statusCode))
            failures.push(
              `${key} as ${principal}: let through, but answered ${response.statusCode}, which is neither a 2xx nor a documented answer: ${response.body.slice(0, 200)}`,
            );
        } else {
          const want = principal === 'anonymous' ? 401 : 403;
          if (response.statusCode !== want)
            failures.push(`${key} as ${principal}: expected ${want}, got ${response.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('does not count a 5xx, or a 403 or 404 nobody documented, as an allowed answer', () => {
    const route = (method: string, url: string) => ({ method, url, access: 'public' as const });
    expect(documentedAnswer(route('GET', '/v1/queue'), 200)).toBe(true);
    expect(documentedAnswer(route('GET', '/v1/queue'), 500)).toBe(false);
    expect(documentedAnswer(route('GET', '/v1/queue'), 404)).toBe(false);
    expect(documentedAnswer(route('GET', '/v1/queue'), 400)).toBe(false);
    expect(documentedAnswer(route('POST', '/v1/cases/:id/claim'), 404)).toBe(true);
    expect(documentedAnswer(route('POST', '/v1/cases/:id/claim'), 403)).toBe(false);
    expect(documentedAnswer(route('POST', '/v1/cases/:id/claim'), 503)).toBe(false);
    expect(documentedAnswer(route('POST', '/v1/me/telegram-link'), 403)).toBe(true);
  });

  it('refuses cookie-authenticated changes without the CSRF token', async () => {
    const admin = callers.admin as { cookie: string; csrf: string };
    const response = await app.request({
      method: 'POST',
      url: '/v1/orgs',
      headers: { cookie: admin.cookie, 'x-csrf-token': 'forged' },
      payload: { slug: 'csrf-org', name: 'CSRF', kind: 'ngo' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(/x-csrf-token/);
    const ok = await app.request({
      method: 'POST',
      url: '/v1/orgs',
      as: admin,
      payload: { slug: 'csrf-org', name: 'CSRF', kind: 'ngo' },
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('roles × organisation kinds', () => {
  // Written by hand: the roles that see across organisations live only in the platform's.
  const allowedIn = (kind: string, role: string) =>
    kind === 'platform'
      ? ['admin', 'lead', 'reviewer', 'auditor'].includes(role)
      : ['flagger_admin', 'flagger'].includes(role);

  it('lets a user hold a role only in an organisation of the right kind', async () => {
    const admin = callers.admin;
    const failures: string[] = [];
    for (const kind of orgKinds) {
      const slug = kind === 'platform' ? 'platform' : `kind-${kind.replace('_', '-')}`;
      if (kind !== 'platform') {
        const org = await app.request({
          method: 'POST',
          url: '/v1/orgs',
          as: admin,
          payload: { slug, name: `A ${kind} organisation`, kind },
        });
        expect(org.statusCode).toBe(201);
      }
      for (const role of roles) {
        const response = await app.request({
          method: 'POST',
          url: '/v1/users',
          as: admin,
          payload: { org: slug, email: `${role}@${slug}.matrix.example`, display_name: role, roles: [role] },
        });
        const want = allowedIn(kind, role) ? 201 : 400;
        if (response.statusCode !== want)
          failures.push(`${role} in ${kind}: want ${want}, got ${response.statusCode}`);
        if (want === 400) {
          expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(response.json().errors?.[0]?.pointer).toBe('/roles');
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('has the database refuse a platform role in a flagger organisation, whoever writes it', async () => {
    const komdigi = await app.ctx.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'komdigi')
      .executeTakeFirstOrThrow();
    const insert = app.ctx.db
      .insertInto('users')
      .values({
        id: '00000000-0000-7000-8000-0000000000aa',
        org_id: komdigi.id,
        email: 'direct-auditor@komdigi.example',
        display_name: 'Direct',
        roles: ['auditor'],
        languages: [],
        jurisdictions: [],
      })
      .execute();
    await expect(insert).rejects.toThrow(/need a platform organisation/);
    const flagger = await app.ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'only-flagger@komdigi.example')
      .executeTakeFirstOrThrow();
    await expect(
      app.ctx.db
        .updateTable('users')
        .set({ roles: ['flagger', 'auditor'] })
        .where('id', '=', flagger.id)
        .execute(),
    ).rejects.toThrow(/need a platform organisation/);
  });

  it('gives an auditor recorded in a flagger organisation before the rule no cross-organisation reads', async () => {
    await sql`alter table users disable trigger users_roles_match_org_kind`.execute(app.ctx.db);
    try {
      await app.ctx.db
        .updateTable('users')
        .set({ roles: ['flagger', 'auditor'] })
        .where('email', '=', 'only-flagger@komdigi.example')
        .execute();
    } finally {
      await sql`alter table users enable trigger users_roles_match_org_kind`.execute(app.ctx.db);
    }
    const legacy = await app.loginAs('only-flagger@komdigi.example');
    for (const url of ['/v1/audit', '/v1/users', '/v1/flaggers']) {
      const response = await app.request({ method: 'GET', url, as: legacy });
      expect(response.statusCode, url).toBe(403);
    }
    const me = await app.request({ method: 'GET', url: '/v1/me', as: legacy });
    expect(me.json().roles).toEqual(['flagger']);
  });
});
