// Charts at every width: the exported SVG (the same draw call as the canvas) has type of at
// least 11 CSS pixels, 18 in presenter mode at 1920 × 1080, and every label inside the chart.
// Screenshots at each width go to the output folder, to be looked at.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { OUTPUT, STUCK_MS, frames, launch, openPage, trainStudents } from "./playground.mjs";

const SMALL = "teacher_steps=300&student_steps=400&budget=600";
const CHARTS = ["chart-agreement", "chart-loss", "probe", "accuracy", "params"];

/** Each `<text>` of the chart's SVG export: its font size and anchor point, and the SVG size. */
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

for (const [width, height, presenter] of [[390, 844, false], [720, 900, false], [1280, 800, false], [1920, 1080, false], [1920, 1080, true]]) {
  const name = `${width}${presenter ? "-presenter" : ""}`;
  test(`charts at ${name}: type large enough, labels inside`, { timeout: 2 * STUCK_MS }, async (t) => {
    const browser = await launch();
    t.after(() => browser.close());
    const { page, problems } = await openPage(browser, { hash: SMALL, width, height });
    if (presenter) await page.locator("#presenter").click();
    await trainStudents(page, 1);
    await page.getByTestId("export-playground").locator("summary").click();
    const least = presenter ? 18 : 11;
    for (const id of CHARTS) {
      const { width: w, height: h, texts } = await svgTexts(page, id);
      assert.ok(texts.length >= 2, `${id}: labelled`);
      for (const label of texts) {
        assert.ok(label.size >= least - 0.5, `${id} at ${name}: "${label.text}" is ${label.size} px, under ${least}`);
        assert.ok(label.x >= 0 && label.x <= w && label.y >= 0 && label.y <= h, `${id} at ${name}: "${label.text}" at (${label.x}, ${label.y}) outside ${w} × ${h}`);
      }
    }
    await frames(page); // the last update's drawing, before the picture
    await page.screenshot({ path: join(OUTPUT, `charts-${name}.png`), fullPage: true });
    assert.deepEqual(problems, []);
  });
}
