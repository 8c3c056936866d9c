//! Character-level language models, shared by every chapter that writes text: the model
//! (Embedding → GRU → Linear, [`model`]), its GRU in few operations ([`gru`]), the loss,
//! Adam loop and held-out figures they train and are measured with ([`lm`]), and a shipped
//! teacher's file ([`weights`]).

pub mod gru;
pub mod lm;
pub mod model;
pub mod weights;
