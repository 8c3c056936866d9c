// Training in the page: the distilled student learns to agree with the teacher, and the main
// thread stays responsive while the worker trains.

import assert from "node:assert/strict";
import { test } from "node:test";
import { clickMap, launch, openPage, pageSummary, percentOf, play, trainStudents, waitInPage } from "./playground.mjs";

/** On the default scenario the distilled student must pass this agreement with the teacher… */
const AGREEMENT_GOAL_PERCENT = 90;
/** …within this long after Play (teacher training included). */
const AGREEMENT_TIMEOUT_MS = 60_000;
/** No task on the main thread may take longer than this during training. */
const LONG_TASK_LIMIT_MS = 100;

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

test(`no main-thread task over ${LONG_TASK_LIMIT_MS} ms while training, probing and resizing`, { timeout: 120_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, {
    initScript: () => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
        }
      }).observe({ type: "longtask", buffered: true });
    },
  });
  const supported = await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes("longtask"));
  assert.ok(supported, "this Chromium reports long tasks (else the check below would be empty)");
  const since = await page.evaluate(() => performance.now());
  // Through the teacher phase and well into the students' one, with some clicks and a resize.
  await trainStudents(page, 0.3);
  await clickMap(page, "distilled", 0.6, 0.3);
  await page.setViewportSize({ width: 900, height: 900 });
  await clickMap(page, "hard", 0.2, 0.7);
  await page.waitForTimeout(2_000); // keep training (and drawing) a little longer
  const tasks = await page.evaluate((t0) => window.__longTasks.filter((task) => task.start >= t0), since);
  const longest = Math.max(0, ...tasks.map((task) => task.duration));
  t.diagnostic(`${tasks.length} tasks over 50 ms during training; longest ${longest.toFixed(0)} ms`);
  assert.ok(longest <= LONG_TASK_LIMIT_MS, `longest main-thread task ${longest.toFixed(0)} ms: ${JSON.stringify(tasks)}`);
  assert.deepEqual(problems, []);
});
