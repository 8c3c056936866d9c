//! The owner's keyed watermark in the API's soft answers, and the exact test that finds it in a
//! suspect.

use crate::metrics;
use crate::playground::dataset::EXTENT;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Cells per side of the watermark's partition of the plane.
pub const CELLS: usize = 8;

/// The owner's watermark: each cell of an 8 × 8 partition of the plane has a keyed "green"
/// class; where green is not the top-1 class, the API adds `delta` to green's probability
/// (never past the top-1) and renormalises. The top-1 label never changes, so honest users
/// and accuracy lose nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Watermark {
    /// The secret key.
    pub key: u64,
    /// Probability added to the green class (≈ 0.3).
    pub delta: f32,
}

impl Watermark {
    /// The cell a point falls in, row-major from the bottom-left.
    pub fn cell(point: [f32; 2]) -> usize {
        let index = |v: f32| {
            (((v + EXTENT) / (2.0 * EXTENT)) * CELLS as f32).clamp(0.0, CELLS as f32 - 1.0) as usize
        };
        index(point[1]) * CELLS + index(point[0])
    }

    /// The green class of a cell: a keyed pseudo-random function of (key, cell) mod `classes`.
    /// (A deployment would use HMAC; SplitMix64 keyed by the secret plays its part here.)
    pub fn green(&self, cell: usize, classes: usize) -> usize {
        (Rng::new(self.key ^ (cell as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
            % classes as u64) as usize
    }

    /// The watermarked answer for probabilities `p` at `point`.
    pub fn apply(&self, point: [f32; 2], p: &[f32]) -> Vec<f32> {
        let k = p.len();
        let top = metrics::argmax(p, k)[0] as usize;
        let green = self.green(Self::cell(point), k);
        let mut out = p.to_vec();
        if green != top {
            // Just below the top-1, at most: the label must not change.
            out[green] = (p[green] + self.delta).min(p[top] * 0.999);
            let sum: f32 = out.iter().sum();
            out.iter_mut().for_each(|v| *v /= sum);
        }
        out
    }
}

/// P(X ≥ `hits`) for X ~ Binomial(`n`, `p`): the one-sided exact binomial test's p-value.
pub fn binomial_tail(hits: usize, n: usize, p: f64) -> f64 {
    let mut log_choose = 0.0f64; // ln C(n, 0)
    let mut tail = 0.0;
    for i in 0..=n {
        if i > 0 {
            log_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        if i >= hits {
            tail += (log_choose + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp();
        }
    }
    tail.min(1.0)
}

/// The result of checking a suspect for the watermark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatermarkVerdict {
    /// Cells probed whose green class is not the suspect's top-1.
    pub cells: usize,
    /// Of those, cells where the suspect's runner-up class is green.
    pub green: usize,
    /// Chance of a runner-up being green, with no watermark: 1/(K − 1).
    pub chance: f64,
    /// One-sided exact binomial p-value of `green` or more.
    pub p_value: f64,
    /// Whether `p_value` is below the significance level.
    pub flagged: bool,
}

/// Significance level of both tests: the evidence must be this unlikely by chance.
pub const ALPHA: f64 = 1e-3;

/// Checks a suspect's probabilities `probs` (`[points, classes]`) at `points` (one probe per
/// occupied cell) for the watermark keyed `watermark.key`.
pub fn verify(
    watermark: &Watermark,
    points: &[f32],
    probs: &[f32],
    classes: usize,
) -> WatermarkVerdict {
    let (mut cells, mut green) = (0, 0);
    for (point, p) in points.chunks(2).zip(probs.chunks(classes)) {
        let g = watermark.green(Watermark::cell([point[0], point[1]]), classes);
        let mut order: Vec<usize> = (0..classes).collect();
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
        if order[0] == g {
            continue; // green is the top-1 here: this cell says nothing
        }
        cells += 1;
        green += usize::from(order[1] == g);
    }
    let chance = 1.0 / (classes - 1) as f64;
    let p_value = binomial_tail(green, cells, chance);
    WatermarkVerdict {
        cells,
        green,
        chance,
        p_value,
        flagged: cells > 0 && p_value < ALPHA,
    }
}

/// One probe point per cell that holds data: the first data point found in it.
pub fn probe_points(data: &[f32]) -> Vec<f32> {
    let mut seen = [false; CELLS * CELLS];
    let mut out = Vec::new();
    for p in data.chunks(2) {
        let cell = Watermark::cell([p[0], p[1]]);
        if !seen[cell] {
            seen[cell] = true;
            out.extend_from_slice(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_never_changes_top1_and_nudges_green() {
        let mark = Watermark {
            key: 42,
            delta: 0.3,
        };
        let mut rng = Rng::new(3);
        for _ in 0..2000 {
            let point = [rng.range(-EXTENT, EXTENT), rng.range(-EXTENT, EXTENT)];
            let raw: Vec<f32> = (0..4).map(|_| rng.uniform() + 1e-3).collect();
            let sum: f32 = raw.iter().sum();
            let p: Vec<f32> = raw.iter().map(|v| v / sum).collect();
            let w = mark.apply(point, &p);
            assert_eq!(metrics::argmax(&w, 4), metrics::argmax(&p, 4));
            assert!((w.iter().sum::<f32>() - 1.0).abs() < 1e-5);
            let g = mark.green(Watermark::cell(point), 4);
            assert!(w[g] >= p[g] - 1e-6);
        }
        assert_ne!(
            (0..64).map(|c| mark.green(c, 4)).collect::<Vec<_>>(),
            (0..64)
                .map(|c| Watermark { key: 43, ..mark }.green(c, 4))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn binomial_tail_matches_exact_values() {
        // P(X ≥ 8 | 10, 1/2) = (45 + 10 + 1) / 1024 = 0.0546875.
        assert!((binomial_tail(8, 10, 0.5) - 56.0 / 1024.0).abs() < 1e-12);
        // P(X ≥ 3 | 4, 1/3) = (4·(1/3)³·(2/3) + (1/3)⁴) = 9/81 = 1/9.
        assert!((binomial_tail(3, 4, 1.0 / 3.0) - 1.0 / 9.0).abs() < 1e-12);
        assert!((binomial_tail(0, 7, 0.3) - 1.0).abs() < 1e-12);
        // 28 of 30 at 1/2: (C(30,28) + C(30,29) + 1) / 2³⁰ = 466 / 1073741824.
        assert!((binomial_tail(28, 30, 0.5) - 466.0 / 1_073_741_824.0).abs() < 1e-15);
    }

    #[test]
    fn verify_counts_green_runner_ups() {
        let mark = Watermark { key: 7, delta: 0.3 };
        let points: Vec<f32> = (0..CELLS * CELLS)
            .flat_map(|c| {
                let w = 2.0 * EXTENT / CELLS as f32;
                [
                    -EXTENT + ((c % CELLS) as f32 + 0.5) * w,
                    -EXTENT + ((c / CELLS) as f32 + 0.5) * w,
                ]
            })
            .collect();
        // A suspect that always ranks the green class second (or first when top-1 is green):
        let marked: Vec<f32> = points
            .chunks(2)
            .flat_map(|p| mark.apply([p[0], p[1]], &[0.5, 0.3, 0.2]))
            .collect();
        let v = verify(&mark, &points, &marked, 3);
        assert_eq!(v.green, v.cells);
        assert!(v.flagged && v.p_value < 1e-6, "{v:?}");
        let wrong = verify(&Watermark { key: 8, ..mark }, &points, &marked, 3);
        assert!(!wrong.flagged, "{wrong:?}");
    }
}
