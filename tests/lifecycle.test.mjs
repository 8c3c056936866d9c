// The page through a tab's life: sent to the background mid-run, frozen and thawed by the
// browser, reset fifty times in a row. It keeps exactly one training worker, finishes its run
// and draws it, and logs nothing.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STUCK_MS, eventually, launch, openPage, pageSummary, play, waitForInk, waitInPage } from "./playground.mjs";

/** A short run: done in a few seconds at this speed. */
const SHORT = "teacher_steps=600&student_steps=600&speed=20";

/**
 * For the resets: a run long enough that none ends between a Play and the Reset after it,
 * however long a busy machine makes a click take (a finished run would make Reset ask first).
 */
const LONGER = "teacher_steps=2000&student_steps=2000&speed=20";

/** Waits for the end of the run and returns the distilled student's agreement shown. */
async function finished(page, timeout = STUCK_MS) {
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout, describe: pageSummary });
  return page.getByTestId("agreement-distilled").textContent();
}

/** The progress bars' values (teacher + students), as steps taken so far. */
function stepsTaken(page) {
  return page.evaluate(() =>
    ["teacher-progress", "student-progress"].reduce((sum, id) => sum + document.querySelector(`[data-testid=${id}]`).value, 0),
  );
}

/**
 * An init script that lets a test hide the page as a browser hides a background tab (headless
 * Chromium keeps every tab visible): window.__hide() makes document.visibilityState "hidden",
 * fires visibilitychange and holds animation frames back; window.__show() undoes it all.
 */
function backgroundTab() {
  const realFrame = window.requestAnimationFrame.bind(window);
  let hidden = false;
  let held = [];
  Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible") });
  Object.defineProperty(document, "hidden", { get: () => hidden });
  window.requestAnimationFrame = (callback) => {
    if (!hidden) return realFrame(callback);
    held.push(callback);
    return 0;
  };
  const set = (value) => {
    hidden = value;
    document.dispatchEvent(new Event("visibilitychange"));
    if (!hidden) for (const callback of held.splice(0)) realFrame(callback);
  };
  window.__hide = () => set(true);
  window.__show = () => set(false);
}

test("a tab sent to the background keeps training and draws the result when it comes back", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SHORT, initScript: backgroundTab });
  await play(page);
  await page.evaluate(() => window.__hide());
  const before = await stepsTaken(page);
  // Training goes on while hidden: the steps taken move on. (Polled on a timer, like the end
  // below: animation frames are held back while hidden.)
  await eventually(async () => assert.ok((await stepsTaken(page)) > before, `still ${before} steps taken`), { timeout: STUCK_MS });
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: STUCK_MS, every: 100, describe: pageSummary });
  await page.evaluate(() => window.__show());
  assert.match(await finished(page), /%/);
  await waitForInk(page, "map-distilled");
  await waitForInk(page, "chart-agreement");
  assert.equal(page.workers().length, 1, "one worker");
  assert.deepEqual(problems, []);
});

test("a tab frozen by the browser and thawed carries on to the end", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, context, problems } = await openPage(browser, { hash: SHORT });
  const cdp = await context.newCDPSession(page);
  await play(page);
  await page.waitForFunction(() => document.querySelector("[data-testid=teacher-progress]").value > 0);
  await cdp.send("Page.setWebLifecycleState", { state: "frozen" });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await cdp.send("Page.setWebLifecycleState", { state: "active" });
  assert.match(await finished(page), /%/);
  await waitForInk(page, "map-distilled");
  assert.equal(page.workers().length, 1, "one worker");
  assert.deepEqual(problems, []);
});

test("fifty resets, some while running: still one worker, and the next run finishes", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: LONGER });
  for (let i = 0; i < 50; i += 1) {
    if (i % 5 === 0) await page.getByTestId("play").click();
    await page.getByTestId("reset").click();
  }
  const summary = () => JSON.stringify({ ...document.documentElement.dataset, asking: !document.getElementById("discard").hidden });
  await waitInPage(page, () => document.documentElement.dataset.phase === "teacher", { timeout: STUCK_MS, describe: summary });
  await play(page);
  assert.match(await finished(page), /%/);
  // A worker started by any of the resets would be there by the end of a whole run.
  assert.equal(page.workers().length, 1, "one worker after 50 resets and a run");
  assert.deepEqual(problems, []);
});

/** An init script that records the type of every message the page posts to a Worker. */
function recordPosts() {
  window.__posted = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    window.__posted.push(message?.type);
    return post.call(this, message, ...rest);
  };
}

test("the playground's worker warms up once, for a reader's first sign: not for a page left alone, nor for a reader at another chapter", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { initScript: recordPosts });
  const warmUps = () => page.evaluate(() => window.__posted.filter((type) => type === "warm-up").length);
  assert.equal(await warmUps(), 0, "asked before any sign of a reader");
  // A reader at the chatbot: its own Worker is to have the cores.
  const chat = page.locator("#chat summary");
  await chat.scrollIntoViewIfNeeded();
  const heading = await chat.boundingBox();
  await page.mouse.move(heading.x + 10, heading.y + 5);
  await page.mouse.move(heading.x + 30, heading.y + 8);
  await chat.focus();
  await page.keyboard.press("Shift");
  assert.equal(await warmUps(), 0, "asked for a reader at the chatbot");
  const maps = page.locator("#playground");
  await maps.scrollIntoViewIfNeeded();
  const box = await maps.boundingBox();
  await page.mouse.move(box.x + 20, box.y + 20);
  await page.mouse.move(box.x + 40, box.y + 30);
  await page.keyboard.press("Shift");
  assert.equal(await warmUps(), 1, "asked once for the reader's first signs at the playground");
  assert.deepEqual(problems, []);
});
