import { PDQ_WORDS } from '../pdq/hash256.ts';
import { instantiatePdqKernels, type PdqKernels } from './pdq-kernels.ts';
import type { RowVisitor } from './pdq-segment.ts';
import { createMemory, WASM_PAGE, type WasmMemory } from './wasm-runtime.ts';

/**
 * The newest hashes, not yet in a segment: a fixed-capacity append-only block scanned in full by
 * the WebAssembly kernel (2,048 hashes take ~10 µs). This is what makes a hash matchable the
 * moment it is added, without rebuilding any table.
 */
export class PdqScanBuffer {
  readonly capacity: number;
  private count = 0;
  private readonly memory: WasmMemory;
  private readonly kernels: PdqKernels;
  private readonly queryAt = 0;
  private readonly matchesAt = 64;
  private readonly hashesAt: number;
  private readonly words: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.hashesAt = this.matchesAt + capacity * 8;
    const bytes = this.hashesAt + capacity * PDQ_WORDS * 4;
    this.memory = createMemory(Math.max(1, Math.ceil(bytes / WASM_PAGE)));
    this.kernels = instantiatePdqKernels(this.memory);
    this.words = new Uint32Array(this.memory.buffer);
  }

  get size(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count >= this.capacity;
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Appends a hash (8 words from `offset`) and returns its row. */
  append(hash: Uint32Array, offset = 0): number {
    if (this.isFull) throw new RangeError('the scan buffer is full: freeze it into a segment first');
    const at = (this.hashesAt >>> 2) + this.count * PDQ_WORDS;
    this.words.set(hash.subarray(offset, offset + PDQ_WORDS), at);
    return this.count++;
  }

  /** The hashes appended so far, row-major. */
  get hashes(): Uint32Array {
    return this.words.subarray(this.hashesAt >>> 2, (this.hashesAt >>> 2) + this.count * PDQ_WORDS);
  }

  clear(): void {
    this.count = 0;
  }

  search(query: Uint32Array, radius: number, visit: RowVisitor): void {
    if (this.count === 0 || radius < 0) return;
    this.words.set(query.subarray(0, PDQ_WORDS), this.queryAt >>> 2);
    const found = this.kernels.scan(
      this.hashesAt,
      0,
      this.count,
      this.queryAt,
      radius,
      this.matchesAt,
      0,
      this.capacity,
    );
    const matches = this.words.subarray(this.matchesAt >>> 2, (this.matchesAt >>> 2) + found * 2);
    for (let i = 0; i < found; i++) visit(matches[2 * i] as number, matches[2 * i + 1] as number);
  }
}
