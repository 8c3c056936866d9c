// view.js: what the page shows besides its settings (presenter mode, one chapter embedded
// alone, the sections opened, the probed point) and how the address holds it, beside the
// knobs' query: `#scenario=rings&presenter=on&open=digits&probe=0.25,-0.5&embed=api`.
// VIEW_KEYS is the one list of these keys; the crate's parser reads the rest of the address.
// The DOM holds the view (html.presenter, html[data-embed], <details open>); the probed point
// is the playground's, passed in.

const $ = (id) => document.getElementById(id);

/**
 * The chapters, in page order: name (the section's id, and the embed value), title, and the
 * height (px) of a 720 px wide iframe that shows the chapter down to its result once run (the
 * maps' agreement figures, the formats table, the verdicts, the experiment's table), measured
 * in Chromium with a little to spare.
 */
export const CHAPTERS = [
  { name: "playground", title: "Soft or hard labels", height: 760 },
  { name: "api", title: "Distil through an API", height: 1260 },
  { name: "evidence", title: "Catch the copy", height: 1400 },
  { name: "digits", title: "Real digits", height: 2000 },
  { name: "chat", title: "Distil a chatbot", height: 2450 },
  { name: "reasoner", title: "Distil a reasoner", height: 2300 },
];

/** Sections that open and close: the <details> of each, by the name the address uses. */
const OPENABLE = { digits: "digits-details", chat: "chat-details", reasoner: "reasoner-details" };

/** Decimals a probed point keeps in the address (a map's pixel is about 0.005 wide). */
const PROBE_DECIMALS = 3;

/**
 * Every view key: `parse(text, extent)` → { value, notice } for the text after "key=" (a
 * notice when the text was not taken as it is); `format(value)` → the text, or null for the
 * default (left out of the address).
 */
const VIEW_KEYS = [
  {
    key: "presenter",
    parse: (text) => {
      if (text === "" || text === "on") return { value: true };
      if (text === "off") return { value: false };
      return { value: false, notice: `presenter=${shown(text)} is not on or off; using off` };
    },
    format: (on) => (on ? "on" : null),
  },
  {
    key: "embed",
    parse: (text) => {
      if (CHAPTERS.some((c) => c.name === text)) return { value: text };
      const names = CHAPTERS.map((c) => c.name).join(", ");
      return { value: CHAPTERS[0].name, notice: `embed=${shown(text)} is not a chapter (${names}); showing ${CHAPTERS[0].name}` };
    },
    format: (chapter) => chapter,
  },
  {
    key: "open",
    parse: (text) => {
      const asked = text.split(",").filter(Boolean);
      const known = asked.filter((name) => name in OPENABLE);
      const unknown = asked.filter((name) => !(name in OPENABLE));
      const notice = unknown.length
        ? `open=${shown(text)}: no section ${unknown.map(shown).join(", ")} to open (sections: ${Object.keys(OPENABLE).join(", ")})`
        : undefined;
      return { value: [...new Set(known)], notice };
    },
    format: (names) => (names.length ? names.join(",") : null),
  },
  {
    key: "probe",
    parse: (text, [xmin, xmax, ymin, ymax]) => {
      const parts = text.split(",");
      const [x, y] = parts.map((part) => (part.trim() === "" ? NaN : Number(part)));
      if (parts.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) {
        return { value: null, notice: `probe=${shown(text)} is not a point "x,y"; ignored` };
      }
      const point = keptPoint([clamp(x, xmin, xmax), clamp(y, ymin, ymax)]);
      const notice =
        point[0] !== x || point[1] !== y
          ? `probe=${shown(text)} lies outside the plane; using ${keptPoint(point).join(",")}`
          : undefined;
      return { value: point, notice };
    },
    format: (point) => (point ? keptPoint(point).join(",") : null),
  },
];

/** The view of a page with nothing in its address. */
const DEFAULT_VIEW = { presenter: false, embed: null, open: [], probe: null };

/**
 * Takes the view keys out of an address query: returns { view, rest, notices }, `rest` the
 * knobs' pairs for the crate's parser. A key given twice keeps its first value, as knobs do;
 * `extent` ([xmin, xmax, ymin, ymax]) bounds the probed point. `?presenter` in the page's
 * query turns presenter mode on when the hash does not say.
 */
export function splitAddress(query, extent = [-Infinity, Infinity, -Infinity, Infinity]) {
  const view = { ...DEFAULT_VIEW };
  const notices = [];
  const rest = [];
  const seen = new Map();
  for (const pair of query.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    const entry = VIEW_KEYS.find((k) => k.key === key);
    if (!entry) {
      rest.push(pair);
      continue;
    }
    const text = decode(at < 0 ? "" : pair.slice(at + 1));
    if (seen.has(key)) {
      notices.push(`${key} appears more than once; the first (${key}=${shown(seen.get(key))}) is used and ${key}=${shown(text)} ignored`);
      continue;
    }
    seen.set(key, text);
    const { value, notice } = entry.parse(text, extent);
    view[key] = value;
    if (notice) notices.push(notice);
  }
  if (!seen.has("presenter") && new URLSearchParams(globalThis.location?.search).has("presenter")) view.presenter = true;
  return { view, rest: rest.join("&"), notices };
}

/** The address form of `view` (only what differs from the default), in VIEW_KEYS order. */
export function viewQuery(view) {
  return VIEW_KEYS.map(({ key, format }) => [key, format(view[key] ?? DEFAULT_VIEW[key])])
    .filter(([, text]) => text != null)
    .map(([key, text]) => `${key}=${encodeURIComponent(text).replace(/%2C/g, ",")}`)
    .join("&");
}

/** The view the page shows now, with the playground's probed point (or null). */
export function currentView(probe) {
  const root = document.documentElement;
  return {
    presenter: root.classList.contains("presenter"),
    embed: root.dataset.embed ?? null,
    open: Object.entries(OPENABLE)
      .filter(([, id]) => $(id)?.open)
      .map(([name]) => name),
    probe,
  };
}

/**
 * Shows `view`'s presenter mode, embedded chapter and open sections (not its probe). A section
 * the reader has opened stays open: the address only ever opens one.
 */
export function showView(view) {
  setPresenter(view.presenter);
  embed(view.embed);
  for (const [name, id] of Object.entries(OPENABLE)) {
    const details = $(id);
    if (details && !details.open && (view.open.includes(name) || view.embed === name)) details.open = true;
  }
}

const listeners = [];

/** Calls `listener()` whenever the view changes on the page (presenter, embed, a section). */
export function onViewChange(listener) {
  listeners.push(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

/** Opens chapter `name`'s section if it is one that opens and closes (the guided tour's steps). */
export function openSection(name) {
  const details = OPENABLE[name] && $(OPENABLE[name]);
  if (details && !details.open) details.open = true;
}

/** Watches the openable sections, so that opening one is kept in the address. */
export function initView() {
  for (const id of Object.values(OPENABLE)) $(id)?.addEventListener("toggle", changed);
}

/** Turns presenter mode on or off (the P key and the Presenter button). */
export function togglePresenter() {
  setPresenter(!document.documentElement.classList.contains("presenter"));
  changed();
}

function setPresenter(on) {
  document.documentElement.classList.toggle("presenter", on);
  $("presenter")?.setAttribute("aria-pressed", String(on));
}

/** The chapter shown alone, or null for the whole page. */
export function embedded() {
  return document.documentElement.dataset.embed ?? null;
}

/** Shows `chapter` alone (an embed), or the whole page for null. */
export function embed(chapter) {
  const root = document.documentElement;
  if ((root.dataset.embed ?? null) === chapter) return;
  if (chapter) root.dataset.embed = chapter;
  else delete root.dataset.embed;
  const details = OPENABLE[chapter] && $(OPENABLE[chapter]);
  if (details) details.open = true;
  changed();
}

/** The chapter whose section is in view now (the embedded one, when embedded). */
export function chapterInView() {
  const shownAlone = embedded();
  if (shownAlone) return shownAlone;
  const middle = innerHeight / 3;
  let best = CHAPTERS[0].name;
  for (const { name } of CHAPTERS) {
    const section = $(name);
    if (section && section.getBoundingClientRect().top <= middle) best = name;
  }
  return best;
}

function clamp(v, lo, hi) {
  return Math.min(Math.max(v, lo), hi);
}

/** A probed point `[x, y]` as the address keeps it (PROBE_DECIMALS decimals). */
export function keptPoint(point) {
  return point.map((v) => Number(v.toFixed(PROBE_DECIMALS)));
}

/** A value from the address as a notice quotes it: at most 40 characters, as the crate's. */
function shown(text) {
  const chars = [...text];
  return chars.length > 40 ? `${chars.slice(0, 40).join("")}… (${chars.length} characters)` : text;
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
