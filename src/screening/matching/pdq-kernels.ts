import { probeKernel } from './pdq-probe-kernel.ts';
import { scanKernel } from './pdq-scan-kernel.ts';
import { assembleModule } from './wasm-assembler.ts';
import { compileModule, instantiate, type WasmMemory } from './wasm-runtime.ts';

/**
 * The PDQ matcher's hot loops, in WebAssembly for its native 64-bit popcount: a candidate check is
 * ~4 instructions per 64 bits instead of ~12 for a JS bit-twiddling popcount, and a brute-force
 * scan runs at ~4 ns a hash instead of ~20 (measured on the 2 GHz benchmark machine).
 *
 * Two kernels, built into one module: a scan of every hash (pdq-scan-kernel.ts) and a
 * multi-index probe (pdq-probe-kernel.ts). Both write matches as (row: u32, distance: u32) pairs
 * at `out` and return how many there are, or −1 if `outCap` would be exceeded (the caller then
 * falls back to a scan in pieces). Hashes are 32 bytes each, in the word order of PdqHash
 * (little-endian words), starting at `hashes`; the query is 32 bytes at `query`.
 */

export interface PdqKernels {
  scan(
    hashes: number,
    first: number,
    end: number,
    query: number,
    radius: number,
    out: number,
    outCount: number,
    outCap: number,
  ): number;
  probe(
    hashes: number,
    plan: number,
    chunks: number,
    masks: number,
    query: number,
    radius: number,
    records: number,
    cands: number,
    candCap: number,
    out: number,
    outCap: number,
    shuffles: number,
    lanes: number,
    weightEnds: number,
    runEnds: number,
    seen: number,
    generation: number,
    dedupeMin: number,
  ): number;
}

let compiled: object | null = null;

/** The kernels bound to one memory (each index segment has its own, freed with it). */
export function instantiatePdqKernels(memory: WasmMemory): PdqKernels {
  compiled ??= compileModule(assembleModule([scanKernel(), probeKernel()]));
  return instantiate(compiled, memory) as PdqKernels;
}
