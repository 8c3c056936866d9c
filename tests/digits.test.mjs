// The "Real digits" section: nothing is downloaded until it is opened or near; it loads the
// digits and the teacher with a progress bar, answers a digit drawn with the mouse with both
// networks' probabilities, runs the paper's experiments live, and says which file failed and
// why when a download breaks off (every file's other faults: file-faults.test.mjs). Screenshots at 1280 and 390 wide go to TEST_OUTPUT; the
// load's time and bytes go to TEST_OUTPUT/digits-load.json.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TASK_CPU_LIMIT_MS, describeTasks, traceMainThread } from "./main-thread.mjs";
import { OUTPUT, STUCK_MS, eventually, frames, launch, openPage, openSection, waitInPage } from "./playground.mjs";

const DATA = "data/digits.bin";
const WEIGHTS = "data/digits-teacher.bpk";

/** What the section shows, for failure messages. Runs in the page. */
function digitsSummary() {
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
  const root = document.querySelector("[data-testid=digits-details]");
  return JSON.stringify({
    open: root?.open,
    phase: root?.dataset.phase,
    status: text("digits-status"),
    error: text("digits-error"),
    run: text("digits-run-status"),
    verdict: text("digits-verdict"),
  });
}

/** Opens the section and waits until its files are read (or an error shows). */
const openDigits = (page) => openSection(page, "digits", digitsSummary);

/**
 * Draws a 7 on the pad with the mouse as most of the digits' writers did: a top bar, a
 * diagonal down to the left, and a crossbar (uncrossed, this teacher often reads a 7 as a 3).
 */
async function drawSeven(page) {
  const pad = page.getByTestId("digits-pad");
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.28, 0.2));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.2), { steps: 8 });
  await page.mouse.move(...at(0.42, 0.85), { steps: 12 });
  await page.mouse.up();
  await page.mouse.move(...at(0.45, 0.5));
  await page.mouse.down();
  await page.mouse.move(...at(0.7, 0.5), { steps: 6 });
  await page.mouse.up();
}

test("the digits are fetched only once the section opens or comes near, then a drawn digit gets both networks' probabilities", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems, requests } = await openPage(browser);
  const fetched = () => requests.filter((url) => url.includes("data/digits"));
  assert.deepEqual(fetched(), [], "nothing of the digits while the section is closed and far");
  // The introduction's numbers, as index.html writes them and as the page rewrites them once
  // the worker has measured them on the files: a drift fails here.
  const facts = () => page.locator("#digits [data-fact]").evaluateAll((spans) => Object.fromEntries(spans.map((span) => [span.dataset.fact, span.textContent])));
  const written = await facts();
  assert.deepEqual(Object.keys(written).sort(), ["params", "runner-ups", "shape", "temperature", "test", "train"], JSON.stringify(written));

  const loaded = await openDigits(page);
  assert.ok(!loaded.error, `the section loads: ${loaded.error}`);
  assert.deepEqual(await facts(), written, "index.html's numbers are the ones the loaded teacher and split measure");
  assert.equal(fetched().length, 2, `both files, once each: ${fetched().join(", ")}`);
  assert.equal(loaded.bytes, 73_691 + 170_772, "the bytes of digits.bin and digits-teacher.bpk");
  assert.ok(await page.getByTestId("digits-loading").isHidden(), "the progress bar goes once loaded");
  writeFileSync(join(OUTPUT, "digits-load.json"), JSON.stringify({ ...loaded, files: fetched() }, null, 2));

  await drawSeven(page);
  const verdict = await waitInPage(
    page,
    () => {
      // The answer to the whole drawing: the last one sent after the mouse was released.
      const root = document.querySelector("[data-testid=digits-details]");
      const text = document.querySelector("[data-testid=digits-verdict]").textContent;
      const final = root.dataset.answered && root.dataset.answered === root.dataset.asked;
      return final && /^Teacher says \d \(\d+ %\); student says \d \(\d+ %\)\.$/.test(text) ? text : null;
    },
    { timeout: STUCK_MS, describe: digitsSummary },
  );
  assert.match(verdict, /^Teacher says 7 /, `the teacher reads the drawn 7 as a 7: ${verdict}`);
  // The main thread's tasks are traced from here, while the experiment trains and its results
  // are drawn. Not before: loading compiles the wasm in a worker and the first drawings compile
  // their code paths, which on two cores can hold the main thread once for ~100 ms.
  // The default experiment runs to the end and tabulates teacher and both students.
  const tasks = await traceMainThread(browser, page, () =>
    waitInPage(page, () => document.querySelector("[data-testid=digits-details]").dataset.phase === "done", {
      timeout: STUCK_MS,
      describe: digitsSummary,
    }),
  );
  const rows = await page.locator("#digits-rows tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((cell) => cell.textContent)),
  );
  assert.deepEqual(
    rows.map((row) => row[0]),
    ["teacher", "labels", "distilled, T = 20"],
    JSON.stringify(rows),
  );
  assert.deepEqual(rows[0].slice(0, 3), ["teacher", "3", "99.3 %"], "the shipped teacher's 3 errors");
  assert.match(await page.getByTestId("digits-params").textContent(), /^student: 9,610 parameters = 11\.3 % of the teacher's 85,002$/);

  // Every canvas of the section is drawn on.
  const blank = await page.evaluate(() =>
    [...document.querySelectorAll("#digits canvas")]
      .filter((canvas) => canvas.id !== "digits-pad")
      .filter((canvas) => {
        if (!canvas.width || !canvas.height) return true;
        const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
        const pixels = new Uint32Array(data.buffer);
        return !pixels.some((p) => p !== pixels[0]);
      })
      .map((canvas) => canvas.id),
  );
  assert.deepEqual(blank, [], "blank canvases");
  const { cpu, text } = describeTasks(tasks);
  t.diagnostic(`while the experiment ran: ${text}`);
  assert.ok(cpu.cpu <= TASK_CPU_LIMIT_MS, `a main-thread task took ${cpu.cpu.toFixed(0)} ms of CPU: ${text}`);

  await page.locator("#digits").screenshot({ path: join(OUTPUT, "digits-1280.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await frames(page); // what the resize redraws and lays out
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow} px too wide)`);
  await page.locator("#digits").screenshot({ path: join(OUTPUT, "digits-390.png") });
  assert.deepEqual(problems, [], "console errors or page errors");
});

test("the missing-class and temperature presets run live; the bias correction recovers the 3s", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  const loaded = await openDigits(page);
  assert.ok(!loaded.error, loaded.error);
  // The students' width is a knob like any other: its control is in the section's own form, and
  // its value goes into the address, so the run can be shared by link.
  const width = page.getByTestId("knob-digits_student");
  assert.equal(await width.inputValue(), "128", "the paper's student by default");
  await width.evaluate((input) => {
    input.value = "32";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await page.waitForFunction(() => location.hash.includes("digits_student=32"));
  await page.getByTestId("digits-preset-missing-class").click();
  await waitInPage(
    page,
    () => {
      const root = document.querySelector("[data-testid=digits-details]");
      return root.dataset.experiment === "missing-class" && root.dataset.phase === "done";
    },
    { timeout: STUCK_MS, describe: digitsSummary },
  );
  const table = await page.locator("#digits-rows tr").evaluateAll((rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent)),
  );
  // Rows: teacher, labels, distilled, distilled + matched bias, distilled + 3.5.
  assert.equal(table.length, 5, JSON.stringify(table));
  const missed = (row) => Number(row[2].split(" of ")[0]);
  const threes = Number(table[1][2].split(" of ")[1]);
  assert.equal(missed(table[1]), threes, `without the teacher no 3 is named: ${table[1]}`);
  assert.ok(missed(table[3]) < 0.5 * threes, `after the bias correction most 3s are right: ${table[3]}`);
  await page.locator("#digits").screenshot({ path: join(OUTPUT, "digits-missing-class.png") });

  await page.getByTestId("digits-preset-temperature").click();
  await waitInPage(
    page,
    () => {
      const root = document.querySelector("[data-testid=digits-details]");
      return root.dataset.experiment === "temperature" && root.dataset.phase === "done";
    },
    { timeout: STUCK_MS, describe: digitsSummary },
  );
  const sweep = await page.locator("#digits-rows th").allTextContents();
  assert.deepEqual(sweep, ["teacher", "labels", ...[1, 2, 4, 8, 20].map((t) => `distilled, T = ${t}`)]);
  assert.match(await page.getByTestId("digits-params").textContent(), /^student: 2,410 parameters\b/, "the 32-unit students the address names");
  await page.locator("#digits").screenshot({ path: join(OUTPUT, "digits-temperature.png") });
  assert.deepEqual(problems, [], "console errors or page errors");
});

test("a data/digits-teacher.bpk whose download breaks off is named, with why", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page } = await openPage(browser);
  await page.route(`**/${WEIGHTS}`, (route) => route.abort("failed"));
  const result = await openDigits(page);
  assert.ok(result.error, `an error shows: ${JSON.stringify(result)}`);
  // The first words show at once; the details follow once faults.js has looked at the file.
  const expected = /^data\/digits-teacher\.bpk could not be downloaded: .* What to do: .*Details/;
  await eventually(async () => assert.match(await page.getByTestId("digits-error").textContent(), expected), { timeout: STUCK_MS });
  assert.ok(await page.getByTestId("digits-body").isHidden(), "no half-working section");
});
