//! The chat section's side of the browser boundary: `WebChat` for its Worker (the names, the
//! teacher, the round being run), in the chat Worker's own module, and `draw_chat_curves` for
//! the main thread, in the page's. Files that fail to load become errors naming the file and
//! the reason.

#[cfg(not(feature = "chat_worker"))]
pub use charts::draw_chat_curves;
#[cfg(feature = "chat_worker")]
pub use worker::WebChat;

#[cfg(feature = "chat_worker")]
mod worker {
    use super::super::{from_js, to_js};
    use crate::charlm::model::CharLm;
    use crate::charlm::weights;
    use crate::chat::api::Access;
    use crate::chat::corpus::{self, HELD_OUT};
    use crate::chat::model::TEACHER;
    use crate::chat::study::{ChatConfig, Round};
    use crate::config::Config;
    use burn::tensor::Device;
    use wasm_bindgen::prelude::*;

    /// The Worker's chat chapter: the split names, the shipped teacher and the round being run.
    #[wasm_bindgen]
    pub struct WebChat {
        teacher: CharLm,
        train: Vec<Vec<u8>>,
        held: Vec<Vec<u8>>,
        round: Option<Round>,
    }

    #[wasm_bindgen]
    impl WebChat {
        /// Reads the names and the teacher's weights; throws naming the file that is damaged and
        /// how.
        #[wasm_bindgen(constructor)]
        pub fn new(
            names: &[u8],
            names_name: &str,
            weights_bytes: &[u8],
            weights_name: &str,
        ) -> Result<WebChat, JsError> {
            let names = corpus::parse(names, names_name).map_err(|e| JsError::new(&e))?;
            let teacher = weights::load(&TEACHER, weights_bytes, weights_name, &Device::flex())
                .map_err(|e| JsError::new(&e))?;
            let (train, held) = corpus::split(&names, HELD_OUT, teacher.split_seed);
            Ok(WebChat {
                teacher: teacher.model,
                train,
                held,
                round: None,
            })
        }

        /// Starts a round of `config`'s chat knobs and seed (the page's Config), one thief per
        /// access level; returns its first outcome.
        pub fn start(&mut self, config: JsValue) -> Result<JsValue, JsError> {
            let mut config: Config = from_js(config, "config")?;
            config.reconcile();
            let round = Round::new(
                &self.teacher,
                &self.train,
                &self.held,
                ChatConfig::from_config(&config),
                &Access::ALL,
                &Device::flex(),
            );
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
    use crate::chat::study::Outcome;
    use crate::plot::{self, chat::Metric};
    use wasm_bindgen::prelude::*;

    /// A round's curves against tokens bought, `metric` `"nll"` or `"kl"`, on `target` at `scale`
    /// (as for [`crate::web::playground::Scene::draw_map`]).
    #[wasm_bindgen]
    pub fn draw_chat_curves(
        target: JsValue,
        scale: f64,
        outcome: JsValue,
        metric: &str,
    ) -> Result<JsValue, JsError> {
        let outcome: Outcome = from_js(outcome, "outcome")?;
        let metric = Metric::from_name(metric)
            .ok_or_else(|| JsError::new(&format!("no chart of {metric}: nll or kl")))?;
        render!(target, |area| plot::chat::draw(
            area, &outcome, metric, scale
        ))
    }
}
