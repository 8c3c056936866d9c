// The sections that fetch their own files (the digits, the chatbot, the reasoner; section.js):
// scrolled near, they fetch them and start their Workers before they are opened, so that
// opening one fetches nothing more and it starts at once; a browser that asks to save data
// fetches a section's files only when it is opened.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, STUCK_MS, eventually, launch, openPage, openSection } from "./playground.mjs";

/** Each section's files, as the page requests them. */
const FILES = {
  digits: ["data/digits.bin", "data/digits-teacher.bpk"],
  chat: ["data/names.bin", "data/names-teacher.bpk", "data/chat-marks.csv", "pkg/chat_bg.wasm"],
  reasoner: ["data/reasoner-teacher.bpk", "data/reasoner-defences.csv"],
};

/** Opens the chatbot's section and waits until it has read its files (or shows an error). */
const openChat = (page) => openSection(page, "chat", () => document.getElementById("chat-status")?.textContent);

/** How many of `urls` are each of the sections' files, by file. */
function counted(urls) {
  const files = Object.values(FILES).flat();
  return Object.fromEntries(files.map((file) => [file, urls.filter((url) => new URL(url).pathname.endsWith(`/${file}`)).length]));
}

/** The URLs the page's requests downloaded (not taken from the browser's cache), as they end. */
function downloads(context) {
  const urls = [];
  context.on("requestfinished", async (request) => {
    if ((await request.sizes()).responseBodySize > 0) urls.push(request.url());
  });
  return urls;
}


test("a first visit fetches the first load that build.json counts; scrolled near, the sections download their files once, before they are opened; opened, the chatbot's asks for nothing more", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, context, requests } = await openPage(browser);
  const downloaded = downloads(context);
  const none = Object.fromEntries(Object.values(FILES).flat().map((file) => [file, 0]));
  assert.deepEqual(counted(requests), none, "nothing while far");
  // What `cargo xtask dist` counts as the first load is what a first visit fetches: each of
  // those files, and no other.
  const { first_load_files: firstLoad } = await (await fetch(new URL("build.json", BASE))).json();
  const fetched = () => new Set(requests.filter((url) => url.startsWith(BASE)).map((url) => url.slice(BASE.length).replace(/[?#].*$/, "") || "index.html"));
  await eventually(() => assert.deepEqual(firstLoad.filter((file) => !fetched().has(file)), [], "first-load files not fetched"), { timeout: STUCK_MS });
  assert.deepEqual([...fetched()].sort(), [...firstLoad].sort());
  await page.locator("#chat summary").scrollIntoViewIfNeeded();
  // Near: every file of the three sections (side by side on the page) is downloaded.
  await eventually(() => assert.ok(Object.values(counted(downloaded)).every((n) => n > 0), JSON.stringify(counted(downloaded))), { timeout: STUCK_MS });
  assert.equal(await page.locator("#chat-details").evaluate((details) => details.open), false, "still closed");
  assert.ok(await page.locator("#chat-body").isHidden(), "its body shown only once opened");

  const before = counted(requests);
  assert.equal((await openChat(page)).error, undefined);
  assert.ok(await page.locator("#chat-body").isVisible(), "its body shown");
  const chat = (counts) => FILES.chat.map((file) => counts[file]);
  assert.deepEqual(chat(counted(requests)), chat(before), "opening asked for nothing more");
  // Once each: the text Workers' module too, which the chatbot's and the reasoner's Workers
  // both load (the second from the browser's cache).
  assert.deepEqual(counted(downloaded), Object.fromEntries(Object.keys(none).map((file) => [file, 1])));
});

test("a browser that asks to save data fetches a section's files only when it is opened", { timeout: STUCK_MS + 60_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const saveData = () => Object.defineProperty(Navigator.prototype, "connection", { get: () => ({ saveData: true }) });
  const { page, requests } = await openPage(browser, { initScript: saveData });
  await page.locator("#chat summary").scrollIntoViewIfNeeded();
  assert.equal((await openChat(page)).error, undefined);
  assert.ok(await page.locator("#chat-body").isVisible(), "its body shown");
  // The digits and the reasoner were near all the while the chatbot loaded: nothing of theirs.
  const seen = counted(requests);
  const expected = Object.fromEntries(Object.entries(FILES).flatMap(([id, files]) => files.map((file) => [file, id === "chat" ? 1 : 0])));
  assert.deepEqual(seen, expected);
});
