//! `cargo xtask names`: writes `www/data/names.bin`, the 88,799 US surnames of the 1990 census
//! that PyPI's `names` 0.3.0 (MIT) carries as `names/dist.all.last`, lowercased, for the chat
//! chapter's character-level language models.
//!
//! ```text
//! pip download names==0.3.0 (the sdist) ──python3 tarfile──▶ dist.all.last
//!   ──first column, lowercased──▶ 88,799 names a–z ──encode──▶ www/data/names.bin (~695 KB)
//! ```
//!
//! The file (read by `distill::chat::corpus::parse`), integers little-endian:
//!
//! ```text
//! offset  size   what
//! 0       4      magic "NAM1" (the format's version is in its last byte)
//! 4       4      n, the number of names
//! 8       8      FNV-1a 64 of every byte from offset 16 on
//! 16      …      the names in the census's order (most common first), each a–z and ended
//!                by '\n'
//! ```
//!
//! The data: U.S. Census Bureau, "Frequently Occurring Surnames from the 1990 Census" (public
//! domain), as packaged by Trey Hunner's `names` (MIT licence).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::stage::{output, run, stage};

/// The release whose sdist the names come from (it ships no wheel).
const RELEASE: &str = "names==0.3.0";

/// Where the surnames sit inside the sdist.
const MEMBER: &str = "names-0.3.0/names/dist.all.last";

/// Downloads the sdist, converts its surnames and writes them to `out`.
pub fn names(root: &Path, out: &Path) -> Result {
    let tmp = std::env::temp_dir().join(format!("xtask-names-{}", std::process::id()));
    let result = convert(root, &tmp, out);
    let _ = fs::remove_dir_all(&tmp);
    result
}

fn convert(root: &Path, tmp: &Path, out: &Path) -> Result {
    fs::create_dir_all(tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let sdist = stage("pip download", || download(root, tmp))?;
    let text = stage("read the sdist", || read_member(&sdist))?;
    let names = stage("parse dist.all.last", || parse(&text))?;
    let bytes = encode(&names);
    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(out, &bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "wrote {}: {} names, {} bytes, FNV-1a 64 of the file {:#018x}",
        out.display(),
        names.len(),
        bytes.len(),
        fnv1a(&bytes)
    );
    Ok(())
}

/// Runs pip and returns the sdist it saved.
fn download(root: &Path, tmp: &Path) -> Result<PathBuf> {
    run(Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-binary=:all:",
            "--no-deps",
            "--quiet",
            "-d",
        ])
        .arg(tmp)
        .arg(RELEASE)
        .current_dir(root))
    .map_err(|e| {
        format!("{e}\npip (Python 3) and access to PyPI are needed to fetch the names sdist")
    })?;
    fs::read_dir(tmp)
        .map_err(|e| format!("cannot read {}: {e}", tmp.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .find(|path| path.to_string_lossy().ends_with(".tar.gz"))
        .ok_or_else(|| format!("pip saved no sdist in {}", tmp.display()))
}

/// The surname table from inside the sdist (a tar.gz), read by Python's tarfile.
fn read_member(sdist: &Path) -> Result<String> {
    output(
        Command::new("python3")
            .args([
                "-c",
                "import sys, tarfile\n\
                 sys.stdout.write(tarfile.open(sys.argv[1]).extractfile(sys.argv[2]).read().decode('ascii'))",
            ])
            .arg(sdist)
            .arg(MEMBER),
    )
}

/// The first column of `SMITH 1.006 1.006 1` lines, lowercased; every name checked to be
/// letters only.
fn parse(text: &str) -> Result<Vec<String>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let name = line.split_whitespace().next().unwrap_or_default();
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(format!("line {}: not a name: {line}", i + 1));
            }
            Ok(name.to_ascii_lowercase())
        })
        .collect()
}

/// The file described in the module's doc.
fn encode(names: &[String]) -> Vec<u8> {
    let body: Vec<u8> = names
        .iter()
        .flat_map(|name| name.bytes().chain([b'\n']))
        .collect();
    let mut file = b"NAM1".to_vec();
    file.extend((names.len() as u32).to_le_bytes());
    file.extend(fnv1a(&body).to_le_bytes());
    file.extend(body);
    file
}

/// FNV-1a, 64 bits (Fowler, Noll & Vo).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_the_first_column_and_frames_the_file() {
        let names = parse("SMITH          1.006  1.006      1\nO  0.1 0.2 3\n\n").unwrap();
        assert_eq!(names, ["smith", "o"]);
        let file = encode(&names);
        assert_eq!(&file[..4], b"NAM1");
        assert_eq!(u32::from_le_bytes(file[4..8].try_into().unwrap()), 2);
        assert_eq!(&file[16..], b"smith\no\n");
        let sum = u64::from_le_bytes(file[8..16].try_into().unwrap());
        assert_eq!(sum, fnv1a(b"smith\no\n"));
    }

    #[test]
    fn rejects_anything_but_letters() {
        assert!(parse("O'BRIEN 0.1 0.2 3\n").unwrap_err().contains("line 1"));
    }
}
