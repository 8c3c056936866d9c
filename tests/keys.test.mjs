// Safe keys for a presenter: Space and R act on the playground only while the page itself has
// the focus, never on a focused heading, button or link; and nothing finished (a run, an
// extraction, an investigation) is thrown away without asking first.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STUCK_MS, frames, launch, openPage, pageSummary, waitInPage } from "./playground.mjs";

/** A run that finishes in seconds. */
const SHORT = "teacher_steps=600&student_steps=600&speed=20";

const state = (page) =>
  page.evaluate(() => ({
    phase: document.documentElement.dataset.phase,
    running: document.documentElement.dataset.running,
    teacher: document.querySelector("[data-testid=teacher-progress]").value,
    asking: !document.querySelector("[data-testid=discard]").hidden,
    focus: document.activeElement?.tagName.toLowerCase(),
  }));

/** Plays the short run to its end. */
async function finishRun(page) {
  await page.getByTestId("play").click();
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: STUCK_MS, describe: pageSummary });
}

/** Moves the focus back to the page itself (the body), as a click on plain text does. */
async function focusBody(page) {
  await page.evaluate(() => document.activeElement?.blur());
  assert.equal((await state(page)).focus, "body");
}

test("Space with the focus on the page plays and pauses; on a focused heading or button it is theirs", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SHORT });
  await focusBody(page);
  await page.keyboard.press(" ");
  await page.waitForFunction(() => document.documentElement.dataset.running === "true");
  // Paused only once the teacher has moved, so that a reset below would show.
  await page.waitForFunction(() => document.querySelector("[data-testid=teacher-progress]").value > 0);
  await page.keyboard.press(" ");
  await page.waitForFunction(() => document.documentElement.dataset.running === "false");

  // R on a focused button is not a reset: the button has the focus, and its own keys. A
  // tick already on its way when the pause came may still land: the run is read once the
  // worker has said it took the pause.
  await page.waitForFunction(() => document.documentElement.dataset.workerRunning === "false", null, { timeout: STUCK_MS });
  const before = (await state(page)).teacher;
  await page.getByTestId("step").focus();
  await page.keyboard.press("r");
  await page.getByTestId("tour-open").focus();
  await page.keyboard.press("R");
  // A reset clears the phase (or asks first) in the key's own handler: by the next frames it
  // would show.
  await frames(page);
  const untouched = await state(page);
  assert.ok(untouched.phase && !untouched.asking, `R on a focused button neither reset nor asked: ${JSON.stringify(untouched)}`);
  assert.equal(untouched.teacher, before, "R on a focused button left the run alone");

  await finishRun(page);
  const done = await state(page);
  // Space on the focused "Real digits" heading opens that section; the finished run stays.
  await page.locator("#digits summary").focus();
  await page.keyboard.press(" ");
  await page.waitForFunction(() => document.querySelector("[data-testid=digits-details]").open);
  const after = await state(page);
  assert.equal(after.phase, "done", "the finished run is still there");
  assert.equal(after.teacher, done.teacher);
  assert.equal(after.asking, false, "no question: Space was the heading's");
  assert.deepEqual(problems, []);
});

test("R or Replay with a finished run asks first: Keep keeps it, Reset discards it", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SHORT });
  await finishRun(page);
  const agreement = await page.getByTestId("agreement-distilled").textContent();

  await focusBody(page);
  await page.keyboard.press("r");
  await page.getByTestId("discard").waitFor({ state: "visible" });
  assert.equal(await page.getByTestId("discard-text").textContent(), "Reset discards the finished run.");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "discard-keep", "Keep has the focus");
  // Space now presses Keep, the focused button: nothing is lost.
  await page.keyboard.press(" ");
  await page.getByTestId("discard").waitFor({ state: "hidden" });
  let now = await state(page);
  assert.equal(now.phase, "done");
  assert.equal(await page.getByTestId("agreement-distilled").textContent(), agreement, "the results are still shown");

  // Replay (Space on the page, or the Play button) asks the same; Reset resets.
  await focusBody(page);
  await page.keyboard.press(" ");
  await page.getByTestId("discard").waitFor({ state: "visible" });
  assert.equal(await page.getByTestId("discard-text").textContent(), "Replay discards the finished run.");
  await page.getByTestId("discard-keep").click();
  assert.equal((await state(page)).phase, "done");

  await page.getByTestId("reset").click();
  await page.getByTestId("discard").waitFor({ state: "visible" });
  await page.getByTestId("discard-go").click();
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher" && document.querySelector("[data-testid=teacher-progress]").value === 0);
  now = await state(page);
  assert.equal(now.asking, false);
  assert.equal(now.running, "false", "a reset waits for Play");

  // With nothing finished, R resets at once.
  await page.getByTestId("step").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=teacher-progress]").value > 0);
  await focusBody(page);
  await page.keyboard.press("r");
  await page.waitForFunction(() => document.querySelector("[data-testid=teacher-progress]").value === 0);
  assert.equal((await state(page)).asking, false);
  assert.deepEqual(problems, []);
});
