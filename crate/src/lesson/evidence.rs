//! Chapter 3's lesson on one seed: every suspect investigated side by side.

use crate::config::Config;
use crate::evidence::investigation::{Case, Investigation};
use crate::playground::trainer::Trainer;

/// Trains `config`'s teacher, then investigates every suspect; cases in
/// [`crate::evidence::investigation::SUSPECTS`] order.
pub fn investigate(config: &Config) -> Result<Vec<Case>, String> {
    let mut trainer = Trainer::new(config.clone())?;
    while trainer.teacher().is_none() && trainer.train(500) > 0 {}
    let mut investigation = Investigation::new(&trainer, config.clone())?;
    while investigation.step(500) < 1.0 {}
    Ok(investigation.cases())
}

/// The lesson: the owner's key flags the copy distilled from the watermarked API (the first
/// suspect) and no other suspect, and a wrong key flags none.
pub fn holds(cases: &[Case]) -> bool {
    cases.first().is_some_and(|c| c.watermark.flagged)
        && cases.iter().skip(1).all(|c| !c.watermark.flagged)
        && cases.iter().all(|c| !c.wrong_key.flagged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::EVIDENCE;

    #[test]
    fn the_watermark_flags_the_copy_and_nothing_else() {
        // One seed (2, where `report --experiment evidence` measured p 3.5e-10): an
        // investigation trains fifteen models.
        let config = Config {
            seed: 2,
            ..EVIDENCE.config()
        };
        let cases = investigate(&config).unwrap();
        assert!(holds(&cases), "{cases:?}");
        // Far past α = 0.001, so a small change cannot tip it.
        assert!(cases[0].watermark.p_value < 1e-6, "{cases:?}");
    }

    /// The counter-case's sentence, "the copy is not always caught": with 16-neuron copies
    /// and δ 0.3, seed 1's copy of the watermarked API goes unflagged (as
    /// `report --experiment lessons:evidence` measured it).
    #[test]
    fn a_faint_watermark_in_small_copies_is_not_always_caught() {
        let config = Config {
            seed: 1,
            ..EVIDENCE.counter_config()
        };
        let cases = investigate(&config).unwrap();
        assert!(!cases[0].watermark.flagged, "{cases:?}");
    }
}
