//! Decision maps: each grid cell shaded by the class a model picks there, paler where it is
//! unsure, with the data on top.

use super::{Area, Drawn, class_color, class_marker, err, stroke};
use crate::playground::dataset::Points;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// How a map's cells reach the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    /// One rectangle per cell: each cell stays a shape (SVG, and the report's files).
    Shapes,
    /// One bitmap of the area, a pixel per backend pixel: a canvas paints it in one call
    /// instead of one per cell.
    Bitmap,
}

/// What a map shows: a model's class probabilities on the grid and the points over it.
pub struct MapData<'a> {
    /// Probabilities `[n·n, classes]`, row-major, top row first.
    pub probs: &'a [f32],
    /// Cells per side.
    pub grid: usize,
    /// Number of classes.
    pub classes: usize,
    /// `[xmin, xmax, ymin, ymax]` of the plane.
    pub extent: [f32; 4],
    /// Points drawn on top, coloured by label.
    pub points: Option<&'a Points>,
    /// A point to mark (the dark-knowledge probe).
    pub marker: Option<[f32; 2]>,
}

/// Fills the whole area with the map (no axes or margins, so a pixel maps linearly onto the
/// plane), points marked by class in colour and shape, at `scale` (see [`super::font_px`]).
/// An empty `probs` draws a neutral background: the model does not exist yet. `cells` says how
/// the cells are painted; both ways give each pixel the colour of the cell it lies in.
pub fn draw<DB: DrawingBackend>(area: &Area<DB>, map: &MapData, scale: f64, cells: Cells) -> Drawn {
    let [x0, x1, y0, y1] = map.extent;
    let (n, k) = (map.grid, map.classes);
    let colors = (map.probs.len() == n * n * k).then(|| cell_colors(map.probs, k));
    match (&colors, cells) {
        (Some(colors), Cells::Bitmap) => area.draw(&Pixels::of(colors, n, area.dim_in_pixel())),
        _ => area.fill(&RGBColor(0xF4, 0xF4, 0xF4)),
    }
    .map_err(err)?;
    let mut chart = ChartBuilder::on(area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    if let (Some(colors), Cells::Shapes) = (&colors, cells) {
        let cell = ((x1 - x0) / n as f32, (y1 - y0) / n as f32);
        let rects = colors.iter().enumerate().map(|(i, &color)| {
            let (row, col) = (i / n, i % n);
            let left = x0 + col as f32 * cell.0;
            let top = y1 - row as f32 * cell.1;
            Rectangle::new([(left, top), (left + cell.0, top - cell.1)], color.filled())
        });
        chart.draw_series(rects).map_err(err)?;
    }
    if let Some(points) = map.points {
        let (w, _) = area.dim_in_pixel();
        let r = ((f64::from(w) / scale / 110.0).clamp(2.5, 4.0) * scale).round() as i32;
        let dots = points.x.chunks(2).zip(&points.y).map(|(p, &c)| {
            let c = c as usize;
            class_marker(c).at((p[0], p[1]), r, class_color(c))
        });
        chart.draw_series(dots).map_err(err)?;
    }
    if let Some([x, y]) = map.marker {
        let size = (9.0 * scale).round() as i32;
        let cross = EmptyElement::at((x, y))
            + Circle::new((0, 0), size, WHITE.stroke_width(stroke(4.0, scale)))
            + Circle::new((0, 0), size, BLACK.stroke_width(stroke(2.0, scale)));
        chart.draw_series(std::iter::once(cross)).map_err(err)?;
    }
    Ok(())
}

/// Each cell's colour, row-major from the top: its class's colour, paler where the model is
/// unsure.
fn cell_colors(probs: &[f32], k: usize) -> Vec<RGBColor> {
    probs
        .chunks(k)
        .map(|p| {
            let best = (0..k).fold(0, |b, c| if p[c] > p[b] { c } else { b });
            // Confidence 1/k (unsure) → pale, 1 → full colour.
            let confidence = ((p[best] - 1.0 / k as f32) / (1.0 - 1.0 / k as f32)).clamp(0.0, 1.0);
            blend(class_color(best), 0.15 + 0.45 * confidence)
        })
        .collect()
}

/// The cells as an RGB image of the whole area: pixel (x, y) takes the colour of the cell
/// that holds its centre.
struct Pixels {
    rgb: Vec<u8>,
    size: (u32, u32),
}

impl Pixels {
    fn of(colors: &[RGBColor], n: usize, (width, height): (u32, u32)) -> Self {
        let cell = |pixel: u32, pixels: u32| {
            ((2 * pixel as usize + 1) * n / (2 * pixels as usize)).min(n - 1)
        };
        let cols: Vec<usize> = (0..width).map(|x| cell(x, width)).collect();
        let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
        for y in 0..height {
            let row = &colors[cell(y, height) * n..][..n];
            for &col in &cols {
                let RGBColor(r, g, b) = row[col];
                rgb.extend_from_slice(&[r, g, b]);
            }
        }
        Self {
            rgb,
            size: (width, height),
        }
    }
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Pixels {
    type Point = &'a BackendCoord;
    type IntoIter = std::iter::Once<&'a BackendCoord>;

    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&(0, 0))
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Pixels {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match points.next() {
            Some(origin) => backend.blit_bitmap(origin, self.size, &self.rgb),
            None => Ok(()),
        }
    }
}

/// `color` mixed with white: `amount` 0 is white, 1 the full colour.
fn blend(color: RGBColor, amount: f32) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - f32::from(c)) * amount).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pixel_takes_the_cell_under_its_centre() {
        let (a, b, c, d) = (
            RGBColor(1, 0, 0),
            RGBColor(2, 0, 0),
            RGBColor(3, 0, 0),
            RGBColor(4, 0, 0),
        );
        // 2 × 2 cells on 5 × 3 pixels: pixel centres 0.5, 1.5 | 2.5, 3.5, 4.5 across (a centre
        // on the boundary goes right) and 0.5 | 1.5, 2.5 down.
        let pixels = Pixels::of(&[a, b, c, d], 2, (5, 3));
        assert_eq!(pixels.size, (5, 3));
        let reds: Vec<u8> = pixels.rgb.chunks(3).map(|p| p[0]).collect();
        assert_eq!(reds, [1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 3, 3, 4, 4, 4]);
    }

    #[test]
    fn a_cell_is_pale_where_the_model_is_unsure() {
        let colors = cell_colors(&[0.9, 0.05, 0.05, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0], 3);
        let whiteness = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        assert!(whiteness(colors[1]) > whiteness(colors[0]));
        assert_eq!(colors[1], blend(class_color(0), 0.15));
    }
}
