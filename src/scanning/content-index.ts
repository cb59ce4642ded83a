import { sql } from 'kysely';
import { PDQ_DEFAULT_MAX_DISTANCE, PdqIndex } from '../screening/matching/pdq-index.ts';
import { PDQ_WORDS, pdqFromHex } from '../screening/pdq/hash256.ts';
import type { Db } from '../store/db.ts';

/**
 * The content index: the hashes of scanned posts (never their content), in memory, in the
 * same exact matcher the banks use (PDQ radius search by multi-index hashing; exact maps for
 * MD5, SHA-256 and the normalised-text hash). A sweep asks it for every post a new bank entry
 * matches. It holds only `content_hashes` row numbers: the post behind a row is read back
 * from the database, so a post deleted or past retention since is simply not found.
 *
 * It follows `content_hashes.seq`. Numbers become visible when their transaction commits,
 * so a number skipped over may still arrive: each refresh asks again for the gaps of the
 * last minute (a rolled-back transaction's numbers never come; they are dropped then).
 */
export type IndexedSignal = 'pdq' | 'md5' | 'sha256' | 'text_sha256';
export const INDEXED_SIGNALS: readonly IndexedSignal[] = ['pdq', 'md5', 'sha256', 'text_sha256'];

const PAGE = 50_000;
const GAP_TTL_MS = 60_000;
const MAX_GAP = 20_000;

export interface IndexHit {
  seq: number;
  distance: number;
}

export class ContentIndex {
  private pdq = new PdqIndex();
  /** PDQ index id → content_hashes.seq. */
  private pdqSeqs = new Float64Array(1024);
  private exact = new Map<string, number[]>();
  private lastSeq = 0;
  private gaps = new Map<number, number>();
  private refreshing: Promise<void> | null = null;

  constructor(private readonly db: Db | null) {}

  get size(): number {
    let n = this.pdq.size;
    for (const list of this.exact.values()) n += list.length;
    return n;
  }

  /** Adds one hash under its row number (for the loader, and for benchmarks that skip the database). */
  add(type: IndexedSignal, value: string, seq: number): void {
    if (type === 'pdq') {
      const id = this.pdq.add(pdqFromHex(value));
      this.seqAt(id, seq);
      return;
    }
    const key = `${type}:${value}`;
    const list = this.exact.get(key);
    if (list) list.push(seq);
    else this.exact.set(key, [seq]);
  }

  /** Adds many PDQ hashes (8 words each) with consecutive row numbers from `firstSeq`. */
  addPdqMany(hashes: Uint32Array, firstSeq: number): void {
    const first = this.pdq.addMany(hashes);
    const count = hashes.length / PDQ_WORDS;
    this.seqAt(first + count - 1, firstSeq + count - 1);
    for (let i = 0; i < count; i++) this.pdqSeqs[first + i] = firstSeq + i;
  }

  /** Row numbers of indexed hashes matching `value`: within `maxDistance` for PDQ, equal otherwise. */
  match(type: IndexedSignal, value: string, maxDistance = PDQ_DEFAULT_MAX_DISTANCE): IndexHit[] {
    if (type === 'pdq') {
      return this.pdq
        .query(pdqFromHex(value), maxDistance)
        .map((m) => ({ seq: this.pdqSeqs[m.id]!, distance: m.distance }));
    }
    return (this.exact.get(`${type}:${value}`) ?? []).map((seq) => ({ seq, distance: 0 }));
  }

  /** Reads the rows committed since the last refresh (one at a time: callers share it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNew().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readNew(): Promise<void> {
    if (!this.db) return;
    const now = Date.now();
    for (const [seq, seen] of this.gaps) if (now - seen > GAP_TTL_MS) this.gaps.delete(seq);
    for (;;) {
      const gaps = [...this.gaps.keys()];
      const rows = await this.db
        .selectFrom('content_hashes')
        .select(['seq', 'signal_type', 'value'])
        .where((eb) =>
          gaps.length
            ? eb.or([eb('seq', '>', this.lastSeq), eb('seq', '=', sql<number>`any(${gaps}::bigint[])`)])
            : eb('seq', '>', this.lastSeq),
        )
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        if (this.gaps.has(seq)) this.gaps.delete(seq);
        else if (seq <= this.lastSeq) continue;
        else {
          // Numbers still in flight are a few batches' worth; a wider hole is deleted rows.
          if (this.lastSeq > 0 && seq - this.lastSeq <= MAX_GAP)
            for (let missing = this.lastSeq + 1; missing < seq; missing++) this.gaps.set(missing, now);
          this.lastSeq = seq;
        }
        this.add(row.signal_type as IndexedSignal, row.value, seq);
      }
      if (rows.length < PAGE) return;
    }
  }

  private seqAt(id: number, seq: number): void {
    if (id >= this.pdqSeqs.length) {
      const grown = new Float64Array(Math.max(id + 1, this.pdqSeqs.length * 2));
      grown.set(this.pdqSeqs);
      this.pdqSeqs = grown;
    }
    this.pdqSeqs[id] = seq;
  }
}
