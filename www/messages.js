// messages.js: what the page tells its reader outside any chapter: notices about the address,
// and errors that stop the page from starting.

import { clip } from "./format.js";

const $ = (id) => document.getElementById(id);

/** How many notices show before the rest fold behind a disclosure. */
const NOTICES_SHOWN = 3;

/**
 * Lists `notices` (from the URL parser) above the page, folded: their count, the first
 * few, and the rest behind "… more" (the box never takes more than a third of the window);
 * none hides the list.
 */
export function showNotices(notices) {
  const item = (text) => Object.assign(document.createElement("li"), { textContent: clip(text) });
  const folded = notices.length > NOTICES_SHOWN;
  const count = `${notices.length} settings in the address were changed or ignored:`;
  $("notice-count").textContent = folded ? count : "";
  $("notice-list").replaceChildren(...notices.slice(0, folded ? NOTICES_SHOWN : notices.length).map(item));
  const rest = notices.slice(NOTICES_SHOWN);
  $("notice-more").hidden = !folded;
  $("notice-more").open = false;
  $("notice-more-label").textContent = `${rest.length} more`;
  $("notice-rest").replaceChildren(...(folded ? rest.map(item) : []));
  $("notices").hidden = notices.length === 0;
}

/**
 * Adds `shown` (a fault from faults.js, or a plain sentence) to the load errors at the top of
 * the page, once: nothing can run.
 */
export async function showLoadError(shown) {
  const text = typeof shown === "string" ? shown : shown.text;
  const box = $("load-error");
  $("phase-text").textContent = "Not running";
  console.error(text);
  if ([...box.children].some((line) => line.dataset.fault === text)) return;
  const line = document.createElement("p");
  line.dataset.fault = text;
  box.append(line);
  box.hidden = false;
  showFaultIn(line, shown);
}

/** Fills `element` with `shown` through faults.js, or with its sentence alone without it. */
async function showFaultIn(element, shown) {
  element.textContent = typeof shown === "string" ? shown : shown.text;
  if (typeof shown === "string" || !shown.details) return;
  try {
    (await import("./faults.js")).showFault(element, shown);
  } catch {
    // The sentence stands alone.
  }
}

/**
 * Shows a load error that `explain(faults)` words once faults.js (loaded only now) has looked
 * at the files; a plain one if even faults.js cannot be loaded.
 */
export async function explainLater(explain) {
  $("phase-text").textContent = "Not running";
  showLoadError(await explanation(explain, "The page"));
}

/**
 * The fault `explain(faults)` finds once faults.js (loaded only now) has looked at the files,
 * for a section that shows its own failure; if even faults.js cannot be loaded, a plain
 * sentence saying that `what` could not be loaded.
 */
export async function explanation(explain, what) {
  try {
    return await explain(await import("./faults.js"));
  } catch (err) {
    return `${what} could not be loaded, and faults.js, which explains why, did not load either (${describe(err)}). What to do: check that every file of the page is on the server beside index.html, then reload.`;
  }
}

/** Shows `shown` (a fault or a plain sentence) in a section's own error `box`. */
export function showSectionFault(box, shown) {
  showFaultIn(box, shown);
  box.hidden = false;
}

/** An error's message, whatever was thrown. */
export function describe(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}
