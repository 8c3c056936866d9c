//! The reasoner chapter's curves: each thief's student's held-out accuracy (exact answers)
//! against the problems or the tokens its thief has bought, the teacher's own accuracy as a
//! reference line, their key in a band below the plot (as the chat's).

use super::chat::{draw_key, split_key};
use super::{Area, Drawn, FORMAT_INKS, Ink, TEACHER_INK, draw_line, err, font_px, stroke};
use crate::reasoner::study::{Outcome, Point};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// What the x axis counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Problems bought.
    Problems,
    /// Tokens bought (paid for, shown or not).
    Tokens,
}

impl Axis {
    /// `"problems"` or `"tokens"`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "problems" => Some(Axis::Problems),
            "tokens" => Some(Axis::Tokens),
            _ => None,
        }
    }

    /// Its name, as [`Axis::from_name`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Axis::Problems => "problems",
            Axis::Tokens => "tokens",
        }
    }

    fn of(self, p: &Point) -> f32 {
        match self {
            Axis::Problems => p.problems as f32,
            Axis::Tokens => p.tokens as f32,
        }
    }

    fn caption(self) -> &'static str {
        match self {
            Axis::Problems => "held-out accuracy against problems bought",
            Axis::Tokens => "held-out accuracy against tokens bought",
        }
    }
}

/// One curve per student against `axis`, at `scale` (see [`super::font_px`]); students differ
/// in colour, dash and marker as the API chapter's formats do. The x axis runs to the most any
/// thief bought by the end of the round, so the curves grow across it as the round goes.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    outcome: &Outcome,
    axis: Axis,
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let end = match axis {
        Axis::Problems => outcome.students.iter().map(|s| s.bought).max().unwrap_or(0),
        Axis::Tokens => outcome.budget,
    };
    let end = end.max(1) as f32;
    let teacher = 100.0 * outcome.teacher.score.worked as f32;
    let mut entries: Vec<(String, Ink)> = vec![(format!("teacher ({teacher:.0} %)"), TEACHER_INK)];
    for (i, s) in outcome.students.iter().enumerate() {
        entries.push((s.name.clone(), FORMAT_INKS[i % FORMAT_INKS.len()]));
    }
    let (plot, key) = split_key(area, entries.len(), font);
    let mut chart = ChartBuilder::on(&plot)
        .margin(font as i32 / 2)
        .margin_right((font * 1.6) as i32)
        .caption(axis.caption(), ("sans-serif", font * 0.9))
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..end, 0f32..100f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0} %"))
        .x_desc(match axis {
            Axis::Problems => "problems bought",
            Axis::Tokens => "tokens bought",
        })
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let line = DashedPathElement::new(
        [(0.0, teacher), (end, teacher)],
        stroke(6.0, scale),
        stroke(4.0, scale),
        TEACHER_INK.color.stroke_width(stroke(1.5, scale)),
    );
    chart.draw_series(std::iter::once(line)).map_err(err)?;
    for (i, s) in outcome.students.iter().enumerate() {
        let ink = FORMAT_INKS[i % FORMAT_INKS.len()];
        let points = s
            .points
            .iter()
            .map(|p| (axis.of(p), 100.0 * p.accuracy as f32))
            .collect();
        draw_line(&mut chart, points, ink, i, scale)?;
    }
    draw_key(&key, &entries, font, scale)
}
