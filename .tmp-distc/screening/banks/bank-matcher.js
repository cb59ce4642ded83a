import { sql } from 'kysely';
import { SignalMatcher } from "../signal-matcher.js";
import { ENTRY_FIELDS } from "./bank-store.js";
const PAGE = 20_000;
/**
 * Sequence numbers are taken when a row is written but become visible when its transaction
 * commits, so a later number can be seen before an earlier one. Each poll therefore reads
 * again the last WINDOW numbers, and applies only the changes it has not applied yet.
 */
const WINDOW = 1_000;
/** What the matcher keeps of a bank entry: its bank, its signal and its provenance. */
const ENTRY_COLUMNS = [...ENTRY_FIELDS, 'bank_id'];
export class BankMatcher {
    db;
    log;
    matcher = new SignalMatcher();
    provenance = new Map();
    banks = new Map();
    recentBanks = [];
    lastSeq = 0;
    /** The change_seq applied per entry within the window, so a re-read applies nothing twice. */
    recent = new Map();
    loaded = false;
    refreshing = null;
    timer = null;
    constructor(db, log) {
        this.db = db;
        this.log = log;
    }
    /** Loads every live entry, in pages. */
    async load() {
        const matcher = new SignalMatcher();
        this.provenance.clear();
        const top = await sql `select case when is_called then last_value else 0 end as seq from bank_change_seq`.execute(this.db);
        const seq = Number(top.rows[0]?.seq ?? 0);
        let after = '';
        for (;;) {
            const rows = await this.db
                .selectFrom('bank_entries')
                .select(ENTRY_COLUMNS)
                .where('removed_at', 'is', null)
                .where('id', '>', after || '00000000-0000-0000-0000-000000000000')
                .orderBy('id')
                .limit(PAGE)
                .execute();
            for (const row of rows)
                this.index(matcher, row);
            if (rows.length < PAGE)
                break;
            after = rows[rows.length - 1].id;
        }
        this.matcher = matcher;
        await this.loadBanks();
        this.lastSeq = seq;
        this.loaded = true;
    }
    /** Loads the banks once; later calls return at once. */
    async ready() {
        if (!this.loaded)
            await this.refresh();
    }
    /** Applies the changes made since the last load or refresh (by any process). */
    refresh() {
        this.refreshing ??= this.applyChanges().finally(() => {
            this.refreshing = null;
        });
        return this.refreshing;
    }
    /** Follows changes every `everyMs` until stopped. */
    follow(everyMs = 500) {
        const tick = () => {
            this.timer = setTimeout(() => {
                this.refresh()
                    .catch((error) => this.log?.error({ err: error }, 'bank refresh failed'))
                    .finally(tick);
            }, everyMs);
        };
        tick();
    }
    stop() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = null;
    }
    async applyChanges() {
        if (!this.loaded)
            return this.load();
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
            if (this.recent.get(row.id) === row.change_seq)
                continue;
            this.recent.set(row.id, row.change_seq);
            this.matcher.remove(row.id);
            this.provenance.delete(row.id);
            if (!row.removed_at)
                this.index(this.matcher, row);
            this.lastSeq = Math.max(this.lastSeq, row.change_seq);
        }
        for (const [id, seq] of this.recent)
            if (seq <= this.lastSeq - WINDOW)
                this.recent.delete(id);
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
        if (changed.length === PAGE)
            await this.applyChanges();
    }
    async loadBanks() {
        const banks = await this.db
            .selectFrom('banks')
            .select(['id', 'name', 'enabled', 'policy', 'auto_action'])
            .execute();
        this.banks = new Map(banks.map((b) => [b.id, { ...b, auto_action: b.auto_action }]));
    }
    index(matcher, row) {
        try {
            const added = matcher.add({
                ref: row.id,
                type: row.signal_type,
                value: row.value,
                ...(row.quality === null ? {} : { quality: row.quality }),
            });
            if (!added)
                return;
            this.provenance.set(row.id, {
                entry_id: row.id,
                bank_id: row.bank_id,
                source: row.source,
                added_by: row.added_by,
                added_at: row.added_at,
                case_id: row.case_id,
                note: row.note,
            });
        }
        catch (error) {
            this.log?.warn({ entry_id: row.id, err: error }, 'bank entry not indexed');
        }
    }
    /** Matches of one signal in enabled banks, closest first. */
    match(type, value, options = {}) {
        return this.enrich(this.matcher.match(type, value, options));
    }
    /** A link against the url bank, and its host and parent domains against the domain bank. */
    matchUrl(url) {
        return this.enrich(this.matcher.matchUrl(url));
    }
    get sizes() {
        return this.matcher.sizes;
    }
    enrich(matches) {
        const out = [];
        for (const m of matches) {
            const provenance = this.provenance.get(m.ref);
            const bank = provenance && this.banks.get(provenance.bank_id);
            if (!provenance || !bank?.enabled)
                continue;
            const { enabled: _, ...bankView } = bank;
            out.push({ signal_type: m.type, value: m.value, distance: m.distance, bank: bankView, provenance });
        }
        return out.sort((a, b) => a.distance - b.distance);
    }
}
