// page-cost.mjs: what a page load costs the machine, in core-seconds (the busy time of every
// core, from /proc/stat, so Chromium's processes, the driver and the server all count), the
// way the browser tests load pages: an empty page and the playground in a new context each,
// the playground in a new page of one context, and the playground loaded afresh in one tab
// (tests/playground.mjs's `tab`). Each is loaded `--loads` times after one untimed load, and
// waited for until the page shows its first state. Linux only; run it on an otherwise idle
// machine, against a served build:
//
//   PLAYGROUND_URL=http://127.0.0.1:8123/ node tests/perf/page-cost.mjs [--loads 6]

import { readFileSync } from "node:fs";
import { BASE, launch, tab, waitForReady } from "../playground.mjs";

const at = process.argv.indexOf("--loads");
const loads = at > 0 ? Number(process.argv[at + 1]) : 6;

/** Seconds every core has spent busy since boot. */
function busy() {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const [idle, iowait] = [ticks[3], ticks[4]];
  return (ticks.reduce((sum, t) => sum + t, 0) - idle - iowait) / 100;
}

const browser = await launch();
const reused = await browser.newContext();
const lane = await tab(browser);
const ways = {
  "an empty page, new context": async () => {
    const context = await browser.newContext();
    await (await context.newPage()).goto("about:blank");
    await context.close();
  },
  "the playground, new context": async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(BASE);
    await waitForReady(page);
    await context.close();
  },
  "the playground, new page of one context": async () => {
    const page = await reused.newPage();
    await page.goto(BASE);
    await waitForReady(page);
    await page.close();
  },
  "the playground, loaded afresh in one tab": () => lane.visit(),
};
try {
  for (const [name, load] of Object.entries(ways)) {
    await load();
    const [cores, start] = [busy(), performance.now()];
    for (let i = 0; i < loads; i++) await load();
    const [core, wall] = [(busy() - cores) / loads, (performance.now() - start) / loads / 1000];
    console.log(`${name}: ${core.toFixed(2)} core-seconds, ${wall.toFixed(2)} s each (${loads} loads)`);
  }
} finally {
  await browser.close();
}
