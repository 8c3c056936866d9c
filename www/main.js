// main.js: the page's shell. It loads the main thread's instance of pkg/distill.js (the knob
// table, URL parsing and every drawing), starts the playground chapter (which hosts the API
// and evidence chapters), and owns what belongs to no chapter: notices, the view (view.js:
// presenter mode, an embedded chapter), sharing (share.js) and the keys. The digits and chat
// chapters (digits/digits.js, chat/chat.js) start themselves when their sections open.

import { initDiscard } from "./discard.js";
import { explainLater, explanation, describe, showLoadError, showSectionFault } from "./messages.js";
import * as playground from "./playground/playground.js";
import { initLessons } from "./lessons.js";
import { initShare } from "./share.js";
import { initToolbar } from "./toolbar.js";
import { initView, showView, splitAddress, togglePresenter } from "./view.js";
import { pageModule } from "./wasm.js";

const $ = (id) => document.getElementById(id);

let started = false; // the playground is up: the keys may act on it
let tour = null; // tour/tour.js, once the guided tour first opens

start();

async function start() {
  // For startup.js, which reports a page that never got this far.
  document.documentElement.dataset.started = "";
  $("notices-dismiss").addEventListener("click", () => ($("notices").hidden = true));
  initDiscard();
  initToolbar();
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
    // startup.js started the download, showing its progress; a page without it fetches here.
    const response = window.distillModule ?? fetch(new URL("./pkg/distill_bg.wasm", import.meta.url));
    await wasm.default({ module_or_path: await pageModule(response) }); // the Workers' too
    document.documentElement.dataset.moduleReady = ""; // the download's progress is over
  } catch (err) {
    explainLater((faults) => faults.explainWasm(err));
    return;
  }
  try {
    playground.init(wasm);
    started = true;
    initShare();
    initLessons(wasm);
    $("tour-open").addEventListener("click", () => openTour(wasm));
    const asked = new URLSearchParams(location.search).get("tour");
    if (asked !== null) openTour(wasm, asked);
  } catch (err) {
    showLoadError({
      text: "The playground could not start: its files come from different versions of the page. What to do: reload, bypassing the cache (Ctrl+Shift+R).",
      details: `The browser says: ${describe(err)}`,
    });
  }
}

/**
 * Opens the guided tour at step `asked` (`?tour=N`'s N; the first when absent), loading
 * tour/tour.js the first time: most readers never take the tour, so the page starts without
 * it. A tour that cannot load says why, naming the file, beside its button.
 */
async function openTour(wasm, asked) {
  const fetched = () => performance.getEntriesByType("resource").map((entry) => entry.name);
  const before = new Set(fetched());
  try {
    tour ??= await import("./tour/tour.js");
    tour.openTour(wasm, asked);
  } catch (err) {
    // The files the import fetched (the tour's own scripts) are the ones to look at.
    const base = new URL(".", location.href).href;
    const files = fetched().filter((url) => !before.has(url) && url.startsWith(base)).map((url) => url.slice(base.length));
    const shown = await explanation((faults) => faults.explainData(files.length ? files : ["tour/tour.js"], err), "The guided tour");
    showSectionFault($("tour-error"), shown);
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
  if (started && tour?.touring()) {
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

/**
 * Whether the key's target is something focused that answers keys itself: a button, a link, a
 * section's summary, the tour's panel, anything focusable. Only the page itself (the body)
 * hands Space, → and R to the playground.
 */
function focusHasItsOwnAction(target) {
  return target instanceof Element && target !== document.body && target !== document.documentElement;
}
