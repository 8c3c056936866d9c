//! Chapter 4, real digits: the UCI 8×8 handwriting, Hinton et al.'s section-3 experiments,
//! and the shipped teacher's weights.
//!
//! ```text
//! data        the digits, split, and the page's sketch made into one
//! experiment  which experiment, and the settings it runs under (StudyConfig)
//! study       the engine: teacher, then students side by side, a step at a time
//! outcome     what a study measures: errors per model, one digit's answers
//! weights     the shipped teacher's file
//! ```

pub mod data;
pub mod experiment;
pub mod outcome;
pub mod study;
pub mod weights;
