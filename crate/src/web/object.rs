//! Fields of plain JS objects, read and written by name.

use js_sys::{Float32Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// Sets `target[key]`.
pub(super) fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &key.into(), value)
        .map(|_| ())
        .map_err(|_| JsError::new(&format!("could not set {key}")))
}

/// Reads `source[key]`.
pub(super) fn get(source: &JsValue, key: &str) -> Result<JsValue, JsError> {
    Reflect::get(source, &key.into()).map_err(|_| JsError::new(&format!("missing {key}")))
}

/// Reads `source[key]`, a Float32Array.
pub(super) fn floats(source: &JsValue, key: &str) -> Result<Vec<f32>, JsError> {
    Ok(Float32Array::new(&get(source, key)?).to_vec())
}
