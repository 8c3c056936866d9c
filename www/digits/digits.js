// digits/digits.js: the "Real digits" section's controller. Events in, messages out, draw calls.
//
//   <details> near or opened (once) ──fetch──────────► data/digits.bin, data/digits-teacher.bpk
//        │                                                 │ bytes, transferred
//        ▼                                                 ▼
//   presets, pad strokes, settings ──postMessage──► digits/worker.js: WebDigits.start / step / answer
//        ▲                                                 │ outcome, confusion, answer
//        └── draw_digit_pixels / draw_digit_answer / draw_study / draw_confusion ◄─┘
//
// Nothing is downloaded until the section is opened or near (section.js: the download, the
// worker, the failures). The pad's strokes are drawn here (a UI matter); turning them into an 8×8
// digit is the crate's (digits::from_sketch). The section's knobs (temperature, students…) live
// in the one knob table (group "digits", shown in this section's form, in the URL like every
// other): a change the crate says invalidates the experiment (wasm.invalidates(…).digits)
// starts it again here and leaves the playground alone.

import { announce } from "../announce.js";
import { buildExport } from "../export.js";
import { count } from "../format.js";
import { describe } from "../messages.js";
import * as wasm from "../pkg/distill.js";
import { settings } from "../playground/playground.js";
import { lazySection } from "../section.js";
import { cssScale, drawScale } from "../views.js";

/** The files the section needs, relative to the page. */
const FILES = { data: "data/digits.bin", weights: "data/digits-teacher.bpk" };
/** The pen's width as a share of the pad's side: about optdigits' strokes once scaled. */
const PEN = 0.12;
/** While drawing, the networks are asked at most this often (ms). */
const ASK_INTERVAL_MS = 80;

const $ = (id) => document.getElementById(id);

/** The section's shell (section.js): its worker, its files, its failures. */
let shell = null;

const section = {
  gen: 0,
  config: null, // the page's settings, latest
  experiment: null, // the experiment running: its name, its settings, whether it retrains the teacher
  outcome: null,
  confusion: null,
  seen: null, // { pixels, answer } of the drawing
  inked: false,
  lastAsk: 0,
  asked: 0, // drawings sent to the worker; the answer to the last one is shown
};

/** Resolves once the page's settings are known: the playground (and its wasm instance) is up. */
let settingsKnown;
const settingsReady = new Promise((resolve) => (settingsKnown = resolve));

setup();

function setup() {
  addEventListener("settings", (event) => onSettings(event.detail));
  section.config = settings();
  if (section.config) settingsKnown();
  shell = lazySection({
    id: "digits",
    files: FILES,
    downloads: "the digits and the teacher’s weights",
    announced: "The digits and the teacher are loaded.",
    what: "The digits",
    before: settingsReady, // the page's own start instantiates the module: wait for it, not race it
    ready: onReady,
    onMessage,
  });
}

/** The worker's messages other than the shell's own ("fatal", "error", "ready"). */
function onMessage(message) {
  switch (message.type) {
    case "outcome":
      if (message.gen !== section.gen) return;
      section.outcome = message.outcome;
      section.confusion = message.confusion;
      showOutcome();
      if (section.inked) ask(true); // the student changed: ask again
      break;
    case "answer":
      if (message.seq !== section.asked) return; // the drawing has changed since
      section.seen = message.seen;
      showAnswer();
      break;
    case "failed":
      if (message.gen === section.gen) shell.fail(`The experiment stopped: ${message.message}`);
      break;
  }
}

function onReady({ facts }) {
  showFacts(facts);
  buildControls();
  setupPad();
  setupCanvases();
  setupExport();
  run("soft-vs-hard");
}

/**
 * Writes what the introduction states about the teacher and its digits as the loaded files
 * measure it (the worker's `facts`): the same words index.html holds, which
 * tests/digits.test.mjs checks, unless the files changed.
 */
function showFacts({ shape, params, train, test, temperature, ranked }) {
  const after = (c, n) => ranked[c].filter((k) => k !== c).slice(0, n).join(" then ");
  const words = {
    shape: shape.join("-"),
    params: count(params),
    train: count(train),
    test: count(test),
    temperature: String(temperature),
    "runner-ups": `for the test 7s put ${after(7, 1)} next after ${ranked[7][0]}, for the 5s ${after(5, 2)}, for the 0s ${after(0, 1)}`,
  };
  for (const span of $("digits-details").querySelectorAll("[data-fact]")) {
    span.textContent = words[span.dataset.fact] ?? span.textContent;
  }
}

/**
 * The page's settings changed (or were first read): the experiment starts again if the crate
 * says its own did (the students' new shape or temperature), and the drawing is asked again.
 */
function onSettings(config) {
  section.config = config;
  settingsKnown();
  const running = section.experiment;
  if (!shell?.loaded || !running) return;
  if (!wasm.invalidates(running.config, config).digits) return;
  // A teacher still being retrained keeps being retrained; a finished one is the current one.
  const retrain = running.retrain && (!section.outcome || section.outcome.phase === "teacher");
  run(running.name, retrain);
  if (section.inked) ask(true);
}

function buildControls() {
  const presets = $("digits-presets");
  for (const preset of wasm.digits_presets()) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = preset.title;
    button.dataset.preset = preset.name;
    button.dataset.testid = `digits-preset-${preset.name}`;
    button.title = preset.explain;
    button.addEventListener("click", () => run(preset.name));
    presets.append(button);
  }
}

/**
 * Starts experiment `name` in the worker under the page's settings (their digits knobs), after
 * retraining the teacher if `retrain` (by default, if the reader asked for it).
 */
function run(name, retrain = $("digits-retrain").checked) {
  section.gen += 1;
  section.outcome = null;
  const preset = wasm.digits_presets().find((p) => p.name === name);
  $("digits-explain").textContent = preset.explain;
  for (const button of $("digits-presets").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.preset === name));
  }
  $("digits-details").dataset.experiment = name;
  delete $("digits-details").dataset.phase;
  section.experiment = { name, config: section.config, retrain };
  shell.post({ type: "start", gen: section.gen, name, config: section.config, retrain });
  $("digits-retrain").checked = false;
}

function showOutcome() {
  const o = section.outcome;
  const root = $("digits-details");
  if (root.dataset.phase !== o.phase) announceOutcome(o);
  root.dataset.phase = o.phase;
  const teacherPart = o.teacher_steps ? o.teacher_step / o.teacher_steps : 1;
  const studentPart = o.student_step / o.student_steps;
  $("digits-run-progress").value = 0.5 * teacherPart + 0.5 * studentPart;
  const steps = (n) => n.toLocaleString("en");
  $("digits-run-status").textContent =
    o.phase === "teacher"
      ? `Training the teacher: step ${steps(o.teacher_step)} of ${steps(o.teacher_steps)}.`
      : o.phase === "student"
        ? `Training the students on ${steps(o.transfer)} digits: step ${steps(o.student_step)} of ${steps(o.student_steps)}.`
        : o.phase === "done"
          ? `Done: ${o.rows.length} results on ${o.test} test digits the networks never trained on.`
          : `Stopped: ${o.message}`;
  $("digits-params").textContent = wasm.describe_study_params(o);
  fillTable(o);
  describeResult(o);
  schedule("result", "confusion");
}

/** The result table: one row per model, errors side by side. */
function fillTable(o) {
  const missing = o.omitted_test != null;
  $("digits-omitted-head").hidden = !missing;
  const percent = (v) => `${(100 * v).toFixed(1)} %`;
  const body = $("digits-rows");
  body.replaceChildren(
    ...[o.teacher, ...o.rows].map((row) => {
      const tr = document.createElement("tr");
      const cells = [
        row.label,
        String(row.errors),
        missing ? `${row.omitted_errors} of ${o.omitted_test}` : null,
        percent(row.accuracy),
        row === o.teacher ? "–" : percent(row.agreement),
      ];
      cells.forEach((text, i) => {
        if (text == null) return;
        const cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = text;
        tr.append(cell);
      });
      return tr;
    }),
  );
}

// ---------------------------------------------------------------------------------------
// The pad

function setupPad() {
  const pad = $("digits-pad");
  const ctx = pad.getContext("2d", { willReadFrequently: true });
  let last = null;
  const at = (event) => {
    const rect = pad.getBoundingClientRect();
    return [((event.clientX - rect.left) * pad.width) / rect.width, ((event.clientY - rect.top) * pad.height) / rect.height];
  };
  pad.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    ctx.lineWidth = PEN * pad.width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = getComputedStyle(pad).color;
    last = at(event);
    stroke(ctx, last, last);
  });
  pad.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = at(event);
    stroke(ctx, last, next);
    last = next;
    ask(false);
  });
  const end = () => {
    if (!last) return;
    last = null;
    ask(true);
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  $("digits-clear").addEventListener("click", () => {
    ctx.clearRect(0, 0, pad.width, pad.height);
    section.inked = false;
    section.seen = null;
    $("digits-verdict").textContent = "Draw a digit in the box.";
    delete $("digits-details").dataset.answered;
    schedule("answer");
  });
}

function stroke(ctx, from, to) {
  ctx.beginPath();
  ctx.moveTo(from[0], from[1]);
  ctx.lineTo(to[0], to[1]);
  ctx.stroke();
  section.inked = true;
}

/** Sends the drawing to the worker (at most every ASK_INTERVAL_MS unless `now`). */
function ask(now) {
  if (!shell.loaded) return;
  const time = performance.now();
  if (!now && time - section.lastAsk < ASK_INTERVAL_MS) return;
  section.lastAsk = time;
  section.asked += 1;
  $("digits-details").dataset.asked = String(section.asked);
  const pad = $("digits-pad");
  const image = pad.getContext("2d", { willReadFrequently: true }).getImageData(0, 0, pad.width, pad.height);
  shell.post(
    { type: "sketch", seq: section.asked, rgba: image.data.buffer, width: pad.width, height: pad.height, temperature: section.config.digits_temperature },
    [image.data.buffer],
  );
}

function showAnswer() {
  $("digits-verdict").textContent = `${capitalise(wasm.describe_digit_answer(section.seen.answer))}.`;
  announce($("digits-verdict").textContent, "digits-pad");
  $("digits-details").dataset.answered = String(section.asked);
  schedule("answer");
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------
// Drawing: each canvas is sized to its box and redrawn by a Rust call on the next frame.

const views = {};
const dirty = new Set();
let frame = 0;

function setupCanvases() {
  // Each view: its canvas, whether there is something to show, and the Rust draw call.
  views.answer = [
    [$("digits-pixels"), () => section.seen, (c) => wasm.draw_digit_pixels(c, section.seen.pixels)],
    [$("digits-answer"), () => section.seen, (c, scale) => wasm.draw_digit_answer(c, scale, section.seen.answer)],
  ];
  views.result = [[$("digits-result"), () => section.outcome, (c, scale) => wasm.draw_study(c, scale, section.outcome)]];
  views.confusion = [
    [$("digits-confusion-teacher"), () => section.confusion?.teacher.length, (c, scale) => wasm.draw_confusion(c, scale, section.confusion.teacher, "teacher")],
    [$("digits-confusion-student"), () => section.confusion?.student.length, (c, scale) => wasm.draw_confusion(c, scale, section.confusion.student, "student")],
  ];
  // Presenter mode changes the drawing scale even where it leaves the canvases' size alone.
  new MutationObserver(() => schedule("answer", "result", "confusion")).observe(document.documentElement, { attributeFilter: ["class"] });
  const observer = new ResizeObserver(() => schedule("answer", "result", "confusion"));
  for (const list of Object.values(views)) for (const [canvas] of list) observer.observe(canvas);
}

function schedule(...groups) {
  for (const group of groups) dirty.add(group);
  frame ||= requestAnimationFrame(drawDirty);
}

/** Draws one dirty group a frame (and asks for another frame if more wait): short frames. */
function drawDirty() {
  frame = 0;
  const [group] = dirty;
  if (group === undefined) return;
  dirty.delete(group);
  for (const [canvas, ready, draw] of views[group] ?? []) {
    const width = Math.round(canvas.clientWidth * devicePixelRatio);
    const height = Math.round(canvas.clientHeight * devicePixelRatio);
    if (!width || !height) continue;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const began = performance.now();
    try {
      if (ready()) draw(canvas, drawScale(canvas));
      else canvas.getContext("2d").clearRect(0, 0, width, height);
    } catch (err) {
      console.error(`Drawing ${canvas.id} failed: ${describe(err)}`);
    }
    performance.measure(`draw ${canvas.id}`, { start: began });
  }
  if (dirty.size) frame = requestAnimationFrame(drawDirty);
}

/** Tells screen readers that an experiment moved on (its step counter alone stays silent). */
function announceOutcome(o) {
  const words = {
    teacher: "Training the digits teacher.",
    student: "Training the digits students.",
    done: `Experiment finished: ${o.rows.length} results on ${o.test} test digits.`,
  };
  announce(words[o.phase] ?? `Experiment stopped: ${o.message}`, "digits");
}

/** The result chart's and the confusion matrices' text alternatives, from the table's numbers. */
function describeResult(o) {
  const rows = [o.teacher, ...o.rows].map((row) => `${row.label}: ${row.errors} errors`).join("; ");
  $("digits-result").setAttribute("aria-label", `Test errors on ${o.test} digits: ${rows}.`);
  const right = (matrix, k = Math.round(Math.sqrt(matrix.length))) => matrix.filter((_, i) => i % (k + 1) === 0).reduce((a, b) => a + b, 0);
  for (const [which, name] of [["teacher", "the teacher"], ["student", "the distilled student"]]) {
    const matrix = section.confusion?.[which];
    const total = matrix?.reduce((a, b) => a + b, 0);
    $(`digits-confusion-${which}`).setAttribute(
      "aria-label",
      total ? `Confusion matrix of ${name}: ${right(matrix)} of ${total} test digits on the diagonal (named right); the rest are mistakes.` : `Confusion matrix of ${name}: not measured yet.`,
    );
  }
}

/** The section's Export menu: its charts as SVG and PNG, its result table as CSV. */
function setupExport() {
  const size = (canvas) => ({ width: Math.max(1, Math.round(canvas.clientWidth)), height: Math.max(1, Math.round(canvas.clientHeight)) });
  const charts = Object.values(views)
    .flat()
    .filter(([canvas]) => canvas.id !== "digits-pixels")
    .map(([canvas, ready, draw]) => ({ canvas, label: canvas.getAttribute("aria-label").split(":")[0], svg: () => (ready() ? draw(size(canvas), cssScale()) : null) }));
  buildExport($("export-digits"), "digits", charts, [
    { label: "Result table (CSV)", testId: "export-csv-digits", stem: "results", make: () => section.outcome && { blob: new Blob([tableCsv()], { type: "text/csv" }), extension: "csv" } },
  ]);
}

/** The result table as the page shows it, as CSV. */
function tableCsv() {
  const table = document.querySelector("[data-testid=digits-table]");
  const quote = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [...table.rows]
    .map((row) => [...row.cells].filter((cell) => !cell.hidden).map((cell) => quote(cell.textContent.trim())).join(","))
    .join("\n") + "\n";
}
