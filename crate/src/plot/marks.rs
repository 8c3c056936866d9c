//! The marks' frontier: how surely the owner catches the text-only copy (its median z over
//! seeds) against what the mark costs an honest user (KL per letter from the plain teacher),
//! one line per mark and test (their key in a band below), the z above which a copy counts as
//! caught, the page's δ ringed and, on the page, its own round's point.

use super::chat::{draw_key, split_key};
use super::{Area, Drawn, Ink, Marker, Side, draw_line, err, font_px, stroke, this_round};
use crate::chat::frontier::{Point, Scheme};
use crate::chat::study::ALPHA;
use crate::chat::watermark::Test;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The curves drawn, each a mark under a test, with its ink and name.
pub const CURVES: [(Scheme, Test, Ink, &str); 4] = [
    (
        Scheme::Green,
        Test::Letters,
        Ink {
            color: RGBColor(0x00, 0x72, 0xB2),
            dash: None,
            marker: Marker::Circle,
        },
        "green, every letter",
    ),
    (
        Scheme::Green,
        Test::Pairs,
        Ink {
            color: RGBColor(0xD5, 0x5E, 0x00),
            dash: Some((9, 5)),
            marker: Marker::Triangle,
        },
        "green, distinct pairs",
    ),
    (
        Scheme::Adfp,
        Test::Letters,
        Ink {
            color: RGBColor(0x00, 0x9E, 0x73),
            dash: Some((12, 4)),
            marker: Marker::Square,
        },
        "ADFP, every letter",
    ),
    (
        Scheme::Shuffled,
        Test::Letters,
        Ink {
            color: RGBColor(0x66, 0x66, 0x66),
            dash: Some((2, 4)),
            marker: Marker::Diamond,
        },
        "ADFP, proxy shuffled",
    ),
];

/// The z above which the every-position test's p falls below [`ALPHA`]: P(Z ≥ 3.0902) = 0.001
/// (pinned by a test against the normal tail).
pub const CAUGHT_Z: f32 = 3.0902;

/// Draws `points` (z against KL per letter), the caught line, the page's setting `page` (its δ
/// and test) ringed on the green list's curve under that test, and `live` (this round's KL and
/// z) as a cross.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    points: &[Point],
    live: Option<(f32, f32)>,
    page: Option<(f32, Test)>,
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    if points.is_empty() {
        return Ok(());
    }
    let font = font_px(area, scale);
    let (area, key) = split_key(area, CURVES.len(), font);
    // f32 coordinates, as every other chart's: plotters' chart code is compiled once for them.
    let at = |p: &Point| (p.kl as f32, p.z as f32);
    let most_kl = points
        .iter()
        .map(|p| at(p).0)
        .chain(live.map(|l| l.0))
        .fold(0.0f32, f32::max);
    let zs = points.iter().map(|p| at(p).1).chain(live.map(|l| l.1));
    let z = CAUGHT_Z;
    let (low, high) = zs.fold((0.0f32, z), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let x = 0.0..(most_kl * 1.08).max(0.01);
    let y = (low - 0.5).floor()..(high + 0.5).ceil();
    let mut chart = ChartBuilder::on(&area)
        .margin(font as i32 / 2)
        .margin_right(font as i32)
        .caption(
            "the copy caught (median z) against the honest user's cost",
            ("sans-serif", font * 0.9),
        )
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(x.clone(), y.clone())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_desc("KL(served ‖ plain), nats a letter")
        .y_desc("z of the text-only copy")
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let line = BLACK.mix(0.5).stroke_width(stroke(1.0, scale));
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(x.start, z), (x.end, z)],
            line,
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("caught: p < {} ", ALPHA as f32),
            (x.end, z),
            ("sans-serif", font * 0.75)
                .into_font()
                .color(&BLACK.mix(0.7))
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        )))
        .map_err(err)?;
    for (i, (scheme, test, ink, _)) in CURVES.into_iter().enumerate() {
        // In the order of strength, as the file lists them: the curve a stronger mark traces.
        let line: Vec<(f32, f32)> = points
            .iter()
            .filter(|p| p.test == test && (p.scheme == scheme || is_plain(p)))
            .map(at)
            .collect();
        if !line.is_empty() {
            draw_line(&mut chart, line, ink, i, scale)?;
        }
    }
    let ring = points
        .iter()
        .filter(|p| p.scheme == Scheme::Green && page == Some((p.strength, p.test)))
        .map(|p| {
            let ink = CURVES
                .iter()
                .find(|c| c.0 == Scheme::Green && c.1 == p.test)
                .map_or(CURVES[0].2, |c| c.2);
            Circle::new(
                at(p),
                (9.0 * scale) as i32,
                ink.color.stroke_width(stroke(2.0, scale)),
            )
        });
    chart.draw_series(ring).map_err(err)?;
    if let Some(at) = live {
        this_round(&mut chart, at, Side::Right, font, scale)?;
    }
    let entries: Vec<(String, Ink)> = CURVES.iter().map(|c| (c.3.to_string(), c.2)).collect();
    draw_key(&key, &entries, font, scale)
}

/// The unmarked API's point starts every curve: its text carries no key for any mark.
fn is_plain(p: &Point) -> bool {
    p.scheme == Scheme::Green && p.strength == 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::watermark::normal_tail;

    #[test]
    fn the_caught_line_is_where_the_normal_tail_is_alpha() {
        let tail = normal_tail(f64::from(CAUGHT_Z));
        assert!((tail / ALPHA - 1.0).abs() < 1e-3, "{tail}");
    }
}
