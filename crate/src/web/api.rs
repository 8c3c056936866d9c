//! Chapter 2's bindings: a client distilling the trained teacher through the API.

use super::playground::WebTrainer;
use super::{from_js, on_canvas, steps, to_js};
use crate::api::extraction::{Extraction, ExtractionMetrics};
use crate::plot;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A client distilling the Worker's trained teacher through the API (API mode).
#[wasm_bindgen]
pub struct WebExtraction(Extraction);

#[wasm_bindgen]
impl WebExtraction {
    /// Starts an extraction of `trainer`'s teacher under `config`'s API settings; throws if
    /// the teacher is not trained yet or the config is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(trainer: &WebTrainer, config: JsValue) -> Result<WebExtraction, JsError> {
        let config = from_js(config, "config")?;
        Extraction::new(trainer.trainer(), config)
            .map(WebExtraction)
            .map_err(|e| JsError::new(&e))
    }

    /// The metrics at creation, before any query.
    pub fn metrics(&self) -> Result<JsValue, JsError> {
        to_js(self.0.metrics())
    }

    /// Runs up to `n` steps; returns the metrics (queries, cost, ban, each format's fidelity).
    pub fn step(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.0.step(steps(n)?))
    }
}

/// Draws an extraction's fidelity and accuracy against queries, one curve per format, from
/// the metrics the Worker posted (an array of step results).
#[wasm_bindgen]
pub fn draw_fidelity(canvas: HtmlCanvasElement, history: JsValue) -> Result<(), JsError> {
    let history: Vec<ExtractionMetrics> = from_js(history, "extraction history")?;
    on_canvas(canvas, |area| plot::fidelity::draw(area, &history))
}
