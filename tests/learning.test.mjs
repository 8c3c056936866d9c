// Training in the page: the distilled student learns to agree with the teacher, and the main
// thread stays responsive while the worker trains.

import assert from "node:assert/strict";
import { test } from "node:test";
import { TASK_CPU_LIMIT_MS, describeTasks, traceMainThread } from "./main-thread.mjs";
import { clickMap, launch, openPage, pageSummary, percentOf, play, trainStudents, waitInPage } from "./playground.mjs";

/** The page opens on the playground's lesson: at its end the distilled student must lead its twin by this much… */
const LEAD_GOAL_POINTS = 10;
/** …within this long after Play (teacher training included). */
const RUN_TIMEOUT_MS = 90_000;

test(`on the opening setting the distilled student ends > ${LEAD_GOAL_POINTS} points ahead of its hard-label twin`, { timeout: RUN_TIMEOUT_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  assert.equal(await page.evaluate(() => location.hash), "", "the page opens on its own setting");
  assert.ok(Number.isNaN(await percentOf(page, "agreement-distilled")), "no agreement is shown before the students train");
  const started = Date.now();
  await play(page);
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: RUN_TIMEOUT_MS, describe: pageSummary });
  const seconds = (Date.now() - started) / 1000;
  const [distilled, hard] = [await percentOf(page, "agreement-distilled"), await percentOf(page, "agreement-hard")];
  const [accDistilled, accHard] = [await percentOf(page, "acc-distilled"), await percentOf(page, "acc-hard")];
  t.diagnostic(`agreement ${distilled} vs ${hard} %, accuracy ${accDistilled} vs ${accHard} %, after ${seconds.toFixed(1)} s`);
  assert.ok(distilled - hard > LEAD_GOAL_POINTS, `agreement ${distilled} vs ${hard}`);
  assert.ok(accDistilled > accHard, `accuracy ${accDistilled} vs ${accHard}`);
  assert.deepEqual(problems, []);
});

test(`no main-thread task takes over ${TASK_CPU_LIMIT_MS} ms of CPU while training, probing and resizing`, { timeout: 120_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  const tasks = await traceMainThread(browser, page, async () => {
    // Through the teacher phase and well into the students' one, with some clicks and a resize.
    await trainStudents(page, 0.3);
    await clickMap(page, "distilled", 0.6, 0.3);
    await page.setViewportSize({ width: 900, height: 900 });
    await clickMap(page, "hard", 0.2, 0.7);
    await page.waitForTimeout(2_000); // keep training (and drawing) a little longer
  });
  const { cpu, text } = describeTasks(tasks);
  t.diagnostic(text);
  assert.ok(cpu.cpu <= TASK_CPU_LIMIT_MS, `a main-thread task took ${cpu.cpu.toFixed(0)} ms of CPU: ${text}`);
  assert.deepEqual(problems, []);
});
