// Where the page is opened: embedded in an article's iframe it works; in a sandboxed frame that
// blocks its module scripts it says so and what to do; and the headers file a host reads
// carries the page's own policy, plus permission to embed it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, STUCK_MS, launch } from "./playground.mjs";

/** An article that embeds the page with `attributes` on its iframe, served from the page's origin. */
async function embedded(browser, attributes) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const article = `${BASE}article-${Date.now()}.html`;
  await context.route(article, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><title>An article</title><iframe ${attributes} src="./" width="1200" height="800"></iframe>`,
    }),
  );
  const page = await context.newPage();
  await page.goto(article);
  const frame = await (await page.waitForSelector("iframe")).contentFrame();
  return { context, page, frame };
}

test("embedded in an iframe, the page starts", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { frame } = await embedded(browser, 'title="Distillation Playground"');
  await frame.waitForFunction(() => document.documentElement.dataset.phase === "teacher", null, { timeout: STUCK_MS });
  assert.equal(await frame.getByTestId("load-error").isVisible(), false);
});

test("in a sandboxed iframe without allow-same-origin, the page says why it cannot start", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { frame } = await embedded(browser, 'sandbox="allow-scripts"');
  const error = frame.getByTestId("load-error");
  await error.waitFor({ state: "visible", timeout: STUCK_MS });
  const text = await error.textContent();
  assert.match(text, /main\.js/);
  assert.match(text, /sandboxed frame/);
  assert.match(text, /its own tab/);
  assert.match(await frame.getByTestId("phase").textContent(), /Not running/);
});

test("a page whose main.js is missing says so", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext();
  await context.route(`${BASE}main.js`, (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not Found" }));
  const page = await context.newPage();
  await page.goto(BASE);
  // The box says at once that a file failed, then which once it has looked.
  const error = page.getByTestId("load-error");
  await error.waitFor({ state: "visible", timeout: STUCK_MS });
  await page.waitForFunction(() => !document.querySelector("[data-testid=load-error] > p:not([data-fault])"), null, { timeout: STUCK_MS });
  assert.match(await error.textContent(), /^main\.js did not load: the server answered 404 Not Found, .+ What to do: /);
});

test("_headers carries the page's policy as a header, with frame-ancestors, base-uri and form-action", async () => {
  const [headers, html] = await Promise.all([fetch(`${BASE}_headers`), fetch(BASE)].map(async (r) => (await r).text()));
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  const header = headers.match(/^\/\*\n(?: {2}.+\n)*? {2}Content-Security-Policy: (.+)$/m)?.[1];
  assert.equal(header, `${meta}; frame-ancestors *`);
  assert.match(meta, /base-uri 'none'/);
  assert.match(meta, /form-action 'none'/);
  assert.doesNotMatch(meta, /frame-ancestors/, "ignored in a meta tag, so not there");
  assert.match(headers, /^ {2}X-Content-Type-Options: nosniff$/m);
  assert.match(headers, /^\/pkg\/distill_bg\.wasm\n {2}Content-Type: application\/wasm$/m);
});

test("while the module downloads, the page counts its bytes up to the size it was built with", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext();
  const page = await context.newPage();
  // Every text the phase line shows, in order (the line is rewritten as the bytes arrive).
  await page.addInitScript(() => {
    window.phaseTexts = [];
    addEventListener("DOMContentLoaded", () => {
      const line = document.querySelector('[data-testid="phase"]');
      new MutationObserver(() => window.phaseTexts.push(line.textContent)).observe(line, { childList: true, characterData: true, subtree: true });
    });
  });
  // Slow enough that the download takes several reads, so the line is seen counting.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  // Who asked for the module: the script's frames on the stack of the request.
  const initiators = [];
  cdp.on("Network.requestWillBeSent", ({ request, initiator }) => {
    if (request.url === `${BASE}pkg/distill_bg.wasm`) initiators.push((initiator.stack?.callFrames ?? []).map((frame) => frame.url));
  });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: 400_000, uploadThroughput: 400_000 });
  // Not the load event: how long the throttled page's other files take depends on the machine's
  // load. What is waited for is the page's own outcome.
  await page.goto(BASE, { waitUntil: "commit" });
  await page.waitForFunction(() => document.documentElement?.dataset.phase === "teacher", null, { timeout: STUCK_MS });
  const wasmBytes = (await (await fetch(`${BASE}pkg/distill_bg.wasm`)).arrayBuffer()).byteLength;
  const downloads = (await page.evaluate(() => window.phaseTexts))
    .map((text) => text.match(/^Downloading the model code: (\d+\.\d) of (\d+\.\d) MB \((\d+) %\)…$/))
    .filter(Boolean);
  assert.ok(downloads.length >= 2, `the line counted the download: ${JSON.stringify(downloads.map((d) => d[0]))}`);
  for (const [, , total] of downloads) assert.equal(total, (wasmBytes / 1e6).toFixed(1), "the total is the module's size");
  const percents = downloads.map((d) => Number(d[3]));
  assert.deepEqual(percents, [...percents].sort((a, b) => a - b), "the count only goes up");
  assert.ok(percents.at(-1) > percents[0], `it moved: ${percents}`);
  // From the start of the download, not only its end: startup.js, which counts every byte it
  // reads, is the one that asks for the module. (How early the line shows its first count
  // depends on how busy the machine is, so that is not what is checked.)
  assert.ok(
    initiators.some((stack) => stack[0] === `${BASE}startup.js`),
    `the module was requested by startup.js: ${JSON.stringify(initiators)}`,
  );
});
