//! The reasoner section's side of the browser boundary: `WebReasoner` for its Worker (the
//! teacher, the owner's proxies, the defences' measured frontier, the round being run), in the
//! text Workers' module beside the chat's, and `draw_reasoner_curves` /
//! `draw_reasoner_defences` for the main thread, in the page's. A file that fails to load
//! becomes an error naming the file and the reason.

#[cfg(not(feature = "chat_worker"))]
pub use charts::{draw_reasoner_curves, draw_reasoner_defences};
#[cfg(feature = "chat_worker")]
pub use worker::WebReasoner;

#[cfg(feature = "chat_worker")]
mod worker {
    use super::super::{from_js, to_js};
    use crate::charlm::model::CharLm;
    use crate::charlm::weights;
    use crate::config::Config;
    use crate::reasoner::defence::{Api, Policy};
    use crate::reasoner::frontier::{self, Point};
    use crate::reasoner::proxy::Proxy;
    use crate::reasoner::study::{ReasonerConfig, Round, TeacherScore, teacher_score};
    use crate::reasoner::teacher::KIND;
    use burn::tensor::Device;
    use wasm_bindgen::prelude::*;

    /// The Worker's reasoner chapter: the shipped teacher, its split, the defences' measured
    /// frontier, the owner's proxy and the teacher's held-out score through each API (each
    /// measured once per seed, and per policy) and the round being run.
    #[wasm_bindgen]
    pub struct WebReasoner {
        teacher: CharLm,
        split: u64,
        defences: Vec<Point>,
        proxies: Vec<(u64, Proxy)>,
        scores: Vec<(u64, Policy, TeacherScore)>,
        round: Option<Round>,
    }

    #[wasm_bindgen]
    impl WebReasoner {
        /// Reads the teacher's weights and the defences' frontier (reasoner-defences.csv);
        /// throws naming the file that is damaged and how.
        #[wasm_bindgen(constructor)]
        pub fn new(
            weights_bytes: &[u8],
            weights_name: &str,
            defences: &[u8],
            defences_name: &str,
        ) -> Result<WebReasoner, JsError> {
            let teacher = weights::load(&KIND, weights_bytes, weights_name, &Device::flex())
                .map_err(|e| JsError::new(&e))?;
            let defences =
                frontier::parse(defences, defences_name).map_err(|e| JsError::new(&e))?;
            Ok(WebReasoner {
                teacher: teacher.model,
                split: teacher.split_seed,
                defences: frontier::points(&defences),
                proxies: Vec::new(),
                scores: Vec::new(),
                round: None,
            })
        }

        /// The defences' measured frontier, one point per setting and thief.
        pub fn defences(&self) -> Result<JsValue, JsError> {
            to_js(&self.defences)
        }

        /// Starts a round of `config`'s reasoner knobs and seed (the page's Config); returns
        /// its first outcome. A steering defence trains the owner's proxy first, once a seed.
        pub fn start(&mut self, config: JsValue) -> Result<JsValue, JsError> {
            let mut config: Config = from_js(config, "config")?;
            config.reconcile();
            let config = ReasonerConfig::from_config(&config);
            let (seed, policy) = (config.seed, config.policy);
            let device = Device::flex();
            if policy.strength() != 0.0 && !self.proxies.iter().any(|(s, _)| *s == seed) {
                let proxy = Proxy::train(&self.teacher, self.split, seed, &device);
                self.proxies.push((seed, proxy));
            }
            let proxy = self
                .proxies
                .iter()
                .find(|(s, _)| *s == seed)
                .map(|(_, p)| p);
            let api = Api::new(policy, proxy, seed);
            let cached = self
                .scores
                .iter()
                .find(|(s, p, _)| *s == seed && *p == policy);
            let score = match cached {
                Some(&(_, _, score)) => score,
                None => {
                    let score = teacher_score(&self.teacher, &api, self.split, seed, &device);
                    self.scores.push((seed, policy, score));
                    score
                }
            };
            let round = Round::with_score(config, &self.teacher, &api, self.split, score, &device);
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
    use crate::reasoner::frontier::Point;
    use crate::reasoner::study::{Access, Outcome};
    use wasm_bindgen::prelude::*;

    /// The defences' frontier (`points`, as `WebReasoner::defences` gave them) with this
    /// round's point (the honest user's accuracy and the working thief's, as it stands) and
    /// its policy ringed where it was measured.
    #[wasm_bindgen]
    pub fn draw_reasoner_defences(
        target: JsValue,
        scale: f64,
        outcome: JsValue,
        points: JsValue,
    ) -> Result<JsValue, JsError> {
        let o: Outcome = from_js(outcome, "outcome")?;
        let points: Vec<Point> = from_js(points, "points")?;
        let live = o
            .students
            .iter()
            .find(|s| s.access == Access::Working && o.step > 0)
            .and_then(|s| s.points.last())
            .map(|p| (o.teacher.score.worked as f32, p.accuracy as f32));
        render!(target, |area| plot::defences::draw(
            area, &points, live, o.policy, scale
        ))
    }

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
