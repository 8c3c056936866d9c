//! The one Config behind every knob, and the declarative table that maps it onto the page's
//! controls, the URL hash and the command line.
//!
//! ```text
//! mod.rs    Config: every setting, the command line's default, validation, what a change restarts
//! knob.rs   what a row of the table is: Knob, Kind, Group, Invalidated, Restarts
//! table.rs  KNOBS, one row per field, written by `knobs!`; the choices' names from their enums
//! query.rs  values as text: the URL hash and `--key value` parsed over a base, written back
//! ```
//!
//! Two settings are called "the default", for two readers. [`Config::default`] is the command
//! line's and the tests' (three clean spiral arms); [`crate::lesson::opening`] is the page's (the
//! playground's lesson). A query is always read and written over one of them: the plain
//! [`Config::from_query`] and [`Config::to_query`] over the first, `*_over` over any other.

mod knob;
mod query;
mod table;

pub use knob::{Group, Invalidated, Kind, Knob, Restarts};
pub use query::SHOWN_CHARS;
pub use table::KNOBS;

use crate::api::Source;
use crate::chat::watermark::Test;
use crate::model::Activation;
use crate::playground::dataset::Scenario;
use crate::reasoner::defence::Defence;
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
    /// API mode: whether the owner runs the extraction detector on each account (bans that
    /// account on a flag).
    pub detector: bool,
    /// API mode: accounts the client splits its budget over (each a share, each under the
    /// rate limit; they query side by side).
    pub accounts: usize,
    /// API mode: whether the owner also runs the detector on the pooled queries of the
    /// accounts opened in the same hour (bans the hour's accounts on a flag).
    pub cross_detector: bool,
    /// API mode: honest users simulated beside the client, each with its own account.
    pub honest_accounts: usize,
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
    /// Chat: how the owner scores a suspect's names for the watermark.
    pub chat_test: Test,
    /// Chat: GRU units of each thief's student.
    pub chat_student: usize,
    /// Chat: Adam steps each student takes.
    pub chat_steps: usize,
    /// Digits: the distillation temperature of the experiments and of the drawing's soft
    /// answer (the paper's T = 20; the temperature sweep keeps its own list).
    pub digits_temperature: f32,
    /// Digits: hidden units of the students' one hidden layer.
    pub digits_student: usize,
    /// Digits: weight of the soft term in the distilled students' loss.
    pub digits_soft_weight: f32,
    /// Digits: optimisation steps of each student.
    pub digits_student_steps: usize,
    /// Reasoner: problems the reasoning thieves buy.
    pub reasoner_problems: usize,
    /// Reasoner: price per 1,000 tokens, hidden reasoning tokens included.
    pub reasoner_price: f32,
    /// Reasoner: width of every student (a one-layer transformer).
    pub reasoner_student: usize,
    /// Reasoner: Adam steps per student.
    pub reasoner_steps: usize,
    /// Reasoner: what the API does to its answers besides its temperature.
    pub reasoner_defence: Defence,
    /// Reasoner: the temperature the API samples its answers at.
    pub reasoner_tau: f32,
    /// Reasoner: antidistillation sampling's strength λ (and its control's).
    pub reasoner_lambda: f32,
}

/// The command line's and the tests' default: three clean spiral arms whose 1,200 points the
/// students all see, the API unguarded, the chat API watermarked.
///
/// It is not what the page opens on. The page opens on [`crate::lesson::opening`], the
/// playground's lesson (five overlapping blobs of whose points the students see 30), because
/// that is where distillation shows; this spiral is that lesson's counter-case, where the two
/// students tie. Which one a query is read over decides what a missing key means:
///
/// - `distill report --KNOB VALUE…` (its `--help` says so), [`Config::from_query`],
///   [`Config::to_query`], every lesson's query ([`crate::lesson::Lesson::config`]) and the
///   tests start from this one;
/// - the page's URL hash is read and written over the opening
///   ([`Config::from_query_over`], [`Config::to_query_over`]), so an empty hash opens there.
///
/// The digits chapter's knobs (`digits_*`) default to the paper's settings, those of
/// [`crate::digits::experiment::StudyConfig::default`].
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
            accounts: 1,
            cross_detector: false,
            honest_accounts: 1000,
            watermark: false,
            delta: 0.3,
            suspect_width: 16,
            chat_budget: 20_000,
            chat_k: 5,
            chat_price: 0.5,
            chat_rate: 200.0,
            chat_watermark: true,
            chat_delta: 1.0,
            chat_test: Test::Letters,
            chat_student: 32,
            chat_steps: 1_500,
            digits_temperature: 20.0,
            digits_student: 128,
            digits_soft_weight: 0.9,
            digits_student_steps: 3000,
            reasoner_problems: 1_000,
            reasoner_price: 2.0,
            reasoner_student: 32,
            reasoner_steps: 600,
            reasoner_defence: Defence::None,
            reasoner_tau: 1.0,
            reasoner_lambda: 2.0,
        }
    }
}

impl Config {
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
                "digits" => i.digits = true,
                "reasoner" => i.reasoner = true,
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
        assert_eq!(
            with("seed=7"),
            only(&[&run[..], &["chat", "reasoner"]].concat())
        );
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
        for digits in [
            "digits_temperature=4",
            "digits_student=32",
            "digits_soft_weight=0.5",
            "digits_student_steps=200",
        ] {
            assert_eq!(with(digits), only(&["digits"]), "{digits}");
        }
        for reasoner in [
            "reasoner_problems=300",
            "reasoner_price=1",
            "reasoner_student=48",
            "reasoner_steps=200",
        ] {
            assert_eq!(with(reasoner), only(&["reasoner"]), "{reasoner}");
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
                        !r.teacher && !r.students && !r.chat && !r.digits && !r.pace,
                        "{}",
                        knob.key
                    );
                }
                Group::Chat => assert_eq!(r, Invalidated::CHAT, "{}", knob.key),
                Group::Digits => assert_eq!(r, Invalidated::DIGITS, "{}", knob.key),
                Group::Reasoner => assert_eq!(r, Invalidated::REASONER, "{}", knob.key),
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

    #[test]
    fn reasoner_round_restarts_for_exactly_the_knobs_it_reads() {
        use crate::reasoner::study::ReasonerConfig;
        let base = ReasonerConfig::from_config(&Config::default());
        for knob in KNOBS {
            let reads = ReasonerConfig::from_config(&moved(knob)) != base;
            assert_eq!(knob.restarts.reasoner, reads, "{}", knob.key);
        }
    }

    #[test]
    fn digits_study_restarts_for_exactly_the_knobs_it_reads() {
        use crate::digits::experiment::StudyConfig;
        let base = StudyConfig::from_config(&Config::default());
        assert_eq!(
            base,
            StudyConfig::default(),
            "the knobs' defaults are the paper's"
        );
        for knob in KNOBS {
            let reads = StudyConfig::from_config(&moved(knob)) != base;
            assert_eq!(knob.restarts.digits, reads, "{}", knob.key);
        }
    }
}
