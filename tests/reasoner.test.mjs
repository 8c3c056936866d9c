// The "Distil a reasoner" section: nothing is downloaded until it is opened or near; it loads
// the teacher's weights, runs a short round in its worker (the text Workers' module), and shows
// every student working new problems, wrong characters marked, its accuracy, and the lesson's
// sentence built from those numbers (a missing or damaged file: file-faults.test.mjs).
// Screenshots at 1280 and 390 wide go to TEST_OUTPUT.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { OUTPUT, STUCK_MS, launch, openPage, openSection, waitForInk, waitInPage } from "./playground.mjs";

const WEIGHTS = "data/reasoner-teacher.bpk";

/** A short round (and a short playground run). */
const SHORT = "teacher_steps=300&student_steps=400&reasoner_problems=100&reasoner_steps=100";

/** The students, in the page's order. */
const ACCESS = ["working", "summary", "hidden", "direct"];

/** What the section shows, for failure messages. Runs in the page. */
function summary() {
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
  const root = document.querySelector("[data-testid=reasoner-details]");
  return JSON.stringify({ open: root?.open, done: root?.dataset.done, step: root?.dataset.step, status: text("reasoner-status"), error: text("reasoner-error"), run: text("reasoner-run-status") });
}

/** Opens the section and waits until its files are read (or an error shows). */
const openReasoner = (page) => openSection(page, "reasoner", summary);

test("the reasoner's teacher is fetched only once the section opens or comes near; a round shows every student's work and a sentence that matches it", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems, requests } = await openPage(browser, { hash: SHORT });
  const fetched = () => requests.filter((url) => url.includes(WEIGHTS));
  assert.deepEqual(fetched(), [], "nothing of the reasoner while the section is closed and far");
  assert.doesNotMatch((await page.getByTestId("notices").textContent()) ?? "", /reasoner_/, "the short round's settings are taken as they are");

  const loaded = await openReasoner(page);
  assert.ok(!loaded.error, `the section loads: ${loaded.error}`);
  assert.equal(fetched().length, 1, "the weights, once");
  for (const key of ["reasoner_problems", "reasoner_price", "reasoner_student", "reasoner_steps", "reasoner_defence", "reasoner_tau", "reasoner_lambda"]) {
    assert.equal(await page.locator(`#reasoner-knobs [data-knob=${key}]`).count(), 1, `${key} in the reasoner section`);
  }

  const step = await waitInPage(page, () => {
    const root = document.querySelector("[data-testid=reasoner-details]");
    return root.dataset.done === "true" && root.dataset.step;
  }, { timeout: STUCK_MS, describe: summary });
  assert.equal(step, "100", "the round ran the hash's 100 steps");
  await waitForInk(page, "reasoner-problems");
  await waitForInk(page, "reasoner-tokens");
  await waitForInk(page, "reasoner-defences");

  // The defences' paragraph quotes the shipped measurements: the thief's mean accuracy with
  // the working shown and hidden, over the file's seeds; the chart's text lists every point.
  const csv = await page.evaluate(async () => (await fetch("data/reasoner-defences.csv")).text());
  const runs = csv.trim().split("\n").slice(1).map((l) => l.split(","));
  const mean = (access) => {
    const these = runs.filter((r) => r[0] === "none" && r[1] === "1" && r[2] === "0" && r[4] === access).map((r) => Number(r[6]));
    return { seeds: these.length, pct: `${Math.round((100 * these.reduce((a, b) => a + b, 0)) / these.length)}\u00a0%` };
  };
  const [shown, hidden] = [mean("working"), mean("hidden")];
  const defences = await page.getByTestId("reasoner-defence-text").textContent();
  assert.ok(defences.startsWith(`Measured over ${shown.seeds} seeds: with the working shown, the thief’s student answers ${shown.pct}`), defences);
  assert.ok(defences.includes(`Hiding the working leaves it ${hidden.pct}`), defences);
  assert.match(defences, /This round’s setting \(ringed\) measured: /, "the page's default was measured");
  const alt = await page.getByTestId("reasoner-defences").getAttribute("aria-label");
  const settings = new Set(runs.map((r) => r.slice(0, 3).concat(r[4]).join()));
  assert.equal(alt.split("; ").length, settings.size, alt);
  assert.match(alt, /This round: honest user \d+\u00a0%, thief \d+\u00a0%\.$/, alt);

  // Every student works the same new problems; a wrong answer is marked ✗, each wrong
  // character struck through, and its accuracy is a percentage.
  const cards = await page.locator("[data-testid^=reasoner-student-]").evaluateAll((articles) =>
    articles.map((a) => ({
      id: a.dataset.testid.replace("reasoner-student-", ""),
      accuracy: Number(a.dataset.accuracy),
      sub: a.querySelector(".reasoner-card-sub").textContent,
      lines: [...a.querySelectorAll("li")].map((li) => ({
        right: li.dataset.right === "true",
        prompt: li.querySelector(".reasoner-prompt").textContent,
        mark: li.querySelector(".reasoner-right-mark, .reasoner-wrong-mark").textContent.trim(),
        struck: li.querySelectorAll("del.reasoner-wrong").length,
        said: li.querySelector(".visually-hidden").textContent,
      })),
    })),
  );
  assert.deepEqual(cards.map((c) => c.id), ACCESS);
  const prompts = cards[0].lines.map((l) => l.prompt);
  assert.ok(prompts.length > 0 && prompts.every((p) => /^\d\d\+\d\d=$/.test(p)), JSON.stringify(prompts));
  for (const c of cards) {
    assert.deepEqual(c.lines.map((l) => l.prompt), prompts, `${c.id} works the same problems`);
    assert.ok(c.accuracy >= 0 && c.accuracy <= 1, `${c.id}: ${c.accuracy}`);
    assert.match(c.sub, new RegExp(`${Math.round(100 * c.accuracy)}\\s% of new problems right$`), c.sub);
    for (const l of c.lines) {
      assert.equal(l.mark, l.right ? "✓" : "✗", `${c.id}: ${l.said}`);
      assert.match(l.said, l.right ? /: right/ : /: wrong answer/);
      if (l.struck) assert.match(l.said, new RegExp(`, ${l.struck} wrong character`));
    }
  }

  // The lesson bar's sentence quotes the students' own accuracies.
  const finding = await page.getByTestId("lesson-finding-reasoner").textContent();
  const pct = (id) => `${Math.round(100 * cards.find((c) => c.id === id).accuracy)}\u00a0%`;
  for (const [id, words] of [["working", "saw the working answers"], ["summary", "carries"], ["hidden", "answers alone"], ["direct", "answers without working teach"]]) {
    assert.ok(finding.includes(words) && finding.includes(pct(id)), `${id} (${pct(id)}) in: ${finding}`);
  }
  assert.match(await page.getByTestId("reasoner-bill").textContent(), /^\$\d[\d,]*\.\d\d$/);
  assert.match(await page.getByTestId("reasoner-hidden").textContent(), /are working the answer-only thief never sees\.$/);

  // The export's CSV: every measurement, each student's last one the accuracy on its card.
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv-reasoner").click()]);
  // (A student's name is quoted and may hold a comma: the numbers are read from the right.)
  const [header, ...rows] = (await readFile(await file.path(), "utf8")).trim().split("\n").map((line) => line.split(","));
  assert.deepEqual(header, ["access", "student", "params", "step", "problems", "tokens", "accuracy"]);
  for (const c of cards) {
    const last = rows.filter((r) => r[0] === c.id).at(-1);
    assert.equal(last.at(-4), "100", `${c.id}: measured at the round's end`);
    assert.equal(Number(last.at(-1)), c.accuracy, `${c.id}'s last accuracy`);
  }

  await page.locator("#reasoner").screenshot({ path: join(OUTPUT, "reasoner-1280.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await waitInPage(page, () => document.documentElement.scrollWidth <= document.documentElement.clientWidth || null, { timeout: STUCK_MS, describe: () => `${document.documentElement.scrollWidth} px wide` });
  await page.locator("#reasoner").screenshot({ path: join(OUTPUT, "reasoner-390.png") });
  assert.deepEqual(problems, [], "console errors or page errors");
});
