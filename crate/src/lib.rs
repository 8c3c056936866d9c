//! Distillation Playground's core: a small student network learns to imitate a bigger teacher
//! from its softened class probabilities (Hinton, Vinyals & Dean 2015). The crate tells the
//! page's story chapter by chapter, each in a folder of its own, on shared machinery.
//!
//! ```text
//! shared   config (every knob, one table) · model (burn MLP) · distill (the loss) · learner
//!          (model + Adam) · metrics · rng · checksum · framed (the data files' frame) ·
//!          weights (the teachers' files: burnpack, checksummed)
//!
//! 1 playground   dataset ──► trainer: phase 1 teacher ← labels
//!                grid          phase 2 distilled student ← distill::loss(teacher, T)
//!                              hard-label student ← same loss, soft weight 0      ──► Metrics
//! 2 api          the trained teacher behind format · account · detector
//!                ──► extraction: one thief per response format ──► ExtractionMetrics
//! 3 evidence     watermark (in the API's answers) · fingerprint (in the teacher's quirks)
//!                ──► investigation: suspects and reference models ──► verdicts
//! 4 digits       data (UCI 8×8) ──► study runs an experiment (Hinton et al.'s section 3)
//!                ──► outcome: test errors side by side
//!                weights (the shipped teacher, burnpack f16, checksummed)
//! 5 chat         corpus (census surnames) ──► a GRU char-LM teacher behind an API selling
//!                names by the token, watermarked ──► one student per access level ──► study
//!
//! views    plot/ (every chart, any plotters backend) · table (the page's CSV) · report/ (the CLI, one per chapter,
//!          native) · web/ (the browser boundary, one file per chapter, wasm32)
//! ```
//!
//! Dependencies point one way, file by file: shared ← chapters ← views. A chapter builds on
//! the ones before it (the API and evidence chapters examine the playground's trained
//! teacher); the one reference forward is the watermark, defined beside the test that detects
//! it and applied by the API's answers. `config` names the choices its knobs offer (`Scenario`, `Source`, `Activation`),
//! which live beside the code that gives them meaning; no file they live in imports `config`.
//! Everything but `web` is pure and native-testable.

#![warn(missing_docs)]

// Shared machinery, used by every chapter.
pub mod charlm;
pub mod checksum;
pub mod config;
pub mod distill;
pub mod framed;
mod learner;
pub mod measured;
pub mod metrics;
pub mod model;
pub mod rng;
pub mod weights;
pub mod words;

// The chapters, in the page's order; each depends only on the shared machinery and on the
// chapters before it.
pub mod api;
pub mod chat;
pub mod digits;
pub mod evidence;
pub mod playground;
pub mod reasoner;

// Each chapter's lesson: the setting where its effect shows, measured.
pub mod lesson;

// Views of every chapter: plots (SVG natively, canvas in the page), the command line's
// reports, and the browser boundary.
pub mod plot;
#[cfg(not(target_arch = "wasm32"))]
pub mod report;
pub mod table;
#[cfg(target_arch = "wasm32")]
pub mod web;
