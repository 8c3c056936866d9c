// wasm.js: the crate's WebAssembly modules. The main thread compiles the page's once; its
// Workers instantiate that compiled module. The chat Worker loads its own.

let page = null;

/**
 * The page's compiled module (a promise): compiled from the Response `source` (or its promise)
 * if given, else the one compiled before.
 */
export function pageModule(source) {
  page = source ? compile(source) : page;
  return page;
}

async function compile(source) {
  const response = await source;
  const streams = response.headers.get("Content-Type")?.startsWith("application/wasm");
  return streams ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

/**
 * In a Worker: imports pkg/distill.js and instantiates `compiled` (a promise of the page's
 * module). A failure is thrown as a WasmLoadError naming the file at fault.
 */
export function loadWasm(compiled) {
  return load(() => import("./pkg/distill.js"), "pkg/distill.js", "pkg/distill_bg.wasm", () => compiled);
}

/**
 * Imports the chat Worker's own bindings (pkg/chat.js: the language models, built with the
 * crate's chat_worker feature) and instantiates its module, which only that Worker fetches.
 */
export function loadChatWasm() {
  return load(() => import("./pkg/chat.js"), "pkg/chat.js", "pkg/chat_bg.wasm");
}

// A module's binary is taken from the HTTP cache if the page has it: the server says "no-cache".
async function load(bindings, glue, binary, source = () => fetch(new URL(binary, import.meta.url), { cache: "force-cache" })) {
  let module;
  try {
    module = await bindings();
  } catch (err) {
    throw new WasmLoadError(glue, err);
  }
  try {
    await module.default({ module_or_path: await source() });
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
