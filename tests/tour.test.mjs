// The guided tour: walked step by step as a class would see it, by button and by key. At each
// step the sentence on screen must quote the numbers the page shows beside it, and its
// comparison words must agree with them.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { BASE, OUTPUT, STUCK_MS, apiSummary, eventually, launch, openPage, pageSummary, waitInPage } from "./playground.mjs";

const text = async (page, testId) => (await page.getByTestId(testId).textContent()).trim();

/** Waits for step `n` to be shown, with `?tour=n` in the address. */
async function onStep(page, n) {
  await waitInPage(page, (n) => document.documentElement.dataset.tour === String(n), { timeout: STUCK_MS, arg: n, describe: () => document.documentElement.dataset.tour });
  assert.equal(new URL(page.url()).searchParams.get("tour"), String(n));
  assert.match(await text(page, "tour-count"), new RegExp(`^Step ${n} of \\d+$`));
}

/** Waits until the run is finished. */
async function runDone(page) {
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: STUCK_MS, describe: pageSummary });
}

/** "ahead of", "behind" or "level with", as the numbers printed read. */
function expectedComparison(a, b) {
  const [x, y] = [parseFloat(a), parseFloat(b)];
  return x === y ? "level with" : x > y ? "ahead of" : "behind";
}

/** The chat section's state, for failure messages. Runs in the page. */
function chatSummary() {
  const root = document.querySelector("[data-testid=chat-details]");
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
  return JSON.stringify({ open: root.open, done: root.dataset.done, status: text("chat-status"), run: text("chat-run-status"), error: text("chat-error") });
}

/** The page's own state, from its playground module (the same instance the page runs). */
function shown(page) {
  return page.evaluate(async () => (await import("./playground/playground.js")).shown());
}

test("the guided tour's sentences quote the numbers on screen, step by step", { timeout: 900_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);

  await page.getByTestId("tour-open").click();
  await onStep(page, 1);
  assert.equal(await page.getByTestId("tour-back").isDisabled(), true);
  await runDone(page);
  // The sentence catches up with the last update's numbers.
  let sentence;
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    assert.ok(sentence.includes(await text(page, "acc-teacher")), `${sentence} / teacher ${await text(page, "acc-teacher")}`);
  });
  await page.screenshot({ path: join(OUTPUT, "tour-step-1.png") });

  await page.getByTestId("tour-next").click();
  await onStep(page, 2);
  sentence = await text(page, "tour-text");
  const params = (await text(page, "params-text")).match(/[\d,]+/g);
  for (const n of params.slice(0, 1)) assert.ok(sentence.includes(n), `${sentence} / ${params}`);

  await page.keyboard.press("ArrowRight");
  await onStep(page, 3);
  sentence = await text(page, "tour-text");
  const [d, h] = [await text(page, "agreement-distilled"), await text(page, "agreement-hard")];
  assert.ok(sentence.includes(`agrees with the teacher on ${d} of the plane: ${expectedComparison(d, h)} its twin`), `${sentence} / ${d} ${h}`);
  assert.ok(sentence.includes(`(${h})`) && sentence.includes(await text(page, "acc-distilled")) && sentence.includes(await text(page, "acc-hard")), sentence);
  await page.screenshot({ path: join(OUTPUT, "tour-step-3.png") });

  await page.keyboard.press("PageDown");
  await onStep(page, 4);
  sentence = await text(page, "tour-text");
  const { probe, config } = await shown(page);
  const top = probe.teacher_t1.indexOf(Math.max(...probe.teacher_t1));
  assert.ok(sentence.includes(`the teacher says class ${top + 1} with ${(probe.teacher_t1[top] * 100).toFixed(1)}`), `${sentence} / ${probe.teacher_t1}`);
  assert.ok(sentence.includes(`T = ${config.temperature}`), sentence);

  await page.keyboard.press("ArrowRight");
  await onStep(page, 5);
  // The step's counter-case is a new run: the step's own handler cleared the finished run's
  // phase before it showed the step number, so "done" now is the new run's.
  assert.match(await page.evaluate(() => location.hash), /scenario=spiral/);
  await runDone(page);
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    const [d2, h2] = [await text(page, "agreement-distilled"), await text(page, "agreement-hard")];
    assert.ok(sentence.includes(`on ${d2} of the plane, ${expectedComparison(d2, h2)} the label-trained twin (${h2})`), `${sentence} / ${d2} ${h2}`);
  });

  await page.keyboard.press("ArrowRight");
  await onStep(page, 6);
  await waitInPage(page, () => document.documentElement.dataset.extraction === "done", { timeout: STUCK_MS, describe: apiSummary });
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    const full = await page.locator('[data-format="0"][data-field="fidelity"]').first().textContent();
    const label = await page.locator('[data-format="4"][data-field="fidelity"]').first().textContent();
    assert.ok(sentence.includes(`(bill ${await text(page, "api-cost")})`), sentence);
    assert.ok(sentence.includes(`on ${full} of the plane, ${expectedComparison(full, label)} the copy given labels only (${label})`), `${sentence} / ${full} ${label}`);
  });
  // The bill: the step quotes the lesson bar's finding, built from the table's bill column.
  const [fullBill, labelBill] = [
    await page.locator('[data-format="0"][data-field="bill"]').first().textContent(),
    await page.locator('[data-format="4"][data-field="bill"]').first().textContent(),
  ];
  const finding = await text(page, "lesson-finding-api");
  assert.ok(sentence.endsWith(finding), `${sentence} / ${finding}`);
  if (/^[\d,]+$/.test(labelBill) && /^[\d,]+$/.test(fullBill)) {
    assert.ok(finding.includes(`(${labelBill} queries against ${fullBill} to reach`), `${finding} / ${fullBill} ${labelBill}`);
  } else {
    assert.match(finding, /never/, `${finding} / ${fullBill} ${labelBill}`);
  }
  await page.screenshot({ path: join(OUTPUT, "tour-step-6.png") });

  await page.keyboard.press("ArrowRight");
  await onStep(page, 7);
  await waitInPage(page, () => document.documentElement.dataset.extraction === "banned", { timeout: STUCK_MS, describe: apiSummary });
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    const banned = (await text(page, "api-ban")).match(/after ([\d,]+) queries/)[1];
    assert.ok(sentence.includes(`banned it after ${banned} queries, with ${await text(page, "api-cost")} spent`), sentence);
  });

  // Many accounts: the step measures the sweep and quotes its verdict line.
  await page.keyboard.press("ArrowRight");
  await onStep(page, 8);
  await waitInPage(page, () => document.documentElement.dataset.spread === "done", { timeout: STUCK_MS, describe: apiSummary });
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    const spreadFinding = await text(page, "lesson-finding-accounts");
    assert.ok(spreadFinding.length > 0 && sentence === spreadFinding, `${sentence} / ${spreadFinding}`);
  });
  await page.screenshot({ path: join(OUTPUT, "tour-step-8.png") });

  await page.keyboard.press("ArrowRight");
  await onStep(page, 9);
  await waitInPage(page, () => document.documentElement.dataset.investigation === "done", { timeout: STUCK_MS, describe: apiSummary });
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    const { cases } = await shown(page);
    for (const c of cases) {
      const where = c.watermark.flagged ? sentence.indexOf("flags:") : sentence.indexOf("Not flagged:");
      assert.ok(where >= 0 && sentence.indexOf(c.suspect, where) >= 0, `${c.suspect} (${c.watermark.flagged}) in: ${sentence}`);
    }
  });
  await page.screenshot({ path: join(OUTPUT, "tour-step-9.png") });

  // The chatbot: the step opens its section, which downloads its files and runs a round. Its
  // sentences quote the round wherever it stands: it is held, by the section's Pause, once
  // every student has been measured after training, so the numbers stay still as they are read.
  await page.keyboard.press("ArrowRight");
  await onStep(page, 10);
  assert.equal(await page.getByTestId("chat-details").evaluate((d) => d.open), true, "the step opens the chat section");
  await waitInPage(page, () => Number(document.querySelector("[data-testid=chat-details]").dataset.checkpoints) >= 2, { timeout: STUCK_MS, describe: chatSummary });
  if ((await page.getByTestId("chat-details").getAttribute("data-done")) !== "true") await page.getByTestId("chat-play").click();
  await waitInPage(page, () => document.querySelector("[data-testid=chat-details]").dataset.running === "false", { timeout: STUCK_MS, describe: chatSummary });
  const nats = (pattern) => sentence.match(pattern)?.slice(1).map(Number);
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    assert.ok(sentence.includes(`bought ${await text(page, "chat-tokens")} tokens (${await text(page, "chat-bill")})`), sentence);
    const [fullKl, corpusKl] = nats(/full distribution is (\d+\.\d+) nats.* real names alone \((\d+\.\d+)\)/) ?? [];
    assert.ok(sentence.includes(`, ${fullKl < corpusKl ? "lower than" : fullKl > corpusKl ? "higher than" : "level with"} the student of real names`), `${sentence} / ${fullKl} ${corpusKl}`);
  });
  await page.screenshot({ path: join(OUTPUT, "tour-step-10.png") });

  await page.keyboard.press("ArrowRight");
  await onStep(page, 11);
  sentence = await text(page, "tour-text");
  const [spread, renormalised] = nats(/NLL of (\d+\.\d+) nats a letter, .* renormalises the top \d+ \((\d+\.\d+)\)/) ?? [];
  assert.ok(sentence.includes(`, ${spread < renormalised ? "lower than" : spread > renormalised ? "higher than" : "level with"} the one that renormalises`), `${sentence} / ${spread} ${renormalised}`);

  await page.keyboard.press("ArrowRight");
  await onStep(page, 12);
  sentence = await text(page, "tour-text");
  const verdicts = await page.locator("#chat-verdict-rows tr").evaluateAll((rows) => rows.map((row) => [row.children[0].textContent, row.children[4].textContent]));
  // The test scores every letter: the sentence counts letters, as the verdict table does.
  const [, , scored] = (await page.locator("#chat-verdict-rows tr[data-access=text] td").first().textContent()).match(/^(\d+\s%) of ([\d,]+)$/) ?? [];
  assert.ok(scored && sentence.includes(` of ${scored} letters green, p = `), `${scored} letters in: ${sentence}`);
  const caughtAt = sentence.indexOf("catches:");
  const clearedAt = sentence.indexOf("Not caught:");
  const wrongAt = sentence.indexOf("With a wrong key");
  for (const [name, caught] of verdicts) {
    const where = sentence.indexOf(name, caught === "yes" ? caughtAt : clearedAt);
    assert.ok(where >= 0 && where < (caught === "yes" ? clearedAt : wrongAt), `${name} (caught: ${caught}) in: ${sentence}`);
  }
  await page.screenshot({ path: join(OUTPUT, "tour-step-12.png") });

  // The marks: the step says what the section's cost paragraph says of the measured marks.
  await page.keyboard.press("ArrowRight");
  await onStep(page, 13);
  sentence = await text(page, "tour-text");
  const cost = await text(page, "chat-cost");
  const measured = cost.slice(cost.indexOf("Measured over"));
  assert.ok(measured.startsWith("Measured over") && sentence.endsWith(measured), `${sentence} / ${cost}`);

  // The reasoner: the step opens its section and runs a round; the step quotes the lesson
  // bar's finding, the students' own figures, wherever the round stands: it is held, by the
  // section's Pause, once the students have been measured after training.
  await page.keyboard.press("ArrowRight");
  await onStep(page, 14);
  assert.equal(await page.getByTestId("reasoner-details").evaluate((d) => d.open), true, "the step opens the reasoner section");
  const reasonerSummary = () => JSON.stringify({ ...document.querySelector("[data-testid=reasoner-details]").dataset, run: document.querySelector("[data-testid=reasoner-run-status]")?.textContent });
  await waitInPage(page, () => Number(document.querySelector("[data-testid=reasoner-details]").dataset.checkpoints) >= 2, { timeout: STUCK_MS, describe: reasonerSummary });
  if ((await page.getByTestId("reasoner-details").getAttribute("data-done")) !== "true") await page.getByTestId("reasoner-play").click();
  await waitInPage(page, () => document.querySelector("[data-testid=reasoner-details]").dataset.running === "false", { timeout: STUCK_MS, describe: reasonerSummary });
  await eventually(async () => {
    sentence = await text(page, "tour-text");
    const finding = await text(page, "lesson-finding-reasoner");
    assert.ok(finding && sentence.endsWith(finding), `${finding} / ${sentence}`);
  });
  await page.screenshot({ path: join(OUTPUT, "tour-step-14.png") });

  // The defences: the step quotes the section's paragraph on the measured frontier.
  await page.keyboard.press("ArrowRight");
  await onStep(page, 15);
  assert.equal(await page.getByTestId("tour-next").isDisabled(), true, "the last step");
  sentence = await text(page, "tour-text");
  const defences = await text(page, "reasoner-defence-text");
  assert.ok(defences.startsWith("Measured over") && sentence.endsWith(defences), `${sentence} / ${defences}`);

  await page.keyboard.press("ArrowLeft");
  await onStep(page, 14);
  await page.getByTestId("tour-close").click();
  assert.equal(await page.getByTestId("tour").isHidden(), true);
  assert.equal(new URL(page.url()).searchParams.get("tour"), null);
  assert.deepEqual(problems, []);
});

test("?tour=N opens the tour at step N, in presenter mode too", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?tour=3&presenter`);
  await onStep(page, 3);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains("presenter")), true);
  assert.match(await text(page, "tour-title"), /soft targets/i);
  const box = await page.getByTestId("tour").boundingBox();
  assert.ok(box.y + box.height <= 720 && box.x >= 0 && box.x + box.width <= 1280, `the panel in view: ${JSON.stringify(box)}`);
  await page.screenshot({ path: join(OUTPUT, "tour-presenter-1280.png") });
});

test("embedded, the tour shows each step's chapter alone, its panel in the frame", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 720, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?tour=5#embed=playground&presenter=on`);
  await onStep(page, 5);
  const shownParts = () =>
    page.evaluate(() => [...new Set([...document.querySelectorAll("[data-part]")].filter((e) => e.getClientRects().length > 0).map((e) => e.dataset.part))]);
  assert.deepEqual(await shownParts(), ["playground"]);
  await page.keyboard.press("ArrowRight");
  await onStep(page, 6);
  assert.deepEqual(await shownParts(), ["api"], "the step's chapter replaces the embedded one");
  assert.equal(new URL(page.url()).hash.includes("embed=api"), true, page.url());
  const box = await page.getByTestId("tour").boundingBox();
  assert.ok(box.y + box.height <= 900 && box.x >= 0 && box.x + box.width <= 720, `the panel in view: ${JSON.stringify(box)}`);
  assert.notEqual(await text(page, "tour-text"), "");
  await page.screenshot({ path: join(OUTPUT, "tour-embedded-720.png") });
});

test("each chapter's lesson and its counter-case are one click away, labelled", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  for (const chapter of ["playground", "api", "ban", "accounts", "evidence"]) {
    const bar = page.getByTestId(`lesson-bar-${chapter}`);
    assert.match(await bar.textContent(), /Counter-case: \S/, chapter);
  }
  // The page opens on the playground's lesson; the counter-case is the spiral.
  await page.waitForFunction(() => document.querySelector("[data-testid=lesson-playground]").getAttribute("aria-pressed") === "true");
  assert.equal(await page.evaluate(() => location.hash), "");
  await page.getByTestId("counter-playground").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=counter-playground]").getAttribute("aria-pressed") === "true");
  assert.match(await page.evaluate(() => location.hash), /scenario=spiral/);
  assert.equal(await page.getByTestId("lesson-playground").getAttribute("aria-pressed"), "false");
  await page.getByTestId("lesson-playground").click();
  await page.waitForFunction(() => location.hash === "");
  assert.deepEqual(problems, []);
});
