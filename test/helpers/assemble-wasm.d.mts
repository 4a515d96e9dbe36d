/** Types of assemble-wasm.mjs (a plain script, so it also runs with node alone). */
export interface Kernel {
  wat: string;
  bytesModule: string;
  constName: string;
  what: string;
}
export const KERNELS: { firstPass: Kernel; joints: Kernel };
export function assembledModuleSource(kernel: Kernel): Promise<string>;
