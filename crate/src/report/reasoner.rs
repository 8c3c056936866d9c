//! The reasoner chapter from the command line: `distill reasoner-teacher` trains the teacher
//! the page ships; `distill report --experiment reasoner` runs [`study::run`] over budgets of
//! problems and seeds and writes reasoner.md (each access's held-out accuracy, mean ± std, and
//! the tokens each budget costs), reasoner.csv (per seed) and, for the first seed of each
//! budget, the page's two charts (reasoner-N-problems.svg, reasoner-N-tokens.svg).

use crate::charlm::model::CharLm;
use crate::charlm::weights;
use crate::plot::{self, reasoner::Axis};
use crate::reasoner::defence::Api;
use crate::reasoner::study::{self, Access, ReasonerConfig, Round};
use crate::reasoner::teacher::{self, KIND, SPLIT};
use crate::report::{mean_std, svg};
use burn::tensor::Device;
use std::fmt::Write as _;
use std::path::Path;

/// Where the page looks for the reasoner's teacher, from this crate's directory.
pub const TEACHER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../www/data/reasoner-teacher.bpk"
);

/// The seed of the shipped teacher's weights.
const TEACHER_SEED: u64 = 7;

/// The shipped teacher.
pub fn shipped() -> Result<CharLm, String> {
    let bytes = std::fs::read(TEACHER).map_err(|e| format!("cannot read {TEACHER}: {e}"))?;
    Ok(weights::load(&KIND, &bytes, TEACHER, &Device::flex())?.model)
}

/// Trains the teacher for `steps` steps and returns its file's bytes and a line on its
/// held-out accuracy, worked and direct, as read back from them; `log` hears progress.
pub fn teacher(steps: usize, log: impl Fn(&str)) -> Result<(Vec<u8>, String), String> {
    let device = Device::flex();
    let config = teacher::shape();
    let model = teacher::train(
        &config,
        steps,
        SPLIT,
        TEACHER_SEED,
        &device,
        |done, loss| log(&format!("step {done:6}: batch loss {loss:.4}")),
    );
    let bytes = weights::save(&KIND, &model, &config, SPLIT, steps)?;
    let back = weights::load(&KIND, &bytes, "the new teacher", &device)?.model;
    let score = study::teacher_score(&back, &Api::plain(), SPLIT, 1, &device);
    Ok((
        bytes,
        format!(
            "held-out accuracy {:.1} % working it out, {:.1} % answering at once ({} problems)",
            100.0 * score.worked,
            100.0 * score.direct,
            crate::reasoner::task::HELD_OUT
        ),
    ))
}

/// Problems bought, swept by the report.
pub const BUDGETS: [usize; 3] = [300, 1_000, 2_000];

/// Runs the sweep for `seeds` seeds from `config.seed` and writes reasoner.md and
/// reasoner.csv into `out`; returns the Markdown.
pub fn write(
    config: &ReasonerConfig,
    seeds: u64,
    out: &Path,
    log: impl Fn(&str),
) -> Result<String, String> {
    let teacher = shipped()?;
    let device = Device::flex();
    let mut csv = String::from("problems,seed,access,bought,tokens,accuracy\n");
    let mut md = String::from("# The reasoner: what the working is worth to a copier\n\n");
    let mut rounds: Vec<(usize, Round)> = Vec::new();
    for &problems in &BUDGETS {
        for seed in config.seed..config.seed + seeds {
            let c = ReasonerConfig {
                problems,
                seed,
                ..config.clone()
            };
            let round = study::run(c, &teacher, SPLIT, &device);
            log(&format!(
                "{problems} problems, seed {seed}: {}",
                summary(&round)
            ));
            for t in &round.thieves {
                let p = t.points.last().expect("measured");
                writeln!(
                    csv,
                    "{problems},{seed},{},{},{},{:.4}",
                    t.access.name(),
                    p.problems,
                    p.tokens,
                    p.accuracy
                )
                .unwrap();
            }
            rounds.push((problems, round));
        }
    }
    let first = &rounds[0].1;
    writeln!(
        md,
        "Teacher (held out, sampled as served): {:.1} % working it out, {:.1} % answering at once. \
         Students: {} parameters, {} steps of {} rows.\n",
        100.0 * first.teacher.worked,
        100.0 * first.teacher.direct,
        config.student.num_params(),
        config.steps,
        config.batch
    )
    .unwrap();
    md.push_str("| problems bought | tokens bought | ");
    md.push_str(&Access::ALL.map(Access::name).join(" | "));
    md.push_str(" | problems answered at once | working > answer only |\n|---:|---:|");
    md.push_str(&"---:|".repeat(Access::ALL.len() + 2));
    md.push('\n');
    for &problems in &BUDGETS {
        let these: Vec<&Round> = rounds
            .iter()
            .filter(|(n, _)| *n == problems)
            .map(|(_, r)| r)
            .collect();
        let acc = |i: usize| -> Vec<f32> {
            these
                .iter()
                .map(|r| r.thieves[i].points.last().unwrap().accuracy as f32)
                .collect()
        };
        let mean = |f: &dyn Fn(&Round) -> usize| {
            these.iter().map(|r| f(r) as f64).sum::<f64>() / these.len() as f64
        };
        let tokens = mean(&|r| r.outcome().budget);
        write!(md, "| {problems} | {tokens:.0} |").unwrap();
        for i in 0..Access::ALL.len() {
            let (m, s) = mean_std(&acc(i));
            write!(md, " {:.1} ± {:.1} % |", 100.0 * m, 100.0 * s).unwrap();
        }
        let direct = mean(&|r| r.outcome().students[3].bought);
        let wins = acc(0).iter().zip(acc(2)).filter(|(w, h)| **w > *h).count();
        writeln!(md, " {direct:.0} | {wins} of {} |", these.len()).unwrap();
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for &problems in &BUDGETS {
        let (_, round) = rounds.iter().find(|(n, _)| *n == problems).expect("run");
        let outcome = round.outcome();
        for axis in [Axis::Problems, Axis::Tokens] {
            let name = format!("reasoner-{problems}-{}.svg", axis.name());
            svg(&out.join(name), (900, 560), |a| {
                plot::reasoner::draw(a, &outcome, axis, 1.0)
            })?;
        }
    }
    md.push_str(
        "\nThe first seed's curves for each budget: reasoner-N-problems.svg and \
         reasoner-N-tokens.svg.\n",
    );
    for (name, text) in [("reasoner.md", &md), ("reasoner.csv", &csv)] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(md)
}

/// Each student's final accuracy, in one line.
fn summary(round: &Round) -> String {
    round
        .thieves
        .iter()
        .map(|t| {
            format!(
                "{} {:.1} %",
                t.access.name(),
                100.0 * t.points.last().map_or(0.0, |p| p.accuracy)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
