// speed.mjs: how fast the page trains, against native. Not a test (the suite runs only
// tests/*.test.mjs); a measurement to run by hand on a quiet machine:
//
//   cargo xtask dist
//   cargo xtask serve --no-build --port 8123 &
//   node tests/perf/speed.mjs [--url http://127.0.0.1:8123/] [--rounds 3] [--no-native]
//
// Each round measures, one after the other:
//   native   crate/examples/speed.rs (built here with cargo, release): teacher and student
//            steps/s through Trainer::step, and the default run in calls of 20 steps without
//            drawing (when each student first shows ≥ 95 % grid agreement, and the total);
//   worker   the same protocol on the page's wasm build (./pkg/distill.js, simd128) in a fresh
//            module Worker in headless Chromium, on a blank page of the same origin;
//   page     the real page with its defaults: navigation start → first state shown (maps,
//            readouts, Play enabled); Play → first trained step shown; Play → the distilled
//            (and the hard-label) student's grid agreement with the teacher first shown
//            ≥ 95 %; Play → finished, and the steps/s that makes with drawing.
// It ends with the median of each figure over the rounds and the wasm size from build.json.
// Steps/s: a student step updates both students on one batch of 64; a teacher step, the
// 2-64-64-64-3 teacher.

import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { launch } from "../playground.mjs";
import { AGREEMENT_TARGET, PROTOCOL, ourMessage, ourWorker, runInWorker } from "./protocol.mjs";

/** How long the page may take to finish the default run. */
const PAGE_TIMEOUT_MS = 180_000;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const options = parseArgs(process.argv.slice(2));
const BASE = options.url.endsWith("/") ? options.url : `${options.url}/`;

const native = options.native ? buildNative() : null;
const browser = await launch();

const rounds = [];
try {
  for (let round = 1; round <= options.rounds; round++) {
    const load = loadavg()[0].toFixed(2);
    console.log(`round ${round} of ${options.rounds} (load average ${load})`);
    const result = {};
    if (native) {
      result.native = JSON.parse(execFileSync(native, { encoding: "utf8" }));
      console.log(`  native  ${describeRates(result.native)}`);
    }
    result.worker = await runInWorker(browser, BASE, ourWorker, ourMessage(BASE));
    console.log(`  worker  ${describeRates(result.worker)}, init ${ms(result.worker.init_ms)}`);
    result.page = await measurePage(browser);
    console.log(`  page    ${describePage(result.page)}`);
    rounds.push(result);
  }
} finally {
  await browser.close();
}
await summarise(rounds);

// ---------------------------------------------------------------------------------------

function parseArgs(args) {
  const options = { url: process.env.PLAYGROUND_URL || "http://127.0.0.1:8123/", rounds: 3, native: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--url") options.url = args[++i];
    else if (arg === "--rounds") options.rounds = Number(args[++i]);
    else if (arg === "--no-native") options.native = false;
    else {
      console.error(`unknown argument ${arg}\nusage: node tests/perf/speed.mjs [--url URL] [--rounds N] [--no-native]`);
      process.exit(2);
    }
  }
  if (!options.url || !(options.rounds >= 1)) {
    console.error("--url needs an address and --rounds a number ≥ 1");
    process.exit(2);
  }
  return options;
}

/** Builds crate/examples/speed.rs (release) and returns the path of its executable. */
function buildNative() {
  console.log("building the native example (cargo build --release -p distill --example speed)…");
  const output = execFileSync(
    "cargo",
    ["build", "--release", "--quiet", "-p", "distill", "--example", "speed", "--message-format=json"],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 },
  );
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line);
    if (message.reason === "compiler-artifact" && message.target?.name === "speed" && message.executable) {
      return message.executable;
    }
  }
  throw new Error("cargo built no executable for the speed example");
}

/**
 * Opens the page with its defaults, waits for its first state, presses Play and records when
 * what it shows changes. Times are performance.now() in the page: ms since navigation start.
 */
async function measurePage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.addInitScript(watchPage, AGREEMENT_TARGET);
    await page.goto(BASE);
    await page.waitForFunction(() => window.__speed.firstState !== null, null, { timeout: 60_000, polling: 50 });
    await page.evaluate(() => {
      window.__speed.play = performance.now();
      document.querySelector("[data-testid=play]").click();
    });
    await page.waitForFunction(
      () => ["done", "diverged"].includes(document.documentElement.dataset.phase),
      null,
      { timeout: PAGE_TIMEOUT_MS, polling: 100 },
    );
    const marks = await page.evaluate(() => {
      const wasm = performance
        .getEntriesByType("resource")
        .filter((entry) => entry.name.endsWith(".wasm"))
        .map((entry) => entry.responseEnd);
      const budget = (id) => Number(document.getElementById(id).max);
      return {
        ...window.__speed,
        wasmLoaded: wasm.length ? Math.min(...wasm) : null,
        steps: budget("teacher-progress") + budget("student-progress"),
      };
    });
    if (problems.length) throw new Error(`the page failed: ${problems.join("; ")}`);
    return marks;
  } finally {
    await context.close();
  }
}

/**
 * Runs in the page before its own scripts: records in window.__speed when the page first shows
 * a state, a trained step, each student's agreement ≥ `target` %, and the end of the run.
 */
function watchPage(target) {
  const marks = {
    firstState: null,
    play: null,
    firstTrained: null,
    distilled: null, // { at, step } when the distilled student's agreement first shows ≥ target
    hard: null,
    end: null,
    phase: null,
    last: { distilled: null, hard: null }, // the agreements last shown, in %
  };
  window.__speed = marks;
  const text = (id) => document.getElementById(id)?.textContent ?? "";
  const number = (s) => Number.parseFloat(s.replace(/,/g, ""));
  const studentStep = () => {
    const match = /students learn: step ([\d,]+)/.exec(text("phase-text"));
    return match ? number(match[1]) : null;
  };
  const check = () => {
    const now = performance.now();
    const phase = document.documentElement.dataset.phase;
    if (!phase) return;
    marks.phase = phase;
    marks.firstState ??= now;
    if (marks.play !== null && marks.firstTrained === null) {
      const match = /step ([\d,]+)/.exec(text("phase-text"));
      if (phase !== "teacher" || (match && number(match[1]) > 0)) marks.firstTrained = now;
    }
    for (const who of ["distilled", "hard"]) {
      const value = number(text(`agreement-${who}`));
      if (Number.isFinite(value)) marks.last[who] = value;
      if (marks[who] === null && value >= target) marks[who] = { at: now, step: studentStep() };
    }
    if ((phase === "done" || phase === "diverged") && marks.end === null) marks.end = now;
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["data-phase"],
  });
}

// ---------------------------------------------------------------------------------------
// Reporting

function describeRates(r) {
  const reach = (who) => (r.run[who] ? `${ms(r.run[who].ms)} (student step ${r.run[who].step})` : "never");
  return (
    `teacher ${rate(r.teacher_step)}, student ${rate(r.student_step)} (one call of ` +
    `${PROTOCOL.studentTimed}), ${rate(r.student_step_chunks)} (calls of ${r.chunk}); default run: ` +
    `distilled ≥ ${AGREEMENT_TARGET} % at ${reach("distilled")}, hard-label at ${reach("hard")}, ` +
    `done at ${ms(r.run.ms)}`
  );
}

function describePage(p) {
  const since = (mark) => (mark === null || p.play === null ? "never" : ms(mark - p.play));
  const reach = (who) =>
    p[who] ? `${since(p[who].at)} (student step ${p[who].step})` : `never (last shown ${p.last[who]} %)`;
  return (
    `first state ${ms(p.firstState)} after navigation (wasm loaded at ${ms(p.wasmLoaded)}); ` +
    `after Play: first trained step ${since(p.firstTrained)}, distilled ≥ ${AGREEMENT_TARGET} % ` +
    `${reach("distilled")}, hard-label ${reach("hard")}, ${p.phase} ${since(p.end)} ` +
    `(${rate(pageRate(p))} overall)`
  );
}

/** The page's overall steps/s, drawing included, from Play to the end of the default run. */
function pageRate(p) {
  if (p.end === null || p.phase !== "done") return null;
  return p.steps / ((p.end - p.play) / 1000);
}

async function summarise(rounds) {
  const median = (values) => {
    const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
    if (!v.length) return null;
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const pick = (f) => median(rounds.map(f));
  const best = (f) => Math.max(...rounds.map(f).filter(Number.isFinite));
  console.log(`\nmedians over ${rounds.length} round(s) (best in brackets: the least disturbed), steps/s:`);
  console.log("  what                  native            wasm (Worker)     wasm/native");
  for (const key of ["teacher_step", "student_step", "student_step_chunks"]) {
    const cell = (side) =>
      `${fmt(pick((r) => r[side][key])).padStart(6)} (${fmt(best((r) => r[side][key]))})`.padEnd(16);
    const [n, w] = [native ? pick((r) => r.native[key]) : null, pick((r) => r.worker[key])];
    const ratio = n && w ? (w / n).toFixed(2) : "–";
    const bestRatio = native ? (best((r) => r.worker[key]) / best((r) => r.native[key])).toFixed(2) : "–";
    console.log(`  ${key.padEnd(20)}  ${native ? cell("native") : "–".padEnd(16)}  ${cell("worker")}  ${ratio} (${bestRatio})`);
  }
  console.log("default run in calls of 20, no drawing, ms (native / wasm):");
  const run = (side, f) => (side === "native" && !native ? null : pick((r) => f(r[side].run)));
  for (const [label, f] of [
    [`distilled ≥ ${AGREEMENT_TARGET} %`, (x) => x.distilled?.ms ?? null],
    [`hard-label ≥ ${AGREEMENT_TARGET} %`, (x) => x.hard?.ms ?? null],
    ["finished", (x) => x.ms],
  ]) {
    console.log(`  ${label.padEnd(20)}  ${fmt(run("native", f)).padStart(8)}    ${fmt(run("worker", f)).padStart(8)}`);
  }
  const steps = (who) => pick((r) => r.worker.run[who]?.step ?? null);
  console.log(`  (student step when first ≥ ${AGREEMENT_TARGET} %: distilled ${fmt(steps("distilled"))}, hard-label ${fmt(steps("hard"))})`);
  const at = (who) => pick((r) => (r.page[who] ? r.page[who].at - r.page.play : null));
  const stepAt = (who) => pick((r) => r.page[who]?.step ?? null);
  console.log(`page (defaults), medians:`);
  console.log(`  navigation → first state shown        ${ms(pick((r) => r.page.firstState))}`);
  console.log(`  navigation → wasm fetched (main)      ${ms(pick((r) => r.page.wasmLoaded))}`);
  console.log(`  Play → first trained step shown       ${ms(pick((r) => (r.page.firstTrained ?? NaN) - r.page.play))}`);
  console.log(`  Play → distilled ≥ ${AGREEMENT_TARGET} % agreement     ${ms(at("distilled"))} (student step ${fmt(stepAt("distilled"))})`);
  console.log(`  Play → hard-label ≥ ${AGREEMENT_TARGET} % agreement    ${ms(at("hard"))} (student step ${fmt(stepAt("hard"))})`);
  console.log(`  Play → run finished (${fmt(rounds[0].page.steps)} steps)     ${ms(pick((r) => (r.page.end ?? NaN) - r.page.play))} (${rate(pick((r) => pageRate(r.page)))} with drawing)`);
  try {
    const response = await fetch(new URL("build.json", BASE));
    const build = await response.json();
    const size = (s) => `${fmt(s.raw)} B raw, ${fmt(s.gzip)} gzip, ${fmt(s.brotli)} brotli`;
    console.log(`wasm: ${size(build.wasm)}; first load ${size(build.first_load)} (build.json)`);
  } catch (err) {
    console.log(`build.json: not read (${err.message})`);
  }
}

function rate(x) {
  return x === null || !Number.isFinite(x) ? "–" : `${fmt(x)} steps/s`;
}

function ms(x) {
  return x === null || !Number.isFinite(x) ? "–" : `${fmt(x)} ms`;
}

function fmt(x) {
  return x === null || !Number.isFinite(x) ? "–" : Math.round(x).toLocaleString("en-US");
}
