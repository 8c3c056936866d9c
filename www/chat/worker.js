// chat/worker.js: the chat section's training thread. It owns one WebChat (the names, the
// teacher behind its API, the round being run: five thieves' students), paces the round in
// short ticks and posts its outcome; it never touches the DOM and does no maths of its own.
//
// Messages in (from chat.js):
//   { type: "load", bytes, names }         the names' and the weights' bytes (ArrayBuffers), paths
//   { type: "start", gen, config, play }   a new round under `config` (the page's settings)
//   { type: "play" } | { type: "pause" }   go on with the round, or hold it
// Messages out:
//   { type: "ready" } | { type: "error", message }    the files were read, or why not
//   { type: "outcome", gen, outcome, running }        the round so far, ~10 a second
//   { type: "failed", gen, message }                  the round threw; it stopped
//   { type: "fatal", file, message }                  its wasm module (pkg/chat.js, pkg/chat_bg.wasm)
//                                                     could not be loaded: `file` at fault

import { loadChatWasm } from "../wasm.js";
import { open, pace, serve } from "../worker-shell.js";

/** At most this often (ms) an outcome is posted. */
const POST_INTERVAL_MS = 100;
/** Each tick runs for about this long (ms), so a pause or a new round gets in between ticks. */
const TICK_MS = 30;
/** Most steps one tick may ask for (a step trains all five students once). */
const MAX_STEPS = 200;

const state = {
  chat: null, // the WebChat
  gen: 0,
};

const run = pace({
  tickMs: TICK_MS,
  postMs: POST_INTERVAL_MS,
  maxSteps: MAX_STEPS,
  step: (n) => state.chat.step(n),
  done: (outcome) => outcome.done,
  post: (outcome) => self.postMessage({ type: "outcome", gen: state.gen, outcome, running: run.running }),
  failed: (message) => self.postMessage({ type: "failed", gen: state.gen, message }),
});

// The module is fetched from here on: the section is open.
serve(loadChatWasm, (message, wasm) => {
  switch (message.type) {
    case "load":
      state.chat?.free();
      state.chat = open(message, (...files) => new wasm.WebChat(...files));
      break;
    case "start":
      run.guarded(() => {
        state.gen = message.gen;
        run.begin(state.chat.start(message.config), 1, message.play);
      });
      break;
    case "play":
      run.play();
      break;
    case "pause":
      run.pause();
      run.guarded(() => state.chat && run.post(state.chat.step(0))); // where it stopped
      break;
    default:
      self.postMessage({ type: "failed", gen: state.gen, message: `unknown message type ${message.type}` });
  }
});
