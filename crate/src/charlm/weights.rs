//! A char-LM teacher's weights as shipped (`www/data/names-teacher.bpk`,
//! `www/data/reasoner-teacher.bpk`): a teacher's file as [`crate::weights`] writes and checks it
//! (burnpack, half precision, checksummed), whose metadata records the model's shape and how it
//! was trained.

use crate::charlm::model::{CharLm, CharLmConfig};
use crate::weights::{self, Checksummed, Metadata};
use burn::tensor::Device;

/// Which teacher a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// What its metadata calls the model.
    pub label: &'static str,
    /// Symbols the model reads and writes.
    pub symbols: usize,
    /// The command that writes the file, as messages about untrustworthy weights name it.
    pub rebuild: &'static str,
}

const EMBED: &str = "embed";
const HIDDEN: &str = "hidden";
const SEED: &str = "split_seed";
const STEPS: &str = "steps";

/// A teacher read from its file.
pub struct Teacher {
    /// The frozen model, on the plain device.
    pub model: CharLm,
    /// Its shape.
    pub config: CharLmConfig,
    /// The seed of the train / held-out split it was trained on.
    pub split_seed: u64,
    /// Adam steps it was trained for.
    pub steps: usize,
}

impl Checksummed for CharLm {
    fn checksum(&self) -> u64 {
        CharLm::checksum(self)
    }
}

/// The file's bytes for a teacher of `kind`, `model` of shape `config`, trained `steps` steps
/// on split `split_seed`, with the checksum of its weights as they will be read back (half
/// precision).
#[cfg(not(target_arch = "wasm32"))]
pub fn save(
    kind: &Kind,
    model: &CharLm,
    config: &CharLmConfig,
    split_seed: u64,
    steps: usize,
) -> Result<Vec<u8>, String> {
    let entries = metadata(kind, config, split_seed, steps);
    weights::save(model, &entries, |meta| shape(kind, meta, &Device::flex()))
}

/// What the file records beside the weights.
#[cfg(not(target_arch = "wasm32"))]
fn metadata(
    kind: &Kind,
    config: &CharLmConfig,
    split_seed: u64,
    steps: usize,
) -> [(&'static str, String); 5] {
    [
        ("model", kind.label.into()),
        (EMBED, config.embed.to_string()),
        (HIDDEN, config.hidden.to_string()),
        (SEED, split_seed.to_string()),
        (STEPS, steps.to_string()),
    ]
}

/// Reads a teacher of `kind` from the bytes of its file and checks its weights against the
/// checksum the file records; `name` (its path or URL) heads every error, which says what is
/// wrong.
pub fn load(kind: &Kind, bytes: &[u8], name: &str, device: &Device) -> Result<Teacher, String> {
    let (model, (config, split_seed, steps)) =
        weights::load(bytes, name, kind.rebuild, |meta| shape(kind, meta, device))?;
    Ok(Teacher {
        model,
        config,
        split_seed,
        steps,
    })
}

/// The model the file's metadata describes, on `device`, with its shape, split seed and steps.
fn shape(
    kind: &Kind,
    meta: &Metadata,
    device: &Device,
) -> Result<(CharLm, (CharLmConfig, u64, usize)), String> {
    // Every number but the seed is at least 1.
    let positive = |key: &str| {
        meta.number(key).and_then(|n| match n {
            0 => Err(meta.fail(format!("its \"{key}\" is not a whole number"))),
            n => Ok(n as usize),
        })
    };
    let config = CharLmConfig::new(kind.symbols, positive(EMBED)?, positive(HIDDEN)?);
    let kept = (config.clone(), meta.number(SEED)?, positive(STEPS)?);
    Ok((config.init(0, device), kept))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::charlm::lm;
    use crate::chat::corpus::{self, HELD_OUT};
    use crate::chat::model::{self, TEACHER};
    use burn::module::Module;

    /// The committed file.
    pub(crate) const BYTES: &[u8] = include_bytes!("../../../www/data/names-teacher.bpk");

    /// The held-out NLL the README states for the shipped teacher, in nats per character, over
    /// all 8,799 held-out names (`distill chat-teacher` printed 2.1085; uniform is ln 27 = 3.30).
    const STATED_NLL: f64 = 2.1085;

    /// The shipped teacher, loaded.
    pub(crate) fn teacher(device: &Device) -> Teacher {
        load(&TEACHER, BYTES, model::FILE, device).unwrap()
    }

    #[test]
    fn the_shipped_teacher_reaches_the_stated_held_out_nll() {
        let device = Device::flex();
        let t = teacher(&device);
        assert_eq!(t.config, model::teacher());
        assert_eq!(t.model.num_params(), 66_555);
        let names = corpus::parse(corpus::tests::BYTES, corpus::FILE).unwrap();
        let (_, held) = corpus::split(&names, HELD_OUT, t.split_seed);
        // A slice of the held-out names keeps the test quick (2.101 on these 2,000); the
        // stated figure is over all of them.
        let nll = lm::nll(&t.model, &held[..2000], &device);
        assert!((nll - STATED_NLL).abs() < 0.02, "held-out NLL {nll}");
    }

    #[test]
    fn saving_the_shipped_teacher_writes_the_shipped_file() {
        let t = teacher(&Device::flex());
        let bytes = save(&TEACHER, &t.model, &t.config, t.split_seed, t.steps).unwrap();
        assert!(bytes == BYTES, "the file's encoding changed");
    }

    #[test]
    fn half_precision_round_trip_and_damage_is_named() {
        let device = Device::flex();
        let config = model::student();
        let model = config.init(7, &device);
        let bytes = save(&TEACHER, &model, &config, 3, 10).unwrap();
        let back = load(&TEACHER, &bytes, "t.bpk", &device).unwrap();
        assert_eq!(
            (back.config, back.split_seed, back.steps),
            (config.clone(), 3, 10)
        );
        let names: Vec<Vec<u8>> = vec![vec![1, 2, 3], vec![4]];
        let (a, b) = (
            lm::log_probs(&model, &names, &device),
            lm::log_probs(&back.model, &names, &device),
        );
        let moved = a
            .iter()
            .flatten()
            .zip(b.iter().flatten())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max);
        assert!(moved < 0.01, "log-probabilities moved by {moved}");
        let err = |bytes: &[u8]| match load(&TEACHER, bytes, "data/t.bpk", &device) {
            Ok(_) => panic!("loaded a damaged file"),
            Err(e) => e,
        };
        assert!(err(&[]).starts_with("data/t.bpk: empty"));
        assert!(err(b"<!doctype html>").contains("not a burnpack file"));
        let mut damaged = BYTES.to_vec();
        let middle = damaged.len() / 2;
        damaged[middle..middle + 512]
            .iter_mut()
            .for_each(|b| *b ^= 0x5a);
        assert!(
            err(&damaged).contains("the weights are damaged"),
            "{}",
            err(&damaged)
        );
        let unchecked = weights::encode(&model, &metadata(&TEACHER, &config, 3, 10), None).unwrap();
        assert!(err(&unchecked).contains("no checksum"));
    }
}
