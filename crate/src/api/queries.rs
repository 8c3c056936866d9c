//! Where a client's queries come from: natural data, uniform noise, or synthetic jitter.

use crate::playground::dataset::{Dataset, EXTENT, Scenario};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

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

    /// The lowercase name used in URLs, on the command line and in the page's Config.
    pub const fn name(self) -> &'static str {
        match self {
            Source::Natural => "natural",
            Source::Uniform => "uniform",
            Source::Synthetic => "synthetic",
        }
    }
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
pub(crate) fn natural_points(
    scenario: Scenario,
    classes: usize,
    noise: f32,
    seed: u64,
) -> Vec<f32> {
    Dataset::generate(scenario, classes, 20_000, noise, seed)
        .train
        .x
}
