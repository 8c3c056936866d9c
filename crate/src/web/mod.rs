//! The browser boundary (wasm32 only): here the knob table, URL parsing and the helpers every
//! chapter's bindings share; in each chapter's file its state object for the Worker
//! ([`playground::WebTrainer`], [`api::WebExtraction`], [`evidence::WebInvestigation`],
//! [`digits::WebDigits`], [`chat::WebChat`]) and its draw calls for the main thread. Only plain data crosses it; errors become JS
//! errors with a message.

pub mod api;
pub mod chat;
pub mod digits;
pub mod evidence;
pub mod playground;

use crate::config::{Config, KNOBS, Kind};
use crate::lesson;
use crate::plot;
use js_sys::{Float32Array, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
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
    let default = lesson::opening();
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

/// Parses a URL hash (without `#`) over the page's opening setting (the playground's lesson)
/// into `{ config, notices }`; bad values are clamped, and
/// each change is explained in a notice.
#[wasm_bindgen]
pub fn parse_config(hash: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Parsed {
        config: Config,
        notices: Vec<String>,
    }
    let (config, notices) = Config::from_query_over(&lesson::opening(), hash);
    to_js(&Parsed { config, notices })
}

/// Each chapter's lesson and counter-case (`lesson::LESSONS`): `[{ chapter, query, counter,
/// counter_reason }]`, the settings as URL hash queries over the page's opening setting.
#[wasm_bindgen]
pub fn lessons() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct View {
        chapter: &'static str,
        query: String,
        counter: String,
        counter_reason: &'static str,
    }
    let opening = lesson::opening();
    let rows: Vec<View> = lesson::LESSONS
        .iter()
        .map(|l| View {
            chapter: l.chapter,
            query: l.config().to_query_over(&opening),
            counter: l.counter_config().to_query_over(&opening),
            counter_reason: l.counter_reason,
        })
        .collect();
    to_js(&rows)
}

/// The canonical URL hash of a config: the knobs that differ from the page's opening setting.
#[wasm_bindgen]
pub fn config_hash(config: JsValue) -> Result<String, JsError> {
    Ok(from_js::<Config>(config, "config")?.to_query_over(&lesson::opening()))
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

/// Where a draw call paints: a canvas of the page (sized by its width and height
/// attributes), or a new SVG document of `{ width, height }` pixels, for export.
pub(crate) enum Target {
    Canvas(HtmlCanvasElement),
    Svg(u32, u32),
}

/// Reads a draw call's first argument: a canvas, or `{ width, height }`.
pub(crate) fn target(value: JsValue) -> Result<Target, JsError> {
    let value = match value.dyn_into::<HtmlCanvasElement>() {
        Ok(canvas) => return Ok(Target::Canvas(canvas)),
        Err(value) => value,
    };
    let size = |key| -> Result<u32, JsError> {
        get(&value, key)?
            .as_f64()
            .filter(|v| (1.0..=10_000.0).contains(v))
            .map(|v| v as u32)
            .ok_or_else(|| JsError::new(&format!("a drawing needs a canvas or a {key} in pixels")))
    };
    Ok(Target::Svg(size("width")?, size("height")?))
}

/// Runs a plotters draw, `render!(target, |area| plot::x::draw(area, …))`, on the canvas or
/// into an SVG string as [`target`] says; returns `undefined` or the SVG text. A macro, not a
/// function, because the same draw is instantiated for both backends.
macro_rules! render {
    ($target:expr, |$area:ident| $draw:expr) => {
        match $crate::web::target($target)? {
            $crate::web::Target::Canvas(canvas) => {
                let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
                    .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
                let $area = &plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
                $draw.map_err(|e| JsError::new(&e))?;
                $area
                    .present()
                    .map_err(|e| JsError::new(&format!("{e:?}")))?;
                Ok(JsValue::UNDEFINED)
            }
            $crate::web::Target::Svg(width, height) => {
                let mut svg = String::new();
                {
                    let backend =
                        plotters::prelude::SVGBackend::with_string(&mut svg, (width, height));
                    let $area = &plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
                    $draw.map_err(|e| JsError::new(&e))?;
                    $area
                        .present()
                        .map_err(|e| JsError::new(&format!("{e:?}")))?;
                }
                Ok(JsValue::from(svg))
            }
        }
    };
}
pub(crate) use render;

/// Each class's colour (`#rrggbb`) and marker character, for the maps' key:
/// `[{ color, marker }]` for `classes` classes.
#[wasm_bindgen]
pub fn class_key(classes: usize) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Entry {
        color: String,
        marker: String,
    }
    let key: Vec<Entry> = (0..classes.min(64))
        .map(|c| Entry {
            color: plot::class_hex(c),
            marker: plot::class_marker(c).glyph().to_string(),
        })
        .collect();
    to_js(&key)
}

/// Each API response format's colour (`#rrggbb`) and marker character, in the chart's order.
#[wasm_bindgen]
pub fn format_key() -> Result<JsValue, JsError> {
    let key: Vec<(String, String)> = plot::FORMAT_INKS
        .iter()
        .enumerate()
        .map(|(i, ink)| (plot::format_hex(i), ink.marker.glyph().to_string()))
        .collect();
    to_js(&key)
}
