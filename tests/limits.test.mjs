// Every knob at each end of its range is a setting like any other: the page takes it without
// calling it out of range and trains under it (the API's knobs: an extraction runs). The knobs come from the
// page's own table, so a new knob is checked too; the two sliders that once broke at their
// ends are also pushed there by keyboard.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, apiSummary, knobTable, launch, openPage, startOutcome, trainAFew, waitInPage } from "./playground.mjs";

/** Small runs, so each end is reached in a moment; a knob's own value replaces its entry here. */
const SMALL = { teacher_steps: 100, student_steps: 100, speed: 200 };

/** What the notices say of a value outside its knob's range. */
const OUT_OF_RANGE = /out of range|below the minimum|above the maximum|not a valid step/;

/** The value at end `end` ("min" or "max") of `knob`, as written in a URL. */
function valueAt(knob, end) {
  if (knob.kind === "choice") return end === "min" ? knob.choices[0] : knob.choices.at(-1);
  return String(knob[end]);
}

/** Waits until the extraction has answered some queries (or ended), or stopped with an error. */
function extractionUnderway(page) {
  return waitInPage(
    page,
    () => {
      const error = document.querySelector("[data-testid=api-error]");
      if (!error.hidden) return { error: error.textContent };
      const phase = document.documentElement.dataset.extraction;
      const queries = parseInt(document.querySelector("[data-testid=api-queries]").textContent.replace(/,/g, ""), 10);
      return (queries > 0 || phase === "done" || phase === "banned") && { phase, queries };
    },
    { timeout: 20_000, describe: apiSummary },
  );
}

test("each knob at its minimum and at its maximum: no out-of-range notice, and it trains", { timeout: 600_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, context } = await openPage(browser);
  const knobs = await knobTable(page);
  await context.close();

  for (const knob of knobs) {
    for (const end of ["min", "max"]) {
      await t.test(`${knob.key}=${valueAt(knob, end)}`, async () => {
        const settings = { ...SMALL, [knob.key]: valueAt(knob, end) };
        const hash = Object.entries(settings).map(([key, value]) => `${key}=${value}`).join("&");
        const context = await browser.newContext();
        const problems = [];
        context.on("console", (message) => message.type() === "error" && problems.push(message.text()));
        const page = await context.newPage();
        page.on("pageerror", (error) => problems.push(error.message));
        try {
          await page.goto(`${BASE}#${hash}`);
          const outcome = await startOutcome(page, 15_000);
          assert.equal(outcome.loadError, null);
          assert.equal(outcome.stopped, null, "the trainer takes the setting");
          // An end is in range: no notice may say otherwise. (Another knob may still have to
          // give way, as the students' sample count to the teacher's.)
          const notices = (await page.getByTestId("notices").isVisible()) ? await page.getByTestId("notices").textContent() : "";
          assert.doesNotMatch(notices, OUT_OF_RANGE);
          const trained = await trainAFew(page);
          assert.equal(trained.stopped?.startsWith("The trainer stopped") ? trained.stopped : null, null);
          if (knob.group === "api") {
            await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled, null, { timeout: 20_000 });
            await page.getByTestId("api-start").click();
            const extraction = await extractionUnderway(page);
            assert.equal(extraction.error, undefined, "the extraction runs");
          }
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      });
    }
  }
});

test("Noise slider at its end (End) and learning-rate slider at its start (Home): training proceeds", { timeout: 90_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "teacher_steps=300&student_steps=300&speed=50" });
  const knobs = new Map((await knobTable(page)).map((knob) => [knob.key, knob]));

  await page.getByTestId("knob-noise").press("End");
  await page.waitForFunction((max) => location.hash.includes(`noise=${max}`), String(knobs.get("noise").max));
  await page.getByTestId("knob-lr").press("Home");
  await page.waitForFunction((min) => location.hash.includes(`lr=${min}`), String(knobs.get("lr").min));

  const outcome = await trainAFew(page);
  assert.equal(outcome.stopped, null, "no error and no divergence");
  assert.ok(["teacher", "student", "done"].includes(outcome.phase), `phase ${outcome.phase}`);
  const notices = (await page.getByTestId("notices").isVisible()) ? await page.getByTestId("notices").textContent() : "";
  assert.doesNotMatch(notices, OUT_OF_RANGE, "an end of a slider is not a value to correct");
  assert.deepEqual(problems, []);
});
