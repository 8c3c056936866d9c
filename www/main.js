// main.js: the page's controller. Events in, messages out, draw calls.
//
//   knobs() ──► controls.js ──► config ──► location.hash (config_hash) ──► shareable link
//                                  │
//                                  ▼ postMessage (plain data)
//                              worker.js: WebTrainer.step / snapshot / probe
//                                  │
//                                  ▼ metrics, snapshot, probe
//   requestAnimationFrame ──► draw_map / Charts / draw_accuracy / draw_params / draw_probe
//
// Once the teacher is trained, the same worker runs an API extraction (WebExtraction: its
// ExtractionMetrics go to api.js and, as a history, to draw_fidelity) and an investigation
// (WebInvestigation: progress, then the cases that evidence.js shows).
//
// The main thread has its own instance of ./pkg/distill.js for the knob table, the URL
// parsing and all the drawing (Rust plotters onto the canvases). It does no maths beyond
// mapping a click to data coordinates.

import { showExtraction, showNoExtraction } from "./api.js";
import { buildControls } from "./controls.js";
import { showCase, showCases, showNoInvestigation, showProgress } from "./evidence.js";
import { clip, count, fixed, percent } from "./format.js";

/** Time (ms) the drawing may take in one animation frame; what is left waits for the next. */
const FRAME_BUDGET_MS = 6;

const $ = (id) => document.getElementById(id);

let wasm = null; // the main thread's instance of ./pkg/distill.js
let knobsByKey = new Map();
let controls = null;
let config = null; // the current Config, always as parsed back from its own hash
let charts = null;

let worker = null;
let workerHeard = false; // the worker has posted a message: its scripts loaded
let workerBroken = false; // the trainer threw: start a fresh worker on the next reset
let generation = 0; // bumped on every (re)start; messages from older generations are dropped
let running = false;

/** The latest data from the worker, as drawn. */
const latest = { metrics: null, snapshot: null, dataset: null, probe: null, probePoint: null };

/**
 * The API extraction: `xgen` is bumped on every new one (messages of older ones are dropped),
 * `history` holds every ExtractionMetrics posted, oldest first, for the chart.
 */
const api = { xgen: 0, history: [], running: false };

/** The investigation: `igen` as above; `cases` once the verdicts are in. */
const evidence = { igen: 0, cases: null, running: false };

start();

async function start() {
  // For startup.js, which reports a page that never got this far.
  document.documentElement.dataset.started = "";
  wireStaticEvents();
  try {
    wasm = await import("./pkg/distill.js");
  } catch (err) {
    explainLater((faults) => faults.explainStartup("pkg/distill.js", `did not load (${describe(err)})`));
    return;
  }
  try {
    await wasm.default();
  } catch (err) {
    explainLater((faults) => faults.explainWasm(err));
    return;
  }
  try {
    const knobTable = wasm.knobs();
    knobsByKey = new Map(knobTable.map((knob) => [knob.key, knob]));
    controls = buildControls($("knobs"), knobTable, onKnobCommit, { homes: { api: $("api-knobs") } });
    charts = new wasm.Charts();
    setupViews();
    loadConfigFromHash();
    startWorker();
    restart("reset", false);
  } catch (err) {
    showLoadError(`The playground could not start: ${describe(err)}. Likely cause: files from different versions of the page. What to do: reload, bypassing the cache (Ctrl+Shift+R).`);
    return;
  }
  for (const id of ["play", "step", "reset", "defaults"]) $(id).disabled = false;
}

// ---------------------------------------------------------------------------------------
// Config and the URL hash

/** Reads location.hash through the crate's parser, shows its notices and the values. */
function loadConfigFromHash() {
  const parsed = wasm.parse_config(location.hash.replace(/^#/, ""));
  config = parsed.config;
  showNotices(parsed.notices);
  controls.set(config);
  writeHash();
}

/** Replaces the address with the canonical hash of the current config (no history entry). */
function writeHash() {
  const hash = wasm.config_hash(config);
  const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ""}`;
  try {
    history.replaceState(null, "", url);
  } catch {
    // A sandboxed frame may refuse; the page works the same without a shareable address.
  }
}

/**
 * The user settled on a new value for a knob: make the new config through the URL parser (so
 * that the address reproduces exactly this run), then restart what the knob's `restarts`
 * field says.
 */
function onKnobCommit(key, value) {
  // The crate's parser takes the new value as text, exactly as from a typed URL: a value out
  // of range (say a seed field set to -5) is clamped and explained, never an exception.
  const current = wasm.config_hash(config);
  const parsed = wasm.parse_config([current, `${key}=${value}`].filter(Boolean).join("&"));
  if (wasm.config_hash(parsed.config) === current && parsed.notices.length === 0) {
    controls.set(config); // the same run: nothing to restart
    return;
  }
  config = parsed.config;
  showNotices(parsed.notices);
  controls.set(config);
  writeHash();
  const knob = knobsByKey.get(key);
  const restarts = knob?.restarts ?? "all";
  if (knob?.group === "api") {
    restartApi(); // the API's settings never touch the teacher or the students
  } else if (restarts === "none") {
    post({ type: "speed", speed: config.speed });
  } else if (restarts === "student" && teacherFinished()) {
    restart("restart", running);
  } else {
    restart("reset", running);
  }
}

function teacherFinished() {
  const m = latest.metrics;
  if (!m) return false;
  if (m.phase === "student" || m.phase === "done") return true;
  return m.phase === "diverged" && m.teacher_step >= m.teacher_steps;
}

// ---------------------------------------------------------------------------------------
// The worker

function startWorker() {
  worker?.terminate();
  workerBroken = false;
  workerHeard = false;
  worker = new Worker("./worker.js", { type: "module" });
  worker.onmessage = (event) => {
    workerHeard = true;
    onWorkerMessage(event.data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    setRunning(false);
    const detail = event.message || "";
    if (!workerHeard) {
      explainLater((faults) => faults.explainWorker("worker.js", detail));
    } else {
      workerBroken = true;
      const where = event.filename ? ` (${event.filename.split("/").pop()}, line ${event.lineno})` : "";
      showDivergence("The training worker stopped", `${detail || "An error without details"}${where}. Reset to start a fresh worker; if it happens again, reload the page.`);
    }
  };
}

function post(message) {
  worker?.postMessage(message);
}

/**
 * Starts a new generation: "reset" builds a new trainer (teacher and students), "restart"
 * keeps the trained teacher and restarts the students. Either way the curves start over.
 */
function restart(kind, play) {
  if (workerBroken) {
    startWorker();
    kind = "reset";
  }
  generation += 1;
  charts.clear();
  latest.metrics = null;
  latest.probe = null;
  delete document.documentElement.dataset.phase;
  if (kind === "reset") latest.snapshot = null;
  hide($("divergence"));
  setRunning(play);
  post({ type: kind, gen: generation, config, probe: latest.probePoint, play }); // drops the API jobs
  forgetApi();
}

/**
 * Forgets the extraction and the investigation on the page (the worker drops its own on a
 * reset or restart, or on "drop-api").
 */
function forgetApi() {
  api.xgen += 1;
  api.history = [];
  api.running = false;
  evidence.igen += 1;
  evidence.cases = null;
  evidence.running = false;
  showApiIdle();
  invalidate("api");
}

/** After an API setting changed: a running or paused extraction starts over under it. */
function restartApi() {
  const had = api.history.length > 0;
  const play = api.running;
  post({ type: "drop-api" });
  forgetApi();
  if (had) startExtraction(play);
}

function startExtraction(play) {
  api.xgen += 1;
  api.history = [];
  api.running = play;
  post({ type: "extract", gen: generation, xgen: api.xgen, config, play });
}

/** Start, pause, resume, or (after the end or a ban) run the extraction again. */
function toggleExtraction() {
  const last = api.history.at(-1);
  if (!last || last.phase === "done" || last.phase === "banned") {
    startExtraction(true);
  } else {
    api.running = !api.running;
    post({ type: api.running ? "extract-play" : "extract-pause" });
    showExtraction(last, api.running);
  }
}

function investigate() {
  evidence.igen += 1;
  evidence.cases = null;
  evidence.running = true;
  showProgress(0);
  post({ type: "investigate", gen: generation, igen: evidence.igen, config });
}

/** Whether the API section last showed a trained teacher (null: not shown yet). */
let apiReady = null;

/** The API section and evidence panel with nothing run (yet), as far as the teacher allows. */
function showApiIdle() {
  apiReady = teacherFinished();
  if (api.history.length === 0) showNoExtraction(apiReady, config.budget);
  if (!evidence.running && !evidence.cases) showNoInvestigation(apiReady);
}

function onWorkerMessage(message) {
  if (message.type === "fatal") {
    setRunning(false);
    explainLater((faults) =>
      message.file === faults.WASM_FILE
        ? faults.explainWasm(message.message)
        : faults.explainStartup(message.file, `did not load in the training worker (${message.message})`),
    );
    return;
  }
  if (message.gen !== generation) return; // from before the last reset
  switch (message.type) {
    case "dataset":
      latest.dataset = message.dataset;
      invalidate("maps");
      break;
    case "update":
      onUpdate(message);
      break;
    case "probe":
      latest.probe = message.probe;
      invalidate("probe");
      break;
    case "error":
      workerBroken = true;
      setRunning(false);
      showDivergence("The trainer stopped with an error", message.message);
      break;
    case "extraction":
      onExtraction(message);
      break;
    case "investigation":
      onInvestigation(message);
      break;
    case "api-error":
      onApiError(message);
      break;
  }
}

function onExtraction(message) {
  if (message.xgen !== api.xgen) return; // from an extraction since replaced
  api.history.push(...message.metrics);
  const last = api.history.at(-1);
  if (!last) return;
  // As for the trainer, the page decides play or pause; the worker only stops at the end.
  const over = last.phase === "done" || last.phase === "banned";
  api.running = api.running && !(over && !message.running);
  showExtraction(last, api.running);
  invalidate("api");
}

function onInvestigation(message) {
  if (message.igen !== evidence.igen) return;
  if (!message.cases) {
    showProgress(message.progress);
    return;
  }
  evidence.running = false;
  evidence.cases = message.cases;
  showCases(evidence.cases, latest.metrics?.teacher_acc);
  showChosenCase();
}

function onApiError(message) {
  const box = $(message.job === "extraction" ? "api-error" : "evidence-error");
  if (message.job === "extraction") {
    api.history = [];
    api.running = false;
  } else {
    evidence.running = false;
    evidence.cases = null;
  }
  showApiIdle();
  box.textContent = `The ${message.job} stopped with an error: ${message.message}`;
  box.hidden = false;
}

/** Shows the evidence on the suspect and key the pickers hold. */
function showChosenCase() {
  const chosen = evidence.cases?.[Number($("suspect").value)];
  if (chosen) showCase(chosen, $("watermark-key").value === "owner");
}

function onUpdate(message) {
  for (const metrics of message.metrics) charts.push(metrics);
  const metrics = message.metrics.at(-1) ?? latest.metrics;
  latest.metrics = metrics;
  latest.snapshot = message.snapshot;
  if (message.probe) {
    latest.probe = message.probe;
    if (!latest.probePoint) showProbeWhere(message.probe.point, ", where the teacher is least sure");
  }
  // The page decides when to play or pause; the worker only stops by itself at the end (done
  // or diverged). Updates already on their way when the user paused still say "running".
  const finished = metrics?.phase === "done" || metrics?.phase === "diverged";
  setRunning(running && !(finished && !message.running));
  showMetrics(metrics);
  if (metrics?.phase === "diverged") {
    showDivergence("Training diverged", metrics.message || "The loss became NaN or infinite.");
  }
  invalidate("maps", "charts", "scores", "probe");
  if (teacherFinished() !== apiReady) showApiIdle();
}

// ---------------------------------------------------------------------------------------
// Buttons, keys, presenter mode

function wireStaticEvents() {
  $("play").addEventListener("click", togglePlay);
  $("step").addEventListener("click", stepOnce);
  $("reset").addEventListener("click", () => restart("reset", false));
  $("divergence-reset").addEventListener("click", () => restart("reset", false));
  $("retrain").addEventListener("click", () => restart("restart", true));
  $("defaults").addEventListener("click", () => {
    config = wasm.parse_config("").config;
    controls.set(config);
    writeHash();
    restart("reset", false);
  });
  $("notices-dismiss").addEventListener("click", () => hide($("notices")));
  $("api-start").addEventListener("click", toggleExtraction);
  $("investigate").addEventListener("click", investigate);
  $("suspect").addEventListener("change", showChosenCase);
  $("watermark-key").addEventListener("change", showChosenCase);
  $("evidence-pickers").addEventListener("submit", (event) => event.preventDefault());
  $("presenter").addEventListener("click", togglePresenter);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", () => {
    if (!wasm || !controls) return;
    loadConfigFromHash();
    restart("reset", false);
  });
  if (new URLSearchParams(location.search).has("presenter")) togglePresenter();
}

function togglePlay() {
  if (!worker) return;
  if (running) {
    setRunning(false);
    post({ type: "pause" });
  } else if (latest.metrics?.phase === "done" || latest.metrics?.phase === "diverged") {
    restart("reset", true); // "Replay"
  } else {
    setRunning(true);
    post({ type: "play" });
  }
}

function stepOnce() {
  if (!worker) return;
  const phase = latest.metrics?.phase;
  if (phase === "done" || phase === "diverged") return;
  setRunning(false);
  post({ type: "step" });
}

/** Space play/pause, → step, R reset, P presenter; never while typing in a control. */
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest?.("input, select, textarea, [contenteditable]")) return;
  // A focused button already answers Space and Enter itself.
  if (target.closest?.("button") && (event.key === " " || event.key === "Enter")) return;
  if (!wasm || !controls) return;
  switch (event.key) {
    case " ":
      togglePlay();
      break;
    case "ArrowRight":
      stepOnce();
      break;
    case "r":
    case "R":
      restart("reset", false);
      break;
    case "p":
    case "P":
      togglePresenter();
      break;
    default:
      return;
  }
  event.preventDefault();
}

function togglePresenter() {
  const on = document.documentElement.classList.toggle("presenter");
  $("presenter").setAttribute("aria-pressed", String(on));
}

function setRunning(value) {
  running = value;
  document.documentElement.dataset.running = String(running);
  const done = latest.metrics?.phase === "done" || latest.metrics?.phase === "diverged";
  $("play").textContent = running ? "Pause" : done ? "Replay" : "Play";
  $("play").setAttribute("aria-pressed", String(running));
  $("retrain").disabled = !teacherFinished();
}

// ---------------------------------------------------------------------------------------
// Text readouts

function showMetrics(m) {
  if (!m) return;
  if (m.phase !== document.documentElement.dataset.phase) announce(m.phase);
  document.documentElement.dataset.phase = m.phase; // for styling and for the browser tests
  $("phase-text").textContent = phaseText(m);
  setProgress($("teacher-progress"), m.teacher_step, m.teacher_steps);
  setProgress($("student-progress"), m.student_step, m.student_steps);
  $("agreement-distilled").textContent = percent(m.agreement_distilled);
  $("agreement-hard").textContent = percent(m.agreement_hard);
  $("acc-teacher").textContent = percent(m.teacher_acc);
  $("acc-distilled").textContent = percent(m.distilled_acc);
  $("acc-hard").textContent = percent(m.hard_acc);
  $("test-agreement-distilled").textContent = percent(m.test_agreement_distilled);
  $("test-agreement-hard").textContent = percent(m.test_agreement_hard);
  $("kl-distilled").textContent = fixed(m.kl_distilled, 3);
  $("kl-hard").textContent = fixed(m.kl_hard, 3);
  $("params-text").textContent = wasm.describe_params(m);
  $("caption-teacher").textContent = m.teacher_params == null ? "" : `${count(m.teacher_params)} parameters`;
  $("caption-distilled").textContent = `learns the teacher’s soft targets at T = ${config.temperature}`;
}

function phaseText(m) {
  switch (m.phase) {
    case "teacher":
      return `The teacher learns the labels: step ${count(m.teacher_step)} of ${count(m.teacher_steps)}`;
    case "student":
      return `The students learn: step ${count(m.student_step)} of ${count(m.student_steps)}`;
    case "done":
      return `Finished: the students trained for ${count(m.student_step)} steps`;
    case "diverged":
      return "Diverged: training stopped";
    default:
      return m.phase;
  }
}

/** Tells screen readers about a new phase (the step counters change too often for that). */
function announce(phase) {
  const words = {
    teacher: "The teacher is learning.",
    student: "The teacher is trained; the students are learning.",
    done: "Finished.",
    diverged: "Training diverged and has stopped.",
  };
  $("announcer").textContent = words[phase] ?? "";
}

function setProgress(bar, value, max) {
  bar.max = max || 1;
  bar.value = value ?? 0;
}

function showNotices(notices) {
  const list = $("notice-list");
  list.replaceChildren(...notices.map((text) => Object.assign(document.createElement("li"), { textContent: clip(text) })));
  $("notices").hidden = notices.length === 0;
}

function showDivergence(title, text) {
  $("divergence-title").textContent = title;
  $("divergence-message").textContent = text;
  $("divergence").hidden = false;
}

/** Adds `text` to the load errors at the top of the page; nothing can run. */
function showLoadError(text) {
  const box = $("load-error");
  if ([...box.children].some((line) => line.textContent === text)) return;
  box.append(Object.assign(document.createElement("p"), { textContent: text }));
  box.hidden = false;
  $("phase-text").textContent = "Not running";
  console.error(text);
}

/**
 * Shows a load error that `explain(faults)` words once faults.js (loaded only now) has looked
 * at the files; a plain one if even faults.js cannot be loaded.
 */
async function explainLater(explain) {
  $("phase-text").textContent = "Not running";
  try {
    showLoadError(await explain(await import("./faults.js")));
  } catch (err) {
    showLoadError(`The page could not start, and faults.js, which explains why, did not load either (${describe(err)}). Check that every file of the page is on the server beside index.html, then reload.`);
  }
}

function hide(element) {
  element.hidden = true;
}

function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}

// ---------------------------------------------------------------------------------------
// Drawing: each view is a canvas plus a Rust draw call. Views marked dirty are drawn on the
// next animation frame, oldest first, within FRAME_BUDGET_MS; the rest wait a frame, so no
// frame of the main thread grows long however fast the worker posts.

const views = [];
let frameRequested = false;

function setupViews() {
  for (const which of ["teacher", "distilled", "hard"]) {
    const canvas = $(`map-${which}`);
    addView("maps", canvas, () => {
      if (!latest.snapshot || !latest.dataset) return;
      const marked = latest.probePoint ?? latest.probe?.point ?? null;
      wasm.draw_map(canvas, latest.snapshot, which, latest.dataset, marked);
    });
    canvas.addEventListener("click", (event) => probeAt(canvas, event));
  }
  addView("charts", $("chart-agreement"), (canvas) => charts.draw_agreement(canvas));
  addView("charts", $("chart-loss"), (canvas) => charts.draw_loss(canvas));
  addView("scores", $("accuracy"), (canvas) => latest.metrics && wasm.draw_accuracy(canvas, latest.metrics));
  addView("scores", $("params"), (canvas) => latest.metrics && wasm.draw_params(canvas, latest.metrics));
  addView("probe", $("probe"), (canvas) => latest.probe && wasm.draw_probe(canvas, latest.probe));
  addView("api", $("chart-fidelity"), (canvas) => api.history.length > 0 && wasm.draw_fidelity(canvas, api.history));

  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const view = views.find((v) => v.canvas === entry.target);
      const device = entry.devicePixelContentBoxSize?.[0];
      const css = entry.contentBoxSize[0];
      view.width = Math.round(device ? device.inlineSize : css.inlineSize * devicePixelRatio);
      view.height = Math.round(device ? device.blockSize : css.blockSize * devicePixelRatio);
      markDirty(view);
    }
    requestFrame();
  });
  for (const view of views) observer.observe(view.canvas);
}

function addView(group, canvas, draw) {
  // cost: a running average of how long the view takes to draw (ms), for the frame budget.
  views.push({ group, canvas, draw, width: 0, height: 0, dirtySince: null, failed: false, cost: 0 });
}

/** Marks the views of each of `groups` ("maps", "charts", "scores", "probe", "api") for redrawing. */
function invalidate(...groups) {
  for (const view of views) {
    if (groups.includes(view.group)) markDirty(view);
  }
  requestFrame();
}

function markDirty(view) {
  view.dirtySince ??= performance.now();
}

function requestFrame() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(drawFrame);
}

function drawFrame() {
  frameRequested = false;
  const start = performance.now();
  const dirty = views.filter((v) => v.dirtySince != null).sort((a, b) => a.dirtySince - b.dirtySince);
  let drawn = 0;
  for (const view of dirty) {
    // Always draw one view per frame; draw another only if its usual cost still fits.
    if (drawn > 0 && performance.now() - start + view.cost > FRAME_BUDGET_MS) {
      requestFrame();
      return;
    }
    view.dirtySince = null;
    if (view.width === 0 || view.height === 0) continue; // hidden; drawn when it reappears
    if (view.canvas.width !== view.width) view.canvas.width = view.width;
    if (view.canvas.height !== view.height) view.canvas.height = view.height;
    const began = performance.now();
    try {
      view.draw(view.canvas);
      // Visible in the browser's performance panel, and read by the long-task test.
      performance.measure(`draw ${view.canvas.id}`, { start: began });
    } catch (err) {
      if (!view.failed) console.error(`Drawing ${view.canvas.id} failed: ${describe(err)}`);
      view.failed = true;
    }
    view.cost = 0.8 * view.cost + 0.2 * (performance.now() - began);
    drawn += 1;
  }
}

/** Maps a click on a decision map to data coordinates (top row = ymax) and probes there. */
function probeAt(canvas, event) {
  if (!latest.snapshot) return;
  const rect = canvas.getBoundingClientRect(); // includes the border; the map is inside it
  const left = event.clientX - rect.left - canvas.clientLeft;
  const top = event.clientY - rect.top - canvas.clientTop;
  const [xmin, xmax, ymin, ymax] = latest.snapshot.extent;
  const x = xmin + (left / canvas.clientWidth) * (xmax - xmin);
  const y = ymax - (top / canvas.clientHeight) * (ymax - ymin);
  latest.probePoint = [x, y];
  showProbeWhere(latest.probePoint, "");
  post({ type: "probe", point: latest.probePoint });
  invalidate("maps");
}

/** Shows where the probe is; `why` says how the point was chosen, if not by a click. */
function showProbeWhere([x, y], why) {
  $("probe").hidden = false;
  $("probe-where").hidden = false;
  $("probe-where").textContent = `At x = ${x.toFixed(2)}, y = ${y.toFixed(2)}${why}`;
}
