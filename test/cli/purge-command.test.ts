import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runCli } from '../support/cli.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';

let shared: SharedStore;
const caseId = newId();
const data = Buffer.from('Synthetic captured message, long past its preservation period.');
const sha256 = createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  shared = await createSharedStore();
  const store = await shared.open();
  // On PostgreSQL the schema is new: migrate it as the CLI would.
  await migrateToLatest(store);
  const past = new Date('2024-01-01T00:00:00Z');
  await store.db
    .insertInto('cases')
    .values({
      id: caseId,
      subject_key: 'telegram:username:cli_purge',
      subject: JSON.stringify({ kind: 'username', username: 'cli_purge' }),
      status: 'closed',
      jurisdiction: 'ID',
      category: 'terrorism',
      severity: 5,
      trusted: false,
      notice_count: 0,
      language: 'id',
      opened_at: past,
      closed_at: past,
      decided_at: past,
      outcome: 'removed',
    })
    .execute();
  await store.db.insertInto('blobs').values({ sha256, size: data.length, data }).execute();
  await store.db
    .insertInto('preserved_content')
    .values({
      id: newId(),
      case_id: caseId,
      kind: 'text',
      description: 'The message',
      sha256,
      hashes: '{}',
      preserved_until: new Date('2024-07-02T00:00:00Z'),
      created_at: past,
    })
    .execute();
  await store.close();
});
afterAll(() => shared.dispose());

describe('tapis purge', () => {
  it('says what it would purge with --dry-run, then purges it and keeps the hash', async () => {
    const dry = await runCli(['purge', '--dry-run', '--json'], shared.env);
    expect(dry.stderr).toBe('');
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dry_run: true,
      preserved_content: 1,
      cases: [{ case_id: caseId }],
    });

    const run = await runCli(['purge'], shared.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /purged 0 evidence and 1 preserved content in 1 case\(s\); 1 stored file\(s\) released/,
    );
    expect((await runCli(['purge'], shared.env)).stdout).toMatch(/nothing to purge/);

    const store = await shared.open();
    try {
      expect(
        await store.db
          .selectFrom('blobs')
          .select(['sha256', 'data'])
          .where('sha256', '=', sha256)
          .executeTakeFirstOrThrow(),
      ).toEqual({ sha256, data: null });
      const events = await store.db
        .selectFrom('case_events')
        .select(['type', 'actor_id'])
        .where('case_id', '=', caseId)
        .execute();
      expect(events).toEqual([{ type: 'purged', actor_id: 'cli' }]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
