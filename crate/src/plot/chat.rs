//! The chat chapter's curves: each thief's student, measured on held-out names, against the
//! tokens its thief has bought (held-out NLL with the teacher's as a reference line, or
//! KL(teacher ‖ student)).

use super::{
    Area, Drawn, FORMAT_INKS, TEACHER_INK, draw_line, err, font_px, legend, legend_glyph, stroke,
};
use crate::chat::study::{Outcome, Point};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// What a chart plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Held-out NLL, nats per character.
    Nll,
    /// KL(teacher ‖ student), nats per character.
    Kl,
}

impl Metric {
    /// `"nll"` or `"kl"`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "nll" => Some(Metric::Nll),
            "kl" => Some(Metric::Kl),
            _ => None,
        }
    }

    fn of(self, p: &Point) -> f32 {
        match self {
            Metric::Nll => p.nll as f32,
            Metric::Kl => p.kl as f32,
        }
    }

    fn caption(self) -> &'static str {
        match self {
            Metric::Nll => "held-out NLL (nats/char, lower is better)",
            Metric::Kl => "KL(teacher ‖ student) (nats/char)",
        }
    }
}

/// One curve per thief against tokens bought, at `scale` (see [`super::font_px`]); thieves
/// differ in colour, dash and marker as the API chapter's formats do. The y axis starts at
/// the lowest value drawn (the teacher's NLL for [`Metric::Nll`]) and is capped a little above
/// the untrained students' first point, which is far above where they end.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    outcome: &Outcome,
    metric: Metric,
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let budget = outcome.budget.max(1) as f32;
    let trained: Vec<f32> = outcome
        .thieves
        .iter()
        .flat_map(|t| t.points.iter().skip(1).map(|p| metric.of(p)))
        .filter(|v| v.is_finite())
        .collect();
    let teacher = (metric == Metric::Nll).then_some(outcome.teacher.nll as f32);
    let low = trained
        .iter()
        .copied()
        .chain(teacher)
        .fold(f32::INFINITY, f32::min);
    let low = if low.is_finite() {
        (low * 0.95).max(0.0)
    } else {
        0.0
    };
    let high = trained.iter().copied().fold(low + 0.5, f32::max);
    let high = high.min(low + 2.5);
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .margin_right((font * 1.6) as i32)
        .caption(metric.caption(), ("sans-serif", font * 0.9))
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..budget, low..high)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.2}"))
        .x_desc("tokens bought")
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    if let Some(nll) = teacher {
        let line = DashedPathElement::new(
            [(0.0, nll), (budget, nll)],
            stroke(6.0, scale),
            stroke(4.0, scale),
            TEACHER_INK.color.stroke_width(stroke(1.5, scale)),
        );
        chart
            .draw_series(std::iter::once(line))
            .map_err(err)?
            .label(format!("teacher ({nll:.2})"))
            .legend(legend_glyph(TEACHER_INK, font, scale));
    }
    for (i, thief) in outcome.thieves.iter().enumerate() {
        let ink = FORMAT_INKS[i % FORMAT_INKS.len()];
        let points = thief
            .points
            .iter()
            .map(|p| (p.tokens as f32, metric.of(p).clamp(low, high)))
            .collect();
        draw_line(&mut chart, points, ink, i, scale)?
            .label(thief.name.as_str())
            .legend(legend_glyph(ink, font, scale));
    }
    legend(&mut chart, font, SeriesLabelPosition::UpperRight)?;
    Ok(())
}
