//! The GRU of every char-LM, run in as few tensor operations as its arithmetic allows: burn's
//! `Gru` steps each position with six products and a write into its output, so a step of a
//! small model is mostly per-operation overhead. Here the three gates' input products of every
//! position are one product before the loop, their hidden products one product per position,
//! the update and reset gates one activation, and the positions are stacked once at the end.
//! The weights are the `Gru`'s own (the files do not change), and every value is computed by
//! the same operations in the same order, so outputs are the same bit for bit.

use burn::nn::Linear;
use burn::nn::gru::Gru;
use burn::tensor::Tensor;

/// The three gates' weights and biases side by side (update, reset, new), as `[in, 3·hidden]`
/// and `[3·hidden]`.
pub(crate) fn joined(linears: [&Linear; 3]) -> (Tensor<2>, Option<Tensor<1>>) {
    let weight = Tensor::cat(linears.iter().map(|l| l.weight.val()).collect(), 1);
    let bias = linears
        .iter()
        .map(|l| l.bias.as_ref().map(|b| b.val()))
        .collect::<Option<Vec<_>>>()
        .map(|b| Tensor::cat(b, 0));
    (weight, bias)
}

/// `gru` over `x` (`[batch, positions, input]`) from `state` (zeros without one): the hidden
/// state at every position (`[batch, positions, hidden]`) and at the last.
pub fn forward(gru: &Gru, x: Tensor<3>, state: Option<Tensor<2>>) -> (Tensor<3>, Tensor<2>) {
    let [batch, positions, input] = x.dims();
    let h = gru.d_hidden;
    let gates = [&gru.update_gate, &gru.reset_gate, &gru.new_gate];
    let (wx, bx) = joined(gates.map(|g| &g.input_transform));
    let (wh, bh) = joined(gates.map(|g| &g.hidden_transform));
    let add = |t: Tensor<2>, b: &Option<Tensor<1>>| match b {
        Some(b) => t + b.clone().unsqueeze(),
        None => t,
    };
    // Every position's input part of every gate, in one product.
    let xs = add(x.reshape([batch * positions, input]).matmul(wx), &bx).reshape([
        batch,
        positions,
        3 * h,
    ]);
    let mut hidden = state.unwrap_or_else(|| Tensor::zeros([batch, h], &xs.device()));
    let mut out = Vec::with_capacity(positions);
    for t in 0..positions {
        let xt = xs
            .clone()
            .slice([0..batch, t..t + 1])
            .reshape([batch, 3 * h]);
        let ht = add(hidden.clone().matmul(wh.clone()), &bh);
        // The update and reset gates together: z = σ(x·Wz + bz + h·Uz + cz), r likewise.
        let zr = gru.gate_activation.forward(
            xt.clone().slice([0..batch, 0..2 * h]) + ht.clone().slice([0..batch, 0..2 * h]),
        );
        let z = zr.clone().slice([0..batch, 0..h]);
        let r = zr.slice([0..batch, h..2 * h]);
        // The candidate, the reset applied after the hidden product: n = tanh(x·Wn + bn + r ⊙ (h·Un + cn)).
        let n = gru.hidden_activation.forward(
            xt.slice([0..batch, 2 * h..3 * h]) + r.mul(ht.slice([0..batch, 2 * h..3 * h])),
        );
        // h = (1 − z) ⊙ n + z ⊙ h, written as burn writes it.
        let one_minus_z = z.clone().neg().add_scalar(1.0);
        hidden = n.mul(one_minus_z) + z.mul(hidden);
        out.push(hidden.clone());
    }
    (Tensor::stack(out, 1), hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::lm::flat_gradient;
    use crate::charlm::model::Draw;
    use crate::rng::Rng;
    use burn::module::Module;
    use burn::nn::gru::GruConfig;
    use burn::tensor::{Device, TensorData};

    /// A GRU with seeded weights, and a seeded input and state.
    fn gru(device: &Device) -> (Gru, Tensor<3>, Tensor<2>) {
        let gru = GruConfig::new(8, 12, true)
            .init(device)
            .map(&mut Draw::new(5, device));
        let mut rng = Rng::new(3);
        let mut data = |n: usize| -> Vec<f32> { (0..n).map(|_| rng.range(-1.0, 1.0)).collect() };
        let x = Tensor::from_data(TensorData::new(data(5 * 7 * 8), [5, 7, 8]), device);
        let s = Tensor::from_data(TensorData::new(data(5 * 12), [5, 12]), device);
        (gru, x, s)
    }

    #[test]
    fn the_fused_gru_is_burns_bit_for_bit_with_the_same_gradients() {
        let device = Device::flex().autodiff();
        let (gru, x, s) = gru(&device);
        for state in [None, Some(s)] {
            let theirs = gru.forward(x.clone(), state.clone());
            let (ours, last) = forward(&gru, x.clone(), state);
            let [b, t, h] = theirs.dims();
            let theirs_last = theirs.clone().slice([0..b, t - 1..t]).reshape([b, h]);
            assert_eq!(ours.clone().into_data(), theirs.clone().into_data());
            assert_eq!(last.into_data(), theirs_last.into_data());
            // The same loss through each: the same gradient of every weight.
            let loss = |y: Tensor<3>| (y.clone() * y).sum();
            let g_ours = flat_gradient(&gru, loss(ours));
            let g_theirs = flat_gradient(&gru, loss(theirs));
            // Summed in another order (the joined weights' gradients are split back): equal to
            // within f32 rounding of the largest.
            let largest = g_theirs.iter().fold(0.0f32, |m, g| m.max(g.abs()));
            let worst = g_ours
                .iter()
                .zip(&g_theirs)
                .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
            assert!(
                largest > 0.0 && worst <= 1e-5 * largest,
                "{worst} of {largest}"
            );
        }
    }
}
