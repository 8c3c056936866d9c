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

/// `run(seed, device)` for every seed of `seeds`, side by side on two threads (each run is a
/// pure function of its seed), the runs in the seeds' order.
pub fn over_seeds<R: Send>(
    seeds: &[u64],
    run: impl Fn(u64, &burn::tensor::Device) -> Vec<R> + Sync,
) -> Vec<R> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = seeds
            .chunks(seeds.len().div_ceil(2).max(1))
            .map(|chunk| {
                let run = &run;
                scope.spawn(move || {
                    let device = burn::tensor::Device::flex();
                    chunk
                        .iter()
                        .flat_map(|&seed| run(seed, &device))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a seed's runs panicked"))
            .collect()
    })
}

/// Writes `lines` under `header` as the CSV file `path`, one per line.
pub fn write_csv(
    path: &Path,
    header: &str,
    lines: impl Iterator<Item = String>,
) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = std::iter::once(header.to_string())
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
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
