const api = globalThis.WebAssembly;
export const WASM_PAGE = 65_536;
/** A memory of `pages` pages that may grow to `maximumPages` (4 GiB at most, the 32-bit limit). */
export function createMemory(pages, maximumPages = pages) {
    return new api.Memory({ initial: pages, maximum: maximumPages });
}
export function compileModule(bytes) {
    return new api.Module(bytes);
}
export function instantiate(module, memory) {
    return new api.Instance(module, { env: { memory } }).exports;
}
