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

/** The Worker: optional warm-up and pause, then the default run; posts its timings. */
const WORKER = `self.onmessage = async ({ data: { pkg, warmUp, post } }) => {
  const wasm = await import(pkg);
  await wasm.default();
  if (warmUp) {
    const w = new wasm.WebTrainer({ teacher_steps: warmUp / 2, student_steps: warmUp / 2 });
    while (["teacher", "student"].includes(w.step(10).phase));
    w.free();
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const run = new wasm.WebTrainer({});
  run.step(0);
  const calls = [];
  let m, last = 0;
  const begin = performance.now();
  do {
    const start = performance.now();
    m = run.step(20);
    calls.push(performance.now() - start);
    if (post && performance.now() - last >= 33) {
      const snapshot = run.snapshot();
      const point = m.phase === "teacher" ? null : run.least_sure_point();
      const probe = point ? run.probe(point[0], point[1]) : null;
      self.postMessage({ snapshot, probe, m });
      last = performance.now();
    }
  } while (m.phase === "teacher" || m.phase === "student");
  const per500 = [];
  for (let i = 0; i < calls.length; i += 25) per500.push(calls.slice(i, i + 25).reduce((a, b) => a + b, 0));
  self.postMessage({ done: performance.now() - begin, per500 });
};`;

const browser = await launch();
try {
  for (let round = 1; round <= options.rounds; round++) {
    console.log(`round ${round} of ${options.rounds}`);
    for (const warmUp of [0, 200, 600]) {
      const r = await run({ warmUp });
      console.log(`  warm-up ${String(warmUp).padStart(3)} steps: run ${ms(r.done)}; each 500 steps: ${r.per500.map(Math.round).join(" ")} ms`);
    }
    for (const post of [false, true]) {
      const r = await run({ warmUp: 600, post });
      const outside = r.done - r.per500.reduce((a, b) => a + b, 0);
      console.log(`  ${post ? "posting every 33 ms" : "not posting        "}: run ${ms(r.done)}, of which outside its steps ${ms(outside)}`);
    }
    for (const duty of [0, 0.33, 0.66]) {
      const r = await run({ warmUp: 600, duty });
      console.log(`  main thread busy ${String(Math.round(duty * 100)).padStart(2)} %: run ${ms(r.done)}`);
    }
  }
} finally {
  await browser.close();
}

/** One bare Worker's default run in a fresh context; `duty` keeps the main thread busy meanwhile. */
async function run({ warmUp, post = false, duty = 0 }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL("favicon.svg", BASE).href);
    return await page.evaluate(
      ({ source, message, duty }) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
          let busy = duty > 0;
          const spin = () => {
            if (!busy) return;
            const end = performance.now() + 30 * duty;
            let x = 0;
            while (performance.now() < end) x += Math.sqrt(x + 1);
            setTimeout(spin, 30 * (1 - duty));
          };
          spin();
          worker.onmessage = ({ data }) => {
            if (data.done === undefined) return;
            busy = false;
            worker.terminate();
            resolve(data);
          };
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(message);
        }),
      { source: WORKER, message: { pkg: new URL("pkg/distill.js", BASE).href, warmUp, post }, duty },
    );
  } finally {
    await context.close();
  }
}

function ms(x) {
  return `${Math.round(x).toLocaleString("en")} ms`;
}
