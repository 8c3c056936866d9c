//! An investigation: the owner of a teacher examines suspects with both kinds of
//! [`evidence`](crate::evidence). It trains the suspects (thieves through the API, with and
//! without the watermark, and an honest model on its own data) and the fingerprint's reference
//! and null models side by side, then gives a verdict on each.

use crate::api::Format;
use crate::config::Config;
use crate::dataset::{Dataset, Points};
use crate::distill;
use crate::evidence::{self, FingerprintVerdict, Watermark, WatermarkVerdict};
use crate::extraction::{Extraction, owner_watermark};
use crate::learner::{self, Learner, batch, cosine, gather, to_tensor};
use crate::metrics;
use crate::model::Mlp;
use crate::rng::Rng;
use crate::trainer::{Trainer, student_config};
use burn::module::Module;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// Models trained on the owner's data to find the fingerprint's key points.
const REFERENCES: usize = 3;
/// Models trained on independent data: the fingerprint's null distribution.
const NULL_MODELS: usize = 6;
/// Candidate points for the fingerprint's key set: jittered copies of the owner's data, where
/// a thief's queries (and so its copy of the teacher's quirks) concentrate.
const CANDIDATES: usize = 2000;
/// Standard deviation of that jitter.
const CANDIDATE_JITTER: f32 = 0.1;

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

/// A model learning hard labels, for the honest suspect and the fingerprint's references.
struct LabelModel {
    learner: Learner,
    data: Points,
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
    honest: Vec<LabelModel>,
    step: usize,
}

impl Investigation {
    /// Starts an investigation of `trainer`'s teacher (trained already) under `config`.
    pub fn new(trainer: &Trainer, config: Config) -> Result<Self, String> {
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
        // 0: the honest suspect (own data); then references (owner's data); then null models.
        let honest = (0..1 + REFERENCES + NULL_MODELS)
            .map(|i| {
                let seed = Rng::fork(config.seed, &format!("honest {i}")).next_u64();
                let data = if (1..=REFERENCES).contains(&i) {
                    owner.clone()
                } else {
                    Dataset::generate(
                        config.scenario,
                        config.classes,
                        config.samples,
                        config.noise,
                        seed,
                    )
                    .train
                };
                LabelModel {
                    learner: Learner::new(student_config(&config).init(seed, &train_device)),
                    data,
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
            self.marked.step(n);
            self.unmarked.step(n);
        }
        let k = self.config.classes;
        for _ in 0..n {
            let lr = cosine(self.config.lr, self.step, steps);
            for m in &mut self.honest {
                let idx = batch(&mut m.batches, m.data.len(), self.config.batch);
                let x = to_tensor(gather(&m.data.x, &idx, 2), 2, &self.train_device);
                let mut y = vec![0.0; idx.len() * k];
                for (row, &i) in idx.iter().enumerate() {
                    y[row * k + m.data.y[i] as usize] = 1.0;
                }
                let y = to_tensor(y, k, &self.train_device);
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
        // Fingerprint: key points where the teacher disagrees with every reference model.
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
        let keys = evidence::key_set(&candidates, &top1(&self.teacher, &candidates), &references);
        let teacher_keys = top1(&self.teacher, &keys);
        let null: Vec<Vec<u32>> = frozen[1 + REFERENCES..]
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
