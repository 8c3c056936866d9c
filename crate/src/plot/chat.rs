//! The chat chapter's curves: each thief's student, measured on held-out names, against the
//! tokens its thief has bought (held-out NLL with the teacher's as a reference line, or
//! KL(teacher ‖ student)), with their key in a band below the plot.

use super::{
    Area, Drawn, FORMAT_INKS, Ink, TEACHER_INK, draw_line, err, font_px, legend_glyph, stroke,
};
use crate::chat::study::{Outcome, Point};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    let teacher = outcome
        .teacher
        .nll
        .filter(|_| metric == Metric::Nll)
        .map(|nll| nll as f32);
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
    let mut entries: Vec<(String, Ink)> = Vec::new();
    if let Some(nll) = teacher {
        entries.push((format!("teacher ({nll:.2})"), TEACHER_INK));
    }
    for (i, thief) in outcome.thieves.iter().enumerate() {
        entries.push((thief.name.clone(), FORMAT_INKS[i % FORMAT_INKS.len()]));
    }
    let (plot, key) = split_key(area, entries.len(), font);
    let mut chart = ChartBuilder::on(&plot)
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
        chart.draw_series(std::iter::once(line)).map_err(err)?;
    }
    for (i, thief) in outcome.thieves.iter().enumerate() {
        let ink = FORMAT_INKS[i % FORMAT_INKS.len()];
        let points = thief
            .points
            .iter()
            .map(|p| (p.tokens as f32, metric.of(p).clamp(low, high)))
            .collect();
        draw_line(&mut chart, points, ink, i, scale)?;
    }
    draw_key(&key, &entries, font, scale)
}

/// Splits `area` into the plot and, below it, a band for a key of `entries` entries in rows
/// of [`key_columns`]: the curves cross the whole plot, so a key inside it would hide some.
pub(super) fn split_key<DB: DrawingBackend>(
    area: &Area<DB>,
    entries: usize,
    font: f64,
) -> (Area<'static, DB>, Area<'static, DB>) {
    let (width, height) = area.dim_in_pixel();
    let rows = entries.div_ceil(key_columns(width, font)) as f64;
    let band = ((rows * 1.4 + 0.4) * font) as u32;
    area.split_vertically(height.saturating_sub(band))
}

/// Columns of the key: three where the names fit, else two.
fn key_columns(width: u32, font: f64) -> usize {
    if f64::from(width) > font * 33.0 { 3 } else { 2 }
}

/// Each entry's line and marker glyph and name, in rows across `key`.
pub(super) fn draw_key<DB: DrawingBackend>(
    key: &Area<DB>,
    entries: &[(String, Ink)],
    font: f64,
    scale: f64,
) -> Drawn {
    let width = key.dim_in_pixel().0;
    let columns = key_columns(width, font);
    let (column, line) = (width as i32 / columns as i32, (font * 1.4) as i32);
    let style = ("sans-serif", font * 0.8)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (name, ink)) in entries.iter().enumerate() {
        let x = (i % columns) as i32 * column + (font * 0.6) as i32;
        let y = (i / columns) as i32 * line + line / 2;
        key.draw(&legend_glyph(*ink, font, scale)((x, y)))
            .map_err(err)?;
        key.draw_text(name, &style, (x + (font * 2.2) as i32, y))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::api::Access;
    use crate::chat::study::{Suspect, TeacherView};
    use crate::chat::watermark::detect;

    fn outcome() -> Outcome {
        let thief = |access: Access, nll: f64| Suspect {
            access,
            name: access.name().to_string(),
            params: 5_139,
            fraction: 0.077,
            points: (0..=4)
                .map(|i| Point {
                    tokens: i * 500,
                    nll: 3.3 - 0.2 * i as f64 + nll,
                    kl: 1.2 - 0.2 * i as f64 + nll,
                })
                .collect(),
            samples: Vec::new(),
            verdict: detect(&[], 1),
            wrong_key: detect(&[], 2),
            caught: false,
        };
        Outcome {
            step: 4,
            steps: 4,
            done: true,
            tokens: 2_000,
            budget: 2_000,
            bill: 1.0,
            seconds: 10.0,
            watermark: true,
            delta: 4.0,
            test: crate::chat::watermark::Test::Letters,
            cost: Default::default(),
            k: 5,
            alpha: 1e-3,
            teacher: TeacherView {
                params: 66_555,
                nll: Some(2.1),
            },
            api_samples: Vec::new(),
            thieves: vec![thief(Access::Full, 0.0), thief(Access::Text, 0.5)],
        }
    }

    fn svg(metric: Metric) -> String {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (500, 320)).into_drawing_area();
            draw(&area, &outcome(), metric, 1.0).unwrap();
        }
        out
    }

    #[test]
    fn every_thief_is_named_in_the_key_and_the_teacher_only_beside_its_nll() {
        let nll = svg(Metric::Nll);
        for name in [
            "full distribution",
            "text only",
            "teacher (2.10)",
            "tokens bought",
        ] {
            assert!(nll.contains(name), "{name} missing");
        }
        let kl = svg(Metric::Kl);
        assert!(kl.contains("text only") && !kl.contains("teacher ("));
        assert_eq!(Metric::from_name("kl"), Some(Metric::Kl));
        assert_eq!(Metric::from_name("loss"), None);
    }
}
