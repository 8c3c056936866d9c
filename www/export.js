// export.js: each chapter's Export menu, all made in the browser: every chart as SVG (the same
// Rust draw call into plotters' SVG backend) and as PNG (the canvas as drawn), the chapter's
// measurements as CSV, and for the playground the distilled student's weights.

const FILE_PREFIX = "distillation-playground";

/**
 * Fills `menu` (a `<details>` holding a `.export-items` list and a `.export-status` line) with
 * download buttons for chapter `name`: `charts` is `[{ canvas, label, svg() }]` (svg returns
 * the chart's SVG text, or null when there is nothing to draw yet); `files` is
 * `[{ label, testId, make() }]`, where `make` returns (or promises) `{ blob, extension }`, or
 * null when there is nothing to export yet.
 */
export function buildExport(menu, name, charts, files) {
  const list = menu.querySelector(".export-items");
  const status = menu.querySelector(".export-status");
  const say = (text) => (status.textContent = text);
  const item = (label, testId, action) => {
    const button = Object.assign(document.createElement("button"), { type: "button", className: "quiet", textContent: label });
    button.dataset.testid = testId;
    button.addEventListener("click", async () => {
      try {
        // Saved within the click itself when the file is ready at once (SVG, CSV), so the
        // browser sees the download as the click's, however busy the page is.
        const made = action();
        const file = made instanceof Promise ? await made : made;
        if (!file) {
          say("Nothing to export yet: run this chapter first.");
          return;
        }
        const filename = `${FILE_PREFIX}-${file.stem}.${file.extension}`;
        save(file.blob, filename);
        say(`Saved ${filename}.`);
      } catch (err) {
        say(`Export failed: ${err?.message ?? err}`);
      }
    });
    const entry = document.createElement("li");
    entry.append(button);
    list.append(entry);
  };
  for (const { canvas, label, svg } of charts) {
    const stem = canvas.id;
    item(`${label} (SVG)`, `export-svg-${canvas.id}`, () => {
      const text = svg();
      return text && { blob: new Blob([text], { type: "image/svg+xml" }), extension: "svg", stem };
    });
    item(`${label} (PNG)`, `export-png-${canvas.id}`, () => pngOf(canvas, stem));
  }
  for (const { label, testId, stem, make } of files) {
    item(label, testId, () => {
      const named = (file) => file && { ...file, stem: `${name}-${stem}` };
      const made = make();
      return made instanceof Promise ? made.then(named) : named(made);
    });
  }
}

/** The canvas as drawn, as a PNG file; null if it has never been drawn. */
function pngOf(canvas, stem) {
  if (canvas.hidden || canvas.width === 0 || canvas.height === 0) return null;
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve({ blob, extension: "png", stem }) : reject(new Error("the canvas gave no image"))), "image/png"),
  );
}

/** Downloads `blob` as `filename`. */
function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
