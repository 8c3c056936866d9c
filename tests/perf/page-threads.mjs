// page-threads.mjs: where the page's training time goes. Not a test; a measurement to run by
// hand against a served build:
//
//   cargo xtask dist && cargo xtask serve --no-build --port 8123 &
//   node tests/perf/page-threads.mjs [--url http://127.0.0.1:8123/] [--rounds 3] [--wait 2000] [--no-trace] [--no-pointer]
//
// Each round opens the page, moves the pointer onto it and waits `--wait` ms once Play is
// enabled (a reader's pause: the page's Worker warms its code up meanwhile; `--no-pointer`
// leaves the pointer off the page, as if nobody were there), prints the browser's CPU time over
// that wait, then plays the default run from Play to its end
// under a Chromium trace, and sums each thread's tasks over that span: wall time, CPU time,
// and how busy the training Worker was; and when the opening lesson's gap (the distilled student
// more than 10 points ahead of its twin in agreement) first shows. Then it runs the same default run in calls of 20 in a
// bare module Worker (no page, no drawing), after the same warm-up run and pause as the page's
// Worker, for the rate to compare with. Tracing costs the page some speed: `--no-trace` times
// the page's run alone, without the breakdown. If the page's Worker is busy
// nearly all the time but its tasks take more wall than CPU time, the cores are shared (the
// main thread's drawing, the compositor, V8's compilers); if it sits idle, the page starves it.

import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { launch } from "../playground.mjs";
import { PROTOCOL, bareDefaultRun } from "./protocol.mjs";

const options = { url: process.env.PLAYGROUND_URL || "http://127.0.0.1:8123/", rounds: 3, wait: 2000, trace: true, pointer: true };
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === "--url") options.url = process.argv[++i];
  else if (arg === "--rounds") options.rounds = Number(process.argv[++i]);
  else if (arg === "--wait") options.wait = Number(process.argv[++i]);
  else if (arg === "--no-trace") options.trace = false;
  else if (arg === "--no-pointer") options.pointer = false;
  else {
    console.error(`unknown argument ${arg}\nusage: node tests/perf/page-threads.mjs [--url URL] [--rounds N] [--wait MS] [--no-trace] [--no-pointer]`);
    process.exit(2);
  }
}
/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc/PID/stat's times. */
const CLOCK_TICKS = 100;
const BASE = options.url.endsWith("/") ? options.url : `${options.url}/`;

const browser = await launch();
try {
  for (let round = 1; round <= options.rounds; round++) {
    console.log(`round ${round} of ${options.rounds} (load average ${loadavg()[0].toFixed(2)})`);
    const page = await pageRun();
    const bare = await bareDefaultRun(browser, BASE, { warmUp: 600, wait: options.wait });
    console.log(`  the browser's CPU while the page waited ${options.wait} ms for Play${options.pointer ? ", the pointer on it" : ", nobody there"}: ${ms(page.waiting)}`);
    console.log(`  page: Play → done ${ms(page.span)}, ${page.steps} steps: ${rate(page.steps, page.span)} steps/s; the distilled student first shown > 10 points ahead ${page.lead === null ? "never" : ms(page.lead)} after Play`);
    for (const t of page.threads.slice(0, 8)) {
      console.log(`    ${t.name.padEnd(34)} wall ${ms(t.wall).padStart(8)}  cpu ${ms(t.cpu).padStart(8)}  tasks ${t.tasks}`);
    }
    const w = page.threads.find((t) => t.name === "DedicatedWorker thread");
    if (w) {
      console.log(`    the Worker: busy ${pct(w.wall / page.span)} of the span, CPU/wall in its tasks ${pct(w.cpu / w.wall)}`);
    }
    console.log(`  bare Worker, same run in calls of ${PROTOCOL.chunk}: ${ms(bare.ms)} (${rate(bare.steps, bare.ms)} steps/s); page / bare ${(bare.ms / page.span).toFixed(2)}`);
  }
} finally {
  await browser.close();
}

/** The page's default run from Play to done, traced; CPU and wall per thread over that span. */
async function pageRun() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(BASE);
    await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher", null, { timeout: 60_000 });
    await page.locator("[data-testid=play]").waitFor();
    await page.waitForFunction(() => !document.querySelector("[data-testid=play]").disabled, null, { timeout: 60_000 });
    // A reader's pointer comes to the page (which starts the Worker's warm-up), then Play.
    const before = browserCpuMs();
    if (options.pointer) await page.mouse.move(640, 200);
    await page.waitForTimeout(options.wait);
    const waiting = browserCpuMs() - before;
    if (options.trace) await browser.startTracing(page, { categories: ["__metadata", "toplevel"] });
    const span = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const begin = performance.now();
          const shown = (id) => Number.parseFloat(document.getElementById(id).textContent);
          let lead = null; // when the distilled student is first shown 10 points ahead
          const watch = new MutationObserver(() => {
            const gap = shown("agreement-distilled") - shown("agreement-hard");
            if (lead === null && gap > 10) lead = performance.now() - begin;
            const phase = document.documentElement.dataset.phase;
            if (phase === "done" || phase === "diverged") {
              watch.disconnect();
              resolve({ ms: performance.now() - begin, phase, lead });
            }
          });
          watch.observe(document.body, { subtree: true, childList: true, characterData: true });
          watch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-phase"] });
          document.querySelector("[data-testid=play]").click();
        }),
    );
    const trace = options.trace ? JSON.parse((await browser.stopTracing()).toString("utf8")) : { traceEvents: [] };
    if (span.phase !== "done") throw new Error(`the default run ended ${span.phase}`);
    const steps = await page.evaluate(
      () => Number(document.getElementById("teacher-progress").max) + Number(document.getElementById("student-progress").max),
    );
    return { span: span.ms, lead: span.lead, steps, waiting, threads: threads(trace) };
  } finally {
    await context.close();
  }
}

/** CPU time (ms) used so far by every Chromium process on this machine, from /proc (Linux). */
function browserCpuMs() {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!/^chrom/.test(command)) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // The process ended meanwhile.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Sums the top-level tasks of every thread in `trace`, busiest in CPU first. */
function threads(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const names = new Map();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args?.name ?? "?");
  }
  const sums = new Map();
  for (const e of events) {
    if (e.ph !== "X" || !["ThreadControllerImpl::RunTask", "RunTask", "ThreadPool_RunTask"].includes(e.name)) continue;
    const name = names.get(`${e.pid}:${e.tid}`) ?? `thread ${e.tid}`;
    const key = `${e.pid}:${name}`;
    const sum = sums.get(key) ?? { name, wall: 0, cpu: 0, tasks: 0 };
    sum.wall += e.dur / 1000;
    sum.cpu += (e.tdur ?? e.dur) / 1000;
    sum.tasks += 1;
    sums.set(key, sum);
  }
  return [...sums.values()].sort((a, b) => b.cpu - a.cpu);
}

function ms(x) {
  return `${Math.round(x).toLocaleString("en")} ms`;
}
function rate(steps, ms) {
  return Math.round(steps / (ms / 1000)).toLocaleString("en");
}
function pct(x) {
  return `${(100 * x).toFixed(0)} %`;
}
