// wasm.js: loads the crate's WebAssembly module for a worker.

/**
 * Imports the bindings and instantiates the module, taking the binary from the HTTP cache when
 * the page has fetched it already: the server says "no-cache", which would otherwise make each
 * worker download it again. A failure is thrown as a WasmLoadError naming the file at fault.
 */
export async function loadWasm() {
  let module;
  try {
    module = await import("./pkg/distill.js");
  } catch (err) {
    throw new WasmLoadError("pkg/distill.js", err);
  }
  const url = new URL("./pkg/distill_bg.wasm", import.meta.url);
  try {
    await module.default({ module_or_path: fetch(url, { cache: "force-cache" }) });
  } catch (err) {
    throw new WasmLoadError("pkg/distill_bg.wasm", err);
  }
  return module;
}

/** Loading failed at `file` (relative to the page), for the reason `cause`. */
export class WasmLoadError extends Error {
  constructor(file, cause) {
    super(cause instanceof Error ? cause.message || String(cause) : String(cause));
    this.file = file;
  }
}
