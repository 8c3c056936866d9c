// playground/readouts.js: the playground's numbers and text on the page, from the state: the
// phase and its progress, the scores, the play button, the divergence alert, where the probe
// is, the maps' key, the formats' swatches and the charts' text alternatives.

import { announce } from "../announce.js";
import { count, fixed, percent } from "../format.js";
import { ended, state, teacherFinished } from "./state.js";
const $ = (id) => document.getElementById(id);

/** The latest metrics `m` in words and numbers: the phase, the progress bars, the scores. */
export function showMetrics(m) {
  if (!m) return;
  if (m.phase !== document.documentElement.dataset.phase) announcePhase(m.phase);
  document.documentElement.dataset.phase = m.phase; // for styling and for the browser tests
  $("phase-text").textContent = phaseText(m);
  setProgress($("teacher-progress"), m.teacher_step, m.teacher_steps);
  setProgress($("student-progress"), m.student_step, m.student_steps);
  $("agreement-distilled").textContent = percent(m.agreement_distilled);
  $("agreement-hard").textContent = percent(m.agreement_hard);
  $("acc-teacher").textContent = percent(m.teacher_acc);
  $("acc-distilled").textContent = percent(m.distilled_acc);
  $("acc-hard").textContent = percent(m.hard_acc);
  $("test-agreement-distilled").textContent = percent(m.test_agreement_distilled);
  $("test-agreement-hard").textContent = percent(m.test_agreement_hard);
  $("kl-distilled").textContent = fixed(m.kl_distilled, 3);
  $("kl-hard").textContent = fixed(m.kl_hard, 3);
  $("params-text").textContent = state.scene.describe_params();
  $("caption-teacher").textContent = m.teacher_params == null ? "" : `${count(m.teacher_params)} parameters`;
  $("caption-distilled").textContent = `learns the teacher’s soft targets at T = ${state.config.temperature}`;
}

function phaseText(m) {
  switch (m.phase) {
    case "teacher":
      return `Teacher: step ${count(m.teacher_step)} of ${count(m.teacher_steps)}`;
    case "student":
      return `Students: step ${count(m.student_step)} of ${count(m.student_steps)}`;
    case "done":
      return `Finished: ${count(m.student_step)} student steps`;
    case "diverged":
      return "Diverged: training stopped";
    default:
      return m.phase;
  }
}

/** Tells screen readers about a new phase (the step counters change too often for that). */
function announcePhase(phase) {
  const words = {
    teacher: "The teacher is learning.",
    student: "The teacher is trained; the students are learning.",
    done: "Training finished.",
    diverged: "Training diverged and has stopped.",
  };
  if (words[phase]) announce(words[phase], "playground");
}

function setProgress(bar, value, max) {
  bar.max = max || 1;
  bar.value = value ?? 0;
}

/** Whether the run plays, on the page: the Play button's word and state, Retrain's. */
export function showRunning() {
  document.documentElement.dataset.running = String(state.running);
  $("play").textContent = state.running ? "Pause" : ended() ? "Replay" : "Play";
  $("play").setAttribute("aria-pressed", String(state.running));
  $("retrain").disabled = !teacherFinished();
}

/** Shows the alert that training stopped, with its title and explanation. */
export function showDivergence(title, text) {
  $("divergence-title").textContent = title;
  $("divergence-message").textContent = text;
  $("divergence").hidden = false;
}

/** Shows where the probe is; `why` says how the point was chosen, if not by a click. */
export function showProbeWhere([x, y], why) {
  $("probe").hidden = false;
  $("probe-where").hidden = false;
  $("probe-where").textContent = `At x = ${x.toFixed(2)}, y = ${y.toFixed(2)}${why}`;
}

/** The maps' colour key: one entry per class, its colour and marker. */
export function showClassKey() {
  const classes = state.config.classes;
  const key = $("map-key");
  if (key.dataset.classes === String(classes)) return;
  key.dataset.classes = String(classes);
  key.replaceChildren(
    ...state.wasm.class_key(classes).map(({ color, marker }, c) => {
      const entry = document.createElement("li");
      const swatch = Object.assign(document.createElement("span"), { className: "key-swatch", textContent: marker });
      swatch.style.color = color;
      swatch.setAttribute("aria-hidden", "true");
      entry.append(swatch, `class ${c + 1}`);
      return entry;
    }),
  );
}

/** The API table's swatches: each format's colour and marker, as its curve is drawn. */
export function paintFormatKey() {
  state.wasm.format_key().forEach(([color, marker], i) => {
    for (const swatch of document.querySelectorAll(`.swatch-${i}`)) {
      swatch.style.color = color;
      swatch.textContent = marker;
    }
  });
}

let describeTimer = 0;

/** Rewrites the charts' text alternatives from the numbers shown, at most once a second. */
export function describeLater() {
  describeTimer ||= setTimeout(() => {
    describeTimer = 0;
    describeCharts();
  }, 1000);
}

/** Each canvas's aria-label: what it shows, with the values it shows now. */
function describeCharts() {
  const m = state.metrics;
  if (!m) return;
  const label = (id, text) => $(id).setAttribute("aria-label", text);
  const students = m.agreement_distilled != null;
  const steps = `after ${count(m.student_step)} student steps`;
  label("map-teacher", `Decision map of the teacher (${state.config.classes} classes): test accuracy ${percent(m.teacher_acc)}, after ${count(m.teacher_step)} teacher steps.`);
  label("map-distilled", students ? `Decision map of the distilled student: agrees with the teacher over ${percent(m.agreement_distilled)} of the plane ${steps}.` : "Decision map of the distilled student: not started yet.");
  label("map-hard", students ? `Decision map of the hard-label student: agrees with the teacher over ${percent(m.agreement_hard)} of the plane ${steps}.` : "Decision map of the hard-label student: not started yet.");
  label(
    "chart-agreement",
    students
      ? `Agreement over the plane ${steps}: distilled ${percent(m.agreement_distilled)}, hard-label ${percent(m.agreement_hard)}. KL divergence from the teacher: distilled ${fixed(m.kl_distilled, 3)} nats, hard-label ${fixed(m.kl_hard, 3)} nats.`
      : "Agreement and KL divergence over the student steps: the students have not started.",
  );
  label("chart-loss", `Each network’s loss at its last step: teacher cross-entropy ${fixed(m.teacher_loss, 3)}, distilled student’s blend ${fixed(m.distilled_loss, 3)}, hard-label cross-entropy ${fixed(m.hard_loss, 3)} (nats).`);
  label("accuracy", `Test accuracy: teacher ${percent(m.teacher_acc)}, distilled ${percent(m.distilled_acc)}, hard-label ${percent(m.hard_acc)}.`);
  label("params", state.scene.describe_params());
  const p = state.probe;
  if (p) {
    const list = (probs) => probs.map((v, c) => `class ${c + 1} ${percent(v)}`).join(", ");
    const [x, y] = p.point;
    label(
      "probe",
      `Class probabilities at x = ${x.toFixed(2)}, y = ${y.toFixed(2)}. Teacher at T = 1: ${list(p.teacher_t1)}. Teacher at T = ${p.temperature}: ${list(p.teacher_t)}. Distilled: ${list(p.distilled)}. Hard-label: ${list(p.hard)}.`,
    );
  }
}
