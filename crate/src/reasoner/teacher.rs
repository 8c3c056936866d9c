//! The reasoner's teacher: a char-LM trained by the CLI on every problem for sale, worked out
//! (`47+85=7+5+0=12|4+8+1=13|132`) and answered at once (`47+85?132`), so that the API can
//! serve both and the page can show what the working is worth to the teacher itself.

use crate::charlm::lm::{Examples, Trainer, Training};
use crate::charlm::model::{CharLm, CharLmConfig};
use crate::charlm::weights::Kind;
use crate::reasoner::task::{self, SYMBOLS};
use burn::tensor::Device;

/// The teacher's file's name in `www/data/`, as messages name it.
pub const FILE: &str = "reasoner-teacher.bpk";

/// The teacher's file.
pub const KIND: Kind = Kind {
    label: "distill reasoner teacher",
    symbols: SYMBOLS,
    rebuild: "distill reasoner-teacher",
};

/// The teacher's shape: 16-wide embeddings, a GRU of 128 units.
pub fn shape() -> CharLmConfig {
    CharLmConfig::new(SYMBOLS, 16, 128)
}

/// The split the shipped teacher was trained on: its held-out problems are every round's.
pub const SPLIT: u64 = 1;

/// Every problem for sale in split `split`, worked and answered at once, targets on what
/// follows the prompt.
pub fn curriculum(split: u64) -> Examples {
    let (sale, _) = task::problems(split);
    let mut examples = Examples::new(SYMBOLS);
    for p in sale {
        for worked in [true, false] {
            let written = if worked {
                p.solution()
            } else {
                task::encode(&p.answer().to_string())
            };
            examples.push_completion(&p.prompt(worked), &written);
        }
    }
    examples
}

/// A teacher of shape `config` trained `steps` Adam steps (batch 64, peak rate 0.003 on a
/// cosine) on split `split`'s curriculum, its weights seeded by `seed`; `progress` hears the
/// loss every 500 steps.
pub fn train(
    config: &CharLmConfig,
    steps: usize,
    split: u64,
    seed: u64,
    device: &Device,
    mut progress: impl FnMut(usize, f32),
) -> CharLm {
    let examples = curriculum(split);
    let training = Training {
        steps,
        batch: 64,
        lr: 0.003,
        temperature: 1.0,
        seed,
    };
    let mut trainer = Trainer::new(config, training, device);
    while trainer.done() < steps {
        let loss = trainer.step(&examples, 500.min(steps - trainer.done()));
        progress(trainer.done(), loss);
    }
    trainer.model()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reasoner::defence::Api;
    use crate::reasoner::study::{teacher_score, tests::teacher};

    /// The figures `distill reasoner-teacher` printed for the shipped file, and the README's.
    #[test]
    fn the_shipped_teacher_answers_as_stated() {
        let score = teacher_score(&teacher(), &Api::plain(), SPLIT, 1, &Device::flex());
        let right = |f: f64| (f * task::HELD_OUT as f64).round() as usize;
        assert_eq!((right(score.worked), right(score.direct)), (297, 287));
    }
}
