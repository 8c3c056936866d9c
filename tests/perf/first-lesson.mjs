// first-lesson.mjs: how long a visitor on a slow phone waits for the first lesson. Chromium
// emulates DevTools' "Fast 3G" (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up) and a CPU
// 4× slower; the page is opened twice in one browser context: a first visit with an empty cache,
// then a revisit, which revalidates every file (the server says no-cache) and gets 304s back.
//
//   cargo xtask serve --no-build --port 8123 &
//   node tests/perf/first-lesson.mjs [--url http://127.0.0.1:8123/] [--rounds 3]
//
// For each visit: navigation → Play enabled, Play → the first trained step shown, and the bytes
// that came over the network for the page's document and its resources (resource timing's
// transferSize: compressed bytes plus headers; the Workers' own requests are not counted).

import { launch } from "../playground.mjs";

const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const CPU_SLOWDOWN = 4;
const TIMEOUT_MS = 120_000;

const options = { url: process.env.PLAYGROUND_URL || "http://127.0.0.1:8123/", rounds: 1 };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--url") options.url = process.argv[++i];
  else if (process.argv[i] === "--rounds") options.rounds = Number(process.argv[++i]);
  else {
    console.error("usage: node tests/perf/first-lesson.mjs [--url URL] [--rounds N]");
    process.exit(2);
  }
}

const browser = await launch();
try {
  for (let round = 1; round <= options.rounds; round++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    for (const visit of ["first visit", "revisit"]) {
      const page = await context.newPage();
      // On the page's origin first: conditions set on the blank tab would be lost when it
      // moves into the origin's renderer. (An address the page never asks for, so nothing of
      // the page gets cached; not a routed one, which would bypass the emulated network.)
      await page.goto(new URL("favicon.svg?first-lesson", options.url).href);
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", FAST_3G);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
      console.log(`round ${round}, ${visit}: ${describe(await lesson(page))}`);
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}

/** Opens the page, waits for Play, presses it and waits for the first trained step. */
async function lesson(page) {
  await page.goto(options.url, { waitUntil: "commit" });
  await page.waitForFunction(() => document.querySelector("[data-testid=play]")?.disabled === false, null, {
    timeout: TIMEOUT_MS,
    polling: 50,
  });
  const ready = await page.evaluate(() => {
    const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    return { at: performance.now(), bytes: entries.reduce((sum, entry) => sum + entry.transferSize, 0) };
  });
  await page.getByTestId("play").click();
  const played = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    () => {
      const match = /step ([\d,]+)/.exec(document.getElementById("phase-text")?.textContent ?? "");
      return match && Number(match[1].replace(/,/g, "")) > 0;
    },
    null,
    { timeout: TIMEOUT_MS, polling: 50 },
  );
  const trained = await page.evaluate(() => performance.now());
  return { ready: ready.at, bytes: ready.bytes, firstStep: trained - played };
}

function describe(r) {
  return (
    `Play enabled ${(r.ready / 1000).toFixed(2)} s after navigation (${Math.round(r.bytes / 1024)} KiB over the ` +
    `network), first trained step ${Math.round(r.firstStep)} ms after Play`
  );
}
