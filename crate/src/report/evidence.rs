//! The evidence report behind `report --experiment evidence`: over seeds, how often each test
//! flags each kind of suspect — detection rates on copies, false positives on honest models.

use crate::config::Config;
use crate::evidence::investigation::{Case, Investigation, SUSPECTS};
use crate::playground::trainer::Trainer;
use crate::report::mean_std;
use std::fmt::Write as _;
use std::path::Path;

/// Investigates `seeds` seeds and writes `evidence.md` and `evidence.csv` into `out`; returns
/// the Markdown.
pub fn write(
    config: &Config,
    seeds: usize,
    out: &Path,
    mut log: impl FnMut(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut cases: Vec<Vec<Case>> = vec![Vec::new(); SUSPECTS.len()];
    let mut csv = String::from(
        "seed,suspect,accuracy,cells,green,p_value,flagged,wrong_key_p_value,wrong_key_flagged,keys,agree,z,fingerprint_flagged\n",
    );
    for i in 0..seeds {
        let seed = config.seed + i as u64;
        let seeded = Config {
            seed,
            ..config.clone()
        };
        let mut trainer = Trainer::new(seeded.clone())?;
        while trainer.teacher().is_none() {
            trainer.step(500);
        }
        let mut investigation = Investigation::new(&trainer, seeded)?;
        while investigation.step(500) < 1.0 {}
        for (j, case) in investigation.cases().into_iter().enumerate() {
            let (w, k, f) = (&case.watermark, &case.wrong_key, &case.fingerprint);
            let _ = writeln!(
                csv,
                "{seed},{},{:.4},{},{},{:.3e},{},{:.3e},{},{},{},{:.3},{}",
                case.suspect,
                case.accuracy,
                w.cells,
                w.green,
                w.p_value,
                w.flagged,
                k.p_value,
                k.flagged,
                f.keys,
                f.agree,
                f.z,
                f.flagged
            );
            cases[j].push(case);
        }
        log(&format!("seed {seed}: investigated"));
    }
    std::fs::write(out.join("evidence.csv"), &csv).map_err(|e| e.to_string())?;
    let md = markdown(config, seeds, &cases);
    std::fs::write(out.join("evidence.md"), &md).map_err(|e| e.to_string())?;
    Ok(md)
}

fn markdown(config: &Config, seeds: usize, cases: &[Vec<Case>]) -> String {
    let query = config.to_query();
    format!(
        "# Evidence report\n\nSettings: `{}`, {seeds} seed(s) from {}. Each cell: how many \
         seeds the test flagged (α = 0.001), then the typical statistic.\n\n{}",
        if query.is_empty() { "defaults" } else { &query },
        config.seed,
        table(cases)
    )
}

/// The verdicts table: per suspect (in [`SUSPECTS`] order, its cases over seeds), how many
/// seeds each test flagged and the typical statistic.
pub fn table(cases: &[Vec<Case>]) -> String {
    let mut md = String::from(
        "| suspect | accuracy | watermark, owner's key | watermark, wrong key | fingerprint |\n\
         |---|---|---|---|---|\n",
    );
    for (name, runs) in SUSPECTS.iter().zip(cases) {
        let n = runs.len();
        let count = |pick: fn(&Case) -> bool| runs.iter().filter(|c| pick(c)).count();
        let median_p = |pick: fn(&Case) -> f64| {
            let mut p: Vec<f64> = runs.iter().map(pick).collect();
            p.sort_by(f64::total_cmp);
            p.get(n / 2).copied().unwrap_or(1.0)
        };
        let green: Vec<f32> = runs.iter().map(|c| c.watermark.green as f32).collect();
        let cells: Vec<f32> = runs.iter().map(|c| c.watermark.cells as f32).collect();
        let z: Vec<f32> = runs.iter().map(|c| c.fingerprint.z as f32).collect();
        let acc: Vec<f32> = runs.iter().map(|c| c.accuracy).collect();
        let _ = writeln!(
            md,
            "| {name} | {:.1} % | {} of {n} (green {:.1} of {:.1} cells, median p {:.1e}) | {} of {n} (median p {:.2}) | {} of {n} (z {:.1} ± {:.1}) |",
            100.0 * mean_std(&acc).0,
            count(|c| c.watermark.flagged),
            mean_std(&green).0,
            mean_std(&cells).0,
            median_p(|c| c.watermark.p_value),
            count(|c| c.wrong_key.flagged),
            median_p(|c| c.wrong_key.p_value),
            count(|c| c.fingerprint.flagged),
            mean_std(&z).0,
            mean_std(&z).1,
        );
    }
    md
}
