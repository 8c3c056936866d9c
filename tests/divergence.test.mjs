// A learning rate far too large makes training blow up: the page must stop and say why.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STUCK_MS, launch, openPage, pageSummary, play, waitInPage } from "./playground.mjs";

test("a huge learning rate ends in a clear divergence message, and Reset recovers", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const first = await openPage(browser);
  const lrMax = Number(await first.page.getByTestId("knob-lr").getAttribute("max"));
  // The lr slider runs over log10 of the rate; its max is the largest rate allowed.
  const largest = Number((10 ** lrMax).toPrecision(6));
  await first.context.close();

  const { page, problems } = await openPage(browser, { hash: `lr=${largest}` });
  await play(page);
  await waitInPage(page, () => !document.querySelector("[data-testid=divergence]").hidden, {
    timeout: STUCK_MS,
    describe: pageSummary,
  });
  const message = (await page.getByTestId("divergence-message").textContent()).trim();
  t.diagnostic(`divergence message: ${message}`);
  assert.ok(message.length > 10, `an explanation is shown: "${message}"`);
  assert.match(message, /nan|inf|diverg|learning rate/i);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.phase), "diverged");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.running), "false", "training paused");

  await page.getByTestId("divergence").getByRole("button", { name: "Reset" }).click();
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher");
  assert.equal(await page.getByTestId("divergence").isVisible(), false, "the alert goes away on reset");
  assert.deepEqual(problems, []);
});
