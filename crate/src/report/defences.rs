//! `distill report --experiment defences`: what the owner can do, each defence beside its
//! control, on both APIs that sell text: the chat API's marks ([`marks`]) and the reasoner
//! API's defences ([`frontier`]). Writes defences.md and each half's CSV and chart.

use crate::chat::study::ChatConfig;
use crate::config::Config;
use crate::reasoner::defence::Policy;
use crate::reasoner::study::ReasonerConfig;
use crate::report::{frontier, marks};
use std::path::Path;

/// Which halves a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// The chat API's marks.
    Chat,
    /// The reasoner API's defences.
    Reasoner,
}

impl Half {
    /// The half `defences:NAME` names.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "chat" => Some(Half::Chat),
            "reasoner" => Some(Half::Reasoner),
            _ => None,
        }
    }
}

/// Runs the halves `only` names (both for none) for `seeds` seeds from `config`'s seed, with
/// `config`'s chat and reasoner knobs (its δ and its reasoner policy are the page's, marked on
/// the charts), and writes defences.md into `out`; returns the Markdown.
pub fn write(
    config: &Config,
    only: Option<Half>,
    seeds: u64,
    out: &Path,
    log: impl Fn(&str) + Sync,
) -> Result<String, String> {
    let mut md = String::from("# What the owner can do, each defence beside its control\n\n");
    if only != Some(Half::Reasoner) {
        let chat = ChatConfig::from_config(config);
        md += &marks::write(&chat, seeds, config.chat_delta, out, &log)?;
        md += "\n";
    }
    if only != Some(Half::Chat) {
        let reasoner = ReasonerConfig::from_config(config);
        let page = Policy::from_config(config);
        md += &frontier::write(&reasoner, seeds, page, out, &log)?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let path = out.join("defences.md");
    std::fs::write(&path, &md).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(md)
}
