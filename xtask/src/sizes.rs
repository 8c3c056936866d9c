//! What the page weighs, raw, gzipped and brotli-compressed, so the README can quote real
//! numbers. A file's compressed sizes are those of its precompressed `x.gz` and `x.br` when
//! `cargo xtask dist` wrote them (what the server sends), else of the same compressions done
//! here (what a host compressing on the fly would send at best).

use std::fmt;
use std::fs;
use std::path::Path;

use crate::Result;
use crate::anatomy::Anatomy;
use crate::compression::{self, is_precompressed};

/// The name of the sizes file inside the dist directory.
pub const FILE: &str = "build.json";

/// The wasm module inside the dist directory, as wasm-bindgen names it.
const WASM: &str = "pkg/distill_bg.wasm";

/// What a first visit does not fetch, by path or its start: what the sections fetch as they
/// come near or open (their data, the text Workers' module, their Workers' scripts), the
/// guided tour (loaded when it opens) and the explanations of faults, imported only once
/// something has failed. A browser test checks that a first visit fetches exactly the rest
/// (`sections.test.mjs`).
const LATER: [&str; 8] = [
    "data/",
    "pkg/chat",
    "digits/worker.js",
    "chat/worker.js",
    "reasoner/worker.js",
    "round-worker.js",
    "tour/",
    "faults.js",
];

/// Bytes on disk and once compressed, of one file or of several added up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    /// Bytes as stored.
    pub raw: u64,
    /// Bytes after gzip at level 9.
    pub gzip: u64,
    /// Bytes after brotli at quality 11.
    pub brotli: u64,
}

impl Size {
    fn plus(self, other: Size) -> Size {
        Size {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }
}

/// The sizes of a built page.
#[derive(Debug)]
pub struct Sizes {
    /// The wasm module, `pkg/distill_bg.wasm`.
    pub wasm: Size,
    /// What every visitor loads: every file but those fetched later (see [`LATER`]), each
    /// compressed on its own.
    pub first_load: Size,
    /// What sections fetch as they come near or open, the tour, and the explanations of faults.
    pub data: Size,
    /// Each file, by its path relative to the dist directory with `/` separators, sorted;
    /// without `build.json` and the precompressed copies.
    pub files: Vec<(String, Size)>,
    /// Where the module's bytes go, when known.
    pub anatomy: Option<Anatomy>,
}

impl Sizes {
    /// Measures every file under `dist`.
    pub fn measure(dist: &Path) -> Result<Sizes> {
        let mut files = Vec::new();
        collect(dist, "", &mut files)?;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let wasm = files
            .iter()
            .find(|(path, _)| path == WASM)
            .map(|(_, size)| *size);
        let wasm = wasm.ok_or_else(|| format!("{} has no {WASM}", dist.display()))?;
        let (mut first_load, mut data) = (Size::default(), Size::default());
        for (path, size) in &files {
            let sum = if is_later(path) {
                &mut data
            } else {
                &mut first_load
            };
            *sum = sum.plus(*size);
        }
        Ok(Sizes {
            wasm,
            first_load,
            data,
            files,
            anatomy: None,
        })
    }

    /// These sizes as JSON, in bytes.
    pub fn to_json(&self) -> String {
        let size = |s: Size| {
            format!(
                "{{ \"raw\": {}, \"gzip\": {}, \"brotli\": {} }}",
                s.raw, s.gzip, s.brotli
            )
        };
        let files: Vec<String> = self
            .files
            .iter()
            .map(|(path, s)| format!("    {}: {}", json_string(path), size(*s)))
            .collect();
        let anatomy = self.anatomy.as_ref().map_or(String::new(), |anatomy| {
            let list = |items: &[(String, u64)]| {
                let items: Vec<String> = items
                    .iter()
                    .map(|(name, bytes)| format!("    {}: {bytes}", json_string(name)))
                    .collect();
                items.join(",\n")
            };
            format!(
                ",\n  \"sections\": {{\n{}\n  }},\n  \"code_by_crate\": {{\n{}\n  }}",
                list(&anatomy.sections),
                list(&anatomy.code_by_crate)
            )
        });
        let first: Vec<String> = (self.files.iter())
            .filter(|(path, _)| !is_later(path))
            .map(|(path, _)| json_string(path))
            .collect();
        format!(
            "{{\n  \"wasm\": {},\n  \"first_load\": {},\n  \"first_load_files\": [{}],\n  \"data\": {},\n  \"files\": {{\n{}\n  }}{anatomy}\n}}\n",
            size(self.wasm),
            size(self.first_load),
            first.join(", "),
            size(self.data),
            files.join(",\n")
        )
    }

    /// Writes [`Sizes::to_json`] to `path`.
    pub fn write_json(&self, path: &Path) -> Result {
        fs::write(path, self.to_json()).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

impl fmt::Display for Size {
    /// `3.05 MiB raw, 612.4 KiB gzip, 480.2 KiB brotli`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} raw, {} gzip, {} brotli",
            human(self.raw),
            human(self.gzip),
            human(self.brotli)
        )
    }
}

/// Whether a first visit leaves the file at `path` for later (see [`LATER`]).
fn is_later(path: &str) -> bool {
    LATER.iter().any(|later| path.starts_with(later))
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
        } else if name != FILE && !is_precompressed(&name) {
            files.push((name, measure_file(&path)?));
        }
    }
    Ok(())
}

/// One file's sizes, taking the compressed ones from its precompressed copies when present.
fn measure_file(path: &Path) -> Result<Size> {
    let read =
        |path: &Path| fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let bytes = read(path)?;
    let beside = |extension: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{extension}"));
        fs::metadata(name).ok().map(|metadata| metadata.len())
    };
    Ok(Size {
        raw: bytes.len() as u64,
        gzip: beside("gz").unwrap_or_else(|| compression::gzip(&bytes).len() as u64),
        brotli: beside("br").unwrap_or_else(|| compression::brotli(&bytes).len() as u64),
    })
}

/// Bytes in B, KiB or MiB, three significant digits or so.
pub fn human(bytes: u64) -> String {
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
    fn json_lists_every_size() {
        let size = |raw, gzip, brotli| Size { raw, gzip, brotli };
        let sizes = Sizes {
            wasm: size(10, 8, 7),
            first_load: size(30, 20, 18),
            data: size(5, 4, 3),
            files: vec![
                ("index.html".into(), size(20, 12, 11)),
                ("pkg/distill_bg.wasm".into(), size(10, 8, 7)),
            ],
            anatomy: None,
        };
        assert_eq!(
            sizes.to_json(),
            "{\n  \"wasm\": { \"raw\": 10, \"gzip\": 8, \"brotli\": 7 },\n  \
             \"first_load\": { \"raw\": 30, \"gzip\": 20, \"brotli\": 18 },\n  \
             \"first_load_files\": [\"index.html\", \"pkg/distill_bg.wasm\"],\n  \
             \"data\": { \"raw\": 5, \"gzip\": 4, \"brotli\": 3 },\n  \"files\": {\n    \
             \"index.html\": { \"raw\": 20, \"gzip\": 12, \"brotli\": 11 },\n    \
             \"pkg/distill_bg.wasm\": { \"raw\": 10, \"gzip\": 8, \"brotli\": 7 }\n  }\n}\n"
        );
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }

    #[test]
    fn measures_a_directory_tree_with_its_precompressed_copies() {
        let dir = std::env::temp_dir().join(format!("xtask-sizes-{}", std::process::id()));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::create_dir_all(dir.join("data")).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dir.join(WASM), [0u8; 2048]).unwrap();
        fs::write(dir.join(format!("{WASM}.br")), [0u8; 5]).unwrap();
        fs::write(dir.join("data/digits.bin"), [1u8; 100]).unwrap();
        fs::write(dir.join("faults.js"), [b' '; 10]).unwrap();
        fs::write(dir.join(FILE), "{}").unwrap();
        let sizes = Sizes::measure(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        let names: Vec<&str> = sizes.files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["data/digits.bin", "faults.js", "index.html", WASM]);
        assert_eq!(sizes.wasm.raw, 2048);
        assert_eq!(sizes.wasm.brotli, 5, "the precompressed copy's size");
        assert!(
            sizes.wasm.gzip < 100,
            "compressed here: {}",
            sizes.wasm.gzip
        );
        assert_eq!(sizes.first_load.raw, 2048 + 15);
        assert_eq!(
            sizes.first_load.gzip,
            sizes.files[2].1.gzip + sizes.wasm.gzip
        );
        assert_eq!(
            sizes.data.raw,
            100 + 10,
            "the data and the explanations of faults"
        );
    }

    #[test]
    fn human_sizes_pick_a_unit() {
        assert_eq!(human(1000), "1000 B");
        assert_eq!(human(2048), "2.0 KiB");
        assert_eq!(human(3 * 1_048_576), "3.00 MiB");
    }
}
