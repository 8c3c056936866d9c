//! The multilayer perceptron used for the teacher and both students.

use crate::checksum;
use crate::rng::Rng;
use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::{gelu, relu, tanh};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

/// The non-linearity between layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// max(0, x).
    Relu,
    /// Hyperbolic tangent.
    Tanh,
    /// Gaussian error linear unit.
    Gelu,
}

impl Activation {
    /// Every activation, in the order the page lists them.
    pub const ALL: [Activation; 3] = [Activation::Relu, Activation::Tanh, Activation::Gelu];

    /// The lowercase name used in URLs, on the command line and in the page's Config.
    pub const fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Gelu => "gelu",
        }
    }

    fn apply<const D: usize>(self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Activation::Relu => relu(x),
            Activation::Tanh => tanh(x),
            Activation::Gelu => gelu(x),
        }
    }
}

/// Shape of an MLP: `input → hidden[0] → … → classes`, with `activation` after every hidden
/// layer.
#[derive(Config, Debug)]
pub struct MlpConfig {
    /// Input features (2 for points in the plane).
    pub input: usize,
    /// Width of each hidden layer.
    pub hidden: Vec<usize>,
    /// Output logits, one per class.
    pub classes: usize,
    /// Non-linearity after each hidden layer.
    #[config(default = "Activation::Relu")]
    pub activation: Activation,
}

impl MlpConfig {
    /// An MLP with `depth` hidden layers of `width` units.
    pub fn uniform(input: usize, width: usize, depth: usize, classes: usize) -> Self {
        Self::new(input, vec![width; depth], classes)
    }

    /// Weights and biases counted without building the model.
    pub fn num_params(&self) -> usize {
        self.widths().windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths = vec![self.input];
        widths.extend(&self.hidden);
        widths.push(self.classes);
        widths
    }

    /// Builds the model on `device`, each layer drawn from U(−k, k) with k = 1/√fan_in (the
    /// usual default for linear layers), from this seed alone.
    pub fn init(&self, seed: u64, device: &Device) -> Mlp {
        let mut rng = Rng::fork(seed, "init");
        let layers = self
            .widths()
            .windows(2)
            .map(|w| {
                let (fan_in, fan_out) = (w[0], w[1]);
                let k = 1.0 / (fan_in as f32).sqrt();
                let mut draw = |n: usize| (0..n).map(|_| rng.range(-k, k)).collect::<Vec<_>>();
                let weight = TensorData::new(draw(fan_in * fan_out), [fan_in, fan_out]);
                let bias = TensorData::new(draw(fan_out), [fan_out]);
                Linear {
                    weight: Param::from_tensor(Tensor::from_data(weight, device)),
                    bias: Some(Param::from_tensor(Tensor::from_data(bias, device))),
                }
            })
            .collect();
        Mlp {
            layers,
            activation: self.activation,
        }
    }
}

/// A multilayer perceptron mapping points to class logits.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    activation: Activation,
}

impl Mlp {
    /// FNV-1a over every weight and bias, layer by layer, as little-endian f32: what a
    /// shipped model's file records so that damage to its numbers is caught on load.
    pub fn checksum(&self) -> u64 {
        let mut bytes = Vec::new();
        for layer in &self.layers {
            let tensors = std::iter::once(layer.weight.val().into_data())
                .chain(layer.bias.as_ref().map(|b| b.val().into_data()));
            for data in tensors {
                let values = data.try_to_vec::<f32>().expect("f32 parameters");
                bytes.extend(values.iter().flat_map(|v| v.to_le_bytes()));
            }
        }
        checksum::fnv1a(&bytes)
    }

    /// Logits `[batch, classes]` for inputs `[batch, input]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |h, (i, layer)| {
            let h = layer.forward(h); // [batch, width_i]
            if i < last {
                self.activation.apply(h)
            } else {
                h
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_counts_match_the_built_model() {
        let config = MlpConfig::uniform(2, 64, 3, 3);
        // 2·64+64 + 2·(64·64+64) + 64·3+3
        assert_eq!(config.num_params(), 192 + 2 * 4160 + 195);
        let device = Device::flex();
        assert_eq!(config.init(1, &device).num_params(), config.num_params());
    }

    #[test]
    fn forward_shape_and_seeded_weights() {
        let device = Device::flex();
        let config = MlpConfig::uniform(2, 8, 2, 4).with_activation(Activation::Tanh);
        let x = Tensor::<2>::from_data(
            TensorData::new(vec![0.5f32, -0.5, 1.0, 0.0], [2, 2]),
            &device,
        );
        let out = |seed| config.init(seed, &device).forward(x.clone()).into_data();
        assert_eq!(out(3).shape().to_vec(), vec![2, 4]);
        assert_eq!(out(3), out(3));
        assert_ne!(out(3), out(4));
    }
}
