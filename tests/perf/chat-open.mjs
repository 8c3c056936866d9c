// chat-open.mjs: how soon a text section ("Distil a chatbot", or with `--section reasoner`
// "Distil a reasoner") trains once opened. For each of `--rounds` fresh pages: load the page,
// click the section's heading, then time, in the page's own clock from the click's event,
// until its files are read (the section's data-load-ms appears) and until the first trained
// step of the default round shows (data-step > 0). The time from the test's call to click is
// printed too: it adds what the driver does before the click lands. With `--dwell MS` the
// heading is first scrolled into view and the click comes MS later, as a reader's would: the
// section gets its files ready as it comes near the window. With `--to-end` it also times the
// default round, as the page plays and draws it, from its first trained step shown to its end
// shown (data-done). By hand, against a served build:
//
//   PLAYGROUND_URL=http://127.0.0.1:8123/ node tests/perf/chat-open.mjs [--rounds 3] [--section reasoner] [--dwell 1000] [--to-end]

import { BASE, launch } from "../playground.mjs";

const at = process.argv.indexOf("--rounds");
const rounds = at > 0 ? Number(process.argv[at + 1]) : 3;
const named = process.argv.indexOf("--section");
const section = named > 0 ? process.argv[named + 1] : "chat";
const dwelt = process.argv.indexOf("--dwell");
const dwell = dwelt > 0 ? Number(process.argv[dwelt + 1]) : 0;
const toEnd = process.argv.includes("--to-end");
const browser = await launch();
try {
  for (let i = 0; i < rounds; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(BASE);
    await page.waitForSelector(`#${section} summary`);
    // When the click lands, when the files are read and when the first trained step shows.
    await page.evaluate((section) => {
      const details = document.getElementById(`${section}-details`);
      const seen = (window.__opening = {});
      details.querySelector("summary").addEventListener("click", () => (seen.click = performance.now()), { capture: true, once: true });
      new MutationObserver(() => {
        seen.read ??= details.dataset.loadMs !== undefined ? performance.now() : undefined;
        seen.step ??= Number(details.dataset.step) > 0 ? performance.now() : undefined;
        seen.done ??= details.dataset.done === "true" ? performance.now() : undefined;
      }).observe(details, { attributes: true, attributeFilter: ["data-load-ms", "data-step", "data-done"] });
    }, section);
    if (dwell > 0) {
      await page.locator(`#${section} summary`).scrollIntoViewIfNeeded();
      await new Promise((resolve) => setTimeout(resolve, dwell));
    }
    const began = Date.now();
    await page.locator(`#${section} summary`).click();
    const seen = await (await page.waitForFunction(() => window.__opening.step && window.__opening, null, { timeout: 60_000, polling: 10 })).jsonValue();
    const called = Date.now() - began;
    const after = (at) => Math.round(at - seen.click);
    console.log(`round ${i + 1}: files read ${after(seen.read)} ms after the click, first trained step shown ${after(seen.step)} ms after it (${called} ms after the call to click)`);
    if (toEnd) {
      const done = await (await page.waitForFunction(() => window.__opening.done, null, { timeout: 300_000, polling: 100 })).jsonValue();
      console.log(`  the default round: ${((done - seen.step) / 1000).toFixed(1)} s from its first trained step shown to its end shown`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
