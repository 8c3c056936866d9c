//! A text watermark for the chat API and its detector (Kirchenbauer et al. 2023, "A Watermark
//! for Large Language Models"): a secret key and the character before each position split
//! the vocabulary into a green and a red part; the API adds δ to the green logits
//! before it samples, so its text holds more green characters than chance. The owner reads a
//! suspect's text and counts.
//!
//! Each (context, token) pair is green or red by a keyed hash of its own, with probability ½
//! and independently of every other pair, so that on text written without the key the green
//! count among distinct pairs is exactly Binomial(n, ½). Repeated pairs are counted once
//! (Sander et al. 2024, "Watermarking makes language models radioactive"): a name written twice
//! is not twice the evidence, and without deduplication the p-value would be too small.

use crate::chat::corpus::{END, SYMBOLS};
use std::collections::{HashMap, HashSet};

/// Characters of context that choose a position's green list. One, as in Kirchenbauer et al.'s
/// main scheme: a copy of a few thousand parameters learns a bias per previous character,
/// while a per-pair bias over two characters (19,683 pairs) was measured to pass into it too
/// faintly to detect.
pub const CONTEXT: usize = 1;

/// The API's watermark: the owner's key and the logit bonus of green tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Watermark {
    /// The owner's secret.
    pub key: u64,
    /// Added to every green token's logit before sampling (nats).
    pub delta: f32,
}

impl Watermark {
    /// Adds δ to the green logits of `row`, the next-token logits after `prefix` (the name
    /// written so far).
    pub fn bias(&self, prefix: &[u8], row: &mut [f32]) {
        let context = context(prefix);
        for (token, logit) in row.iter_mut().enumerate() {
            if green(self.key, context, token as u8) {
                *logit += self.delta;
            }
        }
    }
}

/// The `CONTEXT` tokens before the next one: the end of `prefix`, padded on the left with end
/// markers (every name starts after one).
pub fn context(prefix: &[u8]) -> [u8; CONTEXT] {
    let mut c = [END; CONTEXT];
    for (slot, &t) in c.iter_mut().rev().zip(prefix.iter().rev()) {
        *slot = t;
    }
    c
}

/// Whether `token` after `context` is green under `key`: the top bit of a SplitMix64 hash of
/// the key and the pair.
pub fn green(key: u64, context: [u8; CONTEXT], token: u8) -> bool {
    let pair = context
        .iter()
        .chain([&token])
        .fold(0u64, |acc, &t| acc * SYMBOLS as u64 + u64::from(t));
    let mut z = key ^ pair.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) >> 63 == 1
}

/// The owner's test of a suspect's text under one key.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    /// Distinct (context, token) pairs scored.
    pub scored: usize,
    /// How many of them are green.
    pub green: usize,
    /// (green − n/2) / √(n/4): standard deviations above chance.
    pub z: f64,
    /// P(X ≥ green) for X ~ Binomial(scored, ½): the chance of this much green or more in
    /// text that knows nothing of the key.
    pub p: f64,
}

/// The owner's test of a suspect's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Test {
    /// Each distinct (context, letter) pair once, the exact binomial p: [`detect`].
    Pairs,
    /// Every letter, the variance corrected for repeated pairs, the normal p: [`detect_all`].
    Letters,
}

impl Test {
    /// Both, the page's first.
    pub const ALL: [Test; 2] = [Test::Letters, Test::Pairs];

    /// The test of `names` under `key`.
    pub fn score(self, names: &[Vec<u8>], key: u64) -> Verdict {
        match self {
            Test::Pairs => detect(names, key),
            Test::Letters => detect_all(names, key),
        }
    }

    /// Its name in the URL, on the command line and in files.
    pub const fn name(self) -> &'static str {
        match self {
            Test::Letters => "letters",
            Test::Pairs => "pairs",
        }
    }

    /// How reports name it.
    pub fn title(self) -> &'static str {
        match self {
            Test::Letters => "every letter",
            Test::Pairs => "distinct pairs",
        }
    }
}

/// Scores `names` (each ended by the end marker, which is scored too) under `key`, each
/// distinct (context, token) pair once.
pub fn detect(names: &[Vec<u8>], key: u64) -> Verdict {
    let mut pairs = HashSet::new();
    for name in names {
        for (i, &token) in name.iter().chain([&END]).enumerate() {
            pairs.insert((context(&name[..i]), token));
        }
    }
    let scored = pairs.len();
    let green = pairs.iter().filter(|(c, t)| green(key, *c, *t)).count();
    Verdict {
        scored,
        green,
        z: z_score(scored, green),
        p: binomial_tail(scored, green),
    }
}

/// Scores every position of `names` (each ended by the end marker, scored too) under `key`,
/// the way Kirchenbauer et al. score text, with the variance corrected for repeated pairs: a
/// pair seen c times adds c to the count when green, so with each pair green with probability
/// ½ independently the count S of green positions among N has mean N/2 and variance Σc²/4.
/// `scored` is N, `green` S, `z` (S − N/2)/√(Σc²/4) and `p` its upper normal tail.
pub fn detect_all(names: &[Vec<u8>], key: u64) -> Verdict {
    let counts = pair_counts(names);
    let scored: usize = counts.values().sum();
    let green: usize = counts
        .iter()
        .filter(|((c, t), _)| green(key, *c, *t))
        .map(|(_, &n)| n)
        .sum();
    let squares: usize = counts.values().map(|&n| n * n).sum();
    let z = if squares == 0 {
        0.0
    } else {
        (green as f64 - scored as f64 / 2.0) / (squares as f64 / 4.0).sqrt()
    };
    Verdict {
        scored,
        green,
        z,
        p: normal_tail(z),
    }
}

/// How often each (context, token) pair occurs in `names`, each ended by the end marker.
fn pair_counts(names: &[Vec<u8>]) -> HashMap<([u8; CONTEXT], u8), usize> {
    let mut counts = HashMap::new();
    for name in names {
        for (i, &token) in name.iter().chain([&END]).enumerate() {
            *counts.entry((context(&name[..i]), token)).or_default() += 1;
        }
    }
    counts
}

/// P(Z ≥ z) for a standard normal Z.
pub fn normal_tail(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// (k − n/2) / √(n/4): the green count's distance from chance in standard deviations.
pub fn z_score(n: usize, k: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    (k as f64 - n as f64 / 2.0) / (n as f64 / 4.0).sqrt()
}

/// P(X ≥ k) for X ~ Binomial(n, ½), exact: Σ_{i≥k} C(n, i) / 2ⁿ, summed in log space so that
/// tails far below 1e-300 come out as 0 rather than as NaN.
pub fn binomial_tail(n: usize, k: usize) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    // ln C(n, i) from ln C(n, i−1) + ln((n − i + 1) / i), starting at ln C(n, k).
    let ln_choose_k: f64 = (1..=k).map(|i| ((n - i + 1) as f64 / i as f64).ln()).sum();
    let terms: Vec<f64> = (k..=n)
        .scan(ln_choose_k, |ln_c, i| {
            let here = *ln_c;
            *ln_c += ((n - i) as f64 / (i + 1) as f64).ln();
            Some(here)
        })
        .collect();
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|t| (t - top).exp()).sum();
    (top + sum.ln() - n as f64 * std::f64::consts::LN_2).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_green_list_is_keyed_deterministic_and_half() {
        let pairs: Vec<([u8; CONTEXT], u8)> = (0..SYMBOLS as u8)
            .flat_map(|a| (0..SYMBOLS as u8).map(move |t| ([a], t)))
            .collect();
        let list = |key| -> Vec<bool> { pairs.iter().map(|&(c, t)| green(key, c, t)).collect() };
        let (a, b) = (list(7), list(8));
        assert_eq!(a, list(7));
        let share = |l: &[bool]| l.iter().filter(|&&g| g).count() as f64 / l.len() as f64;
        // 729 pairs: a fair coin stays within 0.5 ± 0.056 (3 σ).
        assert!((share(&a) - 0.5).abs() < 0.056, "{}", share(&a));
        let agree = a.iter().zip(&b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64;
        assert!((agree - 0.5).abs() < 0.056, "keys 7 and 8 agree on {agree}");
        // The context matters: the same token after two different contexts differs often.
        let differ = (0..SYMBOLS as u8)
            .filter(|&t| green(7, [1], t) != green(7, [2], t))
            .count();
        assert!(differ > 3);
    }

    #[test]
    fn the_bias_adds_delta_to_green_logits_only() {
        let mark = Watermark { key: 3, delta: 2.0 };
        let mut row = vec![0.0; SYMBOLS];
        mark.bias(&[5, 6, 7], &mut row);
        for (t, &v) in row.iter().enumerate() {
            let expected = if green(3, [7], t as u8) { 2.0 } else { 0.0 };
            assert_eq!(v, expected);
        }
        assert_eq!(context(&[]), [END]);
        assert_eq!(context(&[9]), [9]);
    }

    #[test]
    fn every_position_counts_and_repeats_widen_the_variance() {
        // Two names "ab" (tokens 1, 2), written twice: positions (END,1), (1,2), (2,END),
        // each seen twice. N = 6, Σc² = 12; S counts each green pair twice.
        let names = vec![vec![1, 2], vec![1, 2]];
        let key = 11;
        let pairs = [([END], 1), ([1], 2), ([2], END)];
        let g = pairs.iter().filter(|(c, t)| green(key, *c, *t)).count();
        let v = detect_all(&names, key);
        assert_eq!((v.scored, v.green), (6, 2 * g));
        let z = (2.0 * g as f64 - 3.0) / (12.0f64 / 4.0).sqrt();
        assert!((v.z - z).abs() < 1e-12, "{} vs {z}", v.z);
        // The normal tail at hand values: ½ at 0, 0.158655 at 1, 0.001350 at 3.
        assert!((normal_tail(0.0) - 0.5).abs() < 1e-12);
        assert!((normal_tail(1.0) - 0.158_655_253_9).abs() < 1e-9);
        assert!((normal_tail(3.0) - 0.001_349_898_0).abs() < 1e-9);
        assert_eq!(detect_all(&[], key).p, 0.5);
    }

    #[test]
    fn z_and_binomial_tail_match_hand_values() {
        // P(X ≥ 8), n = 10: (45 + 10 + 1) / 1024.
        assert!((binomial_tail(10, 8) - 56.0 / 1024.0).abs() < 1e-15);
        assert_eq!(binomial_tail(10, 0), 1.0);
        assert!((binomial_tail(10, 10) - 1.0 / 1024.0).abs() < 1e-15);
        assert_eq!(binomial_tail(10, 11), 0.0);
        // n = 1000, k = 600: Σ_{i≥600} C(1000, i) / 2¹⁰⁰⁰ = 1.364232e-10, in exact integers.
        let p = binomial_tail(1000, 600);
        assert!((p / 1.364_232e-10 - 1.0).abs() < 1e-4, "{p:e}");
        // Half of it by symmetry at the middle of an odd n.
        assert!((binomial_tail(11, 6) - 0.5).abs() < 1e-15);
        assert!((z_score(10, 8) - 3.0 / 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(z_score(100, 50), 0.0);
    }

    #[test]
    fn repeated_pairs_count_once() {
        let names = vec![vec![1, 2], vec![1, 2], vec![1]];
        // Pairs: (.,a) (a,b) (b,.) then (a,.) from the third: four distinct.
        let v = detect(&names, 1);
        assert_eq!(v.scored, 4);
    }
}
