//! What every training loop shares: a model with its optimiser, the learning-rate schedule,
//! the divergence test, and moving host data into tensors (batches, rows, one-hot labels).

use crate::model::Mlp;
use crate::rng::Rng;
use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};

/// A model with its Adam state.
pub(crate) struct Learner {
    model: Option<Mlp>,
    optim: ModuleOptimizer,
}

impl Learner {
    pub(crate) fn new(model: Mlp) -> Self {
        Self {
            model: Some(model),
            optim: AdamConfig::new().init(),
        }
    }

    pub(crate) fn model(&self) -> &Mlp {
        self.model
            .as_ref()
            .expect("a learner always holds its model between steps")
    }

    /// One Adam step on `loss`; returns the loss's value.
    pub(crate) fn update(&mut self, lr: f32, loss: Tensor<1>) -> f32 {
        let value = loss.clone().into_scalar::<f32>();
        let model = self.model.take().expect("model present");
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        self.model = Some(self.optim.step(f64::from(lr), model, grads));
        value
    }
}

/// Losses above this many nats per example mean the weights have blown up: a classifier
/// starts at ln K ≈ 1 and a sane step never multiplies that a thousandfold.
const EXPLODED: f32 = 1000.0;

/// Whether a mini-batch loss shows divergence: NaN, infinite, or exploded.
pub(crate) fn diverged(loss: f32) -> bool {
    !loss.is_finite() || loss > EXPLODED
}

/// The learning rate at `step` of `steps`: cosine decay from `lr` to zero (Loshchilov &
/// Hutter 2017), so each phase ends settled rather than jittering at full step size.
pub(crate) fn cosine(lr: f32, step: usize, steps: usize) -> f32 {
    let progress = step as f32 / steps.max(1) as f32;
    lr * 0.5 * (1.0 + (std::f32::consts::PI * progress.min(1.0)).cos())
}

/// `size` indices drawn uniformly, with replacement, from `0..len`.
pub(crate) fn batch(rng: &mut Rng, len: usize, size: usize) -> Vec<usize> {
    (0..size).map(|_| rng.below(len)).collect()
}

/// Rows `idx` of a row-major matrix of the given width.
pub(crate) fn gather(values: &[f32], idx: &[usize], width: usize) -> Vec<f32> {
    idx.iter()
        .flat_map(|&i| &values[i * width..(i + 1) * width])
        .copied()
        .collect()
}

/// One-hot rows `[idx.len(), classes]` for the labels at `idx`.
pub(crate) fn one_hot(labels: &[u32], idx: &[usize], classes: usize) -> Vec<f32> {
    let mut out = vec![0.0; idx.len() * classes];
    for (row, &i) in idx.iter().enumerate() {
        out[row * classes + labels[i] as usize] = 1.0;
    }
    out
}

pub(crate) fn to_tensor(values: Vec<f32>, width: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / width;
    Tensor::from_data(TensorData::new(values, [rows, width]), device)
}

/// Logits of `model` at `points` (`[x0, y0, …]` for 2-D inputs; `width` features each), on the
/// plain device `device`: no graph is kept.
pub(crate) fn logits(model: &Mlp, points: &[f32], width: usize, device: &Device) -> Vec<f32> {
    model
        .valid()
        .forward(to_tensor(points.to_vec(), width, device))
        .into_data()
        .try_to_vec::<f32>()
        .expect("logits are f32")
}
