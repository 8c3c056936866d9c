// playground/worker-client.js: the page's side of playground/worker.js. Starts it, posts to
// it, and hands each reply of the current generation to the controller's handler for its
// type; the worker's failures (a script that did not load, a trainer that threw) it reports
// itself.

import { explainLater } from "../messages.js";
import { pageModule } from "../wasm.js";
import { state } from "./state.js";

export class WorkerClient {
  /**
   * `replies` maps a reply's type to its handler (message) → (); `stopped(why)` is called when
   * the worker can go no further, `why` the { title, text } to show, or null when the fault is
   * explained at the top of the page.
   */
  constructor(replies, stopped) {
    this.replies = replies;
    this.stopped = stopped;
    this.worker = null;
    this.heard = false; // the worker has posted a message: its scripts loaded
    this.broken = false; // the trainer threw: start a fresh worker on the next reset
    this.waiting = null; // the wait for a reader (warmUpOnceAReaderIsThere)
  }

  /** Starts a fresh worker, ending the one before (if any). */
  start() {
    this.worker?.terminate();
    this.broken = false;
    this.heard = false;
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    const worker = this.worker;
    pageModule().then((module) => worker.postMessage({ type: "module", module }));
    this.warmUpOnceAReaderIsThere(this.worker);
    this.worker.onmessage = (event) => {
      this.heard = true;
      this.onMessage(event.data);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const detail = event.message || "";
      if (!this.heard) {
        this.stopped(null);
        explainLater((faults) => faults.explainWorker("playground/worker.js", detail));
      } else {
        this.broken = true;
        const where = event.filename ? ` (${event.filename.split("/").pop()}, line ${event.lineno})` : "";
        this.stopped({
          title: "The training worker stopped",
          text: `${detail || "An error without details"}${where}. Reset to start a fresh worker; if it happens again, reload the page.`,
        });
      }
    };
  }

  /**
   * Asks `worker` for its warm-up (worker.js) at a reader's first pointer, touch, key or
   * wheel, unless in another chapter's part (whose own Worker it would slow).
   */
  warmUpOnceAReaderIsThere(worker) {
    this.waiting?.abort();
    const waiting = (this.waiting = new AbortController());
    const seen = (event) => {
      const part = event.target?.closest?.("[data-part]")?.dataset.part;
      if (part && !OURS.includes(part)) return;
      waiting.abort();
      worker.postMessage({ type: "warm-up" });
    };
    for (const sign of ["pointermove", "pointerdown", "touchstart", "keydown", "wheel"]) {
      addEventListener(sign, seen, { capture: true, passive: true, signal: waiting.signal });
    }
  }

  post(message) {
    this.worker?.postMessage(message);
  }

  onMessage(message) {
    if (message.type === "fatal") {
      this.stopped(null);
      explainLater((faults) =>
        message.file === faults.WASM_FILE
          ? faults.explainWasm(message.message)
          : faults.explainStartup(message.file, `did not load in the training worker (${message.message})`),
      );
      return;
    }
    if (message.gen !== state.generation) return; // from before the last reset
    if (message.type === "error") {
      this.broken = true;
      this.stopped({ title: "The trainer stopped with an error", text: message.message });
      return;
    }
    this.replies[message.type]?.(message);
  }
}

/** The parts (data-part) the playground's Worker trains for. */
const OURS = ["playground", "api", "evidence"];
