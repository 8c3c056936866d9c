import { loadChatWasm } from "../wasm.js";
import { serveRound } from "../round-worker.js";

serveRound({
  // reasoner/worker.js: the reasoner section's training thread. It owns one WebReasoner (the
  // teacher behind its API, the round being run: four thieves' students), paces the round in
  // short ticks and posts its outcome; it never touches the DOM and does no maths of its own.
  // The messages are round-worker.js's serveRound's; the file it reads is the teacher's
  // weights and the defences' measured frontier. Its module is pkg/chat.js (pkg/chat_bg.wasm),
  // the text Workers'. The whole Worker is this one call, so that a file cut short fails to
  // parse and the section names it.
  load: loadChatWasm,
  create: (wasm, ...files) => new wasm.WebReasoner(...files),
  // The defences' measured frontier, read from its file once: the section draws this round on it.
  ready: (reasoner) => ({ defences: reasoner.defences() }),
  // A step trains all four students once: at most 100 a tick.
  maxSteps: 100,
});
