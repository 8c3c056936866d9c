//! Plots of a run, each a plain `draw` over a plotters [`DrawingArea`], generic over the
//! backend: the same code renders SVG natively and draws on a canvas in the page.

pub mod bars;
pub mod confusion;
pub mod curves;
pub mod digit;
pub mod fidelity;
pub mod map;
pub mod study;

use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;

/// A plotters drawing area of any backend: what every `draw` takes.
pub type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Result of a `draw`: errors become strings at this boundary.
pub type Drawn = Result<(), String>;

/// Okabe & Ito's colour-blind-safe palette, one colour per class.
const CLASS_COLORS: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// The colour of class `c`.
pub fn class_color(c: usize) -> RGBColor {
    CLASS_COLORS[c % CLASS_COLORS.len()]
}

/// Colour of the teacher in every chart.
pub const TEACHER: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Colour of the distilled student in every chart.
pub const DISTILLED: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Colour of the hard-label student in every chart.
pub const HARD: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// Font size in pixels scaled to the area: readable on a phone and on a projector.
fn font_px<DB: DrawingBackend>(area: &Area<DB>) -> f64 {
    let (w, h) = area.dim_in_pixel();
    (f64::from(w.min(h * 2)) / 28.0).clamp(11.0, 44.0)
}

/// Draws the legend of a chart's labelled series, in the house style.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    font: f64,
    position: SeriesLabelPosition,
) -> Drawn {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(("sans-serif", font * 0.8))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("plot failed: {e:?}")
}
