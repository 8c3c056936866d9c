// The page on a projector and on a phone: in presenter mode at 1280 × 720 the toolbar takes at
// most a tenth of the height and each chapter's result fits one screen once scrolled to; the
// probe's answer sits next to the maps, and a phone shows the three maps side by side. At
// every width the charts' type is at least 11 CSS pixels (18 in presenter mode at 1920 × 1080),
// every label inside its chart, read from each chart's SVG export. Screenshots at 390, 720, 1280 and 1920 px and in presenter mode go to TEST_OUTPUT: one run,
// its window resized and presenter mode switched by its button, as a lecturer would.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { OUTPUT, STUCK_MS, apiSummary, clickMap, frames, launch, openPage, pause, trainStudents, waitForInk, waitInPage } from "./playground.mjs";

/** The playground's charts, each exported as SVG (the same draw call as its canvas). */
const CHARTS = ["chart-agreement", "chart-loss", "probe", "accuracy", "params"];

/** Each `<text>` of chart `id`'s SVG export: its font size and anchor point, and the SVG size. */
async function svgTexts(page, id) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`export-svg-${id}`).click()]);
  const text = await readFile(await file.path(), "utf8");
  return page.evaluate((text) => {
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    return {
      width: Number(svg.getAttribute("width")),
      height: Number(svg.getAttribute("height")),
      texts: [...svg.querySelectorAll("text")].map((t) => ({
        text: t.textContent.trim(),
        // plotters writes a font's em, its size / 1.24, into SVG; the canvas draws the size.
        size: parseFloat(t.getAttribute("font-size")) * 1.24,
        x: Number(t.getAttribute("x")),
        y: Number(t.getAttribute("y")),
      })),
    };
  }, text);
}

/** Every chart of the playground at the window's size (`name`): type of at least `least` px, every label inside. */
async function chartsReadable(page, name, least) {
  const exports = page.getByTestId("export-playground");
  if (!(await exports.evaluate((details) => details.open))) await exports.locator("summary").click();
  for (const id of CHARTS) {
    const { width, height, texts } = await svgTexts(page, id);
    assert.ok(texts.length >= 2, `${id}: labelled`);
    for (const label of texts) {
      assert.ok(label.size >= least - 0.5, `${id} at ${name}: "${label.text}" is ${label.size} px, under ${least}`);
      assert.ok(label.x >= 0 && label.x <= width && label.y >= 0 && label.y <= height, `${id} at ${name}: "${label.text}" at (${label.x}, ${label.y}) outside ${width} × ${height}`);
    }
  }
}

/** Scrolls section `id` to just under the toolbar, as the tour does; returns the toolbar's height. */
function scrollToChapter(page, id) {
  return page.evaluate((id) => {
    const toolbar = document.querySelector(".toolbar");
    const covered = getComputedStyle(toolbar).position === "sticky" ? toolbar.offsetHeight : 0;
    scrollTo({ top: document.getElementById(id).getBoundingClientRect().top + scrollY - covered - 8, behavior: "instant" });
    return covered;
  }, id);
}

/** The viewport box of the element `selector`. */
function box(page, selector) {
  return page.locator(selector).first().evaluate((element) => {
    const { top, bottom, left, right } = element.getBoundingClientRect();
    return { top, bottom, left, right };
  });
}

/** Trains until the students have some progress, probes the teacher's map, and pauses. */
async function trainAndProbe(page) {
  await trainStudents(page, 0.3);
  await clickMap(page, "teacher", 0.3, 0.6);
  await waitForInk(page, "probe");
  await pause(page);
}

test("presenter mode at 1280 × 720: a toolbar under a tenth of the height, each chapter's result on one screen", { timeout: 480_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "presenter=on", width: 1280, height: 720 });
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains("presenter")), true);
  await trainAndProbe(page);

  const toolbar = await box(page, ".toolbar");
  // What it holds, visible element by element, should it grow.
  const held = () => page.locator(".toolbar").evaluate((bar) => [...bar.querySelectorAll("*")].filter((e) => e.offsetHeight && !e.children.length).map((e) => `${e.id || e.tagName}: ${e.textContent.trim().slice(0, 60)} (${e.offsetHeight} px)`));
  assert.ok(toolbar.bottom - toolbar.top <= 72, `the toolbar is ${toolbar.bottom - toolbar.top} px tall: ${JSON.stringify(toolbar.bottom - toolbar.top > 72 ? await held() : [])}`);

  const covered = await scrollToChapter(page, "playground");
  assert.ok(covered <= 72);
  for (const selector of ["[data-testid=map-hard]", "[data-testid=agreement-distilled]", "[data-testid=agreement-hard]"]) {
    const { top, bottom } = await box(page, selector);
    assert.ok(top >= covered && bottom <= 720, `${selector} in view under the toolbar: ${top}–${bottom}`);
  }
  await page.screenshot({ path: join(OUTPUT, "presenter-1280x720-playground.png") });

  // The API chapter: its table of response formats, the chapter's result.
  await scrollToChapter(page, "api");
  const formats = await box(page, "[data-testid=api-formats]");
  assert.ok(formats.top >= covered && formats.bottom <= 720, `the formats table in view: ${formats.top}–${formats.bottom}`);
  await page.screenshot({ path: join(OUTPUT, "presenter-1280x720-api.png") });

  // The evidence chapter: every suspect's verdicts side by side, once investigated.
  await page.getByTestId("investigate").click();
  await waitInPage(page, () => document.documentElement.dataset.investigation === "done", { timeout: 300_000, describe: apiSummary });
  await scrollToChapter(page, "evidence");
  for (const selector of ["[data-testid=verdicts]"]) {
    const { top, bottom } = await box(page, selector);
    assert.ok(top >= covered && bottom <= 720, `${selector} in view: ${top}–${bottom}`);
  }
  await page.screenshot({ path: join(OUTPUT, "presenter-1280x720-evidence.png") });

  // The digits chapter: the experiment's chart and table.
  await page.locator("#digits summary").click();
  await page.getByTestId("digits-body").waitFor({ state: "visible", timeout: STUCK_MS });
  await scrollToChapter(page, "digits");
  for (const selector of ["[data-testid=digits-result]", "[data-testid=digits-table]"]) {
    const { top, bottom } = await box(page, selector);
    assert.ok(top >= covered && bottom <= 720, `${selector} in view: ${top}–${bottom}`);
  }
  await page.screenshot({ path: join(OUTPUT, "presenter-1280x720-digits.png") });

  // The reasoner chapter: its two accuracy charts side by side, where the tour points.
  await page.locator("#reasoner summary").click();
  // Once its round has started, the section's layout above the charts is settled.
  await waitInPage(page, () => document.querySelector("[data-testid=reasoner-details]").dataset.step !== undefined, { timeout: STUCK_MS });
  // Scrolled and measured in one go: the digits' experiment above may still change height.
  const charts = await page.evaluate(() => {
    const toolbar = document.querySelector(".toolbar");
    const under = getComputedStyle(toolbar).position === "sticky" ? toolbar.offsetHeight : 0;
    const anchor = document.getElementById("reasoner-charts");
    scrollTo({ top: anchor.getBoundingClientRect().top + scrollY - under - 8, behavior: "instant" });
    // What covers the top here: the toolbar sticks within the playground's part only.
    const over = toolbar.getBoundingClientRect().bottom > 0 ? under : 0;
    return ["reasoner-problems", "reasoner-tokens"].map((id) => {
      const { top, bottom } = document.querySelector(`[data-testid=${id}]`).getBoundingClientRect();
      return { id, top, bottom, over };
    });
  });
  for (const { id, top, bottom, over } of charts) assert.ok(top >= over && bottom <= 720, `${id} in view: ${top}–${bottom}`);
  await page.screenshot({ path: join(OUTPUT, "presenter-1280x720-reasoner.png") });
  assert.deepEqual(problems, []);
});

/**
 * Waits until the page has drawn what a resize or a switch of presenter mode asked for: every
 * shown canvas sized to its box, and no drawing in the last few frames.
 */
async function settled(page) {
  await waitInPage(
    page,
    () =>
      [...document.querySelectorAll("canvas")].every((canvas) => {
        const width = Math.round(canvas.clientWidth * devicePixelRatio);
        return width === 0 || Math.abs(canvas.width - width) <= 1;
      }),
    { timeout: STUCK_MS, describe: () => [...document.querySelectorAll("canvas")].map((c) => `${c.id} ${c.width}/${c.clientWidth}`).join(", ") },
  );
  const draws = () => page.evaluate(() => performance.getEntriesByType("measure").filter((entry) => entry.name.startsWith("draw ")).length);
  for (let [before, quiet] = [await draws(), 0]; quiet < 3; ) {
    await frames(page, 2);
    const now = await draws();
    quiet = now === before ? quiet + 1 : 0;
    before = now;
  }
}

/** Where the probe's panel and the three maps are. */
async function probeLayout(page) {
  const maps = await Promise.all(["teacher", "distilled", "hard"].map((which) => box(page, `[data-testid=map-${which}]`)));
  return { maps, probe: await box(page, "[data-testid=probe-panel]") };
}

test("at 390, 720, 1280 and 1920 px and in presenter mode: nothing wider than the window, the probe's answer next to the maps side by side, the charts' type large enough (18 px on a projector) and their labels inside; screenshots", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  // A phone first, as the page is first opened there.
  const { page, problems } = await openPage(browser, { width: 390, height: 844 });
  await trainAndProbe(page);
  for (const [width, height, presenter] of [
    [390, 844, false],
    [720, 900, false],
    [1280, 900, false],
    [1920, 1080, false],
    [1280, 720, true],
    [1920, 1080, true],
  ]) {
    const name = `screen-${width}x${height}${presenter ? "-presenter" : ""}`;
    await page.setViewportSize({ width, height });
    if ((await page.evaluate(() => document.documentElement.classList.contains("presenter"))) !== presenter) await page.locator("#presenter").click();
    await page.evaluate(() => scrollTo(0, 0));
    await settled(page);
    if (!presenter && (width === 390 || width === 1280)) {
      const { maps, probe } = await probeLayout(page);
      const gap = probe.top - Math.max(...maps.map((m) => m.bottom));
      assert.ok(gap >= 0 && gap <= 160, `${width} px: the probe panel starts ${gap} px below the maps`);
      assert.ok(maps.every((m) => Math.abs(m.top - maps[0].top) < 1), `${width} px: the three maps side by side: ${JSON.stringify(maps)}`);
      assert.ok(maps.every((m) => m.left >= 0 && m.right <= width), `${width} px: the maps fit the width`);
      await page.screenshot({ path: join(OUTPUT, `layout-${width}-top.png`) });
    }
    await page.screenshot({ path: join(OUTPUT, `${name}.png`) });
    await page.screenshot({ path: join(OUTPUT, `${name}-full.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than the window`);
    // A projector's far rows read 18 px type; the smaller presenter window is a laptop's.
    if (!presenter || width === 1920) await chartsReadable(page, name, presenter ? 18 : 11);
  }
  assert.deepEqual(problems, []);
});
