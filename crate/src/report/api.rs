//! The API sweep behind `report --experiment api`: response formats × query budgets × seeds,
//! then each query source under the detector.

use crate::api::Source;
use crate::api::extraction::{Extraction, ExtractionMetrics, ExtractionPhase, formats};
use crate::config::Config;
use crate::playground::trainer::Trainer;
use crate::plot;
use crate::report::{mean_std, svg};
use std::fmt::Write as _;
use std::path::Path;

/// Query budgets the sweep tries.
pub const BUDGETS: [usize; 5] = [100, 300, 1000, 3000, 10000];

fn extract(
    trainer: &Trainer,
    config: Config,
    history: &mut Vec<ExtractionMetrics>,
) -> Result<ExtractionMetrics, String> {
    let mut extraction = Extraction::new(trainer, config)?;
    let mut m = extraction.metrics().clone();
    history.push(m.clone());
    while matches!(
        m.phase,
        ExtractionPhase::Querying | ExtractionPhase::Training
    ) {
        m = extraction.step(50);
        history.push(m.clone());
    }
    Ok(m)
}

/// Runs the sweep for `seeds` seeds and writes `api.md`, `api.csv` and `api.svg` (the fidelity
/// curves of the first seed at the largest budget) into `out`; returns the Markdown.
pub fn write(
    config: &Config,
    seeds: usize,
    out: &Path,
    mut log: impl FnMut(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let names: Vec<String> = formats(config).iter().map(|f| f.name()).collect();
    // fidelity[budget][format] over seeds; bans[source] = ban query counts (None = not banned).
    let mut fidelity = vec![vec![Vec::new(); names.len()]; BUDGETS.len()];
    let mut accuracy = fidelity.clone();
    let mut bans: Vec<Vec<Option<usize>>> = vec![Vec::new(); Source::ALL.len()];
    let mut csv =
        String::from("seed,budget,detector,source,format,fidelity,accuracy,queries,banned_at\n");
    for i in 0..seeds {
        let seed = config.seed + i as u64;
        let mut trainer = Trainer::new(Config {
            seed,
            ..config.clone()
        })?;
        while trainer.teacher().is_none() {
            trainer.step(500);
        }
        log(&format!("seed {seed}: teacher trained"));
        let runs = BUDGETS
            .iter()
            .map(|&b| (b, false, config.source))
            .chain(Source::ALL.iter().map(|&s| (3000, true, s)));
        for (budget, detector, source) in runs {
            let run = Config {
                seed,
                budget,
                detector,
                source,
                ..config.clone()
            };
            let mut history = Vec::new();
            let m = extract(&trainer, run, &mut history)?;
            for t in &m.thieves {
                let _ = writeln!(
                    csv,
                    "{seed},{budget},{detector},{source:?},{},{:.4},{:.4},{},{}",
                    t.format,
                    t.fidelity,
                    t.accuracy,
                    m.queries,
                    m.banned_at.map_or(String::new(), |b| b.to_string())
                );
            }
            if detector {
                bans[Source::ALL.iter().position(|&s| s == source).unwrap_or(0)].push(m.banned_at);
            } else {
                let b = BUDGETS.iter().position(|&x| x == budget).unwrap_or(0);
                for (f, t) in m.thieves.iter().enumerate() {
                    fidelity[b][f].push(t.fidelity);
                    accuracy[b][f].push(t.accuracy);
                }
                if i == 0 && budget == BUDGETS[BUDGETS.len() - 1] {
                    svg(&out.join("api.svg"), (900, 600), |a| {
                        plot::fidelity::draw(a, &history, 1.0)
                    })?;
                }
            }
            log(&format!(
                "seed {seed}: budget {budget}, detector {detector}, {source:?} done"
            ));
        }
    }
    std::fs::write(out.join("api.csv"), &csv).map_err(|e| e.to_string())?;
    let md = markdown(config, seeds, &names, &fidelity, &accuracy, &bans);
    std::fs::write(out.join("api.md"), &md).map_err(|e| e.to_string())?;
    Ok(md)
}

fn markdown(
    config: &Config,
    seeds: usize,
    names: &[String],
    fidelity: &[Vec<Vec<f32>>],
    accuracy: &[Vec<Vec<f32>>],
    bans: &[Vec<Option<usize>>],
) -> String {
    let query = config.to_query();
    let mut md = format!(
        "# API extraction sweep\n\nSettings: `{}`, {seeds} seed(s) from {}; queries from the \
         {:?} source; each student trains {} steps, querying over the first half.\n\n\
         Fidelity (grid agreement with the teacher, %), mean ± std over seeds:\n\n| queries |",
        if query.is_empty() { "defaults" } else { &query },
        config.seed,
        config.source,
        config.student_steps
    );
    for name in names {
        let _ = write!(md, " {name} |");
    }
    md.push_str("\n|---|");
    md.push_str(&"---|".repeat(names.len()));
    for table in [fidelity, accuracy] {
        for (b, row) in table.iter().enumerate() {
            let _ = write!(md, "\n| {} |", BUDGETS[b]);
            for values in row {
                let (m, s) = mean_std(values);
                let _ = write!(md, " {:.1} ± {:.1} |", 100.0 * m, 100.0 * s);
            }
        }
        if std::ptr::eq(table, fidelity) {
            let _ = write!(md, "\n\nTest accuracy (%), same runs:\n\n| queries |");
            for name in names {
                let _ = write!(md, " {name} |");
            }
            md.push_str("\n|---|");
            md.push_str(&"---|".repeat(names.len()));
        }
    }
    md.push_str("\n\nWith the detector on (budget 3,000):\n\n| queries from | banned | at queries |\n|---|---|---|");
    for (source, runs) in Source::ALL.iter().zip(bans) {
        let at: Vec<String> = runs.iter().flatten().map(usize::to_string).collect();
        let _ = write!(
            md,
            "\n| {source:?} | {} of {} | {} |",
            at.len(),
            runs.len(),
            if at.is_empty() {
                "—".into()
            } else {
                at.join(", ")
            }
        );
    }
    md.push('\n');
    md
}
