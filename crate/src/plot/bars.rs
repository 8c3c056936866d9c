//! Bar charts: test accuracies, the parameter fraction, and a probe's probabilities.

use super::{Area, DISTILLED, Drawn, HARD, TEACHER, class_color, class_marker, err, font_px};
use crate::metrics::Metrics;
use crate::playground::trainer::Probe;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Test accuracy of the teacher and both students, in %, labelled with their values, at
/// `scale` (see [`super::font_px`]).
pub fn draw_accuracy<DB: DrawingBackend>(area: &Area<DB>, metrics: &Metrics, scale: f64) -> Drawn {
    let bars = [
        ("teacher", TEACHER, metrics.teacher_acc),
        ("distilled", DISTILLED, metrics.distilled_acc),
        ("hard-label", HARD, metrics.hard_acc),
    ];
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let mut chart = ChartBuilder::on(area)
        .margin(font as i32 / 2)
        .caption("test accuracy (%)", ("sans-serif", font))
        .x_label_area_size(font * 1.8)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d((0..bars.len() - 1).into_segmented(), 0f32..105f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => bars.get(*i).map_or(String::new(), |b| b.0.to_string()),
            _ => String::new(),
        })
        .y_labels(5)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", font * 0.8))
        .draw()
        .map_err(err)?;
    for (i, (_, color, value)) in bars.iter().enumerate() {
        let Some(v) = value else { continue };
        let v = v * 100.0;
        let (left, bottom) = chart.backend_coord(&(SegmentValue::Exact(i), 0.0));
        let (right, top) = chart.backend_coord(&(SegmentValue::Exact(i + 1), v));
        let gap = (right - left) / 6;
        let bar = Rectangle::new([(left + gap, top), (right - gap, bottom)], color.filled());
        area.draw(&bar).map_err(err)?;
        chart
            .draw_series([Text::new(
                format!("{v:.1}"),
                (SegmentValue::CenterOf(i), (v - 4.0).max(8.0)),
                ("sans-serif", font * 0.8)
                    .into_font()
                    .color(&WHITE)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )])
            .map_err(err)?;
    }
    Ok(())
}

/// The student's size as a fraction of the teacher's, as one bar inside another, at `scale`.
pub fn draw_params<DB: DrawingBackend>(area: &Area<DB>, metrics: &Metrics, scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let pad = font as i32 / 2;
    let bar_h = ((h - 3 * pad) / 2).max(4);
    // The labels sit inside the bars: no taller than a bar.
    let font = font.min(f64::from(bar_h) * 0.8);
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
            (x, top + bar_h / 2),
            style
                .color(&text_color)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Each model's probability for every class at the probed point: the teacher at T = 1 and at
/// the run's T (the soft target), then both students; bars coloured by class, each topped by
/// its class's marker, under a key naming the classes; at `scale` (see [`super::font_px`]).
pub fn draw_probe<DB: DrawingBackend>(area: &Area<DB>, probe: &Probe, scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    // Group names on two short lines, so that they fit narrow segments.
    let groups = [
        (
            ["teacher".to_string(), "T=1".to_string()],
            &probe.teacher_t1,
        ),
        (
            ["teacher".to_string(), format!("T={}", probe.temperature)],
            &probe.teacher_t,
        ),
        (["distilled".to_string(), String::new()], &probe.distilled),
        (["hard-".to_string(), "label".to_string()], &probe.hard),
    ];
    let k = probe.teacher_t1.len().max(1);
    let r = (font * 0.3).round().max(2.0) as i32;
    // The key runs along the top, where no bar reaches, on as many rows as it needs.
    let key_style = ("sans-serif", font * 0.8)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let names: Vec<String> = (0..k).map(|c| format!("class {}", c + 1)).collect();
    let (width, _) = area.dim_in_pixel();
    let row = (font * 1.4) as i32;
    let mut places = vec![];
    let (mut x, mut y) = ((font * 0.5) as i32, row / 2);
    for name in &names {
        let (w, _) = area.estimate_text_size(name, &key_style).map_err(err)?;
        let entry = 3 * r + w as i32;
        if x + entry > width as i32 && x > (font * 0.5) as i32 {
            (x, y) = ((font * 0.5) as i32, y + row);
        }
        places.push((x, y));
        x += entry + (font * 0.7) as i32;
    }
    let key_height = (y + row / 2 + (font * 0.2) as i32) as u32;
    let (key, plot) = area.split_vertically(key_height);
    for (c, (name, &(x, y))) in names.iter().zip(&places).enumerate() {
        key.draw(&class_marker(c).at((x + r, y), r + 1, class_color(c)))
            .map_err(err)?;
        key.draw(&Text::new(name.clone(), (x + 3 * r, y), key_style.clone()))
            .map_err(err)?;
    }
    let mut chart = ChartBuilder::on(&plot)
        .margin(font as i32 / 2)
        .x_label_area_size(font * 2.4)
        .y_label_area_size(font * 2.9)
        .build_cartesian_2d((0..groups.len() - 1).into_segmented(), 0f32..100f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|_| String::new())
        .y_desc("probability (%)")
        .y_labels(5)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .draw()
        .map_err(err)?;
    // Each group is drawn in its own segment, one bar a class, in a [0, 1] sub-axis.
    let (x_range, _) = chart.plotting_area().get_pixel_range();
    let segment = f64::from(x_range.end - x_range.start) / groups.len() as f64;
    let label_style = ("sans-serif", font * 0.8)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (g, (lines, _)) in groups.iter().enumerate() {
        let x = (f64::from(x_range.start) + segment * (g as f64 + 0.5)) as i32;
        let top = chart.backend_coord(&(SegmentValue::Exact(g), 0.0)).1 + (font * 0.3) as i32;
        for (i, line) in lines.iter().enumerate() {
            let y = top + (f64::from(i as u32) * font * 0.85) as i32;
            area.draw(&Text::new(line.clone(), (x, y), label_style.clone()))
                .map_err(err)?;
        }
    }
    for (g, (_, probs)) in groups.iter().enumerate() {
        let left = f64::from(x_range.start) + segment * g as f64;
        let bar = segment * 0.8 / k as f64;
        for (c, &p) in probs.iter().enumerate() {
            let x0 = (left + segment * 0.1 + bar * c as f64) as i32;
            let width = (bar * 0.9) as i32;
            let y0 = chart.backend_coord(&(SegmentValue::Exact(g), 0.0)).1;
            let y1 = chart.backend_coord(&(SegmentValue::Exact(g), 100.0 * p)).1;
            // Backend coordinates: drawn on the whole area, not the plot below the key.
            area.draw(&Rectangle::new(
                [(x0, y1.min(y0 - 1)), (x0 + width, y0)],
                class_color(c).filled(),
            ))
            .map_err(err)?;
            let r = r.min(width / 2).max(2);
            area.draw(&class_marker(c).at((x0 + width / 2, y1 - r - 1), r, class_color(c)))
                .map_err(err)?;
        }
    }
    Ok(())
}
