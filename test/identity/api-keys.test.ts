import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/identity/actor.ts';
import { revokeApiKey } from '../../src/identity/api-keys.ts';
import { API_KEY_CACHE_MS } from '../../src/identity/authenticate.ts';
import { followKeyRevocations } from '../../src/identity/key-revocations.ts';
import { openStore } from '../../src/store/db.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';
import { onPostgres } from '../support/store.ts';

let app: TestApp;
let admin: Caller;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAs('admin@platform.example');
});
afterAll(() => app.close());

async function createKey(body: Record<string, unknown>, org = 'komdigi', as: Caller = admin) {
  return app.request({ method: 'POST', url: `/v1/orgs/${org}/keys`, as, payload: body });
}

/** Every text value in every table, to look for a secret that should not be there. */
async function databaseText(): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(app.ctx.db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table_name)}`.execute(
      app.ctx.db,
    );
    parts.push(JSON.stringify(rows.rows));
  }
  return parts.join('\n');
}

describe('API keys', () => {
  it('work once created, and stop working when revoked', async () => {
    const created = await createKey({ name: 'ministry gateway' });
    expect(created.statusCode).toBe(201);
    const { key, api_key } = created.json();
    expect(key).toMatch(/^tapis_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}$/);
    expect(api_key.scopes).toContain('notices:submit');

    const me = await app.request({ method: 'GET', url: '/v1/me', as: { key } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ type: 'key', org: { slug: 'komdigi' } });

    const revoked = await app.request({
      method: 'POST',
      url: `/v1/keys/${api_key.id}/revoke`,
      as: admin,
      payload: {},
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).not.toBeNull();

    const after = await app.request({ method: 'GET', url: '/v1/me', as: { key } });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toMatch(/revoked/);
  });

  it.skipIf(!onPostgres)('stop working at once when another process revokes them', async () => {
    const stopFollowing = await followKeyRevocations(app.store);
    try {
      const { key, api_key } = (await createKey({ name: 'revoked elsewhere' })).json();
      const me = () => app.request({ method: 'GET', url: '/v1/me', as: { key } });
      expect((await me()).statusCode).toBe(200); // the server now holds the key in memory

      // The CLI, say: another process, with connections of its own to the same schema.
      const other = await openStore({
        databaseUrl: process.env.TEST_DATABASE_URL,
        schema: app.store.schema!,
      });
      try {
        await revokeApiKey(other.db, cliActor, api_key.id, new Date());
      } finally {
        await other.close();
      }
      // Well within the 5 s the server would otherwise keep the key.
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < API_KEY_CACHE_MS / 5) {
        status = (await me()).statusCode;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(401);
    } finally {
      await stopFollowing();
    }
  });

  it('stop working when they expire', async () => {
    const expires = new Date(app.clock().getTime() + 60_000).toISOString();
    const { key } = (await createKey({ name: 'short-lived', expires_at: expires })).json();
    expect((await app.request({ method: 'GET', url: '/v1/me', as: { key } })).statusCode).toBe(200);
    app.clock.advance(61_000);
    const after = await app.request({ method: 'GET', url: '/v1/me', as: { key } });
    expect(after.statusCode).toBe(401);
    expect(after.json().detail).toMatch(/expired/);
  });

  it('carry only the scopes asked for, within what the organisation may hold', async () => {
    const narrow = (await createKey({ name: 'read only', scopes: ['notices:read'] })).json();
    const me = await app.request({ method: 'GET', url: '/v1/me', as: { key: narrow.key } });
    expect(me.json().permissions).toEqual(['notices:read']);
    const tooMuch = await createKey({ name: 'greedy', scopes: ['audit:read'] });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0].pointer).toBe('/scopes');
  });

  it('refuse a forged or malformed key without saying which part was wrong', async () => {
    const { key } = (await createKey({ name: 'real' })).json();
    const forged = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    for (const bad of [forged, 'tapis_short', 'Bearer-less', '']) {
      const response = await app.request({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${bad}` },
      });
      expect(response.statusCode).toBe(401);
    }
  });

  it('are listed without the key, and a flagger_admin manages only its own organisation’s', async () => {
    const komdigiAdmin = await app.loginAs('admin@komdigi.example');
    const own = await createKey({ name: 'own' }, 'komdigi', komdigiAdmin);
    expect(own.statusCode).toBe(201);
    const other = await createKey({ name: 'other' }, 'ngo', komdigiAdmin);
    expect(other.statusCode).toBe(403);
    const list = await app.request({ method: 'GET', url: '/v1/orgs/komdigi/keys', as: komdigiAdmin });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(own.json().key);
    expect(list.json().items.map((k: { name: string }) => k.name)).toContain('own');
  });

  it('appear in plain text nowhere in the database or the logs', async () => {
    const { key } = (await createKey({ name: 'secret keeper' })).json();
    // Use it, fail with it, revoke it: every path that could log or store it.
    await app.request({ method: 'GET', url: '/v1/me', as: { key } });
    await app.request({ method: 'GET', url: '/v1/audit', as: { key } });
    const secret = key.split('_')[2];
    expect(await databaseText()).not.toContain(secret);
    expect(app.logs.join('\n')).not.toContain(secret);
    expect(app.logs.length).toBeGreaterThan(0);
  });
});
