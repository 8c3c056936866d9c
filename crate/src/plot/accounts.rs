//! The accounts chart: the thief's fidelity against what it paid — accounts opened (top), the
//! bill and the simulated time (below) — under the per-account and the cross-account
//! detector, the page's own account count marked.

use super::{Area, Corner, Drawn, Ink, Marker, draw_line, err, font_px, legend, stroke};
use crate::api::spread::{Point, SpreadMetrics, Watch};
use crate::words::thousands;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The per-account detector's series: vermillion, dashed, triangles.
pub const PER_ACCOUNT_INK: Ink = Ink {
    color: RGBColor(0xD5, 0x5E, 0x00),
    dash: Some((9, 5)),
    marker: Marker::Triangle,
};
/// The cross-account detector's series: blue, solid, circles.
pub const CROSS_ACCOUNT_INK: Ink = Ink {
    color: RGBColor(0x00, 0x72, 0xB2),
    dash: None,
    marker: Marker::Circle,
};

/// The ink of `watch`'s series.
pub fn ink(watch: Watch) -> Ink {
    match watch {
        Watch::PerAccount => PER_ACCOUNT_INK,
        Watch::CrossAccount => CROSS_ACCOUNT_INK,
    }
}

/// What a panel puts on its x axis.
#[derive(Clone, Copy)]
enum Cost {
    Accounts,
    Bill,
    Seconds,
}

impl Cost {
    fn of(self, p: &Point) -> f32 {
        match self {
            Cost::Accounts => p.watched.accounts as f32,
            Cost::Bill => p.watched.cost,
            Cost::Seconds => p.watched.seconds as f32,
        }
    }

    fn caption(self) -> &'static str {
        match self {
            Cost::Accounts => "fidelity (%) against the accounts the thief opened",
            Cost::Bill => "… against its bill ($)",
            Cost::Seconds => "… against its time (simulated s)",
        }
    }
}

/// Fidelity of each sweep point against its accounts (log axis, a line per detector), bill
/// and time (points: they do not order the runs); the points of the page's own account count (`m.accounts`) ringed, and a
/// line at it on the top panel. Nothing is drawn before the first point.
pub fn draw<DB: DrawingBackend>(area: &Area<DB>, m: &SpreadMetrics, scale: f64) -> Drawn {
    area.fill(&WHITE).map_err(err)?;
    if m.points.is_empty() {
        return Ok(());
    }
    let font = font_px(area, scale);
    let lowest = m
        .points
        .iter()
        .map(|p| 100.0 * p.fidelity)
        .fold(100.0f32, f32::min);
    // From a multiple of 5 at least 6 below the lowest point: small differences show, and the
    // key in the lower corner has room under the lines.
    let y = (((lowest - 6.0) / 5.0).floor() * 5.0).max(0.0)..100.5f32;
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 11 / 20);
    let (left, right) = bottom.split_horizontally(bottom.dim_in_pixel().0 / 2);
    let most = m
        .points
        .iter()
        .map(|p| p.watched.accounts)
        .max()
        .unwrap_or(1);
    let accounts = 0.8f32..(most.max(m.accounts) as f32 * 1.25);
    let mut chart = ChartBuilder::on(&top)
        .margin(font as i32 / 2)
        .margin_right((font * 1.6) as i32)
        .caption(Cost::Accounts.caption(), ("sans-serif", font * 0.9))
        .x_label_area_size(font * 2.9)
        .y_label_area_size(font * 2.6)
        .build_cartesian_2d(accounts.clone().log_scale(), y.clone())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(4)
        .y_labels(4)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc("accounts (log scale)")
        .label_style(("sans-serif", font * 0.8))
        .axis_desc_style(("sans-serif", font * 0.8))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    let at = m.accounts as f32;
    let mark = BLACK.mix(0.6).stroke_width(stroke(1.5, scale));
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(at, y.start), (at, y.end)],
            mark,
        )))
        .map_err(err)?;
    let right_side = at < accounts.end / 10.0;
    let anchor = Pos::new(if right_side { HPos::Left } else { HPos::Right }, VPos::Top);
    chart
        .draw_series(std::iter::once(Text::new(
            format!(" this page: {} accounts ", thousands(m.accounts)),
            (at, y.end - 0.5),
            ("sans-serif", font * 0.75)
                .into_font()
                .color(&BLACK)
                .pos(anchor),
        )))
        .map_err(err)?;
    series(&mut chart, m, Cost::Accounts, scale)?;
    let key: Vec<(&str, Ink)> = Watch::ALL.iter().map(|&w| (w.name(), ink(w))).collect();
    legend(&chart, font, scale, Corner::LowerLeft, &key)?;
    for (panel, cost) in [(&left, Cost::Bill), (&right, Cost::Seconds)] {
        let most = m
            .points
            .iter()
            .map(|p| cost.of(p))
            .fold(0.0f32, f32::max)
            .max(1e-3);
        let mut chart = ChartBuilder::on(panel)
            .margin(font as i32 / 2)
            .margin_right(font as i32)
            .caption(cost.caption(), ("sans-serif", font * 0.8))
            .x_label_area_size(font * 1.6)
            .y_label_area_size(font * 2.6)
            .build_cartesian_2d(0f32..most * 1.1, y.clone())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(3)
            .y_labels(4)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", font * 0.75))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        series(&mut chart, m, cost, scale)?;
    }
    Ok(())
}

/// Both detectors' series on `chart` against `cost`, the page's own points ringed.
fn series<'a, DB: DrawingBackend + 'a, X: Ranged<ValueType = f32>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, plotters::coord::types::RangedCoordf32>>,
    m: &SpreadMetrics,
    cost: Cost,
    scale: f64,
) -> Drawn {
    for (i, watch) in Watch::ALL.into_iter().enumerate() {
        let mut points: Vec<(f32, f32)> = m
            .points
            .iter()
            .filter(|p| p.watch == watch)
            .map(|p| (cost.of(p), 100.0 * p.fidelity))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        if points.is_empty() {
            continue;
        }
        if matches!(cost, Cost::Accounts) {
            draw_line(chart, points, ink(watch), i, scale)?;
        } else {
            // Bill and time do not order the runs as accounts do: points, not a line.
            let r = (5.0 * scale).round() as i32;
            let marks = points
                .into_iter()
                .map(|p| ink(watch).marker.at(p, r, ink(watch).color));
            chart.draw_series(marks).map_err(err)?;
        }
        let ring = m
            .points
            .iter()
            .filter(|p| p.watch == watch && p.watched.accounts == m.accounts)
            .map(|p| {
                Circle::new(
                    (cost.of(p), 100.0 * p.fidelity),
                    (9.0 * scale) as i32,
                    ink(watch).color.stroke_width(stroke(2.0, scale)),
                )
            });
        chart.draw_series(ring).map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::accounts::Watched;

    #[test]
    fn draws_the_sweep_as_svg_with_the_page_setting_marked() {
        let point = |watch, accounts, fidelity| Point {
            watch,
            watched: Watched {
                accounts,
                accounts_banned: 0,
                queries: 3000,
                stopped_at: None,
                by_cross: false,
                seconds: 1.0,
                cost: 6.0,
                honest: 1000,
                honest_banned: 0,
            },
            fidelity,
        };
        let m = SpreadMetrics {
            progress: 1.0,
            accounts: 1000,
            points: vec![
                point(Watch::PerAccount, 1, 0.93),
                point(Watch::PerAccount, 1000, 0.955),
                point(Watch::CrossAccount, 1000, 0.934),
            ],
        };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (900, 700)).into_drawing_area();
            draw(&area, &m, 1.0).unwrap();
            area.present().unwrap();
        }
        assert!(
            svg.contains("this page: 1,000 accounts"),
            "the setting is marked"
        );
        assert!(svg.contains("cross-account detector") && svg.contains("per-account detector"));
    }
}
