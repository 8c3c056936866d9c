//! A teacher behind an API: what a client gets back for each query (the response formats and
//! defences), what it pays (budget, rate limit, price), and how the owner watches for
//! extraction (a PRADA-style detector). No weights or training labels ever leave it.

use crate::metrics;
use crate::playground::dataset::{Dataset, EXTENT, Scenario};
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

/// Where a client's queries come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Unlabelled samples of the real input distribution (the client has data like the
    /// owner's, but no labels).
    Natural,
    /// Uniform random points over the whole plane.
    Uniform,
    /// Synthetic: a few natural seeds, then jittered copies of earlier queries (after Papernot
    /// et al. 2017's augmentation, without their gradients).
    Synthetic,
}

impl Source {
    /// Every source, in the order the page lists them.
    pub const ALL: [Source; 3] = [Source::Natural, Source::Uniform, Source::Synthetic];
}

/// Natural samples to start a synthetic stream from.
const SYNTHETIC_SEEDS: usize = 20;
/// Standard deviation of a synthetic query's jitter around an earlier one.
const SYNTHETIC_JITTER: f32 = 0.05;

/// An endless, seeded stream of query points from a [`Source`].
pub struct QueryStream {
    source: Source,
    natural: Vec<f32>,
    sent: Vec<f32>,
    rng: Rng,
}

impl QueryStream {
    /// A stream for data of this scenario, class count and noise.
    pub fn new(source: Source, scenario: Scenario, classes: usize, noise: f32, seed: u64) -> Self {
        Self {
            source,
            natural: natural_points(
                scenario,
                classes,
                noise,
                Rng::fork(seed, "natural").next_u64(),
            ),
            sent: Vec::new(),
            rng: Rng::fork(seed, "queries"),
        }
    }

    /// The next query point.
    pub fn next_point(&mut self) -> [f32; 2] {
        let n = self.sent.len() / 2;
        let point = match self.source {
            Source::Uniform => [
                self.rng.range(-EXTENT, EXTENT),
                self.rng.range(-EXTENT, EXTENT),
            ],
            Source::Synthetic if n >= SYNTHETIC_SEEDS => {
                let i = self.rng.below(n);
                [
                    self.sent[2 * i] + SYNTHETIC_JITTER * self.rng.normal(),
                    self.sent[2 * i + 1] + SYNTHETIC_JITTER * self.rng.normal(),
                ]
            }
            Source::Natural | Source::Synthetic => {
                let i = n % (self.natural.len() / 2);
                [self.natural[2 * i], self.natural[2 * i + 1]]
            }
        };
        self.sent.extend(point);
        point
    }
}

/// Fresh unlabelled points of the real distribution: the labels are dropped.
fn natural_points(scenario: Scenario, classes: usize, noise: f32, seed: u64) -> Vec<f32> {
    Dataset::generate(scenario, classes, 20_000, noise, seed)
        .train
        .x
}

/// The client's account: queries used against the budget, simulated time under the rate limit
/// (a token bucket), and the bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Queries allowed in all.
    pub budget: usize,
    /// Queries per simulated second the API serves, with a burst of one second's worth.
    pub rate: f32,
    /// Price per 1,000 queries.
    pub price: f32,
    /// Queries answered so far.
    pub used: usize,
    /// Simulated seconds the client has spent, waiting on the rate limit included.
    pub seconds: f64,
    tokens: f64,
}

impl Account {
    /// A fresh account with a full bucket.
    pub fn new(budget: usize, rate: f32, price: f32) -> Self {
        Self {
            budget,
            rate,
            price,
            used: 0,
            seconds: 0.0,
            tokens: f64::from(rate),
        }
    }

    /// Asks for `n` queries: grants what the budget allows, and waits (advancing the simulated
    /// clock) until the rate limit lets each one through. Returns how many were granted.
    pub fn request(&mut self, n: usize) -> usize {
        let granted = n.min(self.budget - self.used);
        let rate = f64::from(self.rate);
        for _ in 0..granted {
            if self.tokens < 1.0 {
                let wait = (1.0 - self.tokens) / rate;
                self.seconds += wait;
                self.tokens = 1.0;
            }
            self.tokens -= 1.0;
        }
        self.used += granted;
        granted
    }

    /// What the queries so far cost.
    pub fn cost(&self) -> f32 {
        self.price * self.used as f32 / 1000.0
    }
}

/// The detector's significance level: a benign client is flagged at one check in a thousand.
const DETECTOR_ALPHA: f64 = 1e-3;
/// Queries before the first check, and between checks.
const DETECTOR_WINDOW: usize = 100;

/// The owner's watch for extraction, in the spirit of PRADA (Juuti et al. 2019): for each new
/// query it records the distance to the client's nearest earlier query. Benign clients send
/// points like the real data, so that distance sequence looks like a benign one; synthetic
/// jitter (many tiny steps) and off-distribution noise do not. PRADA tests the distances for
/// normality (Shapiro–Wilk) because it has no reference; this owner knows its own input
/// distribution, so it compares against a benign reference stream of the same length with a
/// two-sample Kolmogorov–Smirnov test, every 100 queries, at α = 0.001.
pub struct Detector {
    client: Vec<f32>,
    client_distances: Vec<f32>,
    reference: Vec<f32>,
    reference_distances: Vec<f32>,
    flagged_at: Option<usize>,
}

impl Detector {
    /// A detector whose benign reference is the owner's own traffic for this data.
    pub fn new(scenario: Scenario, classes: usize, noise: f32, seed: u64) -> Self {
        Self {
            client: Vec::new(),
            client_distances: Vec::new(),
            reference: natural_points(
                scenario,
                classes,
                noise,
                Rng::fork(seed, "benign").next_u64(),
            ),
            reference_distances: Vec::new(),
            flagged_at: None,
        }
    }

    /// Records one query; returns true when the client is (or already was) flagged.
    pub fn observe(&mut self, point: [f32; 2]) -> bool {
        if self.flagged_at.is_some() {
            return true;
        }
        if let Some(d) = nearest(&self.client, point) {
            self.client_distances.push(d);
        }
        self.client.extend(point);
        let n = self.client.len() / 2;
        if n.is_multiple_of(DETECTOR_WINDOW) {
            self.extend_reference(n);
            let d = ks_statistic(&self.client_distances, &self.reference_distances);
            if d > ks_critical(self.client_distances.len(), self.reference_distances.len()) {
                self.flagged_at = Some(n);
            }
        }
        self.flagged_at.is_some()
    }

    /// The query count at which the client was flagged, if it was.
    pub fn flagged_at(&self) -> Option<usize> {
        self.flagged_at
    }

    fn extend_reference(&mut self, n: usize) {
        let have = self.reference_distances.len() + 1;
        for i in have..n.min(self.reference.len() / 2) {
            let earlier = &self.reference[..2 * i];
            let p = [self.reference[2 * i], self.reference[2 * i + 1]];
            self.reference_distances
                .push(nearest(earlier, p).unwrap_or(0.0));
        }
    }
}

/// Distance from `p` to the nearest of `points` (`[x0, y0, …]`), if any.
fn nearest(points: &[f32], p: [f32; 2]) -> Option<f32> {
    points
        .chunks(2)
        .map(|q| (q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2))
        .min_by(f32::total_cmp)
        .map(f32::sqrt)
}

/// The two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs.
pub fn ks_statistic(a: &[f32], b: &[f32]) -> f64 {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_by(f32::total_cmp);
    b.sort_by(f32::total_cmp);
    let (mut i, mut j, mut d) = (0, 0, 0f64);
    while i < a.len() && j < b.len() {
        let x = a[i].min(b[j]);
        while i < a.len() && a[i] <= x {
            i += 1;
        }
        while j < b.len() && b[j] <= x {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    d
}

/// The KS statistic above which samples of sizes `n` and `m` differ at [`DETECTOR_ALPHA`]:
/// c(α)·√((n + m)/(n·m)) with c(α) = √(−ln(α/2)/2) (the large-sample approximation).
pub fn ks_critical(n: usize, m: usize) -> f64 {
    let c = (-(DETECTOR_ALPHA / 2.0).ln() / 2.0).sqrt();
    let (n, m) = (n.max(1) as f64, m.max(1) as f64);
    c * ((n + m) / (n * m)).sqrt()
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

    #[test]
    fn budget_and_rate_limit_are_enforced_to_the_query() {
        let mut account = Account::new(250, 10.0, 2.0);
        assert_eq!(account.request(10), 10); // the burst: one second's worth, no wait
        assert_eq!(account.seconds, 0.0);
        assert_eq!(account.request(30), 30); // 30 more at 10 per second
        assert!((account.seconds - 3.0).abs() < 1e-9, "{}", account.seconds);
        assert_eq!(account.request(1000), 210); // only the budget's remainder
        assert_eq!(account.request(1), 0);
        assert_eq!(account.used, 250);
        assert!((account.seconds - 24.0).abs() < 1e-6, "{}", account.seconds);
        assert!((account.cost() - 0.5).abs() < 1e-6);
    }

    #[test]
    fn ks_matches_hand_values() {
        // CDFs of {1,2,3} and {2.5,3.5}: widest gap 2/3 at x ∈ [2, 2.5).
        assert!((ks_statistic(&[1.0, 2.0, 3.0], &[2.5, 3.5]) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(ks_statistic(&[1.0, 2.0], &[1.0, 2.0]), 0.0);
        // c(0.001) = 1.9495; n = m = 100 → 1.9495·√0.02 = 0.27570.
        assert!((ks_critical(100, 100) - 0.275_70).abs() < 1e-4);
    }

    fn flagged(source: Source, queries: usize) -> Option<usize> {
        let (scenario, classes, noise) = (Scenario::Spiral, 3, 0.05);
        let mut stream = QueryStream::new(source, scenario, classes, noise, 11);
        let mut detector = Detector::new(scenario, classes, noise, 11);
        (0..queries).any(|_| detector.observe(stream.next_point()));
        detector.flagged_at()
    }

    #[test]
    fn detector_flags_noise_and_jitter_but_not_benign_queries() {
        assert_eq!(flagged(Source::Natural, 3000), None);
        let uniform = flagged(Source::Uniform, 3000).expect("uniform noise is flagged");
        let synthetic = flagged(Source::Synthetic, 3000).expect("synthetic jitter is flagged");
        assert!(uniform <= 500 && synthetic <= 500, "{uniform} {synthetic}");
    }
}

pub mod extraction;
