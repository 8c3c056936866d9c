//! Chapter 4, real digits: the UCI 8×8 handwriting, Hinton et al.'s section-3 experiments,
//! and the shipped teacher's weights.

pub mod data;
pub mod study;
pub mod weights;
