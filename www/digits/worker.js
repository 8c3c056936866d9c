// digits/worker.js: the digits section's training thread. It owns one WebDigits (the digits,
// the teacher, the experiment being run), paces the experiment and answers drawings; it never
// touches the DOM and does no maths of its own.
//
// Messages in (from digits.js):
//   { type: "load", bytes, names }          the digits' and the weights' bytes (ArrayBuffers), paths
//   { type: "start", gen, name, config, retrain }  run experiment `name` under `config`'s
//                                           digits knobs (the page's settings), on a teacher
//                                           retrained first if `retrain`
//   { type: "sketch", seq, rgba, width, height, temperature }  what do the networks say?
// Messages out:
//   { type: "ready", facts } | { type: "error", message }  the files were read (facts: what the
//                                                     section's introduction states), or why not
//   { type: "outcome", gen, outcome, confusion }      progress and results, ~10 a second
//   { type: "answer", seq, seen: { pixels, answer } }
//   { type: "failed", gen, message }                  the experiment threw; it stopped
//   { type: "fatal", file, message }                  the wasm module could not be loaded: `file` at fault

import { loadWasm } from "../wasm.js";
import { open, pace, serve } from "../worker-shell.js";

/** At most this often (ms) an outcome is posted. */
const POST_INTERVAL_MS = 100;
/** Each tick runs for about this long (ms), so drawings are answered between ticks. */
const TICK_MS = 30;
/** Steps a tick to begin with, and at most (the teacher's steps are dearer than the students'). */
const FIRST_STEPS = 20;
const MAX_STEPS = 500;

const state = {
  digits: null, // the WebDigits
  gen: 0,
};

const run = pace({
  tickMs: TICK_MS,
  postMs: POST_INTERVAL_MS,
  maxSteps: MAX_STEPS,
  step: (n) => state.digits.step(n),
  done: (outcome) => outcome.phase === "done" || outcome.phase === "diverged",
  post(outcome) {
    const confusion = state.digits.confusion();
    self.postMessage({ type: "outcome", gen: state.gen, outcome, confusion }, [confusion.teacher.buffer, confusion.student.buffer]);
  },
  failed: (message) => self.postMessage({ type: "failed", gen: state.gen, message }),
});

serve(loadWasm, (message, wasm) => {
  switch (message.type) {
    case "load":
      state.digits?.free();
      state.digits = open(message, (...files) => new wasm.WebDigits(...files), (digits) => ({ facts: digits.facts() }));
      break;
    case "start":
      run.guarded(() => {
        state.gen = message.gen;
        run.begin(state.digits.start(message.name, message.config, Boolean(message.retrain)), FIRST_STEPS);
      });
      break;
    case "sketch":
      run.guarded(() => {
        const seen = state.digits.answer(new Uint8Array(message.rgba), message.width, message.height, message.temperature);
        self.postMessage({ type: "answer", seq: message.seq, seen });
      });
      break;
    default:
      self.postMessage({ type: "failed", gen: state.gen, message: `unknown message type ${message.type}` });
  }
});
