// chat/chat.js: the "Distil a chatbot" section's controller. Events in, messages out, draw calls.
//
//   <details> opened (once) ──fetch with progress──► data/names.bin, data/names-teacher.bpk
//        │                                                 │ bytes, transferred
//        ▼                                                 ▼
//   settings (playground.js's "settings" event) ──postMessage──► chat/worker.js: WebChat.start / step
//        ▲                                                 │ outcome, ~10 a second
//        └── counters, samples, verdicts; draw_chat_curves ◄┘
//
// The round's life (download on opening, settings, Play, Pause, Restart, the Worker's
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
const FILES = { names: "data/names.bin", weights: "data/names-teacher.bpk" };
/** What each access level shows its thief; `k` is the round's top-k. */
const ACCESS = {
  full: () => "every next-letter probability, as open weights would",
  spread: (k) => `the top ${k} probabilities; the student spreads the rest evenly over the hidden letters`,
  renormalised: (k) => `the top ${k} probabilities, scaled up to sum to 1: the hidden letters get nothing`,
  text: () => "the names the API writes, nothing else (sequence-level distillation)",
  corpus: () => "no teacher: real names from the corpus, the honest baseline",
};
/** Drawn after each letter, coloured like the letters: the model's choice to end the name. */
const END_MARK = "▪";

const $ = (id) => document.getElementById(id);

/** The section's round, played in its Worker (round-section.js). */
const round = roundSection(
  "chat",
  {
    files: FILES,
    downloads: "the names and the teacher’s weights",
    reading: "Reading the files (and waiting for the language models’ code, which the section’s worker fetches)…",
    announced: "The names and the chatbot teacher are loaded.",
    what: "The chatbot’s names and weights",
  },
  { ready: onReady, show: showOutcome },
);

/** Calls `listener()` after each change the section shows (for the guided tour). */
export const onChatChange = round.onChange;

/** What the section shows now: { loaded, outcome, failed } (outcome null until a round posts). */
export const shownChat = round.shown;

function onReady() {
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
    `The teacher: ${count(o.teacher.params)} parameters, held-out NLL ${fixed(o.teacher.nll, 2)} nats a letter. ` +
    `Its API ${o.watermark ? `watermarks its text (δ = ${fixed(o.delta, 1)})` : "does not watermark its text"} and shows at most the top ${o.k} probabilities.`;
  showSamples(o);
  showVerdicts(o);
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
  $("chat-verdict-caption").textContent = `Each student’s names tested for the watermark (caught: p below ${o.alpha})`;
  $("chat-verdict-lines").replaceChildren(...o.thieves.map((t) => element("li", { textContent: verdictLine(t, o) })));
}

/** "text only: 61 % of 352 distinct pairs green, p = 3.0 × 10⁻⁸ — caught; wrong key: p = 0.41". */
function verdictLine(t, o) {
  const v = t.verdict;
  if (!v.scored) return `${t.name}: no names to test yet.`;
  const wrong = t.wrong_key.scored ? `; a wrong key: p = ${pValue(t.wrong_key.p)}${t.wrong_key.p < o.alpha ? ", a false alarm" : ""}` : "";
  return `${t.name}: ${wholePercent(v.green / v.scored)} of ${count(v.scored)} distinct (context, letter) pairs green, p = ${pValue(v.p)} — ${t.caught ? "caught" : "not caught"}${wrong}.`;
}

// ---------------------------------------------------------------------------------------
// The charts, their text alternatives and the Export menu

function setupViews() {
  addView("chat", $("chat-nll"), (target, scale) => round.outcome() && wasm.draw_chat_curves(target, scale, round.outcome(), "nll"));
  addView("chat", $("chat-kl"), (target, scale) => round.outcome() && wasm.draw_chat_curves(target, scale, round.outcome(), "kl"));
}

function describeCharts(o) {
  const at = (metric) =>
    o.thieves
      .map((t) => `${t.name} ${last(t) ? fixed(last(t)[metric], 3) : "–"}`)
      .join(", ");
  $("chat-nll").setAttribute("aria-label", `Held-out NLL, nats a letter, against tokens bought (${count(o.tokens)} so far): teacher ${fixed(o.teacher.nll, 3)}; ${at("nll")}.`);
  $("chat-kl").setAttribute("aria-label", `KL(teacher ‖ student), nats a letter, against tokens bought (${count(o.tokens)} so far): ${at("kl")}.`);
}

function setupExport() {
  const chart = (id, label) => ({ canvas: $(id), label, svg: () => svgOf($(id)) });
  buildExport(
    $("export-chat"),
    "chat",
    [chart("chat-nll", "Held-out NLL chart"), chart("chat-kl", "KL chart")],
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
