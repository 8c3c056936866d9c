// wasm.js: loads the crate's WebAssembly modules for the workers: the page's, and the chat
// Worker's own.

/**
 * Imports the page's bindings (pkg/distill.js) and instantiates its module, taking the binary
 * from the HTTP cache when the page has fetched it already: the server says "no-cache", which
 * would otherwise make each worker download it again. A failure is thrown as a WasmLoadError
 * naming the file at fault.
 */
export function loadWasm() {
  return load(() => import("./pkg/distill.js"), "pkg/distill.js", "pkg/distill_bg.wasm");
}

/**
 * Imports the chat Worker's own bindings (pkg/chat.js: the language models, built with the
 * crate's chat_worker feature) and instantiates its module, which only that Worker fetches.
 */
export function loadChatWasm() {
  return load(() => import("./pkg/chat.js"), "pkg/chat.js", "pkg/chat_bg.wasm");
}

async function load(bindings, glue, binary) {
  let module;
  try {
    module = await bindings();
  } catch (err) {
    throw new WasmLoadError(glue, err);
  }
  const url = new URL(binary, import.meta.url);
  try {
    await module.default({ module_or_path: fetch(url, { cache: "force-cache" }) });
  } catch (err) {
    throw new WasmLoadError(binary, err);
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
