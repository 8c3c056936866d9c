// playground/canvases.js: the playground's and the API chapter's canvases, each added to
// views.js with the crate's call that draws it from the state, and the clicks on the maps.

import { addView } from "../views.js";
import { keptPoint } from "../view.js";
import { state } from "./state.js";
const $ = (id) => document.getElementById(id);

/** Adds the canvases to views.js; a click on a map calls `probe(point)` with its data point. */
export function setupCanvases(probe) {
  const { scene } = state;
  const marked = () => state.probePoint ?? state.probe?.point ?? null;
  // The teacher's map changes only while the teacher trains (and with the data or the probe):
  // while the students train it is not drawn again. Its 1,200 points make it the dearest view.
  const teacherShows = () => [state.dataset, state.snapshot != null, state.metrics?.teacher_step, ...(marked() ?? [])];
  for (const which of ["teacher", "distilled", "hard"]) {
    const canvas = $(`map-${which}`);
    const draw = (target, scale) => {
      if (!state.snapshot || !state.dataset) return null;
      return scene.draw_map(target, scale, which, marked());
    };
    addView("maps", canvas, draw, which === "teacher" ? teacherShows : null);
    canvas.addEventListener("click", (event) => {
      if (state.snapshot) probe(pointAt(canvas, event, state.snapshot.extent));
    });
  }
  addView("charts", $("chart-agreement"), (target, scale) => scene.draw_agreement(target, scale));
  addView("charts", $("chart-loss"), (target, scale) => scene.draw_loss(target, scale));
  addView("scores", $("accuracy"), (target, scale) => state.metrics && scene.draw_accuracy(target, scale));
  addView("scores", $("params"), (target, scale) => state.metrics && scene.draw_params(target, scale));
  addView("probe", $("probe"), (target, scale) => state.probe && state.wasm.draw_probe(target, scale, state.probe));
  addView("api", $("chart-fidelity"), (target, scale) => state.extraction.draw(state.wasm, target, scale));
  addView("api", $("chart-accounts"), (target, scale) => state.spread.draw(state.wasm, target, scale));
}

/**
 * A click on a decision map as data coordinates (top row = ymax), rounded as the address keeps
 * them, so that a copied link probes exactly this point.
 */
function pointAt(canvas, event, [xmin, xmax, ymin, ymax]) {
  const rect = canvas.getBoundingClientRect(); // includes the border; the map is inside it
  const left = event.clientX - rect.left - canvas.clientLeft;
  const top = event.clientY - rect.top - canvas.clientTop;
  const x = xmin + (left / canvas.clientWidth) * (xmax - xmin);
  const y = ymax - (top / canvas.clientHeight) * (ymax - ymin);
  return keptPoint([x, y]);
}
