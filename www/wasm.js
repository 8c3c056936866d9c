// wasm.js: loads the crate's WebAssembly module for a worker.

/**
 * Imports the bindings and instantiates the module, taking the binary from the HTTP cache when
 * the page has fetched it already: the server says "no-cache", which would otherwise make each
 * worker download it again.
 */
export async function loadWasm() {
  const module = await import("./pkg/distill.js");
  const url = new URL("./pkg/distill_bg.wasm", import.meta.url);
  await module.default({ module_or_path: fetch(url, { cache: "force-cache" }) });
  return module;
}
