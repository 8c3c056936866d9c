//! Chapter 5's lesson on one seed: every thief of the chat API side by side, on the shipped
//! teacher and names.

use crate::charlm::model::CharLm;
use crate::chat::api::Access;
use crate::chat::study::{self, ChatConfig, Outcome};
use crate::config::Config;
use burn::tensor::Device;

/// A round of `config` to the end, every access level, on `teacher` and the split names.
pub fn round(config: &Config, teacher: &CharLm, train: &[Vec<u8>], held: &[Vec<u8>]) -> Outcome {
    let chat = ChatConfig::from_config(config);
    study::run(teacher, train, held, &chat, &Access::ALL, &Device::flex())
}

/// The three parts of the lesson, each true when it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// The full-distribution thief ends closer to the teacher (KL) than the student of as
    /// many tokens of real names.
    pub logprobs_beat_text: bool,
    /// Top-k with the rest spread ends closer to the teacher than top-k renormalised.
    pub spread_beats_renormalised: bool,
    /// The owner's key catches the text-only thief and not the student of real names, and a
    /// wrong key catches nobody.
    pub text_thief_caught: bool,
}

impl Shown {
    /// Reads the lesson off a finished round of every access level.
    pub fn of(outcome: &Outcome) -> Self {
        let of = |access| {
            outcome
                .thieves
                .iter()
                .find(|t| t.access == access)
                .expect("every access level")
        };
        let kl = |access| of(access).last().kl;
        Self {
            logprobs_beat_text: kl(Access::Full) < kl(Access::Corpus),
            spread_beats_renormalised: kl(Access::Spread) < kl(Access::Renormalised),
            text_thief_caught: of(Access::Text).caught
                && !of(Access::Corpus).caught
                && outcome
                    .thieves
                    .iter()
                    .all(|t| t.wrong_key.p >= outcome.alpha),
        }
    }

    /// Whether all three show.
    pub fn all(&self) -> bool {
        self.logprobs_beat_text && self.spread_beats_renormalised && self.text_thief_caught
    }
}
