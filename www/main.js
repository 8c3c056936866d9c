// main.js: the page's shell. It loads the main thread's instance of pkg/distill.js (the knob
// table, URL parsing and every drawing), starts the playground chapter (which hosts the API
// and evidence chapters), and owns what belongs to no chapter: notices, the view (view.js:
// presenter mode, an embedded chapter), sharing (share.js) and the keys. The digits and chat
// chapters (digits/digits.js, chat/chat.js) start themselves when their sections open.

import { initDiscard } from "./discard.js";
import { explainLater, describe, showLoadError } from "./messages.js";
import * as playground from "./playground/playground.js";
import { initLessons } from "./lessons.js";
import { initShare } from "./share.js";
import * as tour from "./tour/tour.js";
import { fetchWithProgress, megabytes } from "./download.js";
import { initView, showView, splitAddress, togglePresenter } from "./view.js";

const $ = (id) => document.getElementById(id);

let started = false; // the playground is up: the keys may act on it

start();

async function start() {
  // For startup.js, which reports a page that never got this far.
  document.documentElement.dataset.started = "";
  $("notices-dismiss").addEventListener("click", () => ($("notices").hidden = true));
  initDiscard();
  $("presenter").addEventListener("click", togglePresenter);
  document.addEventListener("keydown", onKey);
  // Presenter mode and an embedded chapter show at once; the playground reads the whole
  // address (and says what it could not use) once the wasm is here.
  showView(splitAddress(location.hash.replace(/^#/, "")).view);
  initView();
  let wasm;
  try {
    wasm = await import("./pkg/distill.js");
  } catch (err) {
    explainLater((faults) => faults.explainStartup("pkg/distill.js", `did not load (${describe(err)})`));
    return;
  }
  try {
    await wasm.default({ module_or_path: fetchWithProgress(new URL("./pkg/distill_bg.wasm", import.meta.url), showDownload) });
  } catch (err) {
    explainLater((faults) => faults.explainWasm(err));
    return;
  }
  try {
    playground.init(wasm);
    started = true;
    initShare();
    initLessons(wasm);
    tour.initTour(wasm);
  } catch (err) {
    showLoadError(`The playground could not start: ${describe(err)}. Likely cause: files from different versions of the page. What to do: reload, bypassing the cache (Ctrl+Shift+R).`);
  }
}

/**
 * Space play/pause, → step, R reset, P presenter; during the tour ← → (and a clicker's Page
 * Up / Page Down) move through it. Space, → and R act on the playground only while nothing
 * with an action of its own has the focus; nothing acts while typing in a control.
 */
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest?.("input, select, textarea, [contenteditable]:not([contenteditable=false])")) return;
  if (started && tour.touring()) {
    const by = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (by) {
      tour.move(by);
      event.preventDefault();
      return;
    }
  }
  if (event.key === "p" || event.key === "P") {
    togglePresenter();
    event.preventDefault();
    return;
  }
  if (!started || focusHasItsOwnAction(target)) return;
  switch (event.key) {
    case " ":
      playground.togglePlay();
      break;
    case "ArrowRight":
      playground.stepOnce();
      break;
    case "r":
    case "R":
      playground.reset();
      break;
    default:
      return;
  }
  event.preventDefault();
}

/** The module's download in the phase line: bytes so far, of the size the page was built with. */
function showDownload(received) {
  const total = Number(document.querySelector('meta[name="wasm-bytes"]')?.content) || 0;
  const of = total > 0 ? ` of ${megabytes(total)} MB (${Math.min(100, Math.round((100 * received) / total))} %)` : " MB";
  $("phase-text").textContent = `Downloading the model code: ${megabytes(received)}${of}…`;
}

/**
 * Whether the key's target is something focused that answers keys itself: a button, a link, a
 * section's summary, the tour's panel, anything focusable. Only the page itself (the body)
 * hands Space, → and R to the playground.
 */
function focusHasItsOwnAction(target) {
  return target instanceof Element && target !== document.body && target !== document.documentElement;
}
