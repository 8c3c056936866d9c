//! The digits experiments' results: test errors side by side, and the temperature sweep. Each
//! takes one [`Outcome`] per seed (one in the page, several in a report) and shows the mean,
//! with ± one standard deviation when there are several.

use super::{
    Area, Corner, DISTILLED, DISTILLED_INK, Drawn, HARD, HARD_INK, Ink, Marker, TEACHER,
    TEACHER_INK, draw_line, err, font_px, legend, stroke,
};
use crate::digits::outcome::{Outcome, Row};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Mean and sample standard deviation (0 for one value).
fn mean_std(values: impl Iterator<Item = f32>) -> (f32, f32) {
    let values: Vec<f32> = values.collect();
    let n = values.len().max(1) as f32;
    let mean = values.iter().sum::<f32>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// Row `i` of every outcome (`None` for the teacher), through `pick`: mean and std.
pub fn summarise(outcomes: &[Outcome], i: Option<usize>, pick: fn(&Row) -> f32) -> (f32, f32) {
    mean_std(outcomes.iter().filter_map(|o| match i {
        None => Some(pick(&o.teacher)),
        Some(i) => o.rows.get(i).map(pick),
    }))
}

/// One bar: its label, colour, mean errors ± std, and the mean errors on the omitted digit.
type Bar = (String, RGBColor, (f32, f32), Option<f32>);

/// Test errors of the teacher and every student, one horizontal bar each (mean over the
/// outcomes, whiskers ± std); for the missing class, the part of each bar made of errors on
/// the omitted digit is darker.
pub fn draw_errors<DB: DrawingBackend>(area: &Area<DB>, outcomes: &[Outcome], scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let Some(first) = outcomes.first() else {
        return Ok(());
    };
    let font = font_px(area, scale);
    let bars: Vec<Bar> = std::iter::once(None)
        .chain((0..first.rows.len()).map(Some))
        .map(|i| {
            let row = i.map_or(&first.teacher, |i| &first.rows[i]);
            let color = match (i, row.temperature) {
                (None, _) => TEACHER,
                (_, None) => HARD,
                _ => DISTILLED,
            };
            let omitted = row
                .omitted_errors
                .map(|_| summarise(outcomes, i, |r| r.omitted_errors.unwrap_or(0) as f32).0);
            (
                short_label(row),
                color,
                summarise(outcomes, i, |r| r.errors as f32),
                omitted,
            )
        })
        .collect();
    // Room on the right for the figures written after each bar.
    let room = match (outcomes.len() > 1, first.omitted.is_some()) {
        (true, true) => 2.2,
        (false, true) | (true, false) => 1.6,
        (false, false) => 1.25,
    };
    let most = bars.iter().map(|b| b.2.0 + b.2.1).fold(1.0f32, f32::max) * room;
    let label_width = bars.iter().map(|b| b.0.chars().count()).max().unwrap_or(8) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .caption(
            format!("test errors (of {} digits)", first.test),
            ("sans-serif", font),
        )
        .x_label_area_size(font * 1.6)
        .y_label_area_size((font * 0.8 * 0.55 * label_width).max(font * 3.0))
        .build_cartesian_2d(0f32..most, (0..bars.len() - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| match y {
            // Segments count from the bottom; the first bar goes on top.
            SegmentValue::CenterOf(i) => bars
                .get(bars.len() - 1 - i)
                .map_or(String::new(), |b| b.0.clone()),
            _ => String::new(),
        })
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let spread = outcomes.len() > 1;
    for (k, (_, color, (mean, std), omitted)) in bars.iter().enumerate() {
        let slot = bars.len() - 1 - k;
        let (x0, y_bottom) = chart.backend_coord(&(0.0, SegmentValue::Exact(slot)));
        let (x1, y_top) = chart.backend_coord(&(*mean, SegmentValue::Exact(slot + 1)));
        let gap = (y_bottom - y_top) / 6;
        let (top, bottom) = (y_top + gap, y_bottom - gap);
        area.draw(&Rectangle::new(
            [(x0, top), (x1.max(x0 + 1), bottom)],
            color.mix(0.85).filled(),
        ))
        .map_err(err)?;
        if let Some(part) = omitted {
            let xp = chart.backend_coord(&(*part, SegmentValue::Exact(slot))).0;
            area.draw(&Rectangle::new(
                [(x0, top), (xp, bottom)],
                BLACK.mix(0.45).filled(),
            ))
            .map_err(err)?;
        }
        let middle = (top + bottom) / 2;
        if spread {
            let lo = chart
                .backend_coord(&(mean - std, SegmentValue::Exact(slot)))
                .0;
            let hi = chart
                .backend_coord(&(mean + std, SegmentValue::Exact(slot)))
                .0;
            area.draw(&PathElement::new(
                [(lo, middle), (hi, middle)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        }
        let digit = first.omitted.map_or(String::new(), |d| format!(" on {d}s"));
        let text = match (spread, omitted) {
            (true, Some(part)) => format!("{mean:.1} ± {std:.1} ({part:.1}{digit})"),
            (true, None) => format!("{mean:.1} ± {std:.1}"),
            (false, Some(part)) => format!("{mean:.0} ({part:.0}{digit})"),
            (false, None) => format!("{mean:.0}"),
        };
        let right = if spread {
            chart
                .backend_coord(&(mean + std, SegmentValue::Exact(slot)))
                .0
        } else {
            x1
        };
        area.draw(&Text::new(
            text,
            (right + font as i32 / 3, middle),
            ("sans-serif", font * 0.8)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// A row's name, without the bias figure a matched correction has: it differs from seed to
/// seed.
pub fn short_label(row: &Row) -> String {
    if row.label.ends_with(", matched") {
        "+ bias matched".into()
    } else {
        row.label.clone()
    }
}

/// The temperature sweep: test accuracy and agreement with the teacher (%) of the distilled
/// students, one slot per temperature tried; the student on labels and the teacher as dashed
/// lines. The y axis leaves room below the curves for the legend.
pub fn draw_temperature<DB: DrawingBackend>(
    area: &Area<DB>,
    outcomes: &[Outcome],
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let Some(first) = outcomes.first() else {
        return Ok(());
    };
    let font = font_px(area, scale);
    let distilled: Vec<(usize, f32)> = first
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.temperature.map(|t| (i, t)))
        .collect();
    if distilled.is_empty() {
        return Ok(());
    }
    let labels = first.rows.iter().position(|r| r.temperature.is_none());
    // (slot, mean %, std %) for each distilled student.
    let series = |pick: fn(&Row) -> f32| -> Vec<(usize, f32, f32)> {
        distilled
            .iter()
            .enumerate()
            .map(|(slot, &(i, _))| {
                let (m, s) = summarise(outcomes, Some(i), pick);
                (slot, 100.0 * m, 100.0 * s)
            })
            .collect()
    };
    let accuracy = series(|r| r.accuracy);
    let agreement = series(|r| r.agreement);
    let teacher = 100.0 * summarise(outcomes, None, |r| r.accuracy).0;
    let hard = labels.map(|i| 100.0 * summarise(outcomes, Some(i), |r| r.accuracy).0);
    let values = accuracy
        .iter()
        .chain(&agreement)
        .flat_map(|p| [p.1 - p.2, p.1 + p.2])
        .chain([teacher])
        .chain(hard);
    let low = values.fold(100.0f32, f32::min);
    let y_min = ((low - 0.9 * (100.0 - low) - 1.0) / 2.0).floor() * 2.0;
    let n = distilled.len();
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .caption(
            "distilled students against the temperature",
            ("sans-serif", font),
        )
        .x_label_area_size(font * 2.6)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d((0..n - 1).into_segmented(), y_min..100.2f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("temperature T")
        .y_desc("%")
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => {
                distilled.get(*i).map_or(String::new(), |d| d.1.to_string())
            }
            _ => String::new(),
        })
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    // Levels: the teacher dotted, the student on labels dashed, neither with markers.
    let mut key: Vec<(&str, Ink)> = Vec::new();
    for (name, ink, level) in [
        (
            "teacher accuracy",
            Ink {
                dash: Some((2, 4)),
                ..TEACHER_INK
            },
            Some(teacher),
        ),
        ("labels-only student accuracy", HARD_INK, hard),
    ] {
        let Some(level) = level else { continue };
        let ends = [
            (SegmentValue::Exact(0), level),
            (SegmentValue::Exact(n), level),
        ];
        let (on, off) = ink.dash.unwrap_or((8, 6));
        chart
            .draw_series(DashedLineSeries::new(
                ends,
                (f64::from(on) * scale) as u32,
                (f64::from(off) * scale) as u32,
                ink.color.stroke_width(stroke(2.0, scale)),
            ))
            .map_err(err)?;
        key.push((name, ink));
    }
    let agreement_ink = Ink {
        color: RGBColor(0x00, 0x9E, 0x73),
        dash: Some((6, 4)),
        marker: Marker::Diamond,
    };
    let centre = |slot: usize| SegmentValue::CenterOf(slot);
    for (i, (name, ink, points)) in [
        ("distilled: test accuracy", DISTILLED_INK, &accuracy),
        (
            "distilled: agreement with teacher",
            agreement_ink,
            &agreement,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let line = points.iter().map(|p| (centre(p.0), p.1)).collect();
        draw_line(&mut chart, line, ink, i, scale)?;
        key.push((name, ink));
        if outcomes.len() > 1 {
            chart
                .draw_series(points.iter().map(|&(slot, m, s)| {
                    PathElement::new(
                        [(centre(slot), m - s), (centre(slot), m + s)],
                        ink.color.stroke_width(stroke(2.0, scale)),
                    )
                }))
                .map_err(err)?;
        }
    }
    legend(&chart, font, scale, Corner::LowerRight, &key)
}
