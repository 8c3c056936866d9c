// chat/chat.js: the "Distil a chatbot" section's controller. Events in, messages out, draw calls.
//
//   <details> near or opened (once) ──fetch──────────► data/names.bin, data/names-teacher.bpk
//        │                                                 │ bytes, transferred
//        ▼                                                 ▼
//   settings (playground.js's "settings" event) ──postMessage──► chat/worker.js: WebChat.start / step
//        ▲                                                 │ outcome, ~10 a second
//        └── counters, samples, verdicts; draw_chat_curves ◄┘
//
// The round's life (download when near or opened, settings, Play, Pause, Restart, the Worker's
// messages) is round-section.js's, shared with the reasoner; this file shows what the round
// measured. The chat knobs live in the one knob
// table (group "chat", shown in this section's form); a change the crate says invalidates the
// round (wasm.invalidates: a chat knob, or the seed) starts a new round here and leaves the
// playground alone.

import { announce } from "../announce.js";
import { buildExport } from "../export.js";
import { count, dollars, duration, fixed, percent, pValue, wholePercent } from "../format.js";
import * as wasm from "../pkg/distill.js";
import { roundSection } from "../round-section.js";
import { addView, svgOf } from "../views.js";

/** The files the section needs, relative to the page. */
const FILES = { names: "data/names.bin", weights: "data/names-teacher.bpk", marks: "data/chat-marks.csv" };
/** What each access level shows its thief; `k` is the round's top-k. */
const ACCESS = {
  full: () => "every next-letter probability, as open weights would",
  spread: (k) => `the top ${k} probabilities; the student spreads the rest evenly over the hidden letters`,
  renormalised: (k) => `the top ${k} probabilities, scaled up to sum to 1: the hidden letters get nothing`,
  text: () => "the names the API writes, nothing else (sequence-level distillation)",
  corpus: () => "no teacher: real names from the corpus, the honest baseline",
};
/** How each of the owner's tests counts (the crate's watermark::Test, by its serde name). */
export const TESTS = {
  letters: {
    name: "every letter",
    unit: "letters",
    note: "Every letter a student writes is scored, the end marks included; a (previous letter, letter) pair it repeats counts each time but widens the variance as often, so repeats cannot inflate the evidence. p is the normal tail of z.",
  },
  pairs: {
    name: "distinct pairs",
    unit: "distinct (context, letter) pairs",
    note: "Each (context, letter) pair is counted once, so a name the student repeats cannot inflate the evidence; p is the exact binomial chance of at least this many green pairs without the watermark.",
  },
};
/** Drawn after each letter, coloured like the letters: the model's choice to end the name. */
const END_MARK = "▪";

const $ = (id) => document.getElementById(id);

/** The section's round, played in its Worker (round-section.js). */
const round = roundSection(
  "chat",
  {
    files: FILES,
    downloads: "the names, the teacher’s weights and the marks’ measurements",
    reading: "Reading the files (and waiting for the language models’ code, which the section’s worker fetches)…",
    announced: "The names and the chatbot teacher are loaded.",
    what: "The chatbot’s names, weights and measurements",
  },
  { ready: onReady, show: showOutcome, later: () => [card("api", "", "", [{ text: "a", green: [true, false] }, { text: "", green: [false] }], "…")] },
);

/** Calls `listener()` after each change the section shows (for the guided tour). */
export const onChatChange = round.onChange;

/** What the section shows now: { loaded, outcome, failed } (outcome null until a round posts). */
export const shownChat = round.shown;

/** The marks' measured frontier, from data/chat-marks.csv as the Worker read it. */
let marks = [];

function onReady(message) {
  marks = message.marks;
  setupViews();
  setupExport();
}

// ---------------------------------------------------------------------------------------
// The outcome in words and numbers

function showOutcome() {
  const o = round.outcome();
  const root = $("chat-details");
  if (o.done && root.dataset.done !== "true") announce(finishedText(o), "chat");
  root.dataset.done = String(o.done);
  root.dataset.step = String(o.step);
  // Checkpoints measured: the untrained one comes with the first after it.
  root.dataset.checkpoints = String(Math.min(...o.thieves.map((t) => t.points.length)));
  $("chat-run-progress").max = o.steps || 1;
  $("chat-run-progress").value = o.step;
  $("chat-run-status").textContent = o.done
    ? `Done: each student trained ${count(o.steps)} steps on what its thief bought.`
    : `Training the students: step ${count(o.step)} of ${count(o.steps)}.`;
  $("chat-tokens").textContent = `${count(o.tokens)} of ${count(o.budget)}`;
  $("chat-tokens-progress").max = o.budget || 1;
  $("chat-tokens-progress").value = o.tokens;
  $("chat-bill").textContent = dollars(o.bill);
  $("chat-time").textContent = duration(o.seconds);
  $("chat-teacher").textContent =
    `The teacher: ${count(o.teacher.params)} parameters, held-out NLL ${o.teacher.nll == null ? "measured at the first checkpoint" : `${fixed(o.teacher.nll, 2)} nats a letter`}. ` +
    `Its API ${o.watermark ? `watermarks its text (δ = ${fixed(o.delta, 1)})` : "does not watermark its text"} and shows at most the top ${o.k} probabilities.`;
  showSamples(o);
  showVerdicts(o);
  showCost(o);
  describeCharts(o);
}

function finishedText(o) {
  const caught = o.thieves.filter((t) => t.caught).map((t) => t.name);
  return `Round finished: ${caught.length ? `caught ${caught.join(", ")}` : "no student caught"}.`;
}

/** A thief's latest checkpoint, or null before the first. */
function last(thief) {
  return thief.points.at(-1) ?? null;
}

/** One card per model: the API's latest names, then each thief's student's. */
function showSamples(o) {
  const cards = [
    card("api", "The API", `sold these names${o.watermark ? ", watermarked" : ""}`, o.api_samples),
    ...o.thieves.map((t) =>
      card(t.access, t.name, `${count(t.params)} parameters, ${percent(t.fraction)} of the teacher’s`, t.samples, ACCESS[t.access]?.(o.k)),
    ),
  ];
  $("chat-samples").replaceChildren(...cards);
}

function card(id, title, subtitle, samples, sees) {
  const article = element("article", { className: "chat-card" });
  article.dataset.testid = `chat-samples-${id}`;
  article.append(element("h4", { textContent: title }), element("p", { className: "chat-card-sub", textContent: subtitle }));
  if (sees) article.append(element("p", { className: "chat-card-sees", textContent: `Sees: ${sees}.` }));
  const list = element("ul", { className: "chat-names" });
  for (const sample of samples) list.append(nameItem(sample));
  if (!samples.length) list.append(element("li", { className: "chat-card-sub", textContent: "no names yet" }));
  article.append(list);
  return article;
}

/** A name, each letter (and the end mark) green or red under the owner's key, with its text for readers. */
function nameItem({ text, green }) {
  const item = element("li");
  const letters = element("span", { className: "chat-letters" });
  letters.setAttribute("aria-hidden", "true");
  if (!text) letters.append(element("span", { className: "chat-empty", textContent: "(empty) " }));
  [...text, END_MARK].forEach((ch, i) => {
    const shown = i === 0 ? ch.toUpperCase() : ch;
    letters.append(element("span", { className: green[i] ? "chat-green" : "chat-red", textContent: shown }));
  });
  const greens = green.filter(Boolean).length;
  const said = text ? text.charAt(0).toUpperCase() + text.slice(1) : "An empty name";
  item.append(letters, element("span", { className: "visually-hidden", textContent: `${said}: ${greens} of ${green.length} marks green` }));
  item.dataset.name = text;
  return item;
}

/** The verdict table: one row per thief; on a phone each row is a card (style.css's .verdicts). */
function showVerdicts(o) {
  const cell = (label, text, flagged) => {
    const td = element("td", { textContent: text });
    td.dataset.label = label;
    if (flagged != null) td.dataset.flagged = String(flagged);
    return td;
  };
  $("chat-verdict-rows").replaceChildren(
    ...o.thieves.map((t) => {
      const v = t.verdict;
      const w = t.wrong_key;
      const row = element("tr");
      row.dataset.access = t.access;
      row.append(
        Object.assign(element("th", { textContent: t.name }), { scope: "row" }),
        cell("Green, owner’s key", v.scored ? `${wholePercent(v.green / v.scored)} of ${count(v.scored)}` : "–"),
        cell("z", v.scored ? fixed(v.z, 1) : "–"),
        cell("p", v.scored ? pValue(v.p) : "–"),
        cell("Caught", v.scored ? (t.caught ? "yes" : "no") : "–", v.scored ? t.caught : null),
        cell("Wrong key’s p", w.scored ? pValue(w.p) : "–", w.scored ? w.p < o.alpha : null),
      );
      return row;
    }),
  );
  $("chat-verdict-caption").textContent = `Each student’s names tested for the watermark, ${TESTS[o.test].name} (caught: p below ${o.alpha})`;
  $("chat-test-note").textContent = TESTS[o.test].note;
  $("chat-verdict-lines").replaceChildren(...o.thieves.map((t) => element("li", { textContent: verdictLine(t, o) })));
}

/** "text only: 58 % of 2,104 letters green, z = 5.1, p = 1.7 × 10⁻⁷ — caught; a wrong key: p = 0.41". */
function verdictLine(t, o) {
  const v = t.verdict;
  if (!v.scored) return `${t.name}: no names to test yet.`;
  const wrong = t.wrong_key.scored ? `; a wrong key: p = ${pValue(t.wrong_key.p)}${t.wrong_key.p < o.alpha ? ", a false alarm" : ""}` : "";
  return `${t.name}: ${wholePercent(v.green / v.scored)} of ${count(v.scored)} ${TESTS[o.test].unit} green, z = ${fixed(v.z, 1)}, p = ${pValue(v.p)} — ${t.caught ? "caught" : "not caught"}${wrong}.`;
}

/** The honest user's cost of this round's API, three ways, then what the measured marks say. */
function showCost(o) {
  const c = o.cost;
  const plain = markPoint("green", "letters", 0);
  const served = c.names
    ? `What this round’s API costs its honest users, on the ${count(c.names)} names it wrote: KL ${fixed(c.kl, 3)} nats a letter from the plain teacher; the teacher’s own NLL of them ${fixed(c.nll, 3)} nats a letter${plain ? ` (unmarked: ${fixed(plain.nll, 3)})` : ""}; ${wholePercent(c.distinct)} of them distinct.`
    : "The API has written no names yet.";
  $("chat-cost").textContent = `${served} ${marksText(o)}`;
}

/** The measured point of `scheme` under `test` at `strength` (data/chat-marks.csv), if any. */
function markPoint(scheme, test, strength) {
  return marks.find((p) => p.scheme === scheme && p.test === test && p.strength === strength);
}

/**
 * What the measured marks say about this round's setting, in a sentence built from them: what
 * the page's δ costs and catches under each test, the δ the distinct-pair test needs, and
 * ADFP and its control at about the same cost.
 */
export function marksText(o) {
  if (!o.watermark) return "The API does not mark its names now: no test can catch the copy, and no honest user pays.";
  const here = markPoint("green", "letters", o.delta);
  if (!here) return `δ = ${fixed(o.delta, 1)} was not among the strengths measured.`;
  const of = (p) => `${p.caught} of ${p.seeds}`;
  const pairs = markPoint("green", "pairs", o.delta);
  const needed = marks
    .filter((p) => p.scheme === "green" && p.test === "pairs" && p.caught * 10 >= p.seeds * 9)
    .sort((a, b) => a.strength - b.strength)[0];
  const nearest = (scheme) =>
    marks
      .filter((p) => p.scheme === scheme && p.test === "letters")
      .sort((a, b) => Math.abs(a.kl - here.kl) - Math.abs(b.kl - here.kl))[0];
  const [adfp, shuffled] = [nearest("adfp"), nearest("shuffled")];
  const parts = [
    `Measured over ${here.seeds} seeds, δ = ${fixed(o.delta, 1)} costs KL ${fixed(here.kl, 3)} nats a letter, and the test on every letter catches the text-only copy in ${of(here)} (median z ${fixed(here.z, 1)})`,
    pairs ? `; the distinct-pair test, in ${of(pairs)}` : "",
    needed && needed.strength > o.delta ? `: it needs δ = ${fixed(needed.strength, 1)} (${of(needed)}), at KL ${fixed(needed.kl, 3)}, ${fixed(needed.kl / here.kl, 0)} times the cost.` : ".",
    adfp ? ` ADFP at about the same cost (λ = ${adfp.strength}, KL ${fixed(adfp.kl, 3)}) catches it in ${of(adfp)}` : "",
    adfp && shuffled ? `, and with its proxy shuffled (λ = ${shuffled.strength}, KL ${fixed(shuffled.kl, 3)}) in ${of(shuffled)}.` : adfp ? "." : "",
  ];
  return parts.join("");
}

// ---------------------------------------------------------------------------------------
// The charts, their text alternatives and the Export menu

function setupViews() {
  addView("chat", $("chat-nll"), (target, scale) => round.outcome() && wasm.draw_chat_curves(target, scale, round.outcome(), "nll"));
  addView("chat", $("chat-kl"), (target, scale) => round.outcome() && wasm.draw_chat_curves(target, scale, round.outcome(), "kl"));
  addView("chat", $("chat-marks"), (target, scale) => round.outcome() && wasm.draw_chat_marks(target, scale, round.outcome(), marks));
}

function describeCharts(o) {
  const at = (metric) =>
    o.thieves
      .map((t) => `${t.name} ${last(t) ? fixed(last(t)[metric], 3) : "–"}`)
      .join(", ");
  $("chat-nll").setAttribute("aria-label", `Held-out NLL, nats a letter, against tokens bought (${count(o.tokens)} so far): teacher ${o.teacher.nll == null ? "–" : fixed(o.teacher.nll, 3)}; ${at("nll")}.`);
  $("chat-kl").setAttribute("aria-label", `KL(teacher ‖ student), nats a letter, against tokens bought (${count(o.tokens)} so far): ${at("kl")}.`);
  const curve = (scheme, test, name) =>
    `${name}: ` +
    marks
      .filter((p) => p.test === test && p.scheme === scheme)
      .map((p) => `${scheme === "green" ? "δ" : "λ"} ${p.strength}, KL ${fixed(p.kl, 3)}, z ${fixed(p.z, 1)}, caught ${p.caught} of ${p.seeds}`)
      .join("; ");
  const text = o.thieves.find((t) => t.access === "text");
  const live = text?.verdict.scored ? ` This round: KL ${fixed(o.cost.kl, 3)}, z ${fixed(text.verdict.z, 1)}.` : "";
  $("chat-marks").setAttribute(
    "aria-label",
    `Median z of the text-only copy against the honest user's KL per letter. ${[
      curve("green", "letters", "Green list, every position"),
      curve("green", "pairs", "green list, distinct pairs"),
      curve("adfp", "letters", "ADFP, every position"),
      curve("shuffled", "letters", "ADFP with the proxy shuffled"),
    ].join(". ")}.${live}`,
  );
}

function setupExport() {
  const chart = (id, label) => ({ canvas: $(id), label, svg: () => svgOf($(id)) });
  buildExport(
    $("export-chat"),
    "chat",
    [chart("chat-nll", "Held-out NLL chart"), chart("chat-kl", "KL chart"), chart("chat-marks", "Marks chart")],
    [{ label: "Students and verdicts (CSV)", testId: "export-csv-chat", stem: "verdicts", make: () => round.outcome() && { blob: new Blob([verdictsCsv(round.outcome())], { type: "text/csv" }), extension: "csv" } }],
  );
}

/** Every student's last measurements and verdicts as CSV, unrounded. */
function verdictsCsv(o) {
  const header = [
    "access", "student", "params", "fraction", "tokens", "nll", "kl",
    "scored", "green", "z", "p", "caught", "wrong_key_scored", "wrong_key_green", "wrong_key_z", "wrong_key_p",
  ];
  const rows = o.thieves.map((t) => [
    t.access, `"${t.name}"`, t.params, t.fraction, last(t)?.tokens ?? "", last(t)?.nll ?? "", last(t)?.kl ?? "",
    t.verdict.scored, t.verdict.green, t.verdict.z, t.verdict.p, t.caught,
    t.wrong_key.scored, t.wrong_key.green, t.wrong_key.z, t.wrong_key.p,
  ]);
  return [header, ...rows].map((row) => row.join(",")).join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------

function element(tag, properties = {}) {
  return Object.assign(document.createElement(tag), properties);
}
