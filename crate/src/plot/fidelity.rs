//! The API story's key chart: each format's fidelity to the teacher (top) and test accuracy
//! (bottom) against queries spent, with the ban marked where it fell.

use super::{Area, Drawn, class_color, err, font_px, legend};
use crate::api::extraction::ExtractionMetrics;
use plotters::prelude::*;

/// One curve per response format over an extraction's history.
pub fn draw<DB: DrawingBackend>(area: &Area<DB>, history: &[ExtractionMetrics]) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area);
    let Some(last) = history.last() else {
        return Ok(());
    };
    let budget = last.budget.max(1) as f32;
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 3 / 5);
    let panels = [
        (&top, "fidelity: agreement with the teacher (grid, %)", true),
        (&bottom, "test accuracy (%)", false),
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
        let mut chart = ChartBuilder::on(panel)
            .margin(font as i32 / 2)
            .margin_right(font as i32 * 2)
            .caption(caption, ("sans-serif", font * 0.9))
            .x_label_area_size(font * 1.6)
            .y_label_area_size(font * 2.6)
            .build_cartesian_2d(0f32..budget, (lowest / 10.0).floor() * 10.0..100.5f32)
            .map_err(err)?;
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(5)
            .y_labels(4)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", font * 0.8))
            .light_line_style(WHITE.mix(0.0));
        if !fidelity {
            mesh.x_desc("queries answered");
        }
        mesh.draw().map_err(err)?;
        for (i, thief) in last.thieves.iter().enumerate() {
            let color = class_color(i);
            let points = history.iter().map(|m| (m.queries as f32, value(m, i)));
            let series = chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(err)?;
            if fidelity {
                series.label(thief.format.clone()).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(3))
                });
            }
        }
        if let Some(at) = last.banned_at {
            let x = at as f32;
            let line = PathElement::new([(x, 0.0), (x, 100.5)], RED.stroke_width(2));
            chart.draw_series(std::iter::once(line)).map_err(err)?;
            if fidelity {
                let label = Text::new(
                    format!("banned at query {at}"),
                    (x, 100.0),
                    ("sans-serif", font * 0.8).into_font().color(&RED),
                );
                chart.draw_series(std::iter::once(label)).map_err(err)?;
            }
        }
        if fidelity {
            legend(&mut chart, font, SeriesLabelPosition::LowerRight)?;
        }
    }
    Ok(())
}
