//! The character-level language model every text model of the page is: Embedding → GRU →
//! Linear, reading a row of tokens one at a time and giving the next token's logits at every
//! position. Token 0 ([`END`]) ends every row and is the context a row starts from.

use crate::charlm::cell;
use crate::checksum;
use crate::rng::Rng;
use burn::config::Config;
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::nn::gru::{Gru, GruConfig};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};

/// The token that ends every row and starts every context.
pub const END: u8 = 0;

/// Shape of a char-LM: `symbols → embed` (a table), a GRU of `hidden` units, `hidden →
/// symbols` logits.
#[derive(Config, Debug, PartialEq)]
pub struct CharLmConfig {
    /// Symbols it reads and writes, [`END`] included.
    pub symbols: usize,
    /// Width of each token's embedding.
    pub embed: usize,
    /// Units of the GRU.
    pub hidden: usize,
}

impl CharLmConfig {
    /// Weights and biases counted without building the model: the embedding table, three GRU
    /// gates (each an input and a hidden linear map with biases), the output layer.
    pub fn num_params(&self) -> usize {
        let (s, e, h) = (self.symbols, self.embed, self.hidden);
        s * e + 3 * (e * h + h + h * h + h) + h * s + s
    }

    /// Builds the model on `device` from this seed alone (burn's own initialisers draw from a
    /// global generator): every weight matrix and the bias after it from U(−k, k) with
    /// k = 1/√rows, as PyTorch does for GRUs and linear layers.
    pub fn init(&self, seed: u64, device: &Device) -> CharLm {
        let model = CharLm {
            embed: EmbeddingConfig::new(self.symbols, self.embed).init(device),
            gru: GruConfig::new(self.embed, self.hidden, true).init(device),
            head: LinearConfig::new(self.hidden, self.symbols).init(device),
        };
        model.map(&mut Draw::new(seed, device))
    }
}

/// Redraws every parameter from the crate's own generator (see [`CharLmConfig::init`]): each
/// weight matrix and the bias after it from U(−k, k) with k = 1/√rows; a layer norm's scale
/// (`gamma`) at one and its shift (`beta`) at zero.
pub(crate) struct Draw {
    rng: Rng,
    /// The bound of the last weight matrix, which its bias shares.
    k: f32,
    /// The fields entered, innermost last.
    path: Vec<String>,
    device: Device,
}

impl Draw {
    /// A redraw seeded by `seed`, its parameters put on `device`.
    pub(crate) fn new(seed: u64, device: &Device) -> Self {
        Self {
            rng: Rng::fork(seed, "char-lm init"),
            k: 1.0,
            path: Vec::new(),
            device: device.clone(),
        }
    }
}

impl ModuleMapper for Draw {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let dims = param.val().dims();
        if D == 2 {
            self.k = 1.0 / (dims[0] as f32).sqrt();
        }
        let n: usize = dims.iter().product();
        let values: Vec<f32> = match self.path.last().map(String::as_str) {
            Some("gamma") => vec![1.0; n],
            Some("beta") => vec![0.0; n],
            _ => (0..n).map(|_| self.rng.range(-self.k, self.k)).collect(),
        };
        Param::from_tensor(Tensor::from_data(
            TensorData::new(values, dims),
            &self.device,
        ))
    }
}

/// Every parameter's values of `module`, in module order.
pub fn values<M: Module>(module: &M) -> Vec<f32> {
    struct Values(Vec<f32>);
    impl ModuleVisitor for Values {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.extend(param.val().into_data().iter::<f32>());
        }
    }
    let mut values = Values(Vec::new());
    module.visit(&mut values);
    values.0
}

/// `module` with `scale · by` added to its parameters, `by` holding one value per parameter in
/// module order (as [`values`] reads them).
pub fn shifted<M: Module>(module: M, by: &[f32], scale: f32) -> M {
    struct Shift<'a> {
        by: &'a [f32],
        scale: f32,
        at: usize,
    }
    impl ModuleMapper for Shift<'_> {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            param.map(|t| {
                let dims = t.dims();
                let n: usize = dims.iter().product();
                let step: Vec<f32> = self.by[self.at..self.at + n]
                    .iter()
                    .map(|v| v * self.scale)
                    .collect();
                self.at += n;
                let device = t.device();
                t + Tensor::from_data(TensorData::new(step, dims), &device)
            })
        }
    }
    let mut shift = Shift { by, scale, at: 0 };
    let shifted = module.map(&mut shift);
    assert_eq!(shift.at, by.len(), "one value per parameter");
    shifted
}

/// A model that reads rows of tokens and gives the next token's logits at every position
/// (position i's logits predict token i + 1): what [`crate::charlm::lm::Trainer`] trains.
pub trait Lm: Module {
    /// Logits `[batch, positions, symbols]` for tokens `[batch, positions]`.
    fn logits(&self, tokens: Tensor<2, Int>) -> Tensor<3>;
}

/// A model's shape, from which a seeded model is built.
pub trait Shape {
    /// The model it builds.
    type Model: Lm;
    /// The model on `device`, its weights drawn from `seed` alone.
    fn init(&self, seed: u64, device: &Device) -> Self::Model;
}

impl Shape for CharLmConfig {
    type Model = CharLm;
    fn init(&self, seed: u64, device: &Device) -> CharLm {
        CharLmConfig::init(self, seed, device)
    }
}

impl Lm for CharLm {
    fn logits(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        self.forward(tokens)
    }
}

/// A char-LM: embedding table, GRU, output layer.
#[derive(Module, Debug)]
pub struct CharLm {
    embed: Embedding,
    gru: Gru,
    head: Linear,
}

impl CharLm {
    /// Logits `[batch, positions, symbols]` for tokens `[batch, positions]`, from a zero
    /// state: position i's logits predict token i + 1.
    pub fn forward(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        let x = self.embed.forward(tokens); // [batch, positions, embed]
        let (h, _) = cell::forward(&self.gru, x, None); // [batch, positions, hidden]
        self.head.forward(h) // [batch, positions, symbols]
    }

    /// Symbols it reads and writes.
    pub fn symbols(&self) -> usize {
        self.head.weight.dims()[1]
    }

    /// FNV-1a over every parameter as little-endian f32, in module order: what a shipped
    /// model's file records so that damage to its numbers is caught on load.
    pub fn checksum(&self) -> u64 {
        let bytes: Vec<u8> = values(self).iter().flat_map(|v| v.to_le_bytes()).collect();
        checksum::fnv1a(&bytes)
    }

    /// Its weights as a [`crate::charlm::stack::Stack`] holds a student's (see [`Parts`]).
    pub(crate) fn parts(&self) -> Parts {
        let gates = [
            &self.gru.update_gate,
            &self.gru.reset_gate,
            &self.gru.new_gate,
        ];
        let (wx, bx) = cell::joined(gates.map(|g| &g.input_transform));
        let (wh, bh) = cell::joined(gates.map(|g| &g.hidden_transform));
        let bias = |b: Option<Tensor<1>>| b.expect("a char-LM's layers have biases");
        Parts {
            embed: self.embed.weight.val(),
            wx,
            bx: bias(bx),
            wh,
            bh: bias(bh),
            head: self.head.weight.val(),
            bias: bias(self.head.bias.as_ref().map(|b| b.val())),
        }
    }

    /// This model's shape with the weights `parts` (on their device).
    pub(crate) fn with_parts(mut self, parts: Parts) -> Self {
        let h = self.gru.d_hidden;
        let third = |t: &Tensor<2>, g: usize| {
            let rows = t.dims()[0];
            Param::from_tensor(t.clone().slice([0..rows, g * h..(g + 1) * h]))
        };
        let third_bias =
            |t: &Tensor<1>, g: usize| Param::from_tensor(t.clone().narrow(0, g * h, h));
        let gates = [
            &mut self.gru.update_gate,
            &mut self.gru.reset_gate,
            &mut self.gru.new_gate,
        ];
        for (g, gate) in gates.into_iter().enumerate() {
            gate.input_transform.weight = third(&parts.wx, g);
            gate.input_transform.bias = Some(third_bias(&parts.bx, g));
            gate.hidden_transform.weight = third(&parts.wh, g);
            gate.hidden_transform.bias = Some(third_bias(&parts.bh, g));
        }
        self.embed.weight = Param::from_tensor(parts.embed);
        self.head.weight = Param::from_tensor(parts.head);
        self.head.bias = Some(Param::from_tensor(parts.bias));
        self
    }

    /// The next-token logits `[batch, symbols]` after one more token each, and the new state.
    fn step(&self, tokens: Tensor<2, Int>, state: Option<Tensor<2>>) -> (Tensor<2>, Tensor<2>) {
        let x = self.embed.forward(tokens); // [batch, 1, embed]
        let (_, h) = cell::forward(&self.gru, x, state); // [batch, hidden]
        (self.head.forward(h.clone()), h)
    }

    /// The state after reading `prompts` (all of one length) in one pass; none without any.
    fn read(&self, prompts: &[Vec<u8>], device: &Device) -> Option<Tensor<2>> {
        let first = prompts.first()?;
        let count = prompts.len();
        let rows: Vec<&[u8]> = prompts.iter().map(Vec::as_slice).collect();
        let x = self
            .embed
            .forward(inputs(&rows, device).slice([0..count, 0..first.len()]));
        Some(cell::forward(&self.gru, x, None).1)
    }
}

/// A char-LM's weights grouped as its arithmetic uses them: the embedding table
/// `[symbols, embed]`; the three gates' input and hidden products side by side (update, reset,
/// new), `[embed, 3·hidden]` and `[hidden, 3·hidden]`, with their biases `[3·hidden]`; the
/// output layer `[hidden, symbols]` and its bias `[symbols]`.
pub(crate) struct Parts {
    pub embed: Tensor<2>,
    pub wx: Tensor<2>,
    pub bx: Tensor<1>,
    pub wh: Tensor<2>,
    pub bh: Tensor<1>,
    pub head: Tensor<2>,
    pub bias: Tensor<1>,
}

/// What sampling adds to a model's logits before each draw: a watermark, a fingerprint, or
/// nothing ([`Plain`]). A closure over (the row so far, the logits) is one.
pub trait Bias {
    /// A second model read in lockstep with the sampled one, whose next-token probabilities
    /// [`Bias::add`] is handed at each step.
    fn guide(&self) -> Option<&CharLm> {
        None
    }

    /// Called once a step, before that step's [`Bias::add`]s, with every row read so far (its
    /// prompt and what it has written) and which rows have ended (they get no [`Bias::add`]):
    /// values it returns, as many per row, are handed to [`Bias::add`] as `guide` in place of
    /// a guide model's.
    fn look(
        &mut self,
        _prompts: &[Vec<u8>],
        _written: &[&[u8]],
        _ended: &[bool],
    ) -> Option<Vec<f32>> {
        None
    }

    /// Adds to `row`, the logits after `prefix`; `guide` holds the guide's next-token
    /// probabilities there, or what [`Bias::look`] gave (empty without either).
    fn add(&mut self, prefix: &[u8], guide: &[f32], row: &mut [f32]);
}

/// Sampling as the model has it.
pub struct Plain;

impl Bias for Plain {
    fn add(&mut self, _: &[u8], _: &[f32], _: &mut [f32]) {}
}

impl<F: FnMut(&[u8], &mut [f32])> Bias for F {
    fn add(&mut self, prefix: &[u8], _: &[f32], row: &mut [f32]) {
        self(prefix, row)
    }
}

/// Token rows `[rows, positions]` that a model reads, `positions` the longest row's tokens
/// plus one: the end marker, then each row's tokens, padded with end markers.
pub fn inputs(names: &[&[u8]], device: &Device) -> Tensor<2, Int> {
    let positions = names.iter().map(|n| n.len()).max().unwrap_or(0) + 1;
    let mut rows = vec![i64::from(END); names.len() * positions];
    for (i, name) in names.iter().enumerate() {
        for (j, &t) in name.iter().enumerate() {
            rows[i * positions + j + 1] = i64::from(t);
        }
    }
    Tensor::from_data(TensorData::new(rows, [names.len(), positions]), device)
}

/// Writes `count` rows with `model` on the plain device, each continuing its `prompts` row
/// (the same for all when there is one, none when empty): each step turns the logits into
/// next-token weights through `bias` (see [`Bias`]; [`Plain`] for plain sampling) and draws
/// from softmax(logits) with `rng`. Each row
/// stops at the end marker or after `max_len` tokens written. Returns the rows written
/// (without their prompt) and, per row, the model's own distribution at each of its tokens,
/// before `bias` (`symbols` values per token).
pub fn sample(
    model: &CharLm,
    count: usize,
    max_len: usize,
    rng: &mut Rng,
    device: &Device,
    bias: impl Bias,
) -> Vec<(Vec<u8>, Vec<f32>)> {
    continue_rows(model, &[], count, max_len, device, |p| draw(p, rng), bias)
}

/// Greedy continuations of each row of `prompts` (the most likely token at every step; ties
/// to the lower token), at most `max_len` tokens each, without the end marker.
pub fn greedy(
    model: &CharLm,
    prompts: &[Vec<u8>],
    max_len: usize,
    device: &Device,
) -> Vec<Vec<u8>> {
    let argmax = |p: &[f32]| {
        let mut best = 0;
        for (t, &q) in p.iter().enumerate() {
            if q > p[best] {
                best = t;
            }
        }
        best as u8
    };
    continue_rows(
        model,
        prompts,
        prompts.len(),
        max_len,
        device,
        argmax,
        Plain,
    )
    .into_iter()
    .map(|(row, _)| row)
    .collect()
}

/// Samples of `model` continuing `prompts` (see [`sample`]), drawing each token with `pick`.
pub fn continue_rows(
    model: &CharLm,
    prompts: &[Vec<u8>],
    count: usize,
    max_len: usize,
    device: &Device,
    mut pick: impl FnMut(&[f32]) -> u8,
    mut bias: impl Bias,
) -> Vec<(Vec<u8>, Vec<f32>)> {
    let symbols = model.symbols();
    let mut out: Vec<(Vec<u8>, Vec<f32>)> = vec![(Vec::new(), Vec::new()); count];
    if count == 0 {
        return out;
    }
    let mut done = vec![false; count];
    let guide = bias.guide().cloned();
    let mut last = vec![i64::from(END); count];
    let mut state = model.read(prompts, device);
    let mut guide_state = guide.as_ref().and_then(|g| g.read(prompts, device));
    if let Some(first) = prompts.first() {
        debug_assert!(prompts.iter().all(|p| p.len() == first.len()));
        last = prompts.iter().map(|p| i64::from(p[p.len() - 1])).collect();
    }
    for _ in 0..=max_len {
        let tokens: Tensor<2, Int> =
            Tensor::from_data(TensorData::new(last.clone(), [count, 1]), device);
        let written: Vec<&[u8]> = out.iter().map(|(w, _)| w.as_slice()).collect();
        let looked = bias.look(prompts, &written, &done);
        let guided: Vec<f32> = match (looked, &guide) {
            (Some(values), _) => values,
            (None, Some(g)) => {
                let (logits, h) = g.step(tokens.clone(), guide_state);
                guide_state = Some(h);
                let logits: Vec<f32> = logits.into_data().iter::<f32>().collect();
                logits.chunks_exact(symbols).flat_map(softmax).collect()
            }
            (None, None) => Vec::new(),
        };
        let (logits, h) = model.step(tokens, state);
        state = Some(h);
        let logits: Vec<f32> = logits.into_data().iter::<f32>().collect();
        for (i, row) in logits.chunks_exact(symbols).enumerate() {
            if done[i] {
                continue;
            }
            let (name, dists) = &mut out[i];
            let mut row = row.to_vec();
            if name.len() == max_len {
                // A name at the longest length can only end.
                row.iter_mut().skip(1).for_each(|v| *v = f32::NEG_INFINITY);
            }
            dists.extend(softmax(&row));
            let width = guided.len() / count;
            let guided = &guided[i * width..(i + 1) * width];
            bias.add(name, guided, &mut row);
            let token = pick(&softmax(&row));
            if token == END {
                done[i] = true;
            } else {
                name.push(token);
            }
            last[i] = i64::from(token);
        }
        if done.iter().all(|&d| d) {
            break;
        }
    }
    out
}

/// softmax of one row of logits, in f32 (−∞ gives exactly 0).
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let m = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = logits.iter().map(|&z| (z - m).exp()).collect();
    let sum: f32 = e.iter().sum();
    e.iter().map(|v| v / sum).collect()
}

/// A token drawn from probabilities `p`.
pub fn draw(p: &[f32], rng: &mut Rng) -> u8 {
    let u = rng.uniform();
    let mut acc = 0.0;
    for (t, &q) in p.iter().enumerate() {
        acc += q;
        if u < acc {
            return t as u8;
        }
    }
    // Rounding left u above the running sum: the last token with any mass.
    p.iter().rposition(|&q| q > 0.0).unwrap_or(0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chat's alphabet: the end marker and `a`–`z`.
    const SYMBOLS: usize = 27;

    #[test]
    fn sizes_match_the_stated_counts() {
        let device = Device::flex();
        for (config, n) in [
            (CharLmConfig::new(SYMBOLS, 32, 128), 66_555),
            (CharLmConfig::new(SYMBOLS, 8, 16), 1_923),
            (CharLmConfig::new(SYMBOLS, 8, 32), 5_139),
        ] {
            assert_eq!(config.num_params(), n);
            assert_eq!(config.init(1, &device).num_params(), n);
        }
    }

    #[test]
    fn init_is_seeded_and_forward_has_the_right_shape() {
        let device = Device::flex();
        let config = CharLmConfig::new(SYMBOLS, 8, 16);
        let a = config.init(3, &device);
        assert_eq!(a.checksum(), config.init(3, &device).checksum());
        assert_ne!(a.checksum(), config.init(4, &device).checksum());
        let names: Vec<&[u8]> = vec![&[1, 2], &[3]];
        let logits = a.forward(inputs(&names, &device));
        assert_eq!(logits.dims(), [2, 3, SYMBOLS]);
        assert_eq!(a.symbols(), SYMBOLS);
    }

    #[test]
    fn sampling_follows_the_biased_distribution() {
        let device = Device::flex();
        let model = CharLmConfig::new(SYMBOLS, 8, 16).init(5, &device);
        // A bias that forbids everything but `b` and the end marker writes only b's.
        let only_b = |_: &[u8], row: &mut [f32]| {
            for (t, v) in row.iter_mut().enumerate() {
                if t != 0 && t != 2 {
                    *v = f32::NEG_INFINITY;
                }
            }
        };
        let names = sample(&model, 50, 13, &mut Rng::new(1), &device, only_b);
        assert!(names.iter().all(|(n, _)| n.iter().all(|&t| t == 2)));
        for (name, dists) in &names {
            assert!(name.len() <= 13);
            // One distribution per token written, the end marker included.
            let written = dists.len() / SYMBOLS;
            assert!(written == name.len() + 1);
            assert!(
                dists
                    .chunks(SYMBOLS)
                    .all(|p| (p.iter().sum::<f32>() - 1.0).abs() < 1e-5)
            );
        }
    }

    #[test]
    fn a_prompt_read_at_once_continues_as_if_read_token_by_token() {
        let device = Device::flex();
        let model = CharLmConfig::new(SYMBOLS, 8, 16).init(7, &device);
        let prompts = vec![vec![3, 1, 20], vec![4, 15, 7]];
        let at_once = greedy(&model, &prompts, 6, &device);
        for (prompt, got) in prompts.iter().zip(&at_once) {
            // The same continuation, one token at a time from the full forward pass.
            let mut row = prompt.clone();
            let mut want = Vec::new();
            for _ in 0..=6 {
                let logits = model.forward(inputs(&[row.as_slice()], &device));
                let last: Vec<f32> = logits
                    .slice([0..1, row.len()..row.len() + 1, 0..SYMBOLS])
                    .into_data()
                    .iter::<f32>()
                    .collect();
                let token = (0..SYMBOLS).fold(0, |b, t| if last[t] > last[b] { t } else { b });
                if token == usize::from(END) || want.len() == 6 {
                    break;
                }
                want.push(token as u8);
                row.push(token as u8);
            }
            assert_eq!(got, &want);
        }
    }
}
