//! Students of one shape trained side by side as one set of tensors. A step of one small
//! char-LM is mostly per-operation overhead, so the chat's five students take one step
//! together: every weight gets a leading student axis, every product is a batched product
//! (one matrix product per student, each on its own slice), and the loss is the sum of the
//! students' own losses, so each student's gradient is its own and Adam, element by element,
//! steps each as if it trained alone. The students' batches are padded to the longest row
//! among them; padding adds exact zeros at the end of each of a student's sums, so its
//! arithmetic does not depend on who it is stacked with.

use crate::charlm::lm::{Examples, Training};
use crate::charlm::model::{CharLm, CharLmConfig, END, Parts};
use crate::learner::cosine;
use crate::rng::Rng;
use burn::module::{Module, Param};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::activation::{log_softmax, sigmoid};
use burn::tensor::{Device, Tensor, TensorData};

/// Every student's weights, the student first on each axis (see [`Parts`] for the rest).
#[derive(Module, Debug)]
pub struct Stack {
    embed: Param<Tensor<3>>,
    wx: Param<Tensor<3>>,
    bx: Param<Tensor<3>>,
    wh: Param<Tensor<3>>,
    bh: Param<Tensor<3>>,
    head: Param<Tensor<3>>,
    bias: Param<Tensor<3>>,
}

impl Stack {
    /// `models`' weights stacked, as fresh parameters on `device`.
    fn of(models: &[CharLm], device: &Device) -> Self {
        let parts: Vec<Parts> = models.iter().map(CharLm::parts).collect();
        fn param<const D: usize>(tensors: Vec<Tensor<D>>, device: &Device) -> Param<Tensor<3>> {
            let rows: Vec<Tensor<3>> = tensors
                .into_iter()
                .map(|t| {
                    let dims = t.dims();
                    let (r, c) = match *dims.as_slice() {
                        [c] => (1, c),
                        [r, c] => (r, c),
                        _ => unreachable!("weights are matrices and biases vectors"),
                    };
                    let values: Vec<f32> = t.into_data().iter::<f32>().collect();
                    Tensor::from_data(TensorData::new(values, [1, r, c]), device)
                })
                .collect();
            Param::from_tensor(Tensor::cat(rows, 0))
        }
        macro_rules! field {
            ($f:ident) => {
                param(parts.iter().map(|p| p.$f.clone()).collect(), device)
            };
        }
        Self {
            embed: field!(embed),
            wx: field!(wx),
            bx: field!(bx),
            wh: field!(wh),
            bh: field!(bh),
            head: field!(head),
            bias: field!(bias),
        }
    }

    /// Student `s`'s weights.
    fn parts(&self, s: usize) -> Parts {
        fn of(p: &Param<Tensor<3>>, s: usize) -> Tensor<2> {
            let [_, r, c] = p.dims();
            p.val().slice([s..s + 1, 0..r, 0..c]).reshape([r, c])
        }
        let vector = |p: &Param<Tensor<3>>| {
            let m = of(p, s);
            let n = m.dims()[1];
            m.reshape([n])
        };
        Parts {
            embed: of(&self.embed, s),
            wx: of(&self.wx, s),
            bx: vector(&self.bx),
            wh: of(&self.wh, s),
            bh: vector(&self.bh),
            head: of(&self.head, s),
            bias: vector(&self.bias),
        }
    }

    /// Every student's logits `[students, positions · rows, symbols]` for its one-hot tokens
    /// `[students, positions · rows, symbols]`, position-major (row r's position t at
    /// t · rows + r), each from a zero state.
    fn logits(&self, one_hot: Tensor<3>, rows: usize) -> Tensor<3> {
        let [students, cells, _] = one_hot.dims();
        let positions = cells / rows;
        let h = self.wh.dims()[1];
        // Each symbol's input projection, once; a position's inputs pick their rows from it
        // with their one-hot rows, which need no gradient. (Slicing one projection of every
        // position instead costs, per position, a zero tensor of that whole projection in the
        // backward pass: burn's gradient of a slice.)
        let table = self.embed.val().matmul(self.wx.val()); // [students, symbols, 3h]
        let bx = self.bx.val();
        let (wh, bh) = (self.wh.val(), self.bh.val());
        let mut hidden = Tensor::zeros([students, rows, h], &table.device());
        let mut out = Vec::with_capacity(positions);
        let all = 0..students;
        for t in 0..positions {
            let inputs = one_hot
                .clone()
                .slice([all.clone(), t * rows..(t + 1) * rows]);
            let xt = inputs.matmul(table.clone()) + bx.clone();
            let ht = hidden.clone().matmul(wh.clone()) + bh.clone();
            // The GRU of `cell`, every student at once: z and r in one activation, the reset
            // applied after the hidden product.
            let zr = sigmoid(
                xt.clone().slice([all.clone(), 0..rows, 0..2 * h])
                    + ht.clone().slice([all.clone(), 0..rows, 0..2 * h]),
            );
            let z = zr.clone().slice([all.clone(), 0..rows, 0..h]);
            let r = zr.slice([all.clone(), 0..rows, h..2 * h]);
            // tanh(a) as 2σ(2a) − 1: the same function, and σ's exponential is several
            // times cheaper than tanh (in native code and wasm alike).
            let n = sigmoid(
                (xt.slice([all.clone(), 0..rows, 2 * h..3 * h])
                    + r.mul(ht.slice([all.clone(), 0..rows, 2 * h..3 * h])))
                .mul_scalar(2.0),
            )
            .mul_scalar(2.0)
            .add_scalar(-1.0);
            // (1 − z) ⊙ n + z ⊙ h, as n + z ⊙ (h − n): two operations fewer.
            hidden = n.clone() + z.mul(hidden - n);
            out.push(hidden.clone());
        }
        Tensor::cat(out, 1).matmul(self.head.val()) + self.bias.val()
    }
}

/// Students of one shape, each with its own examples and batches, trained side by side
/// (see the module's comment): each is the student [`crate::charlm::lm::Trainer`] would train
/// from the same seed, up to f32 rounding.
pub struct Students {
    stack: Option<Stack>,
    shape: CharLmConfig,
    optim: ModuleOptimizer,
    /// One batch generator per student: each draws from what it has.
    rngs: Vec<Rng>,
    training: Training,
    done: usize,
    device: Device,
}

impl Students {
    /// `count` fresh students of `shape`, each seeded as a lone trainer of `training` would
    /// seed its model and batches, on the autodiff twin of `device`.
    pub fn new(shape: &CharLmConfig, count: usize, training: Training, device: &Device) -> Self {
        let autodiff = device.clone().autodiff();
        let models: Vec<CharLm> = (0..count)
            .map(|_| shape.init(training.seed, device))
            .collect();
        Self {
            stack: Some(Stack::of(&models, &autodiff)),
            shape: shape.clone(),
            optim: AdamConfig::new().init(),
            rngs: (0..count)
                .map(|_| Rng::fork(training.seed, "char-lm batches"))
                .collect(),
            training,
            done: 0,
            device: autodiff,
        }
    }

    /// Student `s` as it is now, for inference on the plain device.
    pub fn model(&self, s: usize) -> CharLm {
        let stack = self.stack.as_ref().expect("stack present").valid();
        let parts = stack.parts(s);
        self.shape.init(0, &parts.embed.device()).with_parts(parts)
    }

    /// `n` Adam steps of every student, student `s` on a batch drawn with replacement from the
    /// first `available` of its `examples` (at least one), as `data[s]` gives them.
    pub fn step_on_first(&mut self, data: &[(&Examples, usize)], n: usize) {
        assert_eq!(
            data.len(),
            self.rngs.len(),
            "one set of examples per student"
        );
        for _ in 0..n {
            let t = &self.training;
            let lr = cosine(t.lr, self.done, t.steps);
            let (one_hot, p) = self.batch(data);
            let stack = self.stack.take().expect("stack present");
            let s = stack.logits(one_hot, self.training.batch);
            let [students, cells, symbols] = s.dims();
            let log_q = log_softmax(
                s.reshape([students * cells, symbols])
                    .div_scalar(self.training.temperature),
                1,
            );
            let loss = (p.reshape([students * cells, symbols]) * log_q).sum();
            let grads = GradientsParams::from_grads(loss.backward(), &stack);
            self.stack = Some(self.optim.step(f64::from(lr), stack, grads));
            self.done += 1;
        }
    }

    /// Every student's next batch: one-hot inputs and targets, `[students, width · batch,
    /// symbols]` each, position-major, `width` the longest row's tokens plus one; each
    /// student's targets carry its loss's scale, −T² / (the positions it trains on), so that
    /// the stack's loss is the sum of the students'.
    fn batch(&mut self, data: &[(&Examples, usize)]) -> (Tensor<3>, Tensor<3>) {
        let (rows, symbols) = (self.training.batch, self.shape.symbols);
        let picks: Vec<Vec<usize>> = data
            .iter()
            .zip(&mut self.rngs)
            .map(|((examples, available), rng)| {
                let available = (*available).clamp(1, examples.names.len());
                (0..rows).map(|_| rng.below(available)).collect()
            })
            .collect();
        let longest = picks
            .iter()
            .zip(data)
            .flat_map(|(idx, (examples, _))| idx.iter().map(|&i| examples.names[i].len()))
            .max()
            .unwrap_or(0);
        let (width, temperature) = (longest + 1, self.training.temperature);
        let cells = width * rows;
        let mut x = vec![0.0; data.len() * cells * symbols];
        let mut p = vec![0.0; data.len() * cells * symbols];
        for (s, (idx, (examples, _))) in picks.iter().zip(data).enumerate() {
            let positions: usize = idx.iter().map(|&i| examples.trained[i]).sum();
            let scale = -temperature * temperature / positions.max(1) as f32;
            let at = |t: usize, r: usize| (s * cells + t * rows + r) * symbols;
            for (r, &i) in idx.iter().enumerate() {
                let name = &examples.names[i];
                for t in 0..width {
                    let token = match t {
                        0 => END,
                        _ => name.get(t - 1).copied().unwrap_or(END),
                    };
                    x[at(t, r) + usize::from(token)] = 1.0;
                }
                for (t, target) in examples.targets[i].chunks(symbols).enumerate() {
                    for (v, &q) in target.iter().enumerate() {
                        p[at(t, r) + v] = q * scale;
                    }
                }
            }
        }
        let dims = [data.len(), cells, symbols];
        let tensor = |v| Tensor::from_data(TensorData::new(v, dims), &self.device);
        (tensor(x), tensor(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::lm::Trainer;
    use crate::charlm::model::values;
    use crate::chat::corpus::{SYMBOLS, encode};

    fn examples(names: &[&str]) -> Examples {
        let rows = names.iter().map(|n| encode(n).unwrap()).collect();
        Examples::one_hot(rows, SYMBOLS)
    }

    fn training() -> Training {
        Training {
            steps: 30,
            batch: 8,
            lr: 0.02,
            temperature: 1.0,
            seed: 4,
        }
    }

    fn worst(a: &[f32], b: &[f32]) -> f32 {
        a.iter()
            .zip(b)
            .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()))
    }

    #[test]
    fn a_student_in_a_stack_trains_as_it_would_alone() {
        let device = Device::flex();
        let shape = crate::chat::model::student();
        let a = examples(&["anna", "anne", "annie", "hanna", "nan"]);
        let b = examples(&["bob", "bobby", "robert", "rob", "roberta", "bert"]);
        let mut alone = Trainer::new(&shape, training(), &device);
        let mut stacked = Students::new(&shape, 3, training(), &device);
        // Student 0 and 2 read `a` (0 all of it, 2 the first three), 1 reads `b`.
        for _ in 0..30 {
            alone.step(&a, 1);
            stacked.step_on_first(&[(&a, 5), (&b, 6), (&a, 3)], 1);
        }
        let (alone, first) = (values(&alone.model()), values(&stacked.model(0)));
        let largest = alone.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(
            worst(&alone, &first) <= 1e-4 * largest,
            "{}",
            worst(&alone, &first)
        );
        // The student's training moved it, and its companions went their own ways.
        let fresh = values(&shape.init(4, &device));
        assert!(worst(&fresh, &first) > 1e-2);
        assert!(worst(&values(&stacked.model(1)), &first) > 1e-2);
        assert!(worst(&values(&stacked.model(2)), &first) > 1e-2);
    }

    #[test]
    fn a_students_arithmetic_does_not_depend_on_its_companions() {
        let device = Device::flex();
        let shape = crate::chat::model::student();
        let a = examples(&["anna", "anne", "annie", "hanna", "nan"]);
        let b = examples(&["maximilianus", "bo"]);
        let mut one = Students::new(&shape, 1, training(), &device);
        let mut two = Students::new(&shape, 2, training(), &device);
        one.step_on_first(&[(&a, 5)], 10);
        two.step_on_first(&[(&b, 2), (&a, 5)], 10);
        assert_eq!(values(&one.model(0)), values(&two.model(1)));
    }
}
