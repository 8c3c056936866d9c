//! Chapter 3's bindings: the owner investigating suspects.

use super::playground::WebTrainer;
use super::{from_js, steps, to_js};
use crate::evidence::investigation::Investigation;
use wasm_bindgen::prelude::*;

/// The owner examining suspects for a watermark and a fingerprint (evidence panel).
#[wasm_bindgen]
pub struct WebInvestigation(Investigation);

#[wasm_bindgen]
impl WebInvestigation {
    /// Starts training the suspects and reference models against `trainer`'s teacher.
    #[wasm_bindgen(constructor)]
    pub fn new(trainer: &WebTrainer, config: JsValue) -> Result<WebInvestigation, JsError> {
        let config = from_js(config, "config")?;
        Investigation::new(trainer.trainer(), config)
            .map(WebInvestigation)
            .map_err(|e| JsError::new(&e))
    }

    /// Trains up to `n` more steps; returns the fraction done (1 when the verdicts are ready).
    pub fn step(&mut self, n: f64) -> Result<f32, JsError> {
        Ok(self.0.step(steps(n)?))
    }

    /// The evidence on each suspect: watermark (right and wrong key) and fingerprint verdicts.
    pub fn cases(&self) -> Result<JsValue, JsError> {
        to_js(&self.0.cases())
    }
}
