//! One digit: the 8×8 pixels a network sees, and what the teacher and the student say of it.

use super::{Area, DISTILLED, Drawn, TEACHER, err, font_px};
use crate::digits::outcome::Answer;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The soft target's colour: the teacher's, lighter.
const SOFT: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// The pixels (`side × side`, row by row, in `[0, 1]`) as grey squares, ink dark.
pub fn draw_pixels<DB: DrawingBackend>(area: &Area<DB>, pixels: &[f32], side: usize) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    let cell = (w.min(h) / side.max(1) as u32).max(1) as i32;
    let left = (w as i32 - cell * side as i32) / 2;
    let top = (h as i32 - cell * side as i32) / 2;
    for (i, &p) in pixels.iter().enumerate().take(side * side) {
        let (r, c) = ((i / side) as i32, (i % side) as i32);
        let level = (255.0 * (1.0 - p.clamp(0.0, 1.0))) as u8;
        area.draw(&Rectangle::new(
            [
                (left + c * cell, top + r * cell),
                (left + (c + 1) * cell, top + (r + 1) * cell),
            ],
            RGBColor(level, level, level).filled(),
        ))
        .map_err(err)?;
    }
    area.draw(&Rectangle::new(
        [
            (left, top),
            (left + cell * side as i32, top + cell * side as i32),
        ],
        BLACK.mix(0.3),
    ))
    .map_err(err)
}

/// Probability of every digit (%), three bars each: the teacher at T = 1, the teacher at the
/// run's T (the soft target the student learns from) and the student.
pub fn draw_answer<DB: DrawingBackend>(area: &Area<DB>, answer: &Answer, scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    let font = font_px(area, scale);
    let k = answer.teacher_t1.len().max(1);
    let groups = [
        ("teacher, T = 1".to_string(), TEACHER, &answer.teacher_t1),
        (
            format!("teacher, T = {}", answer.temperature),
            SOFT,
            &answer.teacher_t,
        ),
        ("student".to_string(), DISTILLED, &answer.student),
    ];
    // The key runs along the top, where no bar can reach it.
    let key_height = (font * 1.6) as u32;
    let (key, plot) = area.split_vertically(key_height);
    let mut x = (font * 3.0) as i32;
    for (name, color, _) in &groups {
        let middle = key_height as i32 / 2;
        let swatch = (font * 0.7) as i32;
        key.draw(&Rectangle::new(
            [(x, middle - swatch / 2), (x + swatch, middle + swatch / 2)],
            color.filled(),
        ))
        .map_err(err)?;
        let style = ("sans-serif", font * 0.8)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        key.draw(&Text::new(
            name.clone(),
            (x + swatch + swatch / 2, middle),
            style.clone(),
        ))
        .map_err(err)?;
        let (width, _) = key.estimate_text_size(name, &style).map_err(err)?;
        x += swatch * 2 + width as i32 + font as i32;
    }
    let mut chart = ChartBuilder::on(&plot)
        .margin(font as i32 / 2)
        .x_label_area_size(font * 1.8)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d((0..k - 1).into_segmented(), 0f32..100f32)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => i.to_string(),
            _ => String::new(),
        })
        .y_desc("probability (%)")
        .y_labels(5)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let (x_range, _) = chart.plotting_area().get_pixel_range();
    let segment = f64::from(x_range.end - x_range.start) / k as f64;
    let bar = segment * 0.8 / groups.len() as f64;
    for (g, (_, color, probs)) in groups.iter().enumerate() {
        for (c, &p) in probs.iter().enumerate() {
            let x0 =
                (f64::from(x_range.start) + segment * (c as f64 + 0.1) + bar * g as f64) as i32;
            let y0 = chart.backend_coord(&(SegmentValue::Exact(c), 0.0)).1;
            let y1 = chart.backend_coord(&(SegmentValue::Exact(c), 100.0 * p)).1;
            // Backend coordinates: drawn on the whole area, not the plot below the key.
            area.draw(&Rectangle::new(
                [(x0, y1.min(y0 - 1)), (x0 + (bar * 0.9) as i32, y0)],
                color.filled(),
            ))
            .map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(size: (u32, u32), draw: impl FnOnce(&Area<SVGBackend>) -> Drawn) -> String {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
            draw(&area).unwrap();
            area.present().unwrap();
        }
        out
    }

    #[test]
    fn pixels_are_grey_squares_ink_dark() {
        let mut pixels = vec![0.0; 64];
        pixels[0] = 1.0;
        pixels[9] = 0.5;
        let out = svg((80, 80), |a| draw_pixels(a, &pixels, 8));
        // Background, 64 squares and the frame; full ink is black, half ink mid-grey.
        assert_eq!(out.matches("<rect").count(), 1 + 64 + 1);
        assert!(out.contains("#000000") && out.contains("#7F7F7F"), "{out}");
    }

    #[test]
    fn answers_show_three_labelled_series_over_ten_digits() {
        let answer = Answer {
            temperature: 20.0,
            teacher_t1: (0..10).map(|i| if i == 7 { 0.91 } else { 0.01 }).collect(),
            teacher_t: vec![0.1; 10],
            student: vec![0.1; 10],
        };
        let out = svg((600, 300), |a| draw_answer(a, &answer, 1.0));
        for label in ["teacher, T = 1", "teacher, T = 20", "student", "0", "9"] {
            assert!(out.contains(&format!(">\n{label}\n<")), "{label}");
        }
        // Background, 3 key swatches, 3 bars a digit.
        assert_eq!(out.matches("<rect").count(), 1 + 3 + 30);
    }
}
