//! The digits teacher's weights as shipped with the page (`www/data/digits-teacher.bpk`):
//! burn's own burnpack format (burn-store), every weight in half precision, and in its
//! metadata what is needed to rebuild and check the teacher: its hidden layers and the split
//! it was trained on.
//!
//! burnpack loads from bytes in wasm32 exactly as natively, so the page and the tests read the
//! same file the same way; half precision halves it (170,772 bytes for 85,002 parameters) and
//! moves no test prediction (checked below). The price is code: burn-store, even without its
//! `std` feature, made the page's wasm 86 KiB (gzip) larger, measured against a build with a
//! stub loader; a hand-written f16 reader would cost almost nothing.

use crate::digits::study::StudyConfig;
use crate::model::Mlp;
use burn::tensor::{Bytes, Device};
use burn_store::burn_pack::Reader;
use burn_store::{BurnpackStore, HalfPrecisionAdapter, ModuleSnapshot};

/// The file's name in `www/data/`, as messages name it.
pub const FILE: &str = "digits-teacher.bpk";

/// What the file records beside the weights.
const HIDDEN: &str = "hidden";
const SEED: &str = "split_seed";
const TEST: &str = "test";
const STEPS: &str = "teacher_steps";
const JITTER: &str = "jitter";
/// FNV-1a of the weights as loaded (see [`Mlp::checksum`]), in hex.
const CHECKSUM: &str = "weights_fnv1a";

/// A teacher read from its file: the model and the settings it was trained under (its shape,
/// split seed, test size, steps and jitter; every other field is the default).
pub struct Teacher {
    /// The frozen model, on the plain device.
    pub model: Mlp,
    /// The settings it was trained under.
    pub config: StudyConfig,
}

/// The file's bytes for `model`, trained under `config`, with the checksum of its weights as
/// they will be read back (in half precision).
#[cfg(not(target_arch = "wasm32"))]
pub fn save(model: &Mlp, config: &StudyConfig) -> Result<Vec<u8>, String> {
    let unchecked = encode(model, config, None)?;
    let (rounded, _) = read(&unchecked, "the encoded teacher", &Device::flex())?;
    encode(model, config, Some(rounded.model.checksum()))
}

#[cfg(not(target_arch = "wasm32"))]
fn encode(model: &Mlp, config: &StudyConfig, checksum: Option<u64>) -> Result<Vec<u8>, String> {
    let hidden: Vec<String> = config.teacher_hidden.iter().map(usize::to_string).collect();
    let mut store = BurnpackStore::from_bytes(None)
        .with_to_adapter(HalfPrecisionAdapter::new())
        .metadata("model", "distill digits teacher")
        .metadata(HIDDEN, hidden.join(","))
        .metadata(SEED, config.seed.to_string())
        .metadata(TEST, config.test.to_string())
        .metadata(STEPS, config.teacher_steps.to_string())
        .metadata(JITTER, config.jitter.to_string());
    if let Some(sum) = checksum {
        store = store.metadata(CHECKSUM, format!("{sum:016x}"));
    }
    model
        .save_into(&mut store)
        .map_err(|e| format!("cannot encode the teacher: {e}"))?;
    store
        .get_bytes()
        .map(|bytes| bytes.to_vec())
        .map_err(|e| format!("cannot encode the teacher: {e}"))
}

/// Reads a teacher from the bytes of its file and checks its weights against the checksum
/// the file records; `name` (its path or URL) heads every error, which says what is wrong (not
/// burnpack, truncated, a missing field, a wrong shape, damaged weights) and what to do.
pub fn load(bytes: &[u8], name: &str, device: &Device) -> Result<Teacher, String> {
    let (teacher, stored) = read(bytes, name, device)?;
    let Some(stored) = stored else {
        return Err(format!(
            "{name}: it records no checksum of its weights, so they cannot be trusted; \
             write it again with `distill teacher`"
        ));
    };
    let actual = format!("{:016x}", teacher.model.checksum());
    if stored != actual {
        return Err(format!(
            "{name}: the weights are damaged (checksum {actual}, the file says {stored}); \
             download it again or rebuild it with `distill teacher`"
        ));
    }
    Ok(teacher)
}

/// Reads a teacher from the bytes of its file; `name` (its path or URL) heads every error,
/// which says what is wrong (not burnpack, truncated, a missing field, a wrong shape).
/// Reads a teacher and the checksum its file records, without checking it.
fn read(bytes: &[u8], name: &str, device: &Device) -> Result<(Teacher, Option<String>), String> {
    let fail = |why: String| format!("{name}: {why}");
    if bytes.is_empty() {
        return Err(fail("empty: no weights in it".into()));
    }
    let shared = Bytes::from_bytes_vec(bytes.to_vec());
    let reader = Reader::from_bytes(shared.clone())
        .map_err(|e| fail(format!("not a burnpack file: {e}")))?;
    let meta = reader.metadata();
    let field = |key: &str| {
        meta.get(key)
            .ok_or_else(|| fail(format!("its metadata has no \"{key}\"")))
    };
    let number = |key: &str| {
        field(key)?
            .parse::<u64>()
            .map_err(|_| fail(format!("its \"{key}\" is not a whole number")))
    };
    let teacher_hidden = field(HIDDEN)?
        .split(',')
        .map(|w| w.trim().parse::<usize>().ok().filter(|&w| w > 0))
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| fail(format!("bad \"{HIDDEN}\": {:?}", meta.get(HIDDEN))))?;
    let config = StudyConfig {
        teacher_hidden,
        seed: number(SEED)?,
        test: number(TEST)? as usize,
        teacher_steps: number(STEPS)? as usize,
        jitter: field(JITTER)? == "true",
        ..StudyConfig::default()
    };
    let mut model = config.teacher().init(0, device);
    let mut store =
        BurnpackStore::from_bytes(Some(shared)).with_from_adapter(HalfPrecisionAdapter::new());
    model
        .load_from(&mut store)
        .map_err(|e| fail(format!("the weights do not fit the teacher's shape: {e}")))?;
    Ok((Teacher { model, config }, meta.get(CHECKSUM).cloned()))
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
        let unchecked = encode(&model, &StudyConfig::default(), None).unwrap();
        assert!(err(&unchecked).contains("no checksum"));
    }
}
