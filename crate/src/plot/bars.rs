//! Bar charts: test accuracies, the parameter fraction, and a probe's probabilities.

use super::{Area, DISTILLED, Drawn, HARD, TEACHER, class_color, err, font_px};
use crate::metrics::Metrics;
use crate::trainer::Probe;
use plotters::prelude::*;

/// Test accuracy of the teacher and both students, in %, labelled with their values.
pub fn draw_accuracy<DB: DrawingBackend>(area: &Area<DB>, metrics: &Metrics) -> Drawn {
    let bars = [
        ("teacher", TEACHER, metrics.teacher_acc),
        ("distilled", DISTILLED, metrics.distilled_acc),
        ("hard-label", HARD, metrics.hard_acc),
    ];
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area);
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .caption("test accuracy (%)", ("sans-serif", font))
        .x_label_area_size(font * 1.6)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..3f32, 0f32..105f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(3)
        .x_label_formatter(&|x| {
            bars.get(*x as usize)
                .filter(|_| x.fract() > 0.25)
                .map_or(String::new(), |b| b.0.to_string())
        })
        .y_labels(5)
        .label_style(("sans-serif", font * 0.8))
        .draw()
        .map_err(err)?;
    for (i, (_, color, value)) in bars.iter().enumerate() {
        let Some(v) = value else { continue };
        let (x, v) = (i as f32, v * 100.0);
        chart
            .draw_series([Rectangle::new(
                [(x + 0.15, 0.0), (x + 0.85, v)],
                color.filled(),
            )])
            .map_err(err)?;
        chart
            .draw_series([Text::new(
                format!("{v:.1}"),
                (x + 0.3, (v - 2.0).max(8.0)),
                ("sans-serif", font * 0.8).into_font().color(&WHITE),
            )])
            .map_err(err)?;
    }
    Ok(())
}

/// The student's size as a fraction of the teacher's, as one bar inside another.
pub fn draw_params<DB: DrawingBackend>(area: &Area<DB>, metrics: &Metrics) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let pad = font as i32 / 2;
    let bar_h = ((h - 3 * pad) / 2).max(4);
    let full = w - 2 * pad;
    let student = ((full as f32 * metrics.param_fraction()).round() as i32).max(2);
    let rows = [
        (
            format!("teacher: {} parameters", metrics.teacher_params),
            full,
            TEACHER,
        ),
        (
            format!(
                "student: {} = {:.1} %",
                metrics.student_params,
                100.0 * metrics.param_fraction()
            ),
            student,
            DISTILLED,
        ),
    ];
    for (i, (label, width, color)) in rows.iter().enumerate() {
        let top = pad + i as i32 * (bar_h + pad);
        area.draw(&Rectangle::new(
            [(pad, top), (pad + width, top + bar_h)],
            color.mix(0.85).filled(),
        ))
        .map_err(err)?;
        let style = ("sans-serif", font * 0.85).into_font();
        let text_color = if *width > full / 2 { WHITE } else { BLACK };
        let x = if *width > full / 2 {
            pad * 2
        } else {
            pad * 2 + width
        };
        area.draw(&Text::new(
            label.clone(),
            (x, top + (bar_h - font as i32) / 2),
            style.color(&text_color),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Each model's probability for every class at the probed point: the teacher at T = 1 and at
/// the run's T (the soft target), then both students.
pub fn draw_probe<DB: DrawingBackend>(area: &Area<DB>, probe: &Probe) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area);
    let groups = [
        ("teacher T=1".to_string(), &probe.teacher_t1),
        (format!("teacher T={}", probe.temperature), &probe.teacher_t),
        ("distilled".to_string(), &probe.distilled),
        ("hard-label".to_string(), &probe.hard),
    ];
    let k = probe.teacher_t1.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .x_label_area_size(font * 1.6)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(0f32..groups.len() as f32, 0f32..100f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(groups.len())
        .x_label_formatter(&|x| {
            groups
                .get(*x as usize)
                .filter(|_| x.fract() > 0.25)
                .map_or(String::new(), |g| g.0.clone())
        })
        .y_desc("probability (%)")
        .y_labels(5)
        .label_style(("sans-serif", font * 0.75))
        .draw()
        .map_err(err)?;
    let width = 0.8 / k as f32;
    for (g, (_, probs)) in groups.iter().enumerate() {
        let bars = probs.iter().enumerate().map(|(c, &p)| {
            let left = g as f32 + 0.1 + c as f32 * width;
            Rectangle::new(
                [(left, 0.0), (left + width * 0.9, 100.0 * p)],
                class_color(c).filled(),
            )
        });
        chart.draw_series(bars).map_err(err)?;
    }
    Ok(())
}
