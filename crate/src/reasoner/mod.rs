//! Chapter 6, a reasoner: a model that adds by working each column out, behind an API that
//! shows its working, a summary of it, or the answer alone, and the small students that learn
//! from each.
//!
//! ```text
//! task: problems, their working, what each access shows ──► teacher (trained by the CLI)
//! teacher ──► study: the API writes worked answers; one student per access learns from them,
//!   measured on held-out problems as it learns
//! ```

pub mod defence;
pub mod frontier;
pub mod proxy;
pub mod study;
pub mod task;
pub mod teacher;
