//! The page's settings across the boundary: the knob table its controls are built from, the
//! URL hash parsed and written back, what a change of settings restarts, each chapter's
//! lesson, and the charts' keys.

use super::{from_js, to_js};
use crate::config::{Config, KNOBS, Kind};
use crate::lesson;
use crate::plot;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One row of the knob table as the page sees it.
#[derive(Serialize)]
struct KnobView {
    key: &'static str,
    label: &'static str,
    help: &'static str,
    group: crate::config::Group,
    /// The gist of what changing it restarts, for the note under the control; the page asks
    /// [`invalidates`] for the whole answer.
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
                restarts: k.restarts.gist(),
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

/// What must start again when the page's settings change from `old` to `new` (Configs as
/// [`parse_config`] gives them): `{ teacher, students, extraction, investigation, chat, pace }`,
/// each true if that part must restart (the teacher: everything trained on it too; pace: only
/// the speed changed). The knob table decides ([`Config::invalidates`]), not the page.
#[wasm_bindgen]
pub fn invalidates(old: JsValue, new: JsValue) -> Result<JsValue, JsError> {
    let old: Config = from_js(old, "old config")?;
    let new: Config = from_js(new, "new config")?;
    to_js(&old.invalidates(&new))
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
