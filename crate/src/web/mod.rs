//! The browser boundary (wasm32 only): the helpers every chapter's bindings share; in each
//! chapter's file its state object for the Worker ([`playground::WebTrainer`],
//! [`api::WebExtraction`], [`evidence::WebInvestigation`], [`digits::WebDigits`],
//! [`chat::WebChat`], [`reasoner::WebReasoner`]) and its draw calls for the main thread; in `settings` the knob table,
//! URL parsing and the lessons; in `canvas` the backend the draw calls paint the page with. Only plain data crosses it; errors become JS errors with a
//! message.
//!
//! The crate builds two modules: the page's (the default), and with the `chat_worker` feature
//! the text Workers' (the chat's and the reasoner's), which holds [`chat::WebChat`] and
//! [`reasoner::WebReasoner`] alone, so that the page's first load does not carry the language
//! models' training code.

#[cfg(not(feature = "chat_worker"))]
pub mod api;
#[cfg(not(feature = "chat_worker"))]
mod canvas;
pub mod chat;
#[cfg(not(feature = "chat_worker"))]
pub mod digits;
#[cfg(not(feature = "chat_worker"))]
mod draw;
#[cfg(not(feature = "chat_worker"))]
pub mod evidence;
#[cfg(not(feature = "chat_worker"))]
mod object;
#[cfg(not(feature = "chat_worker"))]
pub mod playground;
pub mod reasoner;
#[cfg(not(feature = "chat_worker"))]
pub mod settings;

#[cfg(not(feature = "chat_worker"))]
pub(crate) use draw::render;
#[cfg(not(feature = "chat_worker"))]
use object::{floats, get, set};

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// The modules' allocator: a training step allocates and frees every tensor it makes, and
/// Rust's default for wasm32 (dlmalloc) took a fifth of a student step in the page's Worker.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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

/// Up to `n` more steps (see [`steps`]) of the round a text Worker plays, with `step`, and the
/// outcome after them, with `outcome`; an error if no round has been started.
#[cfg(feature = "chat_worker")]
pub(crate) fn step_round<R, O: Serialize>(
    round: Option<&mut R>,
    n: f64,
    step: impl FnOnce(&mut R, usize) -> usize,
    outcome: impl FnOnce(&R) -> O,
) -> Result<JsValue, JsError> {
    let n = steps(n)?;
    let round = round.ok_or_else(|| JsError::new("no round has been started"))?;
    step(round, n);
    to_js(&outcome(round))
}

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
