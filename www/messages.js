// messages.js: what the page tells its reader outside any chapter: notices about the address,
// and errors that stop the page from starting.

import { clip } from "./format.js";

const $ = (id) => document.getElementById(id);

/** Lists `notices` (from the URL parser) above the page; none hides the list. */
export function showNotices(notices) {
  const list = $("notice-list");
  list.replaceChildren(...notices.map((text) => Object.assign(document.createElement("li"), { textContent: clip(text) })));
  $("notices").hidden = notices.length === 0;
}

/** Adds `text` to the load errors at the top of the page; nothing can run. */
export function showLoadError(text) {
  const box = $("load-error");
  if ([...box.children].some((line) => line.textContent === text)) return;
  box.append(Object.assign(document.createElement("p"), { textContent: text }));
  box.hidden = false;
  $("phase-text").textContent = "Not running";
  console.error(text);
}

/**
 * Shows a load error that `explain(faults)` words once faults.js (loaded only now) has looked
 * at the files; a plain one if even faults.js cannot be loaded.
 */
export async function explainLater(explain) {
  $("phase-text").textContent = "Not running";
  try {
    showLoadError(await explain(await import("./faults.js")));
  } catch (err) {
    showLoadError(`The page could not start, and faults.js, which explains why, did not load either (${describe(err)}). Check that every file of the page is on the server beside index.html, then reload.`);
  }
}

/**
 * The words `explain(faults)` finds once faults.js (loaded only now) has looked at the files,
 * for a section that shows its own failure; if even faults.js cannot be loaded, a plain
 * sentence saying that `what` could not be loaded.
 */
export async function explanation(explain, what) {
  try {
    return await explain(await import("./faults.js"));
  } catch (err) {
    return `${what} could not be loaded, and faults.js, which explains why, did not load either (${describe(err)}). Check that every file of the page is on the server beside index.html, then reload.`;
  }
}

/** An error's message, whatever was thrown. */
export function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}
