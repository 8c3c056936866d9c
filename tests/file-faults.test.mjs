// Every file the page loads (found by loading it, then opening the sections that load files of
// their own, the digits, the chatbot and the reasoner, and the guided tour, which loads when it
// opens, so a new file is covered too), broken the ways hosts break files: missing, an HTML
// page in its place, cut short, damaged, served with the wrong type; and all of them slow. The
// page never hangs silently: it either works or shows a message that names the file, in the
// box of the part that needed it, and says what is wrong with it.
//
// Files the page loads the same way (as it starts or as the same section opens, fetched the
// same way by the browser, the same kind of file) share the code that reports their faults, so
// they are broken in turn: each file one way at least, each group every way (see `dealt`).
// Each faulted page is loaded afresh in one of a few tabs, as a reader reloading would.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE, STUCK_MS, launch, tab } from "./playground.mjs";

/**
 * The sections that fetch files when opened: their `<details>`, each with its error box. A
 * fault in a file the page loads as it starts is tried with none opened; one in a file that
 * only a section loads, with that section opened.
 */
const SECTIONS = ["digits", "chat", "reasoner"];
/** What else loads files when opened: the guided tour, opened by its button, with its error box. */
const PARTS = [...SECTIONS, "tour"];
/** Where the page says what went wrong: its start, a part's box, the trainer's. */
const MESSAGES = ["load-error", ...PARTS.map((id) => `${id}-error`), "divergence"];

/**
 * What each fault must lead to for a file: "message" (naming the file), or "either" (a message,
 * or a page that works as if nothing happened: a type the browser tolerates, a stylesheet that
 * loses a rule). Damaged data must be caught by its checksum. `says` is what a line of the
 * message that names the file says of it, so that a reader knows what to do (the first line to
 * name a file blames it: a script that imports a broken one names that one).
 */
const FAULTS = {
  404: {
    expect: () => "message",
    fulfil: () => ({ status: 404, contentType: "text/plain", body: "Not Found" }),
    says: (file) => new RegExp(`^${escaped(file)} did not load: the server answered 404\\b.* What to do: `),
  },
  "HTML in its place": {
    expect: () => "message",
    fulfil: (_body, page) => ({ status: 200, contentType: "text/html; charset=utf-8", body: page }),
    says: (file) => new RegExp(`^${escaped(file)} did not load: the server sent a web page in its place \\(a wrong path, or a fallback that serves index\\.html`),
  },
  truncated: {
    expect: () => "message",
    fulfil: (body, _page, type) => ({ status: 200, contentType: type, body: body.subarray(0, body.length >> 1) }),
    says: damaged,
  },
  corrupted: {
    expect: (file) => (file.endsWith(".css") ? "either" : "message"),
    fulfil: (body, _page, type, file) => ({ status: 200, contentType: type, body: corrupt(body, file) }),
    says: damaged,
  },
  "wrong type": {
    expect: () => "either",
    fulfil: (body) => ({ status: 200, contentType: "text/plain", body }),
    says: (file) => new RegExp(`^${escaped(file)} was refused: the server sends it as text/plain`),
  },
};

/** `file` as a regular expression matching it alone. */
function escaped(file) {
  return file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * What a message says of a damaged `file`: that it, a dynamic import's pair of files it is one
 * of, or a Worker's script or the scripts that Worker imports (it cannot tell which), is damaged.
 */
function damaged(file) {
  const name = escaped(file);
  const imported = `The worker script \\S+, or a script it imports \\([^)]*(?<![\\w/.-])${name}(?![\\w/.-])[^)]*\\),`;
  return new RegExp(`^(?:${name}|\\S+ or ${name}|${name} or \\S+|The worker script ${name}, or a script it imports \\([^)]*\\),|${imported}) is damaged\\b`);
}

/** Without these the page works, only less watched; a fault in them may go unreported. */
const OPTIONAL = new Set(["startup.js"]);

/**
 * `body` with bytes overwritten where they matter: the start of a text file (its first
 * token), the middle of a wasm module's code section, the middle of a data file.
 */
function corrupt(body, file) {
  const out = Buffer.from(body);
  let [start, length] = [Math.floor(out.length / 2), 256];
  if (file.endsWith(".js") || file.endsWith(".css")) [start, length] = [0, 16];
  if (file.endsWith(".wasm")) {
    const code = wasmSection(out, 10);
    [start, length] = [code.start + Math.floor(code.size / 2), 256];
  }
  out.fill(0xff, start, Math.min(start + length, out.length));
  return out;
}

/** The body offset and size of section `id` of a wasm module. */
function wasmSection(bytes, id) {
  let at = 8;
  const leb = () => {
    let [value, shift] = [0, 0];
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const sectionId = bytes[at++];
    const size = leb();
    if (sectionId === id) return { start: at, size };
    at += size;
  }
  throw new Error(`no section ${id}`);
}

/**
 * Every file of this origin the page requests while starting and opening its sections,
 * relative to the page, without the page itself and its icon (the browser's own request):
 * a map from each file to { sections, group }: the sections to open when it is broken (see
 * SECTIONS), and the group of files the page loads as it does this one (see `dealt`).
 */
async function filesOfThePage(browser) {
  const context = await browser.newContext();
  const found = new Map();
  const headers = [];
  let over = false; // the files are found: a request still on its way dies with the context
  let opening = [];
  context.on("request", (request) => {
    const file = request.url().slice(BASE.length).replace(/[?#].*$/, "");
    if (!request.url().startsWith(BASE)) return;
    if (!found.has(file)) found.set(file, { sections: opening, ways: new Set() });
    // How the browser fetched it: a page's script, a Worker's, a stylesheet, a fetch().
    const way = request.allHeaders().then((all) => all["sec-fetch-dest"] && found.get(file).ways.add(all["sec-fetch-dest"]));
    headers.push(
      way.catch((error) => {
        if (!over) throw error;
      }),
    );
  });
  const page = await context.newPage();
  await page.goto(BASE);
  assert.equal(await verdict(page, "index.html", []), "works");
  opening = ["digits"];
  assert.equal(await verdict(page, "index.html", ["digits"]), "works");
  opening = ["chat"];
  assert.equal(await verdict(page, "index.html", ["chat"]), "works");
  opening = ["reasoner"];
  assert.equal(await verdict(page, "index.html", ["reasoner"]), "works");
  opening = ["tour"];
  assert.equal(await verdict(page, "index.html", ["tour"]), "works");
  await Promise.all(headers);
  over = true;
  await context.close();
  for (const own of ["", "index.html", "favicon.svg"]) found.delete(own);
  const files = [...found].sort(([a], [b]) => a.localeCompare(b));
  return new Map(
    files.map(([file, { sections, ways }]) => {
      // The crate's own scripts (pkg/, wasm-bindgen's) are loaded by wasm.js, the others by the page's imports.
      const kind = `${file.startsWith("pkg/") ? "pkg/" : ""}${file.split(".").at(-1)}`;
      return [file, { sections, group: `${sections} ${[...ways].sort()} ${kind}` }];
    }),
  );
}

/**
 * The files each fault breaks, group by group (files sorted by name): each file is dealt in
 * turn a fault that must be reported, going round the files again while such a fault is
 * left; then each fault a page may shrug off goes to a file in turn. So every file is broken
 * at least once in a way the page must name, and each group every way: a map from fault name
 * to [file, sections].
 */
function dealt(files) {
  const names = Object.keys(FAULTS);
  const groups = new Map();
  for (const entry of files) groups.set(entry[1].group, [...(groups.get(entry[1].group) ?? []), entry]);
  const broken = new Map(names.map((name) => [name, []]));
  const deal = (name, [file, { sections }]) => broken.get(name).push([file, sections]);
  for (const members of groups.values()) {
    const demanding = names.filter((name) => FAULTS[name].expect(members[0][0]) === "message");
    const tolerated = names.filter((name) => !demanding.includes(name));
    for (let i = 0; i < Math.max(members.length, demanding.length); i++) deal(demanding[i % demanding.length], members[i % members.length]);
    tolerated.forEach((name, i) => deal(name, members[i % members.length]));
  }
  return broken;
}

/**
 * Opens `sections` (PARTS) once the DOM is there (the tour once the page has started, as its
 * button works from then), then waits for the page's verdict: "works" (the trainer shows a
 * state, those sections have loaded their files in their workers, the tour shows its step) or
 * the text of a visible message that names `file`. Throws, saying what the page shows, if
 * neither comes.
 */
async function verdict(page, file, sections) {
  await page.waitForLoadState("domcontentloaded");
  await page.evaluate((sections) => {
    for (const id of sections) {
      const details = document.getElementById(`${id}-details`);
      if (details) details.open = true;
    }
  }, sections);
  const handle = await page
    .waitForFunction(
      ({ name, ids, sections }) => {
        const messages = ids
          .map((id) => document.querySelector(`[data-testid=${id}]`))
          .filter((element) => element && !element.hidden && element.offsetParent !== null)
          .map((element) => element.textContent);
        const naming = messages.find((text) => text.includes(name));
        if (naming) return naming;
        const started = document.documentElement.dataset.phase !== undefined;
        if (started && sections.includes("tour") && !window.tourAsked) {
          window.tourAsked = true;
          document.getElementById("tour-open").click();
        }
        const loaded = sections.every((id) =>
          id === "tour" ? document.documentElement.dataset.tour !== undefined : document.getElementById(`${id}-details`)?.dataset.loadMs !== undefined,
        );
        return messages.length === 0 && started && loaded && "works";
      },
      { name: file, ids: MESSAGES, sections },
      { timeout: STUCK_MS, polling: 100 },
    )
    .catch(async () => {
      const shown = await page.evaluate((ids) => ({
        phase: document.documentElement.dataset.phase ?? null,
        text: document.getElementById("phase-text")?.textContent,
        messages: ids.map((id) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim()).filter(Boolean),
      }), MESSAGES);
      throw new Error(`neither working nor a message naming ${file} after ${STUCK_MS} ms: ${JSON.stringify(shown)}`);
    });
  return handle.jsonValue();
}

/**
 * Routes `file` through `fault` in `lane`'s context (a tab), loads the page afresh in the tab,
 * opens `sections` and returns the page's verdict.
 */
async function underFault(lane, file, sections, fault, indexHtml) {
  let over = false;
  const handler = async (route) => {
    try {
      const response = await route.fetch();
      const type = response.headers()["content-type"];
      await route.fulfill(fault.fulfil(await response.body(), indexHtml, type, file));
    } catch (error) {
      // Requests still on their way when the verdict is in die as the tab moves on.
      if (!over) throw error;
    }
  };
  const matches = (url) => url.href === BASE + file;
  await lane.context.route(matches, handler);
  const { page } = lane;
  try {
    await lane.visit("", { ready: false });
    const seen = await verdict(page, file, sections);
    // Every line of every message shown, as a reader sees them, once settled (a line that
    // says the page is still finding out which file failed is replaced or removed).
    await page.waitForFunction(() => !document.querySelector("[data-testid=load-error] > p:not([data-fault])"));
    const { lines, halfWorking } = await page.evaluate(
      (parts) => ({
        lines: [...document.querySelectorAll(["[data-testid=load-error] > p", ...parts.map((id) => `[data-testid=${id}-error]`)].join(", "))]
          .filter((element) => !element.hidden && element.offsetParent !== null)
          .map((element) => element.textContent.trim()),
        // A section that says it failed shows nothing of itself beside the message.
        halfWorking: parts.filter((id) => {
          const [error, body] = [`${id}-error`, `${id}-body`].map((id) => document.getElementById(id));
          return error && body && !error.hidden && !body.hidden;
        }),
      }),
      PARTS,
    );
    return { seen, lines, halfWorking };
  } finally {
    over = true;
    await page.goto("about:blank");
    await lane.context.unroute(matches, handler);
  }
}

/** Faulted pages loaded side by side: each mostly waits on its files and its workers. */
const SIDE_BY_SIDE = 2;

/**
 * One browser for every fault, the page's files found once with it, and a tab for each
 * faulted page loaded side by side, lent to one case at a time (`lent`).
 */
let browser;
let files;
let lent;
before(async () => {
  browser = await launch();
  files = await filesOfThePage(browser);
  const free = await Promise.all(Array.from({ length: SIDE_BY_SIDE }, () => tab(browser)));
  const waiting = [];
  lent = async (use) => {
    const lane = free.pop() ?? (await new Promise((resolve) => waiting.push(resolve)));
    try {
      return await use(lane);
    } finally {
      const next = waiting.shift();
      if (next) next(lane);
      else free.push(lane);
    }
  };
});
after(() => browser?.close());

test("every file the page loads is found, each with the section that loads it, and broken every way its group can be", (t) => {
  const found = JSON.stringify(Object.fromEntries(files));
  for (const file of ["main.js", "pkg/distill_bg.wasm", "playground/worker.js"]) {
    assert.deepEqual(files.get(file)?.sections, [], `${file} among the files the page starts with: ${found}`);
  }
  for (const file of ["data/digits.bin", "data/digits-teacher.bpk", "digits/worker.js"]) {
    assert.deepEqual(files.get(file)?.sections, ["digits"], `${file} among the files found: ${found}`);
  }
  for (const file of ["data/names.bin", "data/names-teacher.bpk", "data/chat-marks.csv", "pkg/chat_bg.wasm", "pkg/chat.js", "chat/worker.js"]) {
    assert.deepEqual(files.get(file)?.sections, ["chat"], `${file} among the chat section's files: ${found}`);
  }
  for (const file of ["data/reasoner-teacher.bpk", "data/reasoner-defences.csv", "reasoner/worker.js"]) {
    assert.deepEqual(files.get(file)?.sections, ["reasoner"], `${file} among the reasoner section's files: ${found}`);
  }
  for (const file of ["tour/tour.js", "tour/steps.js"]) {
    assert.deepEqual(files.get(file)?.sections, ["tour"], `${file} among the tour's files: ${found}`);
  }
  // A Worker's own script is not loaded as the page's scripts are, nor a data file as a script.
  const group = (file) => files.get(file).group;
  assert.notEqual(group("chat/worker.js"), group("chat/chat.js"));
  assert.notEqual(group("playground/worker.js"), group("digits/worker.js"));
  assert.notEqual(group("data/names.bin"), group("data/names-teacher.bpk"));
  const broken = [...dealt(files).values()].flat().map(([file]) => file);
  t.diagnostic(`${files.size} files in ${new Set([...files.values()].map(({ group }) => group)).size} groups: ${broken.length} faulted pages`);
});

for (const [name, fault] of Object.entries(FAULTS)) {
  test(`${name}, a file of each group in turn: a message naming it (or, where harmless, a page that works)`, { timeout: 1_200_000, concurrency: SIDE_BY_SIDE }, async (t) => {
    const indexHtml = Buffer.from(await (await fetch(BASE)).arrayBuffer());
    const cases = dealt(files).get(name).map(([file, sections]) =>
      t.test(file, async () => {
        const { seen, lines, halfWorking } = await lent((lane) => underFault(lane, file, sections, fault, indexHtml));
        if (fault.expect(file) === "message" && !OPTIONAL.has(file)) {
          assert.notEqual(seen, "works", `${file} ${name}, and nothing said so`);
        }
        if (seen !== "works") assert.ok(seen.length < 2_000, `a message of ${seen.length} characters`);
        if (seen !== "works") {
          const says = fault.says(file);
          // A missing file is named first, once: not each script that imports it.
          if (name === "404") for (const line of lines) assert.match(line, says, file);
          else assert.ok(lines.some((line) => says.test(line)), `${file} ${name}: ${says} in none of ${JSON.stringify(lines)}`);
          assert.deepEqual(halfWorking, [], `${file} ${name}: a section says it failed and shows itself`);
        }
      }),
    );
    await Promise.all(cases);
  });
}

test("every file slow (2 s each): the page gets there, with no message", { timeout: STUCK_MS + 60_000 }, async (t) => {
  let closed = false;
  t.after(() => {
    closed = true;
  });
  const context = await browser.newContext();
  t.after(() => context.close());
  await context.route(
    (url) => files.has(url.href.slice(BASE.length)),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      try {
        await route.continue();
      } catch (error) {
        // Requests still on their way when the test is over die with the browser.
        if (!closed) throw error;
      }
    },
  );
  const page = await context.newPage();
  await page.goto(BASE, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    ({ ids, sections }) => {
      const shown = ids.some((id) => document.querySelector(`[data-testid=${id}]`)?.hidden === false);
      if (shown) return "a message";
      const details = sections.map((id) => document.getElementById(`${id}-details`));
      for (const section of details) if (section && !section.open) section.open = true;
      return document.documentElement?.dataset.phase && details.every((section) => section?.dataset.loadMs) && "works";
    },
    { ids: MESSAGES.filter((id) => id !== "divergence"), sections: SECTIONS },
    { timeout: STUCK_MS, polling: 200 },
  );
  const messages = await page.evaluate((ids) => ids.map((id) => document.getElementById(id)?.textContent?.trim()).filter(Boolean), MESSAGES);
  assert.equal(await handle.jsonValue(), "works", JSON.stringify(messages));
});
