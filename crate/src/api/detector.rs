//! The owner's watch for extraction: a PRADA-style test on the spacing of a client's queries.

use crate::api::queries::natural_points;
use crate::playground::dataset::Scenario;
use crate::rng::Rng;
use std::sync::Arc;

/// The detector's significance level: a benign client is flagged at one check in a thousand.
const DETECTOR_ALPHA: f64 = 1e-3;
/// Queries before the first check, and between checks: a client that sends fewer is never
/// tested.
pub const DETECTOR_WINDOW: usize = 100;

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
    reference: Arc<[f32]>,
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
            )
            .into(),
            reference_distances: Vec::new(),
            flagged_at: None,
        }
    }

    /// A detector for another client, against the same benign reference (shared, not copied):
    /// what the owner runs on each of many accounts.
    pub fn fresh(&self) -> Self {
        Self {
            client: Vec::new(),
            client_distances: Vec::new(),
            reference: Arc::clone(&self.reference),
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

/// The KS statistic above which samples of sizes `n` and `m` differ at `DETECTOR_ALPHA`:
/// c(α)·√((n + m)/(n·m)) with c(α) = √(−ln(α/2)/2) (the large-sample approximation).
pub fn ks_critical(n: usize, m: usize) -> f64 {
    let c = (-(DETECTOR_ALPHA / 2.0).ln() / 2.0).sqrt();
    let (n, m) = (n.max(1) as f64, m.max(1) as f64);
    c * ((n + m) / (n * m)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::queries::{QueryStream, Source};

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
