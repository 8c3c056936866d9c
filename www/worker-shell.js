// worker-shell.js: what every Worker of the page does the same way. It loads the crate's
// wasm module, holds the page's messages until then and names the file at fault if it cannot
// (serve). A section's Worker also reads the section's files (open) and paces a run in short
// ticks, posting its outcome now and then (pace). Each Worker keeps only its own messages and
// its calls into its wasm object. The Workers that play rounds build on it in round-worker.js.

import { describe } from "./messages.js";
import { ticker } from "./ticker.js";

/**
 * Loads the Worker's wasm module with `load(compiled)` (wasm.js), `compiled` a promise of the
 * page's compiled module, the page's first message ({ type: "module", module }), keeping the
 * messages that arrive meanwhile; then hands each, in order, to `handle(message, wasm)`. A
 * module that cannot be loaded is posted as `{ type: "fatal", file, message }`, `file` the one
 * at fault (relative to the page).
 */
export function serve(load, handle) {
  let wasm = null;
  let compiled;
  const arrived = new Promise((resolve) => (compiled = resolve));
  const queue = []; // messages that arrived before the module was ready
  self.onmessage = (event) => {
    if (event.data?.type === "module") compiled(event.data.module);
    else if (wasm) handle(event.data, wasm);
    else queue.push(event.data);
  };
  load(arrived).then(
    (module) => {
      wasm = module;
      for (const message of queue.splice(0)) handle(message, wasm);
    },
    (err) => self.postMessage({ type: "fatal", file: err.file, message: describe(err) }),
  );
}

/**
 * Answers section.js's `{ type: "load", bytes, names }` (the section's files, in its order):
 * returns `create(bytes0, name0, bytes1, name1, …)`, each file's bytes as a Uint8Array, and
 * posts `{ type: "ready", ...ready(created) }`; or, if that throws, posts
 * `{ type: "error", message }` and returns null.
 */
export function open({ bytes, names }, create, ready = () => ({})) {
  try {
    const created = create(...bytes.flatMap((b, i) => [new Uint8Array(b), names[i]]));
    self.postMessage({ type: "ready", ...ready(created) });
    return created;
  } catch (err) {
    self.postMessage({ type: "error", message: describe(err) });
    return null;
  }
}

/**
 * A run paced in ticks of about `tickMs`, each `step(n)` with n adapted to what a step costs
 * (1 to `maxSteps`); `done(outcome)` says when it is over. `post(outcome)` posts an outcome,
 * at most every `postMs` (the first tick's at once) and always the last; `failed(message)`
 * reports a throw, which stops the run. Returns { begin(outcome, steps, play), play(),
 * pause(), post(outcome), guarded(work), running }.
 */
export function pace({ tickMs, postMs, maxSteps, step, done, post, failed }) {
  const run = { running: false, done: true, steps: 1, lastPost: 0 };

  const paced = {
    /** Whether ticks are running. */
    get running() {
      return run.running;
    },
    /** A new run from its first `outcome`, `steps` a tick to begin with; it plays if `play`. */
    begin(outcome, steps, play = true) {
      run.steps = steps;
      run.done = done(outcome);
      run.running = play && !run.done;
      paced.post(outcome);
      run.lastPost = -Infinity; // the first trained step shows at once
      schedule();
    },
    /** Goes on with the run, unless it is over. */
    play() {
      run.running = !run.done;
      schedule();
    },
    /** Holds the run after the current tick. */
    pause() {
      run.running = false;
    },
    /** Posts `outcome` now. */
    post(outcome) {
      post(outcome);
      run.lastPost = performance.now();
    },
    /** Runs `work`; a throw stops the run and is reported, never lost. */
    guarded(work) {
      try {
        work();
      } catch (err) {
        run.running = false;
        failed(describe(err));
      }
    },
  };

  const scheduleTick = ticker(() => paced.guarded(tick));
  function schedule() {
    if (run.running) scheduleTick();
  }

  function tick() {
    if (!run.running) return;
    const began = performance.now();
    const outcome = step(run.steps);
    const took = performance.now() - began;
    // Aim for tickMs a tick whatever a step costs, so messages get in between two ticks.
    run.steps = Math.max(1, Math.min(maxSteps, Math.round((run.steps * tickMs) / Math.max(took, 1))));
    run.done = done(outcome);
    if (run.done) run.running = false;
    if (run.done || performance.now() - run.lastPost >= postMs) paced.post(outcome);
    schedule();
  }

  return paced;
}
