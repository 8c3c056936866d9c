// The page's number formats (www/format.js), checked in Node against values written out by
// hand: what a reader sees for a p-value, a duration, a bill.

import assert from "node:assert/strict";
import { test } from "node:test";
import { clip, count, dollars, duration, fixed, pValue, percent, wholePercent } from "../www/format.js";

test("p-values: two significant digits, powers of ten below 0.001", () => {
  assert.equal(pValue(0.5), "0.50");
  assert.equal(pValue(0.0173448), "0.017");
  assert.equal(pValue(0.00851), "0.0085");
  assert.equal(pValue(0.001), "0.0010");
  assert.equal(pValue(1.5e-6), "1.5 × 10⁻⁶");
  assert.equal(pValue(4.56e-4), "4.6 × 10⁻⁴");
  assert.equal(pValue(1.2e-17), "1.2 × 10⁻¹⁷");
  assert.equal(pValue(0), "< 10⁻³⁰⁰");
  assert.equal(pValue(null), "–");
});

test("fixed decimals: a value that rounds to zero has no minus sign", () => {
  assert.equal(fixed(-0.04, 1), "0.0");
  assert.equal(fixed(-0.06, 1), "-0.1");
  assert.equal(fixed(-0.0004, 3), "0.000");
  assert.equal(fixed(-0.4, 0), "0");
  assert.equal(fixed(-1.25, 2), "-1.25");
  assert.equal(fixed(2.345, 1), "2.3");
  assert.equal(fixed(null, 1), "–");
});

test("durations read like a clock", () => {
  assert.equal(duration(0), "0 s");
  assert.equal(duration(3.95), "4.0 s");
  assert.equal(duration(29.000000000000277), "29 s");
  assert.equal(duration(200), "3 min 20 s");
  assert.equal(duration(3600 + 5 * 60 + 7), "1 h 5 min");
  assert.equal(duration(3 * 86400 + 4 * 3600 + 59), "3 d 4 h");
  assert.equal(duration(null), "–");
});

test("money, counts and shares", () => {
  assert.equal(dollars(6), "$6.00");
  assert.equal(dollars(1.2000000476837158), "$1.20");
  assert.equal(dollars(1234.5), "$1,234.50");
  assert.equal(count(12000), "12,000");
  assert.equal(percent(0.9734), "97.3\u00a0%");
  assert.equal(wholePercent(0.5), "50\u00a0%");
  assert.equal(percent(null), "–");
});

test("notices quote at most 80 characters of a word, whole code points", () => {
  const long = "9".repeat(10_000);
  assert.equal(clip(`seed=${long} is not a number; using the default`), `seed=${"9".repeat(75)}… is not a number; using the default`);
  assert.equal(clip("noise=0.5 is above the maximum 0.3; using 0.3"), "noise=0.5 is above the maximum 0.3; using 0.3");
  assert.equal(clip("🙂".repeat(81)), `${"🙂".repeat(80)}…`);
  assert.equal(clip("x".repeat(80)), "x".repeat(80));
});
