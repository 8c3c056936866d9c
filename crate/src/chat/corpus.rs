//! The chat chapter's text: 88,799 US census surnames (1990, public domain, from PyPI's
//! `names` 0.3.0, MIT), as `cargo xtask names` packs them into `www/data/names.bin`, and the
//! 27 symbols the language models read and write: the end marker and `a`–`z`.

use crate::framed::{self, Frame};
use crate::rng::Rng;

/// The file's name in `www/data/`, as messages name it.
pub const FILE: &str = "names.bin";
/// Symbols: the end marker (token 0, shown as `.`) and the letters `a`–`z` (tokens 1–26).
pub const SYMBOLS: usize = 27;
/// The end marker's token: it ends every name and is the context a name starts from.
pub const END: u8 = 0;
/// The longest name in the file, in letters.
pub const MAX_LETTERS: usize = 13;
/// Positions a model sees per name: its letters and the end marker.
pub const POSITIONS: usize = MAX_LETTERS + 1;
/// Names held out of training, for every held-out figure; the other 80,000 train.
pub const HELD_OUT: usize = 8_799;

/// A name's tokens, without the end marker. Letters only; anything else is `None`.
pub fn encode(name: &str) -> Option<Vec<u8>> {
    name.bytes()
        .map(|b| b.is_ascii_lowercase().then(|| b - b'a' + 1))
        .collect()
}

/// The text of `tokens`: letters, and `.` for the end marker.
pub fn decode(tokens: &[u8]) -> String {
    tokens
        .iter()
        .map(|&t| {
            if t == END {
                '.'
            } else {
                char::from(b'a' + t - 1)
            }
        })
        .collect()
}

/// Reads the bytes of `names.bin` into names as tokens; `name` (the file's path or URL) heads
/// every error, which says what is wrong: too short, not this format, a damaged body, a
/// character that is not a letter, a name too long.
pub fn parse(bytes: &[u8], name: &str) -> Result<Vec<Vec<u8>>, String> {
    let fail = |why: String| Err(format!("{name}: {why}"));
    let Frame { count: n, payload } = framed::read(bytes, &framed::NAMES, name)?;
    let text = std::str::from_utf8(payload).map_err(|_| format!("{name}: not text"))?;
    let names: Vec<Vec<u8>> = text
        .split_terminator('\n')
        .enumerate()
        .map(|(i, line)| match encode(line) {
            Some(t) if (1..=MAX_LETTERS).contains(&t.len()) => Ok(t),
            _ => Err(format!(
                "{name}: name {i} is {line:?}, not 1–13 letters a–z"
            )),
        })
        .collect::<Result<_, _>>()?;
    if names.len() != n {
        return fail(format!("{} names where the header says {n}", names.len()));
    }
    Ok(names)
}

/// A seeded split into `(train, held_out)` with exactly `held` names held out.
pub fn split(names: &[Vec<u8>], held: usize, seed: u64) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut order: Vec<usize> = (0..names.len()).collect();
    Rng::fork(seed, "names split").shuffle(&mut order);
    let pick = |idx: &[usize]| idx.iter().map(|&i| names[i].clone()).collect::<Vec<_>>();
    let held = held.min(names.len());
    (pick(&order[held..]), pick(&order[..held]))
}

/// Tokens a name costs when written or read: its letters and the end marker.
pub fn tokens(name: &[u8]) -> usize {
    name.len() + 1
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checksum::fnv1a;

    /// The committed file.
    pub(crate) const BYTES: &[u8] = include_bytes!("../../../www/data/names.bin");

    /// FNV-1a 64 of the whole committed file, as `cargo xtask names` printed it.
    const FILE_FNV1A: u64 = 0x5c19_05bb_b07e_0be5;

    #[test]
    fn the_committed_file_holds_all_88799_names_unchanged() {
        assert_eq!(fnv1a(BYTES), FILE_FNV1A);
        // The writer `cargo xtask names` uses frames the same payload bit for bit.
        let frame = framed::read(BYTES, &framed::NAMES, FILE).unwrap();
        assert!(framed::write(&framed::NAMES, frame.count, frame.payload).unwrap() == BYTES);
        let names = parse(BYTES, FILE).unwrap();
        assert_eq!(names.len(), 88_799);
        // The census's order: most common first.
        let first: Vec<String> = names[..3].iter().map(|n| decode(n)).collect();
        assert_eq!(first, ["smith", "johnson", "williams"]);
        let letters: usize = names.iter().map(Vec::len).sum();
        assert_eq!(letters + names.len(), 695_422);
        assert_eq!(names.iter().map(Vec::len).max(), Some(MAX_LETTERS));
    }

    #[test]
    fn the_split_is_seeded_disjoint_and_exact() {
        let names = parse(BYTES, FILE).unwrap();
        let (train, held) = split(&names, HELD_OUT, 1);
        assert_eq!((train.len(), held.len()), (80_000, HELD_OUT));
        assert_eq!(split(&names, HELD_OUT, 1).1, held);
        assert_ne!(split(&names, HELD_OUT, 2).1, held);
        // The census lists each surname once, so disjoint names mean a disjoint split.
        let seen: std::collections::HashSet<&Vec<u8>> = train.iter().collect();
        assert!(held.iter().all(|n| !seen.contains(n)));
    }

    #[test]
    fn damaged_files_say_which_file_and_why() {
        let err = |bytes: &[u8]| parse(bytes, "data/names.bin").unwrap_err();
        assert!(err(&BYTES[..10]).starts_with("data/names.bin: truncated"));
        assert!(err(&BYTES[..BYTES.len() - 1]).contains("checksum mismatch"));
        assert!(err(b"<!doctype html><html>").contains("not a names file"));
        let file = framed::write(&framed::NAMES, 2, b"abc\nx1\n").unwrap();
        assert!(err(&file).contains("name 1 is \"x1\""));
        let file = framed::write(&framed::NAMES, 3, b"abc\nx\n").unwrap();
        assert!(err(&file).ends_with(": 2 names where the header says 3"));
    }

    #[test]
    fn tokens_round_trip() {
        assert_eq!(encode("abz"), Some(vec![1, 2, 26]));
        assert_eq!(encode("a-b"), None);
        assert_eq!(decode(&[3, 1, 2, END]), "cab.");
    }
}
