import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/identity/actor.ts';
import { addEntries, createBank } from '../../src/screening/banks/bank-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runCli } from '../support/cli.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';
import { flipBits, post, randomPdq } from './support.ts';

/** `tapis scan FILE.jsonl` and `tapis sweep`, run as a user would, on a database of their own. */
let shared: SharedStore;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tapis-scan-'));
const banked = randomPdq(901);
const later = randomPdq(902);

beforeAll(async () => {
  shared = await createSharedStore();
  const store = await shared.open();
  await migrateToLatest(store);
  const now = new Date();
  const bank = await createBank(store.db, cliActor, { name: 'cli-bank', policy: 'review' }, now);
  await addEntries(store.db, cliActor, bank.id, [{ signal_type: 'pdq', value: banked }], now);
  await createBank(store.db, cliActor, { name: 'cli-later', policy: 'review' }, now);
  await store.close();
});
afterAll(async () => {
  await shared.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('tapis scan', () => {
  it('scans a file, reports bad lines by number and reason, and prints the summary as JSON last', async () => {
    const file = path.join(dir, 'events.jsonl');
    const lines = [
      JSON.stringify(post({ id: '1', channel: 'file_channel', media: [{ pdq: flipBits(banked, 5, 1) }] })),
      '{"type": "post_created", "platform": ',
      JSON.stringify(post({ id: '3', channel: 'file_channel', media: [{ pdq: later }] })),
      JSON.stringify(post({ type: 'post_vanished', id: '4' })),
    ];
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${lines.join('\n')}\n`),
        Buffer.from('{"text": "caf'),
        Buffer.from([0xe9, 0x22, 0x7d, 0x0a]),
      ]),
    );
    const result = await runCli(['scan', file, '--json'], shared.env);
    expect(result.code).toBe(1);
    const last = result.stdout.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({ scanned: 2, matched: 1, cases: 1, actions: 0 });
    expect(result.stderr).toMatch(/events\.jsonl:2: not valid JSON/);
    expect(result.stderr).toMatch(/events\.jsonl:4: type: /);
    expect(result.stderr).toMatch(/events\.jsonl:5: not valid UTF-8/);

    const again = await runCli(['scan', file, '--json'], shared.env);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toEqual({
      scanned: 0,
      matched: 0,
      cases: 0,
      actions: 0,
    });
  }, 120_000);

  it('sweeps a bank by hand and finds the post scanned before its hash was banked', async () => {
    const store = await shared.open();
    const bank = await store.db
      .selectFrom('banks')
      .select('id')
      .where('name', '=', 'cli-later')
      .executeTakeFirstOrThrow();
    await addEntries(
      store.db,
      cliActor,
      bank.id,
      [{ signal_type: 'pdq', value: flipBits(later, 12, 2) }],
      new Date(),
    );
    await store.close();
    const result = await runCli(['sweep', '--bank', 'cli-later', '--json'], shared.env);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual({ checked: 1, matched: 1, cases: 1, actions: 0 });
    const repeat = await runCli(['sweep', '--bank', 'cli-later', '--json'], shared.env);
    expect(JSON.parse(repeat.stdout.trim())).toEqual({ checked: 1, matched: 0, cases: 0, actions: 0 });
  }, 120_000);
});
