// chat-open.mjs: how soon a text section ("Distil a chatbot", or with `--section reasoner`
// "Distil a reasoner") trains once opened. For each of `--rounds` fresh pages: load the page,
// click the section's heading, then time until its files are read (the section's data-load-ms)
// and until the first trained step of the default round shows (data-step > 0). By hand,
// against a served build:
//
//   PLAYGROUND_URL=http://127.0.0.1:8123/ node tests/perf/chat-open.mjs [--rounds 3] [--section reasoner]

import { BASE, launch } from "../playground.mjs";

const at = process.argv.indexOf("--rounds");
const rounds = at > 0 ? Number(process.argv[at + 1]) : 3;
const named = process.argv.indexOf("--section");
const section = named > 0 ? process.argv[named + 1] : "chat";
const browser = await launch();
try {
  for (let i = 0; i < rounds; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(BASE);
    await page.waitForSelector(`#${section} summary`);
    const began = Date.now();
    await page.locator(`#${section} summary`).click();
    await page.waitForSelector(`#${section}-details[data-load-ms]`, { timeout: 60_000 });
    const ready = Date.now() - began;
    await page.waitForFunction((section) => Number(document.querySelector(`#${section}-details`).dataset.step) > 0, section, {
      timeout: 60_000,
      polling: 10,
    });
    console.log(`round ${i + 1}: files read after ${ready} ms, first trained step shown after ${Date.now() - began} ms`);
    await page.close();
  }
} finally {
  await browser.close();
}
