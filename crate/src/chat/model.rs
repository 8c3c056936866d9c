//! The chat's char-LMs: the shapes of its teacher and students over the 27 symbols of
//! [`crate::chat::corpus`].

use crate::charlm::model::CharLmConfig;
use crate::charlm::weights::Kind;
use crate::chat::corpus::SYMBOLS;

/// The teacher's file's name in `www/data/`, as messages name it.
pub const FILE: &str = "names-teacher.bpk";

/// The teacher's file.
pub const TEACHER: Kind = Kind {
    label: "distill names teacher",
    symbols: SYMBOLS,
    rebuild: "distill chat-teacher",
};

/// The shape of a chat model with `embed`-wide embeddings and `hidden` GRU units.
pub fn shape(embed: usize, hidden: usize) -> CharLmConfig {
    CharLmConfig::new(SYMBOLS, embed, hidden)
}

/// The teacher: 66,555 parameters.
pub fn teacher() -> CharLmConfig {
    shape(32, 128)
}

/// A student of 16 units: 1,923 parameters, 35× fewer than the teacher (the page's default
/// has 32 units, `chat_student`).
pub fn student() -> CharLmConfig {
    shape(8, 16)
}
