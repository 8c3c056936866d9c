// playground/state.js: what the playground knows. One object, written by the controller
// (playground.js) and the worker client, read by the readouts, the canvases and the menus.

export const state = {
  wasm: null, // the main thread's instance of pkg/distill.js
  knobs: new Map(), // the crate's knob table, by key
  controls: null, // the knobs on the page (controls.js)
  config: null, // the current Config, always as parsed back from its own hash

  worker: null, // the WorkerClient (worker-client.js) that runs the playground's trainer
  generation: 0, // bumped on every (re)start; messages from older generations are dropped
  running: false,

  // The latest data from the worker, as drawn: the scene (wasm Scene) keeps every metrics of
  // this generation, the latest maps and the dataset's points; these are the same messages'
  // objects, for the readouts, the stamps and the tour (they do not cross into wasm again).
  metrics: null,
  snapshot: null,
  dataset: null,
  probe: null,
  probePoint: null, // the point chosen in the address or by a click; null: the worker picks
  scene: null, // the main thread's drawings (wasm Scene): each update crosses into it once

  extraction: null, // the API chapter's run (api/api.js)
  investigation: null, // the evidence chapter's (evidence/evidence.js)
  spread: null, // the API chapter's accounts sweep (api/accounts.js)
  apiReady: null, // whether the API section last showed a trained teacher (null: not shown yet)
};

/** Whether the run has ended: done, or diverged. */
export function ended() {
  return state.metrics?.phase === "done" || state.metrics?.phase === "diverged";
}

/** Whether the teacher has trained all its steps (the students learn from it, or have). */
export function teacherFinished() {
  const m = state.metrics;
  if (!m) return false;
  if (m.phase === "student" || m.phase === "done") return true;
  return m.phase === "diverged" && m.teacher_step >= m.teacher_steps;
}
