// Shared helpers for the browser tests: launch Chromium, open the page with a hash, collect
// what went wrong, and read what the page shows. The tests of a file share one Chromium,
// each with contexts of its own.
//
// Environment (set by `cargo xtask test`):
//   PLAYGROUND_URL  the page's address, ending in "/" (default http://127.0.0.1:8000/)
//   TEST_OUTPUT     directory for screenshots (default tests/output/)
//   CHROMIUM        the browser executable (default /usr/bin/chromium)

import { mkdirSync } from "node:fs";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const BASE = withSlash(process.env.PLAYGROUND_URL || "http://127.0.0.1:8000/");
export const OUTPUT = process.env.TEST_OUTPUT || fileURLToPath(new URL("./output/", import.meta.url));
mkdirSync(OUTPUT, { recursive: true });

/**
 * How long a wait for something the page will do (end a run, give a verdict) may last before
 * the test calls the page stuck. Not a speed requirement: an idle machine needs a small
 * fraction of it and a loaded one may take many times as long as an idle one; it only turns a
 * page that never gets there into a failure that says what it showed last. A test that waits
 * this long sets its own timeout above it.
 */
export const STUCK_MS = 300_000;

/**
 * A headless Chromium for a test, as the notes on this machine prescribe: its contexts are the
 * test's own, closed by its `close()`. Under the test runner, the tests of a file share one
 * Chromium (launching one costs more than half a core-second), closed after the file's last
 * test; with `args`, or outside the runner, a test gets one of its own. Every context it opens
 * (`browser.newPage()` opens one too) waits up to STUCK_MS for what the page will do, rather
 * than Playwright's 30 s: a loaded machine may take longer than that for a step.
 */
export async function launch({ args = [] } = {}) {
  if (args.length || !shared) return started(args);
  const browser = await (shared.browser ??= started([]));
  const contexts = [];
  return {
    async newContext(options) {
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    },
    async newPage(options) {
      return (await this.newContext(options)).newPage();
    },
    startTracing: (...given) => browser.startTracing(...given),
    stopTracing: (...given) => browser.stopTracing(...given),
    close: () => Promise.all(contexts.splice(0).map((context) => context.close())),
  };
}

/** The file's shared Chromium (its `browser`, once a test has asked), when under the test runner. */
const shared = process.env.NODE_TEST_CONTEXT ? {} : null;
if (shared) after(() => shared.browser?.then((browser) => browser.close()));

/** A fresh headless Chromium with the notes' flags and `args`, its contexts given STUCK_MS. */
async function started(args) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...args,
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(STUCK_MS);
    return context;
  };
  return browser;
}

/**
 * Opens the page (with `hash`, without the "#") in a new context and waits until it shows
 * its first state. Returns { page, context, problems, requests }: `problems` collects console
 * errors and uncaught page errors (worker ones included), `requests` every URL requested.
 */
export async function openPage(browser, { hash = "", width = 1280, height = 900, scale = 1, initScript } = {}) {
  return (await tab(browser, { width, height, scale, initScript })).visit(hash);
}

/**
 * A tab in a new context, the page not yet loaded: { page, context, problems, requests, visit }
 * (`problems` and `requests` as openPage's). `visit(hash)` loads the page afresh in it, as a
 * reader reloading would, and waits until it shows its first state (or, with `ready: false`,
 * only until it has loaded): through about:blank, which ends the last visit's document and
 * its Workers, with `problems` and `requests` emptied. A visit keeps the tab's renderer
 * process, so it costs Chromium about half the CPU of a new context; the page stores nothing,
 * so it starts as it would in a fresh one.
 */
export async function tab(browser, { width = 1280, height = 900, scale = 1, initScript } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale });
  const problems = [];
  const requests = [];
  context.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  context.on("request", (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  if (initScript) await page.addInitScript(initScript);
  const opened = { page, context, problems, requests };
  opened.visit = async (hash = "", { ready = true } = {}) => {
    await page.goto("about:blank");
    problems.length = 0;
    requests.length = 0;
    await page.goto(BASE + (hash ? `#${hash}` : ""));
    if (ready) await waitForReady(page);
    return opened;
  };
  return opened;
}

/**
 * Waits until the page shows a trainer state (html[data-phase] is set by playground/readouts.js on every
 * update); fails at once with the page's own message if it shows a load error instead.
 */
export async function waitForReady(page, timeout = STUCK_MS) {
  const state = await page.waitForFunction(
    () => {
      const error = document.querySelector("[data-testid=load-error]");
      if (error && !error.hidden) return { error: error.textContent };
      return document.documentElement.dataset.phase ? { phase: document.documentElement.dataset.phase } : null;
    },
    null,
    { timeout, polling: 100 },
  );
  const value = await state.jsonValue();
  if (value.error) throw new Error(`the page shows a load error: ${value.error}`);
  return value.phase;
}

/**
 * Waits until the page has started or shown why not, and returns what it shows:
 * { phase, loadError, stopped }: the trainer's phase once it has posted a state, the load
 * error's text, and the divergence box's title and message ("The trainer stopped with an
 * error: …"); each null when absent.
 */
export async function startOutcome(page, timeout = STUCK_MS) {
  return waitInPage(
    page,
    () => {
      const shown = (id) => {
        const element = document.querySelector(`[data-testid=${id}]`);
        return element && !element.hidden ? element.textContent.trim() : null;
      };
      const stopped = shown("divergence") && `${shown("divergence-title")}: ${shown("divergence-message")}`;
      const outcome = { phase: document.documentElement.dataset.phase ?? null, loadError: shown("load-error"), stopped };
      return (outcome.phase || outcome.loadError || outcome.stopped) && outcome;
    },
    { timeout, every: 100, describe: pageSummary },
  );
}

/**
 * Plays until the trainer has taken a few steps: some students' steps, or `teacherSteps`
 * of the teacher's when it has more to do, or the end. Returns startOutcome's report then.
 */
export async function trainAFew(page, { teacherSteps = 200, timeout = STUCK_MS } = {}) {
  await play(page);
  await waitInPage(
    page,
    (least) => {
      const { phase } = document.documentElement.dataset;
      const bar = (id) => document.querySelector(`[data-testid=${id}]`).value;
      const stopped = !document.querySelector("[data-testid=divergence]").hidden;
      return stopped || phase === "done" || phase === "diverged" || bar("student-progress") > 0 || bar("teacher-progress") >= least;
    },
    { timeout, arg: teacherSteps, describe: pageSummary },
  );
  return startOutcome(page);
}

/**
 * Opens the section `id` (`digits`, `chat`, `reasoner`: one that fetches its own files) by its
 * heading, and waits until it has read its files and shows its body, or shows its error:
 * { ms, bytes } (its data-load-ms and data-bytes) or { error }. `describe` (run in the page)
 * says what it showed if neither comes.
 */
export async function openSection(page, id, describe) {
  await page.locator(`#${id} summary`).click();
  return waitInPage(
    page,
    (id) => {
      const root = document.querySelector(`[data-testid=${id}-details]`);
      const error = document.querySelector(`[data-testid=${id}-error]`);
      if (!error.hidden) return { error: error.textContent };
      return root.dataset.loadMs ? { ms: Number(root.dataset.loadMs), bytes: Number(root.dataset.bytes) } : null;
    },
    { timeout: STUCK_MS, arg: id, describe },
  );
}

/** The crate's knob table, from the page's own instance of the wasm module (knobs()). */
export function knobTable(page) {
  return page.evaluate(async () => (await import(new URL("pkg/distill.js", document.baseURI).href)).knobs());
}

/** The page's current phase ("teacher", "student", "done", "diverged"). */
export function phase(page) {
  return page.evaluate(() => document.documentElement.dataset.phase);
}

/** Presses Play and waits until the page is running (or has already run to its end). */
export async function play(page) {
  await page.getByTestId("play").click();
  await page.waitForFunction(
    () => {
      const { running, phase } = document.documentElement.dataset;
      return running === "true" || phase === "done" || phase === "diverged";
    },
    null,
    { timeout: STUCK_MS },
  );
}

/**
 * Pauses the playground's run if it is running, and waits until the page says it is not. The
 * check and the click are one task of the page: a run that ends between a check from here and
 * a click would take the click as Replay, and ask before discarding its results.
 */
export async function pause(page) {
  await page.evaluate(() => {
    if (document.documentElement.dataset.running === "true") document.getElementById("play").click();
  });
  await page.waitForFunction(() => document.documentElement.dataset.running === "false");
}

/** A percentage shown by the page ("97.3 %") as a number, or NaN while it shows "–". */
export async function percentOf(page, testId) {
  return parseFloat(await page.getByTestId(testId).textContent());
}

/**
 * Waits until `predicate` (run in the page) returns something truthy, polling every `every`
 * ms; on timeout, throws with `describe()` (also run in the page) to say what it saw last.
 */
export async function waitInPage(page, predicate, { timeout, every = 250, arg = null, describe }) {
  try {
    const handle = await page.waitForFunction(predicate, arg, { timeout, polling: every });
    return handle.jsonValue();
  } catch (error) {
    const seen = describe ? await page.evaluate(describe, arg).catch(() => "(page gone)") : "";
    throw new Error(`${error.message.split("\n")[0]}; last seen: ${seen}`);
  }
}

/**
 * Runs `check` (assertions about the page, async) until it passes, and returns what it returns;
 * rethrows its last failure once `timeout` ms have gone by. For what the page settles into over
 * an update or two (a sentence rebuilt from numbers drawn in the same frame), in place of a
 * fixed sleep.
 */
export async function eventually(check, { timeout = STUCK_MS, every = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= end) throw error;
      await new Promise((resolve) => setTimeout(resolve, every));
    }
  }
}

/**
 * Waits for `n` animation frames in the page: whatever an update or a resize scheduled for
 * the next frame (drawings, layout from a ResizeObserver) has happened by then.
 */
export function frames(page, n = 2) {
  return page.evaluate(
    (n) =>
      new Promise((resolve) => {
        const next = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)));
        next(n);
      }),
    n,
  );
}

/** The state the toolbar and scoreboard show, for failure messages. */
export function pageSummary() {
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
  return JSON.stringify({
    phase: text("phase"),
    agreementDistilled: text("agreement-distilled"),
    agreementHard: text("agreement-hard"),
    divergence: document.querySelector("[data-testid=divergence]")?.hidden === false ? text("divergence-message") : null,
  });
}

/**
 * Plays until the teacher has finished training (the students' phase or the end), so that
 * the API section and the evidence panel can start.
 */
export async function trainTeacher(page, timeout = STUCK_MS) {
  await play(page);
  await waitInPage(page, () => ["student", "done"].includes(document.documentElement.dataset.phase), {
    timeout,
    describe: pageSummary,
  });
}

/** Plays until the students have taken `fraction` of their steps (or the run is done). */
export async function trainStudents(page, fraction, timeout = STUCK_MS) {
  await play(page);
  await waitInPage(
    page,
    (f) => {
      const phase = document.documentElement.dataset.phase;
      const students = document.querySelector("[data-testid=student-progress]");
      return phase === "done" || (phase === "student" && students.value >= f * students.max);
    },
    { timeout, arg: fraction, describe: pageSummary },
  );
}

/**
 * Waits until the canvas `testId` is drawn: until more than `least` of its pixels differ
 * from its top-left one (a blank or hidden canvas has none). Returns that fraction.
 */
export function waitForInk(page, testId, { least = 0.01, timeout = STUCK_MS } = {}) {
  return waitInPage(
    page,
    ({ testId, least }) => {
      const canvas = document.querySelector(`[data-testid=${testId}]`);
      if (!canvas || canvas.hidden || !canvas.width || !canvas.height) return false;
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const pixels = new Uint32Array(data.buffer);
      let differing = 0;
      for (const pixel of pixels) if (pixel !== pixels[0]) differing += 1;
      return differing / pixels.length > least && differing / pixels.length;
    },
    {
      timeout,
      arg: { testId, least },
      describe: ({ testId }) => {
        const canvas = document.querySelector(`[data-testid=${testId}]`);
        return canvas ? `${testId}: ${canvas.width} × ${canvas.height}, hidden ${canvas.hidden}` : `no ${testId}`;
      },
    },
  );
}

/** The API section's state, for failure messages. Runs in the page. */
export function apiSummary() {
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
  return JSON.stringify({
    phase: document.documentElement.dataset.phase,
    extraction: document.documentElement.dataset.extraction,
    investigation: document.documentElement.dataset.investigation,
    status: text("api-status"),
    queries: text("api-queries"),
    cost: text("api-cost"),
    error: text("api-error") || text("evidence-error"),
    evidence: text("investigate-status"),
  });
}

/** Saves a picture of the element `selector` alone (the sticky toolbar cannot cover it). */
export async function screenshotOf(page, selector, path) {
  const clip = await page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return { x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height };
  });
  await page.screenshot({ path, fullPage: true, clip });
}

/** The key=value pairs of a hash ("#a=1&b=x" or "a=1&b=x") as an object. */
export function hashParams(hash) {
  return Object.fromEntries(new URLSearchParams(hash.replace(/^#/, "")));
}

/** Clicks the decision map `which` at fractions (fx, fy) of its width and height. */
export async function clickMap(page, which, fx = 0.3, fy = 0.4) {
  const map = page.getByTestId(`map-${which}`);
  // The layout may still be settling (a panel appearing beside the maps): click once the map's
  // box is the same on two frames running.
  let box = await map.boundingBox();
  for (;;) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const next = await map.boundingBox();
    if (JSON.stringify(next) === JSON.stringify(box)) break;
    box = next;
  }
  await map.click({ position: { x: box.width * fx, y: box.height * fy } });
}

function withSlash(url) {
  return url.endsWith("/") ? url : `${url}/`;
}
