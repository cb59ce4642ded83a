import { compactVerify, createLocalJWKSet, type JWK } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { cliActor } from '../../src/identity/actor.ts';
import { createOrganisation } from '../../src/identity/organisations.ts';
import { type Caller, createTestApp, type TestApp } from '../support/app.ts';

/**
 * Removing the newest audit entries (tail truncation) leaves a valid, shorter hash chain;
 * signed checkpoints of the head (docs/decisions/0021) make it show. Each test makes the
 * entries it needs in its own app, and plays the attacker who can write the database.
 */
let count = 0;

async function withApp<T>(work: (app: TestApp, auditor: Caller) => Promise<T>): Promise<T> {
  const app = await createTestApp();
  try {
    return await work(app, await app.loginAs('auditor@platform.example'));
  } finally {
    await app.close();
  }
}

async function addEntries(app: TestApp, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    count += 1;
    await createOrganisation(
      app.ctx.db,
      cliActor,
      { slug: `truncation-${count}`, name: `Org ${count}`, kind: 'ngo' },
      app.clock(),
    );
  }
}

async function verify(app: TestApp, as: Caller, anchor?: string) {
  const response = await app.request({
    method: 'GET',
    url: `/v1/audit/verify${anchor ? `?anchor=${encodeURIComponent(anchor)}` : ''}`,
    as,
  });
  return response;
}

/** The attacker: switches the append-only trigger off and removes the newest `n` entries. */
async function removeNewest(app: TestApp, n: number): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_update`.execute(app.ctx.db);
  await sql`delete from audit_log where seq in (select seq from audit_log order by seq desc limit ${n})`.execute(
    app.ctx.db,
  );
  await sql`alter table audit_log enable trigger audit_log_no_update`.execute(app.ctx.db);
}

async function removeCheckpoints(app: TestApp): Promise<void> {
  await sql`alter table audit_checkpoints disable trigger audit_checkpoints_no_update`.execute(app.ctx.db);
  await sql`delete from audit_checkpoints`.execute(app.ctx.db);
  await sql`alter table audit_checkpoints enable trigger audit_checkpoints_no_update`.execute(app.ctx.db);
}

let shared: TestApp;
beforeAll(async () => {
  shared = await createTestApp();
});
afterAll(() => shared.close());

describe('tail truncation of the audit log', () => {
  it('is invisible to the hash chain alone: the shorter chain still verifies', async () => {
    await addEntries(shared, 5);
    const before = await verifyAuditChain(shared.ctx.db);
    expect(before.ok).toBe(true);
    await removeNewest(shared, 3);
    const after = await verifyAuditChain(shared.ctx.db);
    // No checkpoint was ever taken here: this is the hole the checkpoints close.
    expect(after).toMatchObject({ ok: true, checked: before.checked - 3 });
  });

  it('signs the verified head as a checkpoint that verifies against the published keys', () =>
    withApp(async (app, auditor) => {
      await addEntries(app, 2);
      const response = await verify(app, auditor);
      expect(response.statusCode, response.body).toBe(200);
      const { ok, head, checkpoint } = response.json();
      expect(ok).toBe(true);
      const jwks = (await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json() as {
        keys: JWK[];
      };
      const { payload, protectedHeader } = await compactVerify(checkpoint, createLocalJWKSet(jwks));
      expect(protectedHeader.typ).toBe('tapis-audit-checkpoint+jws');
      expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ seq: head.seq, hash: head.hash });
      const stored = await app.ctx.db.selectFrom('audit_checkpoints').selectAll().execute();
      expect(stored).toMatchObject([{ seq: head.seq, hash: head.hash, signed: checkpoint }]);
      expect(
        app.logs.some((line) => line.includes('audit chain verified') && line.includes(checkpoint)),
      ).toBe(true);
    }));

  it('names the removal of the newest entries once a checkpoint covered them', () =>
    withApp(async (app, auditor) => {
      await addEntries(app, 4);
      const first = (await verify(app, auditor)).json();
      await addEntries(app, 3);
      const second = (await verify(app, auditor)).json();
      expect(second.head.seq).toBe(first.head.seq + 3);
      await removeNewest(app, 2);
      const response = await verify(app, auditor);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        ok: false,
        checkpoint: null,
        fault: { seq: second.head.seq, problem: 'missing' },
      });
      expect(response.json().fault.detail).toMatch(/newest entries were removed/);
      // `tapis audit verify` walks the same way.
      expect((await verifyAuditChain(app.ctx.db)).fault).toMatchObject({
        seq: second.head.seq,
        problem: 'missing',
      });
    }));

  it('names it from an anchor kept outside tapis when the checkpoints were removed too', () =>
    withApp(async (app, auditor) => {
      await addEntries(app, 3);
      const kept = (await verify(app, auditor)).json();
      await removeNewest(app, 1);
      await removeCheckpoints(app);
      // Without the anchor the shortened chain passes, and would be signed anew.
      expect((await verifyAuditChain(app.ctx.db)).ok).toBe(true);
      const anchored = await verify(app, auditor, kept.checkpoint);
      expect(anchored.statusCode, anchored.body).toBe(200);
      expect(anchored.json()).toMatchObject({ ok: false, fault: { seq: kept.head.seq, problem: 'missing' } });
      expect(await app.ctx.db.selectFrom('audit_checkpoints').selectAll().execute()).toEqual([]);
    }));

  it('refuses an anchor that is not one of its signed checkpoints, and writes nothing', () =>
    withApp(async (app, auditor) => {
      await addEntries(app, 1);
      const { checkpoint } = (await verify(app, auditor)).json();
      const [header, payload] = checkpoint.split('.');
      const forged = `${header}.${Buffer.from(JSON.stringify({ iss: 'tapis', seq: 1, hash: 'x', at: 'now' })).toString('base64url')}.${checkpoint.split('.')[2]}`;
      const before = await app.ctx.db.selectFrom('audit_checkpoints').selectAll().execute();
      for (const anchor of [forged, 'not-a-jws', `${header}.${payload}.AAAA`]) {
        const response = await verify(app, auditor, anchor);
        expect(response.statusCode, anchor).toBe(400);
        expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect(response.json().errors[0]).toMatchObject({ in: 'querystring', pointer: '/anchor' });
      }
      expect(await app.ctx.db.selectFrom('audit_checkpoints').selectAll().execute()).toEqual(before);
    }));
});
