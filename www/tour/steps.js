// tour/steps.js: the guided tour's steps. Each has a title, the section to show (and
// optionally an `anchor`, the id of the part of it to scroll to), the settings
// it runs (a URL hash query), an optional action taken as the run allows (start the
// extraction once the teacher is trained, say), and `say(shown, format)`: its sentence, built
// from what the page shows now (see playground.shown()) and formatted as the page formats it.

import { spreadSentence } from "../api/accounts.js";
import { billSentence } from "../api/api.js";
import { TESTS, marksText } from "../chat/chat.js";
import { defencesText, findingText } from "../reasoner/reasoner.js";

/** "ahead of", "behind" or "level with", by the numbers as the page prints them. */
function compare(a, b, format) {
  const [x, y] = [format(a), format(b)];
  if (x === y) return "level with";
  return a > b ? "ahead of" : "behind";
}

const trained = (m) => m && (m.phase === "student" || m.phase === "done");

function teacherLearning(m, { count }) {
  return `The teacher is learning first: step ${count(m.teacher_step)} of ${count(m.teacher_steps)}.`;
}

/** What the chat section shows while it has no round to talk about; null once it has one. */
function chatWaiting(chat) {
  if (chat.failed) return `The chatbot section could not run: ${chat.failed}`;
  if (!chat.loaded) return "Opening the chatbot section: downloading the names and the teacher’s weights…";
  if (!chat.outcome) return "Starting the round: the thieves buy their first names…";
  return null;
}

/** A thief of the chat round by access level ("full", "spread", "renormalised", "text", "corpus"). */
const thief = (o, access) => o.thieves.find((t) => t.access === access);

/** A thief's latest value of `metric` ("nll" or "kl"), or null before its first checkpoint. */
const latestOf = (t, metric) => t?.points.at(-1)?.[metric] ?? null;

/** "lower than", "higher than" or "level with", by the numbers as the page prints them. */
function lowerOrHigher(a, b, format) {
  const [x, y] = [format(a), format(b)];
  if (x === y) return "level with";
  return a < b ? "lower than" : "higher than";
}

/** "After 300 of 1,500 steps" while the round runs, "After its 1,500 steps" once done. */
function progressOf(o, { count }) {
  return o.done ? `After its ${count(o.steps)} steps` : `After ${count(o.step)} of ${count(o.steps)} steps`;
}

/**
 * The steps, in order, on the crate's lesson settings (`lessons`: wasm.lessons(), chosen by
 * measurement over seeds).
 */
export function tourSteps(lessons) {
  const lesson = (chapter) => lessons.find((l) => l.chapter === chapter);
  const LESSON = lesson("playground").query;
  const COUNTER = lesson("playground").counter;
  const API = lesson("api").query;
  const BAN = lesson("ban").query;
  const ACCOUNTS = lesson("accounts").query;
  const EVIDENCE = lesson("evidence").query;
  const CHAT = lesson("chat").query;
  const REASONER = lesson("reasoner").query;
  return [
  {
    title: "The teacher",
    section: "playground",
    query: LESSON,
    say({ metrics: m, config }, { count, percent }) {
      if (!m) return "Starting…";
      if (!trained(m)) {
        return `The teacher, a network of ${count(m.teacher_params)} parameters, learns to colour the plane by class from ${count(config.samples)} labelled points (left map): step ${count(m.teacher_step)} of ${count(m.teacher_steps)}.`;
      }
      const overlap = m.teacher_acc < 0.95 ? " The classes overlap, so no model can get every point right." : "";
      return `The teacher (${count(m.teacher_params)} parameters) has learned the plane: it labels ${percent(m.teacher_acc)} of the test points correctly (Scoreboard).${overlap}`;
    },
  },
  {
    title: "A student many times smaller",
    section: "playground",
    query: LESSON,
    say({ metrics: m }, format) {
      if (!m) return "Starting…";
      const times = Math.round(m.teacher_params / m.student_params);
      const size = `Each student has ${format.count(m.student_params)} parameters, ${format.percent(m.student_params / m.teacher_params)} of the teacher's: ${times}× smaller.`;
      if (!trained(m)) return `${size} ${teacherLearning(m, format)}`;
      return `${size} Both start from the same weights and see the same batches; only what they learn from differs (middle and right maps).`;
    },
  },
  {
    title: "Soft targets beat labels when data is scarce",
    section: "playground",
    query: LESSON,
    say({ metrics: m, config }, format) {
      if (!m) return "Starting…";
      if (!trained(m)) return teacherLearning(m, format);
      const { percent, count } = format;
      const [d, h] = [m.agreement_distilled, m.agreement_hard];
      return `The students see only ${count(config.student_samples)} of the points. The distilled student, taught by the teacher's softened probabilities, agrees with the teacher on ${percent(d)} of the plane: ${compare(d, h, percent)} its twin taught by the labels alone (${percent(h)}). On the test points: ${percent(m.distilled_acc)} against ${percent(m.hard_acc)}.`;
    },
  },
  {
    title: "Temperature and dark knowledge",
    section: "playground",
    query: LESSON,
    say({ probe, config }, { percent }) {
      if (!probe?.teacher_t1?.length) return "The probe appears once the teacher has trained a little.";
      const p = probe.teacher_t1;
      const order = [...p.keys()].sort((a, b) => p[b] - p[a]);
      const [top, second] = order;
      return `At the marked point (Dark knowledge) the teacher says class ${top + 1} with ${percent(p[top])}, and class ${second + 1} gets ${percent(p[second])}. Divided by the temperature T = ${config.temperature}, its answer gives class ${second + 1} ${percent(probe.teacher_t[second])}: the second guess the distilled student learns from, and the labels never show. Click a map to probe elsewhere.`;
    },
  },
  {
    title: "The counter-case: plenty of clean data",
    section: "playground",
    query: COUNTER,
    say({ metrics: m, config }, format) {
      if (!m) return "Starting…";
      if (!trained(m)) return teacherLearning(m, format);
      const { percent, count } = format;
      const [d, h] = [m.agreement_distilled, m.agreement_hard];
      const gap = Math.abs(d - h) < 0.02 ? " The two are within 2 points: when the labels already say everything, soft targets add little." : "";
      return `Now the students get all ${count(config.student_samples)} clean points of a spiral. The distilled student agrees with the teacher on ${percent(d)} of the plane, ${compare(d, h, percent)} the label-trained twin (${percent(h)}).${gap}`;
    },
  },
  {
    title: "An API that only answers",
    section: "api",
    query: API,
    act({ metrics: m }, page) {
      if (trained(m)) page.startExtraction();
    },
    say({ metrics: m, extraction: x }, format) {
      if (!m) return "Starting…";
      if (!trained(m)) return teacherLearning(m, format);
      if (!x) return "The client starts querying the trained teacher through the API.";
      const { count, dollars, percent } = format;
      const fidelity = (name) => x.thieves.find((t) => t.format === name)?.fidelity;
      const [full, label] = [fidelity("full probabilities"), fidelity("label only")];
      const bill = billSentence(x);
      return `No weights leave the API, only answers. After ${count(x.queries)} queries (bill ${dollars(x.cost)}), the copy trained on full probabilities agrees with the teacher on ${percent(full)} of the plane, ${compare(full, label, percent)} the copy given labels only (${percent(label)}).${bill ? ` ${bill}` : ""}`;
    },
  },
  {
    title: "Odd queries, the bill and a ban",
    section: "api",
    query: BAN,
    act({ metrics: m }, page) {
      if (trained(m)) page.startExtraction();
    },
    say({ metrics: m, extraction: x }, format) {
      if (!m) return "Starting…";
      if (!trained(m)) return teacherLearning(m, format);
      if (!x) return "The client starts sending random points to the API.";
      const { count, dollars } = format;
      if (x.banned_at != null) {
        return `This client sends random points, unlike real data. The owner's detector banned it after ${count(x.queries)} queries, with ${dollars(x.cost)} spent: its copies stop there.`;
      }
      return `This client sends random points: ${count(x.queries)} queries so far, ${dollars(x.cost)} spent, and the owner's detector has not banned it yet.`;
    },
  },
  {
    title: "A thousand accounts",
    section: "api",
    anchor: "accounts",
    query: ACCOUNTS,
    act({ metrics: m }, page) {
      if (trained(m)) page.measureAccounts();
    },
    say({ metrics: m, spread: s, config }, format) {
      if (!m) return "Starting…";
      if (!trained(m)) return teacherLearning(m, format);
      const sentence = s ? spreadSentence(s) : "";
      if (!sentence) {
        return `The same random queries, now spread over ${format.count(config.accounts)} accounts. The page extracts a copy at each account count of its sweep, under each detector alone (chart)…`;
      }
      return sentence;
    },
  },
  {
    title: "Catching the copy",
    section: "evidence",
    query: EVIDENCE,
    act({ metrics: m }, page) {
      if (trained(m)) page.investigate();
    },
    say({ metrics: m, cases, config }, format) {
      if (!m) return "Starting…";
      if (!trained(m)) return teacherLearning(m, format);
      if (!cases) {
        return `The owner's API watermarks its answers at δ = ${config.delta}; the suspects are copies of ${config.suspect_width} units a layer that bought ${format.count(config.budget)} queries each, and an honest model. The owner trains them and tests each for its watermark…`;
      }
      const names = (list) => (list.length ? list.map((c) => c.suspect).join("; ") : "none");
      const flagged = cases.filter((c) => c.watermark.flagged);
      const cleared = cases.filter((c) => !c.watermark.flagged);
      const wrong = cases.filter((c) => c.wrong_key.flagged);
      return `With the owner's key, the watermark test flags: ${names(flagged)}. Not flagged: ${names(cleared)}. With a wrong key it flags ${wrong.length ? names(wrong) : "no one"}.`;
    },
  },
  {
    title: "A chatbot is a next-letter classifier",
    section: "chat",
    anchor: "chat-round",
    query: CHAT,
    say({ chat }, format) {
      const waiting = chatWaiting(chat);
      if (waiting) return waiting;
      const o = chat.outcome;
      const { count, dollars, fixed } = format;
      const nats = (x) => fixed(x, 3);
      const [full, corpus] = [latestOf(thief(o, "full"), "kl"), latestOf(thief(o, "corpus"), "kl")];
      const student = thief(o, "full");
      const bought = `The teacher (${count(o.teacher.params)} parameters) writes surnames letter by letter, each letter a choice among classes. The thieves have bought ${count(o.tokens)} of ${count(o.budget)} tokens (${dollars(o.bill)}).`;
      if (full == null || corpus == null) return `${bought} Their students, ${count(student.params)} parameters each, start training…`;
      return `${bought} ${progressOf(o, format)}, the student given the full distribution is ${nats(full)} nats a letter from the teacher (KL), ${lowerOrHigher(full, corpus, nats)} the student of real names alone (${nats(corpus)}).`;
    },
  },
  {
    title: "What top-k is worth depends on its use",
    section: "chat",
    anchor: "chat-charts",
    query: CHAT,
    say({ chat }, format) {
      const waiting = chatWaiting(chat);
      if (waiting) return waiting;
      const o = chat.outcome;
      const nats = (x) => format.fixed(x, 3);
      const [spread, renormalised, corpus] = ["spread", "renormalised", "corpus"].map((a) => latestOf(thief(o, a), "nll"));
      if (spread == null || renormalised == null || corpus == null) return `Chat APIs show at most about 20 top log-probabilities; here the top ${o.k}. The students start training…`;
      return `Chat APIs show at most about 20 top log-probabilities; here the top ${o.k}. ${progressOf(o, format)}, the student that spreads the hidden mass evenly scores a held-out NLL of ${nats(spread)} nats a letter, ${lowerOrHigher(spread, renormalised, nats)} the one that renormalises the top ${o.k} (${nats(renormalised)}); real names alone give ${nats(corpus)}. Lower is better.`;
    },
  },
  {
    title: "The watermark survives in the text",
    section: "chat",
    anchor: "chat-samples-panel",
    query: CHAT,
    say({ chat }, format) {
      const waiting = chatWaiting(chat);
      if (waiting) return waiting;
      const o = chat.outcome;
      const { count, fixed, pValue, wholePercent } = format;
      const names = (list) => (list.length ? list.map((t) => t.name).join("; ") : "no one");
      const tested = o.thieves.filter((t) => t.verdict.scored > 0);
      if (!tested.length) return "The owner waits for the students’ first names to test them for its watermark…";
      const api = o.watermark ? `The API watermarks its names (δ = ${fixed(o.delta, 1)}).` : "The API does not watermark its names now.";
      const text = thief(o, "text");
      const v = text.verdict;
      const share = v.scored ? ` The text-only student’s names: ${wholePercent(v.green / v.scored)} of ${count(v.scored)} ${TESTS[o.test].unit} green, p = ${pValue(v.p)}.` : "";
      const caught = tested.filter((t) => t.caught);
      const cleared = tested.filter((t) => !t.caught);
      const wrong = tested.filter((t) => t.wrong_key.p < o.alpha);
      return `${api}${share} With the owner’s key the test catches: ${names(caught)}. Not caught: ${names(cleared)}. With a wrong key it catches ${names(wrong)}.`;
    },
  },
  {
    title: "A lighter mark, a better test",
    section: "chat",
    anchor: "chat-marks-panel",
    query: CHAT,
    say({ chat }) {
      const waiting = chatWaiting(chat);
      if (waiting) return waiting;
      return `A mark is paid for by every honest user: the API's names drift from what its model would write. ${marksText(chat.outcome)}`;
    },
  },
  {
    title: "What a visible chain of thought is worth",
    section: "reasoner",
    anchor: "reasoner-charts",
    query: REASONER,
    say({ reasoner }, format) {
      const { count, dollars, percent } = format;
      if (reasoner.failed) return `The reasoner section could not run: ${reasoner.failed}`;
      if (!reasoner.loaded) return "Opening the reasoner section: downloading the teacher’s weights…";
      const o = reasoner.outcome;
      if (!o) return "Starting the round: the thieves buy their problems…";
      const intro = `The teacher adds two-digit numbers by working each column out (${percent(o.teacher.score.worked)} right; ${percent(o.teacher.score.direct)} answering at once). Three thieves buy the same ${count(o.problems)} problems and pay alike, ${dollars(o.bill)} so far: the working is billed whether shown or not.`;
      if (o.step === 0) return `${intro} Their students start training…`;
      const training = o.done ? "" : `The students have trained ${count(o.step)} of ${count(o.steps)} steps. `;
      return `${intro} ${training}${findingText(o)}`;
    },
  },
  {
    title: "What the owner can do besides bans",
    section: "reasoner",
    anchor: "reasoner-defences-panel",
    query: REASONER,
    say({ reasoner }) {
      if (reasoner.failed) return `The reasoner section could not run: ${reasoner.failed}`;
      if (!reasoner.loaded || !reasoner.outcome) return "Opening the reasoner section…";
      return `Every defence on the API reaches the honest user too. ${defencesText(reasoner.outcome)}`;
    },
  },
];
}
