// views.js: the page's drawing schedule, shared by every chapter. Each view is a canvas plus
// a Rust draw call. Views marked dirty are drawn on the next animation frame, oldest first,
// within FRAME_BUDGET_MS; the rest wait a frame, so no frame of the main thread grows long
// however fast the workers post.

import { describe } from "./messages.js";

/** Time (ms) the drawing may take in one animation frame; what is left waits for the next. */
const FRAME_BUDGET_MS = 6;

const views = [];
let frameRequested = false;

/** Sizes each observed canvas to its box in device pixels and redraws it. */
const observer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const view = views.find((v) => v.canvas === entry.target);
    const device = entry.devicePixelContentBoxSize?.[0];
    const css = entry.contentBoxSize[0];
    view.width = Math.round(device ? device.inlineSize : css.inlineSize * devicePixelRatio);
    view.height = Math.round(device ? device.blockSize : css.blockSize * devicePixelRatio);
    markDirty(view);
  }
  requestFrame();
});

/**
 * Adds a view: `draw(canvas)` paints `canvas` when its `group` is invalidated or the canvas
 * is resized.
 */
export function addView(group, canvas, draw) {
  // cost: a running average of how long the view takes to draw (ms), for the frame budget.
  views.push({ group, canvas, draw, width: 0, height: 0, dirtySince: null, failed: false, cost: 0 });
  observer.observe(canvas);
}

/** Marks the views of each of `groups` ("maps", "charts", "scores", "probe", "api") for redrawing. */
export function invalidate(...groups) {
  for (const view of views) {
    if (groups.includes(view.group)) markDirty(view);
  }
  requestFrame();
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
    try {
      view.draw(view.canvas);
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
