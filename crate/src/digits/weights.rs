//! The digits teacher's weights as shipped with the page (`www/data/digits-teacher.bpk`): a
//! teacher's file as [`crate::weights`] writes and checks it (burnpack, half precision,
//! checksummed), whose metadata records what rebuilds the teacher: its hidden layers and the
//! split it was trained on.
//!
//! burnpack loads from bytes in wasm32 exactly as natively, so the page and the tests read the
//! same file the same way; half precision halves it (170,772 bytes for 85,002 parameters) and
//! moves no test prediction (checked below). The price is code: burn-store, even without its
//! `std` feature, made the page's wasm 86 KiB (gzip) larger, measured against a build with a
//! stub loader; a hand-written f16 reader would cost almost nothing.

use crate::digits::experiment::StudyConfig;
use crate::model::Mlp;
use crate::weights::{self, Checksummed, Metadata};
use burn::tensor::Device;

/// The file's name in `www/data/`, as messages name it.
pub const FILE: &str = "digits-teacher.bpk";

/// What the file records beside the weights.
const HIDDEN: &str = "hidden";
const SEED: &str = "split_seed";
const TEST: &str = "test";
const STEPS: &str = "teacher_steps";
const JITTER: &str = "jitter";
/// The command that writes the file, as messages about untrustworthy weights name it.
const REBUILD: &str = "distill teacher";

/// A teacher read from its file: the model and the settings it was trained under (its shape,
/// split seed, test size, steps and jitter; every other field is the default).
pub struct Teacher {
    /// The frozen model, on the plain device.
    pub model: Mlp,
    /// The settings it was trained under.
    pub config: StudyConfig,
}

impl Checksummed for Mlp {
    fn checksum(&self) -> u64 {
        Mlp::checksum(self)
    }
}

/// The file's bytes for `model`, trained under `config`, with the checksum of its weights as
/// they will be read back (in half precision).
#[cfg(not(target_arch = "wasm32"))]
pub fn save(model: &Mlp, config: &StudyConfig) -> Result<Vec<u8>, String> {
    weights::save(model, &metadata(config), |meta| {
        shape(meta, &Device::flex())
    })
}

/// What the file records beside the weights.
#[cfg(not(target_arch = "wasm32"))]
fn metadata(config: &StudyConfig) -> [(&'static str, String); 6] {
    let hidden: Vec<String> = config.teacher_hidden.iter().map(usize::to_string).collect();
    [
        ("model", "distill digits teacher".into()),
        (HIDDEN, hidden.join(",")),
        (SEED, config.seed.to_string()),
        (TEST, config.test.to_string()),
        (STEPS, config.teacher_steps.to_string()),
        (JITTER, config.jitter.to_string()),
    ]
}

/// Reads a teacher from the bytes of its file and checks its weights against the checksum
/// the file records; `name` (its path or URL) heads every error, which says what is wrong (not
/// burnpack, truncated, a missing field, a wrong shape, damaged weights) and what to do.
pub fn load(bytes: &[u8], name: &str, device: &Device) -> Result<Teacher, String> {
    let (model, config) = weights::load(bytes, name, REBUILD, |meta| shape(meta, device))?;
    Ok(Teacher { model, config })
}

/// The settings the file's metadata records, and the teacher they shape on `device`.
fn shape(meta: &Metadata, device: &Device) -> Result<(Mlp, StudyConfig), String> {
    let teacher_hidden = meta
        .field(HIDDEN)?
        .split(',')
        .map(|w| w.trim().parse::<usize>().ok().filter(|&w| w > 0))
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| meta.fail(format!("bad \"{HIDDEN}\": {:?}", meta.get(HIDDEN))))?;
    let config = StudyConfig {
        teacher_hidden,
        seed: meta.number(SEED)?,
        test: meta.number(TEST)? as usize,
        teacher_steps: meta.number(STEPS)? as usize,
        jitter: meta.field(JITTER)? == "true",
        ..StudyConfig::default()
    };
    Ok((config.teacher().init(0, device), config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::data::{self, CLASSES, PIXELS};
    use crate::learner;
    use crate::metrics;
    use burn::module::Module;

    /// The committed file.
    const BYTES: &[u8] = include_bytes!("../../../www/data/digits-teacher.bpk");

    /// The teacher's test accuracy the README states: at least this, on its own split.
    const STATED_ACCURACY: f32 = 0.993;

    #[test]
    fn the_shipped_teacher_reaches_the_stated_accuracy() {
        let device = Device::flex();
        let teacher = load(BYTES, FILE, &device).unwrap();
        assert_eq!(teacher.config.teacher_hidden, [256, 256]);
        assert_eq!(teacher.model.num_params(), 85_002);
        let all = data::parse(data::tests::BYTES, data::FILE).unwrap();
        let (_, test) = all.split(teacher.config.test, teacher.config.seed);
        let logits = learner::logits(&teacher.model, &test.x, PIXELS, &device);
        let accuracy = metrics::agreement(&metrics::argmax(&logits, CLASSES), &test.y);
        assert!(accuracy >= STATED_ACCURACY, "test accuracy {accuracy}");
    }

    #[test]
    fn saving_the_shipped_teacher_writes_the_shipped_file() {
        let teacher = load(BYTES, FILE, &Device::flex()).unwrap();
        let bytes = save(&teacher.model, &teacher.config).unwrap();
        assert!(bytes == BYTES, "the file's encoding changed");
    }

    #[test]
    fn half_precision_round_trip_keeps_every_prediction() {
        let device = Device::flex();
        let config = StudyConfig {
            teacher_hidden: vec![16],
            ..StudyConfig::default()
        };
        let model = config.teacher().init(7, &device);
        let bytes = save(&model, &config).unwrap();
        // Two bytes a parameter, plus a small header.
        let params = config.teacher().num_params();
        assert!(bytes.len() > 2 * params && bytes.len() < 2 * params + 1024);
        let back = load(&bytes, "t.bpk", &device).unwrap();
        assert_eq!(back.config.teacher_hidden, [16]);
        let all = data::parse(data::tests::BYTES, data::FILE).unwrap();
        let before = learner::logits(&model, &all.x, PIXELS, &device);
        let after = learner::logits(&back.model, &all.x, PIXELS, &device);
        let largest = before
            .iter()
            .zip(&after)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(largest < 0.01, "logits moved by {largest}");
        assert_eq!(
            metrics::argmax(&before, CLASSES),
            metrics::argmax(&after, CLASSES)
        );
    }

    #[test]
    fn damaged_files_say_which_file_and_why() {
        let device = Device::flex();
        let err = |bytes: &[u8]| match load(bytes, "data/t.bpk", &device) {
            Ok(_) => panic!("loaded a damaged file"),
            Err(e) => e,
        };
        assert!(err(&[]).starts_with("data/t.bpk: empty"));
        assert!(err(b"<!doctype html>").contains("not a burnpack file"));
        assert!(err(&BYTES[..BYTES.len() / 2]).starts_with("data/t.bpk: "));
        // 4 kB of damage in the middle of the weights: same size, same shape, wrong numbers.
        let mut damaged = BYTES.to_vec();
        let middle = damaged.len() / 2;
        damaged[middle..middle + 4096]
            .iter_mut()
            .for_each(|b| *b ^= 0x5a);
        assert!(
            err(&damaged).contains("the weights are damaged"),
            "{}",
            err(&damaged)
        );
        // A file with no checksum is refused too.
        let model = StudyConfig::default().teacher().init(1, &device);
        let unchecked = weights::encode(&model, &metadata(&StudyConfig::default()), None).unwrap();
        assert!(err(&unchecked).contains("no checksum"));
    }
}
