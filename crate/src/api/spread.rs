//! The thief's choice of how many accounts, measured: for each account count of [`SWEEP`] (and
//! the page's own), a copy on full probabilities is extracted under the per-account detector
//! alone and under the cross-account detector alone, to the end, and what it cost and how
//! faithful it got is recorded. Advanced by [`Spread::step`], like the other jobs.

use crate::api::Format;
use crate::api::accounts::{self, Watched};
use crate::api::extraction::{Extraction, ExtractionMetrics, ExtractionPhase};
use crate::config::Config;
use crate::playground::trainer::Trainer;
use serde::{Deserialize, Serialize};

/// Account counts the sweep tries besides the page's own.
pub const SWEEP: [usize; 4] = [1, 10, 100, 1000];

/// Which of the owner's detectors watches, alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Watch {
    /// The PRADA-style test on each account's queries.
    PerAccount,
    /// The same test on the pooled queries of the accounts opened in the same hour.
    CrossAccount,
}

impl Watch {
    /// Both, in the chart's order.
    pub const ALL: [Watch; 2] = [Watch::PerAccount, Watch::CrossAccount];

    /// `config` with this detector alone on.
    pub fn apply(self, config: &Config, accounts: usize) -> Config {
        Config {
            accounts,
            detector: self == Watch::PerAccount,
            cross_detector: self == Watch::CrossAccount,
            ..config.clone()
        }
    }

    /// The name in the chart's key and the tables.
    pub fn name(self) -> &'static str {
        match self {
            Watch::PerAccount => "per-account detector",
            Watch::CrossAccount => "cross-account detector",
        }
    }
}

/// One run of the sweep, at its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The detector that watched.
    pub watch: Watch,
    /// What it did, and the thief's bill, clock and accounts.
    pub watched: Watched,
    /// The copy's final fidelity (agreement with the teacher over the plane).
    pub fidelity: f32,
}

/// The sweep's progress and the points measured so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpreadMetrics {
    /// From 0 to 1.
    pub progress: f32,
    /// The page's own account count (as opened: no more than the budget), marked on the
    /// chart.
    pub accounts: usize,
    /// One per finished run, per-account ones first, each in account order.
    pub points: Vec<Point>,
}

/// One distinct extraction: entries whose accounts answered the same queries (none banned,
/// or the same ones refused and stopped at the same query) share its answers and training.
struct Run {
    extraction: Extraction,
    /// The sweep's (watch, accounts) entries this run measures.
    entries: Vec<(Watch, usize)>,
    watched: Vec<Watched>,
}

/// The sweep over account counts and detectors.
pub struct Spread {
    runs: Vec<Run>,
    current: usize,
    steps: usize,
    done_steps: usize,
    accounts: usize,
    points: Vec<Point>,
}

/// What an extraction's metrics say the detectors did.
fn watched(m: &ExtractionMetrics) -> Watched {
    Watched {
        accounts: m.accounts,
        accounts_banned: m.accounts_banned,
        queries: m.queries,
        stopped_at: m.banned_at,
        by_cross: m.banned_by_cross,
        seconds: m.seconds,
        cost: m.cost,
        honest: m.honest,
        honest_banned: m.honest_banned,
    }
}

impl Spread {
    /// The sweep of `trainer`'s teacher (trained) under `config`'s API settings: account
    /// counts [`SWEEP`] and `config.accounts`, each detector alone.
    pub fn new(trainer: &Trainer, config: &Config) -> Result<Self, String> {
        let mut counts: Vec<usize> = SWEEP.iter().copied().chain([config.accounts]).collect();
        counts.sort_unstable();
        counts.dedup();
        let mut runs: Vec<Run> = Vec::new();
        let mut traces = Vec::new();
        for watch in Watch::ALL {
            for &n in &counts {
                let setting = watch.apply(config, n);
                // Bans depend on the queries alone: seen first, without training. Runs that
                // answered the same queries trained on the same answers: one run for them.
                let seen = accounts::run(&setting);
                let trace = seen.trace();
                match traces.iter().position(|t| *t == trace) {
                    Some(i) => {
                        let run: &mut Run = &mut runs[i];
                        run.entries.push((watch, n));
                        run.watched.push(seen.watched());
                    }
                    None => {
                        traces.push(trace);
                        runs.push(Run {
                            extraction: Extraction::with_formats(
                                trainer,
                                setting,
                                &[Format::Full],
                            )?,
                            entries: vec![(watch, n)],
                            watched: vec![seen.watched()],
                        });
                    }
                }
            }
        }
        Ok(Self {
            steps: runs.len() * config.student_steps.max(1),
            runs,
            current: 0,
            done_steps: 0,
            accounts: config.accounts.clamp(1, config.budget.max(1)),
            points: Vec::new(),
        })
    }

    /// Runs up to `n` training steps of the sweep's extractions, one after another; returns
    /// the progress and every point measured so far.
    pub fn step(&mut self, mut n: usize) -> SpreadMetrics {
        while n > 0 && self.current < self.runs.len() {
            let run = &mut self.runs[self.current];
            let before = run.extraction.metrics().step;
            let m = run.extraction.step(n.min(100));
            n = n.saturating_sub((m.step - before).max(1));
            if matches!(m.phase, ExtractionPhase::Done | ExtractionPhase::Banned) {
                for (i, (&(watch, _), seen)) in run.entries.iter().zip(&run.watched).enumerate() {
                    // The run's own metrics for the entry it was made for; the entries that
                    // share it keep their own accounts' bill and clock.
                    self.points.push(Point {
                        watch,
                        watched: if i == 0 { watched(&m) } else { seen.clone() },
                        fidelity: m.thieves[0].fidelity,
                    });
                }
                self.done_steps += m.steps;
                self.current += 1;
            }
        }
        self.metrics()
    }

    /// The progress and the points so far, per-account first, each in account order.
    pub fn metrics(&self) -> SpreadMetrics {
        let running = self
            .runs
            .get(self.current)
            .map_or(0, |r| r.extraction.metrics().step);
        let mut points = self.points.clone();
        points.sort_by_key(|p| (p.watch == Watch::CrossAccount, p.watched.accounts));
        SpreadMetrics {
            progress: ((self.done_steps + running) as f32 / self.steps as f32).min(1.0),
            accounts: self.accounts,
            points,
        }
    }

    /// Whether every run has finished.
    pub fn finished(&self) -> bool {
        self.current >= self.runs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every point of a small sweep is what its own extraction, run alone, gives: the runs
    /// shared between entries that answered the same queries are exact, not approximations.
    #[test]
    fn each_point_is_its_own_extraction() {
        let config = Config::from_query(
            "scenario=blobs&classes=5&noise=0.1&teacher_steps=300&student_steps=200&budget=400\
             &source=uniform&accounts=30",
        )
        .0;
        let mut trainer = Trainer::new(config.clone()).unwrap();
        while trainer.teacher().is_none() && trainer.train(500) > 0 {}
        let mut spread = Spread::new(&trainer, &config).unwrap();
        assert!(
            spread.runs.len() < 2 * (SWEEP.len() + 1),
            "some runs are shared"
        );
        let mut m = spread.metrics();
        while !spread.finished() {
            m = spread.step(150);
        }
        assert_eq!(m.progress, 1.0);
        assert_eq!(m.points.len(), 2 * (SWEEP.len() + 1));
        for p in &m.points {
            let setting = p.watch.apply(&config, p.watched.accounts);
            let mut alone = Extraction::with_formats(&trainer, setting, &[Format::Full]).unwrap();
            let mut last = alone.metrics().clone();
            while matches!(
                last.phase,
                ExtractionPhase::Querying | ExtractionPhase::Training
            ) {
                last = alone.step(500);
            }
            assert_eq!(
                p.watched,
                watched(&last),
                "{:?} {}",
                p.watch,
                p.watched.accounts
            );
            assert_eq!(p.fidelity, last.thieves[0].fidelity, "{p:?}");
        }
    }
}
