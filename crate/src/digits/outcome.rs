//! What a study reports: each model's errors on the test digits ([`Outcome`], one [`Row`]
//! each), and what the teacher and the student say about one digit ([`Answer`]).

use crate::digits::data::CLASSES;
use crate::digits::experiment::Experiment;
use crate::metrics::{self, Phase};
use crate::words::thousands;
use serde::{Deserialize, Serialize};

/// One line of a result: a model and the errors it makes on the test digits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// What the model is ("labels", "distilled, T = 20", "+ bias 3.5, the paper's": a bias
    /// correction of the student above it, …).
    pub label: String,
    /// Its distillation temperature; `None` for the teacher and the students on labels.
    pub temperature: Option<f32>,
    /// What was added to its logit for the omitted class (its output bias) before measuring.
    pub bias: f32,
    /// Test digits it gets wrong.
    pub errors: usize,
    /// Test accuracy, in `[0, 1]`.
    pub accuracy: f32,
    /// Top-1 agreement with the teacher on the test digits, in `[0, 1]`.
    pub agreement: f32,
    /// Of its errors, those on test digits of the omitted class (missing-class only).
    pub omitted_errors: Option<usize>,
}

/// Where a study is and what it has measured so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Which experiment.
    pub experiment: Experiment,
    /// Teacher, students, done (or diverged).
    pub phase: Phase,
    /// Teacher steps taken (its budget when the teacher came trained).
    pub teacher_step: usize,
    /// The teacher's step budget.
    pub teacher_steps: usize,
    /// Student steps taken.
    pub student_step: usize,
    /// The students' step budget.
    pub student_steps: usize,
    /// Digits in the training set (the teacher's).
    pub train: usize,
    /// Digits in the test set.
    pub test: usize,
    /// Test digits of the omitted class (missing-class only).
    pub omitted_test: Option<usize>,
    /// The class left out of the transfer set (missing-class only).
    pub omitted: Option<u32>,
    /// Transfer-set size: the digits the students learn from.
    pub transfer: usize,
    /// The teacher on the test digits.
    pub teacher: Row,
    /// Each student (and, for the missing class, each bias correction) on the test digits;
    /// empty before the students start.
    pub rows: Vec<Row>,
    /// Parameters of the teacher.
    pub teacher_params: usize,
    /// Parameters of each student.
    pub student_params: usize,
    /// Why it stopped, if it diverged.
    pub message: Option<String>,
}

impl Outcome {
    /// The parameter fraction in words: "student: 9,610 parameters = 11.3 % of the teacher's
    /// 85,002".
    pub fn describe_params(&self) -> String {
        format!(
            "student: {} parameters = {:.1} % of the teacher's {}",
            thousands(self.student_params),
            100.0 * self.student_params as f32 / self.teacher_params.max(1) as f32,
            thousands(self.teacher_params)
        )
    }
}

/// What the teacher and the chosen student say about one digit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The temperature of `teacher_t`.
    pub temperature: f32,
    /// Teacher probabilities at T = 1.
    pub teacher_t1: Vec<f32>,
    /// Teacher probabilities at the run's T: the soft target.
    pub teacher_t: Vec<f32>,
    /// The distilled student's probabilities at T = 1 (bias-corrected for the missing class);
    /// empty before the students start.
    pub student: Vec<f32>,
}

impl Answer {
    /// In words: "teacher says 7 (98 %); student says 7 (95 %)".
    pub fn describe(&self) -> String {
        let say = |who: &str, p: &[f32]| match metrics::argmax(p, CLASSES).first() {
            Some(&best) => format!("{who} says {best} ({:.0} %)", 100.0 * p[best as usize]),
            None => format!("{who}: not trained yet"),
        };
        format!(
            "{}; {}",
            say("teacher", &self.teacher_t1),
            say("student", &self.student)
        )
    }
}
