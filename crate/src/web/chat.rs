//! The chat section's side of the browser boundary: `WebChat` for its Worker (the names, the
//! teacher, the round being run, the marks' measured frontier), in the chat Worker's own
//! module, and `draw_chat_curves` / `draw_chat_marks` for the main thread, in the page's.
//! Files that fail to load become errors naming the file and the reason.

#[cfg(not(feature = "chat_worker"))]
pub use charts::{draw_chat_curves, draw_chat_marks};
#[cfg(feature = "chat_worker")]
pub use worker::WebChat;

#[cfg(feature = "chat_worker")]
mod worker {
    use super::super::{from_js, to_js};
    use crate::charlm::model::CharLm;
    use crate::charlm::weights;
    use crate::chat::corpus::{self, HELD_OUT};
    use crate::chat::frontier::{self, Point};
    use crate::chat::model::TEACHER;
    use crate::chat::study::{ChatConfig, Held, Round, green_mark, lane};
    use crate::config::Config;
    use burn::tensor::Device;
    use wasm_bindgen::prelude::*;

    /// The Worker's chat chapter: the split names, the shipped teacher, the marks' measured
    /// frontier and the round being run.
    #[wasm_bindgen]
    pub struct WebChat {
        teacher: CharLm,
        train: Vec<Vec<u8>>,
        marks: Vec<Point>,
        /// The held-out names, scored by the teacher once a session, at the first round's
        /// first checkpoint.
        scored: Held,
        round: Option<Round>,
    }

    #[wasm_bindgen]
    impl WebChat {
        /// Reads the names, the teacher's weights and the marks' frontier (chat-marks.csv);
        /// throws naming the file that is damaged and how.
        #[wasm_bindgen(constructor)]
        pub fn new(
            names: &[u8],
            names_name: &str,
            weights_bytes: &[u8],
            weights_name: &str,
            marks: &[u8],
            marks_name: &str,
        ) -> Result<WebChat, JsError> {
            let names = corpus::parse(names, names_name).map_err(|e| JsError::new(&e))?;
            let teacher = weights::load(&TEACHER, weights_bytes, weights_name, &Device::flex())
                .map_err(|e| JsError::new(&e))?;
            let marks = frontier::parse(marks, marks_name).map_err(|e| JsError::new(&e))?;
            let (train, held) = corpus::split(&names, HELD_OUT, teacher.split_seed);
            Ok(WebChat {
                scored: Held::new(&teacher.model, &held),
                teacher: teacher.model,
                train,
                marks: frontier::points(&marks),
                round: None,
            })
        }

        /// The marks' measured frontier, one point per mark, strength and test.
        pub fn marks(&self) -> Result<JsValue, JsError> {
            to_js(&self.marks)
        }

        /// Starts a round of `config`'s chat knobs and seed (the page's Config), one thief per
        /// access level of lane `part` of `parts` (see [`lane`]: the round's thieves split
        /// between Workers; without them, every thief); returns its first outcome.
        pub fn start(
            &mut self,
            config: JsValue,
            part: Option<usize>,
            parts: Option<usize>,
        ) -> Result<JsValue, JsError> {
            let accesses =
                lane(part.unwrap_or(0), parts.unwrap_or(1)).map_err(|e| JsError::new(&e))?;
            let mut config: Config = from_js(config, "config")?;
            config.reconcile();
            let device = Device::flex();
            let config = ChatConfig::from_config(&config);
            let mark = green_mark(&config);
            let round = Round::marked(
                &self.teacher,
                &self.train,
                &self.scored,
                config,
                accesses,
                mark,
                &device,
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
    use crate::chat::api::Access;
    use crate::chat::frontier::Point;
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

    /// The marks' frontier (`marks`, the points `WebChat::marks` gave) with this round's
    /// point: its API's cost per letter and the text-only thief's z, the page's δ ringed when
    /// it watermarks.
    #[wasm_bindgen]
    pub fn draw_chat_marks(
        target: JsValue,
        scale: f64,
        outcome: JsValue,
        marks: JsValue,
    ) -> Result<JsValue, JsError> {
        let o: Outcome = from_js(outcome, "outcome")?;
        let marks: Vec<Point> = from_js(marks, "marks")?;
        let live = o
            .thieves
            .iter()
            .find(|t| t.access == Access::Text && t.verdict.scored > 0)
            .map(|t| (o.cost.kl as f32, t.verdict.z as f32));
        let page = o.watermark.then_some((o.delta, o.test));
        render!(target, |area| plot::marks::draw(
            area, &marks, live, page, scale
        ))
    }
}
