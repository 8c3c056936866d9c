//! Hinton, Vinyals & Dean (2015) section 3 reproduced on the digits, from the command line:
//! `distill report --experiment soft-vs-hard | missing-class | temperature --scenario digits`
//! runs a [`Study`] to the end for several seeds and writes a Markdown table of mean ± std,
//! a CSV of every seed and an SVG chart; `distill teacher` trains the teacher the page ships.

use crate::digits::data::{self, Digits};
use crate::digits::experiment::{Experiment, PAPER_BIAS, StudyConfig};
use crate::digits::outcome::Outcome;
use crate::digits::study::Study;
use crate::digits::weights;
use crate::metrics::Phase;
use crate::plot::study::{draw_errors, draw_temperature, short_label, summarise};
use crate::report::svg;
use std::fmt::Write as _;
use std::path::Path;

/// Where `cargo xtask digits` writes the digits, from this crate's directory.
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/digits.bin");

/// Where the page looks for its teacher, from this crate's directory.
pub const TEACHER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../www/data/digits-teacher.bpk"
);

/// The paper's figures (MNIST, 10,000 test digits), quoted under each table.
fn paper(experiment: Experiment) -> &'static str {
    match experiment {
        Experiment::SoftVsHard => {
            "Paper (MNIST, 10,000 test digits): the 1200-1200 teacher (dropout, jitter) 67 \
             errors; an 800-800 student on labels 146; the same student distilled at T = 20, 74."
        }
        Experiment::MissingClass => {
            "Paper (MNIST): the distilled student that never saw a 3 made 206 test errors, 133 \
             of them on the 1,010 test 3s; with its bias for 3 raised by 3.5, 109 errors, 14 \
             on 3s."
        }
        Experiment::Temperature => {
            "Paper: for the 800-800 student \"all temperatures of 8 or more gave fairly similar \
             results\"; with 30 hidden units per layer, 2.5–4 worked much better than higher \
             or lower temperatures."
        }
    }
}

/// Reads and checks the digits file at `path`.
pub fn load(path: &Path) -> Result<Digits, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "cannot read {}: {e} (`cargo xtask digits` writes it)",
            path.display()
        )
    })?;
    data::parse(&bytes, &path.display().to_string())
}

/// Runs one study to the end; `log` hears its progress every 1,000 steps.
pub fn run(
    experiment: Experiment,
    config: &StudyConfig,
    digits: &Digits,
    teacher: Option<crate::model::Mlp>,
    mut log: impl FnMut(&Outcome),
) -> Result<(Study, Outcome), String> {
    let mut study = Study::new(experiment, config.clone(), digits, teacher)?;
    loop {
        let outcome = study.step(1000);
        log(&outcome);
        match outcome.phase {
            Phase::Teacher | Phase::Student => {}
            Phase::Done => return Ok((study, outcome)),
            Phase::Diverged => return Err(outcome.message.unwrap_or_default()),
        }
    }
}

/// Trains the teacher under `config` and returns its file's bytes and its outcome.
pub fn teacher(
    config: &StudyConfig,
    digits: &Digits,
    mut log: impl FnMut(&str),
) -> Result<(Vec<u8>, Outcome), String> {
    let short = StudyConfig {
        student_steps: 1,
        ..config.clone()
    };
    let (study, outcome) = run(Experiment::SoftVsHard, &short, digits, None, |o| {
        log(&progress(o))
    })?;
    let model = study.teacher().ok_or("the teacher did not finish")?;
    Ok((weights::save(model, config)?, outcome))
}

fn progress(o: &Outcome) -> String {
    format!(
        "{:?}: teacher {}/{}, students {}/{}",
        o.phase, o.teacher_step, o.teacher_steps, o.student_step, o.student_steps
    )
}

/// Runs `experiment` for `seeds` seeds from `config.seed` on and writes `<name>.md`,
/// `<name>.csv` and `<name>.svg` into `out`; returns the Markdown.
pub fn write(
    experiment: Experiment,
    config: &StudyConfig,
    seeds: usize,
    digits: &Digits,
    out: &Path,
    mut log: impl FnMut(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut outcomes = Vec::new();
    for i in 0..seeds {
        let seeded = StudyConfig {
            seed: config.seed + i as u64,
            ..config.clone()
        };
        let (_, outcome) = run(experiment, &seeded, digits, None, |o| {
            log(&format!("seed {}: {}", seeded.seed, progress(o)))
        })
        .map_err(|e| format!("seed {}: {e}", seeded.seed))?;
        outcomes.push(outcome);
    }
    let name = experiment.name();
    let csv = table_csv(config.seed, &outcomes);
    std::fs::write(out.join(format!("{name}.csv")), csv).map_err(|e| e.to_string())?;
    let size = (1000, 140 + 70 * outcomes[0].rows.len() as u32);
    match experiment {
        Experiment::Temperature => svg(&out.join(format!("{name}.svg")), (900, 560), |a| {
            draw_temperature(a, &outcomes, 1.0)
        })?,
        _ => svg(&out.join(format!("{name}.svg")), size, |a| {
            draw_errors(a, &outcomes, 1.0)
        })?,
    }
    let md = markdown(experiment, config, &outcomes);
    std::fs::write(out.join(format!("{name}.md")), &md).map_err(|e| e.to_string())?;
    Ok(md)
}

fn table_csv(first_seed: u64, outcomes: &[Outcome]) -> String {
    let mut csv =
        String::from("seed,model,temperature,bias,errors,accuracy,agreement,omitted_errors\n");
    for (i, o) in outcomes.iter().enumerate() {
        for r in std::iter::once(&o.teacher).chain(&o.rows) {
            let _ = writeln!(
                csv,
                "{},\"{}\",{},{:.3},{},{:.5},{:.5},{}",
                first_seed + i as u64,
                r.label,
                r.temperature.map_or(String::new(), |t| t.to_string()),
                r.bias,
                r.errors,
                r.accuracy,
                r.agreement,
                r.omitted_errors.map_or(String::new(), |e| e.to_string())
            );
        }
    }
    csv
}

fn markdown(experiment: Experiment, config: &StudyConfig, outcomes: &[Outcome]) -> String {
    let first = &outcomes[0];
    let shape = |hidden: &[usize]| {
        let mut parts = vec!["64".to_string()];
        parts.extend(hidden.iter().map(usize::to_string));
        parts.push("10".into());
        parts.join("-")
    };
    let title = experiment.title();
    let mut md = format!(
        "# {title} (Hinton, Vinyals & Dean 2015, section 3), on the UCI 8×8 digits\n\n\
         {} seed(s) from {}; each seed its own split ({} training, {} test digits), teacher \
         and students. Teacher {} ({} parameters), {} steps{}. Students {} ({} parameters = \
         {:.1} % of the teacher), {} steps on {} transfer digits, all from the same initial \
         weights on the same batches; distilled at T = {} with soft weight {} (the hard-label \
         term gets the rest). Adam, learning rate {} with cosine decay, batch {}.\n\n",
        outcomes.len(),
        config.seed,
        first.train,
        first.test,
        shape(&config.teacher_hidden),
        first.teacher_params,
        config.teacher_steps,
        if config.jitter {
            ", inputs jittered by up to a pixel"
        } else {
            ""
        },
        shape(&config.student_hidden),
        first.student_params,
        100.0 * first.student_params as f32 / first.teacher_params.max(1) as f32,
        config.student_steps,
        first.transfer,
        config.temperature,
        config.soft_weight,
        config.lr,
        config.batch,
    );
    let missing = experiment == Experiment::MissingClass;
    md.push_str(if missing {
        "| model | test errors | errors on the missing digit | missing digit right | bias added |\n|---|---|---|---|---|\n"
    } else {
        "| model | test errors | test accuracy | agreement with teacher |\n|---|---|---|---|\n"
    });
    let omitted = first.omitted_test.unwrap_or(0).max(1) as f32;
    for i in std::iter::once(None).chain((0..first.rows.len()).map(Some)) {
        let row = i.map_or(&first.teacher, |i| &first.rows[i]);
        let label = short_label(row);
        let (errors, errors_sd) = summarise(outcomes, i, |r| r.errors as f32);
        if missing {
            let (wrong, wrong_sd) =
                summarise(outcomes, i, |r| r.omitted_errors.unwrap_or(0) as f32);
            let (bias, bias_sd) = summarise(outcomes, i, |r| r.bias);
            let _ = writeln!(
                md,
                "| {label} | {errors:.1} ± {errors_sd:.1} | {wrong:.1} ± {wrong_sd:.1} | {:.1} % | {} |",
                100.0 * (1.0 - wrong / omitted),
                if bias == 0.0 {
                    "—".to_string()
                } else {
                    format!("+{bias:.2} ± {bias_sd:.2}")
                }
            );
        } else {
            let (acc, acc_sd) = summarise(outcomes, i, |r| r.accuracy);
            let (agree, agree_sd) = summarise(outcomes, i, |r| r.agreement);
            let _ = writeln!(
                md,
                "| {label} | {errors:.1} ± {errors_sd:.1} | {:.2} ± {:.2} % | {} |",
                100.0 * acc,
                100.0 * acc_sd,
                if i.is_none() {
                    "—".to_string()
                } else {
                    format!("{:.2} ± {:.2} %", 100.0 * agree, 100.0 * agree_sd)
                }
            );
        }
    }
    if missing {
        let _ = write!(
            md,
            "\nThe transfer set holds no {d}: every {d} of the training digits is removed, so \
             the students never see one (the test set keeps its {n}). \"+ bias matched\" raises \
             the distilled student's output bias for {d} (equivalently, adds to its {d}-logit) \
             by the smallest amount that makes it answer {d} on the test digits as often as \
             the teacher does: no label of a {d} is used, only the teacher. \"+ bias \
             {PAPER_BIAS}\" adds the paper's constant, taken as is.\n",
            d = config.omitted,
            n = first.omitted_test.unwrap_or(0),
        );
    }
    let wins = |a: usize, b: usize| {
        outcomes
            .iter()
            .filter(|o| o.rows[a].errors < o.rows[b].errors)
            .count()
    };
    if experiment != Experiment::MissingClass && first.rows.len() >= 2 {
        let best = (1..first.rows.len())
            .min_by(|&a, &b| {
                let e = |i| summarise(outcomes, Some(i), |r| r.errors as f32).0;
                e(a).total_cmp(&e(b))
            })
            .unwrap_or(1);
        let _ = write!(
            md,
            "\nFewer test errors than the student on labels: \"{}\" in {} of {} seeds.\n",
            first.rows[best].label,
            wins(best, 0),
            outcomes.len()
        );
    }
    let _ = write!(md, "\n{}\n", paper(experiment));
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_table_csv_and_chart_for_each_experiment() {
        let digits = data::parse(data::tests::BYTES, data::FILE).unwrap();
        let config = StudyConfig {
            teacher_hidden: vec![32],
            teacher_steps: 200,
            student_hidden: vec![16],
            student_steps: 100,
            temperatures: vec![1.0, 4.0],
            ..StudyConfig::default()
        };
        let out = std::env::temp_dir().join(format!("distill-replication-{}", std::process::id()));
        for experiment in Experiment::ALL {
            let md = write(experiment, &config, 2, &digits, &out, |_| {}).unwrap();
            let name = experiment.name();
            assert!(
                md.contains("| teacher |") && md.contains("2 seed(s) from 1"),
                "{md}"
            );
            let csv = std::fs::read_to_string(out.join(format!("{name}.csv"))).unwrap();
            let rows = match experiment {
                Experiment::SoftVsHard => 3,
                Experiment::MissingClass => 5,
                Experiment::Temperature => 4,
            };
            assert_eq!(csv.lines().count(), 1 + 2 * rows, "{csv}");
            let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
            assert!(svg.contains("<svg") && svg.contains("<text"), "{name}.svg");
        }
        std::fs::remove_dir_all(out).unwrap();
    }
}
