import { ExactIndex } from './matching/exact-index.ts';
import { PDQ_DEFAULT_MAX_DISTANCE, PdqIndex, type PdqIndexOptions } from './matching/pdq-index.ts';
import { SimHashIndex } from './matching/simhash-index.ts';
import { PDQ_WORDS, pdqFromHex, pdqToHex } from './pdq/hash256.ts';
import { canonicalSignal, domainAndParents, type SignalType } from './signal-types.ts';
import { SIMHASH_NEAR_DUPLICATE_DISTANCE, simHashFromHex, simHashToHex } from './text/text-fingerprints.ts';

/** Meta's rule for PDQ: hashes of quality under 50 are too featureless to match on. */
export const PDQ_MIN_QUALITY = 50;

export interface BankedSignal {
  /** The caller's reference for the entry (a bank entry id): what matches report. */
  readonly ref: string;
  readonly type: SignalType;
  readonly value: string;
  /** PDQ quality, when known: hashes below the minimum are not indexed. */
  readonly quality?: number;
}

export interface SignalMatch {
  readonly ref: string;
  readonly type: SignalType;
  /** The banked value, in canonical form. */
  readonly value: string;
  /** Hamming distance for pdq and text_simhash; 0 for exact signals. */
  readonly distance: number;
}

export interface SignalMatcherOptions {
  readonly pdqMaxDistance?: number;
  readonly pdqMinQuality?: number;
  readonly simhashMaxDistance?: number;
  readonly pdq?: PdqIndexOptions;
}

export interface MatchOptions {
  readonly maxDistance?: number;
  /** Quality of a PDQ query: under the minimum it matches nothing. */
  readonly quality?: number;
}

type ExactType = Exclude<SignalType, 'pdq' | 'text_simhash'>;

/**
 * One in-memory index per signal type, behind one interface: what the bank layer rebuilds at
 * start and keeps up to date as entries are added and removed. Pure and synchronous; a banked
 * signal is matchable as soon as `add` returns.
 */
export class SignalMatcher {
  private readonly options: Required<Omit<SignalMatcherOptions, 'pdq'>>;
  private readonly pdq: PdqIndex;
  private readonly simhash = new SimHashIndex();
  private readonly exact: Record<ExactType, ExactIndex> = {
    md5: new ExactIndex(),
    sha256: new ExactIndex(),
    text_sha256: new ExactIndex(),
    url: new ExactIndex(),
    domain: new ExactIndex(),
  };
  /** Per type, the ref of each index id. */
  private readonly refs = new Map<SignalType, (string | undefined)[]>();
  private readonly byRef = new Map<string, [SignalType, number][]>();

  constructor(options: SignalMatcherOptions = {}) {
    this.options = {
      pdqMaxDistance: options.pdqMaxDistance ?? PDQ_DEFAULT_MAX_DISTANCE,
      pdqMinQuality: options.pdqMinQuality ?? PDQ_MIN_QUALITY,
      simhashMaxDistance: options.simhashMaxDistance ?? SIMHASH_NEAR_DUPLICATE_DISTANCE,
    };
    this.pdq = new PdqIndex(options.pdq);
  }

  /**
   * Indexes a signal. Returns false, indexing nothing, for a PDQ hash under the minimum quality.
   * Throws a TypeError for a malformed value.
   */
  add(signal: BankedSignal): boolean {
    const value = canonicalSignal(signal.type, signal.value);
    if (
      signal.type === 'pdq' &&
      signal.quality !== undefined &&
      signal.quality < this.options.pdqMinQuality
    ) {
      return false;
    }
    let id: number;
    if (signal.type === 'pdq') id = this.pdq.add(pdqFromHex(value));
    else if (signal.type === 'text_simhash') id = this.simhash.add(simHashFromHex(value));
    else id = this.exact[signal.type].add(value);
    const refs = this.refs.get(signal.type) ?? [];
    refs[id] = signal.ref;
    this.refs.set(signal.type, refs);
    this.byRef.set(signal.ref, [...(this.byRef.get(signal.ref) ?? []), [signal.type, id]]);
    return true;
  }

  /**
   * Indexes many signals at once: the PDQ hashes among them become one segment of the index
   * (one set of multi-index tables) rather than the log of merged segments that one-by-one
   * adds build, so a bank loaded at start is queried as fast as the index can be. Returns,
   * in order, whether each was indexed; a malformed value is reported in `rejected` with
   * its error instead of throwing, and the others are indexed.
   */
  addMany(
    signals: readonly BankedSignal[],
    rejected?: (signal: BankedSignal, error: unknown) => void,
  ): boolean[] {
    const indexed = signals.map(() => false);
    const pdq: { at: number; hash: Uint32Array }[] = [];
    signals.forEach((signal, at) => {
      if (signal.type !== 'pdq') {
        try {
          indexed[at] = this.add(signal);
        } catch (error) {
          rejected?.(signal, error);
        }
        return;
      }
      if (signal.quality !== undefined && signal.quality < this.options.pdqMinQuality) return;
      try {
        pdq.push({ at, hash: pdqFromHex(canonicalSignal('pdq', signal.value)) });
      } catch (error) {
        rejected?.(signal, error);
      }
    });
    if (pdq.length === 0) return indexed;
    const hashes = new Uint32Array(pdq.length * PDQ_WORDS);
    for (const [row, { hash }] of pdq.entries()) hashes.set(hash, row * PDQ_WORDS);
    const firstId = this.pdq.addMany(hashes);
    const refs = this.refs.get('pdq') ?? [];
    pdq.forEach(({ at }, row) => {
      const { ref } = signals[at] as BankedSignal;
      refs[firstId + row] = ref;
      this.byRef.set(ref, [...(this.byRef.get(ref) ?? []), ['pdq', firstId + row]]);
      indexed[at] = true;
    });
    this.refs.set('pdq', refs);
    return indexed;
  }

  /** Removes every signal added under `ref`; returns how many. */
  remove(ref: string): number {
    const entries = this.byRef.get(ref) ?? [];
    for (const [type, id] of entries) {
      if (type === 'pdq') this.pdq.remove(id);
      else if (type === 'text_simhash') this.simhash.remove(id);
      else this.exact[type].remove(id);
      const refs = this.refs.get(type);
      if (refs) refs[id] = undefined;
    }
    this.byRef.delete(ref);
    return entries.length;
  }

  /** Banked signals matching `value`: within the type's distance for pdq and text_simhash. */
  match(type: SignalType, value: string, options: MatchOptions = {}): SignalMatch[] {
    const canonical = canonicalSignal(type, value);
    if (type === 'pdq') {
      if (options.quality !== undefined && options.quality < this.options.pdqMinQuality) return [];
      const found = this.pdq.query(pdqFromHex(canonical), options.maxDistance ?? this.options.pdqMaxDistance);
      return found.map((m) =>
        this.result(type, m.id, pdqToHex(this.pdq.hashOf(m.id) ?? new Uint32Array(PDQ_WORDS)), m.distance),
      );
    }
    if (type === 'text_simhash') {
      const found = this.simhash.query(
        simHashFromHex(canonical),
        options.maxDistance ?? this.options.simhashMaxDistance,
      );
      return found.map((m) => {
        const hash = this.simhash.hashOf(m.id);
        return this.result(type, m.id, hash ? simHashToHex(hash) : canonical, m.distance);
      });
    }
    return this.exact[type].query(canonical).map((id) => this.result(type, id, canonical, 0));
  }

  /** A link checked against the url bank and its host (and parent domains) against the domain bank. */
  matchUrl(url: string): SignalMatch[] {
    const canonical = canonicalSignal('url', url);
    const host = new URL(canonical).hostname;
    return [
      ...this.match('url', canonical),
      ...domainAndParents(host).flatMap((domain) => this.match('domain', domain)),
    ];
  }

  /** Indexed signals per type. */
  get sizes(): Record<SignalType, number> {
    return {
      pdq: this.pdq.size,
      text_simhash: this.simhash.size,
      md5: this.exact.md5.size,
      sha256: this.exact.sha256.size,
      text_sha256: this.exact.text_sha256.size,
      url: this.exact.url.size,
      domain: this.exact.domain.size,
    };
  }

  private result(type: SignalType, id: number, value: string, distance: number): SignalMatch {
    return { ref: this.refs.get(type)?.[id] ?? '', type, value, distance };
  }
}
