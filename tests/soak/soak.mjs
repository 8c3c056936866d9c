// soak.mjs: drives the page for a while as a class would — dataset switches, runs, replays,
// extractions, investigations — and watches its memory for a trend. Not a test (the suite runs
// only tests/*.test.mjs); `cargo xtask soak --minutes N` runs it against a fresh server:
//
//   node tests/soak/soak.mjs [--minutes 10] [--every 10]    (PLAYGROUND_URL as for the tests)
//
// Two pages, each in its own context (so its own renderer process): the driven one, and an
// idle one loaded at the same time and left alone, as a baseline for what the browser's
// renderer does by itself. Every `--every` seconds it samples, for each page: the JS heap of
// the page and of its workers (CDP Runtime.getHeapUsage), the wasm memory of each, the DOM's
// documents, nodes and event listeners (CDP Memory.getDOMCounters), the workers, and the
// renderer process's resident and private memory (/proc), after a garbage collection in the
// page and each worker. It ends with each figure's slope
// per minute (least squares, after the first cycle) as a table, and writes every sample to
// TEST_OUTPUT/soak.json.

import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BASE, OUTPUT, apiSummary, knobTable, launch, openPage, pageSummary, waitInPage } from "../playground.mjs";

const { values: options } = parseArgs({
  options: { minutes: { type: "string", default: "10" }, every: { type: "string", default: "10" } },
});
const MINUTES = Number(options.minutes);
const EVERY_MS = Number(options.every) * 1000;
/** The longest any one step of the drive may take before the soak gives up. */
const STEP_TIMEOUT_MS = 180_000;
const MB = 1024 * 1024;

const browser = await launch();
try {
  await soak();
} finally {
  await browser.close();
}

async function soak() {
  const driven = await watched("driven");
  const idle = await watched("idle");
  const scenarios = (await knobTable(driven.page)).find((knob) => knob.key === "scenario").choices;
  const began = Date.now();
  const end = began + MINUTES * 60_000;
  const samples = [];
  let cycles = 0;
  let warmUp = null; // the minute the first cycle ended: slopes are taken from then on

  const sampler = (async () => {
    while (Date.now() < end) {
      const at = (Date.now() - began) / 60_000;
      samples.push({ minute: at, driven: await measure(driven), idle: await measure(idle) });
      const last = samples.at(-1);
      console.log(
        `${at.toFixed(2).padStart(6)} min  cycles ${cycles}  heap ${mb(last.driven.jsHeap)}  wasm ${mb(last.driven.wasm)}  workers ${last.driven.workers}` +
          `  nodes ${last.driven.nodes}  listeners ${last.driven.listeners}  renderer ${mb(last.driven.rendererPrivate)} (idle ${mb(last.idle.rendererPrivate)}) private MB`,
      );
      await sleep(Math.max(0, Math.min(EVERY_MS, end - Date.now())));
    }
  })();
  while (Date.now() < end) {
    await cycle(driven.page, scenarios[(cycles + 1) % scenarios.length]);
    cycles += 1;
    warmUp ??= (Date.now() - began) / 60_000;
  }
  await sampler;
  report(samples, cycles, warmUp);
}

/** One round of what a class does: a dataset switch, a run, an extraction, an investigation, a replay. */
async function cycle(page, scenario) {
  await page.getByTestId("knob-scenario").selectOption(scenario);
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher");
  await page.getByTestId("play").click();
  await runEnds(page);
  await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled);
  await page.getByTestId("api-start").click();
  await waitInPage(page, () => ["done", "banned"].includes(document.documentElement.dataset.extraction), {
    timeout: STEP_TIMEOUT_MS,
    describe: apiSummary,
  });
  await page.getByTestId("investigate").click();
  await waitInPage(page, () => document.documentElement.dataset.investigation === "done", {
    timeout: STEP_TIMEOUT_MS,
    describe: apiSummary,
  });
  await page.getByTestId("play").click(); // "Replay"
  await runEnds(page);
}

function runEnds(page) {
  return waitInPage(page, () => ["done", "diverged"].includes(document.documentElement.dataset.phase), {
    timeout: STEP_TIMEOUT_MS,
    describe: pageSummary,
  });
}

/**
 * Opens the page in a new context and finds what to watch: its CDP session, the browser-level
 * session that reaches its workers, and its renderer process (the one that appeared with it).
 */
async function watched(name) {
  const before = new Set(renderers());
  const { page, context } = await openPage(browser);
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send("Target.getTargetInfo");
  // Chromium may also start a spare renderer for the next page: the page's own holds its wasm.
  const fresh = renderers().filter((pid) => !before.has(pid));
  if (fresh.length === 0) throw new Error(`${name}: no new renderer process`);
  const pid = fresh.reduce((a, b) => (privateMemory(b) > privateMemory(a) ? b : a));
  const browserCdp = await browser.newBrowserCDPSession();
  return { name, page, cdp, browserCdp, contextId: targetInfo.browserContextId, pid, workerSessions: new Map() };
}

/** Every figure for one page, now. */
async function measure(watch) {
  const { page, cdp } = watch;
  // Live memory, not garbage waiting for a collection: a leak survives this, garbage does not.
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const dom = await cdp.send("Memory.getDOMCounters");
  const wasm = await page.evaluate(async (url) => (await (await import(url)).default()).memory.buffer.byteLength, `${BASE}pkg/distill.js`);
  const workers = await workerFigures(watch);
  return {
    jsHeap: heap.usedSize,
    wasm,
    workers: page.workers().length,
    workerJsHeap: sum(workers.map((w) => w.jsHeap)),
    workerWasm: sum(workers.map((w) => w.wasm)),
    documents: dom.documents,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
    rendererRss: processMemory(watch.pid).Rss,
    rendererPrivate: privateMemory(watch.pid),
  };
}

/**
 * The JS heap and wasm memory of each worker of the page's context, through a browser-level
 * CDP session attached to each worker target (messages wrapped in Target.sendMessageToTarget).
 */
async function workerFigures(watch) {
  const { browserCdp, contextId, workerSessions } = watch;
  const { targetInfos } = await browserCdp.send("Target.getTargets");
  const workers = targetInfos.filter((info) => info.type === "worker" && info.browserContextId === contextId);
  const figures = [];
  for (const info of workers) {
    if (!workerSessions.has(info.targetId)) workerSessions.set(info.targetId, await attach(browserCdp, info.targetId));
    const call = workerSessions.get(info.targetId);
    await call("HeapProfiler.collectGarbage");
    const heap = await call("Runtime.getHeapUsage");
    const wasm = await call("Runtime.evaluate", {
      expression: `import(${JSON.stringify(`${BASE}pkg/distill.js`)}).then((m) => m.default()).then((w) => w.memory.buffer.byteLength)`,
      awaitPromise: true,
      returnByValue: true,
    });
    figures.push({ jsHeap: heap.usedSize, wasm: wasm.result.value });
  }
  for (const targetId of workerSessions.keys()) {
    if (!workers.some((info) => info.targetId === targetId)) workerSessions.delete(targetId);
  }
  return figures;
}

/** A function that sends a CDP command to target `targetId` and resolves with its result. */
async function attach(browserCdp, targetId) {
  const { sessionId } = await browserCdp.send("Target.attachToTarget", { targetId, flatten: false });
  const pending = new Map();
  let next = 1;
  browserCdp.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`${message.error.message}`));
    else waiting.resolve(message.result);
  });
  return (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      browserCdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
}

/** The Chromium renderer processes started by this process (its descendants). */
function renderers() {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent's pid is the 2nd field after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  const found = [];
  const queue = [process.pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      queue.push(child);
      try {
        if (readFileSync(`/proc/${child}/cmdline`, "utf8").includes("--type=renderer")) found.push(child);
      } catch {
        // Gone.
      }
    }
  }
  return found;
}

/** The memory of process `pid` in bytes, from /proc/pid/smaps_rollup (Rss, Private_*, …). */
function processMemory(pid) {
  const figures = {};
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").split("\n")) {
    const match = line.match(/^(\w+):\s+(\d+) kB/);
    if (match) figures[match[1]] = Number(match[2]) * 1024;
  }
  return figures;
}

function privateMemory(pid) {
  const memory = processMemory(pid);
  return memory.Private_Clean + memory.Private_Dirty;
}

/**
 * Prints the slope of every figure per minute after the warm-up (the first cycle, which fills
 * caches and pools once) and writes the samples to soak.json.
 */
function report(samples, cycles, warmUp) {
  const steady = samples.filter((s) => s.minute >= warmUp);
  if (steady.length < 3) throw new Error(`only ${steady.length} samples after the first cycle: soak longer`);
  const rows = [];
  for (const page of ["driven", "idle"]) {
    for (const key of Object.keys(steady[0][page])) {
      const points = steady.map((s) => [s.minute, s[page][key]]);
      const bytes = !["workers", "documents", "nodes", "listeners"].includes(key);
      rows.push({
        page,
        figure: key,
        unit: bytes ? "MB" : "count",
        first: points[0][1] / (bytes ? MB : 1),
        last: points.at(-1)[1] / (bytes ? MB : 1),
        slopePerMinute: slope(points).slope / (bytes ? MB : 1),
        standardError: slope(points).error / (bytes ? MB : 1),
      });
    }
  }
  const minutes = samples.at(-1).minute;
  console.log(
    `\n${samples.length} samples over ${minutes.toFixed(1)} min, ${cycles} cycles (switch, run, extraction, investigation, replay);` +
      ` slopes from minute ${warmUp.toFixed(2)}, after the first cycle (${steady.length} samples)\n`,
  );
  console.log("| page | figure | unit | first | last | slope per minute ± standard error |\n|---|---|---|---|---|---|");
  for (const r of rows) {
    const sign = r.slopePerMinute >= 0 ? "+" : "";
    console.log(`| ${r.page} | ${r.figure} | ${r.unit} | ${r.first.toFixed(2)} | ${r.last.toFixed(2)} | ${sign}${r.slopePerMinute.toFixed(3)} ± ${r.standardError.toFixed(3)} |`);
  }
  const file = join(OUTPUT, "soak.json");
  writeFileSync(file, `${JSON.stringify({ minutes, cycles, warmUpMinutes: warmUp, everySeconds: EVERY_MS / 1000, slopes: rows, samples }, null, 1)}\n`);
  console.log(`\nwritten: ${file}`);
}

/** The least-squares slope of y over x through `points` ([x, y] pairs), with its standard error. */
function slope(points) {
  const n = points.length;
  const mx = sum(points.map(([x]) => x)) / n;
  const my = sum(points.map(([, y]) => y)) / n;
  const sxy = sum(points.map(([x, y]) => (x - mx) * (y - my)));
  const sxx = sum(points.map(([x]) => (x - mx) ** 2));
  const b = sxy / sxx;
  const residuals = sum(points.map(([x, y]) => (y - my - b * (x - mx)) ** 2));
  return { slope: b, error: Math.sqrt(residuals / (n - 2) / sxx) };
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function mb(bytes) {
  return (bytes / MB).toFixed(1);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
