//! `distill report …`: runs a scenario headless over several seeds and writes plots and
//! tables; `distill teacher` trains the digits teacher the page ships, `distill chat-teacher`
//! the names teacher. Progress goes to stderr;
//! bad arguments exit with status 2 and a message.

use distill::config::{Config, KNOBS, Knob};
use distill::digits::experiment::{Experiment as DigitsExperiment, StudyConfig};
use distill::report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: distill report [--experiment NAME] [--seeds N] [--out DIR] [--every N] [--KNOB VALUE]...

Runs a distillation scenario to the end for N seeds (default 5, from --seed on) and writes
maps.svg, agreement.svg, loss.svg, accuracy.svg, probe.svg, params.svg, metrics.csv and
report.md into DIR (default report/). --every sets how often metrics are sampled (default 50 steps).
--experiment api instead sweeps the API's response formats over query budgets, then each
query source under the detector, and writes api.md, api.csv and api.svg.
--experiment accounts spreads the accounts lesson's queries over 1 to 1,000 accounts under the
per-account and the cross-account detector (the knobs given are put over that setting), extracts
a copy each time, and writes accounts.md, accounts.csv and accounts.svg.
--experiment evidence investigates copies and honest models for the watermark and the
fingerprint, and writes evidence.md and evidence.csv.
--experiment lessons measures each chapter's lesson and its counter-case (lessons:CHAPTER,
one of playground, api, ban, accounts, evidence, chat, reasoner, for one only; the knobs given are put over each
setting) and writes lessons.md and lessons.csv.
--experiment chat buys names from the watermarked names teacher at several token budgets,
trains one student per access level on them and tests each for the watermark; writes chat.md
and chat.csv. Of the knobs it takes seed and the chat_* ones (chat_budget is swept).
--experiment defences measures the chat API's marks (the green list at several δ, ADFP and
its shuffled control at several λ) by the honest user's cost and how surely each owner's test
catches the text-only thief, and the reasoner API's defences (the working shown, summarised,
hidden or rewritten; hotter sampling; antidistillation sampling and its random control) by the
honest user's accuracy and the thief's; writes defences.md, chat-marks.csv/svg and
reasoner-defences.csv/svg (defences:chat or defences:reasoner for one half). It takes seed, the
chat_* and the reasoner_* knobs (the page's δ and defence are marked).
--experiment reasoner buys 300, 1,000 and 2,000 problems from the reasoner's teacher and
trains one student per access (working, summary, answer only, answer only for the same
tokens); writes reasoner.md and reasoner.csv. It takes seed and the reasoner_* knobs.
--experiment soft-vs-hard|missing-class|temperature (with --scenario digits, the default for
them) runs Hinton et al.'s section-3 experiments on the UCI 8x8 digits (--data FILE, default
www/data/digits.bin) and writes NAME.md, NAME.csv and NAME.svg. They take the digits_* knobs
and, of the others, seed, lr, batch and teacher_steps; --student_hidden W,W,... sets the
students' hidden layers (default: one of digits_student).

usage: distill teacher [--out FILE] [--data FILE] [--seed N] [--teacher_steps N]
Trains the digits teacher (64-256-256-10) and writes its weights (default
www/data/digits-teacher.bpk).

usage: distill chat-teacher [--out FILE] [--steps N]
Trains the names teacher (Embedding 27x32, GRU 128, Linear) and writes its weights (default
www/data/names-teacher.bpk).

usage: distill reasoner-teacher [--out FILE] [--steps N]
Trains the reasoner's teacher (Embedding 16x16, GRU 128, Linear) on every problem for sale,
worked and answered at once, and writes its weights (default www/data/reasoner-teacher.bpk).
Knobs (the page's settings, same names as its URL). A knob not given takes the command
line's default, Config::default(): three clean spiral arms whose 1,200 points the students all
see. That is not the setting the page opens on (lesson::opening(), the playground's lesson);
to start from that one, give its knobs:
 ";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("report") => match parse(&args[1..]) {
            Ok(options) => report(&options),
            Err(e) => fail(&e),
        },
        Some("teacher") => match parse(&args[1..]) {
            Ok(options) => teacher(&options),
            Err(e) => fail(&e),
        },
        Some("chat-teacher") => charlm_teacher(
            &args[1..],
            "chat-teacher",
            report::chat::TEACHER,
            12_000,
            |steps, log| {
                report::chat::teacher(steps, Path::new(report::chat::DATA), log).map(
                    |(bytes, nll)| {
                        let line = format!(
                            "held-out NLL {nll:.4} nats/char over all {} held-out names",
                            distill::chat::corpus::HELD_OUT
                        );
                        (bytes, line)
                    },
                )
            },
        ),
        Some("reasoner-teacher") => charlm_teacher(
            &args[1..],
            "reasoner-teacher",
            report::reasoner::TEACHER,
            3_000,
            |steps, log| report::reasoner::teacher(steps, log),
        ),
        Some("-h" | "--help") => {
            println!("{}", usage());
            ExitCode::SUCCESS
        }
        Some(other) => fail(&format!("unknown command '{other}'")),
        None => fail("missing command"),
    }
}

fn usage() -> String {
    let mut text = USAGE.to_string();
    for pair in distill::lesson::opening().to_query().split('&') {
        text.push_str(&format!(" --{}", pair.replace('=', " ")));
    }
    text.push_str("\nThe digits experiments start from the paper's settings instead. The knobs:");
    for k in KNOBS {
        text.push_str(&format!("\n  --{:<16} {}", k.key, k.help));
    }
    text
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{}", usage());
    ExitCode::from(2)
}

/// What `report` was asked to do.
struct Options {
    config: Config,
    experiment: Experiment,
    seeds: usize,
    every: usize,
    out: Option<PathBuf>,
    /// The digits file, for the digits experiments and the teacher.
    data: PathBuf,
    /// The digits experiments' settings: their defaults, with the knobs given applied.
    study: StudyConfig,
    /// The knobs given on the command line.
    given: Vec<&'static str>,
}

/// Which report.
enum Experiment {
    /// Teacher, distilled and hard-label student.
    Distill,
    /// The API sweep.
    Api,
    /// The thief's budget spread over accounts, under each detector.
    Accounts,
    /// Watermark and fingerprint verdicts on copies and honest models.
    Evidence,
    /// Thieves of the names teacher per access level and budget, and the text watermark.
    Chat,
    /// Students of the reasoner per access and budget of problems.
    Reasoner,
    /// The defences' frontiers: both APIs', or the one named.
    Defences(Option<report::defences::Half>),
    /// Each chapter's lesson and counter-case, or only the one named.
    Lessons(Option<String>),
    /// One of Hinton et al.'s section-3 experiments on the digits.
    Digits(DigitsExperiment),
}

fn parse(args: &[String]) -> Result<Options, String> {
    let (mut config, mut seeds, mut every, mut out) = (Config::default(), 5, 50, None);
    let mut experiment = Experiment::Distill;
    let (mut digits, mut data, mut given) =
        (false, PathBuf::from(report::digits::DATA), Vec::new());
    let mut student_hidden = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let key = flag
            .strip_prefix("--")
            .ok_or_else(|| format!("expected --option, got '{flag}'"))?;
        let value = it.next().ok_or_else(|| format!("--{key} needs a value"))?;
        let count = |v: &str| {
            v.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("--{key} needs a whole number ≥ 1, got '{v}'"))
        };
        match key {
            "seeds" => seeds = count(value)?,
            "every" => every = count(value)?,
            "out" => out = Some(PathBuf::from(value)),
            "data" => data = PathBuf::from(value),
            "scenario" if value == "digits" => digits = true,
            "student_hidden" => {
                let widths: Option<Vec<usize>> = value
                    .split(',')
                    .map(|w| w.trim().parse().ok().filter(|&w| (1..=4096).contains(&w)))
                    .collect();
                student_hidden = Some(widths.ok_or_else(|| {
                    format!(
                        "--student_hidden needs widths from 1 to 4096 such as 128,64, got '{value}'"
                    )
                })?);
            }
            "experiment" => {
                experiment = match value.as_str() {
                    "distill" => Experiment::Distill,
                    "api" => Experiment::Api,
                    "accounts" => Experiment::Accounts,
                    "evidence" => Experiment::Evidence,
                    "chat" => Experiment::Chat,
                    "reasoner" => Experiment::Reasoner,
                    "defences" => Experiment::Defences(None),
                    name if name.starts_with("defences:") => {
                        let half = &name["defences:".len()..];
                        Experiment::Defences(Some(
                            report::defences::Half::from_name(half).ok_or_else(|| {
                                format!(
                                    "--experiment defences:HALF is chat or reasoner, not '{half}'"
                                )
                            })?,
                        ))
                    }
                    "lessons" => Experiment::Lessons(None),
                    name if name.starts_with("lessons:") => {
                        Experiment::Lessons(Some(name["lessons:".len()..].to_string()))
                    }
                    name => match DigitsExperiment::from_name(name) {
                        Some(e) => Experiment::Digits(e),
                        None => {
                            return Err(format!(
                                "--experiment is distill, api, accounts, evidence, chat, reasoner, defences, \
                                 lessons[:CHAPTER], \
                                 soft-vs-hard, missing-class or temperature, not '{value}'"
                            ));
                        }
                    },
                }
            }
            _ => {
                let knob = Knob::find(key).ok_or_else(|| format!("unknown option --{key}"))?;
                match knob.parse(value) {
                    (Some(v), None) => (knob.set)(&mut config, v),
                    (_, notice) => return Err(notice.unwrap_or_default()),
                }
                given.push(knob.key);
            }
        }
    }
    if digits && !matches!(experiment, Experiment::Digits(_)) {
        return Err(
            "--scenario digits goes with --experiment soft-vs-hard, missing-class or \
                    temperature"
                .into(),
        );
    }
    if let Some(problem) = config.reconcile().into_iter().next() {
        return Err(problem);
    }
    if let Experiment::Lessons(Some(chapter)) = &experiment
        && !distill::lesson::LESSONS
            .iter()
            .any(|l| l.chapter == chapter)
    {
        return Err(format!("no lesson for chapter '{chapter}'"));
    }
    let mut study = study_config(&config, &given);
    if let Some(hidden) = student_hidden {
        study.student_hidden = hidden;
    }
    Ok(Options {
        study,
        given,
        config,
        experiment,
        seeds,
        every,
        out,
        data,
    })
}

/// The digits experiments' settings: the study `config`'s `digits_*` knobs describe, with the
/// playground knobs in `given` that have no digits knob of their own taken from `config`.
fn study_config(config: &Config, given: &[&str]) -> StudyConfig {
    let mut study = StudyConfig::from_config(config);
    for &key in given {
        match key {
            "seed" => study.seed = config.seed,
            "lr" => study.lr = config.lr,
            "batch" => study.batch = config.batch,
            "teacher_steps" => study.teacher_steps = config.teacher_steps,
            _ => {}
        }
    }
    study
}

fn report(o: &Options) -> ExitCode {
    let started = std::time::Instant::now();
    let log = |line: &str| eprintln!("[{:7.1}s] {line}", started.elapsed().as_secs_f32());
    let out = o.out.as_deref().unwrap_or(Path::new("report"));
    let result = match o.experiment {
        Experiment::Distill => report::playground::write(&o.config, o.seeds, o.every, out, log),
        Experiment::Api => report::api::write(&o.config, o.seeds, out, log),
        Experiment::Accounts => report::accounts::write(&o.config, &o.given, o.seeds, out, log),
        Experiment::Evidence => report::evidence::write(&o.config, o.seeds, out, log),
        Experiment::Chat => {
            let config = distill::chat::study::ChatConfig::from_config(&o.config);
            report::chat::write(&config, o.seeds, out, log)
        }
        Experiment::Defences(only) => {
            report::defences::write(&o.config, only, o.seeds as u64, out, log)
        }
        Experiment::Reasoner => {
            let config = distill::reasoner::study::ReasonerConfig::from_config(&o.config);
            report::reasoner::write(&config, o.seeds as u64, out, log)
        }
        Experiment::Lessons(ref only) => {
            let select = report::lessons::Selection {
                only: only.as_deref(),
                given: &o.given,
            };
            report::lessons::write(&o.config, &select, o.seeds, out, log)
        }
        Experiment::Digits(e) => report::digits::load(&o.data)
            .and_then(|d| report::digits::write(e, &o.study, o.seeds, &d, out, log)),
    };
    match result {
        Ok(md) => {
            println!("{md}");
            eprintln!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn teacher(o: &Options) -> ExitCode {
    let started = std::time::Instant::now();
    let out = o
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(report::digits::TEACHER));
    let result = report::digits::load(&o.data).and_then(|digits| {
        report::digits::teacher(&o.study, &digits, |line| {
            eprintln!("[{:7.1}s] {line}", started.elapsed().as_secs_f32())
        })
    });
    let written = result.and_then(|(bytes, outcome)| {
        std::fs::write(&out, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))
            .map(|()| (bytes.len(), outcome))
    });
    match written {
        Ok((size, outcome)) => {
            println!(
                "wrote {} ({size} bytes): teacher {} parameters, {} test errors of {} \
                 ({:.2} % accuracy) on split seed {}",
                out.display(),
                outcome.teacher_params,
                outcome.teacher.errors,
                outcome.test,
                100.0 * outcome.teacher.accuracy,
                o.study.seed
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `distill chat-teacher` and `distill reasoner-teacher`: trains a char-LM teacher with
/// `train(steps, log)` (which returns the file's bytes and a line on how good it is) and writes
/// its file, `default_out` unless `--out` is given.
fn charlm_teacher(
    args: &[String],
    command: &str,
    default_out: &str,
    default_steps: usize,
    train: impl FnOnce(usize, &dyn Fn(&str)) -> Result<(Vec<u8>, String), String>,
) -> ExitCode {
    let (mut out, mut steps) = (PathBuf::from(default_out), default_steps);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next();
        match (flag.as_str(), value) {
            ("--out", Some(v)) => out = PathBuf::from(v),
            ("--steps", Some(v)) => match v.parse::<usize>() {
                Ok(n) if n > 0 => steps = n,
                _ => return fail(&format!("--steps needs a whole number ≥ 1, got '{v}'")),
            },
            _ => {
                return fail(&format!(
                    "{command} takes --out FILE and --steps N, not '{flag}'"
                ));
            }
        }
    }
    let started = std::time::Instant::now();
    let log = |line: &str| eprintln!("[{:7.1}s] {line}", started.elapsed().as_secs_f32());
    let result = train(steps, &log).and_then(|(bytes, line)| {
        std::fs::write(&out, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))
            .map(|()| (bytes.len(), line))
    });
    match result {
        Ok((size, line)) => {
            println!(
                "wrote {} ({size} bytes) after {steps} steps in {:.0} s: {line}",
                out.display(),
                started.elapsed().as_secs_f32(),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
