//! `distill report …`: runs a scenario headless over several seeds and writes plots and
//! tables. Progress goes to stderr; bad arguments exit with status 2 and a message.

use distill::config::{Config, KNOBS, Knob};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: distill report [--seeds N] [--out DIR] [--every N] [--KNOB VALUE]...

Runs a distillation scenario to the end for N seeds (default 5, from --seed on) and writes
maps.svg, agreement.svg, loss.svg, accuracy.svg, params.svg, metrics.csv and report.md
into DIR (default report/). --every sets how often metrics are sampled (default 50 steps).
Knobs (the page's settings, same names as its URL):";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("report") => match parse(&args[1..]) {
            Ok((config, seeds, every, out)) => report(&config, seeds, every, &out),
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

fn parse(args: &[String]) -> Result<(Config, usize, usize, PathBuf), String> {
    let (mut config, mut seeds, mut every, mut out) =
        (Config::default(), 5, 50, PathBuf::from("report"));
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
    Ok((config, seeds, every, out))
}

fn report(config: &Config, seeds: usize, every: usize, out: &Path) -> ExitCode {
    let started = std::time::Instant::now();
    let result = distill::report::write(config, seeds, every, out, |line| {
        eprintln!("[{:7.1}s] {line}", started.elapsed().as_secs_f32());
    });
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
