// evidence/evidence.js: the "Catch the copy" chapter. An Investigation holds the owner's
// examination that the playground's worker runs (WebInvestigation, crate/src/evidence/
// investigation.rs); given its cases, the functions below fill the table of every suspect's
// verdicts and the suspect picker, and write the statistics and verdict sentences of the
// chosen suspect and key.

import { announce } from "../announce.js";
import { count, percent, pValue, wholePercent } from "../format.js";

const $ = (id) => document.getElementById(id);

/** Suspects by their place in the crate's SUSPECTS list (investigation.rs). */
const MARKED_COPY = 0;
const UNMARKED_COPY = 2;

/** Parameters of a suspect: a 2-input MLP of `depth` hidden layers of `width` to `classes`. */
function suspectParameters(width, depth, classes) {
  return 3 * width + (depth - 1) * (width + 1) * width + (width + 1) * classes;
}

/**
 * Says which settings the investigation uses, from `config` (the page's): the suspects' size,
 * the API's query budget and watermark strength; the API's other defences are not theirs.
 */
export function showSetting(config) {
  const w = config.suspect_width;
  const layers = Array(config.student_depth).fill(w).join("-");
  $("evidence-setting").textContent =
    `The suspects: copies of 2-${layers}-${config.classes} (${count(suspectParameters(w, config.student_depth, config.classes))} parameters, ` +
    `the “Suspects’ width” setting), each buying ${count(config.budget)} natural queries from the API above, with no detector; ` +
    `one copy learns from answers watermarked at δ = ${config.delta} and one from unmarked answers, whatever the API’s own Watermark setting.`;
}

/** One verdict cell: the finding first, then its number. */
function verdictCell(flagged, text, label) {
  const cell = document.createElement("td");
  cell.dataset.label = label;
  cell.dataset.flagged = String(flagged);
  cell.textContent = `${flagged ? "Flagged" : "Not flagged"}: ${text}`;
  return cell;
}

/** Fills the table of every suspect's verdicts side by side. */
function showVerdicts(cases) {
  $("verdict-rows").replaceChildren(
    ...cases.map((c) => {
      const row = document.createElement("tr");
      const name = Object.assign(document.createElement("th"), { scope: "row", textContent: c.suspect });
      const accuracy = Object.assign(document.createElement("td"), { textContent: percent(c.accuracy) });
      accuracy.dataset.label = "Test accuracy";
      const w = c.watermark;
      row.append(
        name,
        accuracy,
        verdictCell(w.flagged, `green ${count(w.green)} of ${count(w.cells)}, p = ${pValue(w.p_value)}`, "Watermark, owner’s key"),
        verdictCell(c.wrong_key.flagged, `p = ${pValue(c.wrong_key.p_value)}`, "Watermark, a wrong key"),
        verdictCell(c.fingerprint.flagged, `z = ${c.fingerprint.z.toFixed(1)}`, "Fingerprint"),
      );
      return row;
    }),
  );
}

/**
 * Every suspect's verdicts as CSV, one row a suspect, with the numbers the table and the
 * details show (unrounded).
 */
export function casesCsv(cases) {
  const header = [
    "suspect", "test_accuracy",
    "watermark_cells", "watermark_green", "watermark_p", "watermark_flagged",
    "wrong_key_cells", "wrong_key_green", "wrong_key_p", "wrong_key_flagged",
    "fingerprint_keys", "fingerprint_agree", "fingerprint_z", "fingerprint_flagged",
  ];
  const rows = cases.map((c) => [
    `"${c.suspect}"`, c.accuracy,
    c.watermark.cells, c.watermark.green, c.watermark.p_value, c.watermark.flagged,
    c.wrong_key.cells, c.wrong_key.green, c.wrong_key.p_value, c.wrong_key.flagged,
    c.fingerprint.keys, c.fingerprint.agree, c.fingerprint.z, c.fingerprint.flagged,
  ]);
  return [header, ...rows].map((row) => row.join(",")).join("\n") + "\n";
}

/** Shows that no investigation has run; `ready` says whether the teacher is trained. */
export function showNoInvestigation(ready) {
  $("investigate").disabled = !ready;
  $("investigate").textContent = "Investigate";
  $("investigate-progress").hidden = true;
  $("investigate-status").textContent = ready
    ? "Ready: the owner can train the suspects and test them."
    : "Train the teacher first: the suspects copy the trained teacher.";
  $("evidence-results").hidden = true;
  $("evidence-error").hidden = true;
  delete document.documentElement.dataset.investigation;
}

/** Shows an investigation at `progress` (0 to 1) while its models train. */
export function showProgress(progress) {
  document.documentElement.dataset.investigation = "running";
  $("investigate").disabled = true;
  $("investigate-progress").hidden = false;
  $("investigate-progress").value = progress;
  $("investigate-status").textContent = `Training the suspects and the reference models: ${wholePercent(progress)}`;
  $("evidence-results").hidden = true;
}

/** Shows the finished investigation: fills the suspect picker (keeping its choice). */
export function showCases(cases, teacherAccuracy) {
  document.documentElement.dataset.investigation = "done";
  $("investigate").disabled = false;
  $("investigate").textContent = "Investigate again";
  $("investigate-progress").hidden = true;
  $("investigate-status").textContent = `Verdicts on ${cases.length} suspects:`;
  showVerdicts(cases);
  announce(`Verdicts ready on ${cases.length} suspects.`, "evidence");
  const picker = $("suspect");
  const chosen = picker.selectedIndex;
  picker.replaceChildren(
    ...cases.map((c, i) => Object.assign(document.createElement("option"), { value: String(i), textContent: c.suspect })),
  );
  picker.selectedIndex = Math.max(0, Math.min(chosen, cases.length - 1));
  $("cost-api").textContent = percent(teacherAccuracy);
  $("cost-marked").textContent = percent(cases[MARKED_COPY]?.accuracy);
  $("cost-unmarked").textContent = percent(cases[UNMARKED_COPY]?.accuracy);
  $("evidence-results").hidden = false;
}

/** Writes the evidence on `c` (one Case), the watermark tested with the owner's key or not. */
export function showCase(c, ownerKey) {
  const w = ownerKey ? c.watermark : c.wrong_key;
  $("watermark-stats").textContent =
    `Green runner-up in ${count(w.green)} of ${count(w.cells)} cells ` +
    `(chance 1/(K − 1) = ${wholePercent(w.chance)}), p = ${pValue(w.p_value)}.`;
  $("evidence-verdict").textContent = watermarkVerdict(c, w, ownerKey);
  $("evidence-verdict").dataset.flagged = String(ownerKey && w.flagged);

  const f = c.fingerprint;
  $("fingerprint-stats").textContent =
    `Agrees with the teacher on ${count(f.agree)} of ${count(f.keys)} key points; ` +
    `${f.null.length} independent models agree on ${f.null.map(count).join(", ")}; z = ${f.z.toFixed(1)}.`;
  $("fingerprint-verdict").textContent = f.flagged
    ? "Some evidence of copying, weaker than a watermark’s: this model shares far more of the teacher’s quirks than independent models do (z above 3.09)."
    : "No evidence from the fingerprint: this model shares the teacher’s quirks about as often as independent models do.";
  $("fingerprint-verdict").dataset.flagged = String(f.flagged);
  $("fingerprint-limits").textContent =
    `Why it is weaker evidence: the yardstick is only ${f.null.length} independent models, and agreement ` +
    "varies between models far more than coin flips would, so a binomial p-value would be invalid and z is only a rough guide.";
}

function watermarkVerdict(c, w, ownerKey) {
  if (!ownerKey) {
    // A wrong key tests for a watermark the owner never embedded: whatever it finds, it is
    // not evidence of copying the owner's answers.
    return w.flagged
      ? "A false alarm: a key the owner never used matches this well in fewer than 1 in 1,000 checks. It is no evidence of copying."
      : "No evidence with a wrong key, as it should be: only the owner’s secret key finds the watermark, so nobody can frame a model with a key of their own.";
  }
  if (w.flagged) {
    return "Strong evidence of copying: this model carries the owner’s watermark; a model that never saw the watermarked answers would show this in fewer than 1 in 1,000 cases.";
  }
  const labelOnly = c.suspect.includes("label-only")
    ? " (A label-only thief never sees the soft answers, so it cannot inherit the watermark.)"
    : "";
  return `No evidence from the watermark: its runner-up classes are green no more often than chance allows at 1 in 1,000.${labelOnly}`;
}

/**
 * The investigation the page shows. `host` is the playground, whose worker runs it:
 * `{ post(message), generation(), config(), teacherAccuracy() }`.
 */
export class Investigation {
  constructor(host) {
    this.host = host;
    this.igen = 0; // bumped on every new investigation: messages of older ones are dropped
    this.cases = null; // once the verdicts are in
    this.running = false;
    $("investigate").addEventListener("click", () => this.start());
    $("suspect").addEventListener("change", () => this.showChosen());
    $("watermark-key").addEventListener("change", () => this.showChosen());
    $("evidence-pickers").addEventListener("submit", (event) => event.preventDefault());
  }

  /** Forgets the investigation on the page (the worker drops its own). */
  forget() {
    this.igen += 1;
    this.cases = null;
    this.running = false;
  }

  /** Trains the suspects and the reference models, then tests them. */
  start() {
    this.igen += 1;
    this.cases = null;
    this.running = true;
    showProgress(0);
    const { host } = this;
    host.post({ type: "investigate", gen: host.generation(), igen: this.igen, config: host.config() });
  }

  /** Takes the worker's `{ igen, progress, cases }`. */
  onMessage(message) {
    if (message.igen !== this.igen) return;
    if (!message.cases) {
      showProgress(message.progress);
      return;
    }
    this.running = false;
    this.cases = message.cases;
    showCases(this.cases, this.host.teacherAccuracy());
    this.showChosen();
  }

  /** The worker's investigation stopped with an error. */
  onError() {
    this.running = false;
    this.cases = null;
  }

  /** Shows "nothing run yet" unless something runs or ran; `ready`: the teacher is trained. */
  showIdle(ready) {
    if (!this.running && !this.cases) {
      showNoInvestigation(ready);
      showSetting(this.host.config());
    }
  }

  /** Shows the evidence on the suspect and key the pickers hold. */
  showChosen() {
    const chosen = this.cases?.[Number($("suspect").value)];
    if (chosen) showCase(chosen, $("watermark-key").value === "owner");
  }
}
