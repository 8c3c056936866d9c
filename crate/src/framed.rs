//! The framed files the page's data ships in (`www/data/names.bin`, `www/data/digits.bin`): a
//! magic naming the format, a count of items, the FNV-1a 64 of the payload, then the payload.
//! Integers are little-endian:
//!
//! ```text
//! offset  size   what
//! 0       4      magic, e.g. "NAM1" (the format's version is in its last byte)
//! 4       c      the number of items (c bytes: see the layout)
//! 4+c     8      FNV-1a 64 of the payload
//! 12+c    …      the payload, as the chapter reads it
//! ```
//!
//! `cargo xtask names | digits` write the files with [`write`] and the chapters read them with
//! [`read`]: the same code, for xtask compiles this file and `checksum.rs` as modules of its
//! own (rather than depend on this crate and build burn for a build tool). So this file uses
//! nothing of the crate but [`crate::checksum`].

use crate::checksum::fnv1a;

/// A framed format: its magic, its count's width, and how big its items are.
pub struct Layout {
    /// The first four bytes.
    pub magic: [u8; 4],
    /// What its items are, as messages name them and the file ("not a names file").
    pub items: &'static str,
    /// Bytes of the count: 4 (up to 4,294,967,295 items) or 2 (up to 65,535).
    pub count_bytes: usize,
    /// Bytes an item takes in the payload, if all take the same; a file of another size is
    /// then refused before its checksum is computed.
    pub item_bytes: Option<usize>,
}

/// `names.bin`: the census surnames, each a–z and ended by `'\n'` (see `chat::corpus`).
pub const NAMES: Layout = Layout {
    magic: *b"NAM1",
    items: "names",
    count_bytes: 4,
    item_bytes: None,
};

/// `digits.bin`: n labels, a byte each, then the digits' 64 pixels at 5 bits each, so 41
/// bytes a digit (see `digits::data`).
pub const DIGITS: Layout = Layout {
    magic: *b"DGT1",
    items: "digits",
    count_bytes: 2,
    item_bytes: Some(1 + 64 * 5 / 8),
};

impl Layout {
    /// Bytes before the payload: magic, count and checksum.
    pub const fn header(&self) -> usize {
        4 + self.count_bytes + 8
    }
}

/// A file read and checked: its count (not yet checked against the payload, which is the
/// chapter's to read) and its payload.
#[derive(Debug, PartialEq)]
pub struct Frame<'a> {
    /// The number of items the header gives.
    pub count: usize,
    /// Every byte after the header, its checksum checked.
    pub payload: &'a [u8],
}

/// Reads the frame of a file in `layout`; `name` (the file's path or URL) heads every error,
/// which says what is wrong: too short, not this format, the wrong size for its count, a
/// damaged payload.
pub fn read<'a>(bytes: &'a [u8], layout: &Layout, name: &str) -> Result<Frame<'a>, String> {
    let fail = |why: String| Err(format!("{name}: {why}"));
    let header = layout.header();
    if bytes.len() < header {
        return fail(format!(
            "truncated: {} bytes, not even the {header}-byte header",
            bytes.len()
        ));
    }
    if bytes[..4] != layout.magic {
        return fail(format!(
            "not a {} file (it starts {:?}, not {:?})",
            layout.items,
            String::from_utf8_lossy(&bytes[..4]),
            String::from_utf8_lossy(&layout.magic)
        ));
    }
    let (count, checksum) = bytes[4..header].split_at(layout.count_bytes);
    let count = count
        .iter()
        .rev()
        .fold(0usize, |n, &b| n << 8 | usize::from(b));
    if let Some(item) = layout.item_bytes {
        let expected = count.saturating_mul(item).saturating_add(header);
        if bytes.len() != expected {
            return fail(format!(
                "truncated or padded: {} bytes where {count} {} take {expected}",
                bytes.len(),
                layout.items
            ));
        }
    }
    let stored = u64::from_le_bytes(checksum.try_into().expect("8 bytes"));
    let payload = &bytes[header..];
    let actual = fnv1a(payload);
    if actual != stored {
        // With the size checked, only damage is left; without, a short file ends here too.
        let what = match layout.item_bytes {
            Some(_) => "damaged",
            None => "damaged or truncated",
        };
        return fail(format!(
            "checksum mismatch (FNV-1a {actual:#018x}, the header says {stored:#018x}): the file \
             is {what}"
        ));
    }
    Ok(Frame { count, payload })
}

/// The file in `layout` with `count` items in `payload`; an error if the count does not fit
/// its header or the payload is the wrong size for it.
#[cfg(not(target_arch = "wasm32"))]
pub fn write(layout: &Layout, count: usize, payload: &[u8]) -> Result<Vec<u8>, String> {
    let bytes = (count as u64).to_le_bytes();
    let (count_bytes, rest) = bytes.split_at(layout.count_bytes);
    if rest.iter().any(|&b| b != 0) {
        return Err(format!(
            "{count} {} do not fit the {}-byte count of a {} file",
            layout.items,
            layout.count_bytes,
            String::from_utf8_lossy(&layout.magic)
        ));
    }
    if let Some(item) = layout.item_bytes
        && payload.len() != count * item
    {
        return Err(format!(
            "{count} {} take {} bytes, not {}",
            layout.items,
            count * item,
            payload.len()
        ));
    }
    let mut file = layout.magic.to_vec();
    file.extend(count_bytes);
    file.extend(fnv1a(payload).to_le_bytes());
    file.extend(payload);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_the_same() {
        for (layout, count, payload) in [
            (&NAMES, 2, b"ab\nc\n".to_vec()),
            (&NAMES, 0, Vec::new()),
            (&DIGITS, 2, (0..82).collect()),
        ] {
            let file = write(layout, count, &payload).unwrap();
            assert_eq!(file.len(), layout.header() + payload.len());
            let frame = read(&file, layout, "f.bin").unwrap();
            assert_eq!(
                frame,
                Frame {
                    count,
                    payload: &payload
                }
            );
        }
    }

    #[test]
    fn writes_the_documented_layout() {
        let file = write(&NAMES, 2, b"ab\nc\n").unwrap();
        assert_eq!(&file[..4], b"NAM1");
        assert_eq!(&file[4..8], &2u32.to_le_bytes());
        assert_eq!(&file[8..16], &fnv1a(b"ab\nc\n").to_le_bytes());
        assert_eq!(&file[16..], b"ab\nc\n");
        let file = write(&DIGITS, 1, &[7; 41]).unwrap();
        assert_eq!(&file[..6], b"DGT1\x01\x00");
        assert_eq!(DIGITS.header(), 14);
    }

    #[test]
    fn refuses_what_would_not_read_back() {
        assert!(
            write(&DIGITS, 70_000, &[])
                .unwrap_err()
                .contains("do not fit")
        );
        assert_eq!(
            write(&DIGITS, 2, &[0; 41]).unwrap_err(),
            "2 digits take 82 bytes, not 41"
        );
    }

    #[test]
    fn a_fault_is_named_with_the_file() {
        let names = write(&NAMES, 2, b"ab\nc\n").unwrap();
        let digits = write(&DIGITS, 2, &[3; 82]).unwrap();
        let err = |bytes: &[u8], layout| read(bytes, layout, "data/f.bin").unwrap_err();
        let mut flipped = names.clone();
        flipped[17] ^= 1;
        assert!(
            err(&flipped, &NAMES).starts_with("data/f.bin: checksum mismatch (FNV-1a 0x"),
            "{}",
            err(&flipped, &NAMES)
        );
        assert!(err(&flipped, &NAMES).ends_with("the file is damaged or truncated"));
        let mut flipped = digits.clone();
        flipped[40] ^= 1;
        assert!(err(&flipped, &DIGITS).ends_with("): the file is damaged"));
        assert!(err(&names[..names.len() - 1], &NAMES).contains("checksum mismatch"));
        assert_eq!(
            err(&digits[..digits.len() - 1], &DIGITS),
            "data/f.bin: truncated or padded: 95 bytes where 2 digits take 96"
        );
        assert_eq!(
            err(&names[..15], &NAMES),
            "data/f.bin: truncated: 15 bytes, not even the 16-byte header"
        );
        assert_eq!(
            err(&names, &DIGITS),
            "data/f.bin: not a digits file (it starts \"NAM1\", not \"DGT1\")"
        );
    }
}
