// API mode: once the teacher is trained, a client distils it through the API. The counters,
// bill and clock follow the crate's account (checked here against hand-computed values), the
// chart draws, a changed API setting restarts the extraction only, and uniform queries under
// the detector get the client banned.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { TASK_CPU_LIMIT_MS, describeTasks, traceMainThread } from "./main-thread.mjs";
import {
  OUTPUT,
  STUCK_MS,
  apiSummary,
  hashParams,
  launch,
  openPage,
  screenshotOf,
  trainTeacher,
  waitForInk,
  waitInPage,
} from "./playground.mjs";

/** Small runs: a 300-step teacher, 400 extraction steps, 600 queries. */
const SMALL = "teacher_steps=300&student_steps=400&budget=600";

const text = async (page, testId) => (await page.getByTestId(testId).textContent()).trim();

/** Waits until the extraction is over and returns its final phase ("done" or "banned"). */
function extractionOver(page) {
  return waitInPage(
    page,
    () => {
      const phase = document.documentElement.dataset.extraction;
      return (phase === "done" || phase === "banned") && phase;
    },
    { timeout: STUCK_MS, describe: apiSummary },
  );
}

test("after the teacher, an extraction counts its queries up to the budget, bills them and draws its chart", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SMALL });
  assert.equal(await page.getByTestId("api-start").isDisabled(), true, "no extraction before the teacher is trained");

  await trainTeacher(page);
  await page.getByTestId("api-start").waitFor({ state: "visible" });
  await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled);
  // Every value the query counter shows, in order.
  await page.evaluate(() => {
    window.__queries = [];
    const counter = document.querySelector("[data-testid=api-queries]");
    new MutationObserver(() => window.__queries.push(counter.textContent)).observe(counter, { childList: true, characterData: true, subtree: true });
  });
  // The main thread's tasks are traced while the extraction runs.
  let outcome;
  const tasks = await traceMainThread(browser, page, async () => {
    await page.getByTestId("api-start").click();
    outcome = await extractionOver(page);
  });
  assert.equal(outcome, "done");

  const seen = await page.evaluate(() => window.__queries);
  const counts = seen.map((shown) => Number(shown.split("/")[0].replace(/,/g, "")));
  t.diagnostic(`the counter showed ${seen.join(" → ")}`);
  assert.ok(new Set(counts).size >= 3, `the counter rose in steps: ${seen.join(", ")}`);
  assert.ok(counts.every((n, i) => i === 0 || n >= counts[i - 1]), `the counter never went down: ${seen.join(", ")}`);
  assert.equal(await text(page, "api-queries"), "600 / 600");
  // $2 per 1,000 queries; 20 queries/s with a one-second burst: (600 − 20) / 20 = 29 s.
  assert.equal(await text(page, "api-cost"), "$1.20");
  assert.equal(await text(page, "api-time"), "29 s");
  assert.equal(await page.getByTestId("api-ban").isVisible(), false, "no ban without the detector");

  const scores = await page.getByTestId("api-formats").locator('td:not([data-field="bill"])').allTextContents();
  assert.equal(scores.length, 10, "fidelity and accuracy for five formats");
  for (const cell of scores) {
    const value = parseFloat(cell);
    assert.ok(value > 40 && value <= 100, `a copy learnt something: ${scores.join(", ")}`);
  }
  // Each copy's bill: the queries it had when it first reached the level, or "never".
  assert.equal(await text(page, "api-bill-header"), "Queries to 90\u00a0% fidelity");
  const bills = await page.getByTestId("api-formats").locator('td[data-field="bill"]').allTextContents();
  assert.equal(bills.length, 5, `${bills}`);
  for (const bill of bills) {
    assert.ok(bill === "never" || (Number(bill.replace(/,/g, "")) > 0 && Number(bill.replace(/,/g, "")) <= 600), `${bills}`);
  }
  assert.ok((await waitForInk(page, "chart-fidelity")) > 0.01, "the fidelity chart has ink");
  await screenshotOf(page, "#api", join(OUTPUT, "api.png"));

  const { cpu, text: tasksText } = describeTasks(tasks);
  t.diagnostic(tasksText);
  assert.ok(cpu.cpu <= TASK_CPU_LIMIT_MS, `a main-thread task took ${cpu.cpu.toFixed(0)} ms of CPU: ${tasksText}`);

  // A new budget (by keyboard on its slider) restarts the extraction under it, not the teacher.
  const teacher = await page.getByTestId("teacher-progress").evaluate((bar) => bar.value);
  await page.getByTestId("knob-budget").focus();
  await page.keyboard.press("ArrowRight");
  // The finished extraction would be thrown away: the page asks first.
  assert.match(await text(page, "discard-text"), /^Changing .+ discards the extraction’s results\.$/);
  await page.getByTestId("discard-go").click();
  await page.waitForFunction(() => location.hash.includes("budget=700"));
  assert.equal(hashParams(await page.evaluate(() => location.hash)).budget, "700");
  await page.waitForFunction(() => document.querySelector("[data-testid=api-queries]").textContent.trim() === "0 / 700");
  assert.equal(await page.getByTestId("teacher-progress").evaluate((bar) => bar.value), teacher, "the teacher was kept");
  assert.equal(await page.getByTestId("api-start").textContent(), "Start extraction");
  await page.getByTestId("api-start").click();
  assert.equal(await extractionOver(page), "done");
  assert.equal(await text(page, "api-queries"), "700 / 700");
  assert.equal(await text(page, "api-cost"), "$1.40");
  assert.deepEqual(problems, []);
});

test("uniform queries under the extraction detector get the client banned, with a banner", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: `${SMALL}&source=uniform&detector=on` });
  assert.equal(await page.getByTestId("knob-source").inputValue(), "uniform");
  assert.equal(await page.getByTestId("knob-detector").inputValue(), "on");
  await trainTeacher(page);
  await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled);
  await page.getByTestId("api-start").click();
  assert.equal(await extractionOver(page), "banned");

  const ban = page.getByTestId("api-ban");
  assert.equal(await ban.isVisible(), true, "the ban banner shows");
  const banner = await ban.textContent();
  const [, after] = banner.match(/^Banned after ([\d,]+) queries: the detector flagged this client’s query pattern; training stopped\.$/) ?? [];
  assert.ok(after, `the banner says when and why: ${banner}`);
  const answered = Number((await text(page, "api-queries")).split("/")[0].replace(/,/g, ""));
  assert.equal(Number(after.replace(/,/g, "")), answered, "the banner and the counter agree");
  assert.ok(answered < 600, `banned before the budget was spent: ${answered}`);
  assert.equal(await page.getByTestId("api-start").textContent(), "Run again");
  assert.ok((await waitForInk(page, "chart-fidelity")) > 0.01, "the chart is drawn, ban and all");
  await screenshotOf(page, "#api", join(OUTPUT, "api-banned.png"));
  assert.deepEqual(problems, []);
});

test("a thousand accounts: the sweep's chart and verdict line match its numbers, and the live ban matches the sweep", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  // The lesson, one click away in its bar; the counter-case beside it, with its reason.
  await page.getByTestId("lesson-accounts").click();
  await page.waitForFunction(() => location.hash.includes("accounts=1000") && location.hash.includes("cross_detector=on"));
  assert.equal(await page.getByTestId("knob-accounts").inputValue(), "1000");
  const counter = await page.getByTestId("counter-accounts").getAttribute("data-hash");
  assert.ok(counter.includes("accounts=1000") && !counter.includes("source=uniform"), counter);
  assert.match(await page.getByTestId("lesson-bar-accounts").textContent(), /Counter-case: Natural queries/);

  await waitInPage(page, () => ["student", "done"].includes(document.documentElement.dataset.phase), { timeout: STUCK_MS, describe: apiSummary });
  await page.waitForFunction(() => !document.querySelector("[data-testid=accounts-start]").disabled);
  await page.getByTestId("accounts-start").click();
  await page.getByTestId("api-start").click();
  await waitInPage(page, () => document.documentElement.dataset.spread === "done", { timeout: STUCK_MS, describe: () => document.querySelector("[data-testid=accounts-status]").textContent });
  assert.equal(await extractionOver(page), "banned");
  assert.ok((await waitForInk(page, "chart-accounts")) > 0.01, "the accounts chart has ink");

  // The verdict line quotes the sweep's own points, as the page formats them.
  const { expected, points, svg } = await page.evaluate(async () => {
    const { shown } = await import("./playground/playground.js");
    const { count, percent } = await import("./format.js");
    const { spread: m } = shown();
    const at = (watch, n) => m.points.find((p) => p.watch === watch && p.watched.accounts === n);
    const [greedy, per, cross] = [at("per_account", 1), at("per_account", m.accounts), at("cross_account", m.accounts)];
    const wasm = await import("./pkg/distill.js");
    return {
      points: m.points,
      expected: {
        accounts: m.accounts,
        greedy: `stopped after ${count(greedy.watched.queries)} queries (fidelity ${percent(greedy.fidelity)})`,
        per: `never stopped (${count(per.watched.queries)} queries answered, fidelity ${percent(per.fidelity)})`,
        cross: `stopped after ${count(cross.watched.queries)} queries (fidelity ${percent(cross.fidelity)})`,
        honest: `${count(cross.watched.honest_banned)} of ${count(cross.watched.honest)} honest users banned`,
        crossQueries: count(cross.watched.queries),
        honestBanned: `${count(cross.watched.honest_banned)} of ${count(cross.watched.honest)}`,
        fidelities: m.points.map((p) => `fidelity ${percent(p.fidelity)}`),
      },
      svg: wasm.draw_accounts({ width: 900, height: 700 }, 1, m),
    };
  });
  t.diagnostic(JSON.stringify(points.map((p) => [p.watch, p.watched.accounts, p.watched.queries, p.fidelity])));
  assert.equal(expected.accounts, 1000);
  const verdict = await text(page, "lesson-finding-accounts");
  for (const part of [expected.greedy, expected.per, expected.cross, expected.honest]) assert.ok(verdict.includes(part), `${part} in: ${verdict}`);
  // The chart: every point in its description, and the page's setting marked on it.
  const label = await page.getByTestId("chart-accounts").getAttribute("aria-label");
  for (const f of expected.fidelities) assert.ok(label.includes(f), `${f} in: ${label}`);
  assert.ok(svg.includes("this page: 1,000 accounts"), "the page's account count is marked");

  // The live run (both detectors on) is stopped where the sweep's cross-account run was.
  const banner = await text(page, "api-ban");
  assert.ok(banner.startsWith(`Banned after ${expected.crossQueries} queries: the cross-account detector`), banner);
  assert.equal(await text(page, "api-accounts"), "1,000 opened, 1,000 banned");
  assert.equal(await text(page, "api-honest"), expected.honestBanned);
  await screenshotOf(page, "#accounts", join(OUTPUT, "accounts.png"));
  assert.deepEqual(problems, []);
});
