// section.js: the shell of a section that downloads its own files and runs its own Worker
// (the digits, the chatbot, the reasoner). Nothing is fetched until its <details> is first
// opened, or comes within a screen's height of the window (unless the reader's browser asks
// to save data): so a reader who scrolls to a section finds it ready when opening it.
//
//   <details> near (once) or opened ──fetch with progress──► its data files
//        │                                                    │ bytes, transferred
//        ▼                                                    ▼
//   new Worker(<id>/worker.js) ◄── { type: "module", module } (wasm.js; unless it has its own), { type: "load", bytes, names }
//        │ "fatal" / "error": explained through faults.js, in the section's error box
//        │ "ready": once the <details> is open, the body shown, then the section's own ready(message)
//        └ anything else: the section's own onMessage(message)
//
// The section keeps what is its own: its controls, its messages, its drawings.

import { announce } from "./announce.js";
import { fetchAll } from "./download.js";
import { count } from "./format.js";
import { explanation, showSectionFault } from "./messages.js";
import init from "./pkg/distill.js";
import { pageModule } from "./wasm.js";

const $ = (id) => document.getElementById(id);

/**
 * Sets up section `id`, whose elements are `<id>-details`, `-loading`, `-progress`,
 * `-status`, `-body`, `-loaded` and `-error`, and whose Worker is `<id>/worker.js`. Opening
 * it, or its coming near the window (see `prefetch`), the first time starts the Worker, waits
 * for `before` (a promise), instantiates the page's wasm module and posts it to the Worker
 * (unless `ownModule`: the Worker runs a module of its own), fetches `files` ({ key: path
 * }, in the order the Worker reads them) saying "Downloading <downloads>…", posts them, says
 * `reading`, and once the Worker is ready and the section open, announces `announced` and
 * calls `ready(message)`. Other messages go to `onMessage(message)`; a failure, worded for
 * the reader, is shown in the section's error box (`what` names what could not be loaded
 * when even faults.js cannot say why), then passed to `failed(text)`.
 *
 * Returns null without the section's <details>; else { post(message, transfer), fail(shown),
 * loaded }, `loaded` true once the Worker has read the files and the section is open.
 */
export function lazySection({ id, files, downloads, reading = "Reading the files…", announced, what, before, ownModule = false, ready, onMessage, failed = () => {} }) {
  const details = $(`${id}-details`);
  if (!details) return null;
  const paths = Object.values(files);
  let worker = null;
  let heard = false; // the worker has posted a message: its scripts loaded
  let began = 0;
  let bytes = 0;
  let waiting = null; // { message, ms }: the Worker's "ready", while the section is still closed

  const shell = {
    loaded: false,
    /** Posts `message` to the section's Worker, transferring `transfer`. */
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    /** Shows `shown` (a fault from faults.js, or a plain sentence) as the section's failure. */
    fail(shown) {
      showSectionFault($(`${id}-error`), shown);
      $(`${id}-loading`).hidden = true;
      details.dataset.failed = "true";
      failed(typeof shown === "string" ? shown : shown.text);
    },
  };

  const status = (text) => ($(`${id}-status`).textContent = text);

  /** Shows the failure that `explain(faults)` words once faults.js has looked at the files. */
  async function explainLater(explain) {
    shell.fail(await explanation(explain, what));
  }

  /** First opening: fetch the files with progress, then hand them to a new worker. */
  async function open() {
    began = performance.now();
    worker = new Worker(new URL(`./${id}/worker.js`, import.meta.url), { type: "module" });
    worker.onmessage = (event) => {
      heard = true;
      dispatch(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const detail = event.message || "";
      if (heard) shell.fail(`The ${id} worker stopped: ${detail || "an error without details"}. Reload the page to start it again.`);
      else explainLater((faults) => faults.explainWorker(`${id}/worker.js`, detail));
    };
    status(`Downloading ${downloads}…`);
    await before;
    try {
      await init(); // the page's own start instantiates the module: this waits for it
    } catch (err) {
      explainLater((faults) => faults.explainWasm(err));
      return;
    }
    if (!ownModule) shell.post({ type: "module", module: await pageModule() });
    let loaded;
    try {
      loaded = await fetchAll(paths, (done, total) => {
        $(`${id}-progress`).max = total || 1;
        $(`${id}-progress`).value = done;
        status(`Downloading ${downloads}: ${kb(done)}${total ? ` of ${kb(total)}` : ""}…`);
      });
    } catch (err) {
      explainLater((faults) => faults.explainData(paths, err));
      return;
    }
    bytes = loaded.reduce((sum, b) => sum + b.byteLength, 0);
    status(reading);
    shell.post({ type: "load", bytes: loaded, names: paths }, loaded);
  }

  function dispatch(message) {
    switch (message.type) {
      case "fatal":
        explainLater((faults) =>
          message.file.endsWith(".wasm")
            ? faults.explainWasm(message.message, message.file)
            : faults.explainStartup(message.file, `did not load in the ${id} worker (${message.message})`),
        );
        break;
      case "error":
        explainLater((faults) => faults.explainData(paths, message.message));
        break;
      case "ready": {
        const ms = performance.now() - began;
        $(`${id}-loaded`).textContent = `Loaded ${kb(bytes)} in ${(ms / 1000).toFixed(1)} s.`;
        waiting = { message, ms };
        if (details.open) reveal();
        break;
      }
      default:
        onMessage(message);
    }
  }

  /** The section open and its files read: its body shown, and the section's own start. */
  function reveal() {
    const { message, ms } = waiting;
    waiting = null;
    shell.loaded = true;
    details.dataset.loadMs = String(Math.round(ms));
    details.dataset.bytes = String(bytes);
    $(`${id}-loading`).hidden = true;
    $(`${id}-body`).hidden = false;
    announce(announced, id);
    ready(message);
  }

  details.addEventListener("toggle", () => {
    if (!details.open) return;
    if (!worker) open();
    else if (waiting) reveal();
  });
  if (details.open) open();
  else prefetch(details, () => worker || open());
  return shell;
}

/**
 * Calls `start` once `details` comes within a screen's height of the window, unless the
 * browser asks to save data (then only opening the section fetches its files).
 */
function prefetch(details, start) {
  if (navigator.connection?.saveData || !("IntersectionObserver" in window)) return;
  const near = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      near.disconnect();
      start();
    },
    { rootMargin: "100% 0px" },
  );
  near.observe(details);
}

/** Bytes as the page writes them: "72 KB". */
function kb(bytes) {
  return `${count(Math.round(bytes / 1024))} KB`;
}
