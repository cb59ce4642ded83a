import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoSituation } from '../../src/runtime/demo-situation.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/** The demo's live situation: enough for every demo login to do something, seeded once. */
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ env: { TAPIS_DEMO: 'true' } });
});
afterAll(async () => {
  await app.close();
});

describe('the demo situation', () => {
  it('is seeded once per database', async () => {
    expect(await seedDemoSituation(app.ctx, app.clock())).toBe(true);
    const count = async () =>
      Number(
        (
          await app.ctx.db
            .selectFrom('notices')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const notices = await count();
    expect(notices).toBeGreaterThan(5);
    expect(await seedDemoSituation(app.ctx, app.clock())).toBe(false);
    expect(await count()).toBe(notices);
  });

  it('holds open cases in both languages and jurisdictions, one near its deadline, a waiting appeal and a bank', async () => {
    const now = app.clock();
    const open = await app.ctx.db
      .selectFrom('cases')
      .select(['jurisdiction', 'language', 'status'])
      .where('status', '=', 'open')
      .execute();
    expect(new Set(open.map((c) => `${c.jurisdiction}/${c.language}`))).toEqual(
      new Set(['ID/id', 'ID/en', 'IE/en']),
    );
    const soon = await app.ctx.db
      .selectFrom('notices')
      .select('legal_due_at')
      .where('closed_at', 'is', null)
      .where('legal_due_at', '>', now)
      .where('legal_due_at', '<', new Date(now.getTime() + 3_600_000))
      .execute();
    expect(soon.length).toBeGreaterThan(0);
    const appeals = await app.ctx.db.selectFrom('appeals').select('status').execute();
    expect(appeals.map((a) => a.status)).toEqual(['open']);
    const pending = await app.ctx.db
      .selectFrom('decisions')
      .select('status')
      .where('status', '=', 'pending_approval')
      .execute();
    expect(pending).toHaveLength(1);
    const entries = await app.ctx.db.selectFrom('bank_entries').select('value').execute();
    expect(entries).toHaveLength(4);
  });

  it('gives the trusted and the regular flagger decided notices', async () => {
    const decided = await app.ctx.db
      .selectFrom('notices')
      .innerJoin('organisations', 'organisations.id', 'notices.org_id')
      .select(['organisations.slug', 'notices.status'])
      .where('notices.status', 'in', ['actioned', 'no_action'])
      .execute();
    expect(new Set(decided.map((d) => d.slug))).toEqual(new Set(['komdigi', 'ngo']));
  });
});
