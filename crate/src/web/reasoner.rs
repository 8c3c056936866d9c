//! The reasoner section's side of the browser boundary: `WebReasoner` for its Worker (the
//! teacher, the round being run), in the text Workers' module beside the chat's, and
//! `draw_reasoner_curves` for the main thread, in the page's. A teacher file that fails to load
//! becomes an error naming the file and the reason.

#[cfg(not(feature = "chat_worker"))]
pub use charts::draw_reasoner_curves;
#[cfg(feature = "chat_worker")]
pub use worker::WebReasoner;

#[cfg(feature = "chat_worker")]
mod worker {
    use super::super::{from_js, to_js};
    use crate::charlm::model::CharLm;
    use crate::charlm::weights;
    use crate::config::Config;
    use crate::reasoner::study::{ReasonerConfig, Round, TeacherScore, teacher_score};
    use crate::reasoner::teacher::KIND;
    use burn::tensor::Device;
    use wasm_bindgen::prelude::*;

    /// The Worker's reasoner chapter: the shipped teacher, its split, its held-out score (one
    /// per seed, measured once) and the round being run.
    #[wasm_bindgen]
    pub struct WebReasoner {
        teacher: CharLm,
        split: u64,
        scores: Vec<(u64, TeacherScore)>,
        round: Option<Round>,
    }

    #[wasm_bindgen]
    impl WebReasoner {
        /// Reads the teacher's weights; throws naming the file if it is damaged and how.
        #[wasm_bindgen(constructor)]
        pub fn new(weights_bytes: &[u8], weights_name: &str) -> Result<WebReasoner, JsError> {
            let teacher = weights::load(&KIND, weights_bytes, weights_name, &Device::flex())
                .map_err(|e| JsError::new(&e))?;
            Ok(WebReasoner {
                teacher: teacher.model,
                split: teacher.split_seed,
                scores: Vec::new(),
                round: None,
            })
        }

        /// Starts a round of `config`'s reasoner knobs and seed (the page's Config); returns
        /// its first outcome.
        pub fn start(&mut self, config: JsValue) -> Result<JsValue, JsError> {
            let mut config: Config = from_js(config, "config")?;
            config.reconcile();
            let config = ReasonerConfig::from_config(&config);
            let device = Device::flex();
            let score = match self.scores.iter().find(|(s, _)| *s == config.seed) {
                Some(&(_, score)) => score,
                None => {
                    let score = teacher_score(&self.teacher, self.split, config.seed, &device);
                    self.scores.push((config.seed, score));
                    score
                }
            };
            let round = Round::with_score(config, &self.teacher, self.split, score, &device);
            let outcome = round.outcome();
            self.round = Some(round);
            to_js(&outcome)
        }

        /// Runs up to `n` more steps of every student and returns the outcome.
        pub fn step(&mut self, n: f64) -> Result<JsValue, JsError> {
            super::super::step_round(self.round.as_mut(), n, Round::step, Round::outcome)
        }
    }
}

#[cfg(not(feature = "chat_worker"))]
mod charts {
    use super::super::{from_js, render};
    use crate::plot::{self, reasoner::Axis};
    use crate::reasoner::study::Outcome;
    use wasm_bindgen::prelude::*;

    /// A round's accuracy curves against `axis` (`"problems"` or `"tokens"` bought), on
    /// `target` at `scale` (as for [`crate::web::playground::Scene::draw_map`]).
    #[wasm_bindgen]
    pub fn draw_reasoner_curves(
        target: JsValue,
        scale: f64,
        outcome: JsValue,
        axis: &str,
    ) -> Result<JsValue, JsError> {
        let outcome: Outcome = from_js(outcome, "outcome")?;
        let axis = Axis::from_name(axis)
            .ok_or_else(|| JsError::new(&format!("no chart against {axis}: problems or tokens")))?;
        render!(target, |area| plot::reasoner::draw(
            area, &outcome, axis, scale
        ))
    }
}
