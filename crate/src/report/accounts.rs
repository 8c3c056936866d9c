//! The accounts sweep behind `report --experiment accounts`: for each seed, the copy on full
//! probabilities extracted with the budget spread over each account count of the sweep, under
//! each detector alone ([`crate::api::spread`]); fidelity, bill, time and bans over seeds.

use crate::api::spread::{Point, SWEEP, Spread, Watch};
use crate::config::{Config, Knob};
use crate::lesson;
use crate::playground::trainer::Trainer;
use crate::plot;
use crate::report::{mean_std, svg};
use std::fmt::Write as _;
use std::path::Path;

/// Runs the sweep for `seeds` seeds from `config.seed` on the accounts lesson's setting with
/// the `given` knobs of `config` put over it, and writes `accounts.md`, `accounts.csv` and
/// `accounts.svg` (the first seed's chart) into `out`; returns the Markdown.
pub fn write(
    config: &Config,
    given: &[&'static str],
    seeds: usize,
    out: &Path,
    mut log: impl FnMut(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut setting = lesson::ACCOUNTS.config();
    for &key in given {
        if let Some(knob) = Knob::find(key) {
            (knob.set)(&mut setting, (knob.get)(config));
        }
    }
    if let Some(problem) = setting.reconcile().into_iter().next() {
        return Err(problem);
    }
    let mut csv = String::from(
        "seed,detector,accounts,queries,stopped_at,accounts_banned,seconds,cost,honest,honest_banned,fidelity\n",
    );
    let mut all: Vec<Vec<Point>> = Vec::new();
    for i in 0..seeds {
        let seeded = Config {
            seed: config.seed + i as u64,
            ..setting.clone()
        };
        let mut trainer = Trainer::new(seeded.clone())?;
        while trainer.teacher().is_none() && trainer.train(500) > 0 {}
        let mut spread = Spread::new(&trainer, &seeded)?;
        let mut m = spread.metrics();
        while !spread.finished() {
            m = spread.step(1000);
        }
        for p in &m.points {
            let w = &p.watched;
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{:.3},{:.4},{},{},{:.4}",
                seeded.seed,
                p.watch.name(),
                w.accounts,
                w.queries,
                w.stopped_at.map_or(String::new(), |q| q.to_string()),
                w.accounts_banned,
                w.seconds,
                w.cost,
                w.honest,
                w.honest_banned,
                p.fidelity
            );
        }
        if i == 0 {
            svg(&out.join("accounts.svg"), (900, 700), |a| {
                plot::accounts::draw(a, &m, 1.0)
            })?;
        }
        log(&format!(
            "seed {}: {} runs measured",
            seeded.seed,
            m.points.len()
        ));
        all.push(m.points);
    }
    std::fs::write(out.join("accounts.csv"), &csv).map_err(|e| e.to_string())?;
    let md = markdown(&setting, config.seed, seeds, &all);
    std::fs::write(out.join("accounts.md"), &md).map_err(|e| e.to_string())?;
    Ok(md)
}

fn markdown(setting: &Config, first: u64, seeds: usize, all: &[Vec<Point>]) -> String {
    let mut md = format!(
        "# A thousand accounts\n\nSettings: `{}`, {seeds} seed(s) from {first}; one copy on full \
         probabilities per run, {} training steps, {} queries split evenly over the accounts; \
         {} honest users. Mean ± std over seeds.\n\n\
         | detector | accounts | stopped in | queries answered | fidelity (%) | bill ($) | time (s) | honest users banned (%) |\n\
         |---|---|---|---|---|---|---|---|\n",
        setting.to_query(),
        setting.student_steps,
        setting.budget,
        setting.honest_accounts,
    );
    let mut counts: Vec<usize> = SWEEP.iter().copied().chain([setting.accounts]).collect();
    counts.sort_unstable();
    counts.dedup();
    for watch in Watch::ALL {
        for &n in &counts {
            let runs: Vec<&Point> = all
                .iter()
                .flatten()
                .filter(|p| p.watch == watch && p.watched.accounts == n.min(setting.budget))
                .collect();
            if runs.is_empty() {
                continue;
            }
            let ms = |f: &dyn Fn(&Point) -> f32, d: usize| {
                let (m, s) = mean_std(&runs.iter().map(|p| f(p)).collect::<Vec<_>>());
                format!("{m:.d$} ± {s:.d$}")
            };
            let stopped = runs
                .iter()
                .filter(|p| p.watched.stopped_at.is_some())
                .count();
            let _ = writeln!(
                md,
                "| {} | {n} | {stopped} of {} | {} | {} | {} | {} | {} |",
                watch.name(),
                runs.len(),
                ms(&|p| p.watched.queries as f32, 0),
                ms(&|p| 100.0 * p.fidelity, 1),
                ms(&|p| p.watched.cost, 2),
                ms(&|p| p.watched.seconds as f32, 1),
                ms(
                    &|p| 100.0 * p.watched.honest_banned as f32 / p.watched.honest.max(1) as f32,
                    1
                ),
            );
        }
    }
    md
}
