//! The defences' frontier: what each thing the reasoner's owner can do leaves its honest users
//! (the teacher's accuracy on the answers it serves, and whether they see the working) against
//! what it leaves the thief (its student's held-out accuracy after the same problems bought and
//! steps). `report --experiment defences` measures it over seeds ([`measure`]) and writes one CSV
//! row per thief per run ([`Run`]); the page ships it as `data/reasoner-defences.csv` and draws
//! its [`points`] beside its own round.

use crate::charlm::model::CharLm;
use crate::measured::{self, Fields};
use crate::reasoner::defence::{Api, Defence, Policy};
use crate::reasoner::proxy::Proxy;
use crate::reasoner::study::{Access, ReasonerConfig, Round, teacher_score};
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// The temperatures measured beside τ 1.
pub const TAUS: [f32; 3] = [1.5, 2.0, 3.0];
/// The strengths λ measured, for ADS and its control.
pub const LAMBDAS: [f32; 3] = [1.0, 2.0, 4.0];

/// Every setting measured, in order, with the thieves each is measured on: the plain API's
/// three accesses that buy the working (shown, summarised, hidden), then each defence on the
/// thief shown the working.
pub fn settings() -> Vec<(Policy, Vec<Access>)> {
    let plain = Policy::PLAIN;
    let working = || vec![Access::Working];
    let mut out = vec![
        (
            plain,
            vec![Access::Working, Access::Summary, Access::Hidden],
        ),
        (
            Policy {
                defence: Defence::Rewritten,
                ..plain
            },
            working(),
        ),
    ];
    out.extend(TAUS.map(|tau| (Policy { tau, ..plain }, working())));
    for defence in [Defence::Ads, Defence::Random] {
        out.extend(LAMBDAS.map(|lambda| {
            (
                Policy {
                    defence,
                    lambda,
                    ..plain
                },
                working(),
            )
        }));
    }
    out
}

/// One thief of one round: a row of the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The owner's defence.
    pub defence: Defence,
    /// The API's temperature.
    pub tau: f32,
    /// ADS's λ (0 unless the defence steers).
    pub lambda: f32,
    /// The round's seed.
    pub seed: u64,
    /// What the thief bought and saw.
    pub access: Access,
    /// The teacher's held-out accuracy on the worked answers the API serves: the honest user's.
    pub teacher: f64,
    /// The thief's student's held-out accuracy at the round's end.
    pub thief: f64,
}

/// The CSV's header line.
pub const HEADER: &str = "defence,tau,lambda,seed,access,teacher,thief";

/// The word the CSV uses for an access.
fn access_id(a: Access) -> &'static str {
    match a {
        Access::Working => "working",
        Access::Summary => "summary",
        Access::Hidden => "hidden",
        Access::Direct => "direct",
    }
}

impl Run {
    /// The run as a CSV line (no newline).
    pub fn line(&self) -> String {
        format!(
            "{},{},{},{},{},{:.6},{:.6}",
            self.defence.name(),
            self.tau,
            self.lambda,
            self.seed,
            access_id(self.access),
            self.teacher,
            self.thief
        )
    }
}

/// Reads the CSV `bytes` of the file `name`; a damaged file is named with its line and why,
/// and one short of a setting's seeds with the setting.
pub fn parse(bytes: &[u8], name: &str) -> Result<Vec<Run>, String> {
    let runs = measured::read(bytes, name, HEADER, row)?;
    let seeds: Vec<(String, usize)> = points(&runs)
        .iter()
        .map(|p| (p.label.clone(), p.seeds))
        .collect();
    measured::complete(name, &seeds)?;
    Ok(runs)
}

fn row(f: &Fields) -> Result<Run, String> {
    Ok(Run {
        defence: f.choice(0, &Defence::ALL, Defence::name, "defence")?,
        tau: f.number(1)? as f32,
        lambda: f.number(2)? as f32,
        seed: f.count(3)? as u64,
        access: f.choice(4, &Access::ALL, access_id, "access")?,
        teacher: f.number(5)?,
        thief: f.number(6)?,
    })
}

/// One point of the frontier: a setting and a thief, over its seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// How reports, messages and the page name it ([`label`]).
    pub label: String,
    /// The defence.
    pub defence: Defence,
    /// The temperature.
    pub tau: f32,
    /// λ.
    pub lambda: f32,
    /// The thief.
    pub access: Access,
    /// The honest user's accuracy: mean over the seeds.
    pub teacher: f64,
    /// The thief's accuracy: mean over the seeds.
    pub thief: f64,
    /// Its sample standard deviation over the seeds.
    pub thief_sd: f64,
    /// Seeds.
    pub seeds: usize,
}

/// How reports, messages and the chart's key name a setting and thief.
pub fn label(policy: Policy, access: Access) -> String {
    let what = match access {
        Access::Working => "",
        Access::Summary => ", summary shown",
        Access::Hidden => ", answer only",
        Access::Direct => ", answers at once",
    };
    match policy.defence {
        Defence::None if policy.tau == 1.0 => format!("no defence{what}"),
        Defence::None => format!("τ {}{what}", policy.tau),
        Defence::Rewritten => format!("working rewritten{what}"),
        Defence::Ads => format!("ADS λ {}{what}", policy.lambda),
        Defence::Random => format!("random direction λ {}{what}", policy.lambda),
    }
}

impl Run {
    /// The API's policy in this run.
    pub fn policy(&self) -> Policy {
        Policy {
            defence: self.defence,
            tau: self.tau,
            lambda: self.lambda,
        }
    }
}

impl Point {
    /// The API's policy at this point.
    pub fn policy(&self) -> Policy {
        Policy {
            defence: self.defence,
            tau: self.tau,
            lambda: self.lambda,
        }
    }

    /// Whether the honest user sees the working.
    pub fn working_shown(&self) -> bool {
        self.access == Access::Working
    }
}

/// The points, one per (setting, thief), in the runs' order.
pub fn points(runs: &[Run]) -> Vec<Point> {
    let key = |r: &Run| (r.defence, r.tau.to_bits(), r.lambda.to_bits(), r.access);
    let mut out: Vec<Point> = Vec::new();
    for run in runs {
        let same =
            |p: &Point| key(run) == (p.defence, p.tau.to_bits(), p.lambda.to_bits(), p.access);
        if out.iter().any(same) {
            continue;
        }
        let these: Vec<&Run> = runs.iter().filter(|r| key(r) == key(run)).collect();
        let n = these.len() as f64;
        let thief = these.iter().map(|r| r.thief).sum::<f64>() / n;
        let var = these.iter().map(|r| (r.thief - thief).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        out.push(Point {
            label: label(run.policy(), run.access),
            defence: run.defence,
            tau: run.tau,
            lambda: run.lambda,
            access: run.access,
            teacher: these.iter().map(|r| r.teacher).sum::<f64>() / n,
            thief,
            thief_sd: var.sqrt(),
            seeds: these.len(),
        });
    }
    out
}

/// The runs of a round of `config` (its seed, policy and thieves those of one point of the
/// frontier) played to its end, one run per thief. `proxy` is the owner's for the round's seed
/// (needed by a steering policy).
pub fn measure(
    teacher: &CharLm,
    split: u64,
    config: ReasonerConfig,
    proxy: Option<&Proxy>,
    device: &Device,
) -> Vec<Run> {
    let (seed, policy, steps) = (config.seed, config.policy, config.steps);
    let api = Api::new(policy, proxy, seed);
    let score = teacher_score(teacher, &api, split, seed, device);
    let mut round = Round::with_score(config, teacher, &api, split, score, device);
    round.step(steps);
    round
        .outcome()
        .students
        .iter()
        .map(|s| Run {
            defence: policy.defence,
            tau: policy.tau,
            lambda: policy.strength(),
            seed,
            access: s.access,
            teacher: score.worked,
            thief: s.points.last().map_or(0.0, |p| p.accuracy),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(defence: Defence, lambda: f32, seed: u64, thief: f64) -> Run {
        Run {
            defence,
            tau: 1.0,
            lambda,
            seed,
            access: Access::Working,
            teacher: 0.98,
            thief,
        }
    }

    #[test]
    fn the_csv_reads_back_what_it_wrote_and_names_damage() {
        let runs = vec![
            run(Defence::Ads, 2.0, 1, 0.5),
            run(Defence::Ads, 2.0, 2, 0.75),
            run(Defence::None, 0.0, 1, 0.9),
            run(Defence::None, 0.0, 2, 0.875),
        ];
        let text = |runs: &[Run]| {
            std::iter::once(HEADER.to_string())
                .chain(runs.iter().map(Run::line))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(parse(text(&runs).as_bytes(), "d.csv"), Ok(runs.clone()));
        let cut = text(&runs[..3]);
        assert_eq!(
            parse(cut.as_bytes(), "d.csv"),
            Err("d.csv is incomplete: no defence has 1 seeds, the others 2".into())
        );
        let bad = text(&runs).replace("ads", "adz");
        assert_eq!(
            parse(bad.as_bytes(), "d.csv"),
            Err("d.csv, line 2: unknown defence `adz`".into())
        );
    }

    #[test]
    fn a_point_is_the_mean_and_spread_over_seeds() {
        let runs = [
            run(Defence::Ads, 2.0, 1, 0.5),
            run(Defence::Ads, 2.0, 2, 0.75),
        ];
        let p = points(&runs);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].thief, p[0].seeds), (0.625, 2));
        // sd of {0.5, 0.75}: |0.75 − 0.5| / √2.
        assert!((p[0].thief_sd - 0.25 / 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(p[0].label, "ADS λ 2");
    }

    #[test]
    fn every_setting_is_measured_once_and_only_steering_reads_lambda() {
        let settings = settings();
        assert_eq!(settings.len(), 2 + TAUS.len() + 2 * LAMBDAS.len());
        for (i, (a, _)) in settings.iter().enumerate() {
            assert!(settings[i + 1..].iter().all(|(b, _)| b != a));
        }
        assert!(
            settings.iter().all(
                |(p, t)| t[0] == Access::Working && (p.defence.steers() || p.strength() == 0.0)
            )
        );
    }
}

#[cfg(test)]
mod shipped {
    use super::*;
    use crate::reasoner::study::tests::teacher;
    use crate::reasoner::teacher::SPLIT;

    /// The page's file.
    const CSV: &[u8] = include_bytes!("../../../www/data/reasoner-defences.csv");

    /// Seed 1's rows of the shipped file at `policy`, and what the code measures there now.
    fn pinned(policy: Policy, accesses: &[Access], proxy: Option<&Proxy>) {
        let runs = parse(CSV, "reasoner-defences.csv").unwrap();
        let device = Device::flex();
        let config = ReasonerConfig {
            policy,
            accesses: accesses.to_vec(),
            ..ReasonerConfig::default()
        };
        let now = measure(&teacher(), SPLIT, config, proxy, &device);
        for run in now {
            let line = run.line();
            let shipped = runs
                .iter()
                .find(|r| r.seed == 1 && r.policy() == run.policy() && r.access == run.access)
                .map(Run::line);
            assert_eq!(shipped.as_deref(), Some(line.as_str()));
        }
    }

    #[test]
    fn the_shipped_frontier_is_what_the_code_measures() {
        pinned(Policy::PLAIN, &[Access::Working, Access::Hidden], None);
        let proxy = Proxy::train(&teacher(), SPLIT, 1, &Device::flex());
        let ads = Policy {
            defence: Defence::Ads,
            lambda: LAMBDAS[LAMBDAS.len() - 1],
            ..Policy::PLAIN
        };
        pinned(ads, &[Access::Working], Some(&proxy));
    }
}
