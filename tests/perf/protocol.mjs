// protocol.mjs: the timing protocol shared by the perf scripts, and the Worker bodies
// that follow it: the page's wasm (./pkg/distill.js) and TensorFlow.js doing the same steps.

/** The timing protocol, shared with crate/examples/speed.rs: change both together. */
export const PROTOCOL = {
  teacherSteps: 2000, // the teacher's budget (the default)
  teacherWarmUp: 200, // teacher steps before timing
  teacherTimed: 1500, // teacher steps timed in one call
  studentSteps: 20000, // the students' budget: more than run here, so it never finishes
  studentWarmUp: 500, // student steps before timing (V8 needs a real warm-up)
  studentTimed: 3000, // student steps timed once in one call, once in calls of `chunk`
  chunk: 20, // steps per call in the page at its default speed
  warmUpRun: 100, // each phase's budget in a throw-away run first, so that all code is warm
  chatWarmUpRun: 40, // a throw-away chat round of this many steps first
  chatWarmUp: 50, // chat round steps before timing
  chatTimed: 300, // chat round steps timed in one call
  chatChunk: 10, // chat round steps per call in the default run, as the chat Worker makes them
  reasonerWarmUpRun: 100, // a throw-away reasoner round of this many steps first
  reasonerWarmUp: 50, // reasoner round steps before timing
  reasonerTimed: 200, // reasoner round steps timed in one call
  reasonerChunk: 10, // reasoner round steps per call in the default run
};

/** The grid agreement the default run is timed to reach, in percent. */
export const AGREEMENT_TARGET = 95;

/**
 * Runs `body` (a function, serialised) in a fresh module Worker on a blank page of `base`'s
 * origin, posts it `message`, and returns what it posts back (or throws what it reports).
 */
export async function runInWorker(browser, base, body, message) {
  return (await runInWorkers(browser, base, body, [message]))[0];
}

/**
 * `runInWorker` with one Worker per message, side by side: a Worker that posts
 * `{ ready: true }` waits for a "go" that comes once every Worker is ready (so that they time
 * their work together). Returns what each posts back, in order.
 */
export async function runInWorkers(browser, base, body, messages) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const blank = new URL("__perf__.html", base).href;
    await page.route(blank, (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>perf</title>" }),
    );
    await page.goto(blank);
    return await page.evaluate(({ source, messages }) => {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      const workers = messages.map(() => new Worker(url, { type: "module" }));
      let waiting = workers.length;
      return Promise.all(
        workers.map(
          (worker, i) =>
            new Promise((resolve, reject) => {
              worker.onmessage = ({ data }) => {
                if (data.ready) {
                  if (--waiting === 0) workers.forEach((w) => w.postMessage("go"));
                  return;
                }
                worker.terminate();
                if (data.error) reject(new Error(data.error));
                else resolve(data);
              };
              worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
              worker.postMessage(messages[i]);
            }),
        ),
      );
    }, { source: workerSource(body), messages });
  } finally {
    await context.close();
  }
}

/** A Worker's source: `body`, called, with the helpers the bodies share defined before it. */
function workerSource(body) {
  return `${chatOfThePage.toString()}\n(${body.toString()})();`;
}

/**
 * In a Worker: the chat Worker's module (beside `pkg`, the page's bindings' URL) and a WebChat
 * of the files the page serves: `{ chatModule, chat }`.
 */
async function chatOfThePage(pkg) {
  const bytes = async (path) => {
    const response = await fetch(new URL(`../${path}`, pkg));
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const files = ["data/names.bin", "data/names-teacher.bpk", "data/chat-marks.csv"];
  const [names, weights, marks] = await Promise.all(files.map(bytes));
  const chatModule = await import(new URL("chat.js", pkg));
  await chatModule.default();
  return { chatModule, bytes, chat: new chatModule.WebChat(names, files[0], weights, files[1], marks, files[2]) };
}

/** The message for `ourWorker`: where the page's bindings are, and the protocol. */
export function ourMessage(base) {
  return {
    pkg: new URL("pkg/distill.js", base).href,
    protocol: { ...PROTOCOL, targetPermille: AGREEMENT_TARGET * 10 },
  };
}

/**
 * The Worker body for the page's wasm: the protocol of crate/examples/speed.rs. Posts
 * teacher_step, student_step, student_step_chunks (steps/s), run (the default run in calls of
 * `chunk`), chat_step (chat round steps/s), chat_run (the default chat round in calls of
 * `chatChunk`), reasoner_step and reasoner_run (the same for the reasoner's round) and init_ms.
 */
export function ourWorker() {
  self.onmessage = async ({ data: { pkg, protocol: p } }) => {
    try {
      const wasm = await import(pkg);
      const start = performance.now();
      await wasm.default();
      const initMs = performance.now() - start;
      const warmUp = new wasm.WebTrainer({ teacher_steps: p.warmUpRun, student_steps: p.warmUpRun });
      warmUp.step(2 * p.warmUpRun);
      warmUp.free();
      const trainer = new wasm.WebTrainer({ teacher_steps: p.teacherSteps, student_steps: p.studentSteps });
      const expect = (metrics, phase) => {
        if (metrics.phase !== phase) {
          throw new Error(`the run is in phase ${metrics.phase}, not ${phase}: ${metrics.message}`);
        }
      };
      const rate = (steps, work) => {
        const begin = performance.now();
        work();
        return steps / ((performance.now() - begin) / 1000);
      };
      trainer.step(p.teacherWarmUp);
      const teacher = rate(p.teacherTimed, () => expect(trainer.step(p.teacherTimed), "teacher"));
      expect(trainer.step(p.teacherSteps - p.teacherWarmUp - p.teacherTimed), "student");
      expect(trainer.step(p.studentWarmUp), "student");
      const student = rate(p.studentTimed, () => expect(trainer.step(p.studentTimed), "student"));
      const studentChunks = rate(p.studentTimed, () => {
        for (let i = 0; i < p.studentTimed / p.chunk; i++) expect(trainer.step(p.chunk), "student");
      });
      trainer.free();
      // The default run in calls of `chunk`, as the page plays it, without drawing.
      const run = new wasm.WebTrainer({});
      const reached = { distilled: null, hard: null };
      const begin = performance.now();
      for (;;) {
        const m = run.step(p.chunk);
        const ms = performance.now() - begin;
        for (const who of ["distilled", "hard"]) {
          const value = m[`agreement_${who}`];
          // Rounded to 0.1 % as the page shows it.
          if (reached[who] === null && value != null && Math.round(value * 1000) >= p.targetPermille) {
            reached[who] = { step: m.student_step, ms };
          }
        }
        if (m.phase === "done") break;
        if (m.phase !== "teacher" && m.phase !== "student") throw new Error(`the default run ${m.phase}`);
      }
      const total = performance.now() - begin;
      run.free();
      // The chat chapter's default round in the chat Worker's module, on the files the page
      // serves.
      // chatOfThePage is defined beside this body in the Worker (workerSource).
      const { chatModule, chat, bytes } = await chatOfThePage(pkg);
      const defaults = wasm.parse_config("").config;
      chat.start({ ...defaults, chat_steps: p.chatWarmUpRun });
      chat.step(p.chatWarmUpRun);
      chat.start(defaults);
      chat.step(p.chatWarmUp);
      const chatStep = rate(p.chatTimed, () => chat.step(p.chatTimed));
      const chatBegin = performance.now();
      chat.start(defaults);
      while (!chat.step(p.chatChunk).done);
      const chatRun = performance.now() - chatBegin;
      chat.free();
      // The reasoner chapter's default round, its teacher's score measured once first (the
      // Worker keeps it per seed), as in speed.rs.
      const [reasonerFile, defencesFile] = ["data/reasoner-teacher.bpk", "data/reasoner-defences.csv"];
      const reasoner = new chatModule.WebReasoner(await bytes(reasonerFile), reasonerFile, await bytes(defencesFile), defencesFile);
      reasoner.start({ ...defaults, reasoner_steps: p.reasonerWarmUpRun });
      reasoner.step(p.reasonerWarmUpRun);
      reasoner.start(defaults);
      reasoner.step(p.reasonerWarmUp);
      const reasonerStep = rate(p.reasonerTimed, () => reasoner.step(p.reasonerTimed));
      const reasonerBegin = performance.now();
      reasoner.start(defaults);
      while (!reasoner.step(p.reasonerChunk).done);
      const reasonerRun = performance.now() - reasonerBegin;
      reasoner.free();
      self.postMessage({
        reasoner_step: reasonerStep,
        reasoner_run: { ms: reasonerRun },
        chat_step: chatStep,
        chat_run: { ms: chatRun },
        teacher_step: teacher,
        student_step: student,
        student_step_chunks: studentChunks,
        chunk: p.chunk,
        run: { ...reached, ms: total },
        init_ms: initMs,
      });
    } catch (err) {
      self.postMessage({ error: String(err?.stack ?? err) });
    }
  };
}

/** The message for `laneWorker`: lane `lane` of `lanes` of the default chat round. */
export function laneMessage(base, lane, lanes) {
  return { pkg: new URL("pkg/distill.js", base).href, protocol: PROTOCOL, lane, lanes };
}

/**
 * The Worker body for one lane of the default chat round, as the chat section plays it in
 * two Workers side by side (www/round-worker.js): a throw-away round of its lane first, then,
 * once every lane's Worker is ready (runInWorkers), its lane of the default round in calls of
 * `chatChunk`. Posts chat_lane_run (ms).
 */
export function laneWorker() {
  self.onmessage = async ({ data: { pkg, protocol: p, lane, lanes } }) => {
    try {
      const wasm = await import(pkg);
      await wasm.default();
      const defaults = wasm.parse_config("").config;
      // chatOfThePage is defined beside this body in the Worker (workerSource).
      const { chat } = await chatOfThePage(pkg);
      chat.start({ ...defaults, chat_steps: p.chatWarmUpRun }, lane, lanes);
      chat.step(p.chatWarmUpRun);
      await new Promise((go) => {
        self.onmessage = go;
        self.postMessage({ ready: true });
      });
      const begin = performance.now();
      chat.start(defaults, lane, lanes);
      while (!chat.step(p.chatChunk).done);
      self.postMessage({ chat_lane_run: { ms: performance.now() - begin } });
      chat.free();
    } catch (err) {
      self.postMessage({ error: String(err?.stack ?? err) });
    }
  };
}

/**
 * The Worker body for TensorFlow.js (tfjs-core with its gradients and the wasm backend with
 * SIMD, one thread), doing the page's steps: the same shapes (teacher 2-64-64-64-3, two
 * students 2-16-16-3), ReLU, batch 64 drawn at random from 1,200 points, Adam with the cosine
 * learning rate set every step, the teacher on cross-entropy, the distilled student on
 * 0.9·T²·KL(teacher ‖ student at T = 4) + 0.1·CE and the hard-label one on the same loss with
 * the soft weight 0, against the teacher's logits computed once. Every step reads its loss back,
 * as the page's trainer does to watch for divergence. Posts teacher_step and student_step
 * (steps/s, timed as `ourWorker` times them: one warm-up run, then warm-up steps, then the
 * timed steps) and init_ms. The message carries the bundle's source and the backend's binary in base64.
 */
export function tfjsWorker() {
  self.onmessage = async ({ data: { bundle, wasm, protocol: p } }) => {
    try {
      const start = performance.now();
      const url = (bytes, type) => URL.createObjectURL(new Blob([bytes], { type }));
      const { tf, setWasmPaths } = await import(url(bundle, "text/javascript"));
      const binary = Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0));
      // The flags below make the backend pick the SIMD binary; it insists on a path for all three.
      const simd = url(binary, "application/wasm");
      setWasmPaths({
        "tfjs-backend-wasm-simd.wasm": simd,
        "tfjs-backend-wasm.wasm": simd,
        "tfjs-backend-wasm-threaded-simd.wasm": simd,
      });
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
      tf.env().set("WASM_HAS_SIMD_SUPPORT", true);
      if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not start");
      await tf.ready();
      const initMs = performance.now() - start;

      const [n, k, batch, lr, temperature, softWeight] = [1200, 3, 64, 0.01, 4, 0.9];
      const points = tf.randomUniform([n, 2], -1, 1);
      const labels = tf.cast(tf.oneHot(tf.randomUniform([n], 0, k, "int32"), k), "float32");
      const mlp = (widths) =>
        widths.slice(1).map((out, i) => ({
          w: tf.variable(tf.randomNormal([widths[i], out], 0, Math.sqrt(2 / widths[i]))),
          b: tf.variable(tf.zeros([out])),
        }));
      const forward = (layers, x) =>
        layers.reduce((h, { w, b }, i) => {
          const z = tf.add(tf.matMul(h, w), b);
          return i < layers.length - 1 ? tf.relu(z) : z;
        }, x);
      const crossEntropy = (s, y) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(s)), 1)));
      const distillLoss = (s, t, y, weight) => {
        const [tT, sT] = [tf.div(t, temperature), tf.div(s, temperature)];
        const kl = tf.mean(tf.sum(tf.mul(tf.softmax(tT), tf.sub(tf.logSoftmax(tT), tf.logSoftmax(sT))), 1));
        const soft = tf.mul(kl, temperature * temperature);
        return tf.add(tf.mul(soft, weight), tf.mul(crossEntropy(s, y), 1 - weight));
      };
      const cosine = (step, steps) => lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(step / steps, 1)));
      const indices = () => {
        const idx = new Int32Array(batch);
        for (let i = 0; i < batch; i++) idx[i] = Math.floor(Math.random() * n);
        return tf.tensor1d(idx, "int32");
      };
      const update = (optimizer, layers, lossOf, rate) => {
        optimizer.learningRate = rate;
        const vars = layers.flatMap(({ w, b }) => [w, b]);
        const value = optimizer.minimize(lossOf, true, vars);
        const loss = value.dataSync()[0];
        value.dispose();
        if (!Number.isFinite(loss)) throw new Error(`the loss diverged: ${loss}`);
      };

      const run = (teacherSteps, studentSteps, timed) => {
        const teacher = mlp([2, 64, 64, 64, k]);
        const teacherOptimizer = tf.train.adam(lr);
        const teacherStep = (step) =>
          tf.tidy(() => {
            const idx = indices();
            const [x, y] = [tf.gather(points, idx), tf.gather(labels, idx)];
            update(teacherOptimizer, teacher, () => crossEntropy(forward(teacher, x), y), cosine(step, teacherSteps));
          });
        let step = 0;
        const rate = (steps, stepOnce) => {
          const begin = performance.now();
          for (let i = 0; i < steps; i++) stepOnce(step++);
          return steps / ((performance.now() - begin) / 1000);
        };
        for (; step < (timed ? p.teacherWarmUp : teacherSteps); step++) teacherStep(step);
        const teacherRate = timed ? rate(p.teacherTimed, teacherStep) : null;
        for (; step < teacherSteps; step++) teacherStep(step);

        const teacherLogits = tf.tidy(() => forward(teacher, points));
        const [distilled, hard] = [mlp([2, 16, 16, k]), mlp([2, 16, 16, k])];
        hard.forEach((layer, i) => (layer.w.assign(distilled[i].w), layer.b.assign(distilled[i].b)));
        const [distilledOptimizer, hardOptimizer] = [tf.train.adam(lr), tf.train.adam(lr)];
        const studentStep = (step) =>
          tf.tidy(() => {
            const idx = indices();
            const [x, y, t] = [tf.gather(points, idx), tf.gather(labels, idx), tf.gather(teacherLogits, idx)];
            const rate = cosine(step, studentSteps);
            update(distilledOptimizer, distilled, () => distillLoss(forward(distilled, x), t, y, softWeight), rate);
            update(hardOptimizer, hard, () => distillLoss(forward(hard, x), t, y, 0), rate);
          });
        step = 0;
        for (; step < (timed ? p.studentWarmUp : studentSteps); step++) studentStep(step);
        const studentRate = timed ? rate(p.studentTimed, studentStep) : null;
        for (const v of [teacher, distilled, hard].flat().flatMap(({ w, b }) => [w, b])) v.dispose();
        for (const o of [teacherOptimizer, distilledOptimizer, hardOptimizer]) o.dispose();
        teacherLogits.dispose();
        return { teacher_step: teacherRate, student_step: studentRate };
      };
      run(p.warmUpRun, p.warmUpRun, false);
      const rates = run(p.teacherSteps, p.studentSteps, true);
      self.postMessage({ ...rates, init_ms: initMs, backend: tf.getBackend(), tensors: tf.memory().numTensors });
    } catch (err) {
      self.postMessage({ error: String(err?.stack ?? err) });
    }
  };
}

/**
 * The default run (5,000 steps) in calls of `chunk` in a fresh module Worker on the page's
 * wasm, on a blank page of `base`'s origin: after a throw-away run of `warmUp` steps (half per
 * phase, in calls of 10, as playground/worker.js warms up) and a pause of `wait` ms; with
 * `post`, taking the snapshot and the probe and posting them every 33 ms as the page's Worker
 * does; with `duty` > 0, the main thread kept busy that share of every 30 ms by a loop. Returns
 * { ms, steps, per500 }: the run's time, its steps, and the time spent in the steps of each 500.
 */
export async function bareDefaultRun(browser, base, { warmUp = 0, wait = 2000, post = false, duty = 0 } = {}) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL("favicon.svg", base).href);
    const message = { pkg: new URL("pkg/distill.js", base).href, warmUp, wait, post, chunk: PROTOCOL.chunk };
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
            if (data.ms === undefined) return; // a posted snapshot
            busy = false;
            worker.terminate();
            resolve(data);
          };
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(message);
        }),
      { source: BARE_RUN, message, duty },
    );
  } finally {
    await context.close();
  }
}

/** The Worker body of `bareDefaultRun`. */
const BARE_RUN = `self.onmessage = async ({ data: { pkg, warmUp, wait, post, chunk } }) => {
  const wasm = await import(pkg);
  await wasm.default();
  if (warmUp) {
    const w = new wasm.WebTrainer({ teacher_steps: warmUp / 2, student_steps: warmUp / 2 });
    while (["teacher", "student"].includes(w.step(10).phase));
    w.free();
  }
  await new Promise((resolve) => setTimeout(resolve, wait));
  const run = new wasm.WebTrainer({});
  run.step(0);
  const calls = [];
  let m, last = 0;
  const begin = performance.now();
  do {
    const start = performance.now();
    m = run.step(chunk);
    calls.push(performance.now() - start);
    if (post && performance.now() - last >= 33) {
      const snapshot = run.snapshot();
      const point = m.phase === "teacher" ? null : run.least_sure_point();
      const probe = point ? run.probe(point[0], point[1]) : null;
      self.postMessage({ snapshot, probe, m });
      last = performance.now();
    }
  } while (m.phase === "teacher" || m.phase === "student");
  const ms = performance.now() - begin;
  const per500 = [];
  const calls500 = 500 / chunk;
  for (let i = 0; i < calls.length; i += calls500) per500.push(calls.slice(i, i + calls500).reduce((a, b) => a + b, 0));
  self.postMessage({ ms, steps: m.teacher_step + m.student_step, per500 });
};`;
