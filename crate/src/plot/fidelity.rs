//! The API story's key chart: each format's fidelity to the teacher (top) and test accuracy
//! (bottom) against queries spent, with the ban marked where it fell.

use super::{Area, Corner, Drawn, FORMAT_INKS, Ink, draw_line, err, font_px, legend, stroke};
use crate::api::extraction::ExtractionMetrics;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One curve per response format over an extraction's history, at `scale` (see
/// [`super::font_px`]); formats differ in colour, dash and marker.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    history: &[ExtractionMetrics],
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let Some(last) = history.last() else {
        return Ok(());
    };
    let budget = last.budget.max(1) as f32;
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 11 / 20);
    let panels = [
        (&top, "fidelity: agreement over the plane (%)", true),
        (&bottom, "accuracy on the test points (%)", false),
    ];
    for (panel, caption, fidelity) in panels {
        let value = |m: &ExtractionMetrics, i: usize| {
            let t = &m.thieves[i];
            100.0 * if fidelity { t.fidelity } else { t.accuracy }
        };
        let lowest = history
            .iter()
            .flat_map(|m| (0..m.thieves.len()).map(move |i| value(m, i)))
            .fold(80.0f32, f32::min);
        let y_low = (lowest / 10.0).floor() * 10.0;
        let mut chart = ChartBuilder::on(panel)
            .margin(font as i32 / 2)
            .margin_right((font * 1.6) as i32)
            .caption(caption, ("sans-serif", font * 0.9))
            .x_label_area_size(if fidelity { font * 1.5 } else { font * 2.9 })
            .y_label_area_size(font * 2.6)
            .build_cartesian_2d(0f32..budget, y_low..100.5f32)
            .map_err(err)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(5)
            .y_labels(4)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", font * 0.8))
            .axis_desc_style(("sans-serif", font * 0.8))
            .light_line_style(WHITE.mix(0.0));
        if !fidelity {
            mesh.x_desc("queries answered");
        }
        mesh.draw().map_err(err)?;
        for i in 0..last.thieves.len() {
            let ink = FORMAT_INKS[i % FORMAT_INKS.len()];
            let points = history
                .iter()
                .map(|m| (m.queries as f32, value(m, i)))
                .collect();
            draw_line(&mut chart, points, ink, i, scale)?;
        }
        if let Some(at) = last.banned_at {
            let x = at as f32;
            let line = PathElement::new(
                [(x, y_low), (x, 100.5)],
                RED.stroke_width(stroke(2.0, scale)),
            );
            chart.draw_series(std::iter::once(line)).map_err(err)?;
            if fidelity {
                // Written on the side of the line with more room, so it is never clipped.
                let left = x > budget / 2.0;
                let anchor = Pos::new(if left { HPos::Right } else { HPos::Left }, VPos::Top);
                let label = Text::new(
                    format!(" banned at query {at} "),
                    (x, 100.0),
                    ("sans-serif", font * 0.8)
                        .into_font()
                        .color(&RED)
                        .pos(anchor),
                );
                chart.draw_series(std::iter::once(label)).map_err(err)?;
            }
        }
        if fidelity {
            let key: Vec<(&str, Ink)> = (last.thieves.iter().enumerate())
                .map(|(i, thief)| (thief.format.as_str(), FORMAT_INKS[i % FORMAT_INKS.len()]))
                .collect();
            legend(&chart, font, scale, Corner::LowerRight, &key)?;
        }
    }
    Ok(())
}
