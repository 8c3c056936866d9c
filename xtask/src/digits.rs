//! `cargo xtask digits`: writes `www/data/digits.bin`, the UCI optdigits handwritten digits
//! (8×8 pixels, values 0–16) that scikit-learn's wheel carries as
//! `sklearn/datasets/data/digits.csv.gz`, packed small for the page.
//!
//! ```text
//! pip download scikit-learn==VERSION (one pinned wheel) ──python3 zipfile──▶ digits.csv.gz
//!   ──flate2──▶ 1,797 rows "p0,…,p63,label" ──framed::write──▶ www/data/digits.bin (~72 KB)
//! ```
//!
//! The file (`framed::DIGITS`, read by `distill::digits::data::parse`), all integers
//! little-endian:
//!
//! ```text
//! offset  size        what
//! 0       4           magic "DGT1" (the format's version is in its last byte)
//! 4       2           n, the number of digits
//! 6       8           FNV-1a 64 of every byte from offset 14 on
//! 14      n           labels, one byte each, 0–9
//! 14+n    40·n        pixels, 5 bits each (0–16 needs 17 levels), most significant bit
//!                     first, 64 a digit, row by row
//! ```
//!
//! The data: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI
//! Machine Learning Repository (1998), doi:10.24432/C50P49, licensed CC BY 4.0. scikit-learn's
//! copy is the UCI test part (`optdigits.tes`, 1,797 of the 5,620 digits).

use std::io::Read;
use std::path::Path;

use flate2::read::GzDecoder;

use crate::Result;
use crate::fetch::{self, Archive, Package};
use crate::framed;
use crate::stage::stage;

/// Where the digits sit: scikit-learn's wheel, the release and the wheel's exact tags pinned,
/// so that the same file is downloaded whatever Python runs pip.
const DIGITS: Package = Package {
    release: &[
        "scikit-learn==1.6.1",
        "--python-version",
        "3.12",
        "--implementation",
        "cp",
        "--abi",
        "cp312",
        "--platform",
        "manylinux_2_17_x86_64",
    ],
    archive: Archive::Wheel,
    member: "sklearn/datasets/data/digits.csv.gz",
};

/// Pixels per digit and the largest pixel value (a count of ink in a 4×4 block of a 32×32
/// bitmap).
const PIXELS: usize = 64;
const MAX_PIXEL: u8 = 16;

/// Bits per packed pixel: the fewest that hold 0–16.
const BITS: usize = 5;

/// Downloads the wheel, converts its digits and writes them to `out`.
pub fn digits(root: &Path, out: &Path) -> Result {
    let gz = fetch::fetch(root, &DIGITS)?;
    let rows = stage("parse digits.csv.gz", || parse_csv(&gz))?;
    fetch::save(out, &framed::DIGITS, rows.len(), &payload(&rows))
}

/// One digit: its 64 pixels and its label.
type Row = ([u8; PIXELS], u8);

/// Rows of `p0,…,p63,label`, every value checked.
fn parse_csv(gz: &[u8]) -> Result<Vec<Row>> {
    let mut text = String::new();
    GzDecoder::new(gz)
        .read_to_string(&mut text)
        .map_err(|e| format!("{} is not gzipped text: {e}", DIGITS.member))?;
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let values: Vec<u8> = line
                .split(',')
                .map(|v| v.trim().parse::<f32>().ok().map(|v| v as u8))
                .collect::<Option<_>>()
                .ok_or_else(|| format!("line {}: not numbers: {line}", i + 1))?;
            let (pixels, label) = match values.as_slice() {
                [pixels @ .., label] if pixels.len() == PIXELS => (pixels, *label),
                _ => return Err(format!("line {}: {} values, not 65", i + 1, values.len())),
            };
            if label > 9 || pixels.iter().any(|&p| p > MAX_PIXEL) {
                return Err(format!("line {}: a value out of range: {line}", i + 1));
            }
            Ok((pixels.try_into().expect("64 pixels"), label))
        })
        .collect()
}

/// The file's payload: the labels, then the pixels packed `BITS` bits each.
fn payload(rows: &[Row]) -> Vec<u8> {
    let mut body: Vec<u8> = rows.iter().map(|(_, label)| *label).collect();
    let mut packed = vec![0u8; rows.len() * PIXELS * BITS / 8];
    let pixels = rows.iter().flat_map(|(pixels, _)| pixels);
    for (i, &p) in pixels.enumerate() {
        for b in 0..BITS {
            if p >> (BITS - 1 - b) & 1 == 1 {
                let bit = i * BITS + b;
                packed[bit / 8] |= 0x80 >> (bit % 8);
            }
        }
    }
    body.extend(packed);
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gz(text: &str) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn packs_two_digits_five_bits_a_pixel() {
        let mut first = vec!["0"; PIXELS];
        first[0] = "16";
        first[1] = "1";
        let second = vec!["3"; PIXELS];
        let csv = format!("{},7\n{},2\n", first.join(","), second.join(","));
        let rows = parse_csv(&gz(&csv)).unwrap();
        // Framed by the page's own writer, read back by its own reader.
        let file = framed::write(&framed::DIGITS, rows.len(), &payload(&rows)).unwrap();
        assert_eq!(&file[..4], b"DGT1");
        assert_eq!(file.len(), 14 + 2 + 2 * 40);
        let frame = framed::read(&file, &framed::DIGITS, "digits.bin").unwrap();
        assert_eq!(frame.count, 2);
        let body = frame.payload;
        assert_eq!(&body[..2], &[7, 2]);
        // 16 = 10000, 1 = 00001, then zeros: 1000 0000 | 01 00 ...
        assert_eq!(&body[2..4], &[0b1000_0000, 0b0100_0000]);
        // The second digit starts at bit 320 = byte 40 of the pixels: 3 = 00011, repeated.
        assert_eq!(&body[2 + 40..2 + 42], &[0b0001_1000, 0b1100_0110]);
    }

    #[test]
    fn rejects_values_out_of_range_and_short_rows() {
        let row = |last: &str| format!("{},{last}\n", vec!["0"; PIXELS].join(","));
        assert!(
            parse_csv(&gz(&row("10")))
                .unwrap_err()
                .contains("out of range")
        );
        assert!(parse_csv(&gz("1,2,3\n")).unwrap_err().contains("3 values"));
    }
}
