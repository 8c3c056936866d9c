//! The page's measurements as CSV, one row per measurement posted, under the names the page
//! gives them: what its Export buttons download.

use crate::api::extraction::ExtractionMetrics;
use crate::metrics::{Metrics, Pick};

/// The playground's columns after the two step counters: each a header (unit included) and
/// the value it reads; fractions are written in %.
const PLAYGROUND: [(&str, Pick, f32); 13] = [
    (
        "distilled agreement over the plane (%)",
        |m| m.agreement_distilled,
        100.0,
    ),
    (
        "hard-label agreement over the plane (%)",
        |m| m.agreement_hard,
        100.0,
    ),
    ("teacher test accuracy (%)", |m| m.teacher_acc, 100.0),
    ("distilled test accuracy (%)", |m| m.distilled_acc, 100.0),
    ("hard-label test accuracy (%)", |m| m.hard_acc, 100.0),
    (
        "distilled matches teacher on test points (%)",
        |m| m.test_agreement_distilled,
        100.0,
    ),
    (
        "hard-label matches teacher on test points (%)",
        |m| m.test_agreement_hard,
        100.0,
    ),
    ("distilled KL from teacher (nats)", |m| m.kl_distilled, 1.0),
    ("hard-label KL from teacher (nats)", |m| m.kl_hard, 1.0),
    (
        "teacher loss: cross-entropy (nats)",
        |m| m.teacher_loss,
        1.0,
    ),
    (
        "distilled loss: soft + hard blend (nats)",
        |m| m.distilled_loss,
        1.0,
    ),
    (
        "hard-label loss: cross-entropy (nats)",
        |m| m.hard_loss,
        1.0,
    ),
    (
        "student parameters (% of the teacher)",
        |m| Some(m.param_fraction()),
        100.0,
    ),
];

/// A run's history as CSV: teacher step, student step, then [`PLAYGROUND`]'s columns; a
/// value not measured yet is an empty field.
pub fn playground_csv(history: &[Metrics]) -> String {
    let mut csv = String::from("teacher step,student step");
    for (header, _, _) in PLAYGROUND {
        csv.push(',');
        csv.push_str(&field(header));
    }
    csv.push('\n');
    for m in history {
        csv.push_str(&format!("{},{}", m.teacher_step, m.student_step));
        for (_, pick, unit) in PLAYGROUND {
            csv.push(',');
            if let Some(v) = pick(m).filter(|v| v.is_finite()) {
                csv.push_str(&number(v * unit));
            }
        }
        csv.push('\n');
    }
    csv
}

/// An extraction's history as CSV: queries answered, then each response format's fidelity
/// (agreement over the plane) and test accuracy, in %, and its bill: the queries it had
/// answered when its fidelity first reached the level (empty until it has).
pub fn extraction_csv(history: &[ExtractionMetrics]) -> String {
    let mut csv = String::from("queries answered");
    let first = history.first();
    let formats = first.map_or(&[][..], |m| &m.thieves[..]);
    let bill = format!(
        "queries to {} % fidelity",
        number(100.0 * first.map_or(0.0, |m| m.level))
    );
    for thief in formats {
        for what in ["fidelity over the plane (%)", "test accuracy (%)", &bill] {
            csv.push(',');
            csv.push_str(&field(&format!("{} {what}", thief.format)));
        }
    }
    csv.push('\n');
    for m in history {
        csv.push_str(&m.queries.to_string());
        for thief in &m.thieves {
            csv.push_str(&format!(
                ",{},{},{}",
                number(100.0 * thief.fidelity),
                number(100.0 * thief.accuracy),
                thief
                    .queries_to_level
                    .map_or(String::new(), |q| q.to_string())
            ));
        }
        csv.push('\n');
    }
    csv
}

/// A value with as many digits as an f32 holds, without trailing zeros.
fn number(v: f32) -> String {
    let text = format!("{v:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A CSV field, quoted if it holds a comma or a quote.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::playground::trainer::Trainer;

    #[test]
    fn a_run_becomes_one_row_per_step_with_the_page_s_columns() {
        let config = Config {
            teacher_steps: 100,
            student_steps: 100,
            ..Config::default()
        };
        let mut trainer = Trainer::new(config).unwrap();
        let history: Vec<Metrics> = (0..4).map(|_| trainer.step(50)).collect();
        let csv = playground_csv(&history);
        let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 1 + 4, "{csv}");
        assert!(
            rows.iter().all(|r| r.len() == 2 + PLAYGROUND.len()),
            "{csv}"
        );
        assert_eq!(rows[0][2], "distilled agreement over the plane (%)");
        // Phase 1: no student measures yet; phase 2: the teacher's accuracy as the page
        // shows it, in %.
        assert_eq!((rows[1][0], rows[1][1], rows[1][2]), ("50", "0", ""));
        let last = history.last().unwrap();
        assert_eq!(rows[4][1], "100");
        let acc: f32 = rows[4][4].parse().unwrap();
        assert!(
            (acc - 100.0 * last.teacher_acc.unwrap()).abs() < 1e-3,
            "{acc}"
        );
    }

    #[test]
    fn numbers_lose_trailing_zeros_and_fields_are_quoted() {
        assert_eq!(number(87.5), "87.5");
        assert_eq!(number(100.0), "100");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("top-2"), "top-2");
    }
}
