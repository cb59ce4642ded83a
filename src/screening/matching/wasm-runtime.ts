/**
 * The slice of the WebAssembly JS API the matcher uses. Node provides it, but the project's
 * TypeScript lib (ES2023, no DOM) declares none of it; typing it here, rather than declaring
 * globals, keeps us from clashing with a lib that does.
 */
export interface WasmMemory {
  /** Replaced (and the old one detached) whenever the memory grows. */
  readonly buffer: ArrayBuffer;
  /** Adds pages; returns the previous size in pages. */
  grow(pages: number): number;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: object };
}

const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const WASM_PAGE = 65_536;

/** A memory of `pages` pages that may grow to `maximumPages` (4 GiB at most, the 32-bit limit). */
export function createMemory(pages: number, maximumPages = pages): WasmMemory {
  return new api.Memory({ initial: pages, maximum: maximumPages });
}

export function compileModule(bytes: Uint8Array): object {
  return new api.Module(bytes);
}

export function instantiate(module: object, memory: WasmMemory): object {
  return new api.Instance(module, { env: { memory } }).exports;
}
