//! What the page weighs, raw and gzipped, so the README can quote real numbers.
//! Gzip sizes use flate2's default level, close to what a static host sends.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::Result;

/// The name of the sizes file inside the dist directory.
pub const FILE: &str = "build.json";

/// The wasm module inside the dist directory, as wasm-bindgen names it.
const WASM: &str = "pkg/distill_bg.wasm";

/// Bytes on disk and bytes once gzipped, of one file or of several added up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    /// Bytes as stored.
    pub raw: u64,
    /// Bytes after gzip at the default level.
    pub gzip: u64,
}

/// The sizes of a built page.
#[derive(Debug)]
pub struct Sizes {
    /// The wasm module, `pkg/distill_bg.wasm`.
    pub wasm: Size,
    /// Every file of the page added up (each gzipped on its own, as a server sends them).
    pub page: Size,
    /// Each file, by its path relative to the dist directory with `/` separators, sorted.
    pub files: Vec<(String, Size)>,
}

impl Sizes {
    /// Measures every file under `dist`, except an earlier `build.json`.
    pub fn measure(dist: &Path) -> Result<Sizes> {
        let mut files = Vec::new();
        collect(dist, "", &mut files)?;
        files.retain(|(path, _)| path != FILE);
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let wasm = files
            .iter()
            .find(|(path, _)| path == WASM)
            .map(|(_, size)| *size);
        let wasm = wasm.ok_or_else(|| format!("{} has no {WASM}", dist.display()))?;
        let page = files.iter().fold(Size::default(), |sum, (_, size)| Size {
            raw: sum.raw + size.raw,
            gzip: sum.gzip + size.gzip,
        });
        Ok(Sizes { wasm, page, files })
    }

    /// These sizes as JSON, in bytes.
    pub fn to_json(&self) -> String {
        let size = |s: Size| format!("{{ \"raw\": {}, \"gzip\": {} }}", s.raw, s.gzip);
        let files: Vec<String> = self
            .files
            .iter()
            .map(|(path, s)| format!("    {}: {}", json_string(path), size(*s)))
            .collect();
        format!(
            "{{\n  \"wasm\": {},\n  \"page\": {},\n  \"files\": {{\n{}\n  }}\n}}\n",
            size(self.wasm),
            size(self.page),
            files.join(",\n")
        )
    }

    /// Writes [`Sizes::to_json`] to `path`.
    pub fn write_json(&self, path: &Path) -> Result {
        fs::write(path, self.to_json()).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

impl fmt::Display for Size {
    /// `3.05 MiB raw, 612.4 KiB gzip`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} raw, {} gzip", human(self.raw), human(self.gzip))
    }
}

/// The size of every file under `dir` into `files`, named `prefix` + relative path.
fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, Size)>) -> Result {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let name = format!(
            "{prefix}{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        if path.is_dir() {
            collect(&path, &format!("{name}/"), files)?;
        } else {
            let bytes =
                fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            files.push((
                name,
                Size {
                    raw: bytes.len() as u64,
                    gzip: gzip_len(&bytes),
                },
            ));
        }
    }
    Ok(())
}

/// How many bytes `bytes` take once gzipped at the default level.
fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_or(0, |gz| gz.len() as u64)
}

/// Bytes in B, KiB or MiB, three significant digits or so.
fn human(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.2} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut quoted = String::from('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c < ' ' => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetition_and_keeps_a_header() {
        // A gzip stream is at least 18 bytes of header and trailer, plus the deflate data.
        assert!(gzip_len(&[]) >= 18);
        let repeated = vec![b'a'; 100_000];
        assert!(gzip_len(&repeated) < 1_000);
    }

    #[test]
    fn json_lists_every_size() {
        let sizes = Sizes {
            wasm: Size { raw: 10, gzip: 8 },
            page: Size { raw: 30, gzip: 20 },
            files: vec![
                ("index.html".into(), Size { raw: 20, gzip: 12 }),
                ("pkg/distill_bg.wasm".into(), Size { raw: 10, gzip: 8 }),
            ],
        };
        assert_eq!(
            sizes.to_json(),
            "{\n  \"wasm\": { \"raw\": 10, \"gzip\": 8 },\n  \"page\": { \"raw\": 30, \"gzip\": 20 },\n  \"files\": {\n    \
             \"index.html\": { \"raw\": 20, \"gzip\": 12 },\n    \"pkg/distill_bg.wasm\": { \"raw\": 10, \"gzip\": 8 }\n  }\n}\n"
        );
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }

    #[test]
    fn measures_a_directory_tree() {
        let dir = std::env::temp_dir().join(format!("xtask-sizes-{}", std::process::id()));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dir.join(WASM), [0u8; 2048]).unwrap();
        fs::write(dir.join(FILE), "{}").unwrap();
        let sizes = Sizes::measure(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        let names: Vec<&str> = sizes.files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["index.html", WASM]);
        assert_eq!(sizes.wasm.raw, 2048);
        assert!(sizes.wasm.gzip < 100);
        assert_eq!(sizes.page.raw, 2048 + 15);
        assert_eq!(sizes.page.gzip, sizes.files[0].1.gzip + sizes.wasm.gzip);
    }

    #[test]
    fn human_sizes_pick_a_unit() {
        assert_eq!(human(1000), "1000 B");
        assert_eq!(human(2048), "2.0 KiB");
        assert_eq!(human(3 * 1_048_576), "3.00 MiB");
    }
}
