//! The chat API's half of `distill report --experiment defences` ([`frontier`]): the green
//! list at several δ, ADFP at several λ with the owner's proxy, and ADFP with the proxy's
//! probabilities shuffled, each measured by what it costs an honest user (three ways) and how
//! surely each of the owner's tests then catches the text-only thief, over seeds, with the
//! innocent student of real names and other keys for the false alarms. Writes chat-marks.csv
//! (the page's `data/chat-marks.csv`) and chat-marks.svg, and returns its Markdown section.

use crate::chat::api::Access;
use crate::chat::frontier::{self, HEADER, Point, Run, Scheme};
use crate::chat::study::{ALPHA, ChatConfig, HELD};
use crate::chat::watermark::Test;
use crate::plot;
use crate::report::chat::shipped;
use crate::report::{over_seeds, write_csv};
use burn::tensor::Device;
use std::fmt::Write as _;
use std::path::Path;

/// The green list's strengths δ (0: no mark).
pub const GREEN: [f32; 6] = [0.0, 0.5, 1.0, 1.5, 2.0, 4.0];
/// ADFP's strengths λ, for it and its control.
pub const ADFP: [f32; 5] = [4.0, 8.0, 16.0, 32.0, 64.0];

/// Every (scheme, strength) measured, in order.
pub fn settings() -> Vec<(Scheme, f32)> {
    let green = GREEN.map(|d| (Scheme::Green, d));
    let adfp = ADFP.map(|l| (Scheme::Adfp, l));
    let shuffled = ADFP.map(|l| (Scheme::Shuffled, l));
    green.into_iter().chain(adfp).chain(shuffled).collect()
}

/// Runs the chat frontier for `seeds` seeds from `config.seed` and writes its files into
/// `out`; returns its Markdown section. `page_delta` is the page's δ, marked on the chart.
pub fn write(
    config: &ChatConfig,
    seeds: u64,
    page_delta: f32,
    out: &Path,
    log: impl Fn(&str) + Sync,
) -> Result<String, String> {
    let (teacher, train, held) = shipped()?;
    let held = &held[..HELD];
    let device = Device::flex();
    log("training the owner's proxy");
    let proxy = frontier::proxy(&teacher, &train, held, config, &device);
    let seeds: Vec<u64> = (config.seed..config.seed + seeds).collect();
    let mut runs: Vec<Run> = over_seeds(&seeds, |seed, device| {
        let mut runs = frontier::innocent(&teacher, &train, held, config, seed, device);
        for (scheme, strength) in settings() {
            let these = frontier::measure(
                &teacher, &train, held, config, scheme, strength, &proxy, seed, device,
            );
            log(&format!(
                "seed {seed}, {} {strength}: KL {:.3}, z {:.2} / {:.2}",
                scheme.name(),
                these[0].kl,
                these[0].z,
                these[1].z
            ));
            runs.extend(these);
        }
        runs
    });
    runs.sort_by_key(|r| (order(r), r.seed));
    let md = markdown(&runs, config, seeds.len(), page_delta);
    write_csv(
        &out.join("chat-marks.csv"),
        HEADER,
        runs.iter().map(Run::line),
    )?;
    let points = frontier::points(&runs);
    crate::report::svg(&out.join("chat-marks.svg"), (900, 560), |area| {
        plot::marks::draw(area, &points, None, Some((page_delta, Test::Letters)), 1.0)
    })?;
    Ok(md)
}

/// A run's place in the report: innocent first, then the settings' order, then the tests'.
fn order(r: &Run) -> (bool, usize, usize) {
    let setting = settings()
        .iter()
        .position(|&(s, x)| s == r.scheme && x == r.strength)
        .unwrap_or(0);
    let test = Test::ALL.iter().position(|&t| t == r.test).unwrap_or(0);
    (r.suspect != Access::Corpus, setting, test)
}

fn markdown(runs: &[Run], config: &ChatConfig, seeds: usize, page_delta: f32) -> String {
    let mut md = format!(
        "## The chat API: marks and their cost\n\n\
         {seeds} seeds from {}, the page's chat settings ({} tokens bought, {} steps). Each \
         text-only thief learns from names marked as below; the owner tests its {} probe names \
         with each test under its key (caught: p < {ALPHA}) and {} other keys (false alarms). \
         The honest user's cost is measured on {} names the API writes: KL(served ‖ plain) per \
         letter, the teacher's NLL of them, and the share that are distinct. ADFP's proxy is the \
         thieves' student trained by the owner on its own unmarked full distributions. The \
         page's δ is {page_delta}.\n\n\
         | mark | strength | KL/letter | teacher NLL of served | distinct names | test | caught | median z | false alarms |\n\
         |---|---|---|---|---|---|---|---|---|\n",
        config.seed,
        config.budget,
        config.steps,
        config.probe,
        frontier::WRONG_KEYS,
        frontier::SERVED,
    );
    for p in frontier::points(runs) {
        row(&mut md, &p);
    }
    let innocent: Vec<&Run> = runs
        .iter()
        .filter(|r| r.suspect == Access::Corpus)
        .collect();
    for test in Test::ALL {
        let these: Vec<&&Run> = innocent.iter().filter(|r| r.test == test).collect();
        writeln!(
            md,
            "\nThe innocent student of real names, {}: flagged in {} of {} seeds; false alarms {} of {}.",
            test.title(),
            these.iter().filter(|r| r.p < ALPHA).count(),
            these.len(),
            these.iter().map(|r| r.alarms).sum::<usize>(),
            these.iter().map(|r| r.keys).sum::<usize>(),
        )
        .unwrap();
    }
    md
}

fn row(md: &mut String, p: &Point) {
    writeln!(
        md,
        "| {} | {} | {:.3} | {:.3} | {:.1} % | {} | {}/{} | {:.2} | {}/{} |",
        p.scheme.name(),
        p.strength,
        p.kl,
        p.nll,
        100.0 * p.distinct,
        p.test.title(),
        p.caught,
        p.seeds,
        p.z,
        p.alarms,
        p.keys
    )
    .unwrap();
}
