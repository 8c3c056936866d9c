// Every file the page loads (found by loading it, digits section included, so a new file is
// covered too), broken one at a time the ways hosts break files: missing, an HTML page in its
// place, cut short, damaged, served with the wrong type, slow. The page never hangs silently:
// within seconds it either works or shows a message that names the file.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, launch } from "./playground.mjs";

/** How long the page may take to either work or say what is wrong. */
const VERDICT_TIMEOUT_MS = 15_000;

/**
 * What each fault must lead to for a file: "message" (naming the file), or "either" (a message,
 * or a page that works as if nothing happened: a type the browser tolerates, a stylesheet that
 * loses a rule). Damaged data must be caught by its checksum.
 */
const FAULTS = {
  404: { expect: () => "message", fulfil: () => ({ status: 404, contentType: "text/plain", body: "Not Found" }) },
  "HTML in its place": {
    expect: () => "message",
    fulfil: (_body, page) => ({ status: 200, contentType: "text/html; charset=utf-8", body: page }),
  },
  truncated: {
    expect: () => "message",
    fulfil: (body, _page, type) => ({ status: 200, contentType: type, body: body.subarray(0, body.length >> 1) }),
  },
  corrupted: {
    expect: (file) => (file.endsWith(".css") ? "either" : "message"),
    fulfil: (body, _page, type, file) => ({ status: 200, contentType: type, body: corrupt(body, file) }),
  },
  "wrong type": { expect: () => "either", fulfil: (body) => ({ status: 200, contentType: "text/plain", body }) },
};

/** Without these the page works, only less watched; a fault in them may go unreported. */
const OPTIONAL = new Set(["startup.js"]);

/**
 * `body` with bytes overwritten where they matter: the start of a text file (its first
 * token), the middle of a wasm module's code section, the middle of a data file.
 */
function corrupt(body, file) {
  const out = Buffer.from(body);
  let [start, length] = [Math.floor(out.length / 2), 256];
  if (file.endsWith(".js") || file.endsWith(".css")) [start, length] = [0, 16];
  if (file.endsWith(".wasm")) {
    const code = wasmSection(out, 10);
    [start, length] = [code.start + Math.floor(code.size / 2), 256];
  }
  out.fill(0xff, start, Math.min(start + length, out.length));
  return out;
}

/** The body offset and size of section `id` of a wasm module. */
function wasmSection(bytes, id) {
  let at = 8;
  const leb = () => {
    let [value, shift] = [0, 0];
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const sectionId = bytes[at++];
    const size = leb();
    if (sectionId === id) return { start: at, size };
    at += size;
  }
  throw new Error(`no section ${id}`);
}

/**
 * Every file of this origin the page requests while starting and opening its digits section,
 * relative to the page, without the page itself and its icon (the browser's own request).
 */
async function filesOfThePage(browser) {
  const context = await browser.newContext();
  const files = new Set();
  context.on("request", (request) => {
    if (request.url().startsWith(BASE)) files.add(request.url().slice(BASE.length).replace(/[?#].*$/, ""));
  });
  const page = await context.newPage();
  await page.goto(BASE);
  assert.equal(await verdict(page, "index.html"), "works");
  await context.close();
  files.delete("");
  files.delete("index.html");
  files.delete("favicon.svg");
  return [...files].sort();
}

/**
 * Opens the digits section once the DOM is there, then waits for the page's verdict: "works"
 * (the trainer shows a state and the digits are loaded) or the text of a visible message that
 * names `file`. Throws, saying what the page shows, if neither comes within the timeout.
 */
async function verdict(page, file) {
  await page.waitForLoadState("domcontentloaded");
  await page.evaluate(() => {
    const details = document.getElementById("digits-details");
    if (details) details.open = true;
  });
  const handle = await page
    .waitForFunction(
      (name) => {
        const messages = ["load-error", "digits-error", "divergence"]
          .map((id) => document.querySelector(`[data-testid=${id}]`))
          .filter((element) => element && !element.hidden && element.offsetParent !== null)
          .map((element) => element.textContent);
        const naming = messages.find((text) => text.includes(name));
        if (naming) return naming;
        const started = document.documentElement.dataset.phase !== undefined;
        const digits = document.getElementById("digits-details")?.dataset.loadMs !== undefined;
        return messages.length === 0 && started && digits && "works";
      },
      file,
      { timeout: VERDICT_TIMEOUT_MS, polling: 100 },
    )
    .catch(async () => {
      const shown = await page.evaluate(() => ({
        phase: document.documentElement.dataset.phase ?? null,
        text: document.getElementById("phase-text")?.textContent,
        messages: ["load-error", "digits-error", "divergence"].map((id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim()).filter(Boolean),
      }));
      throw new Error(`neither working nor a message naming ${file} after ${VERDICT_TIMEOUT_MS} ms: ${JSON.stringify(shown)}`);
    });
  return handle.jsonValue();
}

/** Routes `file` through `fault` in a fresh context and returns the page's verdict. */
async function underFault(browser, file, fault, indexHtml) {
  const context = await browser.newContext();
  let closed = false;
  await context.route(
    (url) => url.href === BASE + file,
    async (route) => {
      try {
        const response = await route.fetch();
        const type = response.headers()["content-type"];
        await route.fulfill(fault.fulfil(await response.body(), indexHtml, type, file));
      } catch (error) {
        // Requests still on their way when the verdict is in die with the context.
        if (!closed) throw error;
      }
    },
  );
  const page = await context.newPage();
  try {
    await page.goto(BASE);
    const seen = await verdict(page, file);
    // Every line of every message shown, as a reader sees them, once settled (a line that
    // says the page is still finding out which file failed is replaced or removed).
    await page.waitForFunction(() => !document.querySelector("[data-testid=load-error] > p:not([data-fault])"));
    const lines = await page.evaluate(() =>
      [...document.querySelectorAll("[data-testid=load-error] > p, [data-testid=digits-error]")]
        .filter((element) => !element.hidden && element.offsetParent !== null)
        .map((element) => element.textContent.trim()),
    );
    return { seen, lines };
  } finally {
    closed = true;
    await context.close();
  }
}

for (const [name, fault] of Object.entries(FAULTS)) {
  test(`every file ${name}: a message naming it (or, where harmless, a page that works), within seconds`, { timeout: 600_000 }, async (t) => {
    const browser = await launch();
    t.after(() => browser.close());
    const files = await filesOfThePage(browser);
    assert.ok(files.includes("pkg/distill_bg.wasm") && files.includes("data/digits.bin"), `files found: ${files}`);
    const indexHtml = Buffer.from(await (await fetch(BASE)).arrayBuffer());
    for (const file of files) {
      await t.test(file, async () => {
        const { seen, lines } = await underFault(browser, file, fault, indexHtml);
        if (fault.expect(file) === "message" && !OPTIONAL.has(file)) {
          assert.notEqual(seen, "works", `${file} ${name}, and nothing said so`);
        }
        if (seen !== "works") assert.ok(seen.length < 2_000, `a message of ${seen.length} characters`);
        if (name === "404" && seen !== "works") {
          // The missing file is named first, once: not each script that imports it.
          for (const line of lines) assert.ok(line.startsWith(`${file} did not load: the server answered 404`), `${file}: ${JSON.stringify(lines)}`);
        }
      });
    }
  });
}

test("every file slow (2 s each): the page gets there, with no message", { timeout: 120_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const files = new Set(await filesOfThePage(browser));
  const context = await browser.newContext();
  await context.route(
    (url) => files.has(url.href.slice(BASE.length)),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await route.continue().catch(() => {}); // the test may be over
    },
  );
  const page = await context.newPage();
  await page.goto(BASE, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    () => {
      const shown = ["load-error", "digits-error"].some((id) => document.querySelector(`[data-testid=${id}]`)?.hidden === false);
      if (shown) return "a message";
      const digits = document.getElementById("digits-details");
      if (digits && !digits.open) digits.open = true;
      return document.documentElement.dataset.phase && digits?.dataset.loadMs && "works";
    },
    null,
    { timeout: 90_000, polling: 200 },
  );
  assert.equal(await handle.jsonValue(), "works", await page.evaluate(() => document.getElementById("load-error").textContent));
});
