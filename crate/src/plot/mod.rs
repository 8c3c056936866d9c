//! Plots of a run, each a plain `draw` over a plotters [`DrawingArea`], generic over the
//! backend: the same code renders SVG natively and draws on a canvas in the page.

pub mod accounts;
pub mod bars;
pub mod chat;
pub mod confusion;
pub mod curves;
pub mod defences;
pub mod digit;
pub mod fidelity;
pub mod map;
pub mod marks;
pub mod reasoner;
pub mod study;

use plotters::chart::SeriesAnno;
use plotters::coord::{CoordTranslate, Shift};
use plotters::element::{ComposedElement, DashedPathElement};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A plotters drawing area of any backend: what every `draw` takes.
pub type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Result of a `draw`: errors become strings at this boundary.
pub type Drawn = Result<(), String>;

/// Okabe & Ito's colour-blind-safe palette, one colour per class.
const CLASS_COLORS: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// The colour of class `c`.
pub fn class_color(c: usize) -> RGBColor {
    CLASS_COLORS[c % CLASS_COLORS.len()]
}

/// The marker of class `c` (the points on the maps, the probe's key): with the colour, so
/// that no class is told from another by colour alone.
pub fn class_marker(c: usize) -> Marker {
    Marker::ALL[c % Marker::ALL.len()]
}

/// `#rrggbb` of class `c`'s colour, for keys drawn outside the plots.
pub fn class_hex(c: usize) -> String {
    let RGBColor(r, g, b) = class_color(c);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Colour of the teacher in every chart.
pub const TEACHER: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Colour of the distilled student in every chart.
pub const DISTILLED: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Colour of the hard-label student in every chart.
pub const HARD: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// A shape drawn on a series' points and in its legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marker {
    /// A filled disc (an octagon).
    Circle,
    /// A filled triangle, point up.
    Triangle,
    /// A filled square.
    Square,
    /// A filled diamond.
    Diamond,
    /// A filled plus sign.
    Plus,
}

impl Marker {
    /// Every marker, in the order classes and series take them.
    pub const ALL: [Marker; 5] = [
        Marker::Circle,
        Marker::Triangle,
        Marker::Square,
        Marker::Diamond,
        Marker::Plus,
    ];

    /// The marker as a text character, for keys written outside the plots.
    pub fn glyph(self) -> char {
        match self {
            Marker::Circle => '●',
            Marker::Triangle => '▲',
            Marker::Square => '■',
            Marker::Diamond => '◆',
            Marker::Plus => '✚',
        }
    }

    /// The outline of the marker of half-size `r` pixels around (0, 0), in pixels.
    fn outline(self, r: i32) -> Vec<(i32, i32)> {
        let t = (r / 3).max(1);
        match self {
            Marker::Circle => {
                let d = (f64::from(r) * 0.414).round() as i32;
                vec![
                    (-d, -r),
                    (d, -r),
                    (r, -d),
                    (r, d),
                    (d, r),
                    (-d, r),
                    (-r, d),
                    (-r, -d),
                ]
            }
            Marker::Triangle => vec![(0, -r - t), (r + t, r), (-r - t, r)],
            Marker::Square => vec![(-r, -r), (r, -r), (r, r), (-r, r)],
            Marker::Diamond => vec![(0, -r - t), (r + t, 0), (0, r + t), (-r - t, 0)],
            Marker::Plus => vec![
                (-t, -r - t),
                (t, -r - t),
                (t, -t),
                (r + t, -t),
                (r + t, t),
                (t, t),
                (t, r + t),
                (-t, r + t),
                (-t, t),
                (-r - t, t),
                (-r - t, -t),
                (-t, -t),
            ],
        }
    }

    /// The marker of half-size `r` at `at` (any coordinates), filled with `color` and ringed
    /// in white so that it shows on any background.
    pub fn at<C, DB: DrawingBackend>(self, at: C, r: i32, color: RGBColor) -> Placed<C, DB> {
        let outline = self.outline(r);
        let mut ring = outline.clone();
        ring.push(outline[0]);
        EmptyElement::at(at)
            + Polygon::new(outline, color.filled())
            + PathElement::new(ring, WHITE.stroke_width(1))
    }
}

/// A [`Marker`] placed at a point of coordinates `C`: its filled outline and a white ring.
pub type Placed<C, DB> = ComposedElement<C, DB, Polygon<(i32, i32)>, PathElement<(i32, i32)>>;

/// A legend entry's glyph: a stretch of line (dashed or not) with the series' marker on it.
type Glyph<DB> = ComposedElement<
    (i32, i32),
    DB,
    DashedPathElement<std::vec::IntoIter<(i32, i32)>, i32>,
    ComposedElement<(i32, i32), DB, Polygon<(i32, i32)>, PathElement<(i32, i32)>>,
>;

/// How one series is drawn: colour, dash pattern and marker, so that no series is told from
/// another by colour alone.
#[derive(Debug, Clone, Copy)]
pub struct Ink {
    /// The line's colour.
    pub color: RGBColor,
    /// Dash and gap lengths (at scale 1, in pixels); `None` is a solid line.
    pub dash: Option<(u32, u32)>,
    /// The shape on the line's points.
    pub marker: Marker,
}

/// The teacher: dark, solid, squares.
pub const TEACHER_INK: Ink = Ink {
    color: TEACHER,
    dash: None,
    marker: Marker::Square,
};
/// The distilled student: blue, solid, circles.
pub const DISTILLED_INK: Ink = Ink {
    color: DISTILLED,
    dash: None,
    marker: Marker::Circle,
};
/// The hard-label student: vermillion, dashed, triangles.
pub const HARD_INK: Ink = Ink {
    color: HARD,
    dash: Some((9, 5)),
    marker: Marker::Triangle,
};

/// The API's five response formats (full, top-k, rounded, perturbed, label only): Okabe &
/// Ito colours, each with its own dash and marker.
pub const FORMAT_INKS: [Ink; 5] = [
    Ink {
        color: RGBColor(0x00, 0x72, 0xB2),
        dash: None,
        marker: Marker::Circle,
    },
    Ink {
        color: RGBColor(0x56, 0xB4, 0xE9),
        dash: Some((12, 4)),
        marker: Marker::Triangle,
    },
    Ink {
        color: RGBColor(0x00, 0x9E, 0x73),
        dash: Some((6, 4)),
        marker: Marker::Square,
    },
    Ink {
        color: RGBColor(0xCC, 0x79, 0xA7),
        dash: Some((2, 4)),
        marker: Marker::Diamond,
    },
    Ink {
        color: RGBColor(0xD5, 0x5E, 0x00),
        dash: Some((10, 3)),
        marker: Marker::Plus,
    },
];

/// `#rrggbb` of format `i`'s colour, for the page's swatches.
pub fn format_hex(i: usize) -> String {
    let RGBColor(r, g, b) = FORMAT_INKS[i % FORMAT_INKS.len()].color;
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Font size in pixels for an area drawn at `scale` device pixels per CSS pixel (the screen's
/// pixel ratio, times the presenter's enlargement): 14–18 CSS pixels as the chart widens,
/// times the scale.
fn font_px<DB: DrawingBackend>(area: &Area<DB>, scale: f64) -> f64 {
    let (w, h) = area.dim_in_pixel();
    let css = f64::from(w.min(h * 2)) / scale.max(0.1);
    (css / 28.0).clamp(14.0, 18.0) * scale
}

/// A line `width` pixels wide at scale 1, at `scale`.
fn stroke(width: f64, scale: f64) -> u32 {
    (width * scale).round().max(1.0) as u32
}

/// A chart axis whose values a drawn element can hold.
trait Axis: Ranged<ValueType: Clone + 'static> {}
impl<T: Ranged<ValueType: Clone + 'static>> Axis for T {}

/// Which side of its cross a chart writes "this round".
#[derive(Clone, Copy)]
enum Side {
    Right,
    Left,
}

/// Draws the round on screen as a black cross at `at`, "this round" written beside it on
/// `side` (the side with room in that chart), in `font` px.
fn this_round<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    at: (X::ValueType, Y::ValueType),
    side: Side,
    font: f64,
    scale: f64,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    X: Axis,
    Y: Axis,
{
    let r = (7.0 * scale) as i32;
    let style = BLACK.stroke_width(stroke(2.5, scale));
    let (text, corner, pos) = match side {
        Side::Right => (" this round", (r, -r), Pos::new(HPos::Left, VPos::Top)),
        Side::Left => ("this round ", (-r, -r), Pos::new(HPos::Right, VPos::Bottom)),
    };
    let font = ("sans-serif", font * 0.75)
        .into_font()
        .color(&BLACK)
        .pos(pos);
    chart
        .draw_series(std::iter::once(
            EmptyElement::at(at)
                + PathElement::new([(-r, -r), (r, r)], style)
                + PathElement::new([(-r, r), (r, -r)], style)
                + Text::new(text, corner, font),
        ))
        .map_err(err)?;
    Ok(())
}

/// Draws `points` as a line in `ink` (dashed if it says so) with its marker on about eight
/// of them (from the `nth` of every stride, so that series sharing a chart do not stack their
/// markers), and returns the series for its legend entry.
fn draw_line<'a, 'b, DB, X, Y>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    points: Vec<(X::ValueType, Y::ValueType)>,
    ink: Ink,
    nth: usize,
    scale: f64,
) -> Result<&'b mut SeriesAnno<'a, DB>, String>
where
    DB: DrawingBackend + 'a,
    X: Axis,
    Y: Axis,
{
    let style = ink.color.stroke_width(stroke(2.5, scale));
    let stride = (points.len() / 8).max(1);
    let r = (4.0 * scale).round() as i32;
    let marked: Vec<_> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == (nth * stride / 5) % stride || *i + 1 == points.len())
        .map(|(_, p)| ink.marker.at(p.clone(), r, ink.color))
        .collect();
    match ink.dash {
        None => chart
            .draw_series(LineSeries::new(points, style))
            .map_err(err)?,
        Some((on, off)) => chart
            .draw_series(DashedLineSeries::new(
                points,
                (f64::from(on) * scale) as u32,
                (f64::from(off) * scale) as u32,
                style,
            ))
            .map_err(err)?,
    };
    chart.draw_series(marked).map_err(err)
}

/// The legend glyph of `ink`: a short stretch of its line with its marker in the middle.
fn legend_glyph<DB: DrawingBackend>(
    ink: Ink,
    font: f64,
    scale: f64,
) -> impl Fn((i32, i32)) -> Glyph<DB> {
    move |at| {
        let len = (font * 1.8) as i32;
        let style = ink.color.stroke_width(stroke(2.5, scale));
        let (on, off) = ink.dash.map_or((len, 0), |(on, off)| {
            (
                (f64::from(on) * scale) as i32,
                (f64::from(off) * scale) as i32,
            )
        });
        let r = (4.0 * scale).round() as i32;
        let outline: Vec<(i32, i32)> = ink
            .marker
            .outline(r)
            .into_iter()
            .map(|(x, y)| (x + len / 2, y))
            .collect();
        let mut ring = outline.clone();
        ring.push(outline[0]);
        EmptyElement::at(at)
            + DashedPathElement::new(vec![(0, 0), (len, 0)], on, off, style)
            + Polygon::new(outline, ink.color.filled())
            + PathElement::new(ring, WHITE.stroke_width(1))
    }
}

/// Where a chart's key sits inside its plot.
#[derive(Debug, Clone, Copy)]
enum Corner {
    LowerLeft,
    LowerRight,
}

/// Draws a chart's key in the house style: a pale box in `corner` of the plot, one row per
/// entry, its line-and-marker glyph then its name. Drawn here rather than by plotters' series
/// labels, which size each name by laying out the web page: every size here is the backend's
/// estimate, which the page's canvas measures once per name.
fn legend<DB: DrawingBackend, CT: CoordTranslate>(
    chart: &ChartContext<DB, CT>,
    font: f64,
    scale: f64,
    corner: Corner,
    entries: &[(&str, Ink)],
) -> Drawn {
    let area = chart.plotting_area().strip_coord_spec();
    let style = ("sans-serif", font * 0.8)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut widest = 0;
    for (name, _) in entries {
        widest = widest.max(area.estimate_text_size(name, &style).map_err(err)?.0 as i32);
    }
    let (margin, glyph, row) = (
        (font * 0.4) as i32,
        (font * 2.3) as i32,
        (font * 1.2) as i32,
    );
    let (width, height) = (
        glyph + widest + 2 * margin,
        entries.len() as i32 * row + margin,
    );
    let (w, h) = area.dim_in_pixel();
    let left = match corner {
        Corner::LowerLeft => margin,
        Corner::LowerRight => w as i32 - width - margin,
    };
    let top = h as i32 - height - margin;
    let corners = [(left, top), (left + width, top + height)];
    area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))
        .map_err(err)?;
    area.draw(&Rectangle::new(corners, BLACK.mix(0.3)))
        .map_err(err)?;
    for (i, (name, ink)) in entries.iter().enumerate() {
        let y = top + margin / 2 + i as i32 * row + row / 2;
        area.draw(&legend_glyph(*ink, font, scale)((left + margin, y)))
            .map_err(err)?;
        area.draw_text(name, &style, (left + margin + glyph, y))
            .map_err(err)?;
    }
    Ok(())
}

/// A log axis's tick as a decimal a lay reader knows (0.001, not 1e-3): one significant digit.
fn decimal(v: f32) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let places = (-v.log10()).ceil().max(0.0) as usize;
        format!("{v:.places$}")
    }
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("plot failed: {e:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_read_as_decimals() {
        assert_eq!(decimal(1e-4), "0.0001");
        assert_eq!(decimal(0.01), "0.01");
        assert_eq!(decimal(0.5), "0.5");
        assert_eq!(decimal(10.0), "10");
    }
}
