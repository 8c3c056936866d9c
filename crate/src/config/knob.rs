//! What a row of the knob table is: its key and words, its section, what it restarts, the
//! values it takes, and how it reads and writes a [`Config`]. Reading and writing the values
//! as text is in `query.rs`.

use super::{Config, KNOBS};
use serde::{Deserialize, Serialize};

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
    /// The digits chapter's experiments.
    Digits,
    /// The reasoner's API and its students.
    Reasoner,
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
    /// The digits section's experiment (`digits::study`).
    pub digits: bool,
    /// The reasoner section's round (`reasoner::study`).
    pub reasoner: bool,
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
        digits: false,
        reasoner: false,
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
    /// The digits experiment alone.
    pub const DIGITS: Self = Self {
        digits: true,
        ..Self::NOTHING
    };
    /// The reasoner's round alone.
    pub const REASONER: Self = Self {
        reasoner: true,
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
            digits: self.digits || other.digits,
            reasoner: self.reasoner || other.reasoner,
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
        } else if self.digits {
            Restarts::Digits
        } else if self.reasoner {
            Restarts::Reasoner
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
    /// The digits section's experiment restarts; nothing else.
    Digits,
    /// The reasoner section's round restarts; nothing else.
    Reasoner,
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

impl Knob {
    /// Finds a knob by key.
    pub fn find(key: &str) -> Option<&'static Knob> {
        KNOBS.iter().find(|k| k.key == key)
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

    /// The value `config` should hold instead of its current one, or None when the stored
    /// value is acceptable. Values are compared as stored: an f32 field at its limit (0.3 is
    /// 0.30000001 once widened) is at its limit, not past it.
    pub(super) fn correction(&self, config: &Config) -> Option<f64> {
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
}
