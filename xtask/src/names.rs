//! `cargo xtask names`: writes `www/data/names.bin`, the 88,799 US surnames of the 1990 census
//! that PyPI's `names` 0.3.0 (MIT) carries as `names/dist.all.last`, lowercased, for the chat
//! chapter's character-level language models.
//!
//! ```text
//! pip download names==0.3.0 (the sdist) ──python3 tarfile──▶ dist.all.last
//!   ──first column, lowercased──▶ 88,799 names a–z ──framed::write──▶ www/data/names.bin
//!   (~695 KB)
//! ```
//!
//! The file (`framed::NAMES`, read by `distill::chat::corpus::parse`), integers
//! little-endian:
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

use std::path::Path;

use crate::Result;
use crate::fetch::{self, Archive, Package};
use crate::framed;
use crate::stage::stage;

/// Where the surnames sit: the release's sdist (it ships no wheel).
const NAMES: Package = Package {
    release: &["names==0.3.0"],
    archive: Archive::Sdist,
    member: "names-0.3.0/names/dist.all.last",
};

/// Downloads the sdist, converts its surnames and writes them to `out`.
pub fn names(root: &Path, out: &Path) -> Result {
    let table = fetch::fetch(root, &NAMES)?;
    let text = String::from_utf8(table).map_err(|_| format!("{} is not text", NAMES.member))?;
    let names = stage("parse dist.all.last", || parse(&text))?;
    fetch::save(out, &framed::NAMES, names.len(), &payload(&names))
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

/// The file's payload: each name and a '\n'.
fn payload(names: &[String]) -> Vec<u8> {
    names
        .iter()
        .flat_map(|name| name.bytes().chain([b'\n']))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_the_first_column_and_frames_the_file() {
        let names = parse("SMITH          1.006  1.006      1\nO  0.1 0.2 3\n\n").unwrap();
        assert_eq!(names, ["smith", "o"]);
        // Framed by the page's own writer, read back by its own reader.
        let file = framed::write(&framed::NAMES, names.len(), &payload(&names)).unwrap();
        assert_eq!(&file[..4], b"NAM1");
        let frame = framed::read(&file, &framed::NAMES, "names.bin").unwrap();
        assert_eq!((frame.count, frame.payload), (2, &b"smith\no\n"[..]));
    }

    #[test]
    fn rejects_anything_but_letters() {
        assert!(parse("O'BRIEN 0.1 0.2 3\n").unwrap_err().contains("line 1"));
    }
}
