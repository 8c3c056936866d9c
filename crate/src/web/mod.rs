//! The browser boundary (wasm32 only): the knob table and URL parsing, a [`WebTrainer`] for the
//! Worker, and draw calls for the main thread. Only plain data crosses it; errors become JS
//! errors with a message.

pub mod digits;

use crate::api::extraction::{Extraction, ExtractionMetrics};
use crate::config::{Config, KNOBS, Kind};
use crate::evidence::investigation::Investigation;
use crate::metrics::Metrics;
use crate::playground::dataset::Points;
use crate::playground::grid::Grid;
use crate::playground::trainer::{Probe, Trainer};
use crate::plot::{self, map::MapData};
use js_sys::{Float32Array, Object, Reflect, Uint32Array};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Plain JS values: objects for maps, `null` for `None`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad {what}: {e}")))
}

/// The most steps one call may run: a call blocks its Worker until it returns.
const MAX_STEPS_PER_CALL: f64 = 100_000.0;

/// A step count from JS as a whole number in `0..=MAX_STEPS_PER_CALL`, or an error saying
/// why not (JS numbers would otherwise wrap: -1 would become 4,294,967,295 steps).
pub(crate) fn steps(n: f64) -> Result<usize, JsError> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_STEPS_PER_CALL {
        Ok(n as usize)
    } else {
        Err(JsError::new(&format!(
            "step({n}): the number of steps must be a whole number from 0 to {MAX_STEPS_PER_CALL}"
        )))
    }
}

/// One row of the knob table as the page sees it.
#[derive(Serialize)]
struct KnobView {
    key: &'static str,
    label: &'static str,
    help: &'static str,
    group: crate::config::Group,
    restarts: crate::config::Restarts,
    kind: &'static str,
    choices: Vec<&'static str>,
    min: f64,
    max: f64,
    step: f64,
    log: bool,
    default: serde_json_value::Value,
}

mod serde_json_value {
    use serde::Serialize;

    /// A knob's default: a name for choices, a number otherwise.
    #[derive(Serialize)]
    #[serde(untagged)]
    pub enum Value {
        Name(&'static str),
        Number(f64),
    }
}

/// The declarative table of every setting, from which the page builds its controls.
#[wasm_bindgen]
pub fn knobs() -> Result<JsValue, JsError> {
    let default = Config::default();
    let rows: Vec<KnobView> = KNOBS
        .iter()
        .map(|k| {
            let value = (k.get)(&default);
            let (kind, choices, min, max, step, log, default) = match k.kind {
                Kind::Choice(names) => (
                    "choice",
                    names.to_vec(),
                    0.0,
                    (names.len() - 1) as f64,
                    1.0,
                    false,
                    serde_json_value::Value::Name(names[value as usize]),
                ),
                Kind::Number {
                    min,
                    max,
                    step,
                    log,
                } => (
                    "number",
                    vec![],
                    min,
                    max,
                    step,
                    log,
                    serde_json_value::Value::Number(value),
                ),
            };
            KnobView {
                key: k.key,
                label: k.label,
                help: k.help,
                group: k.group,
                restarts: k.restarts,
                kind,
                choices,
                min,
                max,
                step,
                log,
                default,
            }
        })
        .collect();
    to_js(&rows)
}

/// Parses a URL hash (without `#`) into `{ config, notices }`; bad values are clamped, and
/// each change is explained in a notice.
#[wasm_bindgen]
pub fn parse_config(hash: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Parsed {
        config: Config,
        notices: Vec<String>,
    }
    let (config, notices) = Config::from_query(hash);
    to_js(&Parsed { config, notices })
}

/// The canonical URL hash of a config: its non-default knobs.
#[wasm_bindgen]
pub fn config_hash(config: JsValue) -> Result<String, JsError> {
    Ok(from_js::<Config>(config, "config")?.to_query())
}

/// "student: 371 parameters = 4.3 % of the teacher (8707 parameters)".
#[wasm_bindgen]
pub fn describe_params(metrics: JsValue) -> Result<String, JsError> {
    Ok(from_js::<Metrics>(metrics, "metrics")?.describe_params())
}

/// The trainer, owned by the Worker.
#[wasm_bindgen]
pub struct WebTrainer(Trainer);

#[wasm_bindgen]
impl WebTrainer {
    /// A run at step 0; throws if the config is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<WebTrainer, JsError> {
        let config = from_js(config, "config")?;
        Trainer::new(config)
            .map(WebTrainer)
            .map_err(|e| JsError::new(&e))
    }

    /// Runs up to `n` steps and returns the metrics measured after them.
    pub fn step(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.0.step(steps(n)?))
    }

    /// The metrics of the last step.
    pub fn metrics(&self) -> Result<JsValue, JsError> {
        to_js(self.0.metrics())
    }

    /// Grid probabilities of each model, as Float32Arrays.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let s = self.0.snapshot();
        let out = Object::new();
        set(&out, "grid", &JsValue::from(s.grid as u32))?;
        set(&out, "classes", &JsValue::from(s.classes as u32))?;
        set(&out, "extent", &Float32Array::from(&s.extent[..]))?;
        set(&out, "teacher", &Float32Array::from(&s.teacher[..]))?;
        set(&out, "distilled", &Float32Array::from(&s.distilled[..]))?;
        set(&out, "hard", &Float32Array::from(&s.hard[..]))?;
        Ok(out.into())
    }

    /// Training, test and transfer points, as typed arrays.
    pub fn dataset(&self) -> Result<JsValue, JsError> {
        let d = self.0.dataset();
        let out = Object::new();
        for (name, points) in [
            ("train", &d.train),
            ("test", &d.test),
            ("student", &self.0.transfer()),
        ] {
            set(
                &out,
                &format!("{name}_x"),
                &Float32Array::from(&points.x[..]),
            )?;
            set(
                &out,
                &format!("{name}_y"),
                &Uint32Array::from(&points.y[..]),
            )?;
        }
        set(
            &out,
            "extent",
            &Float32Array::from(&Grid::DEFAULT.extent()[..]),
        )?;
        Ok(out.into())
    }

    /// Every model's probabilities at `(x, y)`.
    pub fn probe(&self, x: f32, y: f32) -> Result<JsValue, JsError> {
        to_js(&self.0.probe(x, y))
    }

    /// `[x, y]` of the test point the teacher is least sure of: a good first probe.
    pub fn least_sure_point(&self) -> Vec<f32> {
        self.0.least_sure_point().to_vec()
    }

    /// Keeps the trained teacher and restarts both students under `config`.
    pub fn restart_student(&mut self, config: JsValue) -> Result<(), JsError> {
        let config = from_js(config, "config")?;
        self.0
            .restart_students(config)
            .map_err(|e| JsError::new(&e))
    }
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &key.into(), value)
        .map(|_| ())
        .map_err(|_| JsError::new(&format!("could not set {key}")))
}

fn get(source: &JsValue, key: &str) -> Result<JsValue, JsError> {
    Reflect::get(source, &key.into()).map_err(|_| JsError::new(&format!("missing {key}")))
}

fn floats(source: &JsValue, key: &str) -> Result<Vec<f32>, JsError> {
    Ok(Float32Array::new(&get(source, key)?).to_vec())
}

fn points(dataset: &JsValue, name: &str) -> Result<Points, JsError> {
    Ok(Points {
        x: floats(dataset, &format!("{name}_x"))?,
        y: Uint32Array::new(&get(dataset, &format!("{name}_y"))?).to_vec(),
    })
}

/// Runs a plotters `draw` on a canvas, sized by its width/height attributes.
fn on_canvas(
    canvas: HtmlCanvasElement,
    draw: impl FnOnce(&plot::Area<CanvasBackend>) -> plot::Drawn,
) -> Result<(), JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
    let area = backend.into_drawing_area();
    draw(&area).map_err(|e| JsError::new(&e))?;
    area.present().map_err(|e| JsError::new(&format!("{e:?}")))
}

/// Draws one model's decision map (`which`: "teacher", "distilled" or "hard") with its
/// training points, filling the canvas; `probe_point` (`[x, y]` or null) is marked.
#[wasm_bindgen]
pub fn draw_map(
    canvas: HtmlCanvasElement,
    snapshot: JsValue,
    which: &str,
    dataset: JsValue,
    probe_point: Option<Vec<f32>>,
) -> Result<(), JsError> {
    let probs = floats(&snapshot, which)?;
    let extent = floats(&snapshot, "extent")?;
    let shown = points(
        &dataset,
        if which == "teacher" {
            "train"
        } else {
            "student"
        },
    )?;
    let number = |key| -> Result<usize, JsError> {
        get(&snapshot, key)?
            .as_f64()
            .map(|v| v as usize)
            .ok_or_else(|| JsError::new(&format!("snapshot.{key} is not a number")))
    };
    let map = MapData {
        probs: &probs,
        grid: number("grid")?,
        classes: number("classes")?,
        extent: [extent[0], extent[1], extent[2], extent[3]],
        points: Some(&shown),
        marker: probe_point.and_then(|p| Some([*p.first()?, *p.get(1)?])),
    };
    on_canvas(canvas, |area| plot::map::draw(area, &map))
}

/// Test accuracies as bars.
#[wasm_bindgen]
pub fn draw_accuracy(canvas: HtmlCanvasElement, metrics: JsValue) -> Result<(), JsError> {
    let metrics: Metrics = from_js(metrics, "metrics")?;
    on_canvas(canvas, |area| plot::bars::draw_accuracy(area, &metrics))
}

/// The parameter fraction as a bar.
#[wasm_bindgen]
pub fn draw_params(canvas: HtmlCanvasElement, metrics: JsValue) -> Result<(), JsError> {
    let metrics: Metrics = from_js(metrics, "metrics")?;
    on_canvas(canvas, |area| plot::bars::draw_params(area, &metrics))
}

/// A probe's probabilities as grouped bars.
#[wasm_bindgen]
pub fn draw_probe(canvas: HtmlCanvasElement, probe: JsValue) -> Result<(), JsError> {
    let probe: Probe = from_js(probe, "probe")?;
    on_canvas(canvas, |area| plot::bars::draw_probe(area, &probe))
}

/// The history of a run on the main thread, for its curves.
#[wasm_bindgen]
#[derive(Default)]
pub struct Charts(Vec<Metrics>);

#[wasm_bindgen]
impl Charts {
    /// An empty history.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Charts {
        Charts::default()
    }

    /// Appends the metrics the Worker posted.
    pub fn push(&mut self, metrics: JsValue) -> Result<(), JsError> {
        self.0.push(from_js(metrics, "metrics")?);
        Ok(())
    }

    /// Forgets the history (on reset).
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Agreement and KL curves.
    pub fn draw_agreement(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        on_canvas(canvas, |area| plot::curves::draw_agreement(area, &self.0))
    }

    /// Loss curves.
    pub fn draw_loss(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        on_canvas(canvas, |area| plot::curves::draw_loss(area, &self.0))
    }
}

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
        Extraction::new(&trainer.0, config)
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

/// The owner examining suspects for a watermark and a fingerprint (evidence panel).
#[wasm_bindgen]
pub struct WebInvestigation(Investigation);

#[wasm_bindgen]
impl WebInvestigation {
    /// Starts training the suspects and reference models against `trainer`'s teacher.
    #[wasm_bindgen(constructor)]
    pub fn new(trainer: &WebTrainer, config: JsValue) -> Result<WebInvestigation, JsError> {
        let config = from_js(config, "config")?;
        Investigation::new(&trainer.0, config)
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
