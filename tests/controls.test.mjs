// The controls an educator drives: keys, Step, and "Keep teacher, retrain students", which
// (like any student-only knob) must not retrain the teacher.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STUCK_MS, clickMap, launch, openPage, pageSummary, trainTeacher, waitForInk, waitInPage } from "./playground.mjs";

const progress = (page, who) => page.getByTestId(`${who}-progress`).evaluate((bar) => ({ value: bar.value, max: bar.max }));
const isRunning = (page) => page.evaluate(() => document.documentElement.dataset.running === "true");

test("Space plays and pauses, → steps, R resets; keys typed into a control are left alone", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  await page.locator("h1").click(); // focus on the page, not on a control

  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector("[data-testid=teacher-progress]").value > 0);
  const afterStep = (await progress(page, "teacher")).value;
  assert.ok(afterStep > 0, "a step advanced the teacher");
  assert.equal(await isRunning(page), false, "a step does not start playing");

  await page.keyboard.press(" ");
  await page.waitForFunction(() => document.documentElement.dataset.running === "true");
  await page.waitForFunction((v) => document.querySelector("[data-testid=teacher-progress]").value > v, afterStep);
  await page.keyboard.press(" ");
  await page.waitForFunction(() => document.documentElement.dataset.running === "false");

  await page.keyboard.press("r");
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher" && document.querySelector("[data-testid=teacher-progress]").value === 0);

  // Space on a slider belongs to the slider: it must not start training.
  await page.getByTestId("knob-temperature").focus();
  await page.keyboard.press(" ");
  assert.equal(await isRunning(page), false, "Space on a slider left training alone");
  assert.deepEqual(problems, []);
});

test("once the teacher is trained, retraining the students (or changing T) keeps it", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const probe = await openPage(browser);
  const fewest = await probe.page.getByTestId("knob-teacher_steps").getAttribute("min");
  await probe.context.close();

  const { page, problems } = await openPage(browser, { hash: `teacher_steps=${fewest}` });
  assert.equal(await page.getByTestId("retrain").isDisabled(), true, "disabled while the teacher is untrained");
  await page.getByTestId("play").click();
  await waitInPage(page, () => ["student", "done"].includes(document.documentElement.dataset.phase), {
    timeout: STUCK_MS,
    describe: pageSummary,
  });
  await page.getByTestId("play").click(); // pause
  await page.waitForFunction(() => document.documentElement.dataset.running === "false");
  assert.equal(await page.getByTestId("retrain").isEnabled(), true);

  // Change the temperature by keyboard on its slider: a "student" knob.
  const before = await page.evaluate(() => location.hash);
  await page.getByTestId("knob-temperature").focus();
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction((h) => location.hash !== h, before);
  await page.waitForFunction(() => document.documentElement.dataset.phase);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.phase), "student", "still past the teacher");
  const teacher = await progress(page, "teacher");
  assert.equal(teacher.value, teacher.max, "the teacher stays trained");
  assert.equal((await progress(page, "student")).value, 0, "the students start over");

  await page.getByTestId("retrain").click();
  await page.waitForFunction(() => document.documentElement.dataset.phase === "student" && document.documentElement.dataset.running === "true");
  const again = await progress(page, "teacher");
  assert.equal(again.value, again.max, "the teacher stays trained");
  assert.deepEqual(problems, []);
});

test("a click on a map probes the point under it (y grows upward) and draws its probabilities", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  const where = page.getByTestId("probe-where");
  const read = async () => (await where.textContent()).match(/x = (-?[\d.]+), y = (-?[\d.]+)/).slice(1).map(Number);

  await clickMap(page, "hard", 0.5, 0.5);
  const [cx, cy] = await read();
  assert.ok(Math.abs(cx) < 0.1 && Math.abs(cy) < 0.1, `the centre of the plane is (0, 0): (${cx}, ${cy})`);

  await clickMap(page, "teacher", 0.25, 0.25); // upper left quarter
  const [x, y] = await read();
  assert.ok(x < 0 && y > 0, `upper left is x < 0, y > 0: (${x}, ${y})`);
  assert.ok(Math.abs(x + y) < 0.1, `a quarter in from both edges: (${x}, ${y})`);

  // The probe's bars are drawn (some ink on the canvas) once the worker has answered.
  await page.waitForFunction(() => {
    const canvas = document.querySelector("[data-testid=probe]");
    if (canvas.hidden || !canvas.width) return false;
    const pixels = new Uint32Array(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    return pixels.some((p) => p !== pixels[0]);
  });
  assert.deepEqual(problems, []);
});

test("once the teacher is trained, the probe opens where it is least sure, until a click moves it", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { hash: "teacher_steps=300&student_steps=300" });
  const where = page.getByTestId("probe-where");
  assert.equal(await where.isHidden(), true, "no probe before the teacher has trained");
  await trainTeacher(page);
  await page.waitForFunction(() => /least sure/.test(document.querySelector("[data-testid=probe-where]").textContent));
  await waitForInk(page, "probe");
  await clickMap(page, "teacher", 0.5, 0.5);
  await page.waitForFunction(() => !/least sure/.test(document.querySelector("[data-testid=probe-where]").textContent));
  assert.match(await where.textContent(), /^At x = -?0\.0\d, y = -?0\.0\d$/);
  assert.deepEqual(problems, []);
});

test("each knob restarts what its table entry says: speed nothing, the dataset everything", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  await page.getByTestId("step").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=teacher-progress]").value > 0);
  const stepped = (await progress(page, "teacher")).value;

  await page.getByTestId("knob-speed").focus();
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => location.hash.includes("speed="));
  const speed = Number(await page.getByTestId("knob-speed").inputValue());
  await page.getByTestId("step").click(); // a step at the new speed, on the same trainer
  await page.waitForFunction((v) => document.querySelector("[data-testid=teacher-progress]").value > v, stepped);
  assert.equal((await progress(page, "teacher")).value, stepped + speed, "the teacher kept its steps and took `speed` more");

  await page.getByTestId("knob-scenario").selectOption("rings");
  await page.waitForFunction(() => location.hash.includes("scenario=rings"));
  await page.waitForFunction(() => document.documentElement.dataset.phase === "teacher");
  assert.equal((await progress(page, "teacher")).value, 0, "a new dataset starts the teacher over");
  assert.deepEqual(problems, []);
});
