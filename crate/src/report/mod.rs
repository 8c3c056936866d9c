//! The command line's reports, one per chapter (native only).

pub mod accounts;
pub mod api;
pub mod chat;
pub mod defences;
pub mod digits;
pub mod evidence;
pub mod frontier;
pub mod lessons;
pub mod marks;
pub mod playground;
pub mod reasoner;

use crate::plot;
use plotters::prelude::*;
use std::path::Path;

/// Mean and sample standard deviation.
pub fn mean_std(values: &[f32]) -> (f32, f32) {
    let n = values.len().max(1) as f32;
    let mean = values.iter().sum::<f32>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// Draws into a new SVG file of `size` pixels.
pub fn svg(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&plot::Area<SVGBackend>) -> plot::Drawn,
) -> plot::Drawn {
    let area = SVGBackend::new(path, size).into_drawing_area();
    draw(&area)?;
    area.present()
        .map_err(|e| format!("cannot write {}: {e:?}", path.display()))
}
