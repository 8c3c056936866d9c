//! A shipped teacher's weights (`www/data/*-teacher.bpk`): burn's own burnpack format
//! (burn-store), every weight in half precision, and in its metadata the chapter's own entries
//! (what rebuilds the model and how it was trained) beside the FNV-1a checksum of the weights
//! as read back, so that a damaged download says so instead of quietly changing a number.
//!
//! Each chapter's `weights.rs` says which entries it records and which model they rebuild; this
//! module writes the file, and reads it back checking in turn that it is burnpack, its
//! metadata, the shape of its weights and their checksum, every error headed by the file's
//! name.

use std::collections::BTreeMap;

use burn::module::Module;
use burn::tensor::Bytes;
use burn_store::burn_pack::Reader;
use burn_store::{BurnpackStore, HalfPrecisionAdapter, ModuleSnapshot};

/// The metadata entry with the FNV-1a of the weights as loaded (see [`Checksummed`]), in hex.
const CHECKSUM: &str = "weights_fnv1a";

/// A model a teacher's file carries.
pub trait Checksummed: Module {
    /// FNV-1a over its weights as loaded: what the file records so that damage to its numbers
    /// is caught on load.
    fn checksum(&self) -> u64;
}

/// A file's metadata as its chapter reads it: every error it gives is headed by the file's
/// name.
pub struct Metadata<'a> {
    name: &'a str,
    entries: &'a BTreeMap<String, String>,
}

impl Metadata<'_> {
    /// An error about the file: `why`, headed by the file's name.
    pub fn fail(&self, why: String) -> String {
        format!("{}: {why}", self.name)
    }

    /// The value of `key`, if the file records one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// The value of `key`, or an error saying the metadata has none.
    pub fn field(&self, key: &str) -> Result<&str, String> {
        self.get(key)
            .ok_or_else(|| self.fail(format!("its metadata has no \"{key}\"")))
    }

    /// The value of `key` as a whole number, or an error saying it is missing or is not one.
    pub fn number(&self, key: &str) -> Result<u64, String> {
        self.field(key)?
            .parse::<u64>()
            .map_err(|_| self.fail(format!("its \"{key}\" is not a whole number")))
    }
}

/// The file's bytes for `model`, with `metadata` (the chapter's entries, in order) and the
/// checksum of its weights as they will be read back (in half precision). `shape` is the
/// chapter's, as [`load`] takes it: the encoded file is read back with it, so metadata that
/// does not rebuild `model`'s shape is an error here rather than in the page.
#[cfg(not(target_arch = "wasm32"))]
pub fn save<M: Checksummed, T>(
    model: &M,
    metadata: &[(&str, String)],
    shape: impl FnOnce(&Metadata) -> Result<(M, T), String>,
) -> Result<Vec<u8>, String> {
    let unchecked = encode(model, metadata, None)?;
    let ((rounded, _), _) = read(&unchecked, "the encoded teacher", shape)?;
    encode(model, metadata, Some(rounded.checksum()))
}

/// The file's bytes for `model` with `metadata`, and the checksum entry if there is one.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn encode<M: Module>(
    model: &M,
    metadata: &[(&str, String)],
    checksum: Option<u64>,
) -> Result<Vec<u8>, String> {
    let mut store = BurnpackStore::from_bytes(None).with_to_adapter(HalfPrecisionAdapter::new());
    for (key, value) in metadata {
        store = store.metadata(*key, value.as_str());
    }
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

/// Reads a model from the bytes of its file and checks its weights against the checksum the
/// file records. `shape` reads the chapter's metadata and returns the model the weights load
/// into (its initial weights do not matter) with whatever else the chapter keeps from the
/// metadata. `name` (the file's path or URL) heads every error, which says what is wrong (empty,
/// not burnpack, truncated, a missing entry, a wrong shape, damaged weights) and what to do:
/// `rebuild` is the command that writes the file again.
pub fn load<M: Checksummed, T>(
    bytes: &[u8],
    name: &str,
    rebuild: &str,
    shape: impl FnOnce(&Metadata) -> Result<(M, T), String>,
) -> Result<(M, T), String> {
    let ((model, kept), stored) = read(bytes, name, shape)?;
    let Some(stored) = stored else {
        return Err(format!(
            "{name}: it records no checksum of its weights, so they cannot be trusted; \
             write it again with `{rebuild}`"
        ));
    };
    let actual = format!("{:016x}", model.checksum());
    if stored != actual {
        return Err(format!(
            "{name}: the weights are damaged (checksum {actual}, the file says {stored}); \
             download it again or rebuild it with `{rebuild}`"
        ));
    }
    Ok((model, kept))
}

/// Reads a model and the checksum its file records, without checking it.
fn read<M: Module, T>(
    bytes: &[u8],
    name: &str,
    shape: impl FnOnce(&Metadata) -> Result<(M, T), String>,
) -> Result<((M, T), Option<String>), String> {
    let fail = |why: String| format!("{name}: {why}");
    if bytes.is_empty() {
        return Err(fail("empty: no weights in it".into()));
    }
    let shared = Bytes::from_bytes_vec(bytes.to_vec());
    let reader = Reader::from_bytes(shared.clone())
        .map_err(|e| fail(format!("not a burnpack file: {e}")))?;
    let entries = reader.metadata();
    let (mut model, kept) = shape(&Metadata { name, entries })?;
    let mut store =
        BurnpackStore::from_bytes(Some(shared)).with_from_adapter(HalfPrecisionAdapter::new());
    model
        .load_from(&mut store)
        .map_err(|e| fail(format!("the weights do not fit the teacher's shape: {e}")))?;
    Ok(((model, kept), entries.get(CHECKSUM).cloned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mlp, MlpConfig};
    use burn::tensor::Device;

    /// An MLP of one hidden layer whose width the file records as "width".
    fn shape(meta: &Metadata) -> Result<(Mlp, u64), String> {
        let width = meta.number("width")?;
        Ok((
            MlpConfig::new(2, vec![width as usize], 3).init(0, &Device::flex()),
            width,
        ))
    }

    #[test]
    fn round_trip_and_every_fault_is_named() {
        let model = MlpConfig::new(2, vec![5], 3).init(9, &Device::flex());
        let entries = |width: &str| [("model", "test".to_string()), ("width", width.to_string())];
        let bytes = save(&model, &entries("5"), shape).unwrap();
        let (_, width) = load(&bytes, "t.bpk", "rebuild", shape).unwrap();
        assert_eq!(width, 5);
        let err = |bytes: &[u8]| match load(bytes, "data/t.bpk", "distill rebuild", shape) {
            Ok(_) => panic!("loaded a faulty file"),
            Err(e) => e,
        };
        assert_eq!(err(&[]), "data/t.bpk: empty: no weights in it");
        assert!(err(b"<!doctype html>").starts_with("data/t.bpk: not a burnpack file"));
        let unchecked = encode(&model, &entries("5"), None).unwrap();
        assert!(err(&unchecked).ends_with("write it again with `distill rebuild`"));
        let wrong = encode(&model, &entries("6"), Some(0)).unwrap();
        assert!(err(&wrong).starts_with("data/t.bpk: the weights do not fit the teacher's shape"));
        let nan = encode(&model, &entries("five"), Some(0)).unwrap();
        assert_eq!(err(&nan), "data/t.bpk: its \"width\" is not a whole number");
        let bare = encode(&model, &[], Some(0)).unwrap();
        assert_eq!(err(&bare), "data/t.bpk: its metadata has no \"width\"");
        let damaged = encode(&model, &entries("5"), Some(1)).unwrap();
        assert!(err(&damaged).starts_with("data/t.bpk: the weights are damaged (checksum "));
        assert!(err(&damaged).contains("the file says 0000000000000001"));
        // Saving checks the metadata against the model too.
        assert!(save(&model, &entries("4"), shape).is_err());
    }
}
