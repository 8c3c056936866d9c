// chat/worker.js: the chat section's training thread. It owns one WebChat (the names, the
// teacher behind its API, the round being run: five thieves' students), paces the round in
// short ticks and posts its outcome; it never touches the DOM and does no maths of its own.
//
// Messages in (from chat.js):
//   { type: "load", names, weights, namesName, weightsName }  the two files' bytes (ArrayBuffers)
//   { type: "start", gen, config, play }   a new round under `config` (the page's settings)
//   { type: "play" } | { type: "pause" }   go on with the round, or hold it
// Messages out:
//   { type: "ready" } | { type: "error", message }    the files were read, or why not
//   { type: "outcome", gen, outcome, running }        the round so far, ~10 a second
//   { type: "failed", gen, message }                  the round threw; it stopped
//   { type: "fatal", file, message }                  its wasm module (pkg/chat.js, pkg/chat_bg.wasm)
//                                                     could not be loaded: `file` at fault

import { loadChatWasm } from "../wasm.js";
import { ticker } from "../ticker.js";

/** At most this often (ms) an outcome is posted. */
const POST_INTERVAL_MS = 100;
/** Each tick runs for about this long (ms), so a pause or a new round gets in between ticks. */
const TICK_MS = 30;
/** Most steps one tick may ask for (a step trains all five students once). */
const MAX_STEPS = 200;

let wasm = null;
const queue = []; // messages that arrived before the module was ready

const state = {
  chat: null, // the WebChat
  gen: 0,
  running: false,
  done: true,
  steps: 1, // steps per tick, adapted to TICK_MS
  lastPost: 0,
};

self.onmessage = (event) => {
  if (wasm) handle(event.data);
  else queue.push(event.data);
};

async function load() {
  try {
    wasm = await loadChatWasm(); // fetched from here on: the section is open
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
        state.chat?.free();
        state.chat = new wasm.WebChat(new Uint8Array(message.names), message.namesName, new Uint8Array(message.weights), message.weightsName);
        self.postMessage({ type: "ready" });
      } catch (err) {
        self.postMessage({ type: "error", message: describe(err) });
      }
      break;
    case "start":
      guarded(() => {
        state.gen = message.gen;
        const outcome = state.chat.start(message.config);
        state.done = outcome.done;
        state.running = message.play && !state.done;
        state.steps = 1;
        post(outcome);
        schedule();
      });
      break;
    case "play":
      state.running = !state.done;
      schedule();
      break;
    case "pause":
      state.running = false;
      guarded(() => state.chat && post(state.chat.step(0))); // where it stopped
      break;
    default:
      self.postMessage({ type: "failed", gen: state.gen, message: `unknown message type ${message.type}` });
  }
}

/** Runs `work`; a throw stops the round and is reported, never lost. */
function guarded(work) {
  try {
    work();
  } catch (err) {
    state.running = false;
    self.postMessage({ type: "failed", gen: state.gen, message: describe(err) });
  }
}

const scheduleTick = ticker(() => guarded(tick));

function schedule() {
  if (state.running) scheduleTick();
}

function tick() {
  if (!state.running) return;
  const began = performance.now();
  const outcome = state.chat.step(state.steps);
  const took = performance.now() - began;
  // Aim for TICK_MS a tick whatever a step costs (the students' steps cost 5–20 ms).
  state.steps = Math.max(1, Math.min(MAX_STEPS, Math.round((state.steps * TICK_MS) / Math.max(took, 1))));
  state.done = outcome.done;
  if (state.done) state.running = false;
  if (state.done || performance.now() - state.lastPost >= POST_INTERVAL_MS) post(outcome);
  schedule();
}

function post(outcome) {
  self.postMessage({ type: "outcome", gen: state.gen, outcome, running: state.running });
  state.lastPost = performance.now();
}

function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}

load();
