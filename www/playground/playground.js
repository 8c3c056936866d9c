// playground/playground.js: the playground chapter's controller, and the host of the API and
// evidence chapters, whose jobs run in its worker on its trained teacher. Events in, messages
// out; the rest lives beside it:
//
//   state.js           what the playground knows (settings, run, latest data, the chapters' jobs)
//   worker-client.js   playground/worker.js: started, posted to, its replies handed back here
//   readouts.js        the numbers and text on the page
//   canvases.js        the canvases views.js draws, and the clicks on the maps
//   api-jobs.js        the API and evidence chapters' runs in the worker
//   export-menus.js    the Export menus
//
//   knobs() ──► controls.js ──► config ──► location.hash (config_hash) ──► shareable link
//                                  │
//                                  ▼ postMessage (plain data)
//                      playground/worker.js: WebTrainer.step / snapshot / probe
//                                  │
//                                  ▼ metrics, snapshot, probe
//   views.js (animation frames) ──► Scene (update once; draw_map / curves / scores) / draw_probe

import { buildControls } from "../controls.js";
import { askBeforeDiscarding, dismiss } from "../discard.js";
import { showNotices } from "../messages.js";
import { invalidate } from "../views.js";
import { currentView, onViewChange, showView, splitAddress, viewQuery } from "../view.js";
import { forgetApi, onApiError, restartApi, setupApiJobs, showApiIdle } from "./api-jobs.js";
import { setupCanvases } from "./canvases.js";
import { setupExport, settleWeights } from "./export-menus.js";
import { describeLater, paintFormatKey, showClassKey, showDivergence, showMetrics, showProbeWhere, showRunning } from "./readouts.js";
import { ended, state, teacherFinished } from "./state.js";
import { WorkerClient } from "./worker-client.js";
const $ = (id) => document.getElementById(id);

/**
 * Starts the playground on the main thread's `wasm` instance: controls from the knob table,
 * the settings from the address, its views, and a worker with a fresh run. Throws if any of
 * that fails.
 */
export function init(wasmModule) {
  state.wasm = wasmModule;
  const knobTable = wasmModule.knobs();
  state.knobs = new Map(knobTable.map((knob) => [knob.key, knob]));
  state.controls = buildControls($("knobs"), knobTable, onKnobCommit, { homes: { api: $("api-knobs"), chat: $("chat-knobs"), digits: $("digits-knobs"), reasoner: $("reasoner-knobs") } });
  state.scene = new wasmModule.Scene();
  setupApiJobs();
  setupCanvases(probeAt);
  paintFormatKey();
  setupExport();
  wireEvents();
  loadConfigFromHash();
  onViewChange(writeHash);
  state.worker = new WorkerClient(replies, stopped);
  state.worker.start();
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
    config: state.config,
    metrics: state.metrics,
    probe: state.probe,
    extraction: state.extraction?.history.at(-1) ?? null,
    spread: state.spread?.metrics ?? null,
    cases: state.investigation?.cases ?? null,
  };
}

/**
 * Applies the settings of a URL hash query (through the crate's parser, as a typed address
 * would) and plays: a new run if they change it, the same run resumed if not (the API's jobs
 * and the pace restarted as the change invalidates them).
 */
export function apply(query) {
  const parsed = state.wasm.parse_config(query);
  const invalidated = state.wasm.invalidates(state.config, parsed.config);
  adopt(parsed.config, parsed.notices);
  writeHash();
  if (!state.metrics) invalidated.teacher = true; // nothing to keep yet: a new run
  const restarted = restartInvalidated(invalidated, true);
  if (!restarted && !state.running && !ended()) togglePlay();
}

/** The page's settings now (the Config as parsed back from its own hash); null before init. */
export function settings() {
  return state.config;
}

/** Starts an extraction of the trained teacher, if none is running or done. */
export function startExtraction() {
  if (state.extraction.history.length === 0 && !state.extraction.running) state.extraction.start(true);
}

/** Starts the accounts sweep, if none is running or done. */
export function measureAccounts() {
  if (!state.spread.running && !state.spread.metrics) state.spread.start();
}

/** Starts the investigation of the suspects, if none is running or done. */
export function investigate() {
  if (!state.investigation.running && !state.investigation.cases) state.investigation.start();
}

// ---------------------------------------------------------------------------------------
// Config and the URL hash

/**
 * Makes `config` the page's settings: the notices of its parsing (if given), the controls,
 * and the "settings" event that tells the chapters that keep their own runs (chat/chat.js)
 * the settings now, after every change (and the first reading). The caller writes the address.
 */
function adopt(config, notices) {
  state.config = config;
  if (notices) showNotices(notices);
  state.controls.set(config);
  dispatchEvent(new CustomEvent("settings", { detail: config }));
}

/**
 * Reads location.hash: the view's keys (view.js) and the knobs, through the crate's parser;
 * shows the notices of both, the values and the view.
 */
function loadConfigFromHash() {
  const address = splitAddress(location.hash.replace(/^#/, ""), state.wasm.plane_extent());
  const parsed = state.wasm.parse_config(address.rest);
  adopt(parsed.config, [...address.notices, ...parsed.notices]);
  showView(address.view);
  state.probePoint = address.view.probe;
  if (state.probePoint) showProbeWhere(state.probePoint, "");
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
  const view = { ...currentView(state.probePoint), ...changes };
  const hash = [state.wasm.config_hash(state.config), viewQuery(view)].filter(Boolean).join("&");
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
  const { wasm, config, controls } = state;
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
  // The crate says what the change restarts (the knob table); the page asks before losing it.
  const invalidated = wasm.invalidates(config, parsed.config);
  askBeforeDiscarding(
    `Changing ${state.knobs.get(key)?.label ?? key}`,
    losses(invalidated),
    () => {
      adopt(parsed.config, parsed.notices);
      writeHash();
      restartInvalidated(invalidated, state.running);
    },
    "Change",
    () => controls.set(state.config), // Keep: the control shows the settings that still hold
  );
}

// ---------------------------------------------------------------------------------------
// Restarts

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
  if (invalidated.pace) state.worker.post({ type: "speed", speed: state.config.speed });
  return false;
}

/**
 * Starts a new generation: "reset" builds a new trainer (teacher and students), "restart"
 * keeps the trained teacher and restarts the students. Either way the curves start over.
 */
function restart(kind, play) {
  if (state.worker.broken) {
    state.worker.start();
    kind = "reset";
  }
  state.generation += 1;
  state.scene.clear(kind === "reset");
  state.metrics = null;
  state.probe = null;
  delete document.documentElement.dataset.phase;
  if (kind === "reset") state.snapshot = null;
  $("divergence").hidden = true;
  dismiss(); // a question about the results just dropped has no object any more
  setRunning(play);
  state.worker.post({ type: kind, gen: state.generation, config: state.config, probe: state.probePoint, play }); // drops the API jobs
  forgetApi();
}

/**
 * What restarting the parts `invalidated` names (wasm.invalidates; by default a new run) would
 * throw away, as phrases: a finished run, an extraction's results, verdicts.
 */
function losses(invalidated = { teacher: true }) {
  // A new run, of the teacher or the students, drops the API's jobs too (worker.js).
  const run = invalidated.teacher || invalidated.students;
  const lost = [];
  if (run && state.metrics?.phase === "done") lost.push("the finished run");
  const last = state.extraction.history.at(-1);
  if ((run || invalidated.extraction) && (last?.phase === "done" || last?.phase === "banned")) lost.push("the extraction’s results");
  if ((run || invalidated.investigation) && state.investigation.cases) lost.push("the investigation’s verdicts");
  return lost;
}

function setRunning(value) {
  state.running = value;
  showRunning();
}

// ---------------------------------------------------------------------------------------
// The worker's replies (of the current generation; worker-client.js reports its failures)

const replies = {
  dataset(message) {
    state.scene.set_dataset(message.dataset);
    state.dataset = message.dataset;
    showClassKey();
    invalidate("maps");
  },
  weights: settleWeights,
  update: onUpdate,
  probe(message) {
    state.probe = message.probe;
    invalidate("probe");
    describeLater();
    changed();
  },
  extraction(message) {
    if (state.extraction.onMessage(message)) invalidate("api");
    changed();
  },
  investigation(message) {
    state.investigation.onMessage(message);
    changed();
  },
  spread(message) {
    if (state.spread.onMessage(message)) invalidate("api");
    changed();
  },
  "api-error": onApiError,
};

/** The worker can go no further: paused, with `why` ({ title, text }) shown if given. */
function stopped(why) {
  setRunning(false);
  if (why) showDivergence(why.title, why.text);
}

function onUpdate(message) {
  state.scene.update(message); // the one crossing of the update into wasm
  const metrics = message.metrics.at(-1) ?? state.metrics;
  state.metrics = metrics;
  state.snapshot = message.snapshot;
  if (message.probe) {
    state.probe = message.probe;
    if (!state.probePoint) showProbeWhere(message.probe.point, ", where the teacher is least sure");
  }
  // The page decides when to play or pause; the worker only stops by itself at the end (done
  // or diverged). Updates already on their way when the user paused still say "running".
  setRunning(state.running && !(ended() && !message.running));
  // The worker's own word: "false" once it has paused or ended.
  document.documentElement.dataset.workerRunning = String(message.running);
  showMetrics(metrics);
  if (metrics?.phase === "diverged") {
    showDivergence("Training diverged", metrics.message || "The loss became NaN or infinite.");
  }
  invalidate("maps", "charts", "scores", "probe");
  describeLater();
  if (teacherFinished() !== state.apiReady) showApiIdle();
  changed();
}

// ---------------------------------------------------------------------------------------
// Buttons and clicks

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
        adopt(state.wasm.parse_config("").config);
        writeHash();
        restart("reset", false);
      },
      "Restore",
    ),
  );
  $("api-start").addEventListener("click", () => state.extraction.toggle());
  $("accounts-start").addEventListener("click", () => state.spread.start());
  window.addEventListener("hashchange", () => {
    loadConfigFromHash();
    restart("reset", false);
  });
}

/** Probes the maps at `point` (a click's), and keeps it in the address. */
function probeAt(point) {
  state.probePoint = point;
  showProbeWhere(point, "");
  state.worker.post({ type: "probe", point });
  writeHash();
  invalidate("maps");
}

/** Play, pause, or replay a finished run. */
export function togglePlay() {
  if (!state.worker) return;
  if (state.running) {
    setRunning(false);
    state.worker.post({ type: "pause" });
  } else if (ended()) {
    askBeforeDiscarding("Replay", losses(), () => restart("reset", true));
  } else {
    setRunning(true);
    state.worker.post({ type: "play" });
  }
}

/** One frame's worth of steps, paused. */
export function stepOnce() {
  if (!state.worker) return;
  if (ended()) return;
  setRunning(false);
  state.worker.post({ type: "step" });
}

/** A new run from scratch under the current settings, once the user agrees to lose what is finished. */
export function reset() {
  askBeforeDiscarding("Reset", losses(), () => restart("reset", false));
}
