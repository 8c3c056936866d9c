//! Chapter 5, a chatbot: a character-level language model of surnames behind an API, copied
//! through what the API shows (full distributions, the top k, the text alone) and caught by a
//! text watermark that its text carries into the copy.
//!
//! ```text
//! corpus (names.bin) ──► charlm: the teacher, trained by the CLI ──► weights (names-teacher.bpk)
//! teacher + mark (watermark: green list or ADFP) ──► api: names sold by the token as the
//!   students train, what the mark costs tallied (cost)
//!   ──► one Examples per access level ──► charlm::lm::Trainer: one student each
//!   ──► study: NLL, KL, watermark verdicts at every checkpoint
//! frontier: every mark's cost against its detection, over seeds (chat-marks.csv)
//! ```

pub mod api;
pub mod corpus;
pub mod cost;
pub mod frontier;
pub mod mark;
pub mod model;
pub mod study;
pub mod watermark;
