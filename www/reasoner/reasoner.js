// reasoner/reasoner.js: the "Distil a reasoner" section's controller. Events in, messages
// out, draw calls.
//
//   <details> near or opened (once) ──fetch──────────► data/reasoner-teacher.bpk
//        │                                                 │ bytes, transferred
//        ▼                                                 ▼
//   settings (playground.js's "settings" event) ──postMessage──► reasoner/worker.js: WebReasoner.start / step
//        ▲                                                 │ outcome, ~10 a second
//        └── bill, worked problems, the finding; draw_reasoner_curves ◄┘
//
// The round's life (download when near or opened, settings, Play, Pause, Restart, the Worker's
// messages) is round-section.js's, shared with the chatbot; this file shows what the round
// measured. The reasoner knobs live in
// the one knob table (group "reasoner", shown in this section's form); a change the crate says
// invalidates the round (wasm.invalidates: a reasoner knob, or the seed) starts a new round
// here and leaves the rest of the page alone.

import { announce } from "../announce.js";
import { buildExport } from "../export.js";
import { count, dollars, duration, percent, wholePercent } from "../format.js";
import * as wasm from "../pkg/distill.js";
import { roundSection } from "../round-section.js";
import { addView, svgOf } from "../views.js";

/** The file the section needs, relative to the page. */
const FILES = { weights: "data/reasoner-teacher.bpk", defences: "data/reasoner-defences.csv" };
/** What each access shows its thief of the teacher's worked answer to 47+85. */
const SEES = {
  working: "the whole working, then the answer (an open reasoning model, like R1): 7+5+0=12|4+8+1=13|132",
  summary: "a summary of the working, the carries, then the answer (like o1’s reasoning summaries): c11|132",
  hidden: "the answer alone; the working stays hidden but is billed (like o1): 132",
  direct: "answers given at once, without working, billed for the answer alone: as many more problems as the working’s tokens pay for",
};

const $ = (id) => document.getElementById(id);

/** The section's round, played in its Worker (round-section.js). */
const round = roundSection(
  "reasoner",
  {
    files: FILES,
    downloads: "the teacher’s weights and the defences’ measurements",
    reading: "Reading the weights (and waiting for the language models’ code, which the section’s worker fetches)…",
    announced: "The reasoner teacher is loaded.",
    what: "The reasoner’s weights",
  },
  {
    ready: onReady,
    show: showOutcome,
    starting: startingText,
    later: () => [studentCard({ name: "", access: "working", params: 0, fraction: 0, points: [{ accuracy: 0 }], worked: [{ problem: "1+1=", text: "2", wrong: [true], right: false }, { problem: "", text: "", wrong: [], right: true }] })],
  },
);

/** What a round's start does before its first outcome: a steering defence first trains the owner's proxy (once a seed). */
function startingText(config) {
  const steers = (config.reasoner_defence === "ads" || config.reasoner_defence === "random") && config.reasoner_lambda > 0;
  return steers
    ? "Training the owner’s proxy student for antidistillation sampling (once a seed: several seconds), then buying the problems…"
    : "Buying the problems: the teacher works each one out…";
}

/** Calls `listener()` after each change the section shows (for the guided tour). */
export const onReasonerChange = round.onChange;

/** What the section shows now: { loaded, outcome, failed } (outcome null until a round posts). */
export const shownReasoner = round.shown;

/** The defences' measured frontier, from data/reasoner-defences.csv as the Worker read it. */
let defences = [];

function onReady(message) {
  defences = message.defences;
  addView("reasoner", $("reasoner-defences"), (target, scale) => round.outcome() && wasm.draw_reasoner_defences(target, scale, round.outcome(), defences));
  addView("reasoner", $("reasoner-problems"), (target, scale) => round.outcome() && wasm.draw_reasoner_curves(target, scale, round.outcome(), "problems"));
  addView("reasoner", $("reasoner-tokens"), (target, scale) => round.outcome() && wasm.draw_reasoner_curves(target, scale, round.outcome(), "tokens"));
  setupExport();
}

// ---------------------------------------------------------------------------------------
// The outcome in words and numbers

/** A student by access ("working", "summary", "hidden", "direct"). */
export function student(o, access) {
  return o.students.find((s) => s.access === access);
}

/** A student's latest measurement. */
function last(s) {
  return s.points.at(-1);
}

function showOutcome() {
  const o = round.outcome();
  const root = $("reasoner-details");
  if (o.done && root.dataset.done !== "true") announce(`Round finished. ${findingText(o)}`, "reasoner");
  root.dataset.done = String(o.done);
  root.dataset.step = String(o.step);
  // Checkpoints measured: the untrained one, then one after each stretch of training.
  root.dataset.checkpoints = String(Math.min(...o.students.map((s) => s.points.length)));
  $("reasoner-run-progress").max = o.steps || 1;
  $("reasoner-run-progress").value = o.step;
  $("reasoner-run-status").textContent = o.done
    ? `Done: each student trained ${count(o.steps)} steps on what its thief bought.`
    : `Training the students: step ${count(o.step)} of ${count(o.steps)}.`;
  $("reasoner-tokens-bought").textContent = `${count(o.tokens)} of ${count(o.budget)}`;
  $("reasoner-bill").textContent = dollars(o.bill);
  $("reasoner-time").textContent = duration(o.seconds);
  $("reasoner-hidden").textContent =
    `Every reasoning thief pays for the whole working, shown or not: of the ${count(o.budget)} tokens its ${count(o.problems)} problems cost, ` +
    `${count(o.hidden_tokens)} (${wholePercent(o.hidden_tokens / Math.max(o.budget, 1))}) are working the answer-only thief never sees.`;
  $("reasoner-teacher").textContent =
    `The teacher: a GRU of ${count(o.teacher.params)} parameters. On ${count(o.held)} new problems it answers ${percent(o.teacher.score.worked)} right when it works them out, ` +
    `${percent(o.teacher.score.direct)} when it answers at once.`;
  const finding = document.querySelector('[data-finding="reasoner"]');
  if (finding) finding.textContent = o.step > 0 ? findingText(o) : "";
  $("reasoner-defence-text").textContent = defencesText(o);
  showWorked(o);
  describeCharts(o);
}

/** The measured point of a policy and thief (data/reasoner-defences.csv), if any. */
function defencePoint(defence, tau, lambda, access = "working") {
  return defences.find((p) => p.defence === defence && p.tau === tau && p.lambda === lambda && p.access === access);
}

/** λ as it acts: zero unless the defence steers. */
function strength(policy) {
  return policy.defence === "ads" || policy.defence === "random" ? policy.lambda : 0;
}

/**
 * What the measured frontier says, in sentences built from its points: what hiding the working
 * takes from the thief; what the strongest ADS, its control and the hotter sampling nearest ADS
 * in what it leaves the honest user leave each; how far below the honest user any defence that
 * still shows the working leaves the thief; then this round's setting.
 */
export function defencesText(o) {
  const base = defencePoint("none", 1, 0);
  const hidden = defencePoint("none", 1, 0, "hidden");
  if (!base || !hidden) return "";
  const pts = (x) => wholePercent(x);
  const pair = (p) => `the honest user ${pts(p.teacher)} right, the thief ${pts(p.thief)} ± ${pts(p.thief_sd)}`;
  const parts = [
    `Measured over ${base.seeds} seeds: with the working shown, the thief’s student answers ${pts(base.thief)} of new problems right (the honest user gets ${pts(base.teacher)}). ` +
      `Hiding the working leaves it ${pts(hidden.thief)}, and takes the working from every honest user too.`,
  ];
  const lambda = Math.max(0, ...defences.filter((p) => p.defence === "ads").map((p) => p.lambda));
  const ads = defencePoint("ads", 1, lambda);
  const control = defencePoint("random", 1, lambda);
  if (ads && control) {
    const hot = defences
      .filter((p) => p.defence === "none" && p.tau !== 1 && p.access === "working")
      .sort((a, b) => Math.abs(a.teacher - ads.teacher) - Math.abs(b.teacher - ads.teacher))[0];
    parts.push(
      ` Antidistillation sampling at λ = ${lambda}: ${pair(ads)}; its control, a random direction at the same λ: ${pair(control)}` +
        (hot ? `; hotter sampling at τ = ${hot.tau}: ${pair(hot)}.` : "."),
    );
  }
  // Against the undefended API: what each defence that still shows the working takes from
  // the thief and from the honest user, and the one that takes most from the thief beyond it.
  const defended = defences
    .filter((p) => p.access === "working" && !(p.defence === "none" && p.tau === 1))
    .map((p) => ({ p, thief: base.thief - p.thief, user: base.teacher - p.teacher }));
  if (defended.length) {
    const points = (x) => Math.round(100 * x);
    const took = (d) => `${points(d.thief)} points from the thief and ${points(d.user)} from the honest user`;
    const worst = [...defended].sort((a, b) => b.thief - b.user - (a.thief - a.user))[0];
    const strongest = [...defended].sort((a, b) => b.thief - a.thief)[0];
    parts.push(
      points(worst.thief - worst.user) >= 1
        ? ` Against the undefended API, ${worst.p.label} takes ${took(worst)}: the one that takes most from the thief beyond what it takes from the honest user.`
        : ` Against the undefended API, no defence that still shows the working takes a whole point more from the thief than from the honest user; the one that takes most from the thief, ${strongest.p.label}, takes ${took(strongest)}.`,
    );
  }
  const here = defences.find((p) => p.access === "working" && p.defence === o.policy.defence && p.tau === o.policy.tau && p.lambda === strength(o.policy));
  parts.push(here ? ` This round’s setting (ringed) measured: ${pair(here)}.` : " This round’s setting was not among those measured.");
  return parts.join("");
}

/** The lesson in numbers, from the students' latest measurements. */
export function findingText(o) {
  const [w, s, h, d] = ["working", "summary", "hidden", "direct"].map((a) => student(o, a));
  const acc = (x) => wholePercent(last(x).accuracy);
  return (
    `After ${count(last(w).problems)} problems bought, the student that saw the working answers ${acc(w)} of new problems right, ` +
    `the one shown the carries ${acc(s)}, the one shown answers alone ${acc(h)}. ` +
    `For the same tokens, ${count(last(d).problems)} answers without working teach ${acc(d)}.`
  );
}

/** One card per student: its parameters, what it sees, and the shown problems as it works them. */
function showWorked(o) {
  $("reasoner-worked").replaceChildren(...o.students.map(studentCard));
}

/** A student's card (showWorked). */
function studentCard(s) {
  const article = element("article", { className: "chat-card reasoner-card" });
  article.dataset.testid = `reasoner-student-${s.access}`;
  article.dataset.accuracy = String(last(s).accuracy);
  article.append(
    element("h4", { textContent: s.name }),
    element("p", { className: "reasoner-card-sub", textContent: `A one-layer transformer: ${count(s.params)} parameters, ${percent(s.fraction)} of the teacher’s; ${wholePercent(last(s).accuracy)} of new problems right` }),
    element("p", { className: "reasoner-card-sees", textContent: `Sees: ${SEES[s.access]}.` }),
  );
  const list = element("ul", { className: "reasoner-lines" });
  for (const w of s.worked) list.append(workedItem(w));
  article.append(list);
  return article;
}

/** A problem as a student wrote it, each wrong character marked (red, struck through), with its text for readers. */
function workedItem(w) {
  const item = element("li");
  item.dataset.right = String(w.right);
  const line = element("span", { className: "reasoner-line" });
  line.setAttribute("aria-hidden", "true");
  line.append(element("span", { className: "reasoner-prompt", textContent: w.problem }));
  [...w.text].forEach((ch, i) => line.append(element(w.wrong[i] ? "del" : "span", { className: w.wrong[i] ? "reasoner-wrong" : "", textContent: ch })));
  const verdict = element("span", { className: w.right ? "reasoner-right-mark" : "reasoner-wrong-mark", textContent: w.right ? " ✓" : " ✗" });
  const wrong = w.wrong.filter(Boolean).length;
  const said = `${w.problem}${w.text}: ${w.right ? "right" : "wrong answer"}${wrong ? `, ${wrong} wrong character${wrong === 1 ? "" : "s"}` : ""}`;
  item.append(line, verdict, element("span", { className: "visually-hidden", textContent: said }));
  return item;
}

function describeCharts(o) {
  const said = defences
    .map((p) => `${p.label}: honest user ${wholePercent(p.teacher)}, thief ${wholePercent(p.thief)}`)
    .join("; ");
  const working = student(o, "working");
  const live = working && o.step > 0 ? ` This round: honest user ${wholePercent(o.teacher.score.worked)}, thief ${wholePercent(last(working).accuracy)}.` : "";
  $("reasoner-defences").setAttribute("aria-label", `The thief's held-out accuracy against the honest user's, one point per defence: ${said}.${live}`);
  const at = (axis) => o.students.map((s) => `${s.name} ${wholePercent(last(s).accuracy)} after ${count(last(s)[axis])} ${axis}`).join(", ");
  $("reasoner-problems").setAttribute("aria-label", `Held-out accuracy against problems bought: teacher ${percent(o.teacher.score.worked)}; ${at("problems")}.`);
  $("reasoner-tokens").setAttribute("aria-label", `Held-out accuracy against tokens bought: ${at("tokens")}.`);
}

function setupExport() {
  const chart = (id, label) => ({ canvas: $(id), label, svg: () => svgOf($(id)) });
  buildExport(
    $("export-reasoner"),
    "reasoner",
    [chart("reasoner-problems", "Accuracy against problems chart"), chart("reasoner-tokens", "Accuracy against tokens chart"), chart("reasoner-defences", "Defences chart")],
    [{ label: "Students’ accuracy (CSV)", testId: "export-csv-reasoner", stem: "students", make: () => round.outcome() && { blob: new Blob([studentsCsv(round.outcome())], { type: "text/csv" }), extension: "csv" } }],
  );
}

/** Every student's measurements as CSV, unrounded. */
function studentsCsv(o) {
  const rows = o.students.flatMap((s) => s.points.map((p) => [s.access, `"${s.name}"`, s.params, p.step, p.problems, p.tokens, p.accuracy]));
  return [["access", "student", "params", "step", "problems", "tokens", "accuracy"], ...rows].map((r) => r.join(",")).join("\n") + "\n";
}

function element(tag, properties = {}) {
  return Object.assign(document.createElement(tag), properties);
}
