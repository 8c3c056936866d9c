//! Training and measuring char-LMs: the one loss every text model learns from (soft
//! cross-entropy against a target distribution per position), the Adam loop around it, and the
//! held-out figures (NLL per character, KL from the teacher).

use crate::charlm::model::{CharLm, END, Lm, Shape, inputs};
use crate::learner::cosine;
use crate::rng::Rng;
use burn::module::{Module, ModuleVisitor, Param};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};

/// Training examples: rows of tokens (names, worked problems) and, for each, one target
/// distribution per position it is trained on (`symbols` values each, from the first position
/// on; a row of zeros is a position not trained, such as a prompt's; a row's targets may stop
/// early, as an answer cut off by the budget does, and the positions after it are not trained).
#[derive(Debug, Clone, Default)]
pub struct Examples {
    /// The rows, as tokens.
    pub names: Vec<Vec<u8>>,
    /// Per row, its targets: `symbols` values per position, in order.
    pub targets: Vec<Vec<f32>>,
    /// Per row, the positions it trains on (targets that are not all zero).
    pub trained: Vec<usize>,
    /// Symbols per position.
    pub symbols: usize,
}

impl Examples {
    /// No examples yet, over `symbols` symbols.
    pub fn new(symbols: usize) -> Self {
        Self {
            symbols,
            ..Self::default()
        }
    }

    /// The rows as plain text: one-hot targets on each next token (what the real corpus and
    /// generated text give).
    pub fn one_hot(names: Vec<Vec<u8>>, symbols: usize) -> Self {
        let mut examples = Self::new(symbols);
        for name in names {
            let target = one_hot(&name, symbols);
            examples.push(name, target);
        }
        examples
    }

    /// Adds `row` with its `targets` (`symbols` values per position from the first).
    pub fn push(&mut self, row: Vec<u8>, targets: Vec<f32>) {
        debug_assert_eq!(targets.len() % self.symbols, 0);
        let trained = targets
            .chunks(self.symbols)
            .filter(|p| p.iter().any(|&v| v != 0.0))
            .count();
        self.names.push(row);
        self.targets.push(targets);
        self.trained.push(trained);
    }

    /// Adds the row `prompt` then `completion`, trained on the completion and its end marker
    /// only: the prompt is given, not learnt.
    pub fn push_completion(&mut self, prompt: &[u8], completion: &[u8]) {
        // Position i predicts the row's token i: the prompt's positions stay untrained.
        let mut target = vec![0.0; prompt.len() * self.symbols];
        target.extend(one_hot(completion, self.symbols));
        self.push([prompt, completion].concat(), target);
    }

    /// Positions trained on, over all rows: the tokens these examples cost.
    pub fn tokens(&self) -> usize {
        self.trained.iter().sum()
    }
}

/// One-hot targets over `symbols` for the tokens that follow each position of `row`: its
/// tokens, then the end marker.
pub fn one_hot(row: &[u8], symbols: usize) -> Vec<f32> {
    let mut t = vec![0.0; (row.len() + 1) * symbols];
    for (i, &token) in row.iter().chain([&END]).enumerate() {
        t[i * symbols + usize::from(token)] = 1.0;
    }
    t
}

/// The loss of logits `s` (`[batch, positions, symbols]`) against per-position targets `p` of
/// the same shape, summed over positions and divided by `positions`, the number of positions
/// that have targets (rows of zeros are untrained padding):
///
/// ```text
/// loss = T² · Σ_positions −Σ_c p_c log softmax(s/T)_c / positions
///      = T² · (KL(p ‖ q_T) + H(p)) per position
/// ```
///
/// With one-hot `p` this is the usual next-token cross-entropy: on the real corpus, the
/// no-teacher baseline; on the teacher's sampled text, sequence-level distillation (Kim & Rush
/// 2016). With the teacher's distributions it is per-token distillation, T²·KL up to the
/// teacher's entropy, which has no gradient (Hinton et al. 2015; `p` already softened by T).
pub fn loss(s: Tensor<3>, p: Tensor<3>, positions: usize, temperature: f32) -> Tensor<1> {
    let [batch, len, symbols] = s.dims();
    let log_q = log_softmax(s.reshape([batch * len, symbols]).div_scalar(temperature), 1);
    let p = p.reshape([batch * len, symbols]);
    (p * log_q)
        .sum()
        .mul_scalar(-temperature * temperature / positions.max(1) as f32)
}

/// `p` softened by temperature `T`: p^(1/T), renormalised (softmax(log p / T)).
pub fn soften(p: &[f32], temperature: f32) -> Vec<f32> {
    if temperature == 1.0 {
        return p.to_vec();
    }
    let w: Vec<f32> = p.iter().map(|&v| v.powf(1.0 / temperature)).collect();
    let sum: f32 = w.iter().sum();
    w.iter().map(|v| v / sum).collect()
}

/// Settings of one training run.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    /// Adam steps.
    pub steps: usize,
    /// Names per step.
    pub batch: usize,
    /// Peak learning rate, decayed to zero on a cosine.
    pub lr: f32,
    /// Softening of soft targets and student alike (1: none).
    pub temperature: f32,
    /// Seeds the weights and the batches.
    pub seed: u64,
}

/// A model (a char-LM unless said otherwise) with its Adam state, stepping through examples.
pub struct Trainer<M: Lm = CharLm> {
    model: Option<M>,
    optim: ModuleOptimizer,
    rng: Rng,
    training: Training,
    done: usize,
    device: Device,
}

impl<M: Lm> Trainer<M> {
    /// A fresh model of shape `config` on the autodiff twin of `device`.
    pub fn new(config: &impl Shape<Model = M>, training: Training, device: &Device) -> Self {
        let autodiff = device.clone().autodiff();
        Self {
            model: Some(config.init(training.seed, &autodiff)),
            optim: AdamConfig::new().init(),
            rng: Rng::fork(training.seed, "char-lm batches"),
            training,
            done: 0,
            device: autodiff,
        }
    }

    /// Steps taken so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// The model as it is, for inference on the plain device.
    pub fn model(&self) -> M {
        self.model.as_ref().expect("model present").valid()
    }

    /// `n` Adam steps, each on a batch drawn with replacement from `examples`; returns the
    /// last step's loss.
    pub fn step(&mut self, examples: &Examples, n: usize) -> f32 {
        self.step_on_first(examples, examples.names.len(), n)
    }

    /// [`Trainer::step`] on the first `available` examples only (at least one): what a thief
    /// has bought so far.
    pub fn step_on_first(&mut self, examples: &Examples, available: usize, n: usize) -> f32 {
        let available = available.clamp(1, examples.names.len());
        let mut value = f32::NAN;
        for _ in 0..n {
            let t = &self.training;
            let lr = cosine(t.lr, self.done, t.steps);
            let idx: Vec<usize> = (0..t.batch).map(|_| self.rng.below(available)).collect();
            let (tokens, p, positions) = batch(examples, &idx, &self.device);
            let model = self.model.take().expect("model present");
            let s = model.logits(tokens);
            let loss = loss(s, p, positions, t.temperature);
            value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            self.model = Some(self.optim.step(f64::from(lr), model, grads));
            self.done += 1;
        }
        value
    }

    /// The gradient of the model's loss on every one of `examples` at once (at temperature 1),
    /// every parameter's in module order. No step is taken.
    pub fn gradient(&self, examples: &Examples) -> Vec<f32> {
        let model = self.model.as_ref().expect("model present");
        let idx: Vec<usize> = (0..examples.names.len()).collect();
        let (tokens, p, positions) = batch(examples, &idx, &self.device);
        let loss = loss(model.logits(tokens), p, positions, 1.0);
        flat_gradient(model, loss)
    }
}

/// The gradient of `value` (computed from `model` on an autodiff device) by every parameter of
/// `model`, in module order (the order [`crate::charlm::model::values`] reads them in); a
/// parameter `value` does not depend on gets zeros.
pub fn flat_gradient<M: Module>(model: &M, value: Tensor<1>) -> Vec<f32> {
    struct Flat<'a>(&'a GradientsParams, Vec<f32>);
    impl ModuleVisitor for Flat<'_> {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            match self.0.get::<D>(param.id) {
                Some(g) => self.1.extend(g.into_data().iter::<f32>()),
                None => {
                    let n: usize = param.val().dims().iter().product();
                    self.1.extend(std::iter::repeat_n(0.0, n));
                }
            }
        }
    }
    let grads = GradientsParams::from_grads(value.backward(), model);
    let mut flat = Flat(&grads, Vec::new());
    model.visit(&mut flat);
    flat.1
}

/// The rows `idx` of `examples` as a batch on `device`: their tokens `[rows, positions]`, their
/// targets `[rows, positions, symbols]` (zeros past each row's own), and the positions trained.
pub(crate) fn batch(
    examples: &Examples,
    idx: &[usize],
    device: &Device,
) -> (Tensor<2, Int>, Tensor<3>, usize) {
    let names: Vec<&[u8]> = idx.iter().map(|&i| examples.names[i].as_slice()).collect();
    let symbols = examples.symbols;
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0) + 1;
    let mut p = vec![0.0; idx.len() * width * symbols];
    let mut positions = 0;
    for (row, &i) in idx.iter().enumerate() {
        let target = &examples.targets[i];
        let at = row * width * symbols;
        p[at..at + target.len()].copy_from_slice(target);
        positions += examples.trained[i];
    }
    let p = Tensor::from_data(TensorData::new(p, [idx.len(), width, symbols]), device);
    (inputs(&names, device), p, positions)
}

/// Log-probabilities of `model` at every position of each row, `symbols` per position, the
/// row's tokens and its end marker (`len + 1` positions) per row, on the plain device.
pub fn log_probs(model: &CharLm, names: &[Vec<u8>], device: &Device) -> Vec<Vec<f32>> {
    let symbols = model.symbols();
    let mut out = Vec::with_capacity(names.len());
    for chunk in names.chunks(512) {
        let rows: Vec<&[u8]> = chunk.iter().map(Vec::as_slice).collect();
        let logits = model.forward(inputs(&rows, device)); // [chunk, positions, symbols]
        let width = logits.dims()[1] * symbols;
        let all: Vec<f32> = log_softmax(logits, 2).into_data().iter::<f32>().collect();
        for (name, row) in chunk.iter().zip(all.chunks_exact(width)) {
            out.push(row[..(name.len() + 1) * symbols].to_vec());
        }
    }
    out
}

/// Held-out negative log-likelihood of `model` in nats per character (the end marker counts
/// as one): the mean of −log q(next token) over every position of `names`.
pub fn nll(model: &CharLm, names: &[Vec<u8>], device: &Device) -> f64 {
    nll_of(names, &log_probs(model, names, device))
}

/// [`nll`] from the log-probabilities `lp` a model gives `names` (see [`log_probs`]).
pub fn nll_of(names: &[Vec<u8>], lp: &[Vec<f32>]) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (name, lp) in names.iter().zip(lp) {
        let symbols = lp.len() / (name.len() + 1);
        for (i, &token) in name.iter().chain([&END]).enumerate() {
            sum -= f64::from(lp[i * symbols + usize::from(token)]);
            n += 1;
        }
    }
    sum / n.max(1) as f64
}

/// KL(teacher ‖ student) in nats per character, averaged over every position of `names`: how
/// far the student's next-token distributions are from the teacher's.
pub fn kl(teacher: &CharLm, student: &CharLm, names: &[Vec<u8>], device: &Device) -> f64 {
    kl_of(
        &log_probs(teacher, names, device),
        &log_probs(student, names, device),
        teacher.symbols(),
    )
}

/// [`kl`] from the teacher's log-probabilities `lp` and the student's `lq` on the same rows,
/// `symbols` per position.
pub fn kl_of(lp: &[Vec<f32>], lq: &[Vec<f32>], symbols: usize) -> f64 {
    kl_with(&probs(lp), lp, lq, symbols)
}

/// The probabilities of log-probabilities `lp`, in f64: what [`kl_with`] weighs by, computed
/// once for a teacher measured against many students.
pub fn probs(lp: &[Vec<f32>]) -> Vec<Vec<f64>> {
    lp.iter()
        .map(|row| row.iter().map(|&a| f64::from(a).exp()).collect())
        .collect()
}

/// [`kl_of`] with the teacher's probabilities `p` (its [`probs`]) given.
pub fn kl_with(p: &[Vec<f64>], lp: &[Vec<f32>], lq: &[Vec<f32>], symbols: usize) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for ((p, lp), lq) in p.iter().zip(lp).zip(lq) {
        let rows = p
            .chunks(symbols)
            .zip(lp.chunks(symbols))
            .zip(lq.chunks(symbols));
        for ((p, a), b) in rows {
            sum += p
                .iter()
                .zip(a.iter().zip(b))
                .map(|(&p, (&a, &b))| p * f64::from(a - b))
                .sum::<f64>();
            n += 1;
        }
    }
    sum / n.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::corpus::{POSITIONS, SYMBOLS};

    fn tensor3(values: Vec<f32>, dims: [usize; 3], device: &Device) -> Tensor<3> {
        Tensor::from_data(TensorData::new(values, dims), device)
    }

    #[test]
    fn sequence_kd_loss_is_the_cross_entropy_of_the_sampled_tokens() {
        let device = Device::flex();
        // One name, two positions trained, the rest of the 14 untrained padding.
        let mut s = vec![0.0; POSITIONS * SYMBOLS];
        s[1] = 2.0; // position 0: token 1 has logit 2, the other 26 have 0
        s[SYMBOLS + 2] = -1.0; // position 1: token 2 has logit −1
        let mut p = vec![0.0; POSITIONS * SYMBOLS];
        p[..2 * SYMBOLS].copy_from_slice(&one_hot(&[1], SYMBOLS)); // next tokens: 1, then the end
        let value = loss(
            tensor3(s, [1, POSITIONS, SYMBOLS], &device),
            tensor3(p, [1, POSITIONS, SYMBOLS], &device),
            2,
            1.0,
        )
        .into_scalar::<f32>();
        // By hand: −log(e²/(e² + 26)) and −log(1/(e⁻¹ + 26)), averaged.
        let e2 = 2f64.exp();
        let first = -(e2 / (e2 + 26.0)).ln();
        let second = ((-1f64).exp() + 26.0).ln();
        let expected = (first + second) / 2.0;
        assert!(
            (f64::from(value) - expected).abs() < 1e-5,
            "{value} vs {expected}"
        );
        assert!((expected - 2.390_187).abs() < 1e-5, "{expected}");
    }

    #[test]
    fn soft_targets_give_kl_plus_entropy_scaled_by_t_squared() {
        let device = Device::flex();
        let mut s = vec![0.0; POSITIONS * SYMBOLS];
        s[3] = 1.0;
        let mut p = vec![0.0; POSITIONS * SYMBOLS];
        p[3] = 0.5;
        p[4] = 0.5;
        let value = loss(
            tensor3(s, [1, POSITIONS, SYMBOLS], &device),
            tensor3(p, [1, POSITIONS, SYMBOLS], &device),
            1,
            2.0,
        )
        .into_scalar::<f32>();
        // softmax(s/2): token 3 weighs e^0.5 against 26 ones.
        let z = 0.5f64.exp() + 26.0;
        let expected = 4.0 * (0.5 * (z.ln() - 0.5) + 0.5 * z.ln());
        assert!(
            (f64::from(value) - expected).abs() < 1e-4,
            "{value} vs {expected}"
        );
    }

    #[test]
    fn a_completion_is_trained_from_the_prompts_last_token_on() {
        let mut examples = Examples::new(5);
        examples.push_completion(&[3, 4], &[2]);
        assert_eq!(examples.names[0], [3, 4, 2]);
        // Inputs: end marker, 3, 4, 2. Positions 0 and 1 read the end marker and 3 and would
        // predict the prompt: untrained. Position 2 reads 4 and predicts 2; position 3, the end.
        let t = &examples.targets[0];
        assert_eq!(t.len(), 4 * 5);
        assert!(t[..10].iter().all(|&v| v == 0.0));
        assert_eq!(
            &t[10..],
            &[0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(examples.tokens(), 2);
    }

    #[test]
    fn a_short_run_lowers_the_held_out_nll() {
        let device = Device::flex();
        let names: Vec<Vec<u8>> = ["anna", "anne", "annie", "ann", "hanna", "nan"]
            .iter()
            .map(|n| crate::chat::corpus::encode(n).unwrap())
            .collect();
        let examples = Examples::one_hot(names.clone(), SYMBOLS);
        let training = Training {
            steps: 150,
            batch: 8,
            lr: 0.02,
            temperature: 1.0,
            seed: 1,
        };
        let mut trainer = Trainer::new(&crate::chat::model::student(), training, &device);
        let before = nll(&trainer.model(), &names, &device);
        assert!((before - (SYMBOLS as f64).ln()).abs() < 0.2, "{before}");
        trainer.step(&examples, 150);
        let after = nll(&trainer.model(), &names, &device);
        assert!(after < 1.0, "{before} → {after}");
        assert!(kl(&trainer.model(), &trainer.model(), &names, &device).abs() < 1e-9);
    }
}
