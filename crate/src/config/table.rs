//! The table of every knob, one row per [`Config`] field, in the order the page shows them.
//!
//! Each row is written by `knobs!` from its field, label, group, what it restarts, kind and
//! help; the key is the field's name, and reading and writing the field go through its type's
//! [`Value`], so no row carries conversion code of its own. A choice's names come from its enum
//! (`ALL` and `name()`), so they cannot drift from the enum's order.

use super::{Config, Group, Invalidated, Kind, Knob};
use crate::api::Source;
use crate::chat::watermark::Test;
use crate::model::Activation;
use crate::playground::dataset::Scenario;
use crate::reasoner::defence::Defence;

/// A type a [`Config`] field holds, as the table sees it: a number, or a choice by index.
trait Value: Copy {
    /// The names of its values, in index order, for a choice; empty for a number.
    const NAMES: &'static [&'static str] = &[];
    /// The value as the table's number (a choice as its index).
    fn to_knob(self) -> f64;
    /// The value back from an already clamped number.
    fn from_knob(v: f64) -> Self;
}

impl Value for usize {
    fn to_knob(self) -> f64 {
        self as f64
    }
    fn from_knob(v: f64) -> Self {
        v as usize
    }
}

impl Value for u64 {
    fn to_knob(self) -> f64 {
        self as f64
    }
    fn from_knob(v: f64) -> Self {
        v as u64
    }
}

impl Value for u32 {
    fn to_knob(self) -> f64 {
        f64::from(self)
    }
    fn from_knob(v: f64) -> Self {
        v as u32
    }
}

impl Value for f32 {
    fn to_knob(self) -> f64 {
        f64::from(self)
    }
    fn from_knob(v: f64) -> Self {
        v as f32
    }
}

/// A switch: a choice of off and on.
impl Value for bool {
    const NAMES: &'static [&'static str] = &["off", "on"];
    fn to_knob(self) -> f64 {
        f64::from(u8::from(self))
    }
    fn from_knob(v: f64) -> Self {
        v >= 0.5
    }
}

/// Makes each enum a choice: its values are `ALL` in order, named by its `const fn name`.
macro_rules! choices {
    ($($choice:ident),*) => {$(
        impl Value for $choice {
            const NAMES: &'static [&'static str] = &{
                let mut names = [""; $choice::ALL.len()];
                let mut i = 0;
                while i < names.len() {
                    names[i] = $choice::ALL[i].name();
                    i += 1;
                }
                names
            };
            fn to_knob(self) -> f64 {
                $choice::ALL.iter().position(|&c| c == self).unwrap_or(0) as f64
            }
            fn from_knob(v: f64) -> Self {
                $choice::ALL[v as usize]
            }
        }
    )*};
}

choices!(Scenario, Activation, Source, Test, Defence);

/// A choice among the names of the field's type; a number field does not compile.
const fn choice<T: Value>(_field: fn(&Config) -> T) -> Kind {
    assert!(
        !T::NAMES.is_empty(),
        "a choice knob needs a field with names"
    );
    Kind::Choice(T::NAMES)
}

/// A number from `min` to `max` on a linear slider of `step` (`step` < 1: continuous).
const fn number<T: Value>(_field: fn(&Config) -> T, min: f64, max: f64, step: f64) -> Kind {
    assert!(T::NAMES.is_empty(), "a number knob needs a numeric field");
    Kind::Number {
        min,
        max,
        step,
        log: false,
    }
}

/// A number from `min` to `max` on a continuous logarithmic slider.
const fn log<T: Value>(_field: fn(&Config) -> T, min: f64, max: f64) -> Kind {
    assert!(T::NAMES.is_empty(), "a number knob needs a numeric field");
    Kind::Number {
        min,
        max,
        step: 0.0,
        log: true,
    }
}

/// The rows: `field: "Label", Group, RESTARTS (+ MORE…), kind(arguments), "Help.";` with
/// kind one of `choice()`, `number(min, max, step)` or `log(min, max)`.
macro_rules! knobs {
    ($(
        $field:ident: $label:literal, $group:ident, $restarts:ident $(+ $more:ident)*,
            $kind:ident($($arg:literal),*), $help:literal;
    )*) => {
        &[$(
            Knob {
                key: stringify!($field),
                label: $label,
                help: $help,
                group: Group::$group,
                restarts: Invalidated::$restarts $(.and(Invalidated::$more))*,
                kind: $kind(|c: &Config| c.$field $(, $arg)*),
                get: |c| Value::to_knob(c.$field),
                set: |c, v| c.$field = Value::from_knob(v),
            },
        )*]
    };
}

/// The table of every knob, in the order the page shows them.
pub const KNOBS: &[Knob] = knobs! {
    // Data.
    scenario: "Dataset", Data, TEACHER, choice(),
        "The shape of the data the teacher learns.";
    classes: "Classes", Data, TEACHER, number(3.0, 6.0, 1.0),
        "How many classes (arms, blobs, rings or blades).";
    noise: "Noise", Data, TEACHER, number(0.0, 0.3, 0.01),
        "How far points stray from their class's shape; more noise, more overlap.";
    samples: "Training points", Data, TEACHER, number(60.0, 4000.0, 20.0),
        "Labelled points the teacher trains on.";
    student_samples: "Student's points", Data, STUDENTS, number(10.0, 4000.0, 10.0),
        "How many of those points the students may learn from: few points is where soft targets help most.";
    // Models.
    teacher_width: "Teacher width", Models, TEACHER, number(8.0, 128.0, 4.0),
        "Neurons in each hidden layer of the teacher.";
    teacher_depth: "Teacher layers", Models, TEACHER, number(1.0, 4.0, 1.0),
        "Hidden layers of the teacher.";
    student_width: "Student width", Models, STUDENTS + EXTRACTION, number(2.0, 64.0, 1.0),
        "Neurons in each hidden layer of both students.";
    student_depth: "Student layers", Models, STUDENTS + EXTRACTION + INVESTIGATION,
            number(1.0, 3.0, 1.0),
        "Hidden layers of both students.";
    activation: "Activation", Models, TEACHER, choice(),
        "The non-linearity between layers, for teacher and students.";
    // Distillation.
    temperature: "Temperature T", Distillation, STUDENTS, number(1.0, 20.0, 0.5),
        "Softens the teacher's probabilities so that its second and third guesses show.";
    soft_weight: "Soft-target weight", Distillation, STUDENTS, number(0.0, 1.0, 0.05),
        "How much the distilled student listens to the teacher (1) rather than to the labels (0).";
    // Training.
    lr: "Learning rate", Training, TEACHER, log(1e-4, 10.0),
        "Adam's step size, for teacher and students.";
    batch: "Batch size", Training, TEACHER, number(8.0, 256.0, 8.0),
        "Points per optimisation step.";
    teacher_steps: "Teacher steps", Training, TEACHER, number(100.0, 10000.0, 100.0),
        "How long the teacher trains before the students start.";
    student_steps: "Student steps", Training, STUDENTS + EXTRACTION + INVESTIGATION,
            number(100.0, 20000.0, 100.0),
        "How long the students train.";
    seed: "Seed", Training, TEACHER + CHAT + REASONER, number(0.0, 999_999.0, 1.0),
        "Fixes the data, the initial weights and the batch order: same seed, same run.";
    speed: "Speed", Training, PACE, number(1.0, 200.0, 1.0),
        "Optimisation steps per animation frame; does not change the result.";
    // The API.
    budget: "Query budget", Api, EXTRACTION + INVESTIGATION, number(100.0, 20000.0, 100.0),
        "How many questions the client may ask the API in all.";
    rate: "Rate limit (queries/s)", Api, EXTRACTION, log(0.1, 1000.0),
        "Queries per second the API serves; the client waits for the rest.";
    price: "Price per 1,000 queries ($)", Api, EXTRACTION, number(0.0, 100.0, 0.1),
        "What the API charges; the page adds up the bill.";
    source: "Queries", Api, EXTRACTION, choice(),
        "Natural: unlabelled data like the owner's; uniform: random points; synthetic: jittered copies of earlier queries.";
    top_k: "Top-k shown", Api, EXTRACTION, number(1.0, 5.0, 1.0),
        "How many probabilities the top-k answer reveals.";
    decimals: "Rounding (decimals)", Api, EXTRACTION, number(0.0, 4.0, 1.0),
        "Decimal places the rounded answer keeps.";
    perturbation: "Perturbation", Api, EXTRACTION, number(0.0, 2.0, 0.05),
        "Noise the perturbing defence adds to every probability (the top label never changes).";
    detector: "Extraction detector", Api, EXTRACTION, choice(),
        "The owner watches the spacing of each client's queries and bans the odd ones.";
    accounts: "Client's accounts", Api, EXTRACTION, number(1.0, 1000.0, 1.0),
        "Accounts the client splits its budget over: each gets a share and its own rate limit.";
    cross_detector: "Cross-account detector", Api, EXTRACTION, choice(),
        "The owner pools the queries of all accounts opened in the same hour and bans the hour's accounts if the pool looks odd.";
    honest_accounts: "Honest users", Api, EXTRACTION, number(0.0, 2000.0, 100.0),
        "Honest accounts opened over a day, each sending a few natural queries: the cross-account detector may ban them too.";
    watermark: "Watermark", Api, EXTRACTION, choice(),
        "The owner hides a keyed signal in its soft answers; it never changes the top label.";
    delta: "Watermark strength δ", Api, EXTRACTION + INVESTIGATION, number(0.05, 0.5, 0.05),
        "Probability added to each cell's secret green class.";
    suspect_width: "Suspects' width", Api, INVESTIGATION, number(2.0, 64.0, 1.0),
        "Neurons in each hidden layer of the copies the owner investigates: a bigger copy has room to pick up the watermark.";
    // The chat API.
    chat_budget: "Tokens bought", Chat, CHAT, number(1000.0, 100_000.0, 1000.0),
        "Characters (end markers included) each thief buys from the chat API.";
    chat_k: "Top-k shown", Chat, CHAT, number(1.0, 20.0, 1.0),
        "Log-probabilities per position the top-k answers show (chat APIs: at most 20).";
    chat_price: "Price per 1,000 tokens ($)", Chat, CHAT, number(0.0, 100.0, 0.1),
        "What the chat API charges; the page adds up the bill.";
    chat_rate: "Rate limit (tokens/s)", Chat, CHAT, log(1.0, 10_000.0),
        "Tokens per second the chat API serves; the thief waits for the rest.";
    chat_watermark: "Text watermark", Chat, CHAT, choice(),
        "The API biases its sampling towards characters green under a secret key.";
    chat_delta: "Watermark strength δ", Chat, CHAT, number(0.5, 8.0, 0.5),
        "Added to every green character's logit before the API samples.";
    chat_test: "Owner's test", Chat, CHAT, choice(),
        "How the owner scores a suspect's names: every letter they hold (a repeated pair counts each time, and widens the variance as often), or each distinct (previous letter, letter) pair once.";
    chat_student: "Students' GRU units", Chat, CHAT, number(4.0, 64.0, 4.0),
        "Units of every thief's student (the teacher has 128).";
    chat_steps: "Training steps", Chat, CHAT, number(20.0, 10_000.0, 20.0),
        "Adam steps each student takes, buying tokens evenly along the way.";
    // The digits.
    digits_temperature: "Soft target T", Digits, DIGITS, number(1.0, 20.0, 1.0),
        "The temperature the distilled students learn at, and the drawing's soft answer is shown at (the paper's 20).";
    digits_student: "Students' hidden units", Digits, DIGITS, number(8.0, 256.0, 8.0),
        "Neurons in the students' one hidden layer (the teacher has two of 256).";
    digits_soft_weight: "Soft-target weight", Digits, DIGITS, number(0.0, 1.0, 0.05),
        "How much the distilled students listen to the teacher (1) rather than to the labels (0).";
    digits_student_steps: "Student steps", Digits, DIGITS, number(100.0, 10_000.0, 100.0),
        "How long each student trains.";
    // The reasoner.
    reasoner_problems: "Problems bought", Reasoner, REASONER, number(100.0, 4000.0, 100.0),
        "Problems the reasoning thieves buy; the fourth buys as many answers as the same tokens pay for.";
    reasoner_price: "Price per 1,000 tokens ($)", Reasoner, REASONER, number(0.0, 100.0, 0.1),
        "What the reasoner's API charges, hidden reasoning tokens included; the page adds up the bill.";
    reasoner_student: "Students' width", Reasoner, REASONER, number(8.0, 128.0, 8.0),
        "Width of every thief's student, a one-layer transformer (the teacher is a GRU of 128 units).";
    reasoner_steps: "Training steps", Reasoner, REASONER, number(100.0, 6000.0, 100.0),
        "Adam steps each student takes, buying problems evenly along the way.";
    reasoner_defence: "Owner's defence", Reasoner, REASONER, choice(),
        "What the API does to every answer it serves, honest users' too: nothing; the working's columns shown in reverse order; antidistillation sampling, steering away from what would teach the owner's proxy student; or its control, steering along a random direction.";
    reasoner_tau: "Sampling temperature τ", Reasoner, REASONER, number(0.25, 3.0, 0.25),
        "What the teacher's logits are divided by before the API samples: above 1, hotter answers, more of them wrong.";
    reasoner_lambda: "Steering strength λ", Reasoner, REASONER, number(0.0, 8.0, 0.25),
        "How far antidistillation sampling (or its control) moves each logit, in units of its steer's spread over the candidates.";
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};

    /// Every value of a choice type: its name is its index's, and it survives the table's
    /// number both ways.
    fn round_trips<T: Value + PartialEq + std::fmt::Debug>(all: &[T]) {
        assert_eq!(T::NAMES.len(), all.len());
        for (i, &value) in all.iter().enumerate() {
            assert_eq!(value.to_knob(), i as f64, "{value:?}");
            assert_eq!(T::from_knob(i as f64), value, "{value:?}");
        }
    }

    /// An enum's names are also its serde names, which the page's Config carries.
    fn names_are_serde_names<T>(all: &[T])
    where
        T: Value + PartialEq + std::fmt::Debug + for<'de> Deserialize<'de>,
    {
        round_trips(all);
        for (&value, &name) in all.iter().zip(T::NAMES) {
            let text: StrDeserializer<Error> = name.into_deserializer();
            assert_eq!(T::deserialize(text), Ok(value), "{name}");
        }
    }

    #[test]
    fn every_choice_round_trips_through_its_name() {
        names_are_serde_names(&Scenario::ALL);
        names_are_serde_names(&Activation::ALL);
        names_are_serde_names(&Source::ALL);
        names_are_serde_names(&Test::ALL);
        names_are_serde_names(&Defence::ALL);
        round_trips(&[false, true]);
        let choices = KNOBS
            .iter()
            .filter_map(|k| match k.kind {
                Kind::Choice(names) => Some((k, names)),
                Kind::Number { .. } => None,
            })
            .collect::<Vec<_>>();
        assert_eq!(choices.len(), 9);
        for (knob, names) in choices {
            for (i, name) in names.iter().enumerate() {
                assert_eq!(knob.parse(name), (Some(i as f64), None), "{}", knob.key);
                let (config, notices) = Config::from_query(&format!("{}={name}", knob.key));
                assert!(notices.is_empty(), "{}={name}: {notices:?}", knob.key);
                assert_eq!((knob.get)(&config), i as f64, "{}={name}", knob.key);
                assert_eq!(knob.format(i as f64), *name, "{}", knob.key);
            }
        }
    }

    #[test]
    fn keys_are_unique_and_name_every_field_once() {
        let mut keys: Vec<_> = KNOBS.iter().map(|k| k.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), KNOBS.len());
        // Config has 52 fields; each has its knob.
        assert_eq!(KNOBS.len(), 52);
    }
}
