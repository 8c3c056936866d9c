//! What the chat API adds to its teacher's logits so that text learnt from it can be
//! recognised: Kirchenbauer et al.'s green list ([`Watermark`]), or antidistillation
//! fingerprinting (ADFP: Xu et al., ICML 2026, arXiv 2602.03812), which shapes the same green
//! list's bonus by what a proxy student would learn, and its control with the proxy's
//! probabilities shuffled.

use crate::charlm::model::CharLm;
use crate::chat::watermark::{Watermark, context, green};
use crate::rng::Rng;

/// A mark on the API's sampling.
#[derive(Debug, Clone)]
pub enum Mark {
    /// δ added to every green logit.
    Green(Watermark),
    /// ADFP's rule, or its control.
    Fingerprint(Box<Fingerprint>),
}

/// ADFP as its code applies it (`ADSLogitsProcessor` in the paper's `models/logits.py`): add
/// λ·p⊙(m − ⟨p, m⟩) to the teacher's logits, p the proxy's next-letter probabilities and m the
/// keyed green mask (1 green, 0 red). Green letters the proxy already expects gain most.
#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// The owner's secret: the green list's key.
    pub key: u64,
    /// λ, the rule's strength.
    pub lambda: f32,
    /// The owner's proxy for a thief's student, read in lockstep with the teacher.
    pub proxy: CharLm,
    /// The control: the proxy's probabilities shuffled over the letters before the rule, a
    /// fixed shuffle per previous letter, so the bonus keeps its sizes but loses what the
    /// proxy expects.
    pub shuffled: bool,
}

impl Fingerprint {
    /// Adds the rule's bonus to `row`, the logits after `prefix`; `proxy` is the proxy's
    /// next-letter probabilities there.
    pub fn bias(&self, prefix: &[u8], proxy: &[f32], row: &mut [f32]) {
        let context = context(prefix);
        let mut p = proxy.to_vec();
        if self.shuffled {
            let seed = self.key ^ u64::from(context[0]).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            Rng::fork(seed, "shuffled proxy").shuffle(&mut p);
        }
        let mask: Vec<f32> = (0..row.len())
            .map(|t| f32::from(u8::from(green(self.key, context, t as u8))))
            .collect();
        let mean: f32 = p.iter().zip(&mask).map(|(p, m)| p * m).sum();
        for ((logit, p), m) in row.iter_mut().zip(&p).zip(&mask) {
            *logit += self.lambda * p * (m - mean);
        }
    }
}

impl Mark {
    /// The key the owner tests with.
    pub fn key(&self) -> u64 {
        match self {
            Mark::Green(w) => w.key,
            Mark::Fingerprint(f) => f.key,
        }
    }

    /// The model the mark reads beside the teacher, if any: ADFP's proxy.
    pub fn guide(&self) -> Option<&CharLm> {
        match self {
            Mark::Green(_) => None,
            Mark::Fingerprint(f) => Some(&f.proxy),
        }
    }

    /// Adds the mark to `row`, the teacher's logits after `prefix`; `guide` is the guide's
    /// next-letter probabilities there (unread by the green list).
    pub fn apply(&self, prefix: &[u8], guide: &[f32], row: &mut [f32]) {
        match self {
            Mark::Green(w) => w.bias(prefix, row),
            Mark::Fingerprint(f) => f.bias(prefix, guide, row),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::model::CharLmConfig;
    use crate::chat::corpus::SYMBOLS;
    use burn::tensor::Device;

    fn fingerprint(shuffled: bool) -> Fingerprint {
        let proxy = CharLmConfig::new(SYMBOLS, 4, 8).init(1, &Device::flex());
        Fingerprint {
            key: 9,
            lambda: 2.0,
            proxy,
            shuffled,
        }
    }

    #[test]
    fn the_rule_adds_lambda_p_times_mask_minus_its_mean() {
        // By hand on p = (0.5, 0.25, 0.25, 0…): ⟨p, m⟩ is the green share of p's mass.
        let f = fingerprint(false);
        let mut p = vec![0.0; SYMBOLS];
        p[..3].copy_from_slice(&[0.5, 0.25, 0.25]);
        let prefix = [4u8];
        let m = |t: usize| if green(9, [4], t as u8) { 1.0 } else { 0.0 };
        let mean = 0.5 * m(0) + 0.25 * m(1) + 0.25 * m(2);
        let mut row = vec![1.0; SYMBOLS];
        f.bias(&prefix, &p, &mut row);
        for (t, &v) in row.iter().enumerate() {
            let expected = 1.0 + 2.0 * p[t] * (m(t) - mean);
            assert!((v - expected).abs() < 1e-6, "token {t}: {v} vs {expected}");
        }
        // Letters the proxy gives nothing to are left alone.
        assert_eq!(row[5], 1.0);
    }

    #[test]
    fn the_control_keeps_the_bonus_sizes_and_loses_their_places() {
        let (f, c) = (fingerprint(false), fingerprint(true));
        let p: Vec<f32> = (0..SYMBOLS).map(|t| (t + 1) as f32 / 378.0).collect();
        let (mut a, mut b) = (vec![0.0; SYMBOLS], vec![0.0; SYMBOLS]);
        f.bias(&[3], &p, &mut a);
        c.bias(&[3], &p, &mut b);
        assert_ne!(a, b);
        // The same shuffle every time for the same previous letter.
        let mut again = vec![0.0; SYMBOLS];
        c.bias(&[3], &p, &mut again);
        assert_eq!(b, again);
    }

    #[test]
    fn a_green_mark_is_the_watermark() {
        let w = Watermark { key: 3, delta: 2.0 };
        let (mut a, mut b) = (vec![0.5; SYMBOLS], vec![0.5; SYMBOLS]);
        w.bias(&[7], &mut a);
        Mark::Green(w).apply(&[7], &[], &mut b);
        assert_eq!(a, b);
        assert!(Mark::Green(w).guide().is_none());
        assert_eq!(Mark::Fingerprint(Box::new(fingerprint(true))).key(), 9);
    }
}
