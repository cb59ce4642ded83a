import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/identity/actor.ts';
import { createOrganisation } from '../../src/identity/organisations.ts';
import { seedDemo } from '../../src/runtime/demo.ts';
import type { Db } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runCli } from '../support/cli.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';

/**
 * Someone with direct database access alters, removes or reorders audit entries; each
 * time `tapis audit verify` exits non-zero and names the entry.
 */
let original: SharedStore;

beforeAll(async () => {
  original = await createSharedStore();
  const store = await original.open();
  await migrateToLatest(store);
  await seedDemo(store.db, new Date('2026-11-28T08:00:00Z'));
  for (let i = 0; i < 5; i++) {
    await createOrganisation(
      store.db,
      cliActor,
      { slug: `org-${i}`, name: `Org ${i}`, kind: 'ngo' },
      new Date(`2026-11-28T09:0${i}:00Z`),
    );
  }
  await store.close();
});
afterAll(() => original.dispose());

async function tampered(spoil: (db: Db) => Promise<void>): Promise<{ code: number | null; stderr: string }> {
  const copy = await original.copy();
  try {
    const store = await copy.open();
    // The attacker has the power to switch off the append-only trigger.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(store.db);
    await spoil(store.db);
    await store.close();
    return await runCli(['audit', 'verify'], copy.env);
  } finally {
    await copy.dispose();
  }
}

describe('tapis audit verify', () => {
  it('passes on an untouched chain', async () => {
    const result = await runCli(['audit', 'verify'], original.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/audit chain intact: \d+ entries/);
  });

  it('names an entry whose change was altered', async () => {
    const result = await tampered((db) =>
      sql`update audit_log set change = '{"name":"forged"}' where seq = 5`.execute(db).then(() => {}),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken at entry 5\b.*change does not match/);
  });

  it('names an entry whose fields were altered, even with a recomputed digest', async () => {
    const result = await tampered((db) =>
      sql`update audit_log set action = 'organisation.deleted' where seq = 6`.execute(db).then(() => {}),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken at entry 6\b/);
  });

  it('names a removed entry', async () => {
    const result = await tampered((db) =>
      sql`delete from audit_log where seq = 7`.execute(db).then(() => {}),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken at entry 7\b.*missing/);
  });

  it('names entries whose contents were swapped', async () => {
    const result = await tampered(async (db) => {
      await sql`
        update audit_log a set
          at = b.at, actor_type = b.actor_type, actor_id = b.actor_id, actor_org_id = b.actor_org_id, action = b.action,
          object_type = b.object_type, object_id = b.object_id, change = b.change, change_digest = b.change_digest,
          prev_hash = b.prev_hash, hash = b.hash
        from audit_log b
        where (a.seq = 8 and b.seq = 9) or (a.seq = 9 and b.seq = 8)`.execute(db);
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken at entry 8\b/);
  });

  it('names entries that were renumbered into another order', async () => {
    const result = await tampered(async (db) => {
      await sql`update audit_log set seq = -1 where seq = 10`.execute(db);
      await sql`update audit_log set seq = 10 where seq = 11`.execute(db);
      await sql`update audit_log set seq = 11 where seq = -1`.execute(db);
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken at entry 10\b/);
  });

  it('refuses updates and deletes while the append-only trigger is on', async () => {
    const copy = await original.copy();
    const store = await copy.open();
    try {
      await expect(sql`delete from audit_log where seq = 1`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(store.db)).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await store.close();
      await copy.dispose();
    }
  });
});
