//! A confusion matrix as a heatmap: which digit is taken for which.

use super::{Area, Drawn, err, font_px};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Cells on the diagonal (right answers), blue; off it (mistakes), orange.
const RIGHT: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const WRONG: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// Draws `matrix` (`[true][predicted]`, `k × k` counts, row-major) under `title`: each cell
/// shaded by its share of its row, counts written in, true class down, predicted across.
pub fn draw<DB: DrawingBackend>(area: &Area<DB>, matrix: &[u32], title: &str, scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let k = (matrix.len() as f64).sqrt() as usize;
    if k == 0 || k * k != matrix.len() {
        return Ok(());
    }
    let font = font_px(area, scale);
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .caption(title, ("sans-serif", font))
        .x_label_area_size(font * 2.4)
        .y_label_area_size(font * 2.4)
        .build_cartesian_2d((0..k - 1).into_segmented(), (0..k - 1).into_segmented())
        .map_err(err)?;
    let name = move |v: &SegmentValue<usize>, flip: bool| match v {
        // Rows run top to bottom: true class 0 on top.
        SegmentValue::CenterOf(i) if flip => (k - 1 - i).to_string(),
        SegmentValue::CenterOf(i) => i.to_string(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("predicted")
        .y_desc("true")
        .x_labels(k)
        .y_labels(k)
        .x_label_formatter(&|x| name(x, false))
        .y_label_formatter(&|y| name(y, true))
        .label_style(("sans-serif", font * 0.8))
        .draw()
        .map_err(err)?;
    for t in 0..k {
        let total: u32 = matrix[t * k..(t + 1) * k].iter().sum::<u32>().max(1);
        for p in 0..k {
            let n = matrix[t * k + p];
            let share = n as f64 / f64::from(total);
            let base = if t == p { RIGHT } else { WRONG };
            let shade = if n == 0 {
                0.0
            } else {
                0.12 + 0.88 * share.sqrt()
            };
            let row = k - 1 - t;
            let (x0, y0) =
                chart.backend_coord(&(SegmentValue::Exact(p), SegmentValue::Exact(row + 1)));
            let (x1, y1) =
                chart.backend_coord(&(SegmentValue::Exact(p + 1), SegmentValue::Exact(row)));
            area.draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                base.mix(shade).filled(),
            ))
            .map_err(err)?;
            if n > 0 {
                let color = if shade > 0.55 { WHITE } else { BLACK };
                area.draw(&Text::new(
                    n.to_string(),
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    ("sans-serif", font * 0.8)
                        .into_font()
                        .color(&color)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))
                .map_err(err)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_nonzero_count_in_its_cell() {
        // 3 classes: 5 and 4 right on the first two rows, one 2 taken for a 0.
        let matrix = [5, 0, 0, 0, 4, 0, 1, 0, 6];
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw(&area, &matrix, "teacher", 1.0).unwrap();
            area.present().unwrap();
        }
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split('>').nth(1)?.split('<').next()?.trim()))
            .collect();
        for n in ["5", "4", "1", "6", "teacher", "predicted", "true"] {
            assert!(texts.contains(&n), "{n} in {texts:?}");
        }
        // The background and the four cells that hold a count (empty cells stay blank).
        assert_eq!(svg.matches("<rect").count(), 1 + 4, "{svg}");
        // Not a square matrix: nothing drawn but the background.
        let mut empty = String::new();
        {
            let area = SVGBackend::with_string(&mut empty, (100, 100)).into_drawing_area();
            draw(&area, &[1, 2, 3], "x", 1.0).unwrap();
        }
        assert!(!empty.contains("<text"));
    }
}
