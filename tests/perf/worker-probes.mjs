// worker-probes.mjs: three questions about the playground's Worker, each answered by bare
// module Workers on a blank page of the served build's origin. Not a test; by hand:
//
//   cargo xtask dist && cargo xtask serve --no-build --port 8123 &
//   node tests/perf/worker-probes.mjs [--url http://127.0.0.1:8123/] [--rounds 2]
//
//   warm-up   how long each 500 steps of the default run take after a throw-away run of 0,
//             200 or 600 steps (and a 2 s pause): how much warm-up V8's optimising tier needs
//   posting   the default run with and without posting a snapshot, and the probe, every 33 ms
//             as the page's Worker does: what feeding the page costs the Worker (the time
//             outside its steps is what taking and posting them took)
//   busy      the default run while the main thread is kept busy 0, 33 or 66 % of each 30 ms
//             by a loop: whether a busy main thread slows the Worker
// Every run is the default one (5,000 steps) in calls of 20 steps, as the page makes them.

import { launch } from "../playground.mjs";
import { bareDefaultRun } from "./protocol.mjs";

const options = { url: process.env.PLAYGROUND_URL || "http://127.0.0.1:8123/", rounds: 2 };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--url") options.url = process.argv[++i];
  else if (process.argv[i] === "--rounds") options.rounds = Number(process.argv[++i]);
  else {
    console.error("usage: node tests/perf/worker-probes.mjs [--url URL] [--rounds N]");
    process.exit(2);
  }
}
const BASE = options.url.endsWith("/") ? options.url : `${options.url}/`;

const browser = await launch();
try {
  for (let round = 1; round <= options.rounds; round++) {
    console.log(`round ${round} of ${options.rounds}`);
    for (const warmUp of [0, 200, 600]) {
      const r = await bareDefaultRun(browser, BASE, { warmUp });
      console.log(`  warm-up ${String(warmUp).padStart(3)} steps: run ${ms(r.ms)}; each 500 steps: ${r.per500.map(Math.round).join(" ")} ms`);
    }
    for (const post of [false, true]) {
      const r = await bareDefaultRun(browser, BASE, { warmUp: 600, post });
      const outside = r.ms - r.per500.reduce((a, b) => a + b, 0);
      console.log(`  ${post ? "posting every 33 ms" : "not posting        "}: run ${ms(r.ms)}, of which outside its steps ${ms(outside)}`);
    }
    for (const duty of [0, 0.33, 0.66]) {
      const r = await bareDefaultRun(browser, BASE, { warmUp: 600, duty });
      console.log(`  main thread busy ${String(Math.round(duty * 100)).padStart(2)} %: run ${ms(r.ms)}`);
    }
  }
} finally {
  await browser.close();
}

function ms(x) {
  return `${Math.round(x).toLocaleString("en")} ms`;
}
