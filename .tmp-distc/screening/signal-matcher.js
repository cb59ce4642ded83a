import { ExactIndex } from "./matching/exact-index.js";
import { PDQ_DEFAULT_MAX_DISTANCE, PdqIndex } from "./matching/pdq-index.js";
import { SimHashIndex } from "./matching/simhash-index.js";
import { PDQ_WORDS, pdqFromHex, pdqToHex } from "./pdq/hash256.js";
import { canonicalSignal, domainAndParents } from "./signal-types.js";
import { SIMHASH_NEAR_DUPLICATE_DISTANCE, simHashFromHex, simHashToHex } from "./text/text-fingerprints.js";
/** Meta's rule for PDQ: hashes of quality under 50 are too featureless to match on. */
export const PDQ_MIN_QUALITY = 50;
/**
 * One in-memory index per signal type, behind one interface: what the bank layer rebuilds at
 * start and keeps up to date as entries are added and removed. Pure and synchronous; a banked
 * signal is matchable as soon as `add` returns.
 */
export class SignalMatcher {
    options;
    pdq;
    simhash = new SimHashIndex();
    exact = {
        md5: new ExactIndex(),
        sha256: new ExactIndex(),
        text_sha256: new ExactIndex(),
        url: new ExactIndex(),
        domain: new ExactIndex(),
    };
    /** Per type, the ref of each index id. */
    refs = new Map();
    byRef = new Map();
    constructor(options = {}) {
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
    add(signal) {
        const value = canonicalSignal(signal.type, signal.value);
        if (signal.type === 'pdq' &&
            signal.quality !== undefined &&
            signal.quality < this.options.pdqMinQuality) {
            return false;
        }
        let id;
        if (signal.type === 'pdq')
            id = this.pdq.add(pdqFromHex(value));
        else if (signal.type === 'text_simhash')
            id = this.simhash.add(simHashFromHex(value));
        else
            id = this.exact[signal.type].add(value);
        const refs = this.refs.get(signal.type) ?? [];
        refs[id] = signal.ref;
        this.refs.set(signal.type, refs);
        this.byRef.set(signal.ref, [...(this.byRef.get(signal.ref) ?? []), [signal.type, id]]);
        return true;
    }
    /** Removes every signal added under `ref`; returns how many. */
    remove(ref) {
        const entries = this.byRef.get(ref) ?? [];
        for (const [type, id] of entries) {
            if (type === 'pdq')
                this.pdq.remove(id);
            else if (type === 'text_simhash')
                this.simhash.remove(id);
            else
                this.exact[type].remove(id);
            const refs = this.refs.get(type);
            if (refs)
                refs[id] = undefined;
        }
        this.byRef.delete(ref);
        return entries.length;
    }
    /** Banked signals matching `value`: within the type's distance for pdq and text_simhash. */
    match(type, value, options = {}) {
        const canonical = canonicalSignal(type, value);
        if (type === 'pdq') {
            if (options.quality !== undefined && options.quality < this.options.pdqMinQuality)
                return [];
            const found = this.pdq.query(pdqFromHex(canonical), options.maxDistance ?? this.options.pdqMaxDistance);
            return found.map((m) => this.result(type, m.id, pdqToHex(this.pdq.hashOf(m.id) ?? new Uint32Array(PDQ_WORDS)), m.distance));
        }
        if (type === 'text_simhash') {
            const found = this.simhash.query(simHashFromHex(canonical), options.maxDistance ?? this.options.simhashMaxDistance);
            return found.map((m) => {
                const hash = this.simhash.hashOf(m.id);
                return this.result(type, m.id, hash ? simHashToHex(hash) : canonical, m.distance);
            });
        }
        return this.exact[type].query(canonical).map((id) => this.result(type, id, canonical, 0));
    }
    /** A link checked against the url bank and its host (and parent domains) against the domain bank. */
    matchUrl(url) {
        const canonical = canonicalSignal('url', url);
        const host = new URL(canonical).hostname;
        return [
            ...this.match('url', canonical),
            ...domainAndParents(host).flatMap((domain) => this.match('domain', domain)),
        ];
    }
    /** Indexed signals per type. */
    get sizes() {
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
    result(type, id, value, distance) {
        return { ref: this.refs.get(type)?.[id] ?? '', type, value, distance };
    }
}
