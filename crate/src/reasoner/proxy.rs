//! Antidistillation sampling's machinery (ADS, Savani et al. 2025): the owner's proxy student,
//! the gradient g of its loss on the held-out problems (computed once), and Δ, how much
//! training on each candidate next token would raise that loss:
//!
//! ```text
//! Δ(x) = [log p(x; θ + εg) − log p(x; θ − εg)] / 2ε  ≈  ∇θ log p(x; θ) · g
//! ```
//!
//! A step of training on x moves θ along ∇θ log p(x), which raises the held-out loss by about
//! that dot product: a positive Δ marks a token that would teach a copier the wrong thing. The
//! API adds λ times Δ, normalised by its RMS over the candidates, to its logits ([`Steer`]).
//! The control replaces g by a random direction of the same norm.

use crate::charlm::lm::{Examples, Trainer, Training};
use crate::charlm::model::{CharLm, Lm, inputs, shifted};
use crate::charlm::transformer::TransformerLm;
use crate::reasoner::defence::Api;
use crate::reasoner::study::{self, ReasonerConfig, student};
use crate::reasoner::task::{self, SYMBOLS};
use crate::rng::Rng;
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor};

/// The length of the parameter step of the central difference, ε·|g|: small enough that Δ
/// matches the exact directional derivative (see the tests), large enough for f32.
pub const STEP: f32 = 0.01;

/// The owner's proxy: a student of the thieves' default shape, trained as the default thief
/// trains, on the teacher's worked answers to problems of the owner's choosing; and the
/// gradient of its loss on the held-out problems' correct working.
pub struct Proxy {
    /// The proxy student.
    pub model: TransformerLm,
    /// g: the gradient of its held-out loss, every parameter's in module order.
    pub gradient: Vec<f32>,
}

impl Proxy {
    /// The proxy of round seed `seed`: `teacher` (trained on split `split`) works out the
    /// default number of problems for sale, drawn in an order of the owner's own; the proxy
    /// learns from them, then g is taken on the split's held-out problems.
    pub fn train(teacher: &CharLm, split: u64, seed: u64, device: &Device) -> Self {
        let config = ReasonerConfig::default();
        let (mut sale, held) = task::problems(split);
        Rng::fork(seed, "reasoner proxy problems").shuffle(&mut sale);
        let bought = &sale[..config.problems];
        let mut rng = Rng::fork(seed, "reasoner proxy api");
        let worked = study::write(teacher, bought, true, &mut rng, device, &Api::plain());
        let mut examples = Examples::new(SYMBOLS);
        for (p, w) in bought.iter().zip(&worked) {
            examples.push_completion(&p.prompt(true), w);
        }
        let training = Training {
            steps: config.steps,
            batch: config.batch,
            lr: config.lr,
            temperature: 1.0,
            seed: Rng::fork(seed, "reasoner proxy").next_u64(),
        };
        let mut trainer = Trainer::new(&student(32), training, device);
        trainer.step(&examples, config.steps);
        let mut held_out = Examples::new(SYMBOLS);
        for p in &held {
            held_out.push_completion(&p.prompt(true), &p.solution());
        }
        Self {
            model: trainer.model(),
            gradient: trainer.gradient(&held_out),
        }
    }

    /// The direction ADS steers along: g, or for the control a random direction of g's norm
    /// (normal draws seeded by `seed`, rescaled).
    pub fn direction(&self, random: bool, seed: u64) -> Vec<f32> {
        if !random {
            return self.gradient.clone();
        }
        let mut rng = Rng::fork(seed, "reasoner random direction");
        let r: Vec<f32> = self.gradient.iter().map(|_| rng.normal()).collect();
        let scale = norm(&self.gradient) / norm(&r);
        r.iter().map(|v| v * scale).collect()
    }

    /// Δ's two shifted proxies along `direction`.
    pub fn steer(&self, direction: &[f32]) -> Steer {
        let epsilon = STEP / norm(direction).max(f32::MIN_POSITIVE);
        Steer {
            plus: shifted(self.model.clone(), direction, epsilon),
            minus: shifted(self.model.clone(), direction, -epsilon),
            epsilon,
        }
    }
}

/// The Euclidean norm of `v`, summed in f64.
pub fn norm(v: &[f32]) -> f32 {
    v.iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt() as f32
}

/// The proxy shifted both ways along a direction: what Δ is read from.
pub struct Steer {
    plus: TransformerLm,
    minus: TransformerLm,
    epsilon: f32,
}

impl Steer {
    /// Δ for every candidate next token after each row (a prompt and what follows it, all
    /// prompts of one length), [`SYMBOLS`] values per row.
    pub fn delta(&self, rows: &[Vec<u8>], device: &Device) -> Vec<f32> {
        let plus = last_log_probs(&self.plus, rows, device);
        let minus = last_log_probs(&self.minus, rows, device);
        plus.iter()
            .zip(&minus)
            .map(|(p, m)| (p - m) / (2.0 * self.epsilon))
            .collect()
    }
}

/// `model`'s log-probabilities of the token after each row's last, [`SYMBOLS`] per row.
pub fn last_log_probs(model: &TransformerLm, rows: &[Vec<u8>], device: &Device) -> Vec<f32> {
    if rows.is_empty() {
        return Vec::new();
    }
    let read: Vec<&[u8]> = rows.iter().map(Vec::as_slice).collect();
    let x = inputs(&read, device);
    let [count, positions] = x.dims();
    let lp: Tensor<3> = log_softmax(model.logits(x), 2);
    let lp: Vec<f32> = lp.into_data().iter::<f32>().collect();
    let mut out = Vec::with_capacity(count * SYMBOLS);
    for (i, row) in rows.iter().enumerate() {
        // Position `len` of a row (after its end marker and its tokens) predicts what follows.
        let at = (i * positions + row.len()) * SYMBOLS;
        out.extend_from_slice(&lp[at..at + SYMBOLS]);
    }
    out
}

/// `delta` rescaled row by row (`SYMBOLS` values each) to an RMS of one over the candidates
/// (a row of zeros stays zeros), so that λ means the same for every proxy and direction.
pub fn normalised(delta: &[f32]) -> Vec<f32> {
    delta
        .chunks(SYMBOLS)
        .flat_map(|row| {
            let rms = (row.iter().map(|d| d * d).sum::<f32>() / row.len() as f32).sqrt();
            row.iter()
                .map(move |d| if rms > 0.0 { d / rms } else { 0.0 })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::lm::{batch, flat_gradient, loss};
    use crate::charlm::model::{Shape, values};
    use crate::reasoner::task::Problem;
    use burn::module::Module;

    /// A small untrained proxy on the autodiff device, and g of its loss on a few worked
    /// problems.
    fn proxy(device: &Device) -> (TransformerLm, Vec<f32>) {
        let autodiff = device.clone().autodiff();
        let model = student(16).init(7, &autodiff);
        let mut examples = Examples::new(SYMBOLS);
        for (a, b) in [(47, 85), (12, 13), (99, 99)] {
            let p = Problem { a, b };
            examples.push_completion(&p.prompt(true), &p.solution());
        }
        let (tokens, p, positions) = batch(&examples, &[0, 1, 2], &autodiff);
        let value = loss(model.logits(tokens), p, positions, 1.0);
        let g = flat_gradient(&model, value);
        (model, g)
    }

    #[test]
    fn delta_is_the_exact_directional_derivative_along_g() {
        let device = Device::flex();
        let (model, g) = proxy(&device);
        assert_eq!(g.len(), values(&model).len());
        assert!(norm(&g) > 0.0);
        let owner = Proxy {
            model: model.valid(),
            gradient: g.clone(),
        };
        let steer = owner.steer(&owner.direction(false, 1));
        let rows: Vec<Vec<u8>> = ["47+85=", "47+85=7+5+0=1", "12+13=2+3+0=05|1+1+0=02|"]
            .iter()
            .map(|t| task::encode(t))
            .collect();
        let delta = steer.delta(&rows, &device);
        let autodiff = device.clone().autodiff();
        let mut worst: f32 = 0.0;
        let mut largest: f32 = 0.0;
        for (i, row) in rows.iter().enumerate() {
            for x in 0..SYMBOLS {
                // ∇θ log p(x | row) · g, by autodiff.
                let lp = log_softmax(model.logits(inputs(&[row.as_slice()], &autodiff)), 2);
                let at = lp.slice([0..1, row.len()..row.len() + 1, x..x + 1]).sum();
                let grad = flat_gradient(&model, at);
                let exact = grad
                    .iter()
                    .zip(&g)
                    .map(|(a, b)| f64::from(*a) * f64::from(*b))
                    .sum::<f64>() as f32;
                worst = worst.max((delta[i * SYMBOLS + x] - exact).abs());
                largest = largest.max(exact.abs());
            }
        }
        assert!(largest > 0.0);
        assert!(worst <= 1e-4 * largest, "worst error {worst} of {largest}");
    }

    #[test]
    fn the_control_steers_along_another_direction_of_the_same_norm() {
        let device = Device::flex();
        let (model, g) = proxy(&device);
        let owner = Proxy {
            model: model.valid(),
            gradient: g.clone(),
        };
        assert_eq!(owner.direction(false, 1), g);
        let r = owner.direction(true, 1);
        assert_eq!(r, owner.direction(true, 1));
        assert_ne!(r, owner.direction(true, 2));
        assert!((norm(&r) - norm(&g)).abs() <= 1e-5 * norm(&g));
        let cosine = r.iter().zip(&g).map(|(a, b)| a * b).sum::<f32>() / (norm(&r) * norm(&g));
        assert!(cosine.abs() < 0.1, "{cosine}");
    }

    #[test]
    fn delta_is_normalised_per_row_to_an_rms_of_one() {
        let mut delta = vec![0.0; 2 * SYMBOLS];
        delta[0] = 4.0; // one candidate of sixteen: RMS 1
        let n = normalised(&delta);
        assert_eq!(n[0], 4.0);
        assert!(n[SYMBOLS..].iter().all(|&v| v == 0.0));
        let scaled: Vec<f32> = delta.iter().map(|v| v * 3.0).collect();
        assert_eq!(normalised(&scaled), n);
    }
}
