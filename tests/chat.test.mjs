// The "Distil a chatbot" section: nothing is downloaded until it is opened or near; it loads
// the names and the teacher with a progress bar (its worker fetches the language models'
// module of its own), runs a short round in its worker, and shows
// names from the API and from every thief's student, each letter marked green or red, with a
// verdict per student built from the numbers, the round split between two Workers ending as
// one Worker's; its knobs restart its round, never the
// playground's; a marks file cut at a line's end is named, with why (every file's other faults:
// file-faults.test.mjs). Screenshots at 1280 and 390 wide go to TEST_OUTPUT.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { TASK_CPU_LIMIT_MS, describeTasks, traceMainThread } from "./main-thread.mjs";
import { BASE, OUTPUT, STUCK_MS, eventually, frames, launch, openPage, openSection, waitForInk, waitInPage } from "./playground.mjs";

const NAMES = "data/names.bin";
const WEIGHTS = "data/names-teacher.bpk";
const MARKS = "data/chat-marks.csv";

/** A short round (and a short playground run, so that it is finished when the round starts). */
const SHORT = "teacher_steps=300&student_steps=400&chat_steps=60&chat_budget=3000";

/** The access levels of the five thieves, and the cards of samples: the API's, then theirs. */
const ACCESS = ["full", "spread", "renormalised", "text", "corpus"];
const CARDS = ["api", ...ACCESS];

/** What the section shows, for failure messages. Runs in the page. */
function chatSummary() {
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
  const root = document.querySelector("[data-testid=chat-details]");
  return JSON.stringify({
    open: root?.open,
    done: root?.dataset.done,
    step: root?.dataset.step,
    workerRunning: root?.dataset.workerRunning,
    status: text("chat-status"),
    error: text("chat-error"),
    run: text("chat-run-status"),
    notices: text("notices"),
  });
}

/** Opens the section and waits until its files are read (or an error shows). */
const openChat = (page) => openSection(page, "chat", chatSummary);

/** Waits until the round is done; returns the step it ended on. */
function roundDone(page) {
  return waitInPage(
    page,
    () => {
      const root = document.querySelector("[data-testid=chat-details]");
      return root.dataset.done === "true" && root.dataset.step;
    },
    { timeout: STUCK_MS, describe: chatSummary },
  );
}

/** The byte size of `file` as the server sends it. */
async function sizeOf(file) {
  const response = await fetch(BASE + file);
  assert.ok(response.ok, `${file}: ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

test("the chatbot's files are fetched only once the section opens or comes near; a round shows every model's names and every student's verdict", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems, requests } = await openPage(browser, { hash: SHORT });
  const fetched = () => requests.filter((url) => /data\/(names|chat-marks)/.test(url));
  const code = () => requests.filter((url) => url.includes("pkg/chat"));
  assert.deepEqual([...fetched(), ...code()], [], "nothing of the chatbot while the section is closed and far");
  assert.doesNotMatch((await page.getByTestId("notices").textContent()) ?? "", /chat_/, "the short round's settings are taken as they are");

  // The sizes the closed section announces are the files' own.
  const [names, weights] = [await sizeOf(NAMES), await sizeOf(WEIGHTS)];
  const announced = (await page.getByTestId("chat-status").textContent()).match(/names \(([\d,]+) KB\), the teacher’s weights \(([\d,]+) KB\)/);
  assert.ok(announced, await page.getByTestId("chat-status").textContent());
  assert.deepEqual(announced.slice(1).map((n) => Number(n.replace(/,/g, ""))), [names, weights].map((b) => Math.round(b / 1024)));

  const loaded = await openChat(page);
  assert.ok(!loaded.error, `the section loads: ${loaded.error}`);
  assert.equal(fetched().length, 3, `the three files, once each: ${fetched().join(", ")}`);
  // The worker's own module (downloaded once, whichever text Workers load it: sections.test).
  assert.deepEqual([...new Set(code().map((url) => new URL(url).pathname.split("/").pop()))].sort(), ["chat.js", "chat_bg.wasm"], "the worker's own module");
  assert.equal(loaded.bytes, names + weights + (await sizeOf(MARKS)), "the bytes of names.bin, names-teacher.bpk and chat-marks.csv");
  assert.ok(await page.getByTestId("chat-loading").isHidden(), "the progress bar goes once loaded");
  assert.match(await page.getByTestId("chat-loaded").textContent(), /^Loaded [\d,]+ KB in \d+\.\d s\.$/);

  // The chat knobs sit in the section's own form, not in the page's settings.
  for (const key of ["chat_budget", "chat_k", "chat_price", "chat_rate", "chat_watermark", "chat_delta", "chat_test", "chat_student", "chat_steps"]) {
    assert.equal(await page.locator(`#chat-knobs [data-knob=${key}]`).count(), 1, `${key} in the chat section`);
    assert.equal(await page.locator(`#knobs [data-knob=${key}]`).count(), 0, `${key} not in the page's settings`);
  }

  // Every outcome the section shows is one round's, wherever its lanes are: no student's
  // curve runs ahead of the tokens bought.
  await page.evaluate(async () => {
    const { shownChat } = await import("./chat/chat.js");
    const ahead = (window.__ahead = []);
    new MutationObserver(() => {
      const o = shownChat().outcome;
      for (const t of o?.thieves ?? []) if ((t.points.at(-1)?.tokens ?? 0) > o.tokens) ahead.push(`${t.access} at ${t.points.at(-1).tokens} of ${o.tokens} tokens, step ${o.step}`);
    }).observe(document.querySelector("[data-testid=chat-details]"), { attributes: true, attributeFilter: ["data-step"] });
  });

  // The round trains in the worker: the main thread only draws, in tasks short in CPU.
  let lastStep;
  const tasks = await traceMainThread(browser, page, async () => {
    lastStep = await roundDone(page);
  });
  const { cpu, text } = describeTasks(tasks);
  t.diagnostic(`while the round ran: ${text}`);
  assert.ok(cpu.cpu <= TASK_CPU_LIMIT_MS, `a main-thread task took ${cpu.cpu.toFixed(0)} ms of CPU: ${text}`);
  assert.equal(lastStep, "60", "the round ran the hash's 60 steps");
  assert.deepEqual(await page.evaluate(() => window.__ahead), [], "a curve ahead of the tokens bought");

  // Where there are two cores, the section's Worker trains half the thieves and a partner the
  // rest (round-worker.js); the round they put together is the round one Worker plays alone.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const lanes = page.workers().filter((w) => w.url().endsWith("chat/worker.js#partner")).length;
  assert.equal(lanes, cores >= 2 ? 1 : 0, `a partner Worker where there are two cores (${cores})`);
  // (The reference round runs on the test's page itself: its policy allows no other Worker.)
  const [played, alone] = await page.evaluate(async (files) => {
    const config = (await import("./playground/playground.js")).settings();
    const wasm = await import("./pkg/chat.js");
    await wasm.default();
    const bytes = await Promise.all(files.map(async (f) => new Uint8Array(await (await fetch(f)).arrayBuffer())));
    const chat = new wasm.WebChat(...bytes.flatMap((b, i) => [b, files[i]]));
    chat.start(config);
    let outcome;
    do outcome = chat.step(100);
    while (!outcome.done);
    chat.free();
    return [(await import("./chat/chat.js")).shownChat().outcome, outcome];
  }, [NAMES, WEIGHTS, MARKS]);
  const { thieves, ...shared } = played;
  const { thieves: aloneThieves, ...aloneShared } = alone;
  assert.deepEqual(shared, aloneShared, "the figures every thief shares");
  assert.deepEqual(thieves, aloneThieves, "every thief's points, names and verdicts");
  await waitForInk(page, "chat-nll");
  await waitForInk(page, "chat-kl");
  await waitForInk(page, "chat-marks");

  // Counters: tokens bought of the budget, a bill, a simulated time.
  const tokens = (await page.getByTestId("chat-tokens").textContent()).match(/^([\d,]+) of ([\d,]+)$/);
  assert.ok(tokens, await page.getByTestId("chat-tokens").textContent());
  const [bought, budget] = tokens.slice(1).map((n) => Number(n.replace(/,/g, "")));
  assert.equal(budget, 3000);
  assert.ok(bought > 0 && bought <= budget, `${bought} of ${budget}`);
  assert.match(await page.getByTestId("chat-bill").textContent(), /^\$\d[\d,]*\.\d\d$/);
  assert.match(await page.getByTestId("chat-time").textContent(), /^\d/);

  // Every model writes names (a student may also end one at once: an empty name), each mark
  // coloured, as many marks as letters plus the end.
  for (const card of CARDS) {
    const items = page.locator(`[data-testid=chat-samples-${card}] li[data-name]`);
    const samples = await items.evaluateAll((lis) =>
      lis.map((li) => ({ name: li.dataset.name, marks: li.querySelectorAll(".chat-green, .chat-red").length, said: li.querySelector(".visually-hidden").textContent })),
    );
    assert.ok(samples.some((s) => s.name.length > 0), `${card} writes names: ${JSON.stringify(samples)}`);
    for (const s of samples) {
      assert.match(s.name, /^[a-z]*$/, `${card}: letters only`);
      assert.equal(s.marks, s.name.length + 1, `${card}: ${s.name} has a mark per letter and one for its end`);
      assert.match(s.said, /: \d+ of \d+ marks green$/, s.said);
    }
  }

  // A verdict per student, the table and the sentences saying the same.
  const rows = await page.locator("#chat-verdict-rows tr").evaluateAll((trs) =>
    trs.map((tr) => ({ access: tr.dataset.access, cells: [...tr.children].map((cell) => cell.textContent) })),
  );
  assert.deepEqual(rows.map((r) => r.access), ACCESS, JSON.stringify(rows));
  const lines = await page.locator("[data-testid=chat-verdict-lines] li").allTextContents();
  assert.equal(lines.length, ACCESS.length);
  rows.forEach(({ cells }, i) => {
    const [name, green, z, p, caught, wrongP] = cells;
    assert.match(green, /^\d+\s% of [\d,]+$/, `${name}: ${green}`);
    assert.match(caught, /^(yes|no)$/);
    const [share, scored] = green.split(" of ");
    assert.ok(
      lines[i].startsWith(`${name}: ${share} of ${scored} letters green, z = ${z}, p = ${p} — ${caught === "yes" ? "caught" : "not caught"}; a wrong key: p = ${wrongP}`),
      `${lines[i]} / ${cells}`,
    );
  });

  // The honest user's cost, three ways, is this round's API's; the marks chart's text
  // alternative gives each measured curve and this round's point, the text-only copy's z.
  const o = await page.evaluate(async () => (await import("./chat/chat.js")).shownChat().outcome);
  const fixed = (x, digits) => x.toFixed(digits);
  const cost = await page.getByTestId("chat-cost").textContent();
  assert.ok(o.cost.names > 0 && o.cost.kl > 0, JSON.stringify(o.cost));
  assert.match(cost, new RegExp(`on the ${o.cost.names.toLocaleString("en-US")} names it wrote: KL ${fixed(o.cost.kl, 3)} nats a letter .*NLL of them ${fixed(o.cost.nll, 3)} nats a letter \\(unmarked: \\d\\.\\d{3}\\); ${Math.round(100 * o.cost.distinct)}\\s% of them distinct\\.`), cost);
  const textThief = o.thieves.find((t) => t.access === "text");
  const label = await page.getByTestId("chat-marks").getAttribute("aria-label");
  for (const curve of ["Green list, every position: δ 0, KL 0.000", "green list, distinct pairs: δ 0", "ADFP, every position: λ", "ADFP with the proxy shuffled: λ"]) {
    assert.ok(label.includes(curve), `${curve} in: ${label}`);
  }
  assert.ok(label.endsWith(`This round: KL ${fixed(o.cost.kl, 3)}, z ${fixed(textThief.verdict.z, 1)}.`), label);
  assert.equal(await page.getByTestId("chat-play").textContent(), "Run again");

  await page.locator("#chat").screenshot({ path: join(OUTPUT, "chat-1280.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await frames(page); // what the resize redraws and lays out
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow} px too wide)`);
  await page.locator("#chat").screenshot({ path: join(OUTPUT, "chat-390.png") });
  assert.deepEqual(problems, [], "console errors or page errors");
});

test("Pause holds the chat round; a chat knob then starts a new round, held until Play, and leaves the playground's run alone", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  // A round far longer than it takes to pause it (its end is the first test's).
  const { page, problems } = await openPage(browser, { hash: `${SHORT.replace("chat_steps=60", "chat_steps=2000")}&open=chat` });
  await page.getByTestId("play").click();
  await waitInPage(page, () => Number(document.querySelector("[data-testid=chat-details]").dataset.step) > 0, { timeout: STUCK_MS, describe: chatSummary });
  await page.getByTestId("chat-play").click();
  // The page marks itself paused at once; the step it holds is the one the Worker posts once it has read the Pause.
  await waitInPage(page, () => document.querySelector("[data-testid=chat-details]").dataset.workerRunning === "false", { timeout: STUCK_MS, describe: chatSummary });
  assert.equal(await page.getByTestId("chat-play").textContent(), "Play");
  const held = Number(await page.getByTestId("chat-details").getAttribute("data-step"));
  assert.ok(held > 0 && held < 2000, `paused before the end, at step ${held}`);
  await waitInPage(page, () => document.documentElement.dataset.phase === "done", { timeout: STUCK_MS });
  assert.equal(Number(await page.getByTestId("chat-details").getAttribute("data-step")), held, "the round holds");
  const before = await page.evaluate(async () => (await import("./playground/playground.js")).shown().metrics.student_step);

  // Another k: the knob's smallest value, committed as a reader would (a "change").
  await page.evaluate(() => {
    const input = document.querySelector("#chat-knobs [data-knob=chat_k]");
    const value = input.tagName === "SELECT" ? input.options[0].value : input.min;
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // A new round, from its start, held like the one it replaces until the reader plays it.
  await waitInPage(page, () => document.querySelector("[data-testid=chat-details]").dataset.step === "0", { timeout: STUCK_MS, describe: chatSummary });
  assert.equal(await page.getByTestId("chat-details").getAttribute("data-running"), "false");
  await page.getByTestId("chat-play").click();
  await waitInPage(page, () => Number(document.querySelector("[data-testid=chat-details]").dataset.step) > 0, { timeout: STUCK_MS, describe: chatSummary });
  assert.match(page.url(), /chat_k=/, "the address keeps the new k");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.phase), "done", "the playground's run is untouched");
  const after = await page.evaluate(async () => (await import("./playground/playground.js")).shown().metrics.student_step);
  assert.equal(after, before, "the playground did not restart");
  assert.ok(await page.getByTestId("discard").isHidden(), "nothing of the playground to discard");
  assert.deepEqual(problems, [], "console errors or page errors");
});

test("a chat-marks.csv cut at a line's end (a file that still parses) is named, with why", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page } = await openPage(browser);
  await page.route(`**/${MARKS}`, async (route) => {
    const bytes = await (await route.fetch()).body();
    return route.fulfill({ status: 200, contentType: "text/csv", body: bytes.subarray(0, bytes.lastIndexOf(10, bytes.length - 2) + 1) });
  });
  const result = await openChat(page);
  assert.ok(result.error, `an error shows: ${JSON.stringify(result)}`);
  // The first words show at once; the details follow once faults.js has looked at the file.
  const expected = /^data\/chat-marks\.csv is damaged or incomplete\. What to do: .*Details.*incomplete: .* seeds/;
  await eventually(async () => assert.match(await page.getByTestId("chat-error").textContent(), expected), { timeout: STUCK_MS });
  assert.ok(await page.getByTestId("chat-body").isHidden(), "no half-working section");
});
