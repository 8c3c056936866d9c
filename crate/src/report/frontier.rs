//! The reasoner API's half of `distill report --experiment defences` ([`frontier`]): the
//! working shown, summarised and hidden; the working rewritten; hotter sampling; antidistillation
//! sampling at several λ and its random-direction control, each measured by the honest user's
//! accuracy and the thief's, over seeds. Writes reasoner-defences.csv (the page's
//! `data/reasoner-defences.csv`) and reasoner-defences.svg, and returns its Markdown section.

use crate::plot;
use crate::reasoner::defence::Policy;
use crate::reasoner::frontier::{self, HEADER, Point, Run};
use crate::reasoner::proxy::Proxy;
use crate::reasoner::study::{Access, ReasonerConfig};
use crate::reasoner::teacher::SPLIT;
use crate::report::reasoner::shipped;
use crate::report::{over_seeds, write_csv};
use std::fmt::Write as _;
use std::path::Path;

/// Runs the reasoner's frontier for `seeds` seeds from `config.seed` and writes its files into
/// `out`; returns its Markdown section. `page` is the page's policy, marked on the chart.
pub fn write(
    config: &ReasonerConfig,
    seeds: u64,
    page: Policy,
    out: &Path,
    log: impl Fn(&str) + Sync,
) -> Result<String, String> {
    let teacher = shipped()?;
    let seeds: Vec<u64> = (config.seed..config.seed + seeds).collect();
    let mut runs: Vec<Run> = over_seeds(&seeds, |seed, device| {
        let proxy = Proxy::train(&teacher, SPLIT, seed, device);
        let mut runs = Vec::new();
        for (policy, accesses) in frontier::settings() {
            let round = ReasonerConfig {
                seed,
                policy,
                accesses,
                ..config.clone()
            };
            let these = frontier::measure(&teacher, SPLIT, round, Some(&proxy), device);
            for r in &these {
                log(&format!(
                    "seed {seed}, {}: teacher {:.3}, thief {:.3}",
                    frontier::label(r.policy(), r.access),
                    r.teacher,
                    r.thief
                ));
            }
            runs.extend(these);
        }
        runs
    });
    // The settings' order, then the thieves', then the seeds'.
    let order = |r: &Run| {
        let at = frontier::settings().iter().position(|(p, _)| {
            p.defence == r.defence && p.tau == r.tau && p.strength() == r.lambda
        });
        (at, r.access as usize, r.seed)
    };
    runs.sort_by_key(order);
    write_csv(
        &out.join("reasoner-defences.csv"),
        HEADER,
        runs.iter().map(Run::line),
    )?;
    let points = frontier::points(&runs);
    crate::report::svg(&out.join("reasoner-defences.svg"), (900, 560), |area| {
        plot::defences::draw(area, &points, None, page, 1.0)
    })?;
    Ok(markdown(&points, config, seeds.len(), page))
}

fn markdown(points: &[Point], config: &ReasonerConfig, seeds: usize, page: Policy) -> String {
    let mut md = format!(
        "## The reasoner API: defences and what they leave the honest user\n\n\
         {seeds} seeds from {}, the page's reasoner settings ({} problems bought, {} steps, \
         students {} wide). The honest user's accuracy is the teacher's on the 300 held-out \
         problems, worked out and served through the defended API; the thief's is its student's \
         on the same problems at the round's end. ADS's proxy is a student of the thieves' \
         default shape trained by the owner on 1,000 worked answers of its own; λ multiplies Δ \
         normalised to an RMS of one over the candidates. The page's setting is {}.\n\n\
         | setting | working shown to the user | honest user's accuracy | thief's accuracy | seeds |\n\
         |---|---|---|---|---|\n",
        config.seed,
        config.problems,
        config.steps,
        config.student.width,
        frontier::label(page, Access::Working),
    );
    for p in points {
        writeln!(
            md,
            "| {} | {} | {:.1} % | {:.1} ± {:.1} % | {} |",
            p.label,
            if p.working_shown() { "yes" } else { "no" },
            100.0 * p.teacher,
            100.0 * p.thief,
            100.0 * p.thief_sd,
            p.seeds
        )
        .unwrap();
    }
    md
}
