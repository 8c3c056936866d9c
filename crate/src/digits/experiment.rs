//! What a study runs: Hinton, Vinyals & Dean (2015)'s section-3 experiments on the digits,
//! and the settings each runs under ([`StudyConfig`], the paper's by default).

use crate::config::Config;
use crate::digits::data::{CLASSES, PIXELS};
use crate::model::MlpConfig;
use serde::{Deserialize, Serialize};

/// Which of the paper's section-3 experiments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Experiment {
    /// Equal students, one on labels, one on the teacher's soft targets at T = 20.
    SoftVsHard,
    /// Every 3 left out of the transfer set; the distilled student's 3-bias raised afterwards.
    MissingClass,
    /// Distilled students at several temperatures, beside one on labels.
    Temperature,
}

impl Experiment {
    /// Every experiment, in the order the page lists them.
    pub const ALL: [Experiment; 3] = [
        Experiment::SoftVsHard,
        Experiment::MissingClass,
        Experiment::Temperature,
    ];

    /// The name used on the command line and in the page.
    pub fn name(self) -> &'static str {
        match self {
            Experiment::SoftVsHard => "soft-vs-hard",
            Experiment::MissingClass => "missing-class",
            Experiment::Temperature => "temperature",
        }
    }

    /// Parses a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Its title.
    pub fn title(self) -> &'static str {
        match self {
            Experiment::SoftVsHard => "Soft targets against hard labels",
            Experiment::MissingClass => "Learning a digit never seen",
            Experiment::Temperature => "The temperature",
        }
    }

    /// What it shows, in one sentence.
    pub fn explain(self) -> &'static str {
        match self {
            Experiment::SoftVsHard => {
                "Two students of the same size see the same digits: one learns from the labels, \
                 the other from the teacher's probabilities softened at T = 20 (in the paper it \
                 made half the test errors)."
            }
            Experiment::MissingClass => {
                "The student never sees a 3, yet learns from the teacher's soft outputs on other \
                 digits what a 3 looks like: raising its bias for 3 afterwards lets it recognise \
                 most of them."
            }
            Experiment::Temperature => {
                "The same student distilled at several temperatures: at T = 1 the soft targets \
                 are nearly labels; higher T unhides the teacher's small probabilities."
            }
        }
    }
}

/// Every setting of a study. The defaults are the paper's; the page's and the command line's
/// come from their [`Config`] ([`StudyConfig::from_config`]), whose `digits_*` knobs default to
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudyConfig {
    /// Seeds the split, every initial weight and every batch.
    pub seed: u64,
    /// Digits held out for testing (the rest, 1,347 by default, train).
    pub test: usize,
    /// The teacher's hidden layers.
    pub teacher_hidden: Vec<usize>,
    /// The teacher's optimisation steps.
    pub teacher_steps: usize,
    /// Whether each teacher example is moved by up to a pixel each way: the paper's input
    /// jitter, the teacher's only regulariser.
    pub jitter: bool,
    /// Each student's hidden layers.
    pub student_hidden: Vec<usize>,
    /// Each student's optimisation steps.
    pub student_steps: usize,
    /// Examples per batch.
    pub batch: usize,
    /// Adam's peak learning rate (cosine decay to zero).
    pub lr: f32,
    /// The distillation temperature (the paper's T = 20).
    pub temperature: f32,
    /// Weight of the soft term in the distilled students' loss (the hard term gets the rest).
    pub soft_weight: f32,
    /// Temperatures of the temperature sweep.
    pub temperatures: Vec<f32>,
    /// The class left out of the transfer set in the missing-class experiment (the paper's 3).
    pub omitted: u32,
}

impl Default for StudyConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            test: 450,
            teacher_hidden: vec![256, 256],
            teacher_steps: 6000,
            jitter: true,
            student_hidden: vec![128],
            student_steps: 3000,
            batch: 64,
            lr: 0.003,
            temperature: 20.0,
            soft_weight: 0.9,
            temperatures: vec![1.0, 2.0, 4.0, 8.0, 20.0],
            omitted: 3,
        }
    }
}

impl StudyConfig {
    /// The study the knobs of `config` describe: the paper's settings with its `digits_*`
    /// knobs applied.
    pub fn from_config(config: &Config) -> Self {
        Self::default().with_knobs(config)
    }

    /// These settings with the `digits_*` knobs of `config` applied; the rest (the split, the
    /// teacher's shape and training) are kept, as a shipped teacher was trained under them.
    pub fn with_knobs(self, config: &Config) -> Self {
        Self {
            temperature: config.digits_temperature,
            student_hidden: vec![config.digits_student],
            soft_weight: config.digits_soft_weight,
            student_steps: config.digits_student_steps,
            ..self
        }
    }

    /// The teacher's shape.
    pub fn teacher(&self) -> MlpConfig {
        MlpConfig::new(PIXELS, self.teacher_hidden.clone(), CLASSES)
    }

    /// The students' shape.
    pub fn student(&self) -> MlpConfig {
        MlpConfig::new(PIXELS, self.student_hidden.clone(), CLASSES)
    }
}

/// The paper's bias correction for the missing class: "+3.5" on the 3's logit (section 3).
pub const PAPER_BIAS: f32 = 3.5;
