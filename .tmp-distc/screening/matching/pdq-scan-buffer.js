import { PDQ_WORDS } from "../pdq/hash256.js";
import { instantiatePdqKernels } from "./pdq-kernels.js";
import { createMemory, WASM_PAGE } from "./wasm-runtime.js";
/**
 * The newest hashes, not yet in a segment: a fixed-capacity append-only block scanned in full by
 * the WebAssembly kernel (2,048 hashes take ~10 µs). This is what makes a hash matchable the
 * moment it is added, without rebuilding any table.
 */
export class PdqScanBuffer {
    capacity;
    count = 0;
    memory;
    kernels;
    queryAt = 0;
    matchesAt = 64;
    hashesAt;
    words;
    constructor(capacity) {
        this.capacity = capacity;
        this.hashesAt = this.matchesAt + capacity * 8;
        const bytes = this.hashesAt + capacity * PDQ_WORDS * 4;
        this.memory = createMemory(Math.max(1, Math.ceil(bytes / WASM_PAGE)));
        this.kernels = instantiatePdqKernels(this.memory);
        this.words = new Uint32Array(this.memory.buffer);
    }
    get size() {
        return this.count;
    }
    get isFull() {
        return this.count >= this.capacity;
    }
    get byteLength() {
        return this.memory.buffer.byteLength;
    }
    /** Appends a hash (8 words from `offset`) and returns its row. */
    append(hash, offset = 0) {
        if (this.isFull)
            throw new RangeError('the scan buffer is full: freeze it into a segment first');
        const at = (this.hashesAt >>> 2) + this.count * PDQ_WORDS;
        this.words.set(hash.subarray(offset, offset + PDQ_WORDS), at);
        return this.count++;
    }
    /** The hashes appended so far, row-major. */
    get hashes() {
        return this.words.subarray(this.hashesAt >>> 2, (this.hashesAt >>> 2) + this.count * PDQ_WORDS);
    }
    clear() {
        this.count = 0;
    }
    search(query, radius, visit) {
        if (this.count === 0 || radius < 0)
            return;
        this.words.set(query.subarray(0, PDQ_WORDS), this.queryAt >>> 2);
        const found = this.kernels.scan(this.hashesAt, 0, this.count, this.queryAt, radius, this.matchesAt, 0, this.capacity);
        const matches = this.words.subarray(this.matchesAt >>> 2, (this.matchesAt >>> 2) + found * 2);
        for (let i = 0; i < found; i++)
            visit(matches[2 * i], matches[2 * i + 1]);
    }
}
