//! Seeded 2-D classification datasets with three or more classes, so that a teacher's soft
//! outputs carry information about which classes lie close to which.

use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::f32::consts::TAU;

/// Half the width of the square plane every scenario lives in: points fall in
/// `[-EXTENT, EXTENT]²` (bar rare noise), and maps and grids cover exactly that square.
pub const EXTENT: f32 = 1.25;

/// The shape of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// One arm per class winding out from the centre: needs depth to separate.
    Spiral,
    /// Overlapping gaussian blobs on a circle: where soft targets matter most.
    Blobs,
    /// Concentric rings, one per class.
    Rings,
    /// Curved blades around the centre (after Johnson et al. 2016's pinwheel).
    Pinwheel,
}

impl Scenario {
    /// Every scenario, in the order the page lists them.
    pub const ALL: [Scenario; 4] = [
        Scenario::Spiral,
        Scenario::Blobs,
        Scenario::Rings,
        Scenario::Pinwheel,
    ];

    /// The lowercase name used in URLs and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Scenario::Spiral => "spiral",
            Scenario::Blobs => "blobs",
            Scenario::Rings => "rings",
            Scenario::Pinwheel => "pinwheel",
        }
    }

    /// Parses a lowercase name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// One point of class `class` (of `classes`), with gaussian jitter of std `noise`.
    fn sample(self, class: usize, classes: usize, noise: f32, rng: &mut Rng) -> [f32; 2] {
        let base = TAU * class as f32 / classes as f32;
        let [x, y] = match self {
            Scenario::Spiral => {
                let t = rng.uniform();
                let (r, a) = (0.08 + 0.92 * t, base + 1.6 * std::f32::consts::PI * t);
                [r * a.cos(), r * a.sin()]
            }
            Scenario::Blobs => {
                let spread = 0.18 + 1.5 * noise;
                [
                    0.55 * base.cos() + spread * rng.normal(),
                    0.55 * base.sin() + spread * rng.normal(),
                ]
            }
            Scenario::Rings => {
                let (r, a) = ((class as f32 + 1.0) / classes as f32, rng.range(0.0, TAU));
                [r * a.cos(), r * a.sin()]
            }
            Scenario::Pinwheel => {
                let r = 0.15 + 0.85 * rng.uniform();
                let a = base + 1.2 * r * r + 0.12 * rng.normal();
                [r * a.cos(), r * a.sin()]
            }
        };
        // Blobs carry their noise in their spread; the others get it as jitter.
        let jitter = if self == Scenario::Blobs { 0.0 } else { noise };
        [x + jitter * rng.normal(), y + jitter * rng.normal()]
    }
}

/// Labelled points: `x` holds `[x0, y0, x1, y1, …]`, `y` the class of each point.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Points {
    /// Coordinates, two per point, row-major `[len, 2]`.
    pub x: Vec<f32>,
    /// Class labels in `0..classes`, one per point.
    pub y: Vec<u32>,
}

impl Points {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The first `n` points (all if there are fewer).
    pub fn head(&self, n: usize) -> Points {
        let n = n.min(self.len());
        Points {
            x: self.x[..2 * n].to_vec(),
            y: self.y[..n].to_vec(),
        }
    }

    /// The points at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Points {
        Points {
            x: indices
                .iter()
                .flat_map(|&i| [self.x[2 * i], self.x[2 * i + 1]])
                .collect(),
            y: indices.iter().map(|&i| self.y[i]).collect(),
        }
    }
}

/// A generated dataset: training points (also the students' transfer set, from its start)
/// and held-out test points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Training points, in random order.
    pub train: Points,
    /// Test points, never trained on.
    pub test: Points,
    /// Number of classes.
    pub classes: usize,
}

impl Dataset {
    /// `samples` training points plus a third as many test points, classes balanced, all fixed
    /// by `seed`.
    pub fn generate(
        scenario: Scenario,
        classes: usize,
        samples: usize,
        noise: f32,
        seed: u64,
    ) -> Self {
        let mut rng = Rng::fork(seed, "dataset");
        let total = samples + samples.div_ceil(3);
        let mut all: Vec<([f32; 2], u32)> = (0..total)
            .map(|i| {
                let c = i % classes;
                (scenario.sample(c, classes, noise, &mut rng), c as u32)
            })
            .collect();
        rng.shuffle(&mut all);
        let points = |part: &[([f32; 2], u32)]| Points {
            x: part.iter().flat_map(|(p, _)| *p).collect(),
            y: part.iter().map(|&(_, c)| c).collect(),
        };
        Dataset {
            train: points(&all[..samples]),
            test: points(&all[samples..]),
            classes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_balanced_and_inside_the_plane() {
        for scenario in Scenario::ALL {
            let a = Dataset::generate(scenario, 4, 600, 0.05, 3);
            assert_eq!(a, Dataset::generate(scenario, 4, 600, 0.05, 3));
            assert_ne!(a, Dataset::generate(scenario, 4, 600, 0.05, 4));
            assert_eq!((a.train.len(), a.test.len()), (600, 200));
            let mut counts = [0usize; 4];
            for &c in a.train.y.iter().chain(&a.test.y) {
                counts[c as usize] += 1;
            }
            assert_eq!(counts, [200; 4], "{scenario:?}");
            let inside = a.train.x.iter().filter(|v| v.abs() <= EXTENT).count();
            assert!(
                inside as f32 >= 0.98 * a.train.x.len() as f32,
                "{scenario:?}"
            );
        }
    }

    #[test]
    fn names_round_trip_and_select_picks_rows() {
        for s in Scenario::ALL {
            assert_eq!(Scenario::from_name(s.name()), Some(s));
        }
        assert_eq!(Scenario::from_name("moons"), None);
        let p = Points {
            x: vec![0., 1., 2., 3., 4., 5.],
            y: vec![0, 1, 2],
        };
        assert_eq!(p.select(&[2, 0]).x, vec![4., 5., 0., 1.]);
        assert_eq!(p.head(2).y, vec![0, 1]);
    }
}
