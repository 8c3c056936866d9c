//! Where the main thread's draw calls paint: a canvas of the page, or an SVG string for export.

use super::object::get;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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

/// Runs a plotters draw, `render!(target, |area| plot::x::draw(area, …))`, on the canvas (the
/// page's backend, [`super::canvas::Canvas`]) or into an SVG string as [`target`] says; returns
/// `undefined` or the SVG text. `|area, on_canvas|` also says which of the two it is. A macro,
/// not a function, because the same draw is instantiated for both backends.
macro_rules! render {
    ($target:expr, |$area:ident| $draw:expr) => {
        $crate::web::draw::render!($target, |$area, _on_canvas| $draw)
    };
    ($target:expr, |$area:ident, $on_canvas:ident| $draw:expr) => {
        match $crate::web::draw::target($target)? {
            $crate::web::draw::Target::Canvas(canvas) => {
                let backend = $crate::web::canvas::Canvas::new(canvas)
                    .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
                let $on_canvas = true;
                let $area = &plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
                $draw.map_err(|e| JsError::new(&e))?;
                $area
                    .present()
                    .map_err(|e| JsError::new(&format!("{e:?}")))?;
                Ok(JsValue::UNDEFINED)
            }
            $crate::web::draw::Target::Svg(width, height) => {
                let mut svg = String::new();
                {
                    let backend =
                        plotters::prelude::SVGBackend::with_string(&mut svg, (width, height));
                    let $on_canvas = false;
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
