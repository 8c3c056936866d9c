//! The digits section's side of the browser boundary: [`WebDigits`] for its Worker (the
//! digits, the teacher, the running experiment), and draw calls for the main thread. Files
//! that fail to load become errors naming the file and the reason.

use super::{from_js, render, set, to_js};
use crate::config::Config;
use crate::digits::data::{self, CLASSES, Digits, PIXELS, SIDE};
use crate::digits::experiment::{Experiment, StudyConfig};
use crate::digits::outcome::Outcome;
use crate::digits::study::Study;
use crate::digits::weights;
use crate::model::Mlp;
use crate::plot;
use burn::module::Module;
use burn::tensor::Device;
use js_sys::{Object, Uint32Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One preset as the page lists it.
#[derive(Serialize)]
struct Preset {
    name: &'static str,
    title: &'static str,
    explain: &'static str,
}

/// The three experiments, with their one-sentence explanations.
#[wasm_bindgen]
pub fn digits_presets() -> Result<JsValue, JsError> {
    let presets: Vec<Preset> = Experiment::ALL
        .iter()
        .map(|e| Preset {
            name: e.name(),
            title: e.title(),
            explain: e.explain(),
        })
        .collect();
    to_js(&presets)
}

/// The Worker's digits: the data, the current teacher and the experiment being run.
#[wasm_bindgen]
pub struct WebDigits {
    data: Digits,
    teacher: Mlp,
    /// The settings the current teacher was trained under (its split above all).
    config: StudyConfig,
    study: Option<Study>,
}

#[wasm_bindgen]
impl WebDigits {
    /// Reads the digits and the teacher's weights; throws naming the file that is damaged
    /// and how.
    #[wasm_bindgen(constructor)]
    pub fn new(
        data: &[u8],
        data_name: &str,
        weights_bytes: &[u8],
        weights_name: &str,
    ) -> Result<WebDigits, JsError> {
        let data = data::parse(data, data_name).map_err(|e| JsError::new(&e))?;
        let teacher = weights::load(weights_bytes, weights_name, &Device::flex())
            .map_err(|e| JsError::new(&e))?;
        Ok(WebDigits {
            data,
            teacher: teacher.model,
            config: teacher.config,
            study: None,
        })
    }

    /// Starts experiment `name` under the `digits_*` knobs of `config` (the page's Config),
    /// on the current teacher's split, with that teacher or, if `retrain_teacher`, a new one
    /// trained first; returns its first outcome.
    pub fn start(
        &mut self,
        name: &str,
        config: JsValue,
        retrain_teacher: bool,
    ) -> Result<JsValue, JsError> {
        let experiment = Experiment::from_name(name)
            .ok_or_else(|| JsError::new(&format!("no experiment called {name}")))?;
        let mut config: Config = from_js(config, "config")?;
        config.reconcile();
        let config = self.config.clone().with_knobs(&config);
        let teacher = (!retrain_teacher).then(|| self.teacher.clone());
        let study =
            Study::new(experiment, config, &self.data, teacher).map_err(|e| JsError::new(&e))?;
        let outcome = study.outcome();
        self.study = Some(study);
        to_js(&outcome)
    }

    /// Runs up to `n` steps of the experiment and returns its outcome. A teacher retrained
    /// live becomes the current teacher as soon as it is done.
    pub fn step(&mut self, n: f64) -> Result<JsValue, JsError> {
        let n = super::steps(n)?;
        let study = self.study.as_mut().ok_or_else(no_experiment)?;
        let outcome: Outcome = study.step(n);
        if let Some(teacher) = study.teacher() {
            self.teacher = teacher.clone();
        }
        to_js(&outcome)
    }

    /// The teacher's and the student's answers for a drawing (a canvas's RGBA bytes,
    /// `width × height`; its alpha is the ink), the teacher's also at `temperature`, and the
    /// 8×8 digit they saw: `{ pixels, answer }`.
    pub fn answer(
        &self,
        rgba: &[u8],
        width: usize,
        height: usize,
        temperature: f32,
    ) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Seen {
            pixels: Vec<f32>,
            answer: crate::digits::outcome::Answer,
        }
        let study = self.study.as_ref().ok_or_else(no_experiment)?;
        let ink: Vec<u8> = rgba.iter().skip(3).step_by(4).copied().collect();
        let pixels = data::from_sketch(&ink, width, height);
        let answer = study.answer(&pixels, temperature);
        to_js(&Seen { pixels, answer })
    }

    /// What the section's introduction states, measured on the loaded files: `{ shape,
    /// params, train, test, temperature, ranked }`, the teacher's layer widths and parameter
    /// count, the split's sizes, the teacher's temperature, and `ranked[c]`, the ten classes by
    /// the teacher's mean probability at that temperature on the test digits of class `c`,
    /// highest first (its dark knowledge: which digits a `c` resembles).
    pub fn facts(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Facts {
            shape: Vec<usize>,
            params: usize,
            train: usize,
            test: usize,
            temperature: f32,
            ranked: Vec<Vec<u32>>,
        }
        let shape = self.config.teacher();
        let (train, test) = self.data.split(self.config.test, self.config.seed);
        let logits = crate::learner::logits(&self.teacher, &test.x, PIXELS, &Device::flex());
        let t = self.config.temperature;
        let mut sums = vec![0.0f64; CLASSES * CLASSES]; // [true][class]
        for (row, &y) in crate::metrics::softmax(&logits, CLASSES, t)
            .chunks(CLASSES)
            .zip(&test.y)
        {
            for (k, &p) in row.iter().enumerate() {
                sums[y as usize * CLASSES + k] += f64::from(p);
            }
        }
        let ranked = (0..CLASSES)
            .map(|c| {
                let mut classes: Vec<u32> = (0..CLASSES as u32).collect();
                let sum = |k: u32| sums[c * CLASSES + k as usize];
                classes.sort_by(|&a, &b| sum(b).total_cmp(&sum(a)));
                classes
            })
            .collect();
        let mut widths = vec![shape.input];
        widths.extend(&shape.hidden);
        widths.push(shape.classes);
        to_js(&Facts {
            shape: widths,
            params: self.teacher.num_params(),
            train: train.len(),
            test: test.len(),
            temperature: t,
            ranked,
        })
    }

    /// Confusion matrices on the test digits, `{ teacher, student }` as Uint32Arrays (10 × 10,
    /// `[true][predicted]`; the student's empty before the students start).
    pub fn confusion(&self) -> Result<JsValue, JsError> {
        let study = self.study.as_ref().ok_or_else(no_experiment)?;
        let (teacher, student) = study.confusion();
        let out = Object::new();
        set(&out, "teacher", &Uint32Array::from(&teacher[..]))?;
        set(&out, "student", &Uint32Array::from(&student[..]))?;
        Ok(out.into())
    }
}

fn no_experiment() -> JsError {
    JsError::new("no experiment has been started")
}

/// The 8×8 digit the networks saw, on `target` (a canvas, or `{ width, height }` for an SVG
/// string).
#[wasm_bindgen]
pub fn draw_digit_pixels(target: JsValue, pixels: Vec<f32>) -> Result<JsValue, JsError> {
    render!(target, |area| plot::digit::draw_pixels(area, &pixels, SIDE))
}

/// The teacher's (T = 1 and soft) and the student's probabilities for one digit, on `target`
/// at `scale` (as for [`super::playground::Scene::draw_map`]).
#[wasm_bindgen]
pub fn draw_digit_answer(target: JsValue, scale: f64, answer: JsValue) -> Result<JsValue, JsError> {
    let answer = from_js(answer, "answer")?;
    render!(target, |area| plot::digit::draw_answer(
        area, &answer, scale
    ))
}

/// A confusion matrix (`[true][predicted]` counts, row-major) under `title`, on `target` at
/// `scale`.
#[wasm_bindgen]
pub fn draw_confusion(
    target: JsValue,
    scale: f64,
    matrix: Vec<u32>,
    title: &str,
) -> Result<JsValue, JsError> {
    render!(target, |area| plot::confusion::draw(
        area, &matrix, title, scale
    ))
}

/// An experiment's result: the temperature sweep as curves, the others as error bars; on
/// `target` at `scale`.
#[wasm_bindgen]
pub fn draw_study(target: JsValue, scale: f64, outcome: JsValue) -> Result<JsValue, JsError> {
    let outcome: Outcome = from_js(outcome, "outcome")?;
    let outcomes = [outcome];
    render!(target, |area| match outcomes[0].experiment {
        Experiment::Temperature if outcomes[0].rows.len() > 1 => {
            plot::study::draw_temperature(area, &outcomes, scale)
        }
        _ => plot::study::draw_errors(area, &outcomes, scale),
    })
}

/// "student: 9,610 parameters = 11.3 % of the teacher's 85,002".
#[wasm_bindgen]
pub fn describe_study_params(outcome: JsValue) -> Result<String, JsError> {
    Ok(from_js::<Outcome>(outcome, "outcome")?.describe_params())
}

/// What the teacher and the student say of a drawing, in words.
#[wasm_bindgen]
pub fn describe_digit_answer(answer: JsValue) -> Result<String, JsError> {
    Ok(from_js::<crate::digits::outcome::Answer>(answer, "answer")?.describe())
}
