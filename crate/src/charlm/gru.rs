//! A GRU run in few tensor operations, over the weights of burn's [`Gru`] (reset after the
//! hidden product, as PyTorch and `GruConfig`'s default do).
//!
//! burn's own forward computes each of the three gates with two products and two bias
//! additions per time step and writes every state into the output with `slice_assign`. On the
//! small models of this page each operation costs more in bookkeeping (autodiff graph, kernel
//! dispatch) than in arithmetic, so here the input projections of all time steps and all three
//! gates are one product before the loop, the hidden projection of the three gates is one
//! product per step, and the states are stacked once at the end:
//!
//! ```text
//! xi = x·[Wz Wr Wn]ᵢ + bᵢ                     (all steps at once)
//! hh = h·[Wz Wr Wn]ₕ + bₕ                     (one product per step)
//! z, r = σ(xi[z,r] + hh[z,r])
//! n = tanh(xi[n] + r ⊙ hh[n])
//! h' = n + z ⊙ (h − n)                       (= (1 − z) ⊙ n + z ⊙ h)
//! ```

use burn::nn::Linear;
use burn::nn::gru::Gru;
use burn::tensor::Tensor;

/// The weight `[in, 3·hidden]` and bias `[3·hidden]` of three linear maps side by side (the
/// update, reset and new gates' input or hidden transforms).
fn fused(linears: [&Linear; 3]) -> (Tensor<2>, Tensor<1>) {
    let weights = linears.iter().map(|l| l.weight.val()).collect();
    let biases = linears
        .iter()
        .map(|linear| match &linear.bias {
            Some(b) => b.val(),
            None => Tensor::zeros([linear.weight.dims()[1]], &linear.weight.device()),
        })
        .collect();
    (Tensor::cat(weights, 1), Tensor::cat(biases, 0))
}

/// The states `[batch, steps, hidden]` of `gru` reading `x` (`[batch, steps, input]`) from
/// `state` (zeros when `None`), and the last state `[batch, hidden]`: the same numbers as
/// `gru.forward`, in fewer operations.
pub fn forward(gru: &Gru, x: Tensor<3>, state: Option<Tensor<2>>) -> (Tensor<3>, Tensor<2>) {
    let [batch, steps, input] = x.dims();
    let h_dim = gru.d_hidden;
    let (u, r, n) = (&gru.update_gate, &gru.reset_gate, &gru.new_gate);
    let (wi, bi) = fused([&u.input_transform, &r.input_transform, &n.input_transform]);
    let (wh, bh) = fused([
        &u.hidden_transform,
        &r.hidden_transform,
        &n.hidden_transform,
    ]);
    let bh = bh.unsqueeze::<2>(); // [1, 3·hidden]
    let xi = (x.reshape([batch * steps, input]).matmul(wi) + bi.unsqueeze()).reshape([
        batch,
        steps,
        3 * h_dim,
    ]);
    let mut h = state.unwrap_or_else(|| Tensor::zeros([batch, h_dim], &xi.device()));
    let mut states = Vec::with_capacity(steps);
    for t in 0..steps {
        let xt = xi
            .clone()
            .slice([0..batch, t..t + 1])
            .reshape([batch, 3 * h_dim]);
        let hh = h.clone().matmul(wh.clone()) + bh.clone(); // [batch, 3·hidden]
        let zr = burn::tensor::activation::sigmoid(
            xt.clone().slice([0..batch, 0..2 * h_dim]) + hh.clone().slice([0..batch, 0..2 * h_dim]),
        );
        let z = zr.clone().slice([0..batch, 0..h_dim]);
        let r = zr.slice([0..batch, h_dim..2 * h_dim]);
        let n = (xt.slice([0..batch, 2 * h_dim..3 * h_dim])
            + r * hh.slice([0..batch, 2 * h_dim..3 * h_dim]))
        .tanh();
        h = n.clone() + z * (h - n);
        states.push(h.clone());
    }
    (Tensor::stack(states, 1), h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Module;
    use burn::nn::gru::GruConfig;
    use burn::tensor::{Device, Distribution};

    /// Largest absolute difference between two tensors' values.
    fn gap<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> f32 {
        (a - b).abs().max().into_scalar::<f32>()
    }

    #[test]
    fn same_states_and_gradients_as_burns_gru() {
        let device = Device::flex().autodiff();
        let gru = GruConfig::new(5, 7, true).init(&device);
        let x =
            Tensor::<3>::random([3, 4, 5], Distribution::Normal(0.0, 1.0), &device).require_grad();
        let h0 = Tensor::<2>::random([3, 7], Distribution::Normal(0.0, 0.5), &device);

        let reference = gru.forward(x.clone(), Some(h0.clone()));
        let (states, last) = forward(&gru, x.clone(), Some(h0.clone()));
        assert!(gap(reference.clone(), states.clone()) < 1e-5);
        assert!(gap(reference.clone().slice([0..3, 3..4]).reshape([3, 7]), last) < 1e-5);

        // The same loss through either path gives every weight the same gradient.
        let weights = Tensor::<3>::random([3, 4, 7], Distribution::Normal(0.0, 1.0), &device);
        let g_ref = (reference * weights.clone()).sum().backward();
        let g_ours = (states * weights).sum().backward();
        let mut compared = 0;
        for gate in [&gru.update_gate, &gru.reset_gate, &gru.new_gate] {
            for linear in [&gate.input_transform, &gate.hidden_transform] {
                let a = linear.weight.val().grad(&g_ref).unwrap();
                let b = linear.weight.val().grad(&g_ours).unwrap();
                assert!(gap(a, b) < 1e-4);
                let bias = linear.bias.as_ref().unwrap().val();
                assert!(gap(bias.grad(&g_ref).unwrap(), bias.grad(&g_ours).unwrap()) < 1e-4);
                compared += 2;
            }
        }
        assert_eq!(compared, 12);
        let gx = gap(x.grad(&g_ref).unwrap(), x.grad(&g_ours).unwrap());
        assert!(gx < 1e-4, "{gx}");
        // And without a state, on the plain device.
        let plain = gru.valid();
        let x = x.inner();
        assert!(gap(plain.forward(x.clone(), None), forward(&plain, x, None).0) < 1e-5);
        assert!(plain.num_params() > 0);
    }
}
