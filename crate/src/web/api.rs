//! Chapter 2's bindings: a client distilling the trained teacher through the API, and the
//! sweep of that client over account counts.

use super::playground::WebTrainer;
use super::{from_js, render, steps, to_js};
use crate::api::extraction::{Extraction, ExtractionMetrics};
use crate::api::spread::{Spread, SpreadMetrics};
use crate::plot;
use wasm_bindgen::prelude::*;

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
/// the metrics the Worker posted (an array of step results), on `target` at `scale` (as for
/// [`super::playground::Scene::draw_map`]).
#[wasm_bindgen]
pub fn draw_fidelity(target: JsValue, scale: f64, history: JsValue) -> Result<JsValue, JsError> {
    let history: Vec<ExtractionMetrics> = from_js(history, "extraction history")?;
    render!(target, |area| plot::fidelity::draw(area, &history, scale))
}

/// An extraction's history as CSV (`table::extraction_csv`).
#[wasm_bindgen]
pub fn extraction_csv(history: JsValue) -> Result<String, JsError> {
    let history: Vec<ExtractionMetrics> = from_js(history, "extraction history")?;
    Ok(crate::table::extraction_csv(&history))
}

/// The fidelity at which each copy's bill is read (`api::extraction::LEVEL`), for the formats
/// table's header before any extraction has run.
#[wasm_bindgen]
pub fn bill_level() -> f32 {
    crate::api::extraction::LEVEL
}

/// The sweep over account counts and detectors (`api::spread`), run on the Worker's trained
/// teacher: one copy on full probabilities per account count and detector.
#[wasm_bindgen]
pub struct WebSpread(Spread);

#[wasm_bindgen]
impl WebSpread {
    /// Prepares the sweep of `trainer`'s teacher under `config`'s API settings; throws if the
    /// teacher is not trained yet or the config is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(trainer: &WebTrainer, config: JsValue) -> Result<WebSpread, JsError> {
        let config = from_js(config, "config")?;
        Spread::new(trainer.trainer(), &config)
            .map(WebSpread)
            .map_err(|e| JsError::new(&e))
    }

    /// Runs up to `n` training steps; returns `{ progress, accounts, points }` (SpreadMetrics).
    pub fn step(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.0.step(steps(n)?))
    }
}

/// Draws the sweep's fidelity against accounts, bill and time per detector, from the metrics
/// the Worker posted, on `target` at `scale` (as for [`draw_fidelity`]).
#[wasm_bindgen]
pub fn draw_accounts(target: JsValue, scale: f64, metrics: JsValue) -> Result<JsValue, JsError> {
    let metrics: SpreadMetrics = from_js(metrics, "accounts sweep")?;
    render!(target, |area| plot::accounts::draw(area, &metrics, scale))
}
