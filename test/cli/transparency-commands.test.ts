import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/runtime/demo.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { validateTdbStatement } from '../../src/transparency/tdb-validation.ts';
import { runCli } from '../support/cli.ts';
import { createSharedStore, type SharedStore } from '../support/cli-store.ts';
import { seedReportWorld } from '../support/report-fixture.ts';
import { insertStatement } from '../support/statements.ts';

let shared: SharedStore;
let out: string;
const puids: string[] = [];

beforeAll(async () => {
  shared = await createSharedStore();
  const store = await shared.open();
  await migrateToLatest(store);
  await seedDemo(store.db, new Date('2026-01-01T00:00:00Z'));
  await seedReportWorld(store.db);
  for (const at of ['2026-02-01T10:00:00Z', '2026-11-30T23:00:00Z'])
    puids.push((await insertStatement(store.db, { at: new Date(at) })).decisionId);
  await insertStatement(store.db, { at: new Date('2027-01-01T00:00:00Z') });
  await store.close();
  out = mkdtempSync(path.join(os.tmpdir(), 'tapis-report-'));
}, 60_000);
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await shared.dispose();
});

describe('tapis statements export', () => {
  it('writes the period’s statements, one per line, each accepted by the database’s validation', async () => {
    const file = path.join(out, 'statements.jsonl');
    const run = await runCli(
      ['statements', 'export', '--from', '2026-01-01', '--to', '2026-12-31', '--out', file],
      shared.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/2 statement\(s\) from 2026-01-01 to 2026-12-31/);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.puid)).toEqual(puids);
    for (const line of lines) expect(validateTdbStatement(line).ok).toBe(true);
  });

  it('refuses a period that ends before it starts, naming the option', async () => {
    const run = await runCli(
      ['statements', 'export', '--from', '2026-03-01', '--to', '2026-02-01'],
      shared.env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--to: .*ends \(2026-02-01\) before it starts/);
  });
});

describe('tapis report', () => {
  it('writes the report as JSON, with the figures the API gives', async () => {
    const dir = path.join(out, 'json');
    const run = await runCli(
      ['report', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json', '--out', dir],
      shared.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.tables.timing[1]).toEqual({
      measure: 'decide',
      notices: 3,
      median_seconds: 4200,
      p90_seconds: 29640,
    });
  });

  it('writes one CSV file per table, and the page in both languages with its assets', async () => {
    const csv = path.join(out, 'csv');
    expect(
      (
        await runCli(
          ['report', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv', '--out', csv],
          shared.env,
        )
      ).code,
    ).toBe(0);
    // One file per table of the JSON report written above, and nothing else.
    const tables = Object.keys(
      JSON.parse(readFileSync(path.join(out, 'json', 'report.json'), 'utf8')).tables,
    );
    expect(tables.length).toBeGreaterThanOrEqual(13);
    expect(readdirSync(csv).sort()).toEqual(tables.map((t) => `${t}.csv`).sort());
    expect(readFileSync(path.join(csv, 'notices_by_source.csv'), 'utf8').split('\n')[1]).toBe(
      'trusted_flagger,2',
    );
    const html = path.join(out, 'html');
    expect((await runCli(['report', '--format', 'html', '--out', html], shared.env)).code).toBe(0);
    for (const file of ['index.html', 'en.html', 'assets/echarts.min.js', 'assets/charts.js'])
      expect(existsSync(path.join(html, file)), file).toBe(true);
    expect(readFileSync(path.join(html, 'index.html'), 'utf8')).toMatch(/<html lang="id">/);
  });

  it('refuses an unknown format or a year out of range, naming the option', async () => {
    const format = await runCli(['report', '--format', 'pdf', '--out', out], shared.env);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format: /);
    const year = await runCli(['report', '--to', '2101-01-01', '--out', out], shared.env);
    expect(year.code).toBe(2);
    expect(year.stderr).toMatch(/--to: .*2101 is out of range/);
  });
});
