//! Decision maps: each grid cell shaded by the class a model picks there, paler where it is
//! unsure, with the data on top.

use super::{Area, Drawn, class_color, class_marker, err, stroke};
use crate::playground::dataset::Points;
use plotters::prelude::*;

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
/// An empty `probs` draws a neutral background: the model does not exist yet.
pub fn draw<DB: DrawingBackend>(area: &Area<DB>, map: &MapData, scale: f64) -> Drawn {
    area.fill(&RGBColor(0xF4, 0xF4, 0xF4)).map_err(err)?;
    let [x0, x1, y0, y1] = map.extent;
    let mut chart = ChartBuilder::on(area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    let (n, k) = (map.grid, map.classes);
    let cell = ((x1 - x0) / n as f32, (y1 - y0) / n as f32);
    if map.probs.len() == n * n * k {
        let cells = map.probs.chunks(k).enumerate().map(|(i, p)| {
            let (row, col) = (i / n, i % n);
            let best = (0..k).fold(0, |b, c| if p[c] > p[b] { c } else { b });
            // Confidence 1/k (unsure) → pale, 1 → full colour.
            let confidence = ((p[best] - 1.0 / k as f32) / (1.0 - 1.0 / k as f32)).clamp(0.0, 1.0);
            let color = blend(class_color(best), 0.15 + 0.45 * confidence);
            let left = x0 + col as f32 * cell.0;
            let top = y1 - row as f32 * cell.1;
            Rectangle::new([(left, top), (left + cell.0, top - cell.1)], color.filled())
        });
        chart.draw_series(cells).map_err(err)?;
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

/// `color` mixed with white: `amount` 0 is white, 1 the full colour.
fn blend(color: RGBColor, amount: f32) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - f32::from(c)) * amount).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}
