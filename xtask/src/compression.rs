//! Gzip and brotli at their best levels, for the precompressed files beside the page's files
//! (a static host that finds `x.br` or `x.gz` sends it instead of compressing `x` itself) and
//! for the sizes in `build.json`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use crate::Result;

/// The extensions of the page's files worth compressing: text and the wasm module. The digits
/// data (`.bin`, `.bpk`) is left alone: its loader counts bytes against `Content-Length`.
const COMPRESSIBLE: [&str; 6] = ["html", "js", "css", "wasm", "svg", "json"];

/// Whether a file of this name is sent compressed.
pub fn is_compressible(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| COMPRESSIBLE.contains(&extension))
}

/// Whether a file of this name is a precompressed copy of another.
pub fn is_precompressed(name: &str) -> bool {
    name.ends_with(".gz") || name.ends_with(".br")
}

/// `bytes` gzipped at level 9.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

/// `bytes` compressed with brotli at quality 11 and a 4 MiB window.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    // Reading from a slice and writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params);
    compressed
}

/// Writes `x.gz` and `x.br` beside every compressible file `x` under `dir`, and returns how
/// many files it compressed. The files are compressed on every core, largest first: the two
/// wasm modules' brotli take most of the time. A compressed copy found in `cache` (a folder
/// of copies named by their original's SHA-256) is taken from there; the copies written are
/// left there, and those this run did not use are removed, so that the cache holds one page.
pub fn precompress(dir: &Path, cache: &Path) -> Result<usize> {
    let mut files = Vec::new();
    find_compressible(dir, &mut files)?;
    files.sort_by_key(|(_, bytes)| std::cmp::Reverse(bytes.len()));
    fs::create_dir_all(cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    type Codec = fn(&[u8]) -> Vec<u8>;
    let jobs: Vec<(&Path, &[u8], String, &str, Codec)> = files
        .iter()
        .flat_map(|(path, bytes)| {
            let digest = format!("{:x}", Sha256::digest(bytes));
            [("br", brotli as Codec), ("gz", gzip as Codec)].map(|(extension, codec)| {
                let cached = format!("{digest}.{extension}");
                (path.as_path(), bytes.as_slice(), cached, extension, codec)
            })
        })
        .collect();
    let next = AtomicUsize::new(0);
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result {
                    while let Some((path, bytes, cached, extension, codec)) =
                        jobs.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let name = path.file_name().unwrap_or_default().to_string_lossy();
                        let target = path.with_file_name(format!("{name}.{extension}"));
                        let compressed = compressed(bytes, &cache.join(cached), *codec)?;
                        fs::write(&target, compressed)
                            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|handle| handle.join().map_err(|_| "a compressing thread panicked")?)
    })?;
    let used: Vec<&str> = jobs
        .iter()
        .map(|(_, _, cached, _, _)| cached.as_str())
        .collect();
    for entry in fs::read_dir(cache).map_err(|e| format!("cannot read {}: {e}", cache.display()))? {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", cache.display()))?
            .path();
        if !used.iter().any(|name| path.ends_with(name)) {
            fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(files.len())
}

/// `bytes` through `codec`, read from `cached` if an earlier run wrote it there, else computed
/// and written there (whole or not at all: under a temporary name, then renamed).
fn compressed(bytes: &[u8], cached: &Path, codec: fn(&[u8]) -> Vec<u8>) -> Result<Vec<u8>> {
    if let Ok(found) = fs::read(cached) {
        return Ok(found);
    }
    let out = codec(bytes);
    let partial = cached.with_extension("partial");
    fs::write(&partial, &out)
        .and_then(|()| fs::rename(&partial, cached))
        .map_err(|e| format!("cannot write {}: {e}", cached.display()))?;
    Ok(out)
}

/// Every compressible file under `dir`, with its contents.
fn find_compressible(dir: &Path, found: &mut Vec<(PathBuf, Vec<u8>)>) -> Result {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            find_compressible(&path, found)?;
        } else if is_compressible(&name) {
            let bytes =
                fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            found.push((path, bytes));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_round_trip_and_shrink_repetition() {
        let text = b"distillation ".repeat(10_000);
        let (gz, br) = (gzip(&text), brotli(&text));
        assert!(
            gz.len() < 1_000 && br.len() < gz.len(),
            "{} {}",
            gz.len(),
            br.len()
        );
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut unzipped)
            .unwrap();
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).unwrap();
        assert_eq!((unzipped, unbrotlied), (text.clone(), text));
    }

    #[test]
    fn compresses_text_and_wasm_beside_the_originals() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dir.join("pkg/a.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(dir.join("digits.bin"), [1, 2, 3]).unwrap();
        let cache = dir.with_extension("cache");
        assert_eq!(precompress(&dir, &cache).unwrap(), 2);
        let cached = fs::read_dir(&cache).unwrap().count();
        // A second run takes the copies from the cache: a copy planted there is what it writes.
        let digest = format!("{:x}", Sha256::digest(b"<!doctype html>"));
        fs::write(cache.join(format!("{digest}.gz")), b"from the cache").unwrap();
        fs::write(cache.join("unused.br"), b"").unwrap();
        assert_eq!(precompress(&dir, &cache).unwrap(), 2);
        assert_eq!(
            fs::read(dir.join("index.html.gz")).unwrap(),
            b"from the cache"
        );
        assert_eq!(
            fs::read_dir(&cache).unwrap().count(),
            cached,
            "the unused copy is gone"
        );
        fs::remove_dir_all(&cache).unwrap();
        let mut names: Vec<String> = ["", "pkg"]
            .iter()
            .flat_map(|sub| fs::read_dir(dir.join(sub)).unwrap())
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "pkg")
            .collect();
        names.sort();
        fs::remove_dir_all(&dir).unwrap();
        let expected = [
            "a.wasm",
            "a.wasm.br",
            "a.wasm.gz",
            "digits.bin",
            "index.html",
            "index.html.br",
            "index.html.gz",
        ];
        assert_eq!(names, expected);
        assert!(is_precompressed("a.wasm.br") && !is_compressible("a.wasm.br"));
    }
}
