//! Real handwriting: the UCI optdigits 8×8 digits (Alpaydin & Kaynak 1998, CC BY 4.0), as
//! scikit-learn ships them and `cargo xtask digits` packs them into `www/data/digits.bin`.
//!
//! Each digit is a 32×32 bitmap cut into 4×4 blocks; a pixel counts the ink in its block, so
//! it runs from 0 to 16. The networks see it divided by 16, in `[0, 1]`.

use crate::framed::{self, Frame};
use crate::rng::Rng;

/// The file's name in `www/data/`, as messages name it.
pub const FILE: &str = "digits.bin";
/// Pixels per side.
pub const SIDE: usize = 8;
/// Pixels per digit: the networks' input width.
pub const PIXELS: usize = SIDE * SIDE;
/// Classes: the digits 0–9.
pub const CLASSES: usize = 10;
/// The largest pixel value: all 16 bits of a 4×4 block inked.
pub const MAX_PIXEL: u8 = 16;

/// Bits per packed pixel; see `xtask/src/digits.rs` for the layout.
const BITS: usize = 5;
// The frame's item: a label and a digit's packed pixels.
const _: () = assert!(matches!(framed::DIGITS.item_bytes, Some(b) if b == 1 + PIXELS * BITS / 8));

/// Labelled digits: `x` holds the pixels divided by 16, `[len, 64]` row-major.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Digits {
    /// Pixels in `[0, 1]`, 64 a digit, row by row from the top left.
    pub x: Vec<f32>,
    /// The digit each one shows, 0–9.
    pub y: Vec<u32>,
}

impl Digits {
    /// Number of digits.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The digits at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Digits {
        Digits {
            x: indices
                .iter()
                .flat_map(|&i| &self.x[i * PIXELS..(i + 1) * PIXELS])
                .copied()
                .collect(),
            y: indices.iter().map(|&i| self.y[i]).collect(),
        }
    }

    /// Every digit except those of `class`: the paper's transfer set with a class left out.
    pub fn without(&self, class: u32) -> Digits {
        let keep: Vec<usize> = (0..self.len()).filter(|&i| self.y[i] != class).collect();
        self.select(&keep)
    }

    /// A seeded split into `(train, test)` with exactly `test` digits held out and the classes
    /// in proportion: each class is shuffled, its members ranked by their place in it (the
    /// first of 180 at 0.5/180, …), and the `test` lowest ranks held out.
    pub fn split(&self, test: usize, seed: u64) -> (Digits, Digits) {
        let mut rng = Rng::fork(seed, "digits split");
        let mut ranked: Vec<(f64, usize)> = Vec::with_capacity(self.len());
        for class in 0..CLASSES as u32 {
            let mut members: Vec<usize> = (0..self.len()).filter(|&i| self.y[i] == class).collect();
            rng.shuffle(&mut members);
            let m = members.len() as f64;
            ranked.extend(
                members
                    .iter()
                    .enumerate()
                    .map(|(r, &i)| ((r as f64 + 0.5) / m, i)),
            );
        }
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut order: Vec<usize> = ranked.into_iter().map(|(_, i)| i).collect();
        let mut train = order.split_off(test.min(order.len()));
        rng.shuffle(&mut order);
        rng.shuffle(&mut train);
        (self.select(&train), self.select(&order))
    }
}

/// Reads the bytes of `digits.bin`; `name` (the file's path or URL) heads every error, which
/// says what is wrong: too short, not this format, a damaged body, or a value out of range.
pub fn parse(bytes: &[u8], name: &str) -> Result<Digits, String> {
    let fail = |why: String| Err(format!("{name}: {why}"));
    // The frame checks the size: a label and 5-bit pixels for each digit.
    let Frame { count: n, payload } = framed::read(bytes, &framed::DIGITS, name)?;
    let (labels, packed) = payload.split_at(n);
    if let Some(i) = labels.iter().position(|&l| usize::from(l) >= CLASSES) {
        return fail(format!("digit {i} has label {}, not 0–9", labels[i]));
    }
    let mut x = Vec::with_capacity(n * PIXELS);
    for i in 0..n * PIXELS {
        let value = (0..BITS).fold(0u8, |v, b| {
            let bit = i * BITS + b;
            v << 1 | (packed[bit / 8] >> (7 - bit % 8) & 1)
        });
        if value > MAX_PIXEL {
            return fail(format!(
                "digit {} has a pixel of {value}, above {MAX_PIXEL}",
                i / PIXELS
            ));
        }
        x.push(f32::from(value) / f32::from(MAX_PIXEL));
    }
    Ok(Digits {
        x,
        y: labels.iter().map(|&l| u32::from(l)).collect(),
    })
}

/// Side of the bitmap optdigits were counted from: 32×32, in 4×4 blocks.
const BITMAP: usize = 32;

/// A drawing turned into a digit as optdigits made theirs: `ink` holds one coverage value a
/// pixel (0–255, e.g. a canvas's alpha), `width × height` row by row. The ink's bounding box
/// is scaled, aspect kept, to fill the 32×32 bitmap's height (or its width, if wider than
/// tall) and centred; a bitmap pixel is on when at least a third of what it covers is inked;
/// each 4×4 block's count of on pixels (0–16) is the digit's pixel, returned divided by 16.
/// A blank drawing gives 64 zeros.
pub fn from_sketch(ink: &[u8], width: usize, height: usize) -> Vec<f32> {
    let inked = |x: usize, y: usize| ink[y * width + x] >= 128;
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..height.min(ink.len() / width.max(1)) {
        for x in 0..width {
            if inked(x, y) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    if x0 == usize::MAX {
        return vec![0.0; PIXELS];
    }
    let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
    let scale = BITMAP as f32 / bw.max(bh); // bitmap pixels per drawing pixel
    let (left, top) = (
        (BITMAP as f32 - bw * scale) / 2.0,
        (BITMAP as f32 - bh * scale) / 2.0,
    );
    let mut counts = [0u8; PIXELS];
    for by in 0..BITMAP {
        for bx in 0..BITMAP {
            // The drawing's pixels under bitmap pixel (bx, by).
            let from = |b: usize, offset: f32, origin: usize, end: usize| {
                let lo = origin as f32 + (b as f32 - offset) / scale;
                let hi = origin as f32 + (b as f32 + 1.0 - offset) / scale;
                let (lo, hi) = (lo.max(origin as f32), hi.min(end as f32 + 1.0));
                (
                    lo.floor() as usize,
                    (hi.ceil() as usize).max(lo.floor() as usize),
                )
            };
            let (sx0, sx1) = from(bx, left, x0, x1);
            let (sy0, sy1) = from(by, top, y0, y1);
            let area = (sx1.saturating_sub(sx0)) * (sy1.saturating_sub(sy0));
            if area == 0 {
                continue;
            }
            let on = (sy0..sy1)
                .flat_map(|y| (sx0..sx1).map(move |x| (x, y)))
                .filter(|&(x, y)| inked(x, y))
                .count();
            if 3 * on >= area {
                counts[(by / 4) * SIDE + bx / 4] += 1;
            }
        }
    }
    counts
        .iter()
        .map(|&c| f32::from(c) / f32::from(MAX_PIXEL))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checksum::fnv1a;

    /// The committed file.
    pub(crate) const BYTES: &[u8] = include_bytes!("../../../www/data/digits.bin");

    /// FNV-1a 64 of the whole committed file, as `cargo xtask digits` printed it.
    const FILE_FNV1A: u64 = 0x0acf_476b_ba31_e5eb;

    #[test]
    fn the_committed_file_holds_all_1797_digits_unchanged() {
        assert_eq!(fnv1a(BYTES), FILE_FNV1A);
        // The writer `cargo xtask digits` uses frames the same payload bit for bit.
        let frame = framed::read(BYTES, &framed::DIGITS, FILE).unwrap();
        assert!(framed::write(&framed::DIGITS, frame.count, frame.payload).unwrap() == BYTES);
        let digits = parse(BYTES, FILE).unwrap();
        assert_eq!(digits.len(), 1797);
        assert_eq!(digits.x.len(), 1797 * PIXELS);
        assert!(digits.y.iter().all(|&y| y < 10));
        assert!(digits.x.iter().all(|&p| (0.0..=1.0).contains(&p)));
        // Every value is a whole count of 16ths, and both ends occur.
        assert!(digits.x.iter().all(|&p| (p * 16.0).fract() == 0.0));
        assert!(digits.x.contains(&0.0) && digits.x.contains(&1.0));
        // scikit-learn's first digit is a 0 whose top row is 0,0,5,13,9,1,0,0.
        assert_eq!(digits.y[0], 0);
        let row: Vec<f32> = digits.x[..8].iter().map(|p| p * 16.0).collect();
        assert_eq!(row, [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
        // Class sizes as scikit-learn reports them: 174 eights up to 183 threes.
        let count = |c: u32| digits.y.iter().filter(|&&y| y == c).count();
        assert_eq!((count(8), count(3)), (174, 183));
    }

    #[test]
    fn damaged_files_say_which_file_and_why() {
        let err = |bytes: &[u8]| parse(bytes, "data/digits.bin").unwrap_err();
        assert!(err(&BYTES[..10]).starts_with("data/digits.bin: truncated"));
        assert!(err(&BYTES[..BYTES.len() - 1]).contains("truncated"));
        assert!(err(b"<!doctype html><html>").contains("not a digits file"));
        let mut flipped = BYTES.to_vec();
        flipped[5000] ^= 1;
        assert!(err(&flipped).contains("checksum mismatch"));
        assert!(err(&[]).contains("truncated"));
    }

    #[test]
    fn a_sketch_becomes_an_optdigits_digit() {
        assert_eq!(from_sketch(&[0; 100], 10, 10), vec![0.0; PIXELS]);
        // A solid bar, 20 wide and 80 tall, in a 100×100 drawing: scaled ×0.4 to 8×32 and
        // centred, it covers bitmap columns 12–19, so blocks 3 and 4 of every row are full.
        let mut ink = vec![0u8; 100 * 100];
        for y in 10..90 {
            for x in 40..60 {
                ink[y * 100 + x] = 255;
            }
        }
        let digit = from_sketch(&ink, 100, 100);
        for row in digit.chunks(SIDE) {
            assert_eq!(row, [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
        }
        // The same bar anywhere, any size, gives the same digit: position and scale are
        // normalised away.
        let mut small = vec![0u8; 64 * 48];
        for y in 0..20 {
            for x in 50..55 {
                small[y * 64 + x] = 200;
            }
        }
        assert_eq!(from_sketch(&small, 64, 48), digit);
        // A square outline a sixteenth of its side thick: 2 bitmap pixels, so a border block
        // has 2 of its 4 rows on (8 of 16), a corner block 12, the inside none.
        let mut ring = vec![0u8; 64 * 64];
        for y in 0..64 {
            for x in 0..64 {
                if !(4..60).contains(&x) || !(4..60).contains(&y) {
                    ring[y * 64 + x] = 255;
                }
            }
        }
        let square = from_sketch(&ring, 64, 64);
        assert_eq!(square[0], 12.0 / 16.0);
        assert_eq!(square[3], 8.0 / 16.0);
        assert_eq!(square[3 * SIDE], 8.0 / 16.0);
        assert_eq!(square[3 * SIDE + 3], 0.0);
    }

    #[test]
    fn split_is_seeded_stratified_and_disjoint() {
        let digits = parse(BYTES, FILE).unwrap();
        let (train, test) = digits.split(450, 1);
        assert_eq!((train.len(), test.len()), (1347, 450));
        assert_eq!(digits.split(450, 1).1, test);
        assert_ne!(digits.split(450, 2).1, test);
        for class in 0..10 {
            let n = test.y.iter().filter(|&&y| y == class).count();
            assert!((43..=47).contains(&n), "class {class}: {n} test digits");
        }
        // Disjoint: every digit of the set is on exactly one side (compared as pixel rows).
        let rows = |d: &Digits| {
            let mut r: Vec<Vec<u32>> =
                d.x.chunks(PIXELS)
                    .zip(&d.y)
                    .map(|(x, &y)| x.iter().map(|p| (p * 16.0) as u32).chain([y]).collect())
                    .collect();
            r.sort();
            r
        };
        let mut both = rows(&train);
        both.extend(rows(&test));
        both.sort();
        assert_eq!(both, rows(&digits));
        let no_threes = train.without(3);
        assert!(no_threes.y.iter().all(|&y| y != 3));
        assert_eq!(
            no_threes.len(),
            train.len() - train.y.iter().filter(|&&y| y == 3).count()
        );
    }
}
