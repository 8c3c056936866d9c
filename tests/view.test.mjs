// The view's part of the address (www/view.js), checked in Node: presenter mode, the embedded
// chapter, open sections and the probed point read back as written, with the knobs passed on
// untouched and every value the page cannot use named in a notice.

import assert from "node:assert/strict";
import { test } from "node:test";
import { CHAPTERS, splitAddress, viewQuery } from "../www/view.js";

const PLANE = [-1.25, 1.25, -1.25, 1.25];

test("the view keys come out of the address; the knobs stay, in their order", () => {
  const { view, rest, notices } = splitAddress("scenario=rings&presenter=on&seed=3&open=digits&probe=0.25,-0.5&embed=api", PLANE);
  assert.deepEqual(view, { presenter: true, embed: "api", open: ["digits"], probe: [0.25, -0.5] });
  assert.equal(rest, "scenario=rings&seed=3");
  assert.deepEqual(notices, []);
});

test("a view written and read back is the same view", () => {
  const view = { presenter: true, embed: "evidence", open: ["digits"], probe: [-0.123, 1.2] };
  const query = viewQuery(view);
  assert.equal(query, "presenter=on&embed=evidence&open=digits&probe=-0.123,1.2");
  assert.deepEqual(splitAddress(query, PLANE).view, view);
  assert.equal(viewQuery({ presenter: false, embed: null, open: [], probe: null }), "", "the default view adds nothing");
});

test("an unknown chapter is clamped to the first, aloud; so are bad sections and points", () => {
  const embed = splitAddress("embed=<b>nope</b>", PLANE);
  assert.equal(embed.view.embed, CHAPTERS[0].name);
  assert.equal(embed.notices.length, 1);
  assert.match(embed.notices[0], /^embed=<b>nope<\/b> is not a chapter \(playground, api, evidence, digits, chat, reasoner\); showing playground$/);

  const far = splitAddress("probe=9,-0.5", PLANE);
  assert.deepEqual(far.view.probe, [1.25, -0.5]);
  assert.match(far.notices[0], /probe=9,-0.5 lies outside the plane; using 1.25,-0.5/);

  for (const bad of ["probe=", "probe=1", "probe=a,b", "probe=1,2,3", "probe=NaN,0", "probe=,1"]) {
    const parsed = splitAddress(bad, PLANE);
    assert.equal(parsed.view.probe, null, bad);
    assert.match(parsed.notices[0], /is not a point "x,y"; ignored/, bad);
  }

  const open = splitAddress("open=digits,api", PLANE);
  assert.deepEqual(open.view.open, ["digits"]);
  assert.match(open.notices[0], /no section api to open/);

  const presenter = splitAddress("presenter=maybe", PLANE);
  assert.equal(presenter.view.presenter, false);
  assert.match(presenter.notices[0], /presenter=maybe is not on or off/);
  assert.equal(splitAddress("presenter", PLANE).view.presenter, true, "a bare key turns it on");
});

test("a view key given twice keeps its first value, with a notice; a long value is cut", () => {
  const { view, notices } = splitAddress("embed=api&embed=digits", PLANE);
  assert.equal(view.embed, "api");
  assert.match(notices[0], /embed appears more than once; the first \(embed=api\) is used and embed=digits ignored/);
  const long = splitAddress(`embed=${"A".repeat(10_000)}`, PLANE);
  assert.ok(long.notices[0].length < 200, `${long.notices[0].length} characters`);
});
