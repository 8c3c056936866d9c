// Numbers index.html writes by hand that only the shipped files can confirm, checked against
// those files in Node (no browser): the digits section's download sizes. The chatbot's are
// checked in tests/chat.test.mjs; the digits' introduction (the teacher's shape and
// parameters, the split, its runner-up classes) is rewritten from the loaded files at run
// time and checked against index.html in tests/digits.test.mjs.

import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { test } from "node:test";

const WWW = new URL("../www/", import.meta.url);
const html = readFileSync(new URL("index.html", WWW), "utf8");

/** A file's size as the page writes it (section.js's kb): kibibytes, rounded, thousands separated. */
function kb(file) {
  return `${Math.round(statSync(new URL(file, WWW)).size / 1024).toLocaleString("en")} KB`;
}

/** The text of the element with id `id` in index.html, tags left out. */
function textOf(id) {
  const match = html.match(new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  assert.ok(match, `index.html has #${id}`);
  return match[2].replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
}

test("the digits section's download sizes are the files'", () => {
  assert.equal(
    textOf("digits-status"),
    `Opening this section downloads the digits (${kb("data/digits.bin")}) and the teacher’s weights (${kb("data/digits-teacher.bpk")}).`,
  );
});
