// playground/export-menus.js: the Export menus of the playground, the API chapter and the
// evidence chapter: their charts as images, their numbers as CSV, the distilled student's
// weights as a file from the worker.

import { casesCsv } from "../evidence/evidence.js";
import { buildExport } from "../export.js";
import { svgOf } from "../views.js";
import { state, teacherFinished } from "./state.js";
const $ = (id) => document.getElementById(id);

/** Builds the three Export menus. */
export function setupExport() {
  const chart = (id, label) => ({ canvas: $(id), label, svg: () => svgOf($(id)) });
  const text = (body, type) => body && { blob: new Blob([body], { type }), extension: type === "text/csv" ? "csv" : "txt" };
  buildExport(
    $("export-playground"),
    "playground",
    [
      chart("map-teacher", "Teacher’s map"),
      chart("map-distilled", "Distilled student’s map"),
      chart("map-hard", "Hard-label student’s map"),
      chart("chart-agreement", "Agreement and KL chart"),
      chart("probe", "Dark-knowledge probe"),
      chart("chart-loss", "Loss chart"),
      chart("accuracy", "Accuracy bars"),
      chart("params", "Student size bar"),
    ],
    [
      { label: "Measurements (CSV)", testId: "export-csv-playground", stem: "metrics", make: () => state.metrics && text(state.scene.csv(), "text/csv") },
      { label: "Distilled student’s weights (burnpack)", testId: "export-weights", stem: "distilled-student", make: requestWeights },
    ],
  );
  buildExport(
    $("export-api"),
    "api",
    [chart("chart-fidelity", "Fidelity and accuracy chart"), chart("chart-accounts", "Accounts chart")],
    [{ label: "Measurements (CSV)", testId: "export-csv-api", stem: "extraction", make: () => text(state.extraction.csv(state.wasm), "text/csv") }],
  );
  buildExport(
    $("export-evidence"),
    "evidence",
    [],
    [{ label: "Verdicts (CSV)", testId: "export-csv-evidence", stem: "verdicts", make: () => state.investigation.cases && text(casesCsv(state.investigation.cases), "text/csv") }],
  );
}

let weightsWanted = null; // { resolve, reject } while the worker encodes the weights

/** The distilled student's weights from the worker, as a file; null before phase 2. */
function requestWeights() {
  if (!teacherFinished()) return null;
  return new Promise((resolve, reject) => {
    weightsWanted?.reject(new Error("a newer request replaced this one"));
    weightsWanted = { resolve, reject };
    state.worker.post({ type: "weights" });
  });
}

/** Settles the request for the weights with the worker's reply (bytes, or an error). */
export function settleWeights(message) {
  const wanted = weightsWanted;
  weightsWanted = null;
  if (!wanted) return;
  if (message.error) wanted.reject(new Error(message.error));
  else wanted.resolve({ blob: new Blob([message.bytes], { type: "application/octet-stream" }), extension: "bpk" });
}
