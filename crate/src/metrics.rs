//! What a run measures: plain functions over logits and labels, and the [`Metrics`] record the
//! trainer returns after every `step`.

use serde::{Deserialize, Serialize};

/// Row-wise softmax of `logits` (`[rows, classes]`, row-major) divided by `temperature`.
pub fn softmax(logits: &[f32], classes: usize, temperature: f32) -> Vec<f32> {
    logits
        .chunks(classes)
        .flat_map(|row| {
            let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let e: Vec<f32> = row.iter().map(|&v| ((v - m) / temperature).exp()).collect();
            let sum: f32 = e.iter().sum();
            e.into_iter().map(move |v| v / sum)
        })
        .collect()
}

/// Index of the largest value in each row (the first one on ties).
pub fn argmax(values: &[f32], classes: usize) -> Vec<u32> {
    values
        .chunks(classes)
        .map(|row| {
            let mut best = 0;
            for (i, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = i;
                }
            }
            best as u32
        })
        .collect()
}

/// Fraction of positions where `a` and `b` hold the same class: accuracy when one is the
/// labels, top-1 agreement when both are predictions.
pub fn agreement(a: &[u32], b: &[u32]) -> f32 {
    let same = a.iter().zip(b).filter(|(a, b)| a == b).count();
    same as f32 / a.len().max(1) as f32
}

/// Mean over rows of KL(softmax(p) ‖ softmax(q)) in nats, both from logits at T = 1.
pub fn kl_divergence(p_logits: &[f32], q_logits: &[f32], classes: usize) -> f32 {
    let (p, q) = (
        softmax(p_logits, classes, 1.0),
        softmax(q_logits, classes, 1.0),
    );
    let total: f32 = p
        .iter()
        .zip(&q)
        .filter(|(p, _)| **p > 0.0)
        .map(|(p, q)| p * (p.ln() - q.max(f32::MIN_POSITIVE).ln()))
        .sum();
    total / (p.len() / classes).max(1) as f32
}

/// Reads one measurement out of a [`Metrics`]: a column of a table, a curve of a chart.
pub type Pick = fn(&Metrics) -> Option<f32>;

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Phase 1: the teacher learns from labels.
    Teacher,
    /// Phase 2: the distilled and the hard-label student learn side by side.
    Student,
    /// Both budgets are spent.
    Done,
    /// A loss became NaN or infinite; training stopped.
    Diverged,
}

/// Everything measured after a `step`. Fractions are in `[0, 1]`; losses and KL in nats.
/// Student fields are `None` until phase 2 starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Where the run is.
    pub phase: Phase,
    /// Teacher steps taken.
    pub teacher_step: usize,
    /// Student steps taken.
    pub student_step: usize,
    /// The teacher's step budget.
    pub teacher_steps: usize,
    /// The students' step budget.
    pub student_steps: usize,
    /// The teacher's last mini-batch cross-entropy.
    pub teacher_loss: Option<f32>,
    /// The distilled student's last mini-batch loss (soft and hard terms blended).
    pub distilled_loss: Option<f32>,
    /// The hard-label student's last mini-batch cross-entropy.
    pub hard_loss: Option<f32>,
    /// Teacher accuracy on the test set.
    pub teacher_acc: Option<f32>,
    /// Distilled student accuracy on the test set.
    pub distilled_acc: Option<f32>,
    /// Hard-label student accuracy on the test set.
    pub hard_acc: Option<f32>,
    /// Top-1 agreement of the distilled student with the teacher over the grid.
    pub agreement_distilled: Option<f32>,
    /// Top-1 agreement of the hard-label student with the teacher over the grid.
    pub agreement_hard: Option<f32>,
    /// Top-1 agreement of the distilled student with the teacher on the test set.
    pub test_agreement_distilled: Option<f32>,
    /// Top-1 agreement of the hard-label student with the teacher on the test set.
    pub test_agreement_hard: Option<f32>,
    /// KL(teacher ‖ distilled student) at T = 1, mean over the test set.
    pub kl_distilled: Option<f32>,
    /// KL(teacher ‖ hard-label student) at T = 1, mean over the test set.
    pub kl_hard: Option<f32>,
    /// Parameters of the teacher.
    pub teacher_params: usize,
    /// Parameters of each student.
    pub student_params: usize,
    /// Why training stopped, when it diverged.
    pub message: Option<String>,
}

impl Metrics {
    /// Student parameters as a fraction of the teacher's.
    pub fn param_fraction(&self) -> f32 {
        self.student_params as f32 / self.teacher_params.max(1) as f32
    }

    /// The parameter fraction in words, e.g. "student: 371 parameters = 4.3 % of the teacher".
    pub fn describe_params(&self) -> String {
        format!(
            "student: {} parameters = {:.1} % of the teacher ({} parameters)",
            self.student_params,
            100.0 * self.param_fraction(),
            self.teacher_params
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_argmax_agreement_by_hand() {
        let p = softmax(&[0.0, (2.0f32).ln(), 5.0, 5.0], 2, 1.0);
        assert!((p[0] - 1.0 / 3.0).abs() < 1e-6 && (p[1] - 2.0 / 3.0).abs() < 1e-6);
        assert!((p[2] - 0.5).abs() < 1e-6);
        // At T = 2 the same logits give softmax(0, ln2 / 2) = (1/(1+√2), √2/(1+√2)).
        let p = softmax(&[0.0, (2.0f32).ln()], 2, 2.0);
        assert!((p[0] - 1.0 / (1.0 + 2f32.sqrt())).abs() < 1e-6);
        assert_eq!(argmax(&[0.1, 0.7, 0.2, 0.5, 0.5, 0.0], 3), vec![1, 0]);
        assert_eq!(agreement(&[0, 1, 2, 2], &[0, 1, 1, 2]), 0.75);
    }

    #[test]
    fn kl_is_zero_for_equal_and_matches_a_hand_value() {
        assert!(kl_divergence(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], 3).abs() < 1e-6);
        // p = (1/3, 2/3), q = (1/2, 1/2): KL = 1/3 ln(2/3) + 2/3 ln(4/3) = 0.0566330.
        let kl = kl_divergence(&[0.0, (2.0f32).ln()], &[0.0, 0.0], 2);
        assert!((kl - 0.056_633).abs() < 1e-5, "{kl}");
    }
}
