//! A small causal transformer over tokens: Embedding plus a learnt position embedding →
//! pre-norm transformer layers, each position attending to itself and the positions before it →
//! Linear. It reads a whole row at once, so copying a token from far back (an operand into a
//! written step) is one attention away rather than a memory carried through every position.

use crate::charlm::model::{Draw, END, Lm, Shape, inputs};
use burn::config::Config;
use burn::module::Module;
use burn::nn::attention::generate_autoregressive_mask;
use burn::nn::transformer::{
    TransformerEncoder, TransformerEncoderConfig, TransformerEncoderInput,
};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::tensor::{Device, Int, Tensor};

/// Shape of a transformer LM.
#[derive(Config, Debug, PartialEq)]
pub struct TransformerLmConfig {
    /// Symbols it reads and writes, [`END`] included.
    pub symbols: usize,
    /// Width of every position's vector.
    pub width: usize,
    /// Transformer layers.
    pub layers: usize,
    /// Attention heads per layer (dividing `width`).
    pub heads: usize,
    /// The longest row it reads, in positions.
    pub positions: usize,
}

impl TransformerLmConfig {
    /// Weights and biases counted without building the model: the token and position tables;
    /// per layer the attention's four `width × width` maps, a feed-forward block of twice the
    /// width and two layer norms; the output layer.
    pub fn num_params(&self) -> usize {
        let (s, w, p) = (self.symbols, self.width, self.positions);
        let layer = 4 * (w * w + w) + (w * 2 * w + 2 * w) + (2 * w * w + w) + 2 * 2 * w;
        s * w + p * w + self.layers * layer + w * s + s
    }
}

impl Shape for TransformerLmConfig {
    type Model = TransformerLm;

    /// Builds the model on `device` from this seed alone, as [`crate::charlm::model::CharLmConfig::init`]
    /// does.
    fn init(&self, seed: u64, device: &Device) -> TransformerLm {
        let model = TransformerLm {
            embed: EmbeddingConfig::new(self.symbols, self.width).init(device),
            position: EmbeddingConfig::new(self.positions, self.width).init(device),
            layers: TransformerEncoderConfig::new(
                self.width,
                2 * self.width,
                self.heads,
                self.layers,
            )
            .with_dropout(0.0)
            .with_norm_first(true)
            .init(device),
            head: LinearConfig::new(self.width, self.symbols).init(device),
        };
        model.map(&mut Draw::new(seed, device))
    }
}

/// A transformer LM: token and position tables, causal layers, output layer.
#[derive(Module, Debug)]
pub struct TransformerLm {
    embed: Embedding,
    position: Embedding,
    layers: TransformerEncoder,
    head: Linear,
}

impl Lm for TransformerLm {
    fn logits(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        let [batch, positions] = tokens.dims();
        let device = tokens.device();
        let at = Tensor::<1, Int>::arange(0..positions as i64, &device)
            .reshape([1, positions])
            .repeat_dim(0, batch);
        let x = self.embed.forward(tokens) + self.position.forward(at);
        let mask = generate_autoregressive_mask(batch, positions, &device);
        self.head.forward(
            self.layers
                .forward(TransformerEncoderInput::new(x).mask_attn(mask)),
        )
    }
}

impl TransformerLm {
    /// Symbols it reads and writes.
    pub fn symbols(&self) -> usize {
        self.head.weight.dims()[1]
    }

    /// The longest row it reads, in positions.
    pub fn positions(&self) -> usize {
        self.position.weight.dims()[0]
    }

    /// Greedy continuations of each row of `prompts` (all of one length): the most likely
    /// token at every step (ties to the lower token), without the end marker. A row that has
    /// not ended after `max_len` tokens gets the one it chose next and no more: it reads as
    /// longer than `max_len`, never as a text cut to fit. Each step reads every row whole
    /// again; it stops once every row ended.
    pub fn greedy(&self, prompts: &[Vec<u8>], max_len: usize, device: &Device) -> Vec<Vec<u8>> {
        let symbols = self.symbols();
        if prompts.is_empty() {
            return Vec::new();
        }
        let mut rows: Vec<Vec<u8>> = prompts.to_vec();
        let mut out: Vec<Vec<u8>> = vec![Vec::new(); prompts.len()];
        let mut done = vec![false; prompts.len()];
        // The logits after the last position the table covers still choose one more token.
        let longest = max_len.min(self.positions().saturating_sub(1 + prompts[0].len()));
        while !done.iter().all(|&d| d) {
            let read: Vec<&[u8]> = rows.iter().map(Vec::as_slice).collect();
            let x = inputs(&read, device);
            let [batch, positions] = x.dims();
            let last = self
                .logits(x)
                .slice([0..batch, positions - 1..positions])
                .reshape([batch, symbols]);
            let last: Vec<f32> = last.into_data().iter::<f32>().collect();
            for (i, row) in last.chunks_exact(symbols).enumerate() {
                if done[i] {
                    // An ended row reads end markers from then on: the rows stay one length.
                    rows[i].push(END);
                    continue;
                }
                let mut best = 0;
                for (t, &z) in row.iter().enumerate() {
                    if z > row[best] {
                        best = t;
                    }
                }
                if best == usize::from(END) {
                    done[i] = true;
                    rows[i].push(END);
                    continue;
                }
                out[i].push(best as u8);
                rows[i].push(best as u8);
                done[i] = out[i].len() > longest;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::lm::{Examples, Trainer, Training};

    fn shape() -> TransformerLmConfig {
        TransformerLmConfig::new(12, 16, 1, 2, 16)
    }

    #[test]
    fn the_count_of_parameters_is_the_models() {
        let config = shape();
        let model = config.init(3, &Device::flex());
        assert_eq!(model.num_params(), config.num_params());
    }

    #[test]
    fn a_seed_alone_decides_the_weights_and_a_position_sees_only_its_past() {
        let device = Device::flex();
        let a = shape().init(5, &device);
        let b = shape().init(5, &device);
        let rows: Vec<&[u8]> = vec![&[3, 4, 5, 6], &[3, 4, 9, 9]];
        let (za, zb) = (
            a.logits(inputs(&rows, &device)),
            b.logits(inputs(&rows, &device)),
        );
        za.clone().into_data().assert_eq(&zb.into_data(), true);
        // The rows agree on their first three positions (end marker, 3, 4): so do the logits.
        let z: Vec<f32> = za.slice([0..2, 0..3]).into_data().iter::<f32>().collect();
        assert_eq!(z[..3 * 12], z[3 * 12..]);
    }

    #[test]
    fn it_learns_to_copy_a_prompt_and_writes_it_greedily() {
        let device = Device::flex();
        let mut examples = Examples::new(12);
        let rows: Vec<Vec<u8>> = (1..11u8)
            .flat_map(|a| (1..11u8).map(move |b| vec![a, b]))
            .collect();
        for r in &rows {
            examples.push_completion(&[r[0], r[1], 11], &[r[1], r[0]]);
        }
        let training = Training {
            steps: 300,
            batch: 32,
            lr: 0.01,
            temperature: 1.0,
            seed: 1,
        };
        let mut trainer = Trainer::new(&shape(), training, &device);
        trainer.step(&examples, 300);
        let prompts: Vec<Vec<u8>> = rows.iter().map(|r| vec![r[0], r[1], 11]).collect();
        let written = trainer.model().greedy(&prompts, 4, &device);
        let right = rows
            .iter()
            .zip(&written)
            .filter(|(r, w)| w.as_slice() == [r[1], r[0]])
            .count();
        assert!(right * 10 >= rows.len() * 9, "{right} of {}", rows.len());
        // Allowed one token, a row that would write two reads as longer than one: never as
        // a right answer cut to fit.
        let cut = trainer.model().greedy(&prompts, 1, &device);
        for (w, c) in written.iter().zip(&cut) {
            assert_eq!(c[..], w[..c.len()]);
            assert_eq!(c.len(), w.len().min(2));
        }
    }
}
