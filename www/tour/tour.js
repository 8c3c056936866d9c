// tour/tour.js: the guided tour. Each step sets the knobs (a URL hash query through the crate's
// parser, like any link), runs live, and says in a sentence or two what to look at. Every
// number in a sentence is read from what the page shows at that moment, and every comparison
// word ("ahead", "behind") is computed from those numbers: the text cannot contradict the
// screen beside it. Opened by the Tour button or `?tour=N` (a deep link to step N), which is
// when main.js first loads it; Back and Next by button, ← →, or a presenter's clicker (Page
// Up / Page Down).

import { onChatChange, shownChat } from "../chat/chat.js";
import { onReasonerChange, shownReasoner } from "../reasoner/reasoner.js";
import { count, dollars, fixed, percent, pValue, wholePercent } from "../format.js";
import * as playground from "../playground/playground.js";
import { embed, embedded, openSection } from "../view.js";
import { tourSteps } from "./steps.js";

const $ = (id) => document.getElementById(id);

let steps = []; // from tourSteps(), once the crate's lesson table is read
let index = -1; // the step shown; -1 when the tour is closed
let spoken = ""; // the last sentence announced, so a screen reader hears each one once
let anchorDue = null; // a step's anchor not shown yet (its section still loading): scrolled to once shown

/**
 * Opens the tour at step `asked` (`?tour=N`'s N, from 1; the first when absent or not a
 * number). The first time, builds the steps on the crate's lesson settings (`wasm.lessons()`)
 * and wires the panel's buttons.
 */
export function openTour(wasm, asked) {
  if (!steps.length) {
    steps = tourSteps(wasm.lessons());
    $("tour-back").addEventListener("click", () => go(index - 1));
    $("tour-next").addEventListener("click", () => go(index + 1));
    $("tour-close").addEventListener("click", close);
    playground.onChange(render);
    onChatChange(render);
    onReasonerChange(render);
  }
  const n = Number.parseInt(asked, 10);
  go(Number.isFinite(n) ? Math.min(Math.max(n, 1), steps.length) - 1 : 0);
}

/** Whether the tour is open (the keys then move through it). */
export function touring() {
  return index >= 0;
}

/** One step forward (+1) or back (-1), within the tour. */
export function move(by) {
  go(index + by);
}

function go(n) {
  index = Math.min(Math.max(n, 0), steps.length - 1);
  const step = steps[index];
  $("tour").hidden = false;
  document.documentElement.dataset.tour = String(index + 1);
  $("tour-count").textContent = `Step ${index + 1} of ${steps.length}`;
  $("tour-title").textContent = step.title;
  $("tour-back").disabled = index === 0;
  $("tour-next").disabled = index === steps.length - 1;
  setAddress(index + 1);
  playground.apply(step.query);
  // Embedded, the page shows one chapter: the step's.
  if (embedded()) embed(step.section);
  openSection(step.section);
  // A step may point into its section (its `anchor`); until that part shows, the section.
  anchorDue = step.anchor && !visible(step.anchor) ? step.anchor : null;
  showSection(step.anchor && !anchorDue ? step.anchor : step.section);
  render();
}

function visible(id) {
  return (document.getElementById(id)?.getClientRects().length ?? 0) > 0;
}

/** Scrolls the section to just under the toolbar, which stays on top while it is sticky. */
function showSection(id) {
  const section = document.getElementById(id);
  if (!section) return;
  const toolbar = document.querySelector(".toolbar");
  const covered = toolbar && getComputedStyle(toolbar).position === "sticky" ? toolbar.offsetHeight : 0;
  const top = section.getBoundingClientRect().top + scrollY - covered - 8;
  scrollTo({ top: Math.max(0, top), behavior: "smooth" });
}

function close() {
  index = -1;
  $("tour").hidden = true;
  delete document.documentElement.dataset.tour;
  setAddress(null);
}

/** Keeps `?tour=N` in the address, so the link opens this step. */
function setAddress(n) {
  const params = new URLSearchParams(location.search);
  if (n == null) params.delete("tour");
  else params.set("tour", String(n));
  const search = params.toString();
  try {
    history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
  } catch {
    // A sandboxed frame may refuse; the tour works the same without the deep link.
  }
}

/** Rewrites the sentence from what the page shows now, and takes the step's next action. */
function render() {
  if (index < 0) return;
  const step = steps[index];
  if (anchorDue && visible(anchorDue)) {
    showSection(anchorDue);
    anchorDue = null;
  }
  const shown = { ...playground.shown(), chat: shownChat(), reasoner: shownReasoner() };
  step.act?.(shown, playground);
  const text = step.say(shown, { count, dollars, fixed, percent, pValue, wholePercent });
  $("tour-text").textContent = text;
  // Announce the sentence when its words change, not on every number.
  const words = text.replace(/[\d.,%$\u00a0]+/g, "#");
  if (words !== spoken) {
    spoken = words;
    $("tour-announcer").textContent = text;
  }
}
