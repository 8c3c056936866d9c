// startup.js: watches the page start, so that a page that cannot start says why instead of
// waiting forever on "Loading the WebAssembly module…". It is a classic script, not a module,
// so it runs where module scripts cannot: in a sandboxed frame without allow-same-origin, from
// file://, or when a module or one of its imports fails to load or to parse.
//
//   <script>/<link> "error" event ─────────────► the file failed to load: say so at once
//   uncaught error in one of our scripts ──────► it failed to parse or run: say so at once
//   DOMContentLoaded + GRACE_MS, and main.js has not set html[data-started] ──► say so
//   window "load": a stylesheet without its last rule (truncated, or refused) ──► say so
//
// Module scripts run before DOMContentLoaded, so a main.js that has not reported itself by
// then never ran. The messages name the file; faults.js (imported only now that something has
// failed) adds what the server sent, the likely cause and what to do.
//
// It also starts the WebAssembly module's download, as early as a preload would, and shows its
// progress (bytes of the size index.html states, and a bar) from the first byte; main.js
// compiles the same response (window.distillModule), so nothing is fetched twice.
"use strict";

(function () {
  var MODULE = "pkg/distill_bg.wasm";
  window.distillModule = downloadModule();

  /** Fetches the module; a clone of the response is read to count its bytes as they come. */
  function downloadModule() {
    if (!window.fetch || window.origin === "null") return null; // main.js says why it cannot run
    var meta = document.querySelector('meta[name="wasm-bytes"]');
    var total = meta ? Number(meta.content) || 0 : 0;
    var response = fetch(MODULE);
    response
      .then(function (r) {
        if (!r.ok || !r.body) return;
        var reader = r.clone().body.getReader();
        var received = 0;
        var next = function () {
          return reader.read().then(function (part) {
            if (part.done) return whenBody(hideProgress);
            received += part.value.byteLength;
            whenBody(function () {
              showProgress(received, total);
            });
            return next();
          });
        };
        return next();
      })
      .catch(function () {
        // A failed download fails the compile too, and main.js explains it; the count stops.
        whenBody(hideProgress);
      });
    return response;
  }

  /** Runs `then` once the page's body (with the phase line) exists. */
  function whenBody(then) {
    if (document.getElementById("phase-text")) then();
    else document.addEventListener("DOMContentLoaded", then);
  }

  /** "Downloading the model code: 1.2 of 3.6 MB (33 %)…" and the bar, in the toolbar. */
  function showProgress(received, total) {
    var phase = document.getElementById("phase-text");
    var bar = document.getElementById("module-progress");
    if (!phase || !bar || root.hasAttribute("data-module-ready")) return;
    var mb = function (bytes) {
      return (bytes / 1e6).toFixed(1);
    };
    var of = total > 0 ? " of " + mb(total) + " MB (" + Math.min(100, Math.round((100 * received) / total)) + " %)" : " MB";
    phase.textContent = "Downloading the model code: " + mb(received) + of + "…";
    bar.hidden = false;
    if (total > 0) {
      bar.max = total;
      bar.value = Math.min(received, total);
    } else {
      bar.removeAttribute("value"); // indeterminate: the size is not known
    }
  }

  function hideProgress() {
    var bar = document.getElementById("module-progress");
    if (bar) bar.hidden = true;
    var phase = document.getElementById("phase-text");
    if (phase && !root.hasAttribute("data-module-ready") && !stopped) phase.textContent = "Starting the model code…";
  }

  /** Time (ms) after DOMContentLoaded for main.js to have reported itself started. */
  var GRACE_MS = 2000;
  var root = document.documentElement;
  var watching = true;
  var told = {}; // file → true once reported
  var stopped = false; // a failure that stops the page has been reported
  var blocked = []; // files blocked by an opaque origin, and the one line that lists them
  var blockedLine = null;

  window.addEventListener("error", onError, true);
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(checkStarted, GRACE_MS);
  });
  window.addEventListener("load", checkStylesheets);

  /** A script or stylesheet that failed to load, or an uncaught error while starting. */
  function onError(event) {
    if (!watching) return;
    var target = event.target;
    if (target && target.tagName === "SCRIPT" && target.src) {
      report(fileOf(target.src), "did not load", !isMain(target));
    } else if (target && target.tagName === "LINK" && target.rel === "stylesheet") {
      report(fileOf(target.href), "did not load", true);
    } else if (event.filename && sameOrigin(event.filename)) {
      // Our own script threw before the page started, or failed to parse.
      report(fileOf(event.filename), "failed to run (" + (event.message || "no details") + ")", false);
    }
  }

  function checkStarted() {
    watching = false;
    window.removeEventListener("error", onError, true);
    if (root.hasAttribute("data-started") || stopped) return;
    var main = document.querySelector("script[type=module][src]");
    report(main ? fileOf(main.src) : "main.js", "never started", false);
  }

  /** Each stylesheet ends with a rule that sets the custom property its link names. */
  function checkStylesheets() {
    var links = document.querySelectorAll("link[rel=stylesheet][data-last-rule]");
    var style = getComputedStyle(root);
    for (var i = 0; i < links.length; i += 1) {
      if (!style.getPropertyValue(links[i].getAttribute("data-last-rule")).trim()) {
        report(fileOf(links[i].href), "is incomplete or was refused (its last rule is missing)", true);
      }
    }
  }

  /**
   * Shows that `file` `failed`; `partial` when the rest of the page can still work. The
   * message starts plain and is replaced by faults.js's fuller one when that loads. Before the
   * body is parsed (a stylesheet can fail that early), it waits for it.
   */
  function report(file, failed, partial) {
    if (told[file]) return;
    told[file] = true;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        told[file] = false;
        report(file, failed, partial);
      });
      return;
    }
    if (!partial) {
      stopped = true;
      document.getElementById("phase-text").textContent = "Not running";
    }
    if (opaqueOrigin()) {
      // Nothing can be fetched from here, and every module fails alike: one line for them all.
      blocked.push(file);
      var text = blocked.join(" and ") + " " + failed + ". " + fallbackAdvice();
      if (blockedLine) blockedLine.textContent = text;
      else blockedLine = show(text);
      return;
    }
    // At once, a line that something failed; then faults.js looks at what the server sends,
    // so that a missing import is named rather than each script that imports it: several
    // scripts failing for one file end as one line.
    var line = show("A file of the page did not load; finding out which…", false);
    import("./faults.js")
      .then(function (faults) {
        return faults.explainStartup(file, failed).then(function (fault) {
          if (settle(line, fault.text)) faults.showFault(line, fault);
        });
      })
      .catch(function () {
        // faults.js is unavailable too: the plain message.
        settle(line, file + " " + failed + ". " + fallbackAdvice());
      });
  }

  /** Adds a line saying `text` to the load errors (`final`: as its last word) and returns it. */
  function show(text, final) {
    var box = document.getElementById("load-error");
    var line = document.createElement("p");
    line.textContent = text;
    if (final !== false) line.setAttribute("data-fault", text);
    box.appendChild(line);
    box.hidden = false;
    console.error(text);
    return line;
  }

  /**
   * Makes `line` say `text`, its last word; or removes it when another line says that
   * already. Returns whether the line stays.
   */
  function settle(line, text) {
    var box = document.getElementById("load-error");
    for (var i = 0; i < box.children.length; i += 1) {
      if (box.children[i] !== line && box.children[i].getAttribute("data-fault") === text) {
        line.remove();
        return false;
      }
    }
    line.textContent = text;
    line.setAttribute("data-fault", text);
    console.error(text);
    return true;
  }

  /** What to do when nothing more can be found out. */
  function fallbackAdvice() {
    if (location.protocol === "file:") {
      return "The page was opened from a file, where browsers block its module scripts: serve the folder over HTTP (cargo xtask serve, or any static server) and open that address.";
    }
    if (opaqueOrigin()) {
      return "The page is in a sandboxed frame without allow-same-origin, where browsers block its module scripts: open " + location.href + " in its own tab, or embed it with sandbox=\"allow-scripts allow-same-origin\".";
    }
    return "Check that the file is on the server beside index.html, then reload.";
  }

  /** A sandboxed frame (or file://) has an opaque origin, which the browser calls "null". */
  function opaqueOrigin() {
    return window.origin === "null";
  }

  function isMain(script) {
    return script === document.querySelector("script[type=module][src]");
  }

  function sameOrigin(url) {
    try {
      return new URL(url, location.href).origin === location.origin;
    } catch (err) {
      return false;
    }
  }

  /** A URL as the page's own relative path ("pkg/distill.js"). */
  function fileOf(url) {
    var base = location.href.replace(/[#?].*$/, "").replace(/[^/]*$/, "");
    return url.indexOf(base) === 0 ? url.slice(base.length) : url;
  }
})();
