// The page as a whole: it loads cleanly, stays on its own origin, draws every canvas, and
// fits a phone. Screenshots go to TEST_OUTPUT for a human to look at.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { BASE, OUTPUT, STUCK_MS, clickMap, frames, launch, openPage, pause, tab, trainStudents } from "./playground.mjs";

/** Plays until the students have made some progress, probes a point, and pauses. */
async function trainAWhile(page) {
  await trainStudents(page, 0.2, STUCK_MS);
  await clickMap(page, "teacher");
  await page.getByTestId("probe").waitFor({ state: "visible" });
  await pause(page);
}

/**
 * For every visible canvas: its id, backing size and the fraction of its pixels that differ
 * from its top-left pixel (0 for a blank canvas). Runs in the page.
 */
function canvasInk() {
  return [...document.querySelectorAll("canvas")]
    .filter((canvas) => canvas.offsetParent !== null)
    .map((canvas) => {
      if (!canvas.width || !canvas.height) return { id: canvas.id, size: [0, 0], ink: 0 };
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const pixels = new Uint32Array(data.buffer);
      let differing = 0;
      for (const pixel of pixels) if (pixel !== pixels[0]) differing += 1;
      return { id: canvas.id, size: [canvas.width, canvas.height], ink: differing / pixels.length };
    });
}

test("a whole session at 1280 px: every canvas drawn, no console or page error, nothing requested from another origin; screenshots at 1280 and 390 px wide, nothing overflowing a phone", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const desktop = await openPage(browser, { width: 1280, height: 900 });
  const { page, problems, requests } = desktop;
  await trainAWhile(page);

  // Every canvas is drawn (non-blank pixels read back). Wait until all are; on timeout, read
  // them once more so the asserts below say which.
  const allInked = `(() => { const ink = (${canvasInk})(); return ink.length >= 8 && ink.every((c) => c.ink > 0.002) ? ink : null; })()`;
  const canvases = await page
    .waitForFunction(allInked, null, { timeout: STUCK_MS, polling: 250 })
    .then((handle) => handle.jsonValue())
    .catch(() => page.evaluate(canvasInk));
  for (const canvas of canvases) {
    assert.ok(canvas.ink > 0.002, `${canvas.id} is blank: ${JSON.stringify(canvas)}`);
  }
  const ids = canvases.map((c) => c.id).sort();
  assert.deepEqual(ids, ["accuracy", "chart-agreement", "chart-loss", "map-distilled", "map-hard", "map-teacher", "params", "probe"]);
  for (const canvas of canvases) {
    assert.ok(canvas.size[0] >= 100 && canvas.size[1] >= 20, `${canvas.id} is sized from its box: ${canvas.size}`);
  }
  await frames(page); // the last update's drawing, before the picture
  await page.screenshot({ path: join(OUTPUT, "page.png"), fullPage: true });
  await page.screenshot({ path: join(OUTPUT, "page-top.png") });

  // The rest of the session: a step by key while paused, and a reset.
  await page.keyboard.press("ArrowRight");
  await page.getByTestId("reset").click();
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher");
  assert.deepEqual(problems, [], "console errors or page errors");
  assert.ok(requests.some((url) => url.endsWith(".wasm")), `the request log saw the wasm module: ${requests.join(", ")}`);
  const foreign = requests.filter((url) => !url.startsWith(BASE));
  assert.deepEqual(foreign, [], `requests outside ${BASE}`);
  await desktop.context.close();

  const phone = await openPage(browser, { width: 390, height: 844, scale: 2 });
  await trainAWhile(phone.page);
  await frames(phone.page);
  await phone.page.screenshot({ path: join(OUTPUT, "page-390.png"), fullPage: true });
  const widths = await phone.page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    widest: [...document.querySelectorAll("body *")]
      .map((el) => ({ el: `${el.tagName.toLowerCase()}#${el.id}.${el.className}`, right: el.getBoundingClientRect().right }))
      .sort((a, b) => b.right - a.right)[0],
  }));
  assert.ok(widths.page <= widths.viewport, `the page is wider than a 390 px phone: ${JSON.stringify(widths)}`);
  assert.deepEqual(phone.problems, []);
});

test("a missing wasm module is reported on the page, not just in the console", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "not here" }));
  await page.goto(BASE);
  const error = page.getByTestId("load-error");
  await error.waitFor({ state: "visible", timeout: STUCK_MS });
  assert.match(await error.textContent(), /^pkg\/distill_bg\.wasm did not load: the server answered 404\b.* What to do: /);
  assert.equal(await page.getByTestId("play").isDisabled(), true, "nothing to play");
});

test("a 10 kB value is cut in its notice, which wraps and keeps Dismiss in view on a phone", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: `seed=${"9".repeat(10_240)}`, width: 390, height: 844 });
  const notice = await page.locator("#notice-list li").first().textContent();
  assert.ok(notice.length < 200, `${notice.length} characters`);
  assert.match(notice, /^seed=9+… /);
  const dismiss = await page.getByRole("button", { name: "Dismiss these notices" }).boundingBox();
  assert.ok(dismiss.x + dismiss.width <= 390, `Dismiss ends at ${dismiss.x + dismiss.width} px`);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
  assert.deepEqual(problems, []);
});

test("300 unknown keys fold into a count, the first three and a disclosure: the box never takes over a third of the window", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const hash = Array.from({ length: 300 }, (_, i) => `unknown${i}=1`).join("&");
  const reader = await tab(browser);
  for (const [width, height] of [
    [390, 844],
    [1280, 720],
    [1920, 1080],
  ]) {
    await reader.page.setViewportSize({ width, height });
    const { page, problems } = await reader.visit(hash);
    await page.getByTestId("notices").waitFor();
    assert.match(await page.getByTestId("notice-count").textContent(), /^300 settings in the address/);
    assert.equal(await page.locator("#notice-list li").count(), 3);
    const third = async () => {
      const box = await page.getByTestId("notices").boundingBox();
      assert.ok(box.height <= height / 3 + 1, `${width} px: the notices are ${box.height} px tall in a ${height} px window`);
    };
    await third();
    await page.getByTestId("notice-more").locator("summary").click();
    assert.equal(await page.locator("#notice-rest li").count(), 297);
    await third();
    assert.deepEqual(problems, []);
  }
});

test("a worker that cannot load the wasm module's bindings is reported on the page", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext();
  let wasmRequests = 0;
  let bindingRequests = 0;
  // The main thread's copy loads; the worker's (the second request) fails, and so does the
  // page's look at what the server sends (the third). The module itself is fetched once: the
  // worker instantiates the page's compiled module.
  await context.route("**/*.wasm", (route) => (++wasmRequests, route.continue()));
  await context.route("**/pkg/distill.js", (route) => (++bindingRequests === 1 ? route.continue() : route.fulfill({ status: 404, body: "" })));
  const page = await context.newPage();
  await page.goto(BASE);
  const error = page.getByTestId("load-error");
  await error.waitFor({ state: "visible", timeout: STUCK_MS });
  assert.equal(bindingRequests, 3, "both threads asked for the bindings, then the explanation");
  assert.equal(wasmRequests, 1, "the module is downloaded once, for every thread");
  assert.match(await error.textContent(), /^pkg\/distill\.js did not load: the server answered 404\b/);
});
