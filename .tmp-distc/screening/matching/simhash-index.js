import { popcount32 } from "../pdq/hash256.js";
import { SIMHASH_NEAR_DUPLICATE_DISTANCE } from "../text/text-fingerprints.js";
import { ballSize, chunkThresholds, flipMasks } from "./pdq-chunks.js";
const CHUNKS = 4;
const CHUNK_BITS = 16;
/** Beyond this many probes per chunk a linear scan is cheaper, and as exact. */
const MAX_PROBES_PER_CHUNK = 5_000;
/**
 * Exact Hamming-radius search over 64-bit SimHashes: the multi-index argument of the PDQ index
 * (see pdq-chunks.ts) with four 16-bit chunks in hash maps, so that adds and removals are
 * immediate. At the near-duplicate threshold (10) each chunk is probed within 2 bits: 137 keys.
 * Text banks are small next to image banks, so this stays in plain TypeScript.
 */
export class SimHashIndex {
    high = [];
    low = [];
    alive = [];
    tables = Array.from({ length: CHUNKS }, () => new Map());
    masks = flipMasks(CHUNK_BITS, 3);
    live = 0;
    get size() {
        return this.live;
    }
    add(hash) {
        const id = this.high.length;
        this.high.push(hash.high >>> 0);
        this.low.push(hash.low >>> 0);
        this.alive.push(true);
        for (let chunk = 0; chunk < CHUNKS; chunk++) {
            const key = chunkOf(hash, chunk);
            const table = this.tables[chunk];
            const ids = table.get(key);
            if (ids)
                ids.push(id);
            else
                table.set(key, [id]);
        }
        this.live++;
        return id;
    }
    remove(id) {
        if (!this.alive[id])
            return false;
        this.alive[id] = false;
        const hash = { high: this.high[id], low: this.low[id] };
        for (let chunk = 0; chunk < CHUNKS; chunk++) {
            const table = this.tables[chunk];
            const key = chunkOf(hash, chunk);
            const ids = (table.get(key) ?? []).filter((other) => other !== id);
            if (ids.length > 0)
                table.set(key, ids);
            else
                table.delete(key);
        }
        this.live--;
        return true;
    }
    hashOf(id) {
        return this.alive[id] ? { high: this.high[id], low: this.low[id] } : null;
    }
    /** Every live hash within `maxDistance` of `query`, nearest first (then by id). */
    query(query, maxDistance = SIMHASH_NEAR_DUPLICATE_DISTANCE) {
        if (maxDistance < 0)
            return [];
        const thresholds = chunkThresholds(maxDistance, CHUNKS);
        const probes = Math.max(...[...thresholds].map((t) => (t < 0 ? 0 : ballSize(CHUNK_BITS, t))));
        const matches = [];
        const seen = new Set();
        const consider = (id) => {
            if (seen.has(id) || !this.alive[id])
                return;
            seen.add(id);
            const distance = popcount32((this.high[id] ^ query.high) >>> 0) +
                popcount32((this.low[id] ^ query.low) >>> 0);
            if (distance <= maxDistance)
                matches.push({ id, distance });
        };
        if (probes > MAX_PROBES_PER_CHUNK || Math.max(...thresholds) > 3) {
            for (let id = 0; id < this.high.length; id++)
                consider(id);
        }
        else {
            thresholds.forEach((t, chunk) => {
                if (t < 0)
                    return;
                const key = chunkOf(query, chunk);
                const table = this.tables[chunk];
                const count = ballSize(CHUNK_BITS, t);
                for (let m = 0; m < count; m++) {
                    for (const id of table.get((key ^ this.masks[m]) >>> 0) ?? [])
                        consider(id);
                }
            });
        }
        return matches.sort((a, b) => a.distance - b.distance || a.id - b.id);
    }
}
function chunkOf(hash, chunk) {
    const word = chunk < 2 ? hash.low : hash.high;
    return (chunk % 2 === 0 ? word : word >>> 16) & 0xffff;
}
