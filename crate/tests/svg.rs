//! Every chart of the page, rendered by the same draw code into SVG (as the page's export
//! does), parses as XML; its type is no smaller than the page promises (presenter mode: 18 px
//! and up), every label's anchor lies inside the picture, and the series are told apart by
//! more than colour (each legend entry has its own dash pattern or marker).

use distill::api::extraction::{Extraction, ExtractionMetrics};
use distill::config::Config;
use distill::metrics::Metrics;
use distill::playground::trainer::{Probe, Trainer};
use distill::plot::{self, Area, Drawn};
use plotters::prelude::*;

/// A short run through both phases, its probe at the teacher's least sure point, and an
/// extraction of its teacher.
fn run() -> (Vec<Metrics>, Probe, Vec<ExtractionMetrics>) {
    let (config, _) =
        Config::from_query("teacher_steps=200&student_steps=200&budget=200&perturbation=1");
    let mut trainer = Trainer::new(config.clone()).unwrap();
    let history: Vec<Metrics> = (0..40).map(|_| trainer.step(10)).collect();
    let [x, y] = trainer.least_sure_point();
    let probe = trainer.probe(x, y);
    let mut extraction = Extraction::new(&trainer, config).unwrap();
    let api: Vec<ExtractionMetrics> = (0..10).map(|_| extraction.step(20)).collect();
    (history, probe, api)
}

fn svg(size: (u32, u32), draw: impl FnOnce(&Area<SVGBackend>) -> Drawn) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&area).unwrap();
        area.present().unwrap();
    }
    out
}

/// Parses `text` and checks every `<text>`: font size at least `least` px, anchor inside.
/// Returns the labels.
fn check(name: &str, text: &str, size: (u32, u32), least: f64) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{name}");
    let mut labels = vec![];
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let label = node.text().unwrap_or("").trim().to_string();
        let number = |key| node.attribute(key).and_then(|v| v.parse::<f64>().ok());
        // plotters takes a font's size as its line height and writes the em, size / 1.24, into
        // the SVG; the canvas draws the size itself as the em.
        let font = number("font-size").unwrap_or(0.0) * 1.24;
        assert!(
            font >= least - 0.5,
            "{name}: {label:?} at {font} px < {least}"
        );
        let (x, y) = (number("x").unwrap(), number("y").unwrap());
        assert!(
            (0.0..=f64::from(size.0)).contains(&x) && (0.0..=f64::from(size.1)).contains(&y),
            "{name}: {label:?} at ({x}, {y}) outside {size:?}"
        );
        labels.push(label);
    }
    labels
}

#[test]
fn every_chart_parses_with_readable_labels_inside_at_phone_desktop_and_presenter_sizes() {
    let (history, probe, api) = run();
    let last = history.last().unwrap();
    // (CSS size, scale, least font): a phone's panel, a desktop's, a projector's in presenter
    // mode (scale 1.65).
    for (size, scale, least) in [
        ((350, 220), 1.0, 11.0),
        ((480, 300), 1.0, 11.0),
        ((900, 560), 1.65, 18.0),
    ] {
        let charts: [(&str, String); 6] = [
            (
                "agreement",
                svg(size, |a| plot::curves::draw_agreement(a, &history, scale)),
            ),
            (
                "loss",
                svg(size, |a| plot::curves::draw_loss(a, &history, scale)),
            ),
            (
                "probe",
                svg(size, |a| plot::bars::draw_probe(a, &probe, scale)),
            ),
            (
                "accuracy",
                svg(size, |a| plot::bars::draw_accuracy(a, last, scale)),
            ),
            (
                "fidelity",
                svg(size, |a| plot::fidelity::draw(a, &api, scale)),
            ),
            (
                "confusion",
                svg(size, |a| {
                    plot::confusion::draw(a, &[5, 1, 0, 0, 4, 2, 1, 0, 6], "teacher", scale)
                }),
            ),
        ];
        for (name, text) in &charts {
            let labels = check(name, text, size, least);
            assert!(labels.len() > 3, "{name}: {labels:?}");
        }
        let labels = check("fidelity", &charts[4].1, size, least);
        for words in ["queries answered", "full probabilities", "label only"] {
            assert!(labels.iter().any(|l| l == words), "{words} in {labels:?}");
        }
    }
}

#[test]
fn students_and_formats_differ_in_dash_or_marker_not_only_colour() {
    let (history, _, api) = run();
    let loss = svg((600, 400), |a| plot::curves::draw_loss(a, &history, 1.0));
    // The hard-label student's line is dashed (many short paths in its colour), the distilled
    // student's solid (one path, and one in the legend).
    let dashes = loss.matches("stroke=\"#D55E00\"").count();
    let solid = loss.matches("stroke=\"#0072B2\"").count();
    assert_eq!(solid, 2, "{loss}");
    assert!(
        dashes > 10 * solid,
        "dashed: {dashes} paths, solid: {solid}"
    );
    // Each format has its own marker: as many distinct polygon shapes as formats.
    let inks = plot::FORMAT_INKS;
    let markers: std::collections::HashSet<_> = inks.iter().map(|i| i.marker).collect();
    let dashes: std::collections::HashSet<_> = inks.iter().map(|i| i.dash).collect();
    assert_eq!(markers.len(), inks.len(), "one marker per format");
    assert_eq!(dashes.len(), inks.len(), "one dash pattern per format");
    let fidelity = svg((600, 400), |a| plot::fidelity::draw(a, &api, 1.0));
    assert!(
        fidelity.matches("<polygon").count() >= inks.len() * 2,
        "markers drawn"
    );
}
