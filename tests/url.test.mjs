// The address bar as a shareable, reproducible link: a hash restores the settings, the page
// keeps the hash canonical, a changed control rewrites it, and a bad value is clamped aloud.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, STUCK_MS, hashParams, launch, openPage } from "./playground.mjs";

/** The value a control holds (a select's option, a linear slider's or a number field's value). */
function controlValue(page, key) {
  return page.getByTestId(`knob-${key}`).inputValue();
}

test("a hash with non-default settings restores them and stays equivalent", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "scenario=rings&temperature=7&seed=3" });

  assert.equal(await controlValue(page, "scenario"), "rings");
  assert.equal(Number(await controlValue(page, "temperature")), 7);
  assert.equal(Number(await controlValue(page, "seed")), 3);
  assert.equal(await page.getByTestId("notices").isVisible(), false, "no notice for valid values");

  const hash = hashParams(await page.evaluate(() => location.hash));
  assert.equal(hash.scenario, "rings");
  assert.equal(Number(hash.temperature), 7);
  assert.equal(Number(hash.seed), 3);
  assert.deepEqual(Object.keys(hash).sort(), ["scenario", "seed", "temperature"], "only non-default keys");

  // Changing a control rewrites the hash, and a reload restores it.
  await page.getByTestId("knob-scenario").selectOption("pinwheel");
  await page.waitForFunction(() => location.hash.includes("scenario=pinwheel"));
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.phase);
  assert.equal(await controlValue(page, "scenario"), "pinwheel");
  assert.equal(Number(await controlValue(page, "temperature")), 7);
  assert.deepEqual(problems, []);
});

test("an out-of-range value is clamped, with a visible notice", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "temperature=500" });
  const notices = page.getByTestId("notices");
  assert.ok(await notices.isVisible(), "the notice bar is shown");
  const text = await notices.textContent();
  assert.match(text, /temperature/i);
  assert.match(text, /500/);

  const max = Number(await page.getByTestId("knob-temperature").getAttribute("max"));
  assert.ok(max > 1 && max < 500, `temperature slider max ${max}`);
  assert.equal(Number(await controlValue(page, "temperature")), max);
  assert.equal(Number(hashParams(await page.evaluate(() => location.hash)).temperature), max);

  await page.getByRole("button", { name: "Dismiss these notices" }).click();
  assert.equal(await notices.isVisible(), false, "the notice bar can be dismissed");

  // A number typed out of range into a field is clamped the same way, with its own notice.
  const seed = page.getByTestId("knob-seed");
  const seedMin = await seed.getAttribute("min");
  await seed.fill("-5");
  await seed.press("Enter");
  await notices.waitFor({ state: "visible" });
  assert.match(await notices.textContent(), /seed=-5/);
  assert.equal(await seed.inputValue(), seedMin);
  assert.equal(hashParams(await page.evaluate(() => location.hash)).seed, seedMin);
  assert.deepEqual(problems, []);
});

test("editing the hash by hand restarts with the new settings", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  await page.goto(`${BASE}#scenario=pinwheel&seed=11`);
  await page.waitForFunction(() => document.querySelector("[data-testid=knob-scenario]").value === "pinwheel");
  assert.equal(Number(await controlValue(page, "seed")), 11);
  assert.deepEqual(problems, []);
});
