// The page in an article: `#embed=chapter` shows that chapter alone in a 720 px column, with a
// link to the full page; "Copy link" captures the exact state (settings, presenter mode, open
// sections, the probed point) and the link restores it; "Embed" gives the iframe code.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { CHAPTERS as TABLE } from "../www/view.js";
import { BASE, OUTPUT, STUCK_MS, clickMap, hashParams, launch, openPage, tab, trainTeacher } from "./playground.mjs";

/** The chapters an address can embed. */
const CHAPTERS = ["playground", "api", "evidence", "digits", "chat", "reasoner"];

/** What is on screen: the chapters (data-part) shown, and whether the page's chrome is. Runs in the page. */
function visibleParts() {
  const shown = (element) => element && element.getClientRects().length > 0;
  return {
    parts: [...new Set([...document.querySelectorAll("[data-part]")].filter(shown).map((element) => element.dataset.part))],
    masthead: shown(document.querySelector(".masthead")),
    settings: shown(document.querySelector(".controls")),
    footer: shown(document.querySelector(".footer")),
    fullPage: shown(document.querySelector("[data-testid=full-page]")),
    width: document.documentElement.scrollWidth,
  };
}

test("#embed=chapter shows that chapter alone, 720 px wide, with a link to the full page", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const frame = await tab(browser, { width: 720, height: 900 });
  for (const chapter of CHAPTERS) {
    const { page, problems } = await frame.visit(`seed=3&embed=${chapter}`);
    const seen = await page.evaluate(visibleParts);
    assert.deepEqual(seen.parts, [chapter], `only ${chapter} is shown`);
    assert.equal(seen.masthead || seen.settings || seen.footer, false, `no header, settings or footer: ${JSON.stringify(seen)}`);
    assert.equal(seen.fullPage, true);
    assert.ok(seen.width <= 720, `fits the column: ${seen.width} px`);
    const full = new URL(await page.getByTestId("full-page").getAttribute("href"));
    // The digits, chat and reasoner chapters are sections that open: the full page opens them too.
    const open = ["digits", "chat", "reasoner"].includes(chapter) ? { open: chapter } : {};
    assert.deepEqual(hashParams(full.hash), { seed: "3", ...open }, "the full page keeps the settings and the view, not the embed");
    await page.screenshot({ path: join(OUTPUT, `embed-${chapter}-720.png`) });
    assert.deepEqual(problems, []);
  }
});

test("the embedded playground shows its result in view: maps and agreement inside the frame the Embed code sizes", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  assert.deepEqual(TABLE.map((c) => c.name), CHAPTERS);
  const { height } = TABLE.find((c) => c.name === "playground");
  const { page, problems } = await openPage(browser, { hash: "embed=playground", width: 720, height });
  await trainTeacher(page);
  const bottom = (testId) => page.getByTestId(testId).evaluate((element) => element.getBoundingClientRect().bottom);
  for (const id of ["map-hard", "agreement-distilled", "agreement-hard"]) {
    assert.ok((await bottom(id)) <= height, `${id} ends at ${await bottom(id)} px, in a ${height} px frame`);
  }
  assert.deepEqual(problems, []);
});

test("an unknown chapter is clamped to the playground, with a notice", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "embed=<b>chapter</b>", width: 720 });
  assert.match(await page.getByTestId("notices").textContent(), /embed=<b>chapter<\/b> is not a chapter .*showing playground/);
  assert.deepEqual((await page.evaluate(visibleParts)).parts, ["playground"]);
  assert.equal(hashParams(await page.evaluate(() => location.hash)).embed, "playground", "the address says what is shown");
  assert.deepEqual(problems, []);
});

test("Copy link captures presenter mode, open sections, the probed point and the settings; the link restores them", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, context, problems } = await openPage(browser, { hash: "seed=7" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(BASE).origin });
  await page.getByRole("button", { name: "Presenter mode" }).click();
  await page.locator("#digits summary").click();
  await page.getByTestId("digits-body").waitFor({ state: "visible", timeout: STUCK_MS });
  await clickMap(page, "distilled", 0.7, 0.2);
  const where = await page.getByTestId("probe-where").textContent();

  await page.getByTestId("copy-link").click();
  await page.getByTestId("share").waitFor({ state: "visible" });
  const link = await page.getByTestId("share-text").inputValue();
  assert.match(await page.getByTestId("share-status").textContent(), /copied to the clipboard/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, "the clipboard holds the link shown");
  assert.equal(link, page.url(), "the address bar holds the same state");
  const params = hashParams(new URL(link).hash);
  assert.equal(params.seed, "7");
  assert.equal(params.presenter, "on");
  assert.equal(params.open, "digits");
  assert.match(params.probe, /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);

  const again = await openPage(browser, { hash: new URL(link).hash.slice(1) });
  const restored = await again.page.evaluate(() => ({
    presenter: document.documentElement.classList.contains("presenter"),
    digitsOpen: document.querySelector("[data-testid=digits-details]").open,
    seed: document.querySelector("[data-testid=knob-seed]").value,
    where: document.querySelector("[data-testid=probe-where]").textContent,
  }));
  assert.deepEqual(restored, { presenter: true, digitsOpen: true, seed: "7", where });
  assert.equal(again.page.url(), link, "the restored page writes the same address");
  assert.deepEqual(again.problems, []);
  assert.deepEqual(problems, []);
});

test("where the clipboard is refused, the link is shown selected and the page says so", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  // As inside a frame without the clipboard permission: writing is refused.
  const refuse = () => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new DOMException("denied", "NotAllowedError")) } });
  };
  const { page, problems } = await openPage(browser, { hash: "embed=api&seed=5", width: 720, initScript: refuse });
  await page.getByTestId("embed-copy-link").click();
  await page.getByTestId("share").waitFor({ state: "visible" });
  assert.match(await page.getByTestId("share-status").textContent(), /may not use the clipboard here.*Ctrl\+C/);
  const selected = await page.evaluate(() => {
    const field = document.activeElement;
    return { testid: field.dataset.testid, whole: field.selectionStart === 0 && field.selectionEnd === field.value.length, value: field.value };
  });
  assert.equal(selected.testid, "share-text");
  assert.equal(selected.whole, true, "the whole link is selected, ready to copy");
  assert.deepEqual(hashParams(new URL(selected.value).hash), { seed: "5", embed: "api" });
  assert.deepEqual(problems, []);
});

test("Embed gives iframe code for the chapter shown, or one picked, and that code shows it alone", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "seed=4&embed=api", width: 720 });
  await page.getByTestId("embed-embed").click();
  await page.getByTestId("share").waitFor({ state: "visible" });
  const code = await page.getByTestId("share-text").inputValue();
  const match = code.match(/^<iframe src="([^"]+)" width="720" height="(\d+)" title="Distillation Playground: [^"]+" loading="lazy"><\/iframe>$/);
  assert.ok(match, code);
  const src = match[1].replace(/&amp;/g, "&");
  assert.deepEqual(hashParams(new URL(src).hash), { seed: "4", embed: "api" });
  assert.equal(await page.getByTestId("share-chapter").inputValue(), "api");

  // From the whole page: the picker chooses the chapter.
  const full = await openPage(browser, { hash: "seed=4" });
  await full.page.getByTestId("embed-open").click();
  await full.page.getByTestId("share-chapter").selectOption("evidence");
  const evidence = (await full.page.getByTestId("share-text").inputValue()).match(/src="([^"]+)"/)[1].replace(/&amp;/g, "&");
  assert.deepEqual(hashParams(new URL(evidence).hash), { seed: "4", embed: "evidence" });

  // The code itself, in an article's page.
  await page.route(`${BASE}article.html`, (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><title>An article</title><p>Text before.</p>${code}` }),
  );
  await page.goto(`${BASE}article.html`);
  const frame = await (await page.waitForSelector("iframe")).contentFrame();
  await frame.waitForFunction(() => document.documentElement.dataset.phase, null, { timeout: STUCK_MS });
  assert.deepEqual((await frame.evaluate(visibleParts)).parts, ["api"]);
  await page.screenshot({ path: join(OUTPUT, "embed-article.png"), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(full.problems, []);
});
