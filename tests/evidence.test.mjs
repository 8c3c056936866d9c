// The evidence panel: once the teacher is trained, "Investigate" trains the suspects and
// shows a verdict for each. Whatever the numbers, a wrong key must never read as evidence of
// copying, and a label-only thief cannot carry the watermark.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { OUTPUT, STUCK_MS, apiSummary, launch, openPage, screenshotOf, trainTeacher, waitForInk, waitInPage } from "./playground.mjs";

/** A small run: a 300-step teacher, suspects trained for 400 steps on 600 queries. */
const SMALL = "teacher_steps=300&student_steps=400&budget=600";

/** A p-value as the page writes it: "0.50", "0.0085", "1.5 × 10⁻⁶". */
const P_VALUE = /p = (\d\.\d+|0\.\d+|\d\.\d × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+|< 10⁻³⁰⁰)\.$/;

test("Investigate gives a verdict on every suspect; a wrong key never reads as evidence", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SMALL });
  const investigate = page.getByTestId("investigate");
  assert.equal(await investigate.isDisabled(), true, "nothing to investigate before the teacher is trained");

  await trainTeacher(page);
  await page.waitForFunction(() => !document.querySelector("[data-testid=investigate]").disabled);
  await investigate.click();
  await waitInPage(page, () => document.documentElement.dataset.investigation === "running", { timeout: STUCK_MS, describe: apiSummary });
  assert.equal(await page.getByTestId("investigate-progress").isVisible(), true, "a progress bar while the suspects train");
  await waitInPage(page, () => document.documentElement.dataset.investigation === "done", {
    timeout: STUCK_MS,
    describe: apiSummary,
  });
  await page.getByTestId("evidence-verdict").waitFor({ state: "visible" });

  const suspects = await page.getByTestId("suspect").locator("option").allTextContents();
  assert.deepEqual(suspects, [
    "distilled from the watermarked API",
    "label-only thief of the watermarked API",
    "distilled with the watermark off",
    "independent model trained on its own labels",
  ]);

  const read = async (testId) => (await page.getByTestId(testId).textContent()).trim();
  // A runner-up is green by chance once in K − 1 (the page rounds it to a whole percent).
  const classes = Number(await page.getByTestId("knob-classes").inputValue());
  const chance = Math.round(100 / (classes - 1));
  const shown = [];
  for (const [i, suspect] of suspects.entries()) {
    await page.getByTestId("suspect").selectOption(String(i));
    await page.getByTestId("watermark-key").selectOption("owner");
    const owner = { stats: await read("watermark-stats"), verdict: await read("evidence-verdict") };
    await page.getByTestId("watermark-key").selectOption("wrong");
    const wrong = {
      stats: await read("watermark-stats"),
      verdict: await read("evidence-verdict"),
      flagged: await page.getByTestId("evidence-verdict").getAttribute("data-flagged"),
    };
    shown.push({ suspect, owner, wrong });

    assert.ok(owner.verdict.length > 40, `${suspect}: a verdict with the owner's key: "${owner.verdict}"`);
    assert.ok(owner.stats.startsWith(`Green runner-up in `) && owner.stats.includes(` cells (chance 1/(K − 1) = ${chance}\u00a0%), `), `${suspect}: ${owner.stats}`);
    assert.match(owner.stats, P_VALUE, `${suspect}: ${owner.stats}`);
    assert.match(wrong.stats, P_VALUE, `${suspect}: ${wrong.stats}`);
    assert.ok(wrong.verdict.length > 40, `${suspect}: a verdict with a wrong key: "${wrong.verdict}"`);
    assert.ok(!wrong.verdict.includes("Strong evidence"), `${suspect}: a wrong key reads as evidence: "${wrong.verdict}"`);
    assert.equal(wrong.flagged, "false", `${suspect}: a wrong key is never marked as a finding`);
    assert.match(await read("fingerprint-stats"), /^Agrees with the teacher on \d+ of \d+ key points; 6 independent models agree on [\d, ]+; z = -?\d+\.\d\.$/);
    assert.ok((await read("fingerprint-verdict")).length > 40, `${suspect}: a fingerprint verdict`);
  }
  t.diagnostic(JSON.stringify(shown, null, 1));

  // Every suspect side by side: the table says what each one's details say.
  const rows = await page.getByTestId("verdicts").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      suspect: tr.querySelector("th").textContent,
      cells: [...tr.querySelectorAll("td")].map((td) => ({ text: td.textContent, flagged: td.dataset.flagged })),
    })),
  );
  assert.deepEqual(rows.map((r) => r.suspect), suspects);
  for (const [i, row] of rows.entries()) {
    const [, owner, wrong] = row.cells;
    const pOf = (stats) => stats.match(P_VALUE)[1];
    assert.ok(owner.text.endsWith(`p = ${pOf(shown[i].owner.stats)}`), `${row.suspect}: ${owner.text} vs ${shown[i].owner.stats}`);
    assert.ok(wrong.text.endsWith(`p = ${pOf(shown[i].wrong.stats)}`), `${row.suspect}: ${wrong.text} vs ${shown[i].wrong.stats}`);
    for (const cell of row.cells.slice(1)) assert.equal(cell.text.startsWith("Flagged"), cell.flagged === "true", `${row.suspect}: ${cell.text}`);
    assert.equal(owner.flagged === "true", shown[i].owner.verdict.startsWith("Strong evidence"), `${row.suspect}: table and details agree`);
  }
  // The verdicts export as CSV: a row a suspect, agreeing with the table.
  await page.getByTestId("export-evidence").locator("summary").click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv-evidence").click()]);
  const csv = (await readFile(await file.path(), "utf8")).trim().split("\n");
  const header = csv[0].split(",");
  assert.equal(csv.length, 1 + suspects.length, csv.join("\n"));
  for (const [i, line] of csv.slice(1).entries()) {
    const fields = Object.fromEntries(line.match(/("[^"]*"|[^,]+)/g).map((v, j) => [header[j], v.replace(/^"|"$/g, "")]));
    assert.equal(fields.suspect, suspects[i]);
    assert.equal(fields.watermark_flagged, rows[i].cells[1].flagged, `${suspects[i]}: CSV and table agree`);
    assert.equal(fields.fingerprint_flagged, rows[i].cells[3].flagged, `${suspects[i]}: CSV and table agree`);
  }

  // The investigation says which settings it uses: the suspects' size and the API's budget.
  const width = Number(await page.getByTestId("knob-suspect_width").inputValue());
  const setting = await read("evidence-setting");
  assert.ok(setting.includes(`2-${width}-${width}-${classes} (`), setting);
  assert.ok(setting.includes("buying 600 natural queries"), setting);
  await page.getByTestId("suspect").selectOption("0");
  await page.getByTestId("watermark-key").selectOption("owner");
  await screenshotOf(page, "#evidence", join(OUTPUT, "evidence.png"));
  // The two keys pick different green classes, so they test different cells: the page must
  // show each key's own numbers, not the owner's twice.
  assert.ok(shown.some((s) => s.owner.stats !== s.wrong.stats), "the wrong key's numbers differ from the owner's");

  // Labels carry no soft answers, so the label-only thief cannot inherit the watermark.
  const labelOnly = shown[1];
  assert.match(labelOnly.owner.verdict, /^No evidence from the watermark/);
  assert.match(labelOnly.owner.verdict, /label-only thief never sees the soft answers/);

  // The watermark's cost: the API's accuracy is the teacher's; both copies' accuracies show.
  const teacherAccuracy = await read("acc-teacher");
  assert.equal(await read("cost-api"), teacherAccuracy);
  for (const id of ["cost-marked", "cost-unmarked"]) {
    const value = parseFloat(await read(id));
    assert.ok(value > 40 && value <= 100, `${id}: ${await read(id)}`);
  }

  // A changed API setting would clear the verdicts (they belong to the run they were made
  // on), so the page asks first: Keep keeps them and the setting, Change clears them.
  const delta = page.getByTestId("knob-delta");
  const before = await delta.inputValue();
  const hashBefore = await page.evaluate(() => location.hash);
  await delta.focus();
  await page.keyboard.press("ArrowLeft");
  await page.getByTestId("discard").waitFor({ state: "visible" });
  assert.match(await read("discard-text"), /^Changing .+ discards the investigation’s verdicts\.$/);
  await page.getByTestId("discard-keep").click();
  assert.equal(await delta.inputValue(), before, "Keep puts the control back");
  assert.equal(await page.evaluate(() => location.hash), hashBefore);
  assert.equal(await page.getByTestId("evidence-results").isVisible(), true, "Keep keeps the verdicts");
  await delta.focus();
  await page.keyboard.press("ArrowLeft");
  await page.getByTestId("discard-go").click();
  await page.waitForFunction(() => location.hash.includes("delta="));
  await page.waitForFunction(() => document.querySelector("[data-testid=evidence-results]").hidden);
  assert.equal(await investigate.isEnabled(), true, "ready to investigate again");
  assert.deepEqual(problems, []);
});

test("on a 390 px phone the API section and the evidence panel fit, run and all", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: SMALL, width: 390, height: 844, scale: 2 });
  await trainTeacher(page);
  await page.waitForFunction(() => !document.querySelector("[data-testid=api-start]").disabled);
  await page.getByTestId("api-start").click();
  await page.getByTestId("investigate").click();
  await waitInPage(
    page,
    () => {
      const { extraction, investigation } = document.documentElement.dataset;
      return ["done", "banned"].includes(extraction) && investigation === "done";
    },
    { timeout: STUCK_MS, describe: apiSummary },
  );
  await waitForInk(page, "chart-fidelity");
  // The longest suspect's name is the widest thing the picker holds.
  await page.getByTestId("suspect").selectOption("3");
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    widest: [...document.querySelectorAll("#api *, #evidence *")]
      .map((el) => ({ el: `${el.tagName.toLowerCase()}#${el.id}.${el.className}`, right: Math.round(el.getBoundingClientRect().right) }))
      .sort((a, b) => b.right - a.right)[0],
  }));
  assert.ok(widths.page <= widths.viewport, `wider than a 390 px phone: ${JSON.stringify(widths)}`);
  await screenshotOf(page, "#api", join(OUTPUT, "api-390.png"));
  await screenshotOf(page, "#evidence", join(OUTPUT, "evidence-390.png"));
  assert.deepEqual(problems, []);
});
