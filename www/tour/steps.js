// tour/steps.js: the guided tour's steps. Each has a title, the section to show, the settings
// it runs (a URL hash query), an optional action taken as the run allows (start the
// extraction once the teacher is trained, say), and `say(shown, format)`: its sentence, built
// from what the page shows now (see playground.shown()) and formatted as the page formats it.

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
  const EVIDENCE = lesson("evidence").query;
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
      return `No weights leave the API, only answers. After ${count(x.queries)} queries (bill ${dollars(x.cost)}), the copy trained on full probabilities agrees with the teacher on ${percent(full)} of the plane, ${compare(full, label, percent)} the copy given labels only (${percent(label)}).`;
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
];
}
