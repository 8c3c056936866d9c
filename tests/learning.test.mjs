// Training in the page: the distilled student learns to agree with the teacher, and the main
// thread stays responsive while the worker trains.

import assert from "node:assert/strict";
import { test } from "node:test";
import { TASK_CPU_LIMIT_MS, describeTasks, traceMainThread } from "./main-thread.mjs";
import { clickMap, launch, openPage, pageSummary, percentOf, play, trainStudents, waitInPage } from "./playground.mjs";

/** On the default scenario the distilled student must pass this agreement with the teacher… */
const AGREEMENT_GOAL_PERCENT = 90;
/** …within this long after Play (teacher training included). */
const AGREEMENT_TIMEOUT_MS = 60_000;

test(`the distilled student agrees with the teacher on > ${AGREEMENT_GOAL_PERCENT} % of the plane within ${AGREEMENT_TIMEOUT_MS / 1000} s`, { timeout: AGREEMENT_TIMEOUT_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  assert.ok(Number.isNaN(await percentOf(page, "agreement-distilled")), "no agreement is shown before the students train");
  const started = Date.now();
  await play(page);
  await waitInPage(
    page,
    (goal) => parseFloat(document.querySelector("[data-testid=agreement-distilled]").textContent) > goal,
    { timeout: AGREEMENT_TIMEOUT_MS, arg: AGREEMENT_GOAL_PERCENT, describe: pageSummary },
  );
  const seconds = (Date.now() - started) / 1000;
  const agreement = await percentOf(page, "agreement-distilled");
  t.diagnostic(`distilled agreement ${agreement} % after ${seconds.toFixed(1)} s`);
  assert.ok(agreement > AGREEMENT_GOAL_PERCENT && agreement <= 100, `agreement ${agreement}`);
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
