// views.js: the page's drawing schedule, shared by every chapter. Each view is a canvas plus
// a Rust draw call. Views marked dirty are drawn on the next animation frame, oldest first,
// within FRAME_BUDGET_MS; the rest wait a frame, so no frame of the main thread grows long
// however fast the workers post. Every draw call takes a target (the canvas, or
// `{ width, height }` for an SVG string) and the drawing scale; presenter mode enlarges what
// is drawn, not the bitmap.

import { describe } from "./messages.js";

/** Time (ms) the drawing may take in one animation frame; what is left waits for the next. */
const FRAME_BUDGET_MS = 6;

/** How much presenter mode enlarges type and lines in the charts. */
const PRESENTER_SCALE = 1.65;

const views = [];
let frameRequested = false;

/** Drawing scale without the screen's pixel ratio: 1, or PRESENTER_SCALE in presenter mode. */
export function cssScale() {
  return document.documentElement.classList.contains("presenter") ? PRESENTER_SCALE : 1;
}

/**
 * What `canvas` is drawn at: its bitmap's pixels per CSS pixel (the screen's pixel ratio, as
 * far as the browser sized the bitmap by it) times the presenter's enlargement.
 */
export function drawScale(canvas) {
  const ratio = canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : devicePixelRatio;
  return ratio * cssScale();
}

// Presenter mode changes the scale even where it leaves a canvas's size alone: redraw all.
new MutationObserver(() => {
  for (const view of views) markDirty(view);
  requestFrame();
}).observe(document.documentElement, { attributeFilter: ["class"] });

/** Sizes each observed canvas to its box in device pixels and redraws it. */
const observer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const view = views.find((v) => v.canvas === entry.target);
    const device = entry.devicePixelContentBoxSize?.[0];
    const css = entry.contentBoxSize[0];
    view.width = Math.round(device ? device.inlineSize : css.inlineSize * devicePixelRatio);
    view.height = Math.round(device ? device.blockSize : css.blockSize * devicePixelRatio);
    view.cssWidth = css.inlineSize;
    markDirty(view);
  }
  requestFrame();
});

/**
 * Adds a view: `draw(target, scale)` paints `canvas` (or returns an SVG string for
 * `{ width, height }`) when its `group` is invalidated or the canvas is resized. `stamp()`, if
 * given, says what the view shows as an array of values: an invalidation that leaves every
 * value the same (compared with ===) as at its last drawing does not draw it again.
 */
export function addView(group, canvas, draw, stamp = null) {
  // cost: a running average of how long the view takes to draw (ms), for the frame budget.
  // cssWidth: the box's width as last observed, so that a frame never asks the page for its
  // layout (reading clientWidth after the readouts changed would lay out the whole page).
  views.push({
    group, canvas, draw, stamp, drawnStamp: null,
    width: 0, height: 0, cssWidth: 0, dirtySince: null, failed: false, cost: 0,
  });
  observer.observe(canvas);
}

/** Marks the views of each of `groups` ("maps", "charts", "scores", "probe", "api", "chat") for redrawing. */
export function invalidate(...groups) {
  for (const view of views) {
    if (groups.includes(view.group) && !showsAlready(view)) markDirty(view);
  }
  requestFrame();
}

/** Whether the view, drawn already, would draw the same again (its stamp is unchanged). */
function showsAlready(view) {
  if (!view.stamp || !view.drawnStamp || view.dirtySince != null) return false;
  const now = view.stamp();
  return now.length === view.drawnStamp.length && now.every((value, i) => value === view.drawnStamp[i]);
}

function markDirty(view) {
  view.dirtySince ??= performance.now();
}

function requestFrame() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(drawFrame);
}

function drawFrame() {
  frameRequested = false;
  const start = performance.now();
  const dirty = views.filter((v) => v.dirtySince != null).sort((a, b) => a.dirtySince - b.dirtySince);
  let drawn = 0;
  for (const view of dirty) {
    // Always draw one view per frame; draw another only if its usual cost still fits.
    if (drawn > 0 && performance.now() - start + view.cost > FRAME_BUDGET_MS) {
      requestFrame();
      return;
    }
    view.dirtySince = null;
    if (view.width === 0 || view.height === 0) continue; // hidden; drawn when it reappears
    if (view.canvas.width !== view.width) view.canvas.width = view.width;
    if (view.canvas.height !== view.height) view.canvas.height = view.height;
    const began = performance.now();
    view.drawnStamp = view.stamp?.() ?? null;
    try {
      const ratio = view.cssWidth > 0 ? view.width / view.cssWidth : devicePixelRatio;
      view.draw(view.canvas, ratio * cssScale());
      // Visible in the browser's performance panel, and read by the long-task test.
      performance.measure(`draw ${view.canvas.id}`, { start: began });
    } catch (err) {
      if (!view.failed) console.error(`Drawing ${view.canvas.id} failed: ${describe(err)}`);
      view.failed = true;
    }
    view.cost = 0.8 * view.cost + 0.2 * (performance.now() - began);
    drawn += 1;
  }
}

/**
 * The SVG text of the view drawn on `canvas`, at its size on screen (CSS pixels) and the
 * current presenter scale: the same Rust draw call, into plotters' SVG backend. Null if the
 * view has nothing to draw yet.
 */
export function svgOf(canvas) {
  const view = views.find((v) => v.canvas === canvas);
  if (!view) return null;
  const width = Math.max(1, Math.round(canvas.clientWidth));
  const height = Math.max(1, Math.round(canvas.clientHeight));
  const svg = view.draw({ width, height }, cssScale());
  return typeof svg === "string" ? svg : null;
}
