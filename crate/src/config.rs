//! The one Config behind every knob, and the declarative table that maps it onto the page's
//! controls, the URL hash and the command line.

use crate::api::Source;
use crate::model::Activation;
use crate::playground::dataset::Scenario;
use serde::{Deserialize, Serialize};

/// Every setting of a run: data, models, distillation, optimiser, seed and page speed.
/// Two equal Configs give identical runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The shape of the data.
    pub scenario: Scenario,
    /// Number of classes (arms, blobs, rings or blades).
    pub classes: usize,
    /// Standard deviation of the jitter on each point, in plane units.
    pub noise: f32,
    /// Training points the teacher learns from.
    pub samples: usize,
    /// Of those, how many the students see (their transfer set, from the start of the set).
    pub student_samples: usize,
    /// Units in each hidden layer of the teacher.
    pub teacher_width: usize,
    /// Hidden layers of the teacher.
    pub teacher_depth: usize,
    /// Units in each hidden layer of both students.
    pub student_width: usize,
    /// Hidden layers of both students.
    pub student_depth: usize,
    /// Non-linearity of every hidden layer.
    pub activation: Activation,
    /// Distillation temperature T: both logit vectors are divided by T before the softmax.
    pub temperature: f32,
    /// Weight of the soft (teacher) term in the distilled student's loss; the hard-label term
    /// gets `1 − soft_weight`. Hinton et al.'s convention (torchdistill's α is the opposite).
    pub soft_weight: f32,
    /// Adam learning rate, for the teacher and the students.
    pub lr: f32,
    /// Mini-batch size.
    pub batch: usize,
    /// Optimisation steps for the teacher (phase 1).
    pub teacher_steps: usize,
    /// Optimisation steps for the students (phase 2).
    pub student_steps: usize,
    /// Seed of the data, the initial weights and the batch order.
    pub seed: u64,
    /// Steps the page runs per animation frame (no effect on results).
    pub speed: usize,
    /// API mode: queries the client may send in all.
    pub budget: usize,
    /// API mode: queries per simulated second the API serves.
    pub rate: f32,
    /// API mode: price per 1,000 queries, in dollars.
    pub price: f32,
    /// API mode: where the client's queries come from.
    pub source: Source,
    /// API mode: probabilities the top-k format returns.
    pub top_k: usize,
    /// API mode: decimals the rounded format keeps.
    pub decimals: u32,
    /// API mode: strength of the perturbation defence.
    pub perturbation: f32,
    /// API mode: whether the owner runs the extraction detector (bans on a flag).
    pub detector: bool,
    /// API mode: whether the owner watermarks the soft answers.
    pub watermark: bool,
    /// API mode: probability the watermark adds to each cell's green class.
    pub delta: f32,
    /// Units in each hidden layer of the copies the owner investigates, and of its reference
    /// models (their depth is the students').
    pub suspect_width: usize,
    /// Chat: tokens each thief buys from the chat API.
    pub chat_budget: usize,
    /// Chat: tokens the top-k answers show per position.
    pub chat_k: usize,
    /// Chat: price per 1,000 tokens, in dollars.
    pub chat_price: f32,
    /// Chat: tokens per simulated second the chat API serves.
    pub chat_rate: f32,
    /// Chat: whether the chat API watermarks the names it writes.
    pub chat_watermark: bool,
    /// Chat: the logit bonus of the watermark's green characters.
    pub chat_delta: f32,
    /// Chat: GRU units of each thief's student.
    pub chat_student: usize,
    /// Chat: Adam steps each student takes.
    pub chat_steps: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            scenario: Scenario::Spiral,
            classes: 3,
            noise: 0.05,
            samples: 1200,
            student_samples: 1200,
            teacher_width: 64,
            teacher_depth: 3,
            student_width: 16,
            student_depth: 2,
            activation: Activation::Relu,
            temperature: 4.0,
            soft_weight: 0.9,
            lr: 0.01,
            batch: 64,
            teacher_steps: 2000,
            student_steps: 3000,
            seed: 1,
            speed: 20,
            budget: 3000,
            rate: 20.0,
            price: 2.0,
            source: Source::Natural,
            top_k: 2,
            decimals: 1,
            perturbation: 0.5,
            detector: false,
            watermark: false,
            delta: 0.3,
            suspect_width: 16,
            chat_budget: 20_000,
            chat_k: 5,
            chat_price: 0.5,
            chat_rate: 200.0,
            chat_watermark: true,
            chat_delta: 4.0,
            chat_student: 32,
            chat_steps: 1_500,
        }
    }
}

/// Which section of the controls a knob belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// The dataset.
    Data,
    /// Model sizes and shapes.
    Models,
    /// The distillation loss.
    Distillation,
    /// Optimiser, budgets, seed, pace.
    Training,
    /// The API a client distils through.
    Api,
    /// The chat API and its thieves.
    Chat,
}

/// What must start again when the settings change ([`Config::invalidates`]), and what each
/// knob declares it feeds ([`Knob::restarts`]): one flag per part of the page that runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Invalidated {
    /// The teacher, and so everything trained on it: a full reset.
    pub teacher: bool,
    /// The students (phase 2); a trained teacher can be kept.
    pub students: bool,
    /// The API extraction (`api::extraction`).
    pub extraction: bool,
    /// The owner's investigation of the suspects (`evidence::investigation`).
    pub investigation: bool,
    /// The chat section's round (`chat::study`).
    pub chat: bool,
    /// The pace of the page: takes effect at once, nothing starts again.
    pub pace: bool,
}

impl Invalidated {
    /// Nothing to restart.
    pub const NOTHING: Self = Self {
        teacher: false,
        students: false,
        extraction: false,
        investigation: false,
        chat: false,
        pace: false,
    };
    /// A new teacher, and so new students, a new extraction and a new investigation: each
    /// learns from the teacher.
    pub const TEACHER: Self = Self {
        teacher: true,
        students: true,
        extraction: true,
        investigation: true,
        ..Self::NOTHING
    };
    /// The students alone.
    pub const STUDENTS: Self = Self {
        students: true,
        ..Self::NOTHING
    };
    /// The extraction alone.
    pub const EXTRACTION: Self = Self {
        extraction: true,
        ..Self::NOTHING
    };
    /// The investigation alone.
    pub const INVESTIGATION: Self = Self {
        investigation: true,
        ..Self::NOTHING
    };
    /// The chat round alone.
    pub const CHAT: Self = Self {
        chat: true,
        ..Self::NOTHING
    };
    /// The pace alone.
    pub const PACE: Self = Self {
        pace: true,
        ..Self::NOTHING
    };

    /// Both: every part either restarts.
    pub const fn and(self, other: Self) -> Self {
        Self {
            teacher: self.teacher || other.teacher,
            students: self.students || other.students,
            extraction: self.extraction || other.extraction,
            investigation: self.investigation || other.investigation,
            chat: self.chat || other.chat,
            pace: self.pace || other.pace,
        }
    }

    /// The gist, as the controls word it under a knob: the largest part that restarts.
    pub fn gist(&self) -> Restarts {
        if self.teacher {
            Restarts::All
        } else if self.students {
            Restarts::Student
        } else if self.extraction || self.investigation {
            Restarts::Api
        } else if self.chat {
            Restarts::Chat
        } else {
            Restarts::None
        }
    }
}

/// The gist of an [`Invalidated`] ([`Invalidated::gist`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Restarts {
    /// The data or the teacher change: everything starts again.
    All,
    /// The students change: a trained teacher can be kept.
    Student,
    /// The API's extraction or investigation restarts; the playground's run is kept.
    Api,
    /// The chat section's round restarts; nothing else.
    Chat,
    /// Nothing changes but the pace.
    None,
}

/// The values a knob takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// One of these names; the value is the index.
    Choice(&'static [&'static str]),
    /// A number in `[min, max]`, rounded to multiples of `step` from `min` when `step ≥ 1`;
    /// `log` asks for a logarithmic slider.
    Number {
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
        /// Slider step (integers when ≥ 1).
        step: f64,
        /// Whether the slider should be logarithmic.
        log: bool,
    },
}

/// One setting: how it is named, shown, bounded, and read from and written to a [`Config`].
#[derive(Debug, Clone, Copy)]
pub struct Knob {
    /// Config field name, URL-hash key and `--key` on the command line.
    pub key: &'static str,
    /// Short label for the control.
    pub label: &'static str,
    /// One sentence on what it does.
    pub help: &'static str,
    /// Section of the controls.
    pub group: Group,
    /// What changing it alone invalidates: the parts that read it, and what learns from them.
    pub restarts: Invalidated,
    /// Its values.
    pub kind: Kind,
    /// Reads the value (a choice as its index).
    pub get: fn(&Config) -> f64,
    /// Writes an already clamped value.
    pub set: fn(&mut Config, f64),
}

const SCENARIOS: &[&str] = &["spiral", "blobs", "rings", "pinwheel"];
const ACTIVATIONS: &[&str] = &["relu", "tanh", "gelu"];
const SOURCES: &[&str] = &["natural", "uniform", "synthetic"];
const SWITCH: &[&str] = &["off", "on"];

const fn number(min: f64, max: f64, step: f64) -> Kind {
    Kind::Number {
        min,
        max,
        step,
        log: false,
    }
}

/// The table of every knob, in the order the page shows them.
pub const KNOBS: &[Knob] = &[
    Knob {
        key: "scenario",
        label: "Dataset",
        help: "The shape of the data the teacher learns.",
        group: Group::Data,
        restarts: Invalidated::TEACHER,
        kind: Kind::Choice(SCENARIOS),
        get: |c| {
            Scenario::ALL
                .iter()
                .position(|&s| s == c.scenario)
                .unwrap_or(0) as f64
        },
        set: |c, v| c.scenario = Scenario::ALL[v as usize],
    },
    Knob {
        key: "classes",
        label: "Classes",
        help: "How many classes (arms, blobs, rings or blades).",
        group: Group::Data,
        restarts: Invalidated::TEACHER,
        kind: number(3.0, 6.0, 1.0),
        get: |c| c.classes as f64,
        set: |c, v| c.classes = v as usize,
    },
    Knob {
        key: "noise",
        label: "Noise",
        help: "How far points stray from their class's shape; more noise, more overlap.",
        group: Group::Data,
        restarts: Invalidated::TEACHER,
        kind: number(0.0, 0.3, 0.01),
        get: |c| f64::from(c.noise),
        set: |c, v| c.noise = v as f32,
    },
    Knob {
        key: "samples",
        label: "Training points",
        help: "Labelled points the teacher trains on.",
        group: Group::Data,
        restarts: Invalidated::TEACHER,
        kind: number(60.0, 4000.0, 20.0),
        get: |c| c.samples as f64,
        set: |c, v| c.samples = v as usize,
    },
    Knob {
        key: "student_samples",
        label: "Student's points",
        help: "How many of those points the students may learn from: few points is where soft targets help most.",
        group: Group::Data,
        restarts: Invalidated::STUDENTS,
        kind: number(10.0, 4000.0, 10.0),
        get: |c| c.student_samples as f64,
        set: |c, v| c.student_samples = v as usize,
    },
    Knob {
        key: "teacher_width",
        label: "Teacher width",
        help: "Neurons in each hidden layer of the teacher.",
        group: Group::Models,
        restarts: Invalidated::TEACHER,
        kind: number(8.0, 128.0, 4.0),
        get: |c| c.teacher_width as f64,
        set: |c, v| c.teacher_width = v as usize,
    },
    Knob {
        key: "teacher_depth",
        label: "Teacher layers",
        help: "Hidden layers of the teacher.",
        group: Group::Models,
        restarts: Invalidated::TEACHER,
        kind: number(1.0, 4.0, 1.0),
        get: |c| c.teacher_depth as f64,
        set: |c, v| c.teacher_depth = v as usize,
    },
    Knob {
        key: "student_width",
        label: "Student width",
        help: "Neurons in each hidden layer of both students.",
        group: Group::Models,
        restarts: Invalidated::STUDENTS.and(Invalidated::EXTRACTION),
        kind: number(2.0, 64.0, 1.0),
        get: |c| c.student_width as f64,
        set: |c, v| c.student_width = v as usize,
    },
    Knob {
        key: "student_depth",
        label: "Student layers",
        help: "Hidden layers of both students.",
        group: Group::Models,
        restarts: Invalidated::STUDENTS
            .and(Invalidated::EXTRACTION)
            .and(Invalidated::INVESTIGATION),
        kind: number(1.0, 3.0, 1.0),
        get: |c| c.student_depth as f64,
        set: |c, v| c.student_depth = v as usize,
    },
    Knob {
        key: "activation",
        label: "Activation",
        help: "The non-linearity between layers, for teacher and students.",
        group: Group::Models,
        restarts: Invalidated::TEACHER,
        kind: Kind::Choice(ACTIVATIONS),
        get: |c| {
            Activation::ALL
                .iter()
                .position(|&a| a == c.activation)
                .unwrap_or(0) as f64
        },
        set: |c, v| c.activation = Activation::ALL[v as usize],
    },
    Knob {
        key: "temperature",
        label: "Temperature T",
        help: "Softens the teacher's probabilities so that its second and third guesses show.",
        group: Group::Distillation,
        restarts: Invalidated::STUDENTS,
        kind: number(1.0, 20.0, 0.5),
        get: |c| f64::from(c.temperature),
        set: |c, v| c.temperature = v as f32,
    },
    Knob {
        key: "soft_weight",
        label: "Soft-target weight",
        help: "How much the distilled student listens to the teacher (1) rather than to the labels (0).",
        group: Group::Distillation,
        restarts: Invalidated::STUDENTS,
        kind: number(0.0, 1.0, 0.05),
        get: |c| f64::from(c.soft_weight),
        set: |c, v| c.soft_weight = v as f32,
    },
    Knob {
        key: "lr",
        label: "Learning rate",
        help: "Adam's step size, for teacher and students.",
        group: Group::Training,
        restarts: Invalidated::TEACHER,
        kind: Kind::Number {
            min: 1e-4,
            max: 10.0,
            step: 0.0,
            log: true,
        },
        get: |c| f64::from(c.lr),
        set: |c, v| c.lr = v as f32,
    },
    Knob {
        key: "batch",
        label: "Batch size",
        help: "Points per optimisation step.",
        group: Group::Training,
        restarts: Invalidated::TEACHER,
        kind: number(8.0, 256.0, 8.0),
        get: |c| c.batch as f64,
        set: |c, v| c.batch = v as usize,
    },
    Knob {
        key: "teacher_steps",
        label: "Teacher steps",
        help: "How long the teacher trains before the students start.",
        group: Group::Training,
        restarts: Invalidated::TEACHER,
        kind: number(100.0, 10000.0, 100.0),
        get: |c| c.teacher_steps as f64,
        set: |c, v| c.teacher_steps = v as usize,
    },
    Knob {
        key: "student_steps",
        label: "Student steps",
        help: "How long the students train.",
        group: Group::Training,
        restarts: Invalidated::STUDENTS
            .and(Invalidated::EXTRACTION)
            .and(Invalidated::INVESTIGATION),
        kind: number(100.0, 20000.0, 100.0),
        get: |c| c.student_steps as f64,
        set: |c, v| c.student_steps = v as usize,
    },
    Knob {
        key: "seed",
        label: "Seed",
        help: "Fixes the data, the initial weights and the batch order: same seed, same run.",
        group: Group::Training,
        restarts: Invalidated::TEACHER.and(Invalidated::CHAT),
        kind: number(0.0, 999_999.0, 1.0),
        get: |c| c.seed as f64,
        set: |c, v| c.seed = v as u64,
    },
    Knob {
        key: "speed",
        label: "Speed",
        help: "Optimisation steps per animation frame; does not change the result.",
        group: Group::Training,
        restarts: Invalidated::PACE,
        kind: number(1.0, 200.0, 1.0),
        get: |c| c.speed as f64,
        set: |c, v| c.speed = v as usize,
    },
    Knob {
        key: "budget",
        label: "Query budget",
        help: "How many questions the client may ask the API in all.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION.and(Invalidated::INVESTIGATION),
        kind: number(100.0, 20000.0, 100.0),
        get: |c| c.budget as f64,
        set: |c, v| c.budget = v as usize,
    },
    Knob {
        key: "rate",
        label: "Rate limit (queries/s)",
        help: "Queries per second the API serves; the client waits for the rest.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: Kind::Number {
            min: 0.1,
            max: 1000.0,
            step: 0.0,
            log: true,
        },
        get: |c| f64::from(c.rate),
        set: |c, v| c.rate = v as f32,
    },
    Knob {
        key: "price",
        label: "Price per 1,000 queries ($)",
        help: "What the API charges; the page adds up the bill.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: number(0.0, 100.0, 0.1),
        get: |c| f64::from(c.price),
        set: |c, v| c.price = v as f32,
    },
    Knob {
        key: "source",
        label: "Queries",
        help: "Natural: unlabelled data like the owner's; uniform: random points; synthetic: jittered copies of earlier queries.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: Kind::Choice(SOURCES),
        get: |c| Source::ALL.iter().position(|&s| s == c.source).unwrap_or(0) as f64,
        set: |c, v| c.source = Source::ALL[v as usize],
    },
    Knob {
        key: "top_k",
        label: "Top-k shown",
        help: "How many probabilities the top-k answer reveals.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: number(1.0, 5.0, 1.0),
        get: |c| c.top_k as f64,
        set: |c, v| c.top_k = v as usize,
    },
    Knob {
        key: "decimals",
        label: "Rounding (decimals)",
        help: "Decimal places the rounded answer keeps.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: number(0.0, 4.0, 1.0),
        get: |c| f64::from(c.decimals),
        set: |c, v| c.decimals = v as u32,
    },
    Knob {
        key: "perturbation",
        label: "Perturbation",
        help: "Noise the perturbing defence adds to every probability (the top label never changes).",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: number(0.0, 2.0, 0.05),
        get: |c| f64::from(c.perturbation),
        set: |c, v| c.perturbation = v as f32,
    },
    Knob {
        key: "detector",
        label: "Extraction detector",
        help: "The owner watches the spacing of each client's queries and bans the odd ones.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: Kind::Choice(SWITCH),
        get: |c| f64::from(u8::from(c.detector)),
        set: |c, v| c.detector = v >= 0.5,
    },
    Knob {
        key: "watermark",
        label: "Watermark",
        help: "The owner hides a keyed signal in its soft answers; it never changes the top label.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION,
        kind: Kind::Choice(SWITCH),
        get: |c| f64::from(u8::from(c.watermark)),
        set: |c, v| c.watermark = v >= 0.5,
    },
    Knob {
        key: "delta",
        label: "Watermark strength δ",
        help: "Probability added to each cell's secret green class.",
        group: Group::Api,
        restarts: Invalidated::EXTRACTION.and(Invalidated::INVESTIGATION),
        kind: number(0.05, 0.5, 0.05),
        get: |c| f64::from(c.delta),
        set: |c, v| c.delta = v as f32,
    },
    Knob {
        key: "suspect_width",
        label: "Suspects' width",
        help: "Neurons in each hidden layer of the copies the owner investigates: a bigger copy has room to pick up the watermark.",
        group: Group::Api,
        restarts: Invalidated::INVESTIGATION,
        kind: number(2.0, 64.0, 1.0),
        get: |c| c.suspect_width as f64,
        set: |c, v| c.suspect_width = v as usize,
    },
    Knob {
        key: "chat_budget",
        label: "Tokens bought",
        help: "Characters (end markers included) each thief buys from the chat API.",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: number(1000.0, 100_000.0, 1000.0),
        get: |c| c.chat_budget as f64,
        set: |c, v| c.chat_budget = v as usize,
    },
    Knob {
        key: "chat_k",
        label: "Top-k shown",
        help: "Log-probabilities per position the top-k answers show (chat APIs: at most 20).",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: number(1.0, 20.0, 1.0),
        get: |c| c.chat_k as f64,
        set: |c, v| c.chat_k = v as usize,
    },
    Knob {
        key: "chat_price",
        label: "Price per 1,000 tokens ($)",
        help: "What the chat API charges; the page adds up the bill.",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: number(0.0, 100.0, 0.1),
        get: |c| f64::from(c.chat_price),
        set: |c, v| c.chat_price = v as f32,
    },
    Knob {
        key: "chat_rate",
        label: "Rate limit (tokens/s)",
        help: "Tokens per second the chat API serves; the thief waits for the rest.",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: Kind::Number {
            min: 1.0,
            max: 10_000.0,
            step: 0.0,
            log: true,
        },
        get: |c| f64::from(c.chat_rate),
        set: |c, v| c.chat_rate = v as f32,
    },
    Knob {
        key: "chat_watermark",
        label: "Text watermark",
        help: "The API biases its sampling towards characters green under a secret key.",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: Kind::Choice(SWITCH),
        get: |c| f64::from(u8::from(c.chat_watermark)),
        set: |c, v| c.chat_watermark = v >= 0.5,
    },
    Knob {
        key: "chat_delta",
        label: "Watermark strength δ",
        help: "Added to every green character's logit before the API samples.",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: number(0.5, 8.0, 0.5),
        get: |c| f64::from(c.chat_delta),
        set: |c, v| c.chat_delta = v as f32,
    },
    Knob {
        key: "chat_student",
        label: "Students' GRU units",
        help: "Units of every thief's student (the teacher has 128).",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: number(4.0, 64.0, 4.0),
        get: |c| c.chat_student as f64,
        set: |c, v| c.chat_student = v as usize,
    },
    Knob {
        key: "chat_steps",
        label: "Training steps",
        help: "Adam steps each student takes, buying tokens evenly along the way.",
        group: Group::Chat,
        restarts: Invalidated::CHAT,
        kind: number(20.0, 10_000.0, 20.0),
        get: |c| c.chat_steps as f64,
        set: |c, v| c.chat_steps = v as usize,
    },
];

impl Knob {
    /// Parses `text` into a value this knob accepts, clamping or rounding it; the notice says
    /// what was changed, and why.
    pub fn parse(&self, text: &str) -> (Option<f64>, Option<String>) {
        let key = self.key;
        let shown = shorten(text);
        match self.kind {
            Kind::Choice(names) => match names.iter().position(|&n| n == text) {
                Some(i) => (Some(i as f64), None),
                None => (
                    None,
                    Some(format!(
                        "{key}={shown} is not one of {}; using the default",
                        names.join(", ")
                    )),
                ),
            },
            Kind::Number { .. } => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let c = self.clamp(v);
                    let notice = (c != v).then(|| match self.kind {
                        Kind::Number { min, .. } if v < min => {
                            format!("{key}={shown} is below the minimum {min}; using {c}")
                        }
                        Kind::Number { max, .. } if v > max => {
                            format!("{key}={shown} is above the maximum {max}; using {c}")
                        }
                        _ => format!("{key}={shown} is not a valid step; using {c}"),
                    });
                    (Some(c), notice)
                }
                _ => (
                    None,
                    Some(format!("{key}={shown} is not a number; using the default")),
                ),
            },
        }
    }

    /// What the knob accepts, in words: "one of spiral, blobs", "0 to 0.3",
    /// "100 to 20000 in steps of 100".
    pub fn range(&self) -> String {
        match self.kind {
            Kind::Choice(names) => format!("one of {}", names.join(", ")),
            Kind::Number { min, max, step, .. } if step > 1.0 => {
                format!("{min} to {max} in steps of {step}")
            }
            Kind::Number {
                min,
                max,
                step: 1.0,
                ..
            } => {
                format!("a whole number from {min} to {max}")
            }
            Kind::Number { min, max, .. } => format!("{min} to {max}"),
        }
    }

    /// The value `config` should hold instead of its current one, or None when the stored
    /// value is acceptable. Values are compared as stored: an f32 field at its limit (0.3 is
    /// 0.30000001 once widened) is at its limit, not past it.
    fn correction(&self, config: &Config) -> Option<f64> {
        let v = (self.get)(config);
        let c = if v.is_finite() {
            self.clamp(v)
        } else {
            (self.get)(&Config::default())
        };
        let mut fixed = config.clone();
        (self.set)(&mut fixed, c);
        let stored = (self.get)(&fixed);
        (stored != v).then_some(stored)
    }

    /// `v` brought into range and onto the step grid.
    pub fn clamp(&self, v: f64) -> f64 {
        match self.kind {
            Kind::Choice(names) => v.round().clamp(0.0, (names.len() - 1) as f64),
            Kind::Number { min, max, step, .. } => {
                let v = v.clamp(min, max);
                if step >= 1.0 {
                    (min + ((v - min) / step).round() * step).min(max)
                } else {
                    v
                }
            }
        }
    }

    /// The values at the edges of what its control produces, for tests of the whole table:
    /// each choice; for numbers both limits, one step inside each (a thousandth of the range
    /// for continuous sliders), and the default.
    pub fn edges(&self) -> Vec<f64> {
        match self.kind {
            Kind::Choice(names) => (0..names.len()).map(|i| i as f64).collect(),
            Kind::Number { min, max, step, .. } => {
                let step = if step > 0.0 {
                    step
                } else {
                    (max - min) / 1000.0
                };
                let default = (self.get)(&Config::default());
                vec![min, min + step, default, max - step, max]
            }
        }
    }

    /// The value as it is written in a URL or shown.
    pub fn format(&self, v: f64) -> String {
        match self.kind {
            Kind::Choice(names) => names[v as usize].to_string(),
            Kind::Number { .. } => format!("{}", v as f32),
        }
    }

    /// Finds a knob by key.
    pub fn find(key: &str) -> Option<&'static Knob> {
        KNOBS.iter().find(|k| k.key == key)
    }
}

/// At most [`SHOWN_CHARS`] characters of a value from a URL, for a notice: a 10 kB value
/// must not become a 10 kB message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
        None => text.to_string(),
    }
}

/// How much of a value a notice quotes.
pub const SHOWN_CHARS: usize = 40;

impl Config {
    /// Builds a Config from `key=value` pairs joined by `&` (a URL hash or query without its
    /// `#`/`?`). Unknown keys, malformed and out-of-range values are dropped or clamped, never
    /// fatal: each gives a notice for the user.
    pub fn from_query(query: &str) -> (Config, Vec<String>) {
        Self::from_query_over(&Config::default(), query)
    }

    /// [`Config::from_query`] with the keys not given taken from `base` rather than from the
    /// defaults: the page reads its address over the setting it opens on.
    pub fn from_query_over(base: &Config, query: &str) -> (Config, Vec<String>) {
        let mut config = base.clone();
        let mut notices = Vec::new();
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // A key given twice: the first occurrence decides, whatever it says.
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                notices.push(format!(
                    "{} appears more than once; the first ({}={}) is used and {}={} ignored",
                    shorten(key),
                    shorten(key),
                    shorten(first),
                    shorten(key),
                    shorten(value)
                ));
                continue;
            }
            seen.push((key, value));
            match Knob::find(key) {
                None => notices.push(format!("unknown setting '{}' ignored", shorten(key))),
                Some(knob) => {
                    let (value, notice) = knob.parse(value);
                    notices.extend(notice);
                    if let Some(v) = value {
                        (knob.set)(&mut config, v);
                    }
                }
            }
        }
        notices.extend(config.reconcile());
        (config, notices)
    }

    /// The canonical query for this Config: the non-default knobs, in table order.
    pub fn to_query(&self) -> String {
        self.to_query_over(&Config::default())
    }

    /// The knobs that differ from `base`, in table order: the inverse of
    /// [`Config::from_query_over`].
    pub fn to_query_over(&self, base: &Config) -> String {
        KNOBS
            .iter()
            .filter(|k| (k.get)(self) != (k.get)(base))
            .map(|k| format!("{}={}", k.key, k.format((k.get)(self))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Clamps every knob into its range and fixes cross-knob constraints; returns a notice per
    /// change. A Config that comes back with no notices is valid.
    pub fn reconcile(&mut self) -> Vec<String> {
        let mut notices = Vec::new();
        for knob in KNOBS {
            if let Some(c) = knob.correction(self) {
                notices.push(format!(
                    "{} = {} is out of range; using {}",
                    knob.key,
                    (knob.get)(self),
                    knob.format(c)
                ));
                (knob.set)(self, c);
            }
        }
        if self.student_samples > self.samples {
            notices.push(format!(
                "student_samples = {} exceeds the {} training points; using {}",
                self.student_samples, self.samples, self.samples
            ));
            self.student_samples = self.samples;
        }
        notices
    }

    /// Err listing every problem if this Config is not one the trainer accepts; nothing is
    /// changed (see [`Config::reconcile`] for that).
    pub fn validate(&self) -> Result<(), String> {
        let mut problems: Vec<String> = KNOBS
            .iter()
            .filter(|k| k.correction(self).is_some())
            .map(|k| {
                format!(
                    "{} = {} is not allowed: it takes {}",
                    k.key,
                    (k.get)(self),
                    k.range()
                )
            })
            .collect();
        if self.student_samples > self.samples {
            problems.push(format!(
                "student_samples = {} is more than the {} training points",
                self.student_samples, self.samples
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// What must start again when the settings change from `self` to `new`: every part that
    /// some changed knob declares ([`Knob::restarts`]). Equal settings invalidate nothing.
    pub fn invalidates(&self, new: &Config) -> Invalidated {
        KNOBS
            .iter()
            .filter(|k| (k.get)(self) != (k.get)(new))
            .fold(Invalidated::NOTHING, |all, k| all.and(k.restarts))
    }

    /// Whether `other` can reuse a teacher trained under `self`: no knob the teacher reads
    /// differs.
    pub fn same_teacher(&self, other: &Config) -> bool {
        !self.invalidates(other).teacher
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_every_default_in_range() {
        let c = Config::default();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.to_query(), "");
        for k in KNOBS {
            assert_eq!(k.clamp((k.get)(&c)), (k.get)(&c), "{}", k.key);
        }
    }

    #[test]
    fn query_round_trips_a_non_default_config() {
        let q = "scenario=rings&classes=5&temperature=7.5&soft_weight=0.5&lr=0.003&seed=42";
        let (c, notices) = Config::from_query(q);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(c.scenario, Scenario::Rings);
        assert_eq!((c.classes, c.temperature, c.seed), (5, 7.5, 42));
        assert_eq!(c.to_query(), q);
        assert_eq!(Config::from_query(&c.to_query()).0, c);
    }

    #[test]
    fn bad_values_are_clamped_with_a_notice() {
        let (c, n) =
            Config::from_query("temperature=500&classes=abc&scenario=moons&bogus=1&batch=13");
        assert_eq!(c.temperature, 20.0);
        assert_eq!(c.classes, 3);
        assert_eq!(c.scenario, Scenario::Spiral);
        assert_eq!(c.batch, 16);
        assert_eq!(n.len(), 5, "{n:?}");
        assert!(n[0].contains("above the maximum 20"), "{}", n[0]);
        let (c, n) = Config::from_query("samples=100&student_samples=400");
        assert_eq!((c.student_samples, n.len()), (100, 1));
    }

    #[test]
    fn validate_rejects_and_same_teacher_compares() {
        let c = Config {
            batch: 0,
            ..Config::default()
        };
        assert!(c.validate().unwrap_err().contains("batch"));
        let a = Config::default();
        let b = Config {
            temperature: 9.0,
            student_width: 4,
            ..a.clone()
        };
        assert!(a.same_teacher(&b));
        assert!(!a.same_teacher(&Config {
            seed: 2,
            ..a.clone()
        }));
    }

    #[test]
    fn every_knob_accepts_its_own_limits_and_steps() {
        for knob in KNOBS {
            for v in knob.edges() {
                let text = knob.format(knob.clamp(v));
                let (c, notices) = Config::from_query(&format!("{}={text}", knob.key));
                // Only the cross-knob rule may speak: fewer training points than the students'.
                let cross =
                    |n: &String| n.starts_with("student_samples = ") && n.contains("exceeds");
                assert!(
                    notices.iter().all(cross),
                    "{}={text}: {notices:?}",
                    knob.key
                );
                assert_eq!(c.validate(), Ok(()), "{}={text}", knob.key);
                assert_eq!(
                    Config::from_query(&c.to_query()).0,
                    c,
                    "{}={text}",
                    knob.key
                );
                // The stored f32 at its limit is the limit, not an error.
                let mut set = Config::default();
                (knob.set)(&mut set, knob.clamp(v));
                let notices = set.reconcile();
                assert!(notices.iter().all(cross), "{}: {notices:?}", knob.key);
            }
        }
    }

    #[test]
    fn f32_fields_at_their_limits_are_valid() {
        for q in [
            "noise=0.3",
            "lr=0.0001",
            "lr=0",
            "noise=99999999999",
            "rate=0.1",
        ] {
            let (c, _) = Config::from_query(q);
            assert_eq!(c.validate(), Ok(()), "{q}");
            assert!(c.clone().reconcile().is_empty(), "{q}");
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_first_value_with_a_notice() {
        let (c, n) = Config::from_query("seed=3&seed=5");
        assert_eq!((c.seed, n.len()), (3, 1), "{n:?}");
        assert!(
            n[0].contains("more than once") && n[0].contains("seed=3"),
            "{}",
            n[0]
        );
        let (c, n) = Config::from_query("seed=3&seed=abc");
        assert_eq!((c.seed, n.len()), (3, 1), "{n:?}");
        assert!(!n[0].contains("default"), "{}", n[0]);
        let (c, n) = Config::from_query("seed=abc&seed=3");
        assert_eq!((c.seed, n.len()), (1, 2), "{n:?}");
    }

    #[test]
    fn long_values_are_cut_in_notices() {
        let long = "9".repeat(10_000);
        for q in [
            format!("seed=x{long}"),
            format!("scenario={long}"),
            format!("{long}=1"),
        ] {
            let (_, n) = Config::from_query(&q);
            assert_eq!(n.len(), 1);
            assert!(n[0].len() < 200, "{} characters", n[0].len());
            assert!(n[0].contains("10001 characters") || n[0].contains("10000 characters"));
        }
    }

    #[test]
    fn validate_names_the_range_and_promises_nothing() {
        let c = Config {
            student_steps: 150,
            noise: f32::NAN,
            ..Config::default()
        };
        let e = c.validate().unwrap_err();
        assert!(
            e.contains("student_steps = 150 is not allowed: it takes 100 to 20000 in steps of 100"),
            "{e}"
        );
        assert!(
            e.contains("noise = NaN is not allowed: it takes 0 to 0.3"),
            "{e}"
        );
        assert!(!e.contains("using"), "{e}");
        let mut c = c;
        let notices = c.reconcile();
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert_eq!((c.student_steps, c.noise), (200, 0.05));
    }

    #[test]
    fn queries_over_another_base_round_trip() {
        let base = Config::from_query("scenario=blobs&classes=5").0;
        let (c, notices) = Config::from_query_over(&base, "seed=4");
        assert!(notices.is_empty());
        assert_eq!((c.scenario, c.classes, c.seed), (Scenario::Blobs, 5, 4));
        assert_eq!(c.to_query_over(&base), "seed=4");
        let spiral = Config::default().to_query_over(&base);
        assert_eq!(spiral, "scenario=spiral&classes=3");
        assert_eq!(Config::from_query_over(&base, &spiral).0, Config::default());
    }

    /// The default with `knob` alone moved to another value its control produces.
    fn moved(knob: &Knob) -> Config {
        let base = Config::default();
        knob.edges()
            .into_iter()
            .map(|v| {
                let mut c = base.clone();
                (knob.set)(&mut c, knob.clamp(v));
                c
            })
            .find(|c| (knob.get)(c) != (knob.get)(&base))
            .unwrap_or_else(|| panic!("{}: no other value", knob.key))
    }

    /// The flags named, and no others.
    fn only(parts: &[&str]) -> Invalidated {
        let mut i = Invalidated::NOTHING;
        for part in parts {
            match *part {
                "teacher" => i.teacher = true,
                "students" => i.students = true,
                "extraction" => i.extraction = true,
                "investigation" => i.investigation = true,
                "chat" => i.chat = true,
                "pace" => i.pace = true,
                other => panic!("no part {other}"),
            }
        }
        i
    }

    #[test]
    fn every_knob_alone_invalidates_what_it_declares() {
        let base = Config::default();
        assert_eq!(base.invalidates(&base), Invalidated::NOTHING);
        for knob in KNOBS {
            let new = moved(knob);
            for other in KNOBS.iter().filter(|k| k.key != knob.key) {
                assert_eq!(
                    (other.get)(&new),
                    (other.get)(&base),
                    "{} moves {}",
                    knob.key,
                    other.key
                );
            }
            assert_eq!(base.invalidates(&new), knob.restarts, "{}", knob.key);
            assert_eq!(new.invalidates(&base), knob.restarts, "{} back", knob.key);
            assert_eq!(
                base.same_teacher(&new),
                !knob.restarts.teacher,
                "{}",
                knob.key
            );
        }
    }

    #[test]
    fn invalidates_by_hand() {
        let base = Config::default();
        let with = |query: &str| base.invalidates(&Config::from_query(query).0);
        let run = ["teacher", "students", "extraction", "investigation"];
        assert_eq!(with("seed=7"), only(&[&run[..], &["chat"]].concat()));
        assert_eq!(with("speed=3"), only(&["pace"]));
        assert_eq!(with("budget=900"), only(&["extraction", "investigation"]));
        assert_eq!(with("delta=0.1"), only(&["extraction", "investigation"]));
        assert_eq!(with("suspect_width=40"), only(&["investigation"]));
        for api in [
            "rate=3",
            "price=9",
            "source=uniform",
            "top_k=4",
            "decimals=3",
            "perturbation=1",
            "detector=on",
            "watermark=on",
        ] {
            assert_eq!(with(api), only(&["extraction"]), "{api}");
        }
        for chat in [
            "chat_k=2",
            "chat_budget=3000",
            "chat_watermark=off",
            "chat_steps=40",
        ] {
            assert_eq!(with(chat), only(&["chat"]), "{chat}");
        }
        assert_eq!(with("temperature=2"), only(&["students"]));
        assert_eq!(with("student_samples=100"), only(&["students"]));
        assert_eq!(with("student_width=4"), only(&["students", "extraction"]));
        assert_eq!(
            with("student_depth=1"),
            only(&["students", "extraction", "investigation"])
        );
        assert_eq!(with("scenario=rings"), only(&run));
        assert_eq!(with("lr=0.1"), only(&run));
        assert_eq!(with(""), Invalidated::NOTHING);
        // Several knobs: every part any of them restarts.
        assert_eq!(
            with("speed=3&budget=900&chat_k=2"),
            only(&["pace", "extraction", "investigation", "chat"])
        );
        assert_eq!(
            with("temperature=2&suspect_width=40"),
            only(&["students", "investigation"])
        );
    }

    #[test]
    fn declarations_hold_together() {
        for knob in KNOBS {
            let r = knob.restarts;
            assert_ne!(r, Invalidated::NOTHING, "{} restarts nothing", knob.key);
            // Students, thieves and suspects all learn from the teacher.
            if r.teacher {
                assert!(
                    r.students && r.extraction && r.investigation,
                    "{}",
                    knob.key
                );
            }
            // The pace changes no result: a knob that sets it sets nothing else.
            if r.pace {
                assert_eq!(r, Invalidated::PACE, "{}", knob.key);
            }
            match knob.group {
                Group::Api => {
                    assert!(
                        !r.teacher && !r.students && !r.chat && !r.pace,
                        "{}",
                        knob.key
                    );
                }
                Group::Chat => assert_eq!(r, Invalidated::CHAT, "{}", knob.key),
                // The controls word these by their gist under each knob (www/controls.js).
                _ => assert!(
                    matches!(r.gist(), Restarts::All | Restarts::Student | Restarts::None),
                    "{}",
                    knob.key
                ),
            }
        }
    }

    #[test]
    fn chat_round_restarts_for_exactly_the_knobs_it_reads() {
        use crate::chat::study::ChatConfig;
        let base = ChatConfig::from_config(&Config::default());
        for knob in KNOBS {
            let reads = ChatConfig::from_config(&moved(knob)) != base;
            assert_eq!(knob.restarts.chat, reads, "{}", knob.key);
        }
    }
}
