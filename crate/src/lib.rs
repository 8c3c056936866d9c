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

// Shared machinery, used by every chapter.
pub mod checksum;
pub mod config;
pub mod distill;
mod learner;
pub mod metrics;
pub mod model;
pub mod rng;

// The chapters, in the page's order; each depends only on the shared machinery and on the
// chapters before it.
pub mod api;
pub mod digits;
pub mod evidence;
pub mod playground;

// Views of every chapter: plots (SVG natively, canvas in the page), the command line's
// reports, and the browser boundary.
pub mod plot;
#[cfg(not(target_arch = "wasm32"))]
pub mod report;
#[cfg(target_arch = "wasm32")]
pub mod web;
