//! Curves over a run's history: the students' agreement with the teacher and KL to it, and the
//! three losses.

use super::{
    Area, Corner, DISTILLED_INK, Drawn, HARD_INK, Ink, TEACHER_INK, decimal, draw_line, err,
    font_px, legend,
};
use crate::metrics::{Metrics, Pick};
use plotters::prelude::*;

/// Agreement with the teacher over the plane (top, in %) and KL(teacher ‖ student) (bottom,
/// log scale) of both students, against student steps, at `scale` (see [`super::font_px`]).
pub fn draw_agreement<DB: DrawingBackend>(
    area: &Area<DB>,
    history: &[Metrics],
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let student: Vec<&Metrics> = history
        .iter()
        .filter(|m| m.agreement_distilled.is_some())
        .collect();
    let steps = student
        .last()
        .map_or(100, |m| m.student_steps.max(m.student_step)) as f32;
    // The KL panel gets at least room for its caption, axis and a few lines of plot.
    let height = f64::from(area.dim_in_pixel().1);
    let kl_height = (font * 8.0).clamp(height * 0.45, height * 0.6);
    let (top, bottom) = area.split_vertically((height - kl_height) as u32);
    let series = |pick: Pick, scale: f32| {
        let points: Vec<(f32, f32)> = student
            .iter()
            .filter_map(|m| pick(m).map(|v| (m.student_step as f32, v * scale)))
            .collect();
        points
    };
    let lowest = series(|m| m.agreement_hard, 100.0)
        .into_iter()
        .chain(series(|m| m.agreement_distilled, 100.0))
        .map(|p| p.1)
        .fold(90.0f32, f32::min);
    let y_min = (lowest / 10.0).floor() * 10.0;
    let students: [(&str, Ink, Pick, Pick); 2] = [
        (
            "distilled",
            DISTILLED_INK,
            |m| m.agreement_distilled,
            |m| m.kl_distilled,
        ),
        ("hard-label", HARD_INK, |m| m.agreement_hard, |m| m.kl_hard),
    ];
    let mut chart = ChartBuilder::on(&top)
        .margin(font as i32 / 2)
        .margin_right((font * 1.6) as i32)
        .caption("agreement over the plane (%)", ("sans-serif", font))
        .x_label_area_size(font * 1.5)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..steps, y_min..100.5f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(4)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    for (i, (_, ink, agreement, _)) in students.iter().enumerate() {
        draw_line(&mut chart, series(*agreement, 100.0), *ink, i, scale)?;
    }
    let key: Vec<(&str, Ink)> = students.iter().map(|s| (s.0, s.1)).collect();
    legend(&chart, font, scale, Corner::LowerRight, &key)?;

    let kl: Vec<f32> = students
        .iter()
        .flat_map(|s| series(s.3, 1.0))
        .map(|p| p.1.max(1e-4))
        .collect();
    let hi = kl.iter().copied().fold(1.0f32, f32::max) * 1.5;
    let mut chart = ChartBuilder::on(&bottom)
        .margin(font as i32 / 2)
        .margin_right((font * 1.6) as i32)
        .caption(
            "KL divergence from the teacher (nats, log scale)",
            ("sans-serif", font * 0.9),
        )
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..steps, (1e-4f32..hi).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(if kl_height > font * 9.0 { 3 } else { 2 })
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| decimal(*y))
        .x_desc("student steps")
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    for (i, (_, ink, _, pick)) in students.iter().enumerate() {
        let points = series(*pick, 1.0)
            .into_iter()
            .map(|(x, y)| (x, y.max(1e-4)))
            .collect();
        draw_line(&mut chart, points, *ink, i, scale)?;
    }
    Ok(())
}

/// Each network's own training objective on its mini-batches (log scale) against steps: the
/// teacher's cross-entropy with the labels in phase 1, then the distilled student's blend of
/// soft and hard terms and the hard-label student's cross-entropy. The two students minimise
/// different quantities, so the legend says which each curve is.
pub fn draw_loss<DB: DrawingBackend>(area: &Area<DB>, history: &[Metrics], scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let last = history.last();
    let steps = last.map_or(100, |m| m.teacher_steps + m.student_steps) as f32;
    let at = |m: &Metrics| (m.teacher_step + m.student_step) as f32;
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .margin_right((font * 1.6) as i32)
        .caption(
            "each network’s loss (nats, log scale)",
            ("sans-serif", font),
        )
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..steps, (1e-4f32..10f32).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| decimal(*y))
        .x_desc("steps (teacher, then students)")
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let curves: [(&str, Ink, Pick); 3] = [
        ("teacher: cross-entropy", TEACHER_INK, |m| {
            (m.student_step == 0).then_some(m.teacher_loss).flatten()
        }),
        ("distilled: soft + hard blend", DISTILLED_INK, |m| {
            m.distilled_loss
        }),
        ("hard-label: cross-entropy", HARD_INK, |m| m.hard_loss),
    ];
    for (i, (_, ink, pick)) in curves.iter().enumerate() {
        let points: Vec<(f32, f32)> = history
            .iter()
            .filter_map(|m| {
                pick(m)
                    .filter(|v| v.is_finite())
                    .map(|v| (at(m), v.clamp(1e-4, 10.0)))
            })
            .collect();
        draw_line(&mut chart, points, *ink, i, scale)?;
    }
    // Lower left: below the teacher's curve, which starts near ln K and falls.
    let key: Vec<(&str, Ink)> = curves.iter().map(|c| (c.0, c.1)).collect();
    legend(&chart, font, scale, Corner::LowerLeft, &key)?;
    Ok(())
}
