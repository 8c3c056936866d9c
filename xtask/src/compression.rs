//! Gzip and brotli at their best levels, for the precompressed files beside the page's files
//! (a static host that finds `x.br` or `x.gz` sends it instead of compressing `x` itself) and
//! for the sizes in `build.json`.

use std::fs;
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

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
/// many files it compressed.
pub fn precompress(dir: &Path) -> Result<usize> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut count = 0;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            count += precompress(&path)?;
        } else if is_compressible(&name) {
            let bytes =
                fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            for (extension, compressed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
                let target = path.with_file_name(format!("{name}.{extension}"));
                fs::write(&target, compressed)
                    .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            }
            count += 1;
        }
    }
    Ok(count)
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
        assert_eq!(precompress(&dir).unwrap(), 2);
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
