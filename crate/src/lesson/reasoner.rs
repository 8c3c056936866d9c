//! Chapter 6's lesson on one seed: the four students of the reasoner's API side by side, on
//! the shipped teacher.

use crate::charlm::model::CharLm;
use crate::config::Config;
use crate::reasoner::study::{self, Access, Outcome, ReasonerConfig};
use burn::tensor::Device;

/// How much more of the held-out problems the student that saw the working must answer than
/// the answer-only student for the lesson to show: ten percentage points.
pub const GAP: f64 = 0.10;

/// A round of `config` to the end on `teacher` (trained on split `split`).
pub fn round(config: &Config, teacher: &CharLm, split: u64) -> Outcome {
    let round = study::run(
        ReasonerConfig::from_config(config),
        teacher,
        split,
        &Device::flex(),
    );
    round.outcome()
}

/// A student's final held-out accuracy.
pub fn accuracy(outcome: &Outcome, access: Access) -> f64 {
    let student = outcome.students.iter().find(|s| s.access == access);
    student
        .and_then(|s| s.points.last())
        .map_or(0.0, |p| p.accuracy)
}

/// Whether the lesson shows: the student shown the working answers at least [`GAP`] more of
/// the held-out problems than the one shown answers alone, for the same problems bought.
pub fn shows(outcome: &Outcome) -> bool {
    accuracy(outcome, Access::Working) >= accuracy(outcome, Access::Hidden) + GAP
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::REASONER;
    use crate::reasoner::study::tests::teacher;
    use crate::reasoner::teacher::SPLIT;

    #[test]
    fn the_working_teaches_the_student_to_add_and_a_hundred_problems_do_not() {
        let teacher = teacher();
        let lesson = round(&REASONER.config(), &teacher, SPLIT);
        assert!(
            shows(&lesson),
            "working {} vs answer only {}",
            accuracy(&lesson, Access::Working),
            accuracy(&lesson, Access::Hidden)
        );
        let counter = round(&REASONER.counter_config(), &teacher, SPLIT);
        assert!(!shows(&counter));
    }
}
