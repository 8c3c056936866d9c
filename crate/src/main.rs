//! `distill report …`: runs a scenario headless over several seeds and writes plots and
//! tables. Progress goes to stderr; bad arguments exit with status 2 and a message.

use distill::config::{Config, KNOBS, Knob};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: distill report [--experiment distill|api|evidence] [--seeds N] [--out DIR] [--every N] [--KNOB VALUE]...

Runs a distillation scenario to the end for N seeds (default 5, from --seed on) and writes
maps.svg, agreement.svg, loss.svg, accuracy.svg, probe.svg, params.svg, metrics.csv and
report.md
into DIR (default report/). --every sets how often metrics are sampled (default 50 steps).
--experiment api instead sweeps the API's response formats over query budgets, then each
query source under the detector, and writes api.md, api.csv and api.svg.
--experiment evidence investigates copies and honest models for the watermark and the
fingerprint, and writes evidence.md and evidence.csv.
Knobs (the page's settings, same names as its URL):";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("report") => match parse(&args[1..]) {
            Ok(options) => report(&options),
            Err(e) => fail(&e),
        },
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
    out: PathBuf,
}

/// Which report.
enum Experiment {
    /// Teacher, distilled and hard-label student.
    Distill,
    /// The API sweep.
    Api,
    /// Watermark and fingerprint verdicts on copies and honest models.
    Evidence,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let (mut config, mut seeds, mut every, mut out) =
        (Config::default(), 5, 50, PathBuf::from("report"));
    let mut experiment = Experiment::Distill;
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
            "out" => out = PathBuf::from(value),
            "experiment" => {
                experiment = match value.as_str() {
                    "distill" => Experiment::Distill,
                    "api" => Experiment::Api,
                    "evidence" => Experiment::Evidence,
                    _ => {
                        return Err(format!(
                            "--experiment is distill, api or evidence, not '{value}'"
                        ));
                    }
                }
            }
            _ => {
                let knob = Knob::find(key).ok_or_else(|| format!("unknown option --{key}"))?;
                match knob.parse(value) {
                    (Some(v), None) => (knob.set)(&mut config, v),
                    (_, notice) => return Err(notice.unwrap_or_default()),
                }
            }
        }
    }
    if let Some(problem) = config.reconcile().into_iter().next() {
        return Err(problem);
    }
    Ok(Options {
        config,
        experiment,
        seeds,
        every,
        out,
    })
}

fn report(o: &Options) -> ExitCode {
    let started = std::time::Instant::now();
    let log = |line: &str| eprintln!("[{:7.1}s] {line}", started.elapsed().as_secs_f32());
    let out = o.out.as_path();
    let result = match o.experiment {
        Experiment::Distill => distill::report::write(&o.config, o.seeds, o.every, out, log),
        Experiment::Api => distill::sweep::write(&o.config, o.seeds, out, log),
        Experiment::Evidence => distill::casebook::write(&o.config, o.seeds, out, log),
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
