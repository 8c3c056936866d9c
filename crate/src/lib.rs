//! Distillation Playground's core: a small student network learns to imitate a bigger teacher
//! from its softened class probabilities (Hinton, Vinyals & Dean 2015).
//!
//! ```text
//! config ──► dataset ──► trainer ──► metrics ──► plot
//!   (knobs)   (points)    │  phase 1: teacher ← labels          (SVG natively,
//!                         │  phase 2: distilled student ← distill::loss(teacher)   canvas in web)
//!                         │           hard-label student ← same loss, soft weight 0
//!                         └─ model (burn MLP), grid (dense plane for maps and agreement)
//!
//! digits (UCI 8×8 handwriting) ──► hinton::Study: teacher (or weights, the shipped one)
//!                                   ──► students per experiment ──► Outcome ──► plot::study
//!                                   (CLI: replication; page: web::digits)
//! ```
//!
//! Everything here is pure and native-testable; only `web` (wasm32) touches the browser.

pub mod api;
#[cfg(not(target_arch = "wasm32"))]
pub mod casebook;
pub mod checksum;
pub mod config;
pub mod dataset;
pub mod digits;
pub mod distill;
pub mod evidence;
pub mod extraction;
pub mod grid;
pub mod hinton;
pub mod investigation;
mod learner;
pub mod metrics;
pub mod model;
pub mod plot;
#[cfg(not(target_arch = "wasm32"))]
pub mod replication;
#[cfg(not(target_arch = "wasm32"))]
pub mod report;
pub mod rng;
#[cfg(not(target_arch = "wasm32"))]
pub mod sweep;
pub mod trainer;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod weights;
