// faults.js: what went wrong with one of the page's files, told for a person: the file, what
// happened and what to do first, the browser's own words behind "Details". Imported only once
// something has failed, so a healthy page never loads it.
//
// Each explanation fetches the file again and looks at what comes back: the status, the
// Content-Type, the first bytes. Only when all of that is right does it blame the content.

/** The WebAssembly module, relative to the page. */
export const WASM_FILE = "pkg/distill_bg.wasm";

/** What to do when the content itself is wrong. */
const REUPLOAD =
  "What to do: reload; if it persists, the copy on the server is damaged: upload again the whole folder that `cargo xtask dist` writes (binary files as binary), then reload, bypassing the cache (Ctrl+Shift+R).";

/** The Content-Type each kind of file must come with, by extension. */
const TYPES = {
  js: { pattern: /javascript/i, name: "text/javascript" },
  css: { pattern: /^text\/css/i, name: "text/css" },
  wasm: { pattern: /^application\/wasm/i, name: "application/wasm" },
};

/**
 * A fault as the page shows it: `text` says what happened and what to do, in words a reader
 * knows; `details`, the browser's or the file reader's own words, shown behind "Details"
 * (empty when there are none).
 */
function fault(text, details = "") {
  return { text, details };
}

/**
 * Fills `element` with `fault` (a fault, or a plain sentence): the sentence, then its
 * details behind a disclosure.
 */
export function showFault(element, shown) {
  const { text, details } = typeof shown === "string" ? fault(shown) : shown;
  element.replaceChildren(text);
  if (details) {
    const more = document.createElement("details");
    more.className = "fault-details";
    const summary = document.createElement("summary");
    summary.textContent = "Details";
    more.append(summary, details);
    element.append(" ", more);
  }
}

/**
 * Why `file` (relative to the page) `failed` at start-up ("did not load", "failed to run
 * (…)", "never started"): what the server sends for it or, for a script, for the scripts it
 * imports (a missing import is named, not the script that imports it); else what the
 * content's failure suggests (an import that lacks a name is named, not its importer).
 */
export async function explainStartup(file, failed) {
  const served = await explainServed(file, new Set());
  if (served) return served;
  if (failed === "never started") {
    return fault(
      `${file} never started, although the server sends it and the scripts it imports correctly: this browser lacks JavaScript modules or WebAssembly, or an extension blocks scripts. What to do: open the page in a current Chrome, Firefox or Safari, without script blockers.`,
    );
  }
  const damaged = lackingExport(file, failed) ?? file;
  return fault(`${damaged} is damaged or incomplete, or comes from another version of the page. ${REUPLOAD}`, `The browser says: ${file} ${failed}.`);
}

/**
 * The module (relative to the page) that Chromium says `file` could not import a name from,
 * as `failed` quotes it ("The requested module './fonts.js' does not provide an export named
 * …"): a module cut short still parses, and the script that imports it is the one that fails.
 * Null for any other failure.
 */
function lackingExport(file, failed) {
  const quoted = /The requested module '([^']+)' does not provide an export named/.exec(failed);
  return quoted && new URL(quoted[1], new URL(file, "https://page/")).pathname.slice(1);
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
    return fault(`${file} failed to load, but fetching it again worked: a passing network or server fault. What to do: reload the page.`, `The browser says: ${said}`);
  }
  if (/import|LinkError/i.test(said)) {
    return fault(
      `${file} does not fit ${file.replace(/_bg\.wasm$/, ".js")}: the two files come from different builds. What to do: upload both from the same \`cargo xtask dist\`, then reload, bypassing the cache (Ctrl+Shift+R).`,
      `The browser says: ${said}`,
    );
  }
  if (!startsWith(bytes, [0x00, 0x61, 0x73, 0x6d])) {
    return fault(`${file} is damaged: it is not a WebAssembly module. ${REUPLOAD}`, `It starts with ${hex(bytes.subarray(0, 4))}, not 00 61 73 6d.`);
  }
  return fault(
    `${file} is damaged or incomplete. ${REUPLOAD}`,
    `The browser cannot compile its ${bytes.length.toLocaleString("en")} bytes: ${said}`,
  );
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
  return fault(
    `The worker script ${file}${imported} is damaged or incomplete, or comes from another version of the page. ${REUPLOAD}`,
    detail ? `The browser says: ${detail}` : "",
  );
}

/**
 * Why data `files` could not be downloaded or read, after `err` (the reader's message names
 * the file and what is wrong with it): what the server sends for one of them, else the file
 * `err` names, damaged.
 */
export async function explainData(files, err) {
  for (const file of files) {
    const served = await inspect(file);
    if (served.problem) return served.problem;
  }
  const said = describe(err);
  const named = files.find((file) => said.includes(file)) ?? files.join(" or ");
  return fault(`${named} is damaged or incomplete. ${REUPLOAD}`, said);
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
 * Fetches `file` afresh: { problem, bytes }, where `problem` is the fault in the response (a
 * network error, a status, an HTML page, a wrong type) or null.
 */
async function inspect(file) {
  const empty = new Uint8Array(0);
  let response;
  try {
    response = await fetch(file, { cache: "no-store" });
  } catch (err) {
    return {
      bytes: empty,
      problem: fault(
        `${file} could not be downloaded: the connection dropped, or an extension or proxy blocked it. What to do: check the connection and reload.`,
        `The browser says: ${describe(err)}`,
      ),
    };
  }
  if (!response.ok) {
    const status = `${response.status} ${response.statusText}`.trim();
    return {
      bytes: empty,
      problem: fault(
        `${file} did not load: the server answered ${status}, so the file is missing from the host. What to do: upload the whole folder that \`cargo xtask dist\` writes, keeping its layout, then reload.`,
      ),
    };
  }
  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    return {
      bytes: empty,
      problem: fault(`${file} broke off while downloading: the connection dropped. What to do: reload.`, `The browser says: ${describe(err)}`),
    };
  }
  const type = response.headers.get("content-type") || "no Content-Type";
  if (looksLikeHtml(bytes)) {
    return {
      bytes,
      problem: fault(
        `${file} did not load: the server sent a web page in its place (a wrong path, or a fallback that serves index.html for every file it does not have). What to do: upload ${file} beside index.html, keeping the folder layout, or exclude it from the fallback.`,
        `The server answered with an HTML page (${type}).`,
      ),
    };
  }
  const expected = TYPES[file.split(".").pop()];
  // A wasm module with the wrong type still works (the glue falls back); other kinds do not.
  if (expected && !expected.pattern.test(type) && !file.endsWith(".wasm")) {
    return {
      bytes,
      problem: fault(
        `${file} was refused: the server sends it as ${type}, not ${expected.name}. What to do: have the server send .js as text/javascript, .css as text/css and .wasm as application/wasm.`,
      ),
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

/**
 * An error's message, whatever was thrown: messages.js's describe, kept here because this
 * module imports nothing, so that it still loads when another module is the one at fault.
 */
function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}
