//! The dense grid over the input plane on which decision maps are drawn and the students'
//! agreement with the teacher is measured.

use crate::playground::dataset::EXTENT;

/// An `n × n` grid of cell centres covering `[-EXTENT, EXTENT]²`, row-major, top row first
/// (y decreasing), as an image is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Cells per side.
    pub n: usize,
}

impl Grid {
    /// The grid the page and the reports use: 48 × 48 = 2,304 points.
    pub const DEFAULT: Grid = Grid { n: 48 };

    /// The cell centres as `[x0, y0, x1, y1, …]`.
    pub fn points(&self) -> Vec<f32> {
        let cell = 2.0 * EXTENT / self.n as f32;
        (0..self.n)
            .flat_map(|row| {
                (0..self.n).flat_map(move |col| {
                    [
                        -EXTENT + (col as f32 + 0.5) * cell,
                        EXTENT - (row as f32 + 0.5) * cell,
                    ]
                })
            })
            .collect()
    }

    /// `[xmin, xmax, ymin, ymax]` of the plane the grid covers.
    pub fn extent(&self) -> [f32; 4] {
        [-EXTENT, EXTENT, -EXTENT, EXTENT]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_centred_and_top_row_first() {
        let p = Grid { n: 2 }.points();
        let h = EXTENT / 2.0;
        assert_eq!(p, vec![-h, h, h, h, -h, -h, h, -h]);
    }
}
