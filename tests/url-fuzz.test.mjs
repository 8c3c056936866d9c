// Hostile addresses: every knob of the crate's table (read from the page, so a new knob is
// fuzzed too) set to values a careless or malicious link could carry, and malformed hashes.
// Whatever the address, the page starts, says which values it changed (and only those), shows
// no injected markup, keeps its notices inside the window, and Play trains.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STUCK_MS, hashParams, knobTable, launch, startOutcome, tab, trainAFew } from "./playground.mjs";

/** A value for every knob, by name: the same text for all, or one chosen per knob. */
const HOSTILE = {
  empty: () => "",
  NaN: () => "NaN",
  Infinity: () => "Infinity",
  "-1": () => "-1",
  "1e308": () => "1e308",
  "%00": () => "%00",
  markup: () => "<img src=x onerror=alert(1)>",
  "encoded markup": () => "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
  "10 kB": () => "A".repeat(10_240),
  unicode: () => "１２٣🙂e\u0301\u202e",
  min: (knob) => (knob.kind === "choice" ? knob.choices[0] : String(knob.min)),
  max: (knob) => (knob.kind === "choice" ? knob.choices.at(-1) : String(knob.max)),
  "past min": (knob) => (knob.kind === "choice" ? "-1" : String(knob.log ? knob.min / 10 : knob.min - Math.max(knob.step, 1e-3))),
  "past max": (knob) =>
    knob.kind === "choice" ? String(knob.choices.length) : String(knob.log ? knob.max * 10 : knob.max + Math.max(knob.step, 1e-3)),
};

/** Addresses no parser should choke on, and what their notices must mention. */
const MALFORMED = [
  { hash: "&&&", mentions: [] },
  { hash: "=", mentions: [] },
  { hash: "seed", mentions: ["seed"] },
  { hash: "%E0%A4%A", mentions: [] },
  { hash: "seed=3&seed=5", mentions: ["seed"], seed: 3 },
  { hash: "seed=3&seed=abc", mentions: ["seed"], seed: 3 },
];

/** A notice about a key says so with the key as a whole word ("samples", not "student_samples"). */
function mentions(notice, key) {
  return new RegExp(`(^|[^A-Za-z0-9_])${key}([^A-Za-z0-9_]|$)`).test(notice);
}

/** Whether the page kept `given` for `knob` as it is: `effective` (a string) is the same value. */
function kept(knob, given, effective) {
  if (knob.kind === "choice") return given === effective;
  return given.trim() !== "" && Number.isFinite(Number(given)) && Number(given) === Number(effective);
}

/**
 * Loads the page afresh with `hash` in `lane` (a `fuzzTab`); returns the lane with how the
 * page started (`outcome`) and what went wrong (`problems`: console errors, page errors,
 * dialogs: an alert() would mean injected script ran).
 */
async function open(lane, hash) {
  await lane.visit(hash, { ready: false });
  const outcome = await startOutcome(lane.page);
  return { ...lane, outcome };
}

/**
 * A tab to visit the page in, its problems counting a dialog too (the page must never open
 * one, whatever the address).
 */
async function fuzzTab(browser) {
  const lane = await tab(browser);
  lane.page.on("dialog", (dialog) => {
    lane.problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  return lane;
}

/** The notices shown, their box and Dismiss button, and whether anything was injected. Runs in the page. */
function inspectPage() {
  const box = (selector) => {
    const rect = document.querySelector(selector).getBoundingClientRect();
    return { left: rect.left, right: rect.right, width: rect.width };
  };
  return {
    notices: document.querySelector("[data-testid=notices]").hidden
      ? []
      : [...document.querySelectorAll("[data-testid=notices] li")].map((li) => li.textContent),
    noticeBox: box("[data-testid=notices]"),
    dismiss: box("#notices-dismiss"),
    viewport: document.documentElement.clientWidth,
    pageWidth: document.documentElement.scrollWidth,
    injected: [...document.querySelectorAll("img, [onerror]")].map((element) => element.outerHTML.slice(0, 80)),
  };
}

test("every knob at once set to each hostile value: the page starts, says what it changed, and trains", { timeout: 600_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const lane = await fuzzTab(browser);
  const knobs = await knobTable((await open(lane, "")).page);
  assert.ok(knobs.length >= 20, `the knob table has ${knobs.length} knobs`);

  for (const [name, value] of Object.entries(HOSTILE)) {
    await t.test(name, async () => {
      const given = new Map(knobs.map((knob) => [knob.key, value(knob)]));
      const hash = [...given].map(([key, v]) => `${key}=${v}`).join("&");
      const { page, problems, outcome } = await open(lane, hash);
      assert.equal(outcome.loadError, null, "the page starts");
      assert.equal(outcome.stopped, null, "the trainer accepts the settings");
      const seen = await page.evaluate(inspectPage);
      const canonical = hashParams(await page.evaluate(() => location.hash));
      for (const knob of knobs) {
        const effective = canonical[knob.key] ?? String(knob.default);
        const changed = !kept(knob, given.get(knob.key), effective);
        const told = seen.notices.some((notice) => mentions(notice, knob.key));
        assert.equal(told, changed, `${knob.key}=${given.get(knob.key).slice(0, 40)} → ${effective}: ${changed ? "changed without a notice" : "a notice for a value kept"}; notices: ${JSON.stringify(seen.notices.map((n) => n.slice(0, 120)))}`);
      }
      for (const notice of seen.notices) assert.ok(notice.length < 400, `a notice is cut: ${notice.length} characters`);
      assert.deepEqual(seen.injected, [], "no injected element");
      assert.ok(seen.pageWidth <= seen.viewport, `the page is ${seen.pageWidth} px wide in a ${seen.viewport} px window`);
      if (seen.notices.length) {
        assert.ok(seen.noticeBox.right <= seen.viewport, `the notice box ends at ${seen.noticeBox.right} px`);
        assert.ok(seen.dismiss.width > 0 && seen.dismiss.right <= seen.viewport, `Dismiss is in view: ${JSON.stringify(seen.dismiss)}`);
      }
      // The Worker takes a step under what the page made of the address; every knob at one
      // end together trains teacher, students and a thief natively (crate/tests/knobs.rs).
      const trained = await trainAFew(page, { teacherSteps: 1 });
      assert.equal(trained.stopped?.startsWith("The trainer stopped") ? trained.stopped : null, null, "no trainer error");
      assert.deepEqual(problems, []);
    });
  }
});

test("malformed hashes: the page starts, trains, and a repeated key keeps its first value with a notice", { timeout: 2 * STUCK_MS }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const lane = await fuzzTab(browser);
  for (const { hash, mentions: keys, seed } of MALFORMED) {
    await t.test(`#${hash}`, async () => {
      const { page, problems, outcome } = await open(lane, hash);
      assert.equal(outcome.loadError, null, "the page starts");
      assert.equal(outcome.stopped, null, "the trainer starts");
      const { notices, injected } = await page.evaluate(inspectPage);
      for (const key of keys) {
        assert.ok(notices.some((notice) => mentions(notice, key)), `a notice mentions ${key}: ${JSON.stringify(notices)}`);
      }
      if (seed !== undefined) {
        // The rule for a repeated key: the first occurrence wins, later ones are ignored aloud.
        assert.equal(Number(await page.getByTestId("knob-seed").inputValue()), seed, "the first seed is used");
        assert.ok(
          notices.some((notice) => mentions(notice, "seed") && /more than once|twice|repeated|duplicate|again/i.test(notice)),
          `a notice says seed appears more than once: ${JSON.stringify(notices)}`,
        );
      }
      assert.deepEqual(injected, []);
      const trained = await trainAFew(page);
      assert.equal(trained.stopped, null, "no trainer error");
      assert.deepEqual(problems, []);
    });
  }
});
