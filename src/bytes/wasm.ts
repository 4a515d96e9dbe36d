/**
 * Loading the project's WebAssembly kernels (the detectors' first pass, the
 * wrapped-base64 joint search): each is committed as base64 of its assembled
 * bytes, compiled once per process and instantiated per user. Where
 * WebAssembly is missing or refuses a module, callers get null and keep
 * their JavaScript loop, which computes the same result.
 */

/** The part of the WebAssembly API used here (the project's lib settings declare no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const compiled = new Map<string, object | null>();

/** A fresh instance's exports of the module whose bytes are `base64`, or null (no WebAssembly here). */
export function instantiateKernel(base64: string): Record<string, unknown> | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  let mod = compiled.get(base64);
  if (mod === undefined) {
    try {
      mod = new api.Module(Buffer.from(base64, 'base64'));
    } catch {
      mod = null;
    }
    compiled.set(base64, mod);
  }
  if (mod === null) return null;
  try {
    return new api.Instance(mod, {}).exports;
  } catch {
    return null;
  }
}
