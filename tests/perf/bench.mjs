// bench.mjs: the page's wasm against native and against TensorFlow.js, in one run. Started by
// `cargo xtask bench` (after the native criterion figures), which builds the page and the native
// example and serves the page; by hand:
//
//   NATIVE_SPEED=path/to/speed PLAYGROUND_URL=http://127.0.0.1:8123/ node tests/perf/bench.mjs [--rounds 5]
//
// Each round runs, one after the other on the same machine and in the same Chromium:
//   native  crate/examples/speed.rs (its JSON): teacher and student steps/s through Trainer::step
//   ours    the same protocol on the page's wasm (./pkg/distill.js) in a fresh module Worker,
//           then the default chat round in two lanes in two Workers side by side, as the page
//           plays it (www/round-worker.js)
//   tfjs    TensorFlow.js (tfjs-core + its gradients + the wasm backend with SIMD, one thread,
//           bundled here with esbuild) doing the same steps in a fresh module Worker
// and ends with each ratio's min / median / max over the rounds, the goals checked against the
// medians, and the page's weight per file (from build.json). Everything goes to
// TEST_OUTPUT/bench.json too.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { OUTPUT, launch } from "../playground.mjs";
import { PROTOCOL, laneMessage, laneWorker, ourMessage, ourWorker, runInWorker, runInWorkers, tfjsWorker } from "./protocol.mjs";

/** The issue's goals, as ratios of medians in one run. */
const GOALS = [
  { what: "student step, ours / TF.js", ratio: "tfjs", key: "student_step", least: 5 },
  { what: "teacher step, ours / TF.js", ratio: "tfjs", key: "teacher_step", least: 5 },
  { what: "student step, wasm / native", ratio: "native", key: "student_step", least: 0.8 },
  { what: "chat round step (five students), wasm / native", ratio: "native", key: "chat_step", least: 0.6 },
  { what: "reasoner round step (four students), wasm / native", ratio: "native", key: "reasoner_step", least: 0.7 },
];
/** A defence may make the reasoner's round at most this many times slower (native, one run). */
const DEFENDED_MOST = 1.5;
/** Each text chapter's default round must finish in the page's Worker within this (ms). */
const RUN_GOALS_MS = { chat: 20_000, reasoner: 30_000 };
/** Lanes the page plays a chapter's round in where there are two cores (www/<chapter>/worker.js). */
const LANES = { chat: 2 };

const TESTS = fileURLToPath(new URL("../", import.meta.url));
const TFJS_WASM = join(TESTS, "node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm");

const options = parseArgs(process.argv.slice(2));
const BASE = withSlash(process.env.PLAYGROUND_URL || "http://127.0.0.1:8123/");
const NATIVE = process.env.NATIVE_SPEED;
if (!NATIVE) fail("NATIVE_SPEED must name the built crate/examples/speed.rs executable");

const tfjs = await bundleTfjs();
const browser = await launch();
const rounds = [];
try {
  for (let round = 1; round <= options.rounds; round++) {
    console.log(`round ${round} of ${options.rounds} (load average ${loadavg()[0].toFixed(2)})`);
    const native = JSON.parse(execFileSync(NATIVE, { encoding: "utf8" }));
    console.log(`  native  ${rates(native)}`);
    const ours = await runInWorker(browser, BASE, ourWorker, ourMessage(BASE));
    const lanes = await runInWorkers(browser, BASE, laneWorker, [0, 1].map((lane) => laneMessage(BASE, lane, LANES.chat)));
    ours.chat_lanes_run = { ms: Math.max(...lanes.map((l) => l.chat_lane_run.ms)), lanes: lanes.map((l) => l.chat_lane_run.ms) };
    console.log(`  ours    ${rates(ours)}, init ${ours.init_ms.toFixed(0)} ms`);
    const tf = await runInWorker(browser, BASE, tfjsWorker, { ...tfjs.message, protocol: PROTOCOL });
    if (tf.backend !== "wasm") fail(`TF.js ran on ${tf.backend}, not wasm`);
    console.log(`  tfjs    ${rates(tf)}, init ${tf.init_ms.toFixed(0)} ms`);
    rounds.push({ native, ours, tfjs: tf });
  }
} finally {
  await browser.close();
}
await report();

// ---------------------------------------------------------------------------------------

function parseArgs(args) {
  const options = { rounds: 5 };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--rounds") options.rounds = Number(args[++i]);
    else fail(`unknown argument ${args[i]}\nusage: node tests/perf/bench.mjs [--rounds N]`);
  }
  if (!(options.rounds >= 1)) fail("--rounds needs a number ≥ 1");
  return options;
}

/**
 * TensorFlow.js as a web developer ships it: tfjs-core, its gradients and the wasm backend in
 * one minified ES module (esbuild), with the backend's SIMD binary. Returns the Worker's message
 * and the weights of both files.
 */
async function bundleTfjs() {
  const entry = [
    'export * as tf from "@tensorflow/tfjs-core";',
    'import "@tensorflow/tfjs-core/dist/register_all_gradients";',
    'export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";',
  ].join("\n");
  const result = await build({
    stdin: { contents: entry, resolveDir: TESTS, loader: "js" },
    bundle: true,
    format: "esm",
    minify: true,
    platform: "browser",
    write: false,
    logLevel: "error",
  });
  const bundle = result.outputFiles[0].contents;
  const wasm = readFileSync(TFJS_WASM);
  return {
    message: { bundle: new TextDecoder().decode(bundle), wasm: wasm.toString("base64") },
    weight: { "tfjs bundle (core, gradients, wasm backend)": weigh(bundle), "tfjs-backend-wasm-simd.wasm": weigh(wasm) },
  };
}

/** Raw, gzip (level 9) and brotli (quality 11) sizes, as xtask's sizes.rs measures them. */
function weigh(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function rates(r) {
  const chunks = r.student_step_chunks ? `, ${fmt(r.student_step_chunks)} in calls of ${r.chunk}` : "";
  return `teacher ${fmt(r.teacher_step)} steps/s, student ${fmt(r.student_step)} steps/s${chunks}`;
}

/** Min, median and max of `values`. */
function spread(values) {
  const v = [...values].sort((a, b) => a - b);
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { min: v[0], median, max: v[v.length - 1] };
}

async function report() {
  const keys = ["teacher_step", "student_step", "student_step_chunks", "chat_step", "reasoner_step"];
  const summary = { rounds: rounds.length, steps_per_s: {}, ratios: {}, goals: [], weight: {} };
  console.log(`\nsteps/s over ${rounds.length} rounds (min / median / max):`);
  for (const key of keys) {
    summary.steps_per_s[key] = {};
    for (const side of ["native", "ours", "tfjs"]) {
      if (rounds[0][side][key] == null) continue;
      const s = spread(rounds.map((r) => r[side][key]));
      summary.steps_per_s[key][side] = s;
      console.log(`  ${key.padEnd(20)} ${side.padEnd(7)} ${fmt(s.min).padStart(6)} / ${fmt(s.median).padStart(6)} / ${fmt(s.max).padStart(6)}`);
    }
  }
  console.log("ratios, each round's own (min / median / max):");
  for (const key of keys) {
    for (const other of ["native", "tfjs"]) {
      if (rounds[0][other][key] == null) continue;
      const s = spread(rounds.map((r) => r.ours[key] / r[other][key]));
      summary.ratios[`${key} ours/${other}`] = s;
      console.log(`  ${`${key}, ours / ${other}`.padEnd(34)} ${s.min.toFixed(2)} / ${s.median.toFixed(2)} / ${s.max.toFixed(2)}`);
    }
  }
  console.log("goals (medians of the rounds' ratios):");
  for (const goal of GOALS) {
    const median = summary.ratios[`${goal.key} ours/${goal.ratio}`].median;
    const met = median >= goal.least;
    summary.goals.push({ ...goal, median, met });
    console.log(`  ${goal.what} ≥ ${goal.least}: ${median.toFixed(2)} — ${met ? "met" : "NOT met"}`);
  }
  for (const [chapter, goalMs] of Object.entries(RUN_GOALS_MS)) {
    // As the page plays it: in lanes where it has them, else in its one Worker.
    const key = LANES[chapter] ? `${chapter}_lanes_run` : `${chapter}_run`;
    const ours = spread(rounds.map((r) => r.ours[key].ms));
    const alone = spread(rounds.map((r) => r.ours[`${chapter}_run`].ms));
    const native = spread(rounds.map((r) => r.native[`${chapter}_run`].ms));
    const met = ours.median < goalMs;
    const where = LANES[chapter] ? `in ${LANES[chapter]} lanes, each in its Worker` : "in the Worker";
    summary[`${chapter}_run_ms`] = { native, ours, one_worker: alone };
    summary.goals.push({ what: `${chapter} default round ${where}, ms`, most: goalMs, median: ours.median, met });
    const one = LANES[chapter] ? `; in one Worker ${(alone.median / 1000).toFixed(1)} s` : "";
    console.log(
      `  ${chapter} default round ${where} < ${goalMs / 1000} s: ${(ours.median / 1000).toFixed(1)} s ` +
        `(native, one thread ${(native.median / 1000).toFixed(1)} s${one}) — ${met ? "met" : "NOT met"}`,
    );
  }
  const defended = spread(rounds.map((r) => r.native.reasoner_defended.ratio));
  summary.reasoner_defended = defended;
  summary.goals.push({ what: "reasoner round behind ADS / plain, native", most: DEFENDED_MOST, median: defended.median, met: defended.median <= DEFENDED_MOST });
  console.log(`  reasoner round behind ADS / plain (native) ≤ ${DEFENDED_MOST}: ${defended.median.toFixed(2)} (${defended.min.toFixed(2)}–${defended.max.toFixed(2)}) — ${defended.median <= DEFENDED_MOST ? "met" : "NOT met"}`);
  const build = await readBuild();
  console.log("weight, bytes (raw / gzip / brotli):");
  const line = (name, s) =>
    console.log(`  ${name.padEnd(44)} ${fmt(s.raw).padStart(9)} / ${fmt(s.gzip).padStart(9)} / ${fmt(s.brotli).padStart(9)}`);
  for (const [name, size] of Object.entries(build.files)) line(name, size);
  line("the page's first load (all but what sections fetch when opened)", build.first_load);
  summary.weight.page = build;
  for (const [name, size] of Object.entries(tfjs.weight)) line(name, size);
  const tfTotal = Object.values(tfjs.weight).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }));
  line("TF.js, both files", tfTotal);
  summary.weight.tfjs = tfjs.weight;
  summary.raw = rounds;
  const file = join(OUTPUT, "bench.json");
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`written to ${file}`);
}

async function readBuild() {
  const response = await fetch(new URL("build.json", BASE));
  if (!response.ok) fail(`build.json: ${response.status}`);
  return response.json();
}

function withSlash(url) {
  return url.endsWith("/") ? url : `${url}/`;
}

function fmt(x) {
  return x == null || !Number.isFinite(x) ? "–" : Math.round(x).toLocaleString("en-US");
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
