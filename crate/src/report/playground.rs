//! Headless runs over several seeds, written out as SVG plots, a CSV of final metrics and a
//! Markdown table of mean ± std: how slides are made and how the page's claims are checked.

use super::{mean_std, svg};
use crate::config::Config;
use crate::metrics::{Metrics, Phase, Pick};
use crate::playground::dataset::Points;
use crate::playground::trainer::{Probe, Snapshot, Trainer};
use crate::plot::{
    self,
    map::{Cells, MapData},
};
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

/// A finished run: its metrics every `every` steps, and its final maps.
pub struct Run {
    /// Metrics after each chunk of steps, the last one final.
    pub history: Vec<Metrics>,
    /// Grid probabilities at the end.
    pub snapshot: Snapshot,
    /// Training points (the teacher's) and the students' transfer set.
    pub points: (Points, Points),
    /// Every model's probabilities at the test point the teacher is least sure of: where its
    /// dark knowledge shows most.
    pub probe: Probe,
}

/// Trains `config` to the end, measuring every `every` steps; `progress` hears each chunk.
pub fn run(
    config: &Config,
    every: usize,
    mut progress: impl FnMut(&Metrics),
) -> Result<Run, String> {
    let mut trainer = Trainer::new(config.clone())?;
    let mut history = vec![trainer.metrics().clone()];
    loop {
        let m = trainer.step(every.max(1));
        progress(&m);
        let phase = m.phase;
        history.push(m);
        match phase {
            Phase::Done => break,
            Phase::Diverged => {
                return Err(history
                    .last()
                    .and_then(|m| m.message.clone())
                    .unwrap_or_default());
            }
            Phase::Teacher | Phase::Student => {}
        }
    }
    let [x, y] = trainer.least_sure_point();
    Ok(Run {
        probe: trainer.probe(x, y),
        history,
        snapshot: trainer.snapshot(),
        points: (trainer.dataset().train.clone(), trainer.transfer()),
    })
}

/// The columns of the final-metrics table: name, and how to read it from metrics.
const COLUMNS: [(&str, Pick); 9] = [
    ("teacher_acc", |m| m.teacher_acc),
    ("distilled_acc", |m| m.distilled_acc),
    ("hard_acc", |m| m.hard_acc),
    ("agreement_distilled", |m| m.agreement_distilled),
    ("agreement_hard", |m| m.agreement_hard),
    ("test_agreement_distilled", |m| m.test_agreement_distilled),
    ("test_agreement_hard", |m| m.test_agreement_hard),
    ("kl_distilled", |m| m.kl_distilled),
    ("kl_hard", |m| m.kl_hard),
];

/// Runs `seeds` seeds from `config.seed` on and writes into `out`: `maps.svg`, `agreement.svg`,
/// `loss.svg`, `accuracy.svg`, `probe.svg`, `params.svg` (of the first seed), `metrics.csv` (one row a seed)
/// and `report.md` (mean ± std, and which student wins how often).
pub fn write(
    config: &Config,
    seeds: usize,
    every: usize,
    out: &Path,
    mut log: impl FnMut(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut finals = Vec::new();
    for i in 0..seeds {
        let seeded = Config {
            seed: config.seed + i as u64,
            ..config.clone()
        };
        let run = run(&seeded, every, |m| {
            if (m.teacher_step + m.student_step) % (every * 20).max(1) == 0 {
                log(&format!(
                    "seed {}: {:?} teacher {}/{} students {}/{}",
                    seeded.seed,
                    m.phase,
                    m.teacher_step,
                    m.teacher_steps,
                    m.student_step,
                    m.student_steps
                ));
            }
        })
        .map_err(|e| format!("seed {}: {e}", seeded.seed))?;
        let last = run.history.last().cloned().expect("a run has metrics");
        log(&format!(
            "seed {}: done; distilled agreement {:.1} %, hard-label {:.1} %",
            seeded.seed,
            100.0 * last.agreement_distilled.unwrap_or(0.0),
            100.0 * last.agreement_hard.unwrap_or(0.0)
        ));
        if i == 0 {
            write_plots(&run, out)?;
        }
        finals.push((seeded.seed, last));
    }
    let csv = table_csv(&finals);
    std::fs::write(out.join("metrics.csv"), &csv).map_err(|e| e.to_string())?;
    let md = table_markdown(config, &finals);
    std::fs::write(out.join("report.md"), &md).map_err(|e| e.to_string())?;
    Ok(md)
}

fn write_plots(run: &Run, out: &Path) -> Result<(), String> {
    let last = run.history.last().expect("a run has metrics");
    svg(&out.join("maps.svg"), (1200, 430), |area| {
        draw_maps(area, run)
    })?;
    svg(&out.join("agreement.svg"), (800, 500), |a| {
        plot::curves::draw_agreement(a, &run.history, 1.0)
    })?;
    svg(&out.join("loss.svg"), (800, 400), |a| {
        plot::curves::draw_loss(a, &run.history, 1.0)
    })?;
    svg(&out.join("accuracy.svg"), (600, 400), |a| {
        plot::bars::draw_accuracy(a, last, 1.0)
    })?;
    svg(&out.join("probe.svg"), (800, 400), |a| {
        plot::bars::draw_probe(a, &run.probe, 1.0)
    })?;
    svg(&out.join("params.svg"), (800, 120), |a| {
        plot::bars::draw_params(a, last, 1.0)
    })
}

/// The three decision maps side by side, titled.
fn draw_maps(area: &plot::Area<SVGBackend>, run: &Run) -> plot::Drawn {
    let s = &run.snapshot;
    let maps = [
        ("teacher", &s.teacher, &run.points.0),
        ("distilled student", &s.distilled, &run.points.1),
        ("hard-label student", &s.hard, &run.points.1),
    ];
    for (panel, (title, probs, points)) in area.split_evenly((1, 3)).iter().zip(maps) {
        let inner = panel
            .margin(4, 4, 4, 4)
            .titled(title, ("sans-serif", 22))
            .map_err(|e| format!("{e:?}"))?;
        let map = MapData {
            probs,
            grid: s.grid,
            classes: s.classes,
            extent: s.extent,
            points: Some(points),
            marker: None,
        };
        plot::map::draw(&inner, &map, 1.0, Cells::Shapes)?;
    }
    Ok(())
}

fn table_csv(finals: &[(u64, Metrics)]) -> String {
    let mut csv = String::from("seed");
    for (name, _) in COLUMNS {
        csv.push(',');
        csv.push_str(name);
    }
    csv.push('\n');
    for (seed, m) in finals {
        csv.push_str(&seed.to_string());
        for (_, pick) in COLUMNS {
            let _ = write!(
                csv,
                ",{}",
                pick(m).map_or(String::new(), |v| format!("{v:.6}"))
            );
        }
        csv.push('\n');
    }
    csv
}

fn table_markdown(config: &Config, finals: &[(u64, Metrics)]) -> String {
    let first = &finals[0].1;
    let query = config.to_query();
    let mut md = format!(
        "# Distillation report\n\nSettings: `{}`, {} seed(s) from {}; {}.\n\n\
         | metric | mean ± std |\n|---|---|\n",
        if query.is_empty() { "defaults" } else { &query },
        finals.len(),
        config.seed,
        first.describe_params()
    );
    for (name, pick) in COLUMNS {
        let values: Vec<f32> = finals.iter().filter_map(|(_, m)| pick(m)).collect();
        let (mean, std) = mean_std(&values);
        let scale = if name.starts_with("kl") { 1.0 } else { 100.0 };
        let unit = if name.starts_with("kl") {
            " nats"
        } else {
            " %"
        };
        let _ = writeln!(
            md,
            "| {name} | {:.2} ± {:.2}{unit} |",
            mean * scale,
            std * scale
        );
    }
    let wins = |pick: Pick, other: Pick| finals.iter().filter(|(_, m)| pick(m) > other(m)).count();
    let _ = write!(
        md,
        "\nDistilled student ahead of the hard-label student: test accuracy in {} of {} seeds, \
         grid agreement in {} of {}.\n",
        wins(|m| m.distilled_acc, |m| m.hard_acc),
        finals.len(),
        wins(|m| m.agreement_distilled, |m| m.agreement_hard),
        finals.len()
    );
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sample_std_by_hand() {
        let (m, s) = mean_std(&[1.0, 2.0, 3.0, 4.0]);
        assert!((m - 2.5).abs() < 1e-6);
        assert!((s - 1.290_994).abs() < 1e-5); // √(5/3)
    }

    #[test]
    fn writes_every_file_from_a_short_run() {
        let out = std::env::temp_dir().join(format!("distill-report-{}", std::process::id()));
        let config = Config {
            teacher_steps: 100,
            student_steps: 100,
            ..Config::default()
        };
        let md = write(&config, 2, 50, &out, |_| {}).unwrap();
        assert!(
            md.contains("| teacher_acc |") && md.contains("2 seed(s) from 1"),
            "{md}"
        );
        let csv = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
        assert_eq!(csv.lines().count(), 3);
        for name in ["maps", "agreement", "loss", "accuracy", "probe", "params"] {
            let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
            assert!(svg.contains("<svg") && svg.contains("<text"), "{name}.svg");
        }
        let maps = std::fs::read_to_string(out.join("maps.svg")).unwrap();
        assert!(
            maps.matches("<rect").count() > 3 * 48 * 48,
            "maps hold every grid cell"
        );
        std::fs::remove_dir_all(out).unwrap();
    }
}
