// api/api.js: the API chapter. An Extraction holds the client's run that the playground's
// worker performs on its trained teacher (WebExtraction, crate/src/api/extraction.rs): its
// history of ExtractionMetrics, play/pause, and the chart; the functions below write the
// counters, the status line, the ban banner, the format table with each copy's bill (read by
// the crate, as the lesson's report reads it) and the lesson bar's finding.

import { announce } from "../announce.js";
import { banSentence, showAccounts } from "./accounts.js";
import { count, dollars, duration, percent, wholePercent } from "../format.js";

const $ = (id) => document.getElementById(id);

/** Shows the state of no extraction: `ready` says whether the teacher is trained. */
export function showNoExtraction(ready, config) {
  const { budget } = config;
  $("api-start").textContent = "Start extraction";
  $("api-start").disabled = !ready;
  $("api-status").textContent = ready
    ? "Ready: the client may start querying the trained teacher."
    : "Train the teacher first (Play, above): the API serves the trained teacher.";
  $("api-queries").textContent = `0 / ${count(budget)}`;
  setBudgetBar(0, budget);
  $("api-time").textContent = "–";
  $("api-cost").textContent = "–";
  $("api-ban").hidden = true;
  $("api-error").hidden = true;
  $("api-teacher-acc").textContent = "–";
  $("chart-fidelity").hidden = true;
  showAccounts(null, config);
  for (const cell of document.querySelectorAll("[data-format]")) cell.textContent = "–";
  for (const finding of document.querySelectorAll('[data-finding="api"]')) finding.textContent = "";
  delete document.documentElement.dataset.extraction;
}

/** Shows the latest metrics `m` of an extraction that is `running` (or paused). */
export function showExtraction(m, running) {
  const over = m.phase === "done" || m.phase === "banned";
  $("api-start").textContent = over
    ? "Run again"
    : running
      ? "Pause extraction"
      : m.step === 0
        ? "Start extraction"
        : "Resume extraction";
  $("api-start").disabled = false;
  $("api-start").setAttribute("aria-pressed", String(running));
  const before = document.documentElement.dataset.extraction;
  $("api-status").textContent = statusText(m, running);
  if (before !== m.phase && (m.phase === "done" || m.phase === "banned")) {
    announce(m.phase === "done" ? "Extraction finished." : `Extraction stopped: the client was banned after ${count(m.queries)} queries.`, "api");
  }
  document.documentElement.dataset.extraction = m.phase; // for styling and the browser tests
  $("api-queries").textContent = `${count(m.queries)} / ${count(m.budget)}`;
  setBudgetBar(m.queries, m.budget);
  $("api-time").textContent = duration(m.seconds);
  $("api-cost").textContent = dollars(m.cost);
  $("api-teacher-acc").textContent = percent(m.teacher_acc);
  $("chart-fidelity").hidden = false;
  showAccounts(m);
  const ban = $("api-ban");
  if (m.phase === "banned") {
    // banned_at is the query that was flagged (and refused); m.queries were answered before it.
    ban.textContent = banSentence(m);
    ban.hidden = false;
  } else {
    ban.hidden = true;
  }
  const values = m.thieves.map((t) => `${t.format} ${percent(t.fidelity)} and ${percent(t.accuracy)}`).join("; ");
  $("chart-fidelity").setAttribute("aria-label", `Fidelity over the plane and accuracy on the test points of each copy after ${count(m.queries)} queries: ${values}.`);
  m.thieves.forEach((thief, i) => {
    for (const cell of document.querySelectorAll(`[data-format="${i}"]`)) {
      cell.textContent = cell.dataset.field === "bill" ? billOf(thief, over) : percent(thief[cell.dataset.field]);
    }
  });
  const finding = billSentence(m);
  for (const line of document.querySelectorAll('[data-finding="api"]')) line.textContent = finding;
}

/** A copy's bill as its table cell shows it: the queries, "never" once over, "not yet". */
function billOf(thief, over) {
  if (thief.queries_to_level != null) return count(thief.queries_to_level);
  return over ? "never" : "not yet";
}

/**
 * What the label alone cost the thief in queries against full probabilities, in one sentence
 * from `m`'s bills (the crate's), or "" before there is anything to compare.
 */
export function billSentence(m) {
  const bill = (name) => m.thieves.find((t) => t.format === name)?.queries_to_level;
  const [full, label] = [bill("full probabilities"), bill("label only")];
  const level = `${wholePercent(m.level)} fidelity`;
  const over = m.phase === "done" || m.phase === "banned";
  if (full == null) return over ? `No copy on full probabilities reached ${level} in this run.` : "";
  if (label == null) {
    return over
      ? `Full probabilities reached ${level} after ${count(full)} queries; the copy given labels alone never did.`
      : `Full probabilities reached ${level} after ${count(full)} queries; the copy given labels alone has not yet.`;
  }
  const more = label - full;
  const then = `(${count(label)} queries against ${count(full)} to reach ${level})`;
  if (more > 0) return `The label alone cost the thief ${count(more)} more queries than full probabilities ${then}.`;
  if (more < 0) return `The label alone cost the thief ${count(-more)} fewer queries than full probabilities ${then}.`;
  return `The label alone cost the thief no more queries than full probabilities ${then}.`;
}

function statusText(m, running) {
  const steps = `step ${count(m.step)} of ${count(m.steps)}`;
  switch (m.phase) {
    case "querying":
      if (running) return `Querying the API and training the copies: ${steps}`;
      return m.step === 0 ? "Ready: the client may start querying the trained teacher." : `Paused at ${steps}`;
    case "training":
      return running
        ? `Budget spent; the copies train on the ${count(m.queries)} answers: ${steps}`
        : `Paused at ${steps} (budget spent)`;
    case "done":
      return `Finished: ${count(m.queries)} queries, ${count(m.step)} training steps.`;
    case "banned":
      return `Banned at ${steps}: the copies keep what ${count(m.queries)} answers taught them.`;
    default:
      return m.phase;
  }
}

function setBudgetBar(used, budget) {
  const bar = $("api-progress");
  bar.max = budget || 1;
  bar.value = used ?? 0;
}

/**
 * The extraction the page shows. `host` is the playground, whose worker runs it:
 * `{ post(message), generation(), config(), teacherFinished() }`.
 */
export class Extraction {
  constructor(host, level) {
    this.host = host;
    for (const header of document.querySelectorAll("[data-bill-level]")) header.textContent = wholePercent(level);
    this.xgen = 0; // bumped on every new extraction: messages of older ones are dropped
    this.history = []; // every ExtractionMetrics posted, oldest first, for the chart
    this.running = false;
  }

  /** Forgets the extraction on the page (the worker drops its own on a reset or "drop-api"). */
  forget() {
    this.xgen += 1;
    this.history = [];
    this.running = false;
  }

  /** Starts a new extraction under the current config, playing or paused. */
  start(play) {
    this.xgen += 1;
    this.history = [];
    this.running = play;
    const { host } = this;
    host.post({ type: "extract", gen: host.generation(), xgen: this.xgen, config: host.config(), play });
  }

  /** Start, pause, resume, or (after the end or a ban) run the extraction again. */
  toggle() {
    const last = this.history.at(-1);
    if (!last || last.phase === "done" || last.phase === "banned") {
      this.start(true);
    } else {
      this.running = !this.running;
      this.host.post({ type: this.running ? "extract-play" : "extract-pause" });
      showExtraction(last, this.running);
    }
  }

  /** Takes the worker's `{ xgen, metrics, running }`; true if the chart needs redrawing. */
  onMessage(message) {
    if (message.xgen !== this.xgen) return false; // from an extraction since replaced
    this.history.push(...message.metrics);
    const last = this.history.at(-1);
    if (!last) return false;
    // As for the trainer, the page decides play or pause; the worker only stops at the end.
    const over = last.phase === "done" || last.phase === "banned";
    this.running = this.running && !(over && !message.running);
    showExtraction(last, this.running);
    return true;
  }

  /** The worker's extraction stopped with an error. */
  onError() {
    this.history = [];
    this.running = false;
  }

  /** Shows "nothing run yet" unless there is a run to show; `ready`: the teacher is trained. */
  showIdle(ready) {
    if (this.history.length === 0) showNoExtraction(ready, this.host.config());
  }

  /**
   * Draws fidelity and accuracy against queries with `wasm` on `target` (a canvas, or
   * `{ width, height }` for an SVG string) at `scale`; false with nothing to draw.
   */
  draw(wasm, target, scale) {
    return this.history.length > 0 && wasm.draw_fidelity(target, scale, this.history);
  }

  /** The history as CSV (the formats' fidelity, test accuracy and bill per query count), or null. */
  csv(wasm) {
    return this.history.length > 0 ? wasm.extraction_csv(this.history) : null;
  }
}
