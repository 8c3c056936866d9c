// digits/worker.js: the digits section's training thread. It owns one WebDigits (the digits,
// the teacher, the experiment being run), paces the experiment and answers drawings; it never
// touches the DOM and does no maths of its own.
//
// Messages in (from digits.js):
//   { type: "load", data, weights, dataName, weightsName }  the two files' bytes (ArrayBuffers)
//   { type: "start", gen, name, choices }   run experiment `name` with { student_width,
//                                           temperature, retrain_teacher }
//   { type: "sketch", seq, rgba, width, height, temperature }  what do the networks say?
// Messages out:
//   { type: "ready" } | { type: "error", message }    the files were read, or why not
//   { type: "outcome", gen, outcome, confusion }      progress and results, ~10 a second
//   { type: "answer", seq, seen: { pixels, answer } }
//   { type: "failed", gen, message }                  the experiment threw; it stopped
//   { type: "fatal", file, message }                  the wasm module could not be loaded: `file` at fault

import { loadWasm } from "../wasm.js";
import { ticker } from "../ticker.js";

/** At most this often (ms) an outcome is posted. */
const POST_INTERVAL_MS = 100;
/** Each tick runs for about this long (ms), so drawings are answered between ticks. */
const TICK_MS = 30;

let wasm = null;
const queue = []; // messages that arrived before the module was ready

const state = {
  digits: null, // the WebDigits
  gen: 0,
  running: false,
  steps: 20, // steps per tick, adapted to TICK_MS
  lastPost: 0,
};

self.onmessage = (event) => {
  if (wasm) handle(event.data);
  else queue.push(event.data);
};

async function load() {
  try {
    wasm = await loadWasm();
  } catch (err) {
    self.postMessage({ type: "fatal", file: err.file, message: describe(err) });
    return;
  }
  for (const message of queue.splice(0)) handle(message);
}

function handle(message) {
  switch (message.type) {
    case "load":
      try {
        state.digits?.free();
        state.digits = new wasm.WebDigits(
          new Uint8Array(message.data),
          message.dataName,
          new Uint8Array(message.weights),
          message.weightsName,
        );
        self.postMessage({ type: "ready" });
      } catch (err) {
        self.postMessage({ type: "error", message: describe(err) });
      }
      break;
    case "start":
      guarded(() => {
        state.gen = message.gen;
        const outcome = state.digits.start(message.name, message.choices);
        state.running = true;
        state.steps = 20;
        post(outcome);
        schedule();
      });
      break;
    case "sketch":
      guarded(() => {
        const seen = state.digits.answer(new Uint8Array(message.rgba), message.width, message.height, message.temperature);
        self.postMessage({ type: "answer", seq: message.seq, seen });
      });
      break;
    default:
      self.postMessage({ type: "failed", gen: state.gen, message: `unknown message type ${message.type}` });
  }
}

/** Runs `work`; a throw stops the experiment and is reported, never lost. */
function guarded(work) {
  try {
    work();
  } catch (err) {
    state.running = false;
    self.postMessage({ type: "failed", gen: state.gen, message: describe(err) });
  }
}

const schedule = ticker(() => guarded(tick));

function tick() {
  if (!state.running) return;
  const began = performance.now();
  const outcome = state.digits.step(state.steps);
  const took = performance.now() - began;
  // Aim for TICK_MS a tick whatever the phase costs a step (the teacher's are dearer).
  state.steps = Math.max(1, Math.min(500, Math.round((state.steps * TICK_MS) / Math.max(took, 1))));
  const finished = outcome.phase === "done" || outcome.phase === "diverged";
  if (finished) state.running = false;
  if (finished || performance.now() - state.lastPost >= POST_INTERVAL_MS) post(outcome);
  if (state.running) schedule();
}

function post(outcome) {
  const confusion = state.digits.confusion();
  self.postMessage({ type: "outcome", gen: state.gen, outcome, confusion }, [confusion.teacher.buffer, confusion.student.buffer]);
  state.lastPost = performance.now();
}

function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}

load();
