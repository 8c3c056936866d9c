// wasm.js: the crate's WebAssembly modules. The page's module (pkg/distill_bg.wasm) is
// compiled once, on the main thread, and each Worker that runs it instantiates that compiled
// module (posted to it) instead of compiling its own: a Worker's copy costs no download, no
// compile, and shares the code the browser has optimised. The chat Worker's module (and the
// reasoner's, the same) is loaded by its Worker.

/** The page's compiled module, once the page has compiled it (compilePage). */
let page = null;

/**
 * Compiles the page's module from the response `source` (a Response or a promise of one):
 * streamed as it downloads, or from its bytes when the server does not call it
 * application/wasm. The compiled module is kept for the Workers (pageModule).
 */
export function compilePage(source) {
  page = compile(source);
  return page;
}

/** The page's compiled module (a promise), for a Worker; null before compilePage. */
export function pageModule() {
  return page;
}

async function compile(source) {
  const response = await source;
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText} for ${response.url}`);
  const type = response.headers.get("Content-Type")?.split(";")[0].trim().toLowerCase();
  return type === "application/wasm" ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

/**
 * In a Worker: imports the page's bindings (pkg/distill.js) and instantiates `compiled` (a
 * promise of the page's compiled module, which the page posts). A failure is thrown as a
 * WasmLoadError naming the file at fault.
 */
export function loadWasm(compiled) {
  return load(() => import("./pkg/distill.js"), "pkg/distill.js", "pkg/distill_bg.wasm", () => compiled);
}

/**
 * Imports the chat Worker's own bindings (pkg/chat.js: the language models, built with the
 * crate's chat_worker feature) and instantiates its module, which only that Worker fetches.
 */
export function loadChatWasm() {
  // From the HTTP cache if the page has fetched it already: the server says "no-cache".
  const url = new URL("pkg/chat_bg.wasm", import.meta.url);
  return load(() => import("./pkg/chat.js"), "pkg/chat.js", "pkg/chat_bg.wasm", () => fetch(url, { cache: "force-cache" }));
}

async function load(bindings, glue, binary, source) {
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
