//! The reasoner's defence frontier: the thief's held-out accuracy against the honest user's,
//! one line per kind of defence from the undefended API outwards (their key in a band below),
//! each point's spread over seeds as a bar, the page's setting ringed and, on the page, its
//! own round's point.

use super::chat::{draw_key, split_key};
use super::{Area, Drawn, Ink, Marker, Side, draw_line, err, font_px, stroke, this_round};
use crate::reasoner::defence::{Defence, Policy};
use crate::reasoner::frontier::Point;
use crate::reasoner::study::Access;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A family of points: which it takes, its ink and its name in the key.
type Family = (fn(&Point) -> bool, Ink, &'static str);

/// The lines drawn, each from the undefended API's working thief outwards.
pub const FAMILIES: [Family; 5] = [
    (
        |p| p.defence == Defence::None && p.tau == 1.0,
        Ink {
            color: RGBColor(0x00, 0x72, 0xB2),
            dash: None,
            marker: Marker::Circle,
        },
        "hiding the working",
    ),
    (
        |p| p.defence == Defence::None && p.access == Access::Working,
        Ink {
            color: RGBColor(0xD5, 0x5E, 0x00),
            dash: Some((9, 5)),
            marker: Marker::Triangle,
        },
        "hotter sampling (τ)",
    ),
    (
        |p| p.defence == Defence::Ads || plain_working(p),
        Ink {
            color: RGBColor(0x00, 0x9E, 0x73),
            dash: Some((12, 4)),
            marker: Marker::Square,
        },
        "antidistillation sampling (λ)",
    ),
    (
        |p| p.defence == Defence::Random || plain_working(p),
        Ink {
            color: RGBColor(0x66, 0x66, 0x66),
            dash: Some((2, 4)),
            marker: Marker::Diamond,
        },
        "ADS control: random (λ)",
    ),
    (
        |p| p.defence == Defence::Rewritten || plain_working(p),
        Ink {
            color: RGBColor(0xCC, 0x79, 0xA7),
            dash: Some((5, 3)),
            marker: Marker::Triangle,
        },
        "working rewritten",
    ),
];

/// The undefended API's thief shown the working: where every defence's line starts.
fn plain_working(p: &Point) -> bool {
    p.defence == Defence::None && p.tau == 1.0 && p.access == Access::Working
}

/// Draws `points` (the thief's accuracy against the honest user's, in %), `page` (the page's
/// policy) ringed, and `live` (this round's honest user's and working thief's accuracy, as
/// fractions) as a cross.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    points: &[Point],
    live: Option<(f32, f32)>,
    page: Policy,
    scale: f64,
) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    if points.is_empty() {
        return Ok(());
    }
    let font = font_px(area, scale);
    let (area, key) = split_key(area, FAMILIES.len(), font);
    let at = |p: &Point| (100.0 * p.teacher as f32, 100.0 * p.thief as f32);
    let least = points
        .iter()
        .map(|p| at(p).0)
        .chain(live.map(|l| 100.0 * l.0))
        .fold(100.0f32, f32::min);
    let x = ((least - 5.0) / 10.0).floor() * 10.0..100.5;
    let y = 0.0f32..100.0;
    let mut chart = ChartBuilder::on(&area)
        .margin(font as i32 / 2)
        .margin_right(font as i32)
        .caption(
            "what the thief keeps against what the honest user keeps",
            ("sans-serif", font * 0.9),
        )
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 3.6)
        .build_cartesian_2d(x, y)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0} %"))
        .y_label_formatter(&|v| format!("{v:.0} %"))
        .x_desc("honest user: the teacher's answers right")
        .y_desc("thief's student: held-out answers right")
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    // Where the thief keeps exactly what the honest user keeps: a defence below it takes more
    // from the thief than from the user.
    let x0 = ((least - 5.0) / 10.0).floor() * 10.0;
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(x0, x0), (100.0, 100.0)],
            BLACK.mix(0.3).stroke_width(stroke(1.0, scale)),
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            "thief = honest user",
            (x0 + 1.0, x0 + 2.0),
            ("sans-serif", font * 0.7)
                .into_font()
                .color(&BLACK.mix(0.6)),
        )))
        .map_err(err)?;
    // What the hidden and summarised working's thieves see, beside their points.
    chart
        .draw_series(
            points
                .iter()
                .filter(|p| p.defence == Defence::None && p.access != Access::Working)
                .map(|p| {
                    let name = if p.access == Access::Summary {
                        "summary shown "
                    } else {
                        "answer only "
                    };
                    Text::new(
                        name,
                        at(p),
                        ("sans-serif", font * 0.75)
                            .into_font()
                            .color(&FAMILIES[0].1.color)
                            .pos(Pos::new(HPos::Right, VPos::Center)),
                    )
                }),
        )
        .map_err(err)?;
    // Each point's spread over seeds: ± one standard deviation of the thief's accuracy.
    let bar = BLACK.mix(0.35).stroke_width(stroke(1.0, scale));
    chart
        .draw_series(points.iter().map(|p| {
            let (x, y) = at(p);
            let sd = 100.0 * p.thief_sd as f32;
            PathElement::new([(x, (y - sd).max(0.0)), (x, (y + sd).min(100.0))], bar)
        }))
        .map_err(err)?;
    for (i, (takes, ink, _)) in FAMILIES.into_iter().enumerate() {
        let line: Vec<(f32, f32)> = points.iter().filter(|p| takes(p)).map(at).collect();
        if !line.is_empty() {
            draw_line(&mut chart, line, ink, i, scale)?;
        }
    }
    let ring = points
        .iter()
        .filter(|p| p.access == Access::Working && same(p.policy(), page))
        .map(|p| {
            Circle::new(
                at(p),
                (9.0 * scale) as i32,
                BLACK.stroke_width(stroke(2.0, scale)),
            )
        });
    chart.draw_series(ring).map_err(err)?;
    if let Some((user, thief)) = live {
        let at = (100.0 * user, 100.0 * thief);
        this_round(&mut chart, at, Side::Left, font, scale)?;
    }
    let entries: Vec<(String, Ink)> = FAMILIES.iter().map(|f| (f.2.to_string(), f.1)).collect();
    draw_key(&key, &entries, font, scale)
}

/// Whether two policies serve alike: the same defence and τ, and the same λ where it acts.
fn same(a: Policy, b: Policy) -> bool {
    a.defence == b.defence && a.tau == b.tau && a.strength() == b.strength()
}
