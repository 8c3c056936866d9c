//! What the reasoner's owner can do to what its API serves, besides hiding the working: sample
//! hotter (τ), rewrite the working it shows, or steer its sampling away from what would teach a
//! copier (antidistillation sampling, [`crate::reasoner::proxy`]), or, as ADS's control, along a
//! random direction. Every one of them reaches the honest user too.

use crate::charlm::model::Bias;
use crate::config::Config;
use crate::reasoner::proxy::{Proxy, Steer, normalised};
use crate::reasoner::study::Access;
use crate::reasoner::task::{SYMBOLS, Shown};
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// The owner's defence on top of its sampling temperature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Defence {
    /// The teacher's answers as it samples them.
    None,
    /// The working shown with its columns in reverse order ([`Shown::Rewritten`]).
    Rewritten,
    /// Antidistillation sampling along the proxy's held-out gradient, strength λ.
    Ads,
    /// ADS's control: the same, along a random direction of the gradient's norm.
    Random,
}

impl Defence {
    /// Every defence, in the knob's order.
    pub const ALL: [Defence; 4] = [
        Defence::None,
        Defence::Rewritten,
        Defence::Ads,
        Defence::Random,
    ];

    /// The name the URL, the CLI and the CSV use.
    pub const fn name(self) -> &'static str {
        match self {
            Defence::None => "none",
            Defence::Rewritten => "rewritten",
            Defence::Ads => "ads",
            Defence::Random => "random",
        }
    }

    /// Whether it steers the sampling along a direction (and needs the owner's proxy).
    pub fn steers(self) -> bool {
        matches!(self, Defence::Ads | Defence::Random)
    }
}

/// How the API serves: its defence, its sampling temperature τ and ADS's strength λ (read
/// only by the steering defences).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// The defence.
    pub defence: Defence,
    /// The temperature the teacher's logits are divided by.
    pub tau: f32,
    /// λ: what the normalised Δ is multiplied by before it is added.
    pub lambda: f32,
}

impl Policy {
    /// The teacher as it samples: τ 1, no defence.
    pub const PLAIN: Policy = Policy {
        defence: Defence::None,
        tau: 1.0,
        lambda: 0.0,
    };

    /// The policy the `reasoner_defence`, `reasoner_tau` and `reasoner_lambda` knobs describe.
    pub fn from_config(config: &Config) -> Self {
        Self {
            defence: config.reasoner_defence,
            tau: config.reasoner_tau,
            lambda: config.reasoner_lambda,
        }
    }

    /// λ as it acts: zero unless the defence steers.
    pub fn strength(&self) -> f32 {
        if self.defence.steers() {
            self.lambda
        } else {
            0.0
        }
    }
}

/// The API: its policy, and for a steering defence the shifted proxies Δ is read from.
pub struct Api {
    /// How it serves.
    pub policy: Policy,
    steer: Option<Steer>,
}

impl Api {
    /// The API of `policy`; a steering policy needs `proxy` (panics without one), and its
    /// control draws its random direction from `seed`.
    pub fn new(policy: Policy, proxy: Option<&Proxy>, seed: u64) -> Self {
        let steer = (policy.strength() != 0.0).then(|| {
            let proxy = proxy.expect("a steering defence needs the owner's proxy");
            proxy.steer(&proxy.direction(policy.defence == Defence::Random, seed))
        });
        Self { policy, steer }
    }

    /// The teacher as it samples.
    pub fn plain() -> Self {
        Self::new(Policy::PLAIN, None, 0)
    }

    /// What a thief of `access` is shown of each worked answer.
    pub fn shown(&self, access: Access) -> Shown {
        match (access.shown(), self.policy.defence) {
            (Shown::Working, Defence::Rewritten) => Shown::Rewritten,
            (shown, _) => shown,
        }
    }

    /// The bias its sampling adds to the teacher's logits, on `device`.
    pub fn sampler<'a>(&'a self, device: &'a Device) -> Sampler<'a> {
        Sampler {
            api: self,
            device,
            rows: Vec::new(),
        }
    }
}

/// The API's sampling as a [`Bias`]: each row of logits z becomes z/τ + λ·Δ̂, with Δ̂ the
/// proxy's Δ after that row normalised to an RMS of one over the candidates. At τ 1 and λ 0
/// the logits are left untouched, so sampling is the teacher's bit for bit.
pub struct Sampler<'a> {
    api: &'a Api,
    device: &'a Device,
    rows: Vec<Vec<u8>>,
}

impl Bias for Sampler<'_> {
    fn look(&mut self, prompts: &[Vec<u8>], written: &[&[u8]], ended: &[bool]) -> Option<Vec<f32>> {
        let steer = self.api.steer.as_ref()?;
        // Only the rows still being written are read: an ended row's values are never used.
        self.rows.clear();
        let live: Vec<usize> = (0..written.len()).filter(|&i| !ended[i]).collect();
        for &i in &live {
            let prompt = prompts.get(i).map_or(&[][..], Vec::as_slice);
            self.rows.push([prompt, written[i]].concat());
        }
        let delta = normalised(&steer.delta(&self.rows, self.device));
        let mut out = vec![0.0; written.len() * SYMBOLS];
        for (k, &i) in live.iter().enumerate() {
            out[i * SYMBOLS..(i + 1) * SYMBOLS]
                .copy_from_slice(&delta[k * SYMBOLS..(k + 1) * SYMBOLS]);
        }
        Some(out)
    }

    fn add(&mut self, _: &[u8], delta: &[f32], row: &mut [f32]) {
        let (tau, lambda) = (self.api.policy.tau, self.api.policy.strength());
        if tau != 1.0 {
            row.iter_mut().for_each(|z| *z /= tau);
        }
        if lambda != 0.0 && delta.len() == SYMBOLS {
            row.iter_mut()
                .zip(delta)
                .for_each(|(z, d)| *z += lambda * d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::model::{Plain, Shape, continue_rows, draw};
    use crate::reasoner::study::{student, tests::teacher, write};
    use crate::reasoner::task;
    use crate::rng::Rng;

    /// An untrained proxy whose "gradient" is a seeded random vector: enough to steer by.
    fn proxy(device: &Device) -> Proxy {
        let model = student(16).init(3, device);
        let n = crate::charlm::model::values(&model).len();
        let mut rng = Rng::new(5);
        Proxy {
            model,
            gradient: (0..n).map(|_| rng.normal()).collect(),
        }
    }

    #[test]
    fn steering_at_lambda_zero_is_plain_sampling_bit_for_bit() {
        let device = Device::flex();
        let (teacher, proxy) = (teacher(), proxy(&device));
        let (_, held) = task::problems(1);
        let problems = &held[..64];
        let prompts: Vec<Vec<u8>> = problems.iter().map(|p| p.prompt(true)).collect();
        let mut rng = Rng::new(9);
        let plain: Vec<Vec<u8>> = continue_rows(
            &teacher,
            &prompts,
            prompts.len(),
            task::MAX_WRITTEN,
            &device,
            |p| draw(p, &mut rng),
            Plain,
        )
        .into_iter()
        .map(|(row, _)| row)
        .collect();
        let served = |defence, lambda| {
            let policy = Policy {
                defence,
                tau: 1.0,
                lambda,
            };
            let api = Api::new(policy, Some(&proxy), 1);
            write(&teacher, problems, true, &mut Rng::new(9), &device, &api)
        };
        for defence in Defence::ALL {
            assert_eq!(served(defence, 0.0), plain, "{defence:?}");
        }
        // λ is read by the steering defences only; at λ 4 they write something else.
        assert_eq!(served(Defence::Rewritten, 4.0), plain);
        assert_ne!(served(Defence::Ads, 4.0), plain);
        assert_ne!(served(Defence::Random, 4.0), served(Defence::Ads, 4.0));
    }

    #[test]
    fn the_api_divides_by_tau_and_adds_lambda_times_delta() {
        let device = Device::flex();
        let api = Api {
            policy: Policy {
                defence: Defence::Ads,
                tau: 2.0,
                lambda: 0.5,
            },
            steer: None,
        };
        let mut sampler = api.sampler(&device);
        let mut row: Vec<f32> = (0..SYMBOLS).map(|i| i as f32).collect();
        let delta: Vec<f32> = (0..SYMBOLS)
            .map(|i| if i == 3 { 4.0 } else { 0.0 })
            .collect();
        sampler.add(&[], &delta, &mut row);
        let expected: Vec<f32> = (0..SYMBOLS)
            .map(|i| i as f32 / 2.0 + if i == 3 { 2.0 } else { 0.0 })
            .collect();
        assert_eq!(row, expected);
    }

    #[test]
    fn a_rewriting_api_shows_the_working_thief_its_columns_reversed() {
        let api = Api::new(
            Policy {
                defence: Defence::Rewritten,
                ..Policy::PLAIN
            },
            None,
            1,
        );
        let shown = Access::ALL.map(|a| api.shown(a));
        assert_eq!(
            shown,
            [
                Shown::Rewritten,
                Shown::Summary,
                Shown::Answer,
                Shown::Answer
            ]
        );
        assert_eq!(Api::plain().shown(Access::Working), Shown::Working);
    }
}
