//! What the API returns for one query: the response formats, and the defences among them.

use crate::metrics;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// What the API returns for one query: a probability vector over the classes, reduced or
/// distorted. Each answer is turned into a full distribution the student can learn from by
/// cross-entropy (`distill::cross_entropy` with the answer as target), as said per format.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Format {
    /// Every class probability: the student matches them exactly (distillation at T = 1).
    Full,
    /// The `k` largest probabilities (LLM APIs give up to 20 top log-probabilities). The mass
    /// they leave, 1 − Σ top-k, is spread evenly over the classes not shown: the
    /// maximum-entropy guess, since the API says nothing of them.
    TopK {
        /// How many probabilities are returned.
        k: usize,
    },
    /// The top-1 label only: the student trains on it as on a hard label.
    Label,
    /// Probabilities rounded to `decimals` places, then renormalised (all zero after rounding
    /// falls back to the label).
    Rounded {
        /// Decimal places kept.
        decimals: u32,
    },
    /// A perturbation defence: each probability gets uniform noise of up to `strength`, the
    /// vector is renormalised, and the top-1 class is kept top-1 (so honest users see the
    /// same label) — in the spirit of reverse-sigmoid (Lee et al. 2019).
    Perturbed {
        /// Noise amplitude relative to the probabilities (0 = none, 1 = as large as them).
        strength: f32,
    },
}

impl Format {
    /// A short name for tables and legends.
    pub fn name(&self) -> String {
        match self {
            Format::Full => "full probabilities".into(),
            Format::TopK { k } => format!("top-{k}"),
            Format::Label => "label only".into(),
            Format::Rounded { decimals } => format!("rounded to {decimals} d.p."),
            Format::Perturbed { strength } => format!("perturbed ({strength})"),
        }
    }

    /// The distribution the client learns from, given the teacher's probabilities `p` at one
    /// point. `rng` drives the perturbation defence only.
    pub fn answer(&self, p: &[f32], rng: &mut Rng) -> Vec<f32> {
        let k = p.len();
        let top = metrics::argmax(p, k)[0] as usize;
        let one_hot = || (0..k).map(|c| f32::from(u8::from(c == top))).collect();
        match *self {
            Format::Full => p.to_vec(),
            Format::Label => one_hot(),
            Format::TopK { k: shown } if shown >= k => p.to_vec(),
            Format::TopK { k: shown } => {
                let mut order: Vec<usize> = (0..k).collect();
                order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
                let mass: f32 = order[..shown].iter().map(|&c| p[c]).sum();
                let rest = (1.0 - mass).max(0.0) / (k - shown) as f32;
                let mut out = vec![rest; k];
                for &c in &order[..shown] {
                    out[c] = p[c];
                }
                out
            }
            Format::Rounded { decimals } => {
                let scale = 10f32.powi(decimals as i32);
                let rounded: Vec<f32> = p.iter().map(|v| (v * scale).round() / scale).collect();
                let sum: f32 = rounded.iter().sum();
                if sum > 0.0 {
                    rounded.iter().map(|v| v / sum).collect()
                } else {
                    one_hot()
                }
            }
            Format::Perturbed { strength } => {
                let mut out: Vec<f32> = p.iter().map(|v| v + strength * rng.uniform()).collect();
                let sum: f32 = out.iter().sum();
                out.iter_mut().for_each(|v| *v /= sum);
                let now = metrics::argmax(&out, k)[0] as usize;
                out.swap(now, top);
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: [f32; 4] = [0.1, 0.6, 0.05, 0.25];

    fn answer(format: Format) -> Vec<f32> {
        format.answer(&P, &mut Rng::new(1))
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-6)
    }

    #[test]
    fn each_format_does_what_it_says() {
        assert_eq!(answer(Format::Full), P.to_vec());
        assert_eq!(answer(Format::Label), vec![0.0, 1.0, 0.0, 0.0]);
        // Top-2 shows 0.6 and 0.25; the other 0.15 is spread over the two hidden classes.
        assert!(close(
            &answer(Format::TopK { k: 2 }),
            &[0.075, 0.6, 0.075, 0.25]
        ));
        assert!(close(&answer(Format::TopK { k: 9 }), &P));
        // One decimal: (0.1, 0.6, 0.1, 0.3) → renormalised by 1.1. Zero decimals: (0, 1, 0, 0).
        let r = answer(Format::Rounded { decimals: 1 });
        assert!(
            close(&r, &[0.1 / 1.1, 0.6 / 1.1, 0.1 / 1.1, 0.3 / 1.1]),
            "{r:?}"
        );
        assert_eq!(
            answer(Format::Rounded { decimals: 0 }),
            vec![0.0, 1.0, 0.0, 0.0]
        );
        let flat =
            Format::Rounded { decimals: 0 }.answer(&[0.3, 0.3, 0.4 - 1e-3, 1e-3], &mut Rng::new(1));
        assert_eq!(
            flat,
            vec![0.0, 0.0, 1.0, 0.0],
            "all rounded to zero: the label"
        );
    }

    #[test]
    fn perturbation_changes_probabilities_but_never_the_label() {
        let mut rng = Rng::new(5);
        for strength in [0.1, 1.0, 5.0] {
            for _ in 0..200 {
                let p = Format::Perturbed { strength }.answer(&P, &mut rng);
                assert_eq!(metrics::argmax(&p, 4), vec![1]);
                assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
                assert!(!close(&p, &P));
            }
        }
    }
}
