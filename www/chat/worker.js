import { loadChatWasm, textModule } from "../wasm.js";
import { serveRound } from "../round-worker.js";

serveRound({
  // chat/worker.js: the chat section's training thread. It owns one WebChat (the names, the
  // teacher behind its API, the round being run: its lane of the five thieves' students),
  // paces the round in short ticks and posts its outcome; it never touches the DOM and does no
  // maths of its own. The messages are round-worker.js's serveRound's; the files it reads are
  // the names' and the teacher weights' bytes. Its module is pkg/chat.js (pkg/chat_bg.wasm),
  // compiled here and handed to its partner. The whole Worker is this one call, so that a file
  // cut anywhere short of its end fails to parse, and the section names it, rather than
  // loading a Worker that never answers.
  load: loadChatWasm,
  compiled: textModule,
  create: (wasm, ...files) => new wasm.WebChat(...files),
  // The marks' measured frontier, read from its file once: the section draws this round on it.
  ready: (chat) => ({ marks: chat.marks() }),
  // A step trains all five students once: at most 200 a tick.
  maxSteps: 200,
  // Two lanes, the thieves split between this Worker and a partner, where there are two
  // cores: the default round in 16 s in the page instead of 23.5 on a 2-core machine
  // (docs/performance.md, "The chat round in two lanes").
  lanes: Math.min(2, navigator.hardwareConcurrency || 1),
});
