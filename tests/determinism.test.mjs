// A link reproduces its run exactly: the same seed gives the same final numbers on the page
// whatever the Speed (steps per frame, which only paces the run), and on a second visit.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, STUCK_MS, launch, openPage, pageSummary, play, waitInPage } from "./playground.mjs";

/** A run short enough to finish in seconds even at a low speed. */
const RUN = "seed=7&teacher_steps=200&student_steps=200";

/** Every final figure the scoreboard and headline show. */
const FIGURES = [
  "acc-teacher",
  "acc-distilled",
  "acc-hard",
  "agreement-distilled",
  "agreement-hard",
  "test-agreement-distilled",
  "test-agreement-hard",
  "kl-distilled",
  "kl-hard",
];

/** Plays `page` (already at its address) to the end and returns its figures. */
async function finalFigures(page) {
  await play(page);
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: STUCK_MS, describe: pageSummary });
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.querySelector(`[data-testid=${id}]`).textContent])), FIGURES);
}

test("the same seed gives the same final numbers at speed 7 and at speed 200", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const slow = await openPage(browser, { hash: `${RUN}&speed=7` });
  const fast = await openPage(browser, { hash: `${RUN}&speed=200` });
  const [atSeven, atTwoHundred] = [await finalFigures(slow.page), await finalFigures(fast.page)];
  assert.ok(!Object.values(atSeven).includes("–"), `every figure measured: ${JSON.stringify(atSeven)}`);
  assert.deepEqual(atSeven, atTwoHundred);
  assert.deepEqual([...slow.problems, ...fast.problems], []);
});

test("the same address gives the same final numbers on a second visit", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: `${RUN}&speed=50` });
  const first = await finalFigures(page);
  await page.goto("about:blank");
  await page.goto(`${BASE}#${RUN}&speed=50`);
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher");
  assert.deepEqual(await finalFigures(page), first);
  assert.deepEqual(problems, []);
});
