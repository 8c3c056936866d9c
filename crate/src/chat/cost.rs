//! What a mark costs the API's honest users, three ways, measured on the names the API
//! writes: the KL per letter from the served to the plain distribution (the distortion
//! itself), the teacher's NLL of its served names (what per-letter quality sees: it falls
//! when a mark sharpens the samples), and the share of distinct names (what sharpening costs).

use crate::charlm::model::{Bias, CharLm, sample, softmax};
use crate::chat::corpus::{END, MAX_LETTERS, SYMBOLS};
use crate::chat::mark::Mark;
use crate::rng::Rng;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The honest user's cost of the names written so far.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Cost {
    /// KL(served ‖ plain) at each letter written (end markers included), averaged: nats a
    /// letter, 0 for an unmarked API.
    pub kl: f64,
    /// The teacher's own NLL of the letters written, nats a letter.
    pub nll: f64,
    /// Distinct names among those written.
    pub distinct: f64,
    /// Names written.
    pub names: usize,
}

/// Names written so far and their running sums.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    kl: f64,
    nll: f64,
    letters: usize,
    names: usize,
    seen: HashSet<Vec<u8>>,
}

impl Tally {
    /// Writes `count` names with `teacher` under `mark` (none: plain), drawing with `rng`,
    /// and adds them to the tally; returns them as [`sample`] does, each with the teacher's
    /// own distribution at every letter.
    pub fn write(
        &mut self,
        teacher: &CharLm,
        mark: Option<&Mark>,
        count: usize,
        rng: &mut Rng,
        device: &Device,
    ) -> Vec<(Vec<u8>, Vec<f32>)> {
        let mut metered = Metered { mark, kl: 0.0 };
        let names = sample(teacher, count, MAX_LETTERS, rng, device, &mut metered);
        self.kl += metered.kl;
        for (name, dists) in &names {
            for (p, &token) in dists.chunks_exact(SYMBOLS).zip(name.iter().chain([&END])) {
                self.nll -= f64::from(p[usize::from(token)]).ln();
                self.letters += 1;
            }
            self.seen.insert(name.clone());
        }
        self.names += names.len();
        names
    }

    /// The cost of what was written.
    pub fn cost(&self) -> Cost {
        let letters = self.letters.max(1) as f64;
        Cost {
            kl: self.kl / letters,
            nll: self.nll / letters,
            distinct: self.seen.len() as f64 / self.names.max(1) as f64,
            names: self.names,
        }
    }
}

/// The cost of `count` names `teacher` writes under `mark`, seeded by `seed`.
pub fn of(teacher: &CharLm, mark: Option<&Mark>, count: usize, seed: u64, device: &Device) -> Cost {
    let mut tally = Tally::default();
    let mut rng = Rng::fork(seed, "honest user");
    tally.write(teacher, mark, count, &mut rng, device);
    tally.cost()
}

/// A mark that also sums KL(served ‖ plain) over the letters it biases.
struct Metered<'a> {
    mark: Option<&'a Mark>,
    kl: f64,
}

impl Bias for &mut Metered<'_> {
    fn guide(&self) -> Option<&CharLm> {
        self.mark.and_then(Mark::guide)
    }

    fn add(&mut self, prefix: &[u8], guide: &[f32], row: &mut [f32]) {
        let Some(mark) = self.mark else { return };
        let plain = softmax(row);
        mark.apply(prefix, guide, row);
        let served = softmax(row);
        self.kl += served
            .iter()
            .zip(&plain)
            .filter(|(q, _)| **q > 0.0)
            .map(|(&q, &p)| f64::from(q) * (f64::from(q).ln() - f64::from(p).ln()))
            .sum::<f64>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::weights;
    use crate::chat::watermark::Watermark;

    #[test]
    fn an_unmarked_api_costs_nothing_and_a_mark_costs_by_its_strength() {
        let device = Device::flex();
        let teacher = weights::tests::teacher(&device).model;
        let plain = of(&teacher, None, 200, 1, &device);
        assert_eq!(plain.kl, 0.0);
        let mark = |delta| Mark::Green(Watermark { key: 42, delta });
        let (weak, strong) = (
            of(&teacher, Some(&mark(1.0)), 200, 1, &device),
            of(&teacher, Some(&mark(4.0)), 200, 1, &device),
        );
        assert!(0.0 < weak.kl && weak.kl < strong.kl, "{weak:?} {strong:?}");
        // The green list flattens the teacher's choices: its own names become less likely.
        assert!(plain.nll < strong.nll, "{plain:?} {strong:?}");
        assert!((0.0..=1.0).contains(&strong.distinct) && strong.names == 200);
    }

    #[test]
    fn the_kl_of_one_biased_row_is_the_hand_sum() {
        // Two letters equally likely, δ on the green one: q = (e^δ, 1)/(e^δ + 1), p = ½ each.
        let w = Watermark { key: 5, delta: 1.0 };
        let mark = Mark::Green(w);
        let mut metered = Metered {
            mark: Some(&mark),
            kl: 0.0,
        };
        let mut row = vec![f32::NEG_INFINITY; SYMBOLS];
        let prefix = [3u8];
        let g = (0..SYMBOLS as u8)
            .find(|&t| crate::chat::watermark::green(5, [3], t))
            .unwrap();
        let r = (0..SYMBOLS as u8)
            .find(|&t| !crate::chat::watermark::green(5, [3], t))
            .unwrap();
        row[usize::from(g)] = 0.0;
        row[usize::from(r)] = 0.0;
        (&mut metered).add(&prefix, &[], &mut row);
        let e = 1f64.exp();
        let (q1, q2) = (e / (e + 1.0), 1.0 / (e + 1.0));
        let expected = q1 * (q1 / 0.5).ln() + q2 * (q2 / 0.5).ln();
        assert!(
            (metered.kl - expected).abs() < 1e-6,
            "{} vs {expected}",
            metered.kl
        );
    }
}
