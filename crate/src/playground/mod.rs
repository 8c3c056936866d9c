//! Chapter 1, the playground: a teacher learns 2-D data, then a distilled student and a
//! hard-label twin learn from it.

pub mod dataset;
pub mod grid;
pub mod trainer;
