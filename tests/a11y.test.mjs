// Accessibility: axe-core finds no violation of any impact in any section, with every section
// run and every <details> open, in the usual and the presenter layout; the charts carry their
// current values as text; announcements are polite and few, and the ends of runs are heard.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { test } from "node:test";
import { STUCK_MS, apiSummary, launch, openPage, trainStudents, waitInPage } from "./playground.mjs";

const SMALL = "teacher_steps=300&student_steps=400&budget=600&chat_steps=60&chat_budget=3000&reasoner_problems=100&reasoner_steps=100";
const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe over the whole page; returns its violations, each with the elements it names. */
async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
}

test("axe finds no violation in any section, run and opened, nor in presenter mode", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SMALL });
  // Every announcement the page makes, in order.
  await page.evaluate(() => {
    window.__heard = [];
    for (const region of document.querySelectorAll("[aria-live], [role=status], [role=alert]")) {
      new MutationObserver(() => window.__heard.push(region.textContent.trim())).observe(region, { childList: true, characterData: true, subtree: true });
    }
  });
  assert.deepEqual(await violations(page), [], "before anything runs");

  await trainStudents(page, 1);
  await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled);
  await page.getByTestId("api-start").click();
  await waitInPage(page, () => ["done", "banned"].includes(document.documentElement.dataset.extraction), { timeout: STUCK_MS, describe: apiSummary });
  await page.getByTestId("investigate").click();
  await waitInPage(page, () => document.documentElement.dataset.investigation === "done", { timeout: STUCK_MS, describe: apiSummary });
  await page.locator("#digits-details > summary").click();
  await waitInPage(page, () => document.querySelector("[data-testid=digits-details]").dataset.phase === "done", { timeout: STUCK_MS });
  await page.locator("#chat-details > summary").click();
  await waitInPage(page, () => document.querySelector("[data-testid=chat-details]").dataset.done === "true", { timeout: STUCK_MS });
  await page.locator("#reasoner-details > summary").click();
  await waitInPage(page, () => document.querySelector("[data-testid=reasoner-details]").dataset.done === "true", { timeout: STUCK_MS });
  for (const menu of await page.locator("details.export").all()) await menu.locator("summary").click();
  assert.deepEqual(await violations(page), [], "every section run and open");

  await page.locator("#presenter").click();
  assert.deepEqual(await violations(page), [], "presenter mode");

  // Text alternatives hold the values on screen.
  const label = (testId) => page.getByTestId(testId).getAttribute("aria-label");
  const shown = (testId) => page.getByTestId(testId).textContent();
  await page.waitForFunction(() => /agrees with the teacher over/.test(document.querySelector("[data-testid=map-distilled]").getAttribute("aria-label")));
  assert.ok((await label("chart-agreement")).includes(`distilled ${await shown("agreement-distilled")}`), await label("chart-agreement"));
  assert.ok((await label("accuracy")).includes(`teacher ${await shown("acc-teacher")}`), await label("accuracy"));
  assert.match(await label("probe"), /^Class probabilities at x = -?\d\.\d\d, y = -?\d\.\d\d\. Teacher at T = 1: class 1 \d+\.\d\s%/);
  assert.match(await label("chart-fidelity"), /after [\d,]+ queries: full probabilities \d+\.\d\s%/);
  assert.match(await label("digits-result"), /^Test errors on \d+ digits: /);
  assert.match(await label("reasoner-problems"), /^Held-out accuracy against problems bought: teacher \d+\.\d\s%; working shown \d+\s% after [\d,]+ problems/);
  assert.match(await label("chat-nll"), /^Held-out NLL, nats a letter, against tokens bought \([\d,]+ so far\): teacher \d\.\d{3}; full distribution \d\.\d{3}/);

  // Announcements: few, and the end of every run among them (they wait their turn).
  const ends = ["Training finished.", "Extraction (finished|stopped)", "Verdicts ready", "Experiment finished", "Round finished"];
  await waitInPage(page, (ends) => ends.every((end) => window.__heard.some((h) => new RegExp(`^${end}`).test(h))), {
    timeout: STUCK_MS,
    arg: ends,
    describe: () => JSON.stringify(window.__heard),
  });
  const heard = await page.evaluate(() => window.__heard.filter(Boolean));
  assert.ok(heard.length <= 30, `${heard.length} announcements: ${JSON.stringify(heard)}`);
  assert.deepEqual(problems, []);
});
