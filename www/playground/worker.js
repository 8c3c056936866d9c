// playground/worker.js: the training thread. It owns the one WebTrainer and, once its teacher is trained,
// an API extraction (WebExtraction) and an investigation (WebInvestigation) of that teacher.
// It paces all three, one tick each in turn, and posts plain data back to the page; it never
// touches the DOM and does no maths of its own. While it waits for Play, once a reader is at
// the parts it trains for, it trains a throw-away run (WARM_UP), so that the lesson does not start
// on unoptimised code.
//
// Messages in (through playground/worker-client.js), after serve's "module", each tagged with the page's `gen`eration counter:
//   { type: "reset",   gen, config, probe, play }  build a new trainer (new teacher too)
//   { type: "restart", gen, config, probe, play }  keep the trained teacher, restart the students
//   { type: "play" } | { type: "pause" } | { type: "step" }
//   { type: "speed", speed }                      steps per tick, takes effect at once
//   { type: "probe", point: [x, y] | null }       the point whose probabilities to report
//   { type: "extract", gen, xgen, config, play }  a new extraction of the trained teacher
//   { type: "extract-play" } | { type: "extract-pause" }
//   { type: "investigate", gen, igen, config }    a new investigation of the trained teacher
//   { type: "spread", gen, sgen, config }         a new accounts sweep of the trained teacher
//   { type: "drop-api" }                          forget the extraction, investigation and sweep
//   { type: "warm-up" }                           a reader is at its parts: warm up, once
// (A reset or restart drops the extraction and the investigation too.)
// Messages out:
//   { type: "dataset", gen, dataset }
//   { type: "update",  gen, running, metrics: Metrics[], snapshot, probe }
//   { type: "probe",   gen, probe }
//   { type: "error",   gen, message }              the trainer threw; it is paused
//   { type: "extraction", gen, xgen, running, metrics: ExtractionMetrics[] }
//   { type: "investigation", gen, igen, progress, cases: Case[] | null }  cases once progress is 1
//   { type: "spread", gen, sgen, metrics: SpreadMetrics }  the sweep's progress and points
//   { type: "api-error", gen, job: "extraction" | "investigation" | "spread", message }  that job stopped
//   { type: "fatal",   file, message }             the wasm module could not be loaded: `file` at fault

import { loadWasm } from "../wasm.js";
import { describe } from "../messages.js";
import { ticker } from "../ticker.js";
import { serve } from "../worker-shell.js";

/** At most this often (ms) a snapshot is sent: ~30 per second is all the page can show. */
const POST_INTERVAL_MS = 33;

/**
 * Investigation steps per tick. A step trains every suspect and reference model once (~3 ms
 * on a 2-core laptop-class machine), so a tick stays near 150 ms and the trainer and the
 * extraction keep their turns.
 */
const INVESTIGATION_STEPS = 50;

/** Accounts-sweep steps per tick: a step trains one copy once, so a tick stays short. */
const SPREAD_STEPS = 200;

/**
 * A throw-away run trained while the page waits for Play: V8 first runs the module's code
 * unoptimised and optimises what runs often, so without it the first 500 steps of a lesson
 * take 2–3× as long as later ones (tests/perf/worker-probes.mjs). 300 steps of each phase, so
 * that the teacher's and the students' code both get optimised. Its own seeded run; nothing of
 * it reaches the page, and real work ends it. It costs 2–3 s of CPU, so it waits for a reader
 * (worker-client.js).
 */
const WARM_UP = { config: { teacher_steps: 300, student_steps: 300 }, stepsPerTick: 10 };

let wasm = null; // ./pkg/distill.js once initialised

const state = {
  trainer: null,
  config: null,
  gen: 0,
  running: false,
  probePoint: null,
  pending: [], // metrics of the ticks since the last post, oldest first
  lastPost: 0,
  extraction: null, // WebExtraction, once the page asks for one
  xgen: 0,
  extracting: false,
  xpending: [],
  xlastPost: 0,
  investigation: null, // WebInvestigation, while it trains
  igen: 0,
  spread: null, // WebSpread, while it measures
  sgen: 0,
  warmUp: null, // the throw-away WebTrainer, until it finishes or real work starts
  warm: false, // warmed up or real work done: no warm-up to come
};

// Loads the module into `wasm`, then handles the messages that came meanwhile and the rest.
serve(async (compiled) => (wasm = await loadWasm(compiled)), handle);

/** Handles one message from the page. */
function handle(message) {
  guarded(() => dispatch(message));
}

/** Runs `work`; a throw pauses training and is reported to the page, never lost. */
function guarded(work) {
  try {
    work();
  } catch (err) {
    state.running = false;
    self.postMessage({ type: "error", gen: state.gen, message: describe(err) });
  }
}

function dispatch(message) {
  switch (message.type) {
    case "reset":
      begin(message);
      dropApi();
      state.trainer?.free();
      state.trainer = null;
      state.trainer = new wasm.WebTrainer(message.config);
      started(message);
      break;
    case "restart":
      begin(message);
      dropApi(); // its students' shape and steps may have changed
      try {
        state.trainer.restart_student(message.config);
      } catch {
        // A knob that invalidates the teacher changed after all: start from scratch.
        state.trainer?.free();
        state.trainer = null;
        state.trainer = new wasm.WebTrainer(message.config);
      }
      started(message);
      break;
    case "play":
      if (!state.trainer) return;
      state.running = true;
      schedule();
      break;
    case "pause":
      state.running = false;
      if (state.trainer) postUpdate();
      break;
    case "step":
      if (!state.trainer) return;
      state.running = false;
      state.pending.push(state.trainer.step(state.config.speed));
      postUpdate();
      break;
    case "warm-up":
      warmUp();
      break;
    case "speed":
      if (state.config) state.config = { ...state.config, speed: message.speed };
      break;
    case "weights":
      try {
        const bytes = state.trainer.student_weights();
        self.postMessage({ type: "weights", gen: state.gen, bytes }, [bytes.buffer]);
      } catch (err) {
        self.postMessage({ type: "weights", gen: state.gen, error: describe(err) });
      }
      break;
    case "probe":
      state.probePoint = message.point;
      if (state.trainer) {
        self.postMessage({ type: "probe", gen: state.gen, probe: probe() });
      }
      break;
    case "extract":
      dropExtraction();
      state.xgen = message.xgen;
      job("extraction", () => {
        state.extraction = new wasm.WebExtraction(state.trainer, message.config);
        state.xpending.push(state.extraction.metrics());
        state.extracting = Boolean(message.play);
        postExtraction();
        if (state.extracting) schedule();
      });
      break;
    case "extract-play":
      if (!state.extraction) return;
      state.extracting = true;
      schedule();
      break;
    case "extract-pause":
      state.extracting = false;
      if (state.extraction) postExtraction();
      break;
    case "investigate":
      dropInvestigation();
      state.igen = message.igen;
      job("investigation", () => {
        state.investigation = new wasm.WebInvestigation(state.trainer, message.config);
        self.postMessage({ type: "investigation", gen: state.gen, igen: state.igen, progress: 0, cases: null });
        schedule();
      });
      break;
    case "spread":
      dropSpread();
      state.sgen = message.sgen;
      job("spread", () => {
        state.spread = new wasm.WebSpread(state.trainer, message.config);
        schedule();
      });
      break;
    case "drop-api":
      dropApi();
      break;
    default:
      throw new Error(`unknown message type ${message.type}`);
  }
}

/** Runs an extraction or investigation `work`; a throw stops that job only, and says so. */
function job(name, work) {
  try {
    work();
  } catch (err) {
    if (name === "extraction") dropExtraction();
    else if (name === "spread") dropSpread();
    else dropInvestigation();
    self.postMessage({ type: "api-error", gen: state.gen, job: name, message: describe(err) });
  }
}

function dropExtraction() {
  state.extraction?.free();
  state.extraction = null;
  state.extracting = false;
  state.xpending = [];
}

function dropInvestigation() {
  state.investigation?.free();
  state.investigation = null;
}

function dropSpread() {
  state.spread?.free();
  state.spread = null;
}

function dropApi() {
  dropExtraction();
  dropInvestigation();
  dropSpread();
}

function begin(message) {
  state.running = false;
  state.gen = message.gen;
  state.config = message.config;
  state.probePoint = message.probe ?? null;
  state.pending = [];
}

/** After a (re)start: send the data set and the untrained state, then run if asked to. */
function started(message) {
  const dataset = state.trainer.dataset();
  self.postMessage({ type: "dataset", gen: state.gen, dataset }, transferables(dataset));
  state.pending.push(state.trainer.step(0));
  state.running = Boolean(message.play);
  postUpdate();
  if (state.running) schedule();
}

// One round = one tick of each job that is running: the trainer's step(speed), the
// extraction's step(speed), the investigation's step(INVESTIGATION_STEPS); with none of them,
// a tick of the warm-up, which real work ends.
const schedule = ticker(() => {
  if (busy()) {
    dropWarmUp();
    state.warm = true;
  } else if (state.warmUp) warmUpTick();
  guarded(tick);
  if (state.extracting) job("extraction", extractionTick);
  if (state.investigation) job("investigation", investigationTick);
  if (state.spread) job("spread", spreadTick);
  if (busy() || state.warmUp) schedule();
});

/** Whether any job the page asked for is running. */
function busy() {
  return Boolean((state.running && state.trainer) || state.extracting || state.investigation || state.spread);
}

/** Starts the throw-away run, unless the code is warm or real work has begun. */
function warmUp() {
  if (state.warm || busy()) return;
  state.warm = true;
  try {
    state.warmUp = new wasm.WebTrainer(WARM_UP.config);
    schedule();
  } catch {
    // No head start, then; the page's own run says what is wrong, if anything is.
  }
}

function warmUpTick() {
  try {
    const phase = state.warmUp.step(WARM_UP.stepsPerTick).phase;
    if (phase !== "teacher" && phase !== "student") dropWarmUp();
  } catch {
    dropWarmUp(); // only ever a head start: the real run reports its own errors
  }
}

function dropWarmUp() {
  state.warmUp?.free();
  state.warmUp = null;
}

function tick() {
  if (!state.running || !state.trainer) return;
  const metrics = state.trainer.step(state.config.speed);
  state.pending.push(metrics);
  const finished = metrics.phase === "done" || metrics.phase === "diverged";
  if (finished) state.running = false;
  if (finished || performance.now() - state.lastPost >= POST_INTERVAL_MS) postUpdate();
}

/** One extraction tick: `speed` steps, like the trainer's; it stops by itself when done. */
function extractionTick() {
  const metrics = state.extraction.step(state.config.speed);
  state.xpending.push(metrics);
  const finished = metrics.phase === "done" || metrics.phase === "banned";
  if (finished) state.extracting = false;
  if (finished || performance.now() - state.xlastPost >= POST_INTERVAL_MS) postExtraction();
}

/** One investigation tick; the verdicts go out with the last one, and the job ends. */
function investigationTick() {
  const progress = state.investigation.step(INVESTIGATION_STEPS);
  const cases = progress >= 1 ? state.investigation.cases() : null;
  self.postMessage({ type: "investigation", gen: state.gen, igen: state.igen, progress, cases });
  if (cases) dropInvestigation();
}

/** One accounts-sweep tick; the job ends with its last run. */
function spreadTick() {
  const metrics = state.spread.step(SPREAD_STEPS);
  self.postMessage({ type: "spread", gen: state.gen, sgen: state.sgen, metrics });
  if (metrics.progress >= 1) dropSpread();
}

/** Sends the extraction metrics gathered since the last post. */
function postExtraction() {
  const message = {
    type: "extraction",
    gen: state.gen,
    xgen: state.xgen,
    running: state.extracting,
    metrics: state.xpending.splice(0),
  };
  self.postMessage(message);
  state.xlastPost = performance.now();
}

/** Sends the metrics gathered since the last post with a fresh snapshot (and probe). */
function postUpdate() {
  const snapshot = state.trainer.snapshot();
  const message = {
    type: "update",
    gen: state.gen,
    running: state.running,
    metrics: state.pending.splice(0),
    snapshot,
    probe: probe(),
  };
  self.postMessage(message, transferables(snapshot));
  state.lastPost = performance.now();
}

/**
 * The probabilities at the user's point or, until they pick one, at the test point the trained
 * teacher is least sure of; with the point itself, so the page can mark it.
 */
function probe() {
  const teacherTrained = state.trainer.metrics().phase !== "teacher";
  const point =
    state.probePoint ?? (teacherTrained ? Array.from(state.trainer.least_sure_point()) : null);
  return point ? { ...state.trainer.probe(point[0], point[1]), point } : null;
}

/**
 * The buffers of the typed arrays in `object` that can be moved rather than copied: only
 * arrays that own their whole buffer (never a view into the wasm memory, which moving would
 * detach from the module).
 */
function transferables(object) {
  const buffers = new Set();
  for (const value of Object.values(object)) {
    if (
      ArrayBuffer.isView(value) &&
      value.buffer instanceof ArrayBuffer &&
      value.byteOffset === 0 &&
      value.byteLength === value.buffer.byteLength
    ) {
      buffers.add(value.buffer);
    }
  }
  return [...buffers];
}

