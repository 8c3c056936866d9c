// playground/api-jobs.js: the API and evidence chapters' jobs as the playground hosts them.
// Once the teacher is trained, the playground's worker runs an API extraction (WebExtraction:
// its ExtractionMetrics go to api/api.js), the accounts sweep (WebSpread: api/accounts.js) and
// an investigation (WebInvestigation: progress, then the cases that evidence/evidence.js shows).

import { Spread } from "../api/accounts.js";
import { Extraction } from "../api/api.js";
import { Investigation } from "../evidence/evidence.js";
import { invalidate } from "../views.js";
import { state, teacherFinished } from "./state.js";
const $ = (id) => document.getElementById(id);

/** What the API and evidence chapters need of the playground: its worker and its run. */
const host = {
  post: (message) => state.worker.post(message),
  generation: () => state.generation,
  config: () => state.config,
  teacherAccuracy: () => state.metrics?.teacher_acc,
};

/** Makes the chapters' runs: state.extraction and state.investigation. */
export function setupApiJobs() {
  state.extraction = new Extraction(host, state.wasm.bill_level());
  state.investigation = new Investigation(host);
  state.spread = new Spread(host);
}

/**
 * Forgets the extraction and the investigation on the page (the worker drops its own on a
 * reset or restart, or on "drop-api").
 */
export function forgetApi() {
  state.extraction.forget();
  state.investigation.forget();
  state.spread.forget();
  showApiIdle();
  invalidate("api");
}

/**
 * After settings the API's jobs read changed (`invalidated`): an invalidated extraction that
 * ran starts over under them (playing if it was), an invalidated investigation still running
 * starts over, a finished one is forgotten; a job not invalidated is kept. (The worker drops
 * a job when it starts its successor.)
 */
export function restartApi(invalidated) {
  const { extraction, investigation } = state;
  const { extraction: x, investigation: i } = invalidated;
  const restartExtraction = x && (extraction.history.length > 0 || extraction.running);
  const play = extraction.running;
  const restartInvestigation = i && investigation.running;
  const restartSpread = x && state.spread.running;
  if (x) extraction.forget();
  if (x) state.spread.forget();
  if (i) investigation.forget();
  showApiIdle();
  invalidate("api");
  if (restartExtraction) extraction.start(play);
  if (restartInvestigation) investigation.start();
  if (restartSpread) state.spread.start();
}

/** The API section and evidence panel with nothing run (yet), as far as the teacher allows. */
export function showApiIdle() {
  state.apiReady = teacherFinished();
  state.extraction.showIdle(state.apiReady);
  state.investigation.showIdle(state.apiReady);
  state.spread.show(state.apiReady);
}

/** A job that stopped with an error in the worker: its section shows it, idle. */
export function onApiError(message) {
  const box = $(message.job === "investigation" ? "evidence-error" : "api-error");
  ({ extraction: state.extraction, spread: state.spread, investigation: state.investigation })[message.job].onError();
  showApiIdle();
  box.textContent = `The ${message.job} stopped with an error: ${message.message}`;
  box.hidden = false;
}
