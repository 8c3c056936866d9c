//! The marks' frontier: how surely the owner catches the text-only copy (its median z over
//! seeds) against what the mark costs an honest user (KL per letter from the plain teacher),
//! one line per mark and test, the z above which a copy counts as caught, the page's δ ringed
//! and, on the page, its own round's point.

use super::{Area, Corner, Drawn, Ink, Marker, draw_line, err, font_px, legend, stroke};
use crate::chat::frontier::{Point, Scheme};
use crate::chat::study::ALPHA;
use crate::chat::watermark::{Test, normal_tail};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The curves drawn, each a mark under a test, with its ink and name.
pub const CURVES: [(Scheme, Test, Ink, &str); 4] = [
    (
        Scheme::Green,
        Test::Positions,
        Ink {
            color: RGBColor(0x00, 0x72, 0xB2),
            dash: None,
            marker: Marker::Circle,
        },
        "green list, every position",
    ),
    (
        Scheme::Green,
        Test::Pairs,
        Ink {
            color: RGBColor(0xD5, 0x5E, 0x00),
            dash: Some((9, 5)),
            marker: Marker::Triangle,
        },
        "green list, distinct pairs",
    ),
    (
        Scheme::Adfp,
        Test::Positions,
        Ink {
            color: RGBColor(0x00, 0x9E, 0x73),
            dash: Some((12, 4)),
            marker: Marker::Square,
        },
        "ADFP, every position",
    ),
    (
        Scheme::Shuffled,
        Test::Positions,
        Ink {
            color: RGBColor(0x66, 0x66, 0x66),
            dash: Some((2, 4)),
            marker: Marker::Diamond,
        },
        "ADFP, proxy shuffled",
    ),
];

/// The z above which the every-position test's p falls below [`ALPHA`].
pub fn caught_z() -> f64 {
    // Bisection on the normal tail: z with P(Z ≥ z) = ALPHA.
    let (mut lo, mut hi) = (0.0, 10.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if normal_tail(mid) > ALPHA {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Draws `points` (z against KL per letter), the caught line, the page's δ `page_delta` ringed
/// on the green list's every-position curve, and `live` (this round's KL and z) as a cross.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    points: &[Point],
    live: Option<(f64, f64)>,
    page_delta: f32,
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    if points.is_empty() {
        return Ok(());
    }
    let font = font_px(area, scale);
    let most_kl = points
        .iter()
        .map(|p| p.kl)
        .chain(live.map(|l| l.0))
        .fold(0.0f64, f64::max);
    let zs = points.iter().map(|p| p.z).chain(live.map(|l| l.1));
    let (low, high) = zs.fold((0.0f64, caught_z()), |(lo, hi), z| (lo.min(z), hi.max(z)));
    let x = 0.0..(most_kl * 1.08).max(0.01);
    let y = (low - 0.5).floor()..(high + 0.5).ceil();
    let mut chart = ChartBuilder::on(area)
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
    let z = caught_z();
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(x.start, z), (x.end, z)],
            line,
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("caught: p < {ALPHA} "),
            (x.end, z),
            ("sans-serif", font * 0.75)
                .into_font()
                .color(&BLACK.mix(0.7))
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        )))
        .map_err(err)?;
    for (i, (scheme, test, ink, _)) in CURVES.into_iter().enumerate() {
        let mut line: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.test == test && (p.scheme == scheme || is_plain(p, scheme)))
            .map(|p| (p.kl, p.z))
            .collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !line.is_empty() {
            draw_line(&mut chart, line, ink, i, scale)?;
        }
    }
    let ink = CURVES[0].2;
    let ring = points
        .iter()
        .filter(|p| p.scheme == Scheme::Green && p.test == Test::Positions)
        .filter(|p| p.strength == page_delta)
        .map(|p| {
            Circle::new(
                (p.kl, p.z),
                (9.0 * scale) as i32,
                ink.color.stroke_width(stroke(2.0, scale)),
            )
        });
    chart.draw_series(ring).map_err(err)?;
    if let Some((kl, z)) = live {
        let r = (7.0 * scale) as i32;
        let style = BLACK.stroke_width(stroke(2.5, scale));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((kl, z))
                    + PathElement::new([(-r, -r), (r, r)], style)
                    + PathElement::new([(-r, r), (r, -r)], style)
                    + Text::new(
                        " this round",
                        (r, -r),
                        ("sans-serif", font * 0.75).into_font().color(&BLACK),
                    ),
            ))
            .map_err(err)?;
    }
    let key: Vec<(&str, Ink)> = CURVES.iter().map(|c| (c.3, c.2)).collect();
    legend(&chart, font, scale, Corner::LowerRight, &key)
}

/// The unmarked API's point starts every curve: its text carries no key for any mark.
fn is_plain(p: &Point, _scheme: Scheme) -> bool {
    p.scheme == Scheme::Green && p.strength == 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caught_line_is_where_the_normal_tail_is_alpha() {
        // P(Z ≥ 3.0902) = 0.001, from a table of the normal distribution.
        assert!((caught_z() - 3.0902).abs() < 1e-3, "{}", caught_z());
    }
}
