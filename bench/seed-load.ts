import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { seedDemo } from '../src/runtime/demo.ts';
import { openStore, quoteIdent } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { backfillReportNoticeTimes } from '../src/store/migrations/1200_report_notice_times.ts';

/**
 * `npm run seed:load`: a year (2026) of synthetic activity on PostgreSQL for the report
 * benchmark — 1,000,000 notices by default, each with its receipt event and target, one case
 * per ten notices, a decision for most cases, enforcement actions, clarification pauses and
 * appeals. Generated inside the database with generate_series (no row crosses the wire).
 * Writes into its own schema (default `load_report`), replaced on each run.
 *
 *   npm run seed:load -- --notices 1000000 --schema load_report
 */
const { values: flags } = parseArgs({
  options: {
    notices: { type: 'string', default: '1000000' },
    schema: { type: 'string', default: 'load_report' },
    'database-url': {
      type: 'string',
      default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const N = Number(flags.notices);
if (!Number.isInteger(N) || N < 10 || N > 20_000_000)
  throw new Error(`--notices: '${flags.notices}' is not 10 to 20,000,000`);
const schema = flags.schema!;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
  throw new Error(`--schema: '${schema}' is not a lower-case SQL identifier`);
const url = flags['database-url']!;

const started = performance.now();
const step = async (label: string, run: () => Promise<unknown>) => {
  const t = performance.now();
  await run();
  process.stdout.write(`  ${label.padEnd(22)} ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
};

{
  const admin = await openStore({ databaseUrl: url, poolSize: 1 });
  await sql.raw(`drop schema if exists ${quoteIdent(schema)} cascade`).execute(admin.db);
  await admin.close();
}
// One connection: the session settings below (synchronous_commit, session_replication_role) hold for it alone.
const store = await openStore({ databaseUrl: url, schema, poolSize: 1 });
const db = store.db;
await migrateToLatest(store);
await seedDemo(db, new Date('2026-01-01T00:00:00Z'));
process.stdout.write(`seeding ${N.toLocaleString('en')} notices into ${schema}\n`);

const uuid = (prefix: string, i: string) =>
  `('00000000-0000-4000-${prefix}-' || lpad(to_hex(${i}), 12, '0'))::uuid`;
const C = Math.ceil(N / 10);
// The year's seconds, spread evenly: notice i is received at 2026-01-01 + i·(year/N).
const at = `timestamptz '2026-01-01T00:00:00Z' + (i * (31536000.0 / ${N})) * interval '1 second'`;
await sql.raw(`set synchronous_commit = off`).execute(db);
// Row triggers (the report's per-notice times, migration 1200) off for the bulk inserts;
// the times are then filled in one set-based pass, as the migration's backfill does.
await sql.raw(`set session_replication_role = replica`).execute(db);

await step('notices', () =>
  sql
    .raw(`insert into notices (id, org_id, submitted_by, submitted_by_type, kind, source_type, category, jurisdiction,
        language, legal_basis, explanation, good_faith, order_details, received_at, legal_hours, target_hours,
        legal_due_at, target_due_at, policy_version, status, digest, receipt)
      select ${uuid('8000', 'i')},
        case when i % 3 = 0 then (select id from organisations where slug = 'ngo') else (select id from organisations where slug = 'komdigi') end,
        'load', 'key', case when i % 20 = 1 then 'order' else 'notice' end,
        case when i % 20 = 1 then 'government_order' when i % 3 = 0 then 'regular_notice' else 'trusted_flagger' end,
        (array['terrorism', 'hoax', 'gambling', 'fraud', 'hate_sara'])[1 + i % 5],
        (array['ID', 'ID', 'ID', 'DE', 'FR'])[1 + i % 5], 'id',
        case when i % 20 = 1 then 'UU No. 5 Tahun 2018' end, 'Synthetic load notice.', true,
        case when i % 20 = 1 then jsonb_build_object('issuing_authority', (array['Komdigi', 'BNPT', 'Polri'])[1 + i % 3]) end,
        ${at}, 4, 1, ${at} + interval '4 hours' + (case when i % 20 = 0 then interval '1 hour' else interval '0' end),
        ${at} + interval '1 hour' + (case when i % 20 = 0 then interval '1 hour' else interval '0' end), 1,
        case when i % 10 < 8 then 'actioned' when i % 10 = 8 then 'no_action' else 'received' end, 'load', 'load'
      from generate_series(0, ${N - 1}) as i`)
    .execute(db),
);
await step('receipt events', () =>
  sql
    .raw(`insert into notice_events (id, notice_id, org_id, type, data, at)
      select ${uuid('8001', 'i')}, n.id, n.org_id, 'notice.received', '{}'::jsonb, n.received_at + (i % 7) * interval '1 second'
      from generate_series(0, ${N - 1}) as i join notices n on n.id = ${uuid('8000', 'i')}`)
    .execute(db),
);
await step('cases', () =>
  sql
    .raw(`insert into cases (id, subject_key, subject, status, jurisdiction, category, severity, trusted, notice_count,
        language, opened_at, closed_at, outcome, decided_at, hash_match_confidence)
      select ${uuid('9000', 'c')}, 'telegram:load:' || c, jsonb_build_object('kind', (array['message', 'channel', 'group', 'bot'])[1 + c % 4]),
        'closed', 'ID', (array['terrorism', 'hoax', 'gambling', 'fraud', 'hate_sara'])[1 + (c * 10) % 5], 5, true, 10, 'id',
        ${at.replaceAll('i *', '(c * 10) *')}, null, 'removed', null, case when c % 4 = 0 then 0.99 end
      from generate_series(0, ${C - 1}) as c`)
    .execute(db),
);
await step('targets', () =>
  sql
    .raw(`insert into notice_targets (notice_id, idx, raw, subject_key, subject, case_id, outcome, outcome_at)
      select ${uuid('8000', 'i')}, 0, 'https://t.me/load/' || i, 'telegram:load:' || (i / 10), '{}'::jsonb,
        ${uuid('9000', '(i / 10)')},
        case when i % 10 < 8 then 'removed' when i % 10 = 8 then 'no_action' end,
        case when i % 10 < 9 then ${at} + ((i % 97) * 3 + 10) * interval '1 minute' end
      from generate_series(0, ${N - 1}) as i`)
    .execute(db),
);
await step('clock pauses', () =>
  sql
    .raw(`insert into clock_pauses (id, notice_id, paused_at, resumed_at, reason)
      select ${uuid('8002', 'i')}, ${uuid('8000', 'i')}, ${at} + interval '5 minutes', ${at} + interval '65 minutes', 'clarification_requested'
      from generate_series(0, ${N - 1}, 20) as i`)
    .execute(db),
);
await step('decisions', () =>
  sql
    .raw(`insert into decisions (id, case_id, decided_by, outcome, grounds, territories, suspension, actions, irreversible,
        irreversible_acknowledged, automated_detection, automated_decision, language, status, created_at)
      select ${uuid('9001', 'c')}, ${uuid('9000', 'c')}, ${uuid('9009', '1')},
        case when c % 10 = 9 then 'no_action' when c % 50 = 3 then 'suspend' else 'remove' end,
        case when c % 3 = 0 then '{"incompatible":{"ground":"Terms","explanation":"Synthetic."}}'::jsonb
          else '{"illegal":{"legal_ground":"UU 5/2018","explanation":"Synthetic."}}'::jsonb end,
        '{}', case when c % 50 = 3 then '{"target":"account","until":null}'::jsonb else 'null'::jsonb end, '[]'::jsonb,
        false, false, c % 4 = 0, false, 'id', 'final', ${at.replaceAll('i *', '(c * 10) *')} + interval '30 minutes'
      from generate_series(0, ${C - 1}) as c`)
    .execute(db),
);
await step('enforcement actions', () =>
  sql
    .raw(`insert into enforcement_actions (id, decision_id, case_id, connector, type, subject, params, revertible, status,
        applied_at, created_at)
      select ${uuid('9002', 'c')}, ${uuid('9001', 'c')}, ${uuid('9000', 'c')}, 'webhook', 'hide_message', '{}'::jsonb, '{}'::jsonb,
        true, 'applied', ${at.replaceAll('i *', '(c * 10) *')} + interval '40 minutes', ${at.replaceAll('i *', '(c * 10) *')}
      from generate_series(0, ${C - 1}) as c where c % 10 <> 9`)
    .execute(db),
);
await step('appeals', () =>
  sql
    .raw(`insert into appeals (id, case_id, decision_id, appellant_type, appellant, grounds, status, decided_by, decided_at,
        outcome, reasons, created_at)
      select ${uuid('9003', 'c')}, ${uuid('9000', 'c')}, ${uuid('9001', 'c')}, 'affected_user', '{}'::jsonb, 'Synthetic.',
        'decided', ${uuid('9009', '2')}, ${at.replaceAll('i *', '(c * 10) *')} + interval '2 days',
        case when c % 5 = 0 then 'upheld' else 'rejected' end, 'Synthetic.', ${at.replaceAll('i *', '(c * 10) *')} + interval '1 day'
      from generate_series(0, ${C - 1}, 10) as c`)
    .execute(db),
);
await sql.raw(`set session_replication_role = origin`).execute(db);
await step('report times', async () => {
  await sql.raw('truncate report_notice_times').execute(db);
  await sql.raw(backfillReportNoticeTimes).execute(db);
});
await step('analyse', () => sql.raw('analyze').execute(db));
await store.close();
process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s: schema ${schema}\n`);
