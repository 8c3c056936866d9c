// faults.js: what went wrong with one of the page's files, told for a person: the file, what
// the server sent, the likely cause and what to do. Imported only once something has failed,
// so a healthy page never loads it.
//
// Each explanation fetches the file again and looks at what comes back: the status, the
// Content-Type, the first bytes. Only when all of that is right does it blame the content.

/** The WebAssembly module, relative to the page. */
export const WASM_FILE = "pkg/distill_bg.wasm";

/** What to do when the content itself is wrong. */
const REUPLOAD =
  "What to do: upload again the whole folder that `cargo xtask dist` writes (binary files as binary), then reload, bypassing the cache (Ctrl+Shift+R).";

/** The Content-Type each kind of file must come with, by extension. */
const TYPES = {
  js: { pattern: /javascript/i, name: "text/javascript" },
  css: { pattern: /^text\/css/i, name: "text/css" },
  wasm: { pattern: /^application\/wasm/i, name: "application/wasm" },
};

/**
 * Why `file` (relative to the page) `failed` at start-up ("did not load", "failed to run
 * (…)", "never started"): what the server sends for it or, for a script, for the scripts it
 * imports; else what the content's failure suggests.
 */
export async function explainStartup(file, failed) {
  const served = await explainServed(file, new Set());
  if (served) return served;
  if (failed === "never started") {
    return `${file} never started, although the server sends it and the scripts it imports correctly. Likely cause: a browser without JavaScript modules or WebAssembly, or an extension that blocks scripts. What to do: open the page in a current Chrome, Firefox or Safari, without script blockers.`;
  }
  return `${file} ${failed}, although the server sends it with the right type. Likely cause: the file is damaged or incomplete (an interrupted upload), or comes from another version of the page. ${REUPLOAD}`;
}

/**
 * Why the WebAssembly module `file` (the page's unless named) could not be used, after `err`
 * from instantiating it (on the page or in a worker, where `err` arrives as its message).
 */
export async function explainWasm(err, file = WASM_FILE) {
  const served = await inspect(file);
  if (served.problem) return served.problem;
  const said = describe(err);
  const { bytes } = served;
  if (WebAssembly.validate(bytes)) {
    return `${file} failed to load (${said}), but fetching it again worked: a passing network or server fault. What to do: reload the page.`;
  }
  if (/import|LinkError/i.test(said)) {
    return `${file} does not fit ${file.replace(/_bg\.wasm$/, ".js")} (the browser says: ${said}). Likely cause: the two files come from different builds. What to do: upload both from the same \`cargo xtask dist\`, then reload, bypassing the cache (Ctrl+Shift+R).`;
  }
  if (!startsWith(bytes, [0x00, 0x61, 0x73, 0x6d])) {
    return `${file} is not a WebAssembly module: it starts with ${hex(bytes.subarray(0, 4))}, not 00 61 73 6d. Likely cause: the file was replaced or damaged on the way. ${REUPLOAD}`;
  }
  return `${file} is damaged or incomplete: the browser cannot compile its ${bytes.length.toLocaleString("en")} bytes (${said}). Likely cause: an interrupted upload, or a proxy or CDN that altered it. ${REUPLOAD}`;
}

/**
 * Why the worker script `file` (with the scripts it imports) could not start, after its
 * "error" event said `detail` (often nothing).
 */
export async function explainWorker(file, detail) {
  const seen = new Set();
  const served = await explainServed(file, seen);
  if (served) return served;
  seen.delete(file);
  const imported = seen.size ? `, or a script it imports (${[...seen].join(", ")}),` : "";
  const said = detail ? ` (the browser says: ${detail})` : "";
  return `The worker script ${file}${imported} failed to start${said}, although the server sends them with the right type. Likely cause: a damaged or incomplete file, or files from different versions of the page. ${REUPLOAD}`;
}

/**
 * Why data `files` could not be downloaded or read, after `err` (the reader's message names
 * the file and what is wrong with it): what the server sends for one of them, else `err`.
 */
export async function explainData(files, err) {
  for (const file of files) {
    const served = await inspect(file);
    if (served.problem) return served.problem;
  }
  const said = describe(err).replace(/\.?$/, ".");
  return `${said} Likely cause: the file is damaged or incomplete (an interrupted upload, or a proxy that altered it). ${REUPLOAD}`;
}

/**
 * What is wrong with what the server sends for `file` or, if a script, its imports; or null.
 * `seen` collects every file looked at.
 */
async function explainServed(file, seen) {
  if (seen.has(file)) return null;
  seen.add(file);
  const { problem, bytes } = await inspect(file);
  if (problem || !file.endsWith(".js")) return problem;
  for (const imported of imports(new TextDecoder().decode(bytes), file)) {
    const found = await explainServed(imported, seen);
    if (found) return found;
  }
  return null;
}

/**
 * Fetches `file` afresh: { problem, bytes }, where `problem` says what is wrong with the
 * response (a network error, a status, an HTML page, a wrong type) or is null.
 */
async function inspect(file) {
  const empty = new Uint8Array(0);
  let response;
  try {
    response = await fetch(file, { cache: "no-store" });
  } catch (err) {
    return {
      bytes: empty,
      problem: `${file} could not be downloaded (${describe(err)}). Likely cause: the connection dropped, or an extension or proxy blocked the request. What to do: check the connection and reload.`,
    };
  }
  if (!response.ok) {
    const status = `${response.status} ${response.statusText}`.trim();
    return {
      bytes: empty,
      problem: `${file}: the server answered ${status}. Likely cause: the file is missing from the host (not uploaded, or uploaded to another folder). What to do: upload the whole folder that \`cargo xtask dist\` writes, keeping its layout, and reload.`,
    };
  }
  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    return {
      bytes: empty,
      problem: `${file} broke off while downloading (${describe(err)}). Likely cause: the connection dropped. What to do: reload.`,
    };
  }
  const type = response.headers.get("content-type") || "no Content-Type";
  if (looksLikeHtml(bytes)) {
    return {
      bytes,
      problem: `${file}: the server answered with an HTML page (${type}) instead of the file. Likely cause: a wrong path, or a single-page-app fallback that serves index.html for every file it does not have. What to do: upload ${file} beside index.html, keeping the folder layout, or exclude it from the fallback.`,
    };
  }
  const expected = TYPES[file.split(".").pop()];
  // A wasm module with the wrong type still works (the glue falls back); other kinds do not.
  if (expected && !expected.pattern.test(type) && !file.endsWith(".wasm")) {
    return {
      bytes,
      problem: `${file} came as ${type}, not ${expected.name}, so the browser refused it. Likely cause: the server's MIME types. What to do: have the server send .js as text/javascript, .css as text/css and .wasm as application/wasm.`,
    };
  }
  return { bytes, problem: null };
}

/** The relative module specifiers a script imports ("./api.js"), as paths from the page. */
function imports(source, file) {
  const found = new Set();
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    const url = new URL(match[1], new URL(file, location.href));
    found.add(url.pathname.slice(new URL(".", location.href).pathname.length));
  }
  return found;
}

function looksLikeHtml(bytes) {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head");
}

function startsWith(bytes, prefix) {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(" ") || "nothing";
}

function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}
