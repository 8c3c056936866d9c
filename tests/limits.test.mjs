// Every knob at each end of its range is a setting like any other: the page takes it without
// calling it out of range, its control shows it, and its own part of the page trains under it
// (the API's knobs: an extraction runs; the digits', the chatbot's and the reasoner's: their
// section opens and its students train and report). A group's knobs go to an end together;
// each knob alone, and each group's knobs together, are read and trained at their ends
// natively (crate/tests/knobs.rs). The knobs come from the page's own table, so a new knob is
// checked too; the two sliders that once broke at their ends are also pushed there by keyboard.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STUCK_MS, apiSummary, knobTable, launch, openPage, startOutcome, tab, trainAFew, waitInPage } from "./playground.mjs";

/**
 * Small runs, so each end is reached in a moment; a knob's own value replaces its entry here.
 * The chatbot's, the digits' and the reasoner's sections open (`open`, a view key) for their own
 * knobs only.
 */
const SMALL = { teacher_steps: 100, student_steps: 100, speed: 200, chat_steps: 20, digits_student_steps: 100, reasoner_steps: 100 };

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
    { timeout: STUCK_MS, describe: apiSummary },
  );
}

/**
 * Waits until the chat round has trained a step (or ended), or shown an error; returns what it
 * shows then. Its numbers at each knob's ends, and at each group end together, are checked
 * finite natively (crate/tests/knobs.rs): here the page's Worker is seen training under them.
 */
async function chatUnderway(page) {
  const shown = await waitInPage(
    page,
    () => {
      const root = document.querySelector("[data-testid=chat-details]");
      const error = document.querySelector("[data-testid=chat-error]");
      if (!error.hidden) return { error: error.textContent };
      return (Number(root.dataset.step) > 0 || root.dataset.done === "true") && {};
    },
    {
      timeout: STUCK_MS,
      describe: () => {
        const root = document.querySelector("[data-testid=chat-details]");
        return JSON.stringify({ open: root.open, step: root.dataset.step, status: document.querySelector("[data-testid=chat-status]")?.textContent });
      },
    },
  );
  if (shown.error) return shown;
  return page.evaluate(async () => {
    const { outcome } = (await import("./chat/chat.js")).shownChat();
    return { step: outcome.step, thieves: outcome.thieves.length };
  });
}

/**
 * Waits until the reasoner's students have taken a step (or the round ended), or an error shows;
 * with `started`, only until the section has loaded and asked its Worker for the round (what it
 * says it is doing names the steering defence's proxy when the settings call for it). A round
 * at the reasoner's maximum buys 4,000 problems through the owner's steering before its first
 * step: natively, each knob alone and all at one end together start a round that trains and
 * measures (crate/tests/knobs.rs).
 */
function reasonerUnderway(page, { started = false } = {}) {
  return waitInPage(
    page,
    (started) => {
      const root = document.querySelector("[data-testid=reasoner-details]");
      const error = document.querySelector("[data-testid=reasoner-error]");
      if (!error.hidden) return { error: error.textContent };
      const status = document.getElementById("reasoner-run-status").textContent;
      if (started) return root.dataset.loadMs !== undefined && /^(Training the owner|Buying the problems)/.test(status) && { status };
      return Number(root.dataset.step) > 0 && { step: Number(root.dataset.step) };
    },
    { timeout: STUCK_MS, arg: started, describe: () => document.getElementById("reasoner-run-status")?.textContent },
  );
}

/** Waits until the digits' students have taken steps (or the experiment ended), or an error shows. */
function digitsUnderway(page) {
  return waitInPage(
    page,
    () => {
      const root = document.querySelector("[data-testid=digits-details]");
      const error = document.querySelector("[data-testid=digits-error]");
      if (!error.hidden) return { error: error.textContent };
      const progress = document.querySelector("[data-testid=digits-run-progress]").value;
      return ((root.dataset.phase === "student" && progress > 0.5) || root.dataset.phase === "done") && { phase: root.dataset.phase };
    },
    {
      timeout: STUCK_MS,
      describe: () => {
        const root = document.querySelector("[data-testid=digits-details]");
        return JSON.stringify({ open: root.open, phase: root.dataset.phase, run: document.getElementById("digits-run-status")?.textContent });
      },
    },
  );
}

test("each group's knobs, all at their minimum, then all at their maximum: no out-of-range notice, every control shows its end, and that part trains", { timeout: 1_200_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  // One tab, the page loaded afresh in it for each case: the page keeps nothing between visits
  // (no storage), and the module and data files come from the HTTP cache after the first.
  // Each knob's ends are read and trained natively (config::query, crate/tests/knobs.rs);
  // here a group's knobs go to an end together, so that the page's own controls and its
  // part of the page are seen taking them.
  const lane = await tab(browser);
  const knobs = await knobTable((await lane.visit()).page);
  const groups = [...new Set(knobs.map((knob) => knob.group))];

  for (const group of groups) {
    for (const end of ["min", "max"]) {
      const own = knobs.filter((knob) => knob.group === group);
      await t.test(`${group} at its ${end}`, async () => {
        const section = { chat: "chat", digits: "digits", reasoner: "reasoner" }[group];
        const ends = Object.fromEntries(own.map((knob) => [knob.key, valueAt(knob, end)]));
        const settings = { ...SMALL, ...ends, ...(section && { open: section }) };
        const hash = Object.entries(settings).map(([key, value]) => `${key}=${value}`).join("&");
        const { page, problems } = await lane.visit(hash, { ready: false });
        const outcome = await startOutcome(page);
        assert.equal(outcome.loadError, null);
        assert.equal(outcome.stopped, null, "the trainer takes the settings");
        // An end is in range: no notice may say otherwise. (Another knob may still have to
        // give way, as the students' sample count to the teacher's.)
        const notices = (await page.getByTestId("notices").isVisible()) ? await page.getByTestId("notices").textContent() : "";
        assert.doesNotMatch(notices, OUT_OF_RANGE);
        // Each control holds its end as written: a browser that snapped a slider's value to
        // its step or range would show another.
        const shown = await page.evaluate(
          (keys) => Object.fromEntries(keys.map((key) => [key, document.querySelector(`[data-testid=knob-${key}]`)?.value])),
          Object.keys(ends),
        );
        for (const knob of own) {
          const [value, want] = [shown[knob.key], ends[knob.key]];
          if (knob.kind === "choice") assert.equal(String(value), String(want), knob.key);
          // A logarithmic slider holds the exponent.
          else if (knob.log) assert.ok(Math.abs(10 ** Number(value) / Number(want) - 1) < 1e-6, `${knob.key}: ${value}`);
          else assert.equal(Number(value), Number(want), knob.key);
        }
        if (section === "chat") {
          const round = await chatUnderway(page);
          assert.equal(round.error, undefined, "the round runs");
          assert.equal(round.thieves, 5, `a student per thief at step ${round.step}`);
        } else if (section === "reasoner") {
          const round = await reasonerUnderway(page, { started: end === "max" });
          assert.equal(round.error, undefined, "the round runs");
          if (end === "max") assert.match(round.status, /proxy/, "the steering defence's proxy is trained first");
        } else if (section === "digits") {
          const experiment = await digitsUnderway(page);
          assert.equal(experiment.error, undefined, "the experiment runs");
        } else {
          // The Worker takes a step under the settings; that the group's knobs at an end
          // together train teacher, students and a thief is checked natively.
          const trained = await trainAFew(page, { teacherSteps: 1 });
          assert.equal(trained.stopped?.startsWith("The trainer stopped") ? trained.stopped : null, null);
        }
        if (group === "api") {
          await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled, null, { timeout: STUCK_MS });
          await page.getByTestId("api-start").click();
          const extraction = await extractionUnderway(page);
          assert.equal(extraction.error, undefined, "the extraction runs");
        }
        assert.deepEqual(problems, []);
      });
    }
  }
});

test("Noise slider at its end (End) and learning-rate slider at its start (Home): training proceeds", { timeout: STUCK_MS + 60_000 }, async (t) => {
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
