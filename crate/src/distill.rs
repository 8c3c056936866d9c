//! The distillation loss (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural
//! Network", section 2).

use burn::tensor::Tensor;
use burn::tensor::activation::{log_softmax, softmax};

/// The loss of one batch and its two terms, each averaged over the batch.
#[derive(Debug, Clone)]
pub struct DistillLoss {
    /// `soft_weight · soft + (1 − soft_weight) · hard`: what is minimised.
    pub total: Tensor<1>,
    /// The T²-scaled soft-target term.
    pub soft: Tensor<1>,
    /// Cross-entropy with the true labels, at T = 1.
    pub hard: Tensor<1>,
}

/// Loss of a student's logits `s` against a teacher's logits `t` and one-hot `labels`, all
/// `[batch, classes]`:
///
/// ```text
/// soft = T² · KL(softmax(t/T) ‖ softmax(s/T)) = T² · Σ_c p_c (log p_c − log q_c)
/// hard = −Σ_c y_c log softmax(s)_c
/// total = soft_weight · soft + (1 − soft_weight) · hard
/// ```
///
/// Dividing by T flattens both distributions, so the teacher's small probabilities ("this 2
/// looks a little like a 3") weigh in the loss. The T² keeps the soft term's gradient on the
/// same scale whatever T is: ∂soft/∂s = T · (softmax(s/T) − softmax(t/T)), whose size falls like
/// 1/T² without it. `soft_weight` weighs the SOFT term (Hinton's convention); at 0 this is plain
/// cross-entropy, which is how the hard-label baseline student is trained.
pub fn loss(
    s: Tensor<2>,
    t: Tensor<2>,
    labels: Tensor<2>,
    temperature: f32,
    soft_weight: f32,
) -> DistillLoss {
    let p = softmax(t.clone().div_scalar(temperature), 1); // teacher, softened: [batch, classes]
    let log_p = log_softmax(t.div_scalar(temperature), 1);
    let log_q = log_softmax(s.clone().div_scalar(temperature), 1); // student, softened
    let kl = (p * (log_p - log_q)).sum_dim(1).mean(); // KL per example, batch mean
    let soft = kl.mul_scalar(temperature * temperature);
    let hard = cross_entropy(s, labels);
    let total = soft.clone().mul_scalar(soft_weight) + hard.clone().mul_scalar(1.0 - soft_weight);
    DistillLoss { total, soft, hard }
}

/// Cross-entropy of logits `s` with one-hot `labels` (`[batch, classes]`), batch mean: the
/// hard term above, and the teacher's own loss.
pub fn cross_entropy(s: Tensor<2>, labels: Tensor<2>) -> Tensor<1> {
    (labels * log_softmax(s, 1)).sum_dim(1).mean().neg()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    fn tensor(rows: &[[f32; 3]], device: &Device) -> Tensor<2> {
        let flat: Vec<f32> = rows.iter().flatten().copied().collect();
        Tensor::from_data(TensorData::new(flat, [rows.len(), 3]), device)
    }

    fn scalar(t: Tensor<1>) -> f64 {
        f64::from(t.into_scalar::<f32>())
    }

    /// softmax(z/T) in f64, the reference.
    fn softmax_ref(z: &[f32], temperature: f64) -> Vec<f64> {
        let m = z.iter().map(|&v| f64::from(v)).fold(f64::MIN, f64::max);
        let e: Vec<f64> = z
            .iter()
            .map(|&v| ((f64::from(v) - m) / temperature).exp())
            .collect();
        let sum: f64 = e.iter().sum();
        e.iter().map(|v| v / sum).collect()
    }

    fn kl_ref(t: &[f32], s: &[f32], temperature: f64) -> f64 {
        let (p, q) = (softmax_ref(t, temperature), softmax_ref(s, temperature));
        p.iter().zip(&q).map(|(p, q)| p * (p / q).ln()).sum()
    }

    #[test]
    fn matches_hand_computed_numbers() {
        let device = Device::flex();
        // s = (1, 2, 3), t = (3, 1, 0.2), label 0.
        // T = 1: q = softmax(s) = (0.090031, 0.244728, 0.665241),
        //        p = softmax(t) = (0.836019, 0.113143, 0.050838);
        //        KL(p‖q) = Σ p ln(p/q) = 1.645049; CE = −ln 0.090031 = 2.407606.
        // T = 2: q = softmax(s/2) = (0.186324, 0.307196, 0.506480),
        //        p = softmax(t/2) = (0.619396, 0.227863, 0.152741);
        //        KL = 0.492886, times T² = 1.971543.
        let s = tensor(&[[1.0, 2.0, 3.0]], &device);
        let t = tensor(&[[3.0, 1.0, 0.2]], &device);
        let y = tensor(&[[1.0, 0.0, 0.0]], &device);
        for (temperature, soft_expected) in [(1.0, 1.645049), (2.0, 1.971543)] {
            let l = loss(s.clone(), t.clone(), y.clone(), temperature, 0.25);
            let (soft, hard, total) = (scalar(l.soft), scalar(l.hard), scalar(l.total));
            assert!(
                (soft - soft_expected).abs() < 1e-4,
                "T={temperature}: {soft}"
            );
            assert!((hard - 2.407606).abs() < 1e-4, "{hard}");
            assert!((total - (0.25 * soft + 0.75 * hard)).abs() < 1e-5);
        }
    }

    #[test]
    fn batch_mean_matches_reference_for_two_rows_and_temperatures() {
        let device = Device::flex();
        let s_rows = [[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]];
        let t_rows = [[-2.0, 4.0, 1.0], [1.0, 2.0, -1.0]];
        let s = tensor(&s_rows, &device);
        let t = tensor(&t_rows, &device);
        let y = tensor(&[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], &device);
        for temperature in [1.0, 5.0] {
            let expected = (0..2)
                .map(|i| kl_ref(&t_rows[i], &s_rows[i], temperature))
                .sum::<f64>()
                / 2.0
                * temperature
                * temperature;
            let l = loss(s.clone(), t.clone(), y.clone(), temperature as f32, 1.0);
            let got = scalar(l.total);
            assert!(
                (got - expected).abs() < 1e-4 * expected.max(1.0),
                "{got} vs {expected}"
            );
        }
    }

    #[test]
    fn weight_one_at_t1_is_kl_and_weight_zero_is_cross_entropy() {
        let device = Device::flex();
        let (s_row, t_row) = ([0.3, 1.7, -0.4], [2.0, -1.0, 0.5]);
        let s = tensor(&[s_row], &device);
        let t = tensor(&[t_row], &device);
        let y = tensor(&[[0.0, 0.0, 1.0]], &device);
        let kl = scalar(loss(s.clone(), t.clone(), y.clone(), 1.0, 1.0).total);
        assert!((kl - kl_ref(&t_row, &s_row, 1.0)).abs() < 1e-5);
        let ce = scalar(loss(s, t, y, 7.0, 0.0).total);
        let ce_ref = -softmax_ref(&s_row, 1.0)[2].ln();
        assert!((ce - ce_ref).abs() < 1e-5, "{ce} vs {ce_ref}");
    }

    #[test]
    fn soft_gradient_matches_closed_form_and_finite_differences() {
        let device = Device::flex().autodiff();
        let (s_row, t_row) = ([0.2f32, -0.7, 1.1], [1.5f32, 0.3, -2.0]);
        let y = tensor(&[[1.0, 0.0, 0.0]], &device);
        let t = tensor(&[t_row], &device);
        for temperature in [1.0f32, 3.0] {
            let s = tensor(&[s_row], &device).require_grad();
            let l = loss(s.clone(), t.clone(), y.clone(), temperature, 1.0);
            let grads = l.total.backward();
            let grad = s
                .grad(&grads)
                .unwrap()
                .into_data()
                .try_to_vec::<f32>()
                .unwrap();
            let (q, p) = (
                softmax_ref(&s_row, f64::from(temperature)),
                softmax_ref(&t_row, f64::from(temperature)),
            );
            let h = 1e-3;
            let soft_at = |s: [f32; 3]| {
                f64::from(temperature).powi(2) * kl_ref(&t_row, &s, f64::from(temperature))
            };
            for c in 0..3 {
                let closed = f64::from(temperature) * (q[c] - p[c]);
                let (mut up, mut down) = (s_row, s_row);
                up[c] += h as f32;
                down[c] -= h as f32;
                let fd = (soft_at(up) - soft_at(down)) / (2.0 * h);
                let g = f64::from(grad[c]);
                assert!(
                    (g - closed).abs() < 1e-4,
                    "T={temperature} c={c}: {g} vs {closed}"
                );
                assert!(
                    (g - fd).abs() < 1e-3,
                    "T={temperature} c={c}: {g} vs fd {fd}"
                );
            }
        }
    }
}
