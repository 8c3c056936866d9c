// Training in the page: the distilled student learns to agree with the teacher, and the main
// thread stays responsive while the worker trains.

import assert from "node:assert/strict";
import { test } from "node:test";
import { TASK_CPU_LIMIT_MS, describeTasks, traceMainThread } from "./main-thread.mjs";
import { STUCK_MS, clickMap, frames, launch, openPage, pageSummary, percentOf, play, trainStudents, waitInPage } from "./playground.mjs";

/** The page opens on the playground's lesson: at its end the distilled student must lead its twin by this much. */
const LEAD_GOAL_POINTS = 10;

test(`no main-thread task takes over ${TASK_CPU_LIMIT_MS} ms of CPU while training, probing and resizing`, { timeout: 2 * STUCK_MS }, async (t) => {
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

/** Counts, from before the page's own scripts, what the drawing asks of the browser during a run. */
function countDrawing() {
  const counts = { offsetHeight: 0, mapFillRects: 0, teacherMapDraws: 0, studentsTraining: false };
  window.__drawing = counts;
  const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetHeight");
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
    get() {
      counts.offsetHeight += 1;
      return height.get.call(this);
    },
  });
  const fillRect = CanvasRenderingContext2D.prototype.fillRect;
  CanvasRenderingContext2D.prototype.fillRect = function (...args) {
    if (this.canvas.id?.startsWith("map-")) counts.mapFillRects += 1;
    return fillRect.apply(this, args);
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === "draw map-teacher" && counts.studentsTraining) counts.teacherMapDraws += 1;
    }
  }).observe({ entryTypes: ["measure"] });
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(() => {
      counts.studentsTraining ||= document.documentElement.dataset.phase === "student";
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-phase"] });
  });
}

test(`on the opening setting the distilled student ends > ${LEAD_GOAL_POINTS} points ahead of its hard-label twin; the run's drawing lays out no page per label, paints each map in one call, leaves the teacher's map alone once it is trained, and never moves the page`, { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { initScript: countDrawing });
  assert.equal(await page.evaluate(() => location.hash), "", "the page opens on its own setting");
  assert.ok(Number.isNaN(await percentOf(page, "agreement-distilled")), "no agreement is shown before the students train");
  const started = Date.now();
  await play(page);
  // Where the maps start, every frame until the run is over: a toolbar that changed height
  // with its text would move the whole page under a reader's pointer.
  const tops = page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = new Set();
        const frame = () => {
          seen.add(Math.round(document.querySelector("main").getBoundingClientRect().y));
          if (document.documentElement.dataset.phase === "done") resolve([...seen]);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: STUCK_MS, describe: pageSummary });
  const seconds = (Date.now() - started) / 1000;
  const [distilled, hard] = [await percentOf(page, "agreement-distilled"), await percentOf(page, "agreement-hard")];
  const [accDistilled, accHard] = [await percentOf(page, "acc-distilled"), await percentOf(page, "acc-hard")];
  t.diagnostic(`agreement ${distilled} vs ${hard} %, accuracy ${accDistilled} vs ${accHard} %, after ${seconds.toFixed(1)} s`);
  assert.ok(distilled - hard > LEAD_GOAL_POINTS, `agreement ${distilled} vs ${hard}`);
  assert.ok(accDistilled > accHard, `accuracy ${accDistilled} vs ${accHard}`);
  assert.equal((await tops).length, 1, `the page under the toolbar moved while the run trained: its top at ${await tops} px`);
  await frames(page); // the last update's drawings
  const counts = await page.evaluate(() => window.__drawing);
  const draws = await page.evaluate(() => performance.getEntriesByName("draw map-distilled").length);
  // Every map's drawings: the teacher's and both students'.
  const mapDraws = await page.evaluate(() => performance.getEntriesByType("measure").filter((entry) => entry.name.startsWith("draw map-")).length);
  t.diagnostic(`${JSON.stringify(counts)}; the distilled student's map drawn ${draws} times, the maps ${mapDraws}`);
  assert.ok(draws >= 20, `the maps were drawn as the run went (${draws} times)`);
  assert.ok(counts.studentsTraining, "the page showed the students' phase");
  // plotters measures a label by laying out the page (offsetHeight): each label once per font,
  // not once per frame (that was ~860 reads a run).
  assert.ok(counts.offsetHeight < 100, `${counts.offsetHeight} offsetHeight reads during one run`);
  // A map's 4,096 cells are one putImageData, not a fillRect each: fewer fillRects than map
  // drawings (what else a map draws with one, now and then, varies with the run's pace).
  assert.ok(counts.mapFillRects < mapDraws, `${counts.mapFillRects} fillRect calls on the maps in ${mapDraws} drawings of them`);
  // Once the students train, the teacher's map changes only when the probe moves onto it (once).
  assert.ok(counts.teacherMapDraws <= 3, `the teacher's map was drawn ${counts.teacherMapDraws} times while the students trained`);
  assert.deepEqual(problems, []);
});
