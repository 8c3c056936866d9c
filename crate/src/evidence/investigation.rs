//! An investigation: the owner of a teacher examines suspects with both kinds of
//! [`evidence`](super). It trains the suspects (thieves through the API, with and
//! without the watermark, and an honest model on its own data) and the fingerprint's reference
//! and null models side by side, then gives a verdict on each.

use crate::api::extraction::{Extraction, owner_watermark};
use crate::api::{Format, Source};
use crate::config::Config;
use crate::distill;
use crate::evidence::{self, FingerprintVerdict, Watermark, WatermarkVerdict};
use crate::learner::{self, Learner, batch, cosine, gather, one_hot, to_tensor};
use crate::metrics;
use crate::model::Mlp;
use crate::playground::dataset::{Dataset, Points};
use crate::playground::trainer::{Trainer, student_config};
use crate::rng::Rng;
use burn::module::Module;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// Models trained on the owner's labels: the fingerprint's key points are where they all
/// disagree with the teacher.
const REFERENCES: usize = 3;
/// Models the owner distils from its own teacher: key points are also where they all agree
/// with it (Lukas et al.'s conferrable examples: carried by copies, not by independent models).
const SURROGATES: usize = 2;
/// Models trained on independent data: the fingerprint's null distribution.
const NULL_MODELS: usize = 6;
/// Candidate points for the fingerprint's key set: jittered copies of the owner's data, where
/// a thief's queries (and so its copy of the teacher's quirks) concentrate.
const CANDIDATES: usize = 20000;
/// Standard deviation of that jitter.
const CANDIDATE_JITTER: f32 = 0.2;

/// The suspects, in the order verdicts are given.
pub const SUSPECTS: [&str; 4] = [
    "distilled from the watermarked API",
    "label-only thief of the watermarked API",
    "distilled with the watermark off",
    "independent model trained on its own labels",
];

/// The evidence on one suspect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Who the suspect is.
    pub suspect: String,
    /// Test accuracy of the suspect.
    pub accuracy: f32,
    /// The watermark test with the owner's key.
    pub watermark: WatermarkVerdict,
    /// The same test with a wrong key: should never flag.
    pub wrong_key: WatermarkVerdict,
    /// The fingerprint test.
    pub fingerprint: FingerprintVerdict,
}

/// A model learning targets (one-hot labels or the teacher's probabilities) on some points:
/// the honest suspect and the fingerprint's references, surrogates and null models.
struct Fitter {
    learner: Learner,
    x: Vec<f32>,
    /// `[points, classes]`.
    targets: Vec<f32>,
    batches: Rng,
}

/// Suspects and reference models training in lockstep, advanced by [`Investigation::step`].
pub struct Investigation {
    config: Config,
    teacher: Mlp,
    test: Points,
    owner_data: Vec<f32>,
    device: Device,
    train_device: Device,
    marked: Extraction,
    unmarked: Extraction,
    honest: Vec<Fitter>,
    step: usize,
}

impl Investigation {
    /// Starts an investigation of `trainer`'s teacher (trained already) under `config`.
    pub fn new(trainer: &Trainer, config: Config) -> Result<Self, String> {
        // The suspects are copies that got through (natural queries, no detector), all of the
        // suspects' size, as are the owner's reference models.
        let config = Config {
            detector: false,
            source: Source::Natural,
            student_width: config.suspect_width,
            ..config
        };
        let teacher = trainer
            .teacher()
            .ok_or("the teacher has not finished training yet")?;
        let pair = [Format::Full, Format::Label];
        let marked = Extraction::with_formats(
            trainer,
            Config {
                watermark: true,
                ..config.clone()
            },
            &pair,
        )?;
        let unmarked = Extraction::with_formats(
            trainer,
            Config {
                watermark: false,
                ..config.clone()
            },
            &pair[..1],
        )?;
        let device = Device::flex();
        let train_device = device.clone().autodiff();
        let owner = &trainer.dataset().train;
        let k = config.classes;
        let one_hot = |y: &[u32]| one_hot(y, &(0..y.len()).collect::<Vec<_>>(), k);
        let soft = metrics::softmax(&learner::logits(&teacher, &owner.x, 2, &device), k, 1.0);
        // 0: the honest suspect (own data); references (owner's labels); surrogates (owner's
        // teacher); then the null models (each on its own data).
        let honest = (0..1 + REFERENCES + SURROGATES + NULL_MODELS)
            .map(|i| {
                let seed = Rng::fork(config.seed, &format!("honest {i}")).next_u64();
                let (x, targets) = if i == 0 || i > REFERENCES + SURROGATES {
                    let own = Dataset::generate(
                        config.scenario,
                        config.classes,
                        config.samples,
                        config.noise,
                        seed,
                    )
                    .train;
                    (own.x, one_hot(&own.y))
                } else if i <= REFERENCES {
                    (owner.x.clone(), one_hot(&owner.y))
                } else {
                    (owner.x.clone(), soft.clone())
                };
                Fitter {
                    learner: Learner::new(student_config(&config).init(seed, &train_device)),
                    x,
                    targets,
                    batches: Rng::fork(seed, "batches"),
                }
            })
            .collect();
        Ok(Self {
            teacher,
            test: trainer.dataset().test.clone(),
            owner_data: owner.x.clone(),
            device,
            train_device,
            marked,
            unmarked,
            honest,
            step: 0,
            config,
        })
    }

    /// Trains every model up to `n` more steps; returns the fraction done (1 when ready).
    pub fn step(&mut self, n: usize) -> f32 {
        let steps = self.config.student_steps;
        let n = n.min(steps - self.step);
        if n > 0 {
            self.marked.run(n);
            self.unmarked.run(n);
        }
        let k = self.config.classes;
        for _ in 0..n {
            let lr = cosine(self.config.lr, self.step, steps);
            for m in &mut self.honest {
                let idx = batch(&mut m.batches, m.x.len() / 2, self.config.batch);
                let x = to_tensor(gather(&m.x, &idx, 2), 2, &self.train_device);
                let y = to_tensor(gather(&m.targets, &idx, k), k, &self.train_device);
                let loss = distill::cross_entropy(m.learner.model().forward(x), y);
                m.learner.update(lr, loss);
            }
            self.step += 1;
        }
        self.step as f32 / steps as f32
    }

    /// The verdict on every suspect, in [`SUSPECTS`] order.
    pub fn cases(&self) -> Vec<Case> {
        let k = self.config.classes;
        let owner_key = owner_watermark(&self.config);
        let wrong_key = Watermark {
            key: Rng::fork(self.config.seed, "wrong key").next_u64(),
            ..owner_key
        };
        let probes = evidence::probe_points(&self.owner_data);
        let top1 = |model: &Mlp, points: &[f32]| {
            metrics::argmax(&learner::logits(model, points, 2, &self.device), k)
        };
        // Fingerprint: key points where every surrogate agrees with the teacher and every
        // reference disagrees.
        let mut rng = Rng::fork(self.config.seed, "candidates");
        let n = self.owner_data.len() / 2;
        let candidates: Vec<f32> = (0..CANDIDATES)
            .flat_map(|_| {
                let i = rng.below(n);
                [
                    self.owner_data[2 * i] + CANDIDATE_JITTER * rng.normal(),
                    self.owner_data[2 * i + 1] + CANDIDATE_JITTER * rng.normal(),
                ]
            })
            .collect();
        let frozen: Vec<Mlp> = self
            .honest
            .iter()
            .map(|m| m.learner.model().valid())
            .collect();
        let references: Vec<Vec<u32>> = frozen[1..=REFERENCES]
            .iter()
            .map(|m| top1(m, &candidates))
            .collect();
        let surrogates: Vec<Vec<u32>> = frozen[1 + REFERENCES..=REFERENCES + SURROGATES]
            .iter()
            .map(|m| top1(m, &candidates))
            .collect();
        let keys = evidence::key_set(
            &candidates,
            &top1(&self.teacher, &candidates),
            &references,
            &surrogates,
        );
        let teacher_keys = top1(&self.teacher, &keys);
        let null: Vec<Vec<u32>> = frozen[1 + REFERENCES + SURROGATES..]
            .iter()
            .map(|m| top1(m, &keys))
            .collect();
        let suspects = [
            self.marked.student(0),
            self.marked.student(1),
            self.unmarked.student(0),
            frozen[0].clone(),
        ];
        SUSPECTS
            .iter()
            .zip(suspects)
            .map(|(name, model)| {
                let probs =
                    metrics::softmax(&learner::logits(&model, &probes, 2, &self.device), k, 1.0);
                Case {
                    suspect: name.to_string(),
                    accuracy: metrics::agreement(&top1(&model, &self.test.x), &self.test.y),
                    watermark: evidence::verify(&owner_key, &probes, &probs, k),
                    wrong_key: evidence::verify(&wrong_key, &probes, &probs, k),
                    fingerprint: evidence::score(&teacher_keys, &top1(&model, &keys), &null),
                }
            })
            .collect()
    }
}
