// Export: every chart downloads as SVG that parses and as PNG of the canvas's size, the
// measurements as CSV with the columns and the values the page shows, and the distilled
// student's weights as a burnpack file; all made in the browser.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { STUCK_MS, apiSummary, launch, openPage, trainStudents, waitInPage } from "./playground.mjs";

/** Small runs: a 300-step teacher, 400 student and extraction steps, 600 queries. */
const SMALL = "teacher_steps=300&student_steps=400&budget=600";

/** Clicks the export button `testId` and returns the downloaded file's name and bytes. */
async function download(page, testId) {
  const [file] = await Promise.all([
    page.waitForEvent("download").catch(async (error) => {
      const status = await page.locator(".export-status").allTextContents();
      throw new Error(`${testId}: no download (${error.message.split("\n")[0]}); the menus say ${JSON.stringify(status)}`);
    }),
    page.getByTestId(testId).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The width and height a PNG's IHDR records, after checking its signature. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "the PNG signature");
  assert.equal(bytes.subarray(12, 16).toString("latin1"), "IHDR", "IHDR first");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Parses `text` as SVG in the page; returns the parser's error, or its root and text. */
function parseSvg(page, text) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const error = doc.querySelector("parsererror");
    if (error) return { error: error.textContent };
    const root = doc.documentElement;
    return { root: root.localName, width: root.getAttribute("width"), texts: [...doc.querySelectorAll("text")].map((t) => t.textContent.trim()) };
  }, text);
}

test("the playground's charts export as SVG and PNG, its numbers as CSV, its student as weights", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SMALL });
  await trainStudents(page, 1);
  await page.getByTestId("export-playground").locator("summary").click();

  // Chromium stops a tab's downloads after about ten in quick succession (seen here as a missing
  // "download" event on the eleventh), so the SVGs and the CSV come from this page and the
  // PNGs and the weights from a second page with the same run.
  const charts = ["map-teacher", "map-distilled", "map-hard", "chart-agreement", "probe", "chart-loss", "accuracy", "params"];
  const svgs = {};
  for (const id of charts) {
    const svg = await download(page, `export-svg-${id}`);
    assert.match(svg.name, new RegExp(`${id}\\.svg$`));
    svgs[id] = svg.bytes.toString("utf8");
    const parsed = await parseSvg(page, svgs[id]);
    assert.equal(parsed.error, undefined, `${id}.svg parses: ${parsed.error}`);
    assert.equal(parsed.root, "svg");
    const cssWidth = await page.getByTestId(id).evaluate((c) => Math.round(c.clientWidth));
    assert.equal(Number(parsed.width), cssWidth, `${id}.svg is as wide as the chart on screen`);
  }
  // The charts' words are in the SVG as text: the agreement chart's captions and legend.
  const agreement = await parseSvg(page, svgs["chart-agreement"]);
  for (const words of ["agreement over the plane (%)", "distilled", "hard-label", "student steps"]) {
    assert.ok(agreement.texts.includes(words), `"${words}" in ${JSON.stringify(agreement.texts)}`);
  }

  // The CSV: one column per measure the page shows, the last row's values as shown.
  const csv = (await download(page, "export-csv-playground")).bytes.toString("utf8").trim().split("\n");
  const header = csv[0].split(",");
  const columns = await page.locator("[data-testid=scores] thead th").allTextContents();
  for (const column of columns.slice(1)) { // the first names the rows
    assert.ok(header.some((h) => h.toLowerCase().includes(column.toLowerCase())), `a CSV column for "${column}": ${header}`);
  }
  const last = Object.fromEntries(csv.at(-1).split(",").map((v, i) => [header[i], v]));
  const shown = async (testId) => (await page.getByTestId(testId).textContent()).replace(/\s*%$/, "");
  assert.equal(Number(last["distilled test accuracy (%)"]).toFixed(1), await shown("acc-distilled"));
  assert.equal(Number(last["hard-label matches teacher on test points (%)"]).toFixed(1), await shown("test-agreement-hard"));
  assert.equal(Number(last["distilled agreement over the plane (%)"]).toFixed(1), await shown("agreement-distilled"));
  assert.equal(Number(last["student step"]), 400);

  // The PNGs, from the second page: each has its canvas's pixels.
  const second = await openPage(browser, { hash: SMALL });
  await trainStudents(second.page, 1);
  await second.page.getByTestId("export-playground").locator("summary").click();
  for (const id of charts) {
    const png = await download(second.page, `export-png-${id}`);
    const size = await second.page.getByTestId(id).evaluate((c) => [c.width, c.height]);
    assert.deepEqual(pngSize(png.bytes), size, `${id}.png has the canvas's pixels`);
  }

  // The weights: a burnpack file ("NRUB") naming the distilled student.
  const weights = await download(second.page, "export-weights");
  assert.match(weights.name, /distilled-student\.bpk$/);
  assert.equal(weights.bytes.subarray(0, 4).toString("latin1"), "NRUB", "burnpack's magic");
  assert.ok(weights.bytes.includes(Buffer.from("distill playground distilled student")), "its metadata");
  assert.deepEqual(problems, []);
  assert.deepEqual(second.problems, []);
});

test("the API chapter exports its chart and a CSV with one pair of columns per response format", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SMALL });
  await page.getByTestId("export-api").locator("summary").click();
  await page.getByTestId("export-csv-api").click();
  assert.match(await page.getByTestId("export-status-api").textContent(), /^Nothing to export yet/);

  await trainStudents(page, 0);
  await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled);
  await page.getByTestId("api-start").click();
  await waitInPage(page, () => ["done", "banned"].includes(document.documentElement.dataset.extraction), { timeout: STUCK_MS, describe: apiSummary });

  const svg = await parseSvg(page, (await download(page, "export-svg-chart-fidelity")).bytes.toString("utf8"));
  assert.equal(svg.error, undefined);
  assert.ok(svg.texts.includes("queries answered"), JSON.stringify(svg.texts));
  const csv = (await download(page, "export-csv-api")).bytes.toString("utf8").trim().split("\n");
  const header = csv[0].split(",");
  const formats = await page.locator("[data-testid=api-formats] tbody tr").count();
  assert.equal(header.length, 1 + 3 * formats, `${header}`);
  // The last row's fidelity of the first format is the table's.
  const fidelity = Number(csv.at(-1).split(",")[1]).toFixed(1);
  const shown = (await page.locator('[data-format="0"][data-field="fidelity"]').textContent()).replace(/\s*%$/, "");
  assert.equal(fidelity, shown);
  // …and so is its bill: the queries it had answered when it reached the level, or "never".
  const bill = csv.at(-1).split(",")[3];
  const shownBill = (await page.locator('[data-format="0"][data-field="bill"]').textContent()).replace(/,/g, "");
  assert.equal(bill === "" ? "never" : bill, shownBill);
  assert.deepEqual(problems, []);
});
