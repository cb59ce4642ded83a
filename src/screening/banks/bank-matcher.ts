import { type Selectable, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../store/db.ts';
import type { AutoAction, BankEntriesTable } from '../../store/schema/index.ts';
import { type BankedSignal, type SignalMatch, SignalMatcher } from '../signal-matcher.ts';
import type { SignalType } from '../signal-types.ts';
import { ENTRY_FIELDS } from './bank-store.ts';

/**
 * The banks, in memory: one SignalMatcher holding every live entry, rebuilt from the
 * database at start and kept up to date by following `change_seq` (insertions, removals,
 * and bank changes each take the next number). Each process polls every half second, and a
 * change made through this process is applied at once, so a newly banked hash is
 * matchable within a second everywhere.
 */
export interface BankInfo {
  id: string;
  name: string;
  enabled: boolean;
  policy: 'review' | 'auto_action';
  auto_action: AutoAction | null;
}

export interface Provenance {
  entry_id: string;
  bank_id: string;
  source: string;
  added_by: string;
  added_at: Date;
  case_id: string | null;
  note: string | null;
}

export interface BankMatch {
  signal_type: SignalType;
  value: string;
  distance: number;
  bank: Omit<BankInfo, 'enabled'>;
  provenance: Provenance;
}

const PAGE = 20_000;
/**
 * Sequence numbers are taken when a row is written but become visible when its transaction
 * commits, so a later number can be seen before an earlier one. Each poll therefore reads
 * again the last WINDOW numbers, and applies only the changes it has not applied yet.
 */
const WINDOW = 1_000;

/** What the matcher keeps of a bank entry: its bank, its signal and its provenance. */
const ENTRY_COLUMNS = [...ENTRY_FIELDS, 'bank_id'] as const;
type EntryRow = Pick<Selectable<BankEntriesTable>, (typeof ENTRY_COLUMNS)[number]>;

function signalOf(row: EntryRow): BankedSignal {
  return {
    ref: row.id,
    type: row.signal_type as SignalType,
    value: row.value,
    ...(row.quality === null ? {} : { quality: row.quality }),
  };
}

function provenanceOf(row: EntryRow): Provenance {
  return {
    entry_id: row.id,
    bank_id: row.bank_id,
    source: row.source,
    added_by: row.added_by,
    added_at: row.added_at,
    case_id: row.case_id,
    note: row.note,
  };
}

export class BankMatcher {
  private matcher = new SignalMatcher();
  private readonly provenance = new Map<string, Provenance>();
  private banks = new Map<string, BankInfo>();
  private recentBanks: number[] = [];
  private lastSeq = 0;
  /** The change_seq applied per entry within the window, so a re-read applies nothing twice. */
  private recent = new Map<string, number>();
  private loaded = false;
  private refreshing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly log?: Logger,
  ) {}

  /** Loads every live entry, in pages. */
  async load(): Promise<void> {
    const matcher = new SignalMatcher();
    this.provenance.clear();
    const top = await sql<{
      seq: string | number;
    }>`select case when is_called then last_value else 0 end as seq from bank_change_seq`.execute(this.db);
    const seq = Number(top.rows[0]?.seq ?? 0);
    let after = '';
    // Indexed together at the end: one bulk add builds one PDQ segment (SignalMatcher.addMany).
    const rowsToIndex: EntryRow[] = [];
    for (;;) {
      const rows = await this.db
        .selectFrom('bank_entries')
        .select(ENTRY_COLUMNS)
        .where('removed_at', 'is', null)
        .where('id', '>', after || '00000000-0000-0000-0000-000000000000')
        .orderBy('id')
        .limit(PAGE)
        .execute();
      rowsToIndex.push(...rows);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    const indexed = matcher.addMany(rowsToIndex.map(signalOf), (signal, error) =>
      this.log?.warn({ entry_id: signal.ref, err: error }, 'bank entry not indexed'),
    );
    rowsToIndex.forEach((row, at) => {
      if (indexed[at]) this.provenance.set(row.id, provenanceOf(row));
    });
    this.matcher = matcher;
    await this.loadBanks();
    this.lastSeq = seq;
    this.loaded = true;
  }

  /** Loads the banks once; later calls return at once. */
  async ready(): Promise<void> {
    if (!this.loaded) await this.refresh();
  }

  /** Applies the changes made since the last load or refresh (by any process). */
  refresh(): Promise<void> {
    this.refreshing ??= this.applyChanges().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Follows changes every `everyMs` until stopped. */
  follow(everyMs = 500): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((error) => this.log?.error({ err: error }, 'bank refresh failed'))
          .finally(tick);
      }, everyMs);
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async applyChanges(): Promise<void> {
    if (!this.loaded) return this.load();
    const since = Math.max(0, this.lastSeq - WINDOW);
    const changed = await this.db
      .selectFrom('bank_entries')
      .select([...ENTRY_COLUMNS, 'removed_at', 'change_seq'])
      .where('change_seq', '>', since)
      .orderBy('change_seq')
      .limit(PAGE)
      .execute();
    const bankChanged = await this.db
      .selectFrom('banks')
      .select('id')
      .where('change_seq', '>', since)
      .where('change_seq', 'not in', [...this.recentBanks, -1])
      .executeTakeFirst();
    for (const row of changed) {
      if (this.recent.get(row.id) === row.change_seq) continue;
      this.recent.set(row.id, row.change_seq);
      this.matcher.remove(row.id);
      this.provenance.delete(row.id);
      if (!row.removed_at) this.index(this.matcher, row);
      this.lastSeq = Math.max(this.lastSeq, row.change_seq);
    }
    for (const [id, seq] of this.recent) if (seq <= this.lastSeq - WINDOW) this.recent.delete(id);
    if (bankChanged) {
      await this.loadBanks();
      const seqs = await this.db
        .selectFrom('banks')
        .select('change_seq')
        .where('change_seq', '>', since)
        .execute();
      this.recentBanks = seqs.map((b) => b.change_seq);
      this.lastSeq = Math.max(this.lastSeq, ...this.recentBanks);
    }
    if (changed.length === PAGE) await this.applyChanges();
  }

  private async loadBanks(): Promise<void> {
    const banks = await this.db
      .selectFrom('banks')
      .select(['id', 'name', 'enabled', 'policy', 'auto_action'])
      .execute();
    this.banks = new Map(banks.map((b) => [b.id, { ...b, auto_action: b.auto_action as AutoAction | null }]));
  }

  private index(matcher: SignalMatcher, row: EntryRow): void {
    try {
      if (matcher.add(signalOf(row))) this.provenance.set(row.id, provenanceOf(row));
    } catch (error) {
      this.log?.warn({ entry_id: row.id, err: error }, 'bank entry not indexed');
    }
  }

  /** Matches of one signal in enabled banks, closest first. */
  match(
    type: SignalType,
    value: string,
    options: { maxDistance?: number; quality?: number } = {},
  ): BankMatch[] {
    return this.enrich(this.matcher.match(type, value, options));
  }

  /** A link against the url bank, and its host and parent domains against the domain bank. */
  matchUrl(url: string): BankMatch[] {
    return this.enrich(this.matcher.matchUrl(url));
  }

  get sizes() {
    return this.matcher.sizes;
  }

  private enrich(matches: SignalMatch[]): BankMatch[] {
    const out: BankMatch[] = [];
    for (const m of matches) {
      const provenance = this.provenance.get(m.ref);
      const bank = provenance && this.banks.get(provenance.bank_id);
      if (!provenance || !bank?.enabled) continue;
      const { enabled: _, ...bankView } = bank;
      out.push({ signal_type: m.type, value: m.value, distance: m.distance, bank: bankView, provenance });
    }
    return out.sort((a, b) => a.distance - b.distance);
  }
}
