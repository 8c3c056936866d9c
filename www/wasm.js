// wasm.js: the crate's WebAssembly modules. The main thread compiles the page's once; its
// Workers instantiate that compiled module. A text Worker (the chat's, the reasoner's) compiles
// the text Workers' own, and hands it to its partner (round-worker.js).

let page = null;
let text = null;

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
 * The text Workers' compiled module (a promise): `compiled` if given (the promise of the module
 * another Worker sends), else the one compiled before, else pkg/chat_bg.wasm compiled now
 * (from the HTTP cache if the page has it: the server says "no-cache").
 */
export function textModule(compiled) {
  text = compiled ?? text ?? compile(fetch(new URL("./pkg/chat_bg.wasm", import.meta.url), { cache: "force-cache" }));
  return text;
}

/**
 * Imports the text Workers' own bindings (pkg/chat.js: the language models, built with the
 * crate's chat_worker feature) and instantiates their module, `textModule(compiled)`: only
 * those Workers fetch it.
 */
export function loadChatWasm(compiled) {
  return load(() => import("./pkg/chat.js"), "pkg/chat.js", "pkg/chat_bg.wasm", () => textModule(compiled));
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
