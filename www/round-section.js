// round-section.js: the controller every section that plays rounds in its own Worker shares
// (the chatbot's, the reasoner's): its lazy download (section.js), the page's settings in, a
// new round when the crate says a changed knob invalidates it (wasm.invalidates), Play, Pause
// and Restart, and the Worker's outcomes out to the section's own `show`.
//
//   settings (playground.js's "settings" event) ──postMessage──► <id>/worker.js (serveRound)
//        ▲                                                        │ outcome, ~10 a second
//        └──────────── show(outcome): the section's own readouts ◄┘
//
// The section's markup names its parts by its id: <id>-details, <id>-play, <id>-restart,
// <id>-error.

import * as wasm from "./pkg/distill.js";
import { settings } from "./playground/playground.js";
import { warmFonts } from "./fonts.js";
import { lazySection } from "./section.js";
import { invalidate } from "./views.js";

/**
 * Sets up section `id` (its lazySection options in `options`, except `ready`, `onMessage`,
 * `before`, `ownModule` and `failed`, which this module supplies). `ready(message)` runs once its files are read
 * (with the Worker's "ready" message: what its `ready` option in serveRound added),
 * before the first round; `show(outcome)` shows each outcome the Worker posts; `starting(config)`,
 * if given, says what a round's start does until its first outcome; `later()`, if given, gives
 * examples of what `show` writes, whose fonts are looked up while the first round starts
 * (fonts.js). Returns
 * { outcome(), shown(), onChange(listener) }: the latest outcome; what the section shows now,
 * { loaded, outcome, failed }; and a listener called after each change (for the guided tour).
 */
export function roundSection(id, options, { ready, show, starting, later = () => [] }) {
  const $ = (name) => document.getElementById(`${id}-${name}`);
  const state = {
    gen: 0,
    config: null, // the page's settings, latest
    round: null, // the settings the round runs under
    outcome: null,
    running: false,
    paused: false, // the reader paused: a new round waits for Play
    failed: null,
  };
  const listeners = [];
  const changed = () => listeners.forEach((listener) => listener());
  let shell = null;
  // Resolves once the page's settings are known: the playground (and its wasm instance) is up.
  let settingsKnown;
  const settingsReady = new Promise((resolve) => (settingsKnown = resolve));

  function setRunning(running) {
    state.running = running;
    const button = $("play");
    button.textContent = running ? "Pause" : state.outcome?.done ? "Run again" : "Play";
    button.setAttribute("aria-pressed", String(running));
    $("details").dataset.running = String(running);
  }

  /** A new round under the page's current settings; it plays if `play`. */
  function startRound(play) {
    state.gen += 1;
    state.round = state.config;
    state.outcome = null;
    state.paused = !play;
    delete $("details").dataset.done;
    $("error").hidden = true;
    state.failed = null;
    setRunning(play);
    // Until the round's first outcome: what its start is doing (the Worker is busy with it).
    $("run-status").textContent = starting ? starting(state.config) : "Starting the round…";
    shell.post({ type: "start", gen: state.gen, config: state.config, play });
    invalidate(id);
  }

  /** Play, pause, or a new round once this one is done. */
  function togglePlay() {
    if (state.outcome?.done) {
      startRound(true);
    } else if (state.running) {
      state.paused = true;
      setRunning(false);
      shell.post({ type: "pause" });
    } else {
      state.paused = false;
      setRunning(true);
      shell.post({ type: "play" });
    }
  }

  /** The page's settings changed (or were first read): a new round if the round's own did. */
  function onSettings(config) {
    const before = state.round;
    state.config = config;
    settingsKnown();
    if (!shell?.loaded) return;
    if (!before || wasm.invalidates(before, config)[id]) startRound(!state.paused);
  }

  /** The Worker's messages other than the shell's own ("fatal", "error", "ready"). */
  function onMessage(message) {
    if (message.gen !== state.gen) return;
    if (message.type === "outcome") {
      state.outcome = message.outcome;
      // An outcome posted before the Worker read the reader's Pause still says it runs.
      state.running = message.running && !state.paused;
      // The Worker's own word: "false" once it has read a Pause (what it posts then is final).
      $("details").dataset.workerRunning = String(message.running);
      show(state.outcome);
      setRunning(state.running);
      invalidate(id);
      changed();
    } else if (message.type === "failed") {
      shell.fail(`The round stopped: ${message.message}`);
    }
  }

  if ($("details")) {
    addEventListener("settings", (event) => onSettings(event.detail));
    state.config = settings();
    if (state.config) settingsKnown();
    shell = lazySection({
      ...options,
      id,
      before: settingsReady, // the page's own start instantiates the module: wait for it, not race it
      ownModule: true, // the text Workers' (wasm.js's textModule), not the page's
      ready(message) {
        ready(message);
        $("play").addEventListener("click", togglePlay);
        $("restart").addEventListener("click", () => startRound(true));
        if (state.config) startRound(true);
        warmFonts($("body"), later()); // while the Workers take the round's first steps
        changed();
      },
      onMessage,
      failed(text) {
        state.failed = text;
        setRunning(false);
        changed();
      },
    });
  }

  return {
    outcome: () => state.outcome,
    shown: () => ({ loaded: Boolean(shell?.loaded), outcome: state.outcome, failed: state.failed }),
    onChange: (listener) => listeners.push(listener),
  };
}
