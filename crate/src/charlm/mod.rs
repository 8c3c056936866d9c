//! Character-level language models, shared by every chapter that writes text: the model
//! (Embedding → GRU → Linear, [`model`], its GRU run by [`cell`]; a small causal transformer,
//! [`transformer`]), the loss, Adam loop and held-out figures they train and are measured
//! with ([`lm`]; students of one shape trained side by side, [`stack`]), and a shipped
//! teacher's file ([`weights`]).

pub mod cell;
pub mod lm;
pub mod model;
pub mod stack;
pub mod transformer;
pub mod weights;
