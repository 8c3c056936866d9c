// lessons.js: each chapter's lesson and its counter-case, one click away. The settings come
// from the crate (wasm.lessons(): chosen by measurement over seeds, see `report --experiment
// lessons`); a click applies them like a typed address. The button of the setting the page
// runs now is pressed.

import * as playground from "./playground/playground.js";
import { splitAddress } from "./view.js";

/** What each bar is about, before its buttons. */
const TITLES = {
  playground: "Soft or hard labels:",
  api: "What a restricted answer costs:",
  ban: "The detector's ban:",
  accounts: "A thousand accounts:",
  evidence: "The watermark:",
  chat: "The chatbot’s watermark:",
  reasoner: "What the working is worth:",
};

/** Builds a bar in every `.lesson-bar[data-chapter]` from the crate's lesson table. */
export function initLessons(wasm) {
  const lessons = wasm.lessons();
  const canonical = (query) => wasm.config_hash(wasm.parse_config(query).config);
  for (const bar of document.querySelectorAll(".lesson-bar[data-chapter]")) {
    const lesson = lessons.find((l) => l.chapter === bar.dataset.chapter);
    if (!lesson) continue;
    const button = (label, query, testId) => {
      const b = Object.assign(document.createElement("button"), { type: "button", className: "quiet", textContent: label });
      b.dataset.testid = testId;
      b.dataset.hash = canonical(query);
      b.addEventListener("click", () => playground.apply(query));
      return b;
    };
    const reason = Object.assign(document.createElement("span"), { className: "lesson-reason", textContent: `Counter-case: ${lesson.counter_reason}` });
    const title = Object.assign(document.createElement("strong"), { textContent: TITLES[lesson.chapter] ?? "" });
    // What the chapter's run measured, in a sentence its controller writes (empty until then).
    const finding = Object.assign(document.createElement("span"), { className: "lesson-finding" });
    finding.dataset.finding = lesson.chapter;
    finding.dataset.testid = `lesson-finding-${lesson.chapter}`;
    bar.replaceChildren(
      title,
      button("The lesson", lesson.query, `lesson-${lesson.chapter}`),
      button("The counter-case", lesson.counter, `counter-${lesson.chapter}`),
      finding,
      reason,
    );
  }
  const mark = () => {
    const now = splitAddress(location.hash.replace(/^#/, "")).rest; // the knobs alone
    for (const b of document.querySelectorAll(".lesson-bar button")) b.setAttribute("aria-pressed", String(b.dataset.hash === now));
  };
  playground.onChange(mark);
  addEventListener("hashchange", mark);
  mark();
}
