//! Curves over a run's history: the students' agreement with the teacher and KL to it, and the
//! three losses.

use super::{Area, DISTILLED, Drawn, HARD, TEACHER, err, font_px, legend};
use crate::metrics::{Metrics, Pick};
use plotters::prelude::*;

/// Agreement with the teacher (top, in %) and KL(teacher ‖ student) (bottom, log scale) of both
/// students, against student steps.
pub fn draw_agreement<DB: DrawingBackend>(area: &Area<DB>, history: &[Metrics]) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area);
    let student: Vec<&Metrics> = history
        .iter()
        .filter(|m| m.agreement_distilled.is_some())
        .collect();
    let steps = student
        .last()
        .map_or(100, |m| m.student_steps.max(m.student_step)) as f32;
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 3 / 5);
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
    let mut chart = ChartBuilder::on(&top)
        .margin(font as i32 / 2)
        .caption("agreement with the teacher (grid, %)", ("sans-serif", font))
        .x_label_area_size(font * 1.4)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..steps, y_min..100.5f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    for (name, color, pick) in [
        ("distilled", DISTILLED, (|m| m.agreement_distilled) as Pick),
        ("hard-label", HARD, |m| m.agreement_hard),
    ] {
        chart
            .draw_series(LineSeries::new(series(pick, 100.0), color.stroke_width(3)))
            .map_err(err)?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(3)));
    }
    legend(&mut chart, font, SeriesLabelPosition::LowerRight)?;

    let kl: Vec<f32> = series(|m| m.kl_distilled, 1.0)
        .into_iter()
        .chain(series(|m| m.kl_hard, 1.0))
        .map(|p| p.1.max(1e-4))
        .collect();
    let hi = kl.iter().copied().fold(1.0f32, f32::max) * 1.5;
    let mut chart = ChartBuilder::on(&bottom)
        .margin(font as i32 / 2)
        .caption("KL(teacher ‖ student), nats", ("sans-serif", font * 0.9))
        .x_label_area_size(font * 2.6)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..steps, (1e-4f32..hi).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(3)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .x_desc("student steps")
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    for (color, pick) in [
        (DISTILLED, (|m| m.kl_distilled) as Pick),
        (HARD, |m| m.kl_hard),
    ] {
        let points = series(pick, 1.0).into_iter().map(|(x, y)| (x, y.max(1e-4)));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(err)?;
    }
    Ok(())
}

/// Mini-batch losses (log scale) against steps: the teacher's in phase 1, then both students'.
pub fn draw_loss<DB: DrawingBackend>(area: &Area<DB>, history: &[Metrics]) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area);
    let last = history.last();
    let steps = last.map_or(100, |m| m.teacher_steps + m.student_steps) as f32;
    let at = |m: &Metrics| (m.teacher_step + m.student_step) as f32;
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .caption("training loss (nats, log scale)", ("sans-serif", font))
        .x_label_area_size(font * 2.6)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..steps, (1e-4f32..10f32).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc("steps (teacher, then students)")
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let curves: [(&str, RGBColor, Pick); 3] = [
        ("teacher", TEACHER, |m| {
            (m.student_step == 0).then_some(m.teacher_loss).flatten()
        }),
        ("distilled", DISTILLED, |m| m.distilled_loss),
        ("hard-label", HARD, |m| m.hard_loss),
    ];
    for (name, color, pick) in curves {
        let points: Vec<(f32, f32)> = history
            .iter()
            .filter_map(|m| {
                pick(m)
                    .filter(|v| v.is_finite())
                    .map(|v| (at(m), v.clamp(1e-4, 10.0)))
            })
            .collect();
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(err)?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(3)));
    }
    legend(&mut chart, font, SeriesLabelPosition::UpperRight)?;
    Ok(())
}
