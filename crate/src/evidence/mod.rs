//! Catching a distilled copy. Two kinds of evidence, with different strength:
//!
//! - a keyed **watermark** in the API's soft answers, which a soft-label thief inherits and a
//!   one-sided exact binomial test detects (the green-list idea of Kirchenbauer et al. 2023
//!   moved to probability vectors; students inherit output watermarks, Gu et al. 2024,
//!   Sander et al. 2024);
//! - a **fingerprint** that leaves the teacher untouched (after Lukas et al. 2021): points
//!   where the teacher disagrees with every reference model, scored against an empirical null.

mod fingerprint;
pub mod investigation;
mod watermark;

pub use fingerprint::{FingerprintVerdict, Z_THRESHOLD, key_set, score};
pub use watermark::{
    ALPHA, CELLS, Watermark, WatermarkVerdict, binomial_tail, probe_points, verify,
};
