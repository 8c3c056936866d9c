// playground/playground.js: the playground chapter's controller, and the host of the API and
// evidence chapters, whose jobs run in its worker on its trained teacher. Events in, messages
// out, draw calls.
//
//   knobs() ──► controls.js ──► config ──► location.hash (config_hash) ──► shareable link
//                                  │
//                                  ▼ postMessage (plain data)
//                      playground/worker.js: WebTrainer.step / snapshot / probe
//                                  │
//                                  ▼ metrics, snapshot, probe
//   views.js (animation frames) ──► draw_map / Charts / draw_accuracy / draw_params / draw_probe
//
// Once the teacher is trained, the same worker runs an API extraction (WebExtraction: its
// ExtractionMetrics go to api/api.js) and an investigation (WebInvestigation: progress, then
// the cases that evidence/evidence.js shows).

import { announce } from "../announce.js";
import { Extraction } from "../api/api.js";
import { buildControls } from "../controls.js";
import { askBeforeDiscarding, dismiss } from "../discard.js";
import { Investigation, casesCsv } from "../evidence/evidence.js";
import { count, fixed, percent } from "../format.js";
import { buildExport } from "../export.js";
import { explainLater, showNotices } from "../messages.js";
import { addView, invalidate, svgOf } from "../views.js";
import { currentView, keptPoint, onViewChange, showView, splitAddress, viewQuery } from "../view.js";
const $ = (id) => document.getElementById(id);

let wasm = null; // the main thread's instance of pkg/distill.js
let knobsByKey = new Map();
let controls = null;
let config = null; // the current Config, always as parsed back from its own hash
let charts = null;

let worker = null;
let workerHeard = false; // the worker has posted a message: its scripts loaded
let workerBroken = false; // the trainer threw: start a fresh worker on the next reset
let generation = 0; // bumped on every (re)start; messages from older generations are dropped
let running = false;

let extraction = null; // the API chapter's run (api/api.js)
let investigation = null; // the evidence chapter's (evidence/evidence.js)

/** The latest data from the worker, as drawn. */
const latest = { metrics: null, snapshot: null, dataset: null, probe: null, probePoint: null };

/**
 * Starts the playground on the main thread's `wasm` instance: controls from the knob table,
 * the settings from the address, its views, and a worker with a fresh run. Throws if any of
 * that fails.
 */
export function init(wasmModule) {
  wasm = wasmModule;
  const knobTable = wasm.knobs();
  knobsByKey = new Map(knobTable.map((knob) => [knob.key, knob]));
  controls = buildControls($("knobs"), knobTable, onKnobCommit, { homes: { api: $("api-knobs"), chat: $("chat-knobs") } });
  charts = new wasm.Charts();
  extraction = new Extraction(host, wasm.bill_level());
  investigation = new Investigation(host);
  setupViews();
  paintFormatKey();
  setupExport();
  wireEvents();
  loadConfigFromHash();
  onViewChange(writeHash);
  startWorker();
  restart("reset", false);
  for (const id of ["play", "step", "reset", "defaults"]) $(id).disabled = false;
}

// ---------------------------------------------------------------------------------------
// For the guided tour: what is on screen, when it changes, and the chapters' actions

const listeners = [];

/** Calls `listener()` after each change the page shows: metrics, probe, extraction, verdicts. */
export function onChange(listener) {
  listeners.push(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

/**
 * What the page shows now, as plain data: the settings, the run's latest metrics and probe,
 * the extraction's latest metrics and the investigation's verdicts (null until there).
 */
export function shown() {
  return {
    config,
    metrics: latest.metrics,
    probe: latest.probe,
    extraction: extraction?.history.at(-1) ?? null,
    cases: investigation?.cases ?? null,
  };
}

/**
 * Applies the settings of a URL hash query (through the crate's parser, as a typed address
 * would) and plays: a new run if they change it, the same run resumed if not (the API's jobs
 * and the pace restarted as the change invalidates them).
 */
export function apply(query) {
  const parsed = wasm.parse_config(query);
  const invalidated = wasm.invalidates(config, parsed.config);
  config = parsed.config;
  showNotices(parsed.notices);
  controls.set(config);
  writeHash();
  settingsChanged();
  if (!latest.metrics) invalidated.teacher = true; // nothing to keep yet: a new run
  const restarted = restartInvalidated(invalidated, true);
  if (!restarted && !running && latest.metrics.phase !== "done" && latest.metrics.phase !== "diverged") togglePlay();
}

/** The page's settings now (the Config as parsed back from its own hash); null before init. */
export function settings() {
  return config;
}

/**
 * Tells the chapters that keep their own runs (chat/chat.js) the settings now: a "settings"
 * event on window whose detail is the Config, after every change (and the first reading).
 */
function settingsChanged() {
  dispatchEvent(new CustomEvent("settings", { detail: config }));
}

/** Starts an extraction of the trained teacher, if none is running or done. */
export function startExtraction() {
  if (extraction.history.length === 0 && !extraction.running) extraction.start(true);
}

/** Starts the investigation of the suspects, if none is running or done. */
export function investigate() {
  if (!investigation.running && !investigation.cases) investigation.start();
}

/** What the API and evidence chapters need of the playground: its worker and its run. */
const host = {
  post: (message) => post(message),
  generation: () => generation,
  config: () => config,
  teacherAccuracy: () => latest.metrics?.teacher_acc,
};

// ---------------------------------------------------------------------------------------
// Config and the URL hash

/**
 * Reads location.hash: the view's keys (view.js) and the knobs, through the crate's parser;
 * shows the notices of both, the values and the view.
 */
function loadConfigFromHash() {
  const address = splitAddress(location.hash.replace(/^#/, ""), wasm.plane_extent());
  const parsed = wasm.parse_config(address.rest);
  config = parsed.config;
  showNotices([...address.notices, ...parsed.notices]);
  controls.set(config);
  settingsChanged();
  showView(address.view);
  latest.probePoint = address.view.probe;
  if (latest.probePoint) showProbeWhere(latest.probePoint, "");
  writeHash();
}

/** Replaces the address with the canonical form of what the page shows (no history entry). */
function writeHash() {
  try {
    history.replaceState(null, "", link());
  } catch {
    // A sandboxed frame may refuse; the page works the same without a shareable address.
  }
  $("full-page").href = link({ embed: null });
}

/**
 * A link to the page as it shows now: the knobs that differ from the opening setting, then
 * the view (presenter mode, open sections, the probed point, the embedded chapter), each
 * overridden by `changes` (say `{ embed: "api" }`). The tour's step stays in the query.
 */
export function link(changes = {}) {
  const view = { ...currentView(latest.probePoint), ...changes };
  const hash = [wasm.config_hash(config), viewQuery(view)].filter(Boolean).join("&");
  const params = new URLSearchParams(location.search);
  params.delete("presenter"); // `?presenter` opens presenter mode; the hash holds it from then on
  const search = params.toString();
  return `${location.origin}${location.pathname}${search ? `?${search}` : ""}${hash ? `#${hash}` : ""}`;
}

/**
 * The user settled on a new value for a knob: make the new config through the URL parser (so
 * that the address reproduces exactly this run), then restart what the crate says the change
 * invalidates (wasm.invalidates), after asking if that loses something finished.
 */
function onKnobCommit(key, value) {
  // The crate's parser takes the new value as text, exactly as from a typed URL: a value out
  // of range (say a seed field set to -5) is clamped and explained, never an exception.
  const current = wasm.config_hash(config);
  // The new value replaces the key's old one (a key given twice keeps its first value).
  const others = current.split("&").filter((pair) => pair && pair.split("=")[0] !== key);
  const parsed = wasm.parse_config([...others, `${key}=${value}`].join("&"));
  if (wasm.config_hash(parsed.config) === current && parsed.notices.length === 0) {
    controls.set(config); // the same run: nothing to restart
    return;
  }
  const knob = knobsByKey.get(key);
  // The crate says what the change restarts (the knob table); the page asks before losing it.
  const invalidated = wasm.invalidates(config, parsed.config);
  askBeforeDiscarding(
    `Changing ${knob?.label ?? key}`,
    losses(invalidated),
    () => commitKnob(parsed, invalidated),
    "Change",
    () => controls.set(config), // Keep: the control shows the settings that still hold
  );
}

/** Makes `parsed` the page's settings and restarts what the change `invalidated`. */
function commitKnob(parsed, invalidated) {
  config = parsed.config;
  showNotices(parsed.notices);
  controls.set(config);
  writeHash();
  settingsChanged();
  restartInvalidated(invalidated, running);
}

/**
 * Restarts what `invalidated` (wasm.invalidates) names, playing if `play`: a new run for the
 * teacher, new students on the trained teacher, the API's jobs, the pace. The chat round
 * restarts itself on the "settings" event (chat/chat.js). True if the run started again.
 */
function restartInvalidated(invalidated, play) {
  if (invalidated.teacher || invalidated.students) {
    restart(invalidated.teacher || !teacherFinished() ? "reset" : "restart", play);
    return true;
  }
  if (invalidated.extraction || invalidated.investigation) restartApi(invalidated);
  if (invalidated.pace) post({ type: "speed", speed: config.speed });
  return false;
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
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (event) => {
    workerHeard = true;
    onWorkerMessage(event.data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    setRunning(false);
    const detail = event.message || "";
    if (!workerHeard) {
      explainLater((faults) => faults.explainWorker("playground/worker.js", detail));
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
  $("divergence").hidden = true;
  dismiss(); // a question about the results just dropped has no object any more
  setRunning(play);
  post({ type: kind, gen: generation, config, probe: latest.probePoint, play }); // drops the API jobs
  forgetApi();
}

/**
 * Forgets the extraction and the investigation on the page (the worker drops its own on a
 * reset or restart, or on "drop-api").
 */
function forgetApi() {
  extraction.forget();
  investigation.forget();
  showApiIdle();
  invalidate("api");
}

/**
 * After settings the API's jobs read changed (`invalidated`): an invalidated extraction that
 * ran starts over under them (playing if it was), an invalidated investigation still running
 * starts over, a finished one is forgotten; a job not invalidated is kept. (The worker drops
 * a job when it starts its successor.)
 */
function restartApi(invalidated) {
  const { extraction: x, investigation: i } = invalidated;
  const restartExtraction = x && (extraction.history.length > 0 || extraction.running);
  const play = extraction.running;
  const restartInvestigation = i && investigation.running;
  if (x) extraction.forget();
  if (i) investigation.forget();
  showApiIdle();
  invalidate("api");
  if (restartExtraction) extraction.start(play);
  if (restartInvestigation) investigation.start();
}

/** Whether the API section last showed a trained teacher (null: not shown yet). */
let apiReady = null;

/** The API section and evidence panel with nothing run (yet), as far as the teacher allows. */
function showApiIdle() {
  apiReady = teacherFinished();
  extraction.showIdle(apiReady);
  investigation.showIdle(apiReady);
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
      showClassKey();
      invalidate("maps");
      break;
    case "weights":
      settleWeights(message);
      break;
    case "update":
      onUpdate(message);
      break;
    case "probe":
      latest.probe = message.probe;
      invalidate("probe");
      describeLater();
      changed();
      break;
    case "error":
      workerBroken = true;
      setRunning(false);
      showDivergence("The trainer stopped with an error", message.message);
      break;
    case "extraction":
      if (extraction.onMessage(message)) invalidate("api");
      changed();
      break;
    case "investigation":
      investigation.onMessage(message);
      changed();
      break;
    case "api-error":
      onApiError(message);
      break;
  }
}

function onApiError(message) {
  const box = $(message.job === "extraction" ? "api-error" : "evidence-error");
  (message.job === "extraction" ? extraction : investigation).onError();
  showApiIdle();
  box.textContent = `The ${message.job} stopped with an error: ${message.message}`;
  box.hidden = false;
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
  describeLater();
  if (teacherFinished() !== apiReady) showApiIdle();
  changed();
}

// ---------------------------------------------------------------------------------------
// Buttons

function wireEvents() {
  $("play").addEventListener("click", togglePlay);
  $("step").addEventListener("click", stepOnce);
  $("reset").addEventListener("click", reset);
  $("divergence-reset").addEventListener("click", reset);
  $("retrain").addEventListener("click", () => askBeforeDiscarding("Retraining the students", losses(), () => restart("restart", true), "Retrain"));
  $("defaults").addEventListener("click", () =>
    askBeforeDiscarding(
      "Restoring the defaults",
      losses(),
      () => {
        config = wasm.parse_config("").config;
        controls.set(config);
        writeHash();
        settingsChanged();
        restart("reset", false);
      },
      "Restore",
    ),
  );
  $("api-start").addEventListener("click", () => extraction.toggle());
  window.addEventListener("hashchange", () => {
    loadConfigFromHash();
    restart("reset", false);
  });
}

/** Play, pause, or replay a finished run. */
export function togglePlay() {
  if (!worker) return;
  if (running) {
    setRunning(false);
    post({ type: "pause" });
  } else if (latest.metrics?.phase === "done" || latest.metrics?.phase === "diverged") {
    askBeforeDiscarding("Replay", losses(), () => restart("reset", true));
  } else {
    setRunning(true);
    post({ type: "play" });
  }
}

/** One frame's worth of steps, paused. */
export function stepOnce() {
  if (!worker) return;
  const phase = latest.metrics?.phase;
  if (phase === "done" || phase === "diverged") return;
  setRunning(false);
  post({ type: "step" });
}

/** A new run from scratch under the current settings, once the user agrees to lose what is finished. */
export function reset() {
  askBeforeDiscarding("Reset", losses(), () => restart("reset", false));
}

/**
 * What restarting the parts `invalidated` names (wasm.invalidates; by default a new run) would
 * throw away, as phrases: a finished run, an extraction's results, verdicts.
 */
function losses(invalidated = { teacher: true }) {
  // A new run, of the teacher or the students, drops the API's jobs too (worker.js).
  const run = invalidated.teacher || invalidated.students;
  const lost = [];
  if (run && latest.metrics?.phase === "done") lost.push("the finished run");
  const last = extraction.history.at(-1);
  if ((run || invalidated.extraction) && (last?.phase === "done" || last?.phase === "banned")) lost.push("the extraction’s results");
  if ((run || invalidated.investigation) && investigation.cases) lost.push("the investigation’s verdicts");
  return lost;
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
  if (m.phase !== document.documentElement.dataset.phase) announcePhase(m.phase);
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
function announcePhase(phase) {
  const words = {
    teacher: "The teacher is learning.",
    student: "The teacher is trained; the students are learning.",
    done: "Training finished.",
    diverged: "Training diverged and has stopped.",
  };
  if (words[phase]) announce(words[phase], "playground");
}

/** Shows the alert that training stopped, with its title and explanation. */
function showDivergence(title, text) {
  $("divergence-title").textContent = title;
  $("divergence-message").textContent = text;
  $("divergence").hidden = false;
}

function setProgress(bar, value, max) {
  bar.max = max || 1;
  bar.value = value ?? 0;
}

// ---------------------------------------------------------------------------------------
// Drawing and probing

function setupViews() {
  const marked = () => latest.probePoint ?? latest.probe?.point ?? null;
  // The teacher's map changes only while the teacher trains (and with the data or the probe):
  // while the students train it is not drawn again. Its 1,200 points make it the dearest view.
  const teacherShows = () => [latest.dataset, latest.snapshot != null, latest.metrics?.teacher_step, ...(marked() ?? [])];
  for (const which of ["teacher", "distilled", "hard"]) {
    const canvas = $(`map-${which}`);
    const draw = (target, scale) => {
      if (!latest.snapshot || !latest.dataset) return null;
      return wasm.draw_map(target, scale, latest.snapshot, which, latest.dataset, marked());
    };
    addView("maps", canvas, draw, which === "teacher" ? teacherShows : null);
    canvas.addEventListener("click", (event) => probeAt(canvas, event));
  }
  addView("charts", $("chart-agreement"), (target, scale) => charts.draw_agreement(target, scale));
  addView("charts", $("chart-loss"), (target, scale) => charts.draw_loss(target, scale));
  addView("scores", $("accuracy"), (target, scale) => latest.metrics && wasm.draw_accuracy(target, scale, latest.metrics));
  addView("scores", $("params"), (target, scale) => latest.metrics && wasm.draw_params(target, scale, latest.metrics));
  addView("probe", $("probe"), (target, scale) => latest.probe && wasm.draw_probe(target, scale, latest.probe));
  addView("api", $("chart-fidelity"), (target, scale) => extraction.draw(wasm, target, scale));

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
  // Rounded as the address keeps it, so a copied link probes exactly this point.
  latest.probePoint = keptPoint([x, y]);
  showProbeWhere(latest.probePoint, "");
  post({ type: "probe", point: latest.probePoint });
  writeHash();
  invalidate("maps");
}

/** Shows where the probe is; `why` says how the point was chosen, if not by a click. */
function showProbeWhere([x, y], why) {
  $("probe").hidden = false;
  $("probe-where").hidden = false;
  $("probe-where").textContent = `At x = ${x.toFixed(2)}, y = ${y.toFixed(2)}${why}`;
}

// ---------------------------------------------------------------------------------------
// The maps' key, the charts' text alternatives, and the Export menus

/** The maps' colour key: one entry per class, its colour and marker. */
function showClassKey() {
  const classes = config.classes;
  const key = $("map-key");
  if (key.dataset.classes === String(classes)) return;
  key.dataset.classes = String(classes);
  key.replaceChildren(
    ...wasm.class_key(classes).map(({ color, marker }, c) => {
      const entry = document.createElement("li");
      const swatch = Object.assign(document.createElement("span"), { className: "key-swatch", textContent: marker });
      swatch.style.color = color;
      swatch.setAttribute("aria-hidden", "true");
      entry.append(swatch, `class ${c + 1}`);
      return entry;
    }),
  );
}

/** The API table's swatches: each format's colour and marker, as its curve is drawn. */
function paintFormatKey() {
  wasm.format_key().forEach(([color, marker], i) => {
    for (const swatch of document.querySelectorAll(`.swatch-${i}`)) {
      swatch.style.color = color;
      swatch.textContent = marker;
    }
  });
}

let describeTimer = 0;

/** Rewrites the charts' text alternatives from the numbers shown, at most once a second. */
function describeLater() {
  describeTimer ||= setTimeout(() => {
    describeTimer = 0;
    describeCharts();
  }, 1000);
}

/** Each canvas's aria-label: what it shows, with the values it shows now. */
function describeCharts() {
  const m = latest.metrics;
  if (!m) return;
  const label = (id, text) => $(id).setAttribute("aria-label", text);
  const students = m.agreement_distilled != null;
  const steps = `after ${count(m.student_step)} student steps`;
  label("map-teacher", `Decision map of the teacher (${config.classes} classes): test accuracy ${percent(m.teacher_acc)}, after ${count(m.teacher_step)} teacher steps.`);
  label("map-distilled", students ? `Decision map of the distilled student: agrees with the teacher over ${percent(m.agreement_distilled)} of the plane ${steps}.` : "Decision map of the distilled student: not started yet.");
  label("map-hard", students ? `Decision map of the hard-label student: agrees with the teacher over ${percent(m.agreement_hard)} of the plane ${steps}.` : "Decision map of the hard-label student: not started yet.");
  label(
    "chart-agreement",
    students
      ? `Agreement over the plane ${steps}: distilled ${percent(m.agreement_distilled)}, hard-label ${percent(m.agreement_hard)}. KL divergence from the teacher: distilled ${fixed(m.kl_distilled, 3)} nats, hard-label ${fixed(m.kl_hard, 3)} nats.`
      : "Agreement and KL divergence over the student steps: the students have not started.",
  );
  label("chart-loss", `Each network’s loss at its last step: teacher cross-entropy ${fixed(m.teacher_loss, 3)}, distilled student’s blend ${fixed(m.distilled_loss, 3)}, hard-label cross-entropy ${fixed(m.hard_loss, 3)} (nats).`);
  label("accuracy", `Test accuracy: teacher ${percent(m.teacher_acc)}, distilled ${percent(m.distilled_acc)}, hard-label ${percent(m.hard_acc)}.`);
  label("params", wasm.describe_params(m));
  const p = latest.probe;
  if (p) {
    const list = (probs) => probs.map((v, c) => `class ${c + 1} ${percent(v)}`).join(", ");
    const [x, y] = p.point;
    label(
      "probe",
      `Class probabilities at x = ${x.toFixed(2)}, y = ${y.toFixed(2)}. Teacher at T = 1: ${list(p.teacher_t1)}. Teacher at T = ${p.temperature}: ${list(p.teacher_t)}. Distilled: ${list(p.distilled)}. Hard-label: ${list(p.hard)}.`,
    );
  }
}

/** The Export menus of the playground and the API chapter. */
function setupExport() {
  const chart = (id, label) => ({ canvas: $(id), label, svg: () => svgOf($(id)) });
  const text = (body, type) => body && { blob: new Blob([body], { type }), extension: type === "text/csv" ? "csv" : "txt" };
  buildExport(
    $("export-playground"),
    "playground",
    [
      chart("map-teacher", "Teacher’s map"),
      chart("map-distilled", "Distilled student’s map"),
      chart("map-hard", "Hard-label student’s map"),
      chart("chart-agreement", "Agreement and KL chart"),
      chart("probe", "Dark-knowledge probe"),
      chart("chart-loss", "Loss chart"),
      chart("accuracy", "Accuracy bars"),
      chart("params", "Student size bar"),
    ],
    [
      { label: "Measurements (CSV)", testId: "export-csv-playground", stem: "metrics", make: () => latest.metrics && text(charts.csv(), "text/csv") },
      { label: "Distilled student’s weights (burnpack)", testId: "export-weights", stem: "distilled-student", make: requestWeights },
    ],
  );
  buildExport(
    $("export-api"),
    "api",
    [chart("chart-fidelity", "Fidelity and accuracy chart")],
    [{ label: "Measurements (CSV)", testId: "export-csv-api", stem: "extraction", make: () => text(extraction.csv(wasm), "text/csv") }],
  );
  buildExport(
    $("export-evidence"),
    "evidence",
    [],
    [{ label: "Verdicts (CSV)", testId: "export-csv-evidence", stem: "verdicts", make: () => investigation.cases && text(casesCsv(investigation.cases), "text/csv") }],
  );
}

let weightsWanted = null; // { resolve, reject } while the worker encodes the weights

/** The distilled student's weights from the worker, as a file; null before phase 2. */
function requestWeights() {
  if (!teacherFinished()) return null;
  return new Promise((resolve, reject) => {
    weightsWanted?.reject(new Error("a newer request replaced this one"));
    weightsWanted = { resolve, reject };
    post({ type: "weights" });
  });
}

function settleWeights(message) {
  const wanted = weightsWanted;
  weightsWanted = null;
  if (!wanted) return;
  if (message.error) wanted.reject(new Error(message.error));
  else wanted.resolve({ blob: new Blob([message.bytes], { type: "application/octet-stream" }), extension: "bpk" });
}
