import { probeKernel } from "./pdq-probe-kernel.js";
import { scanKernel } from "./pdq-scan-kernel.js";
import { assembleModule } from "./wasm-assembler.js";
import { compileModule, instantiate } from "./wasm-runtime.js";
let compiled = null;
/** The kernels bound to one memory (each index segment has its own, freed with it). */
export function instantiatePdqKernels(memory) {
    compiled ??= compileModule(assembleModule([scanKernel(), probeKernel()]));
    return instantiate(compiled, memory);
}
