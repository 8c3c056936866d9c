//! The chat chapter from the command line: `distill chat-teacher` trains the names teacher the
//! page ships; `distill report --experiment chat` runs [`study::run`] over token budgets and
//! seeds and writes chat.md (mean ± std per access level and budget, detection and
//! false-positive rates per suspect) and chat.csv (every seed).

use crate::charlm::lm::{self, Examples, Trainer, Training};
use crate::charlm::model::CharLm;
use crate::charlm::weights;
use crate::chat::api::Access;
use crate::chat::corpus::{self, HELD_OUT};
use crate::chat::cost::{self, Cost};
use crate::chat::frontier;
use crate::chat::model;
use crate::chat::study::{self, ALPHA, ChatConfig, HELD, Round, Suspect};
use crate::report::mean_std;
use crate::rng::Rng;
use burn::tensor::Device;
use std::fmt::Write as _;
use std::path::Path;

/// Where `cargo xtask names` writes the names, from this crate's directory.
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/names.bin");

/// Where the page looks for the chat teacher, from this crate's directory.
pub const TEACHER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/data/names-teacher.bpk");

/// The split every chat figure uses.
pub const SPLIT_SEED: u64 = 1;

/// Token budgets the report sweeps.
const BUDGETS: [usize; 3] = [5_000, 20_000, 80_000];

/// Names as symbol indices, one `Vec` a name.
type Names = Vec<Vec<u8>>;

/// Keys other than the owner's each suspect is tested under, for the false-alarm rate.
const WRONG_KEYS: usize = 100;

/// One suspect of one round: its budget and seed, the suspect, and how many of how many wrong
/// keys flagged it.
type Row = (usize, u64, Suspect, usize, usize);

/// Reads and splits the names file at `path` into `(train, held_out)`.
pub fn load(path: &Path) -> Result<(Names, Names), String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "cannot read {}: {e} (`cargo xtask names` writes it)",
            path.display()
        )
    })?;
    let names = corpus::parse(&bytes, &path.display().to_string())?;
    Ok(corpus::split(&names, HELD_OUT, SPLIT_SEED))
}

/// The shipped teacher and the split names, as the page has them.
pub fn shipped() -> Result<(CharLm, Names, Names), String> {
    let (train, held) = load(Path::new(DATA))?;
    let bytes = std::fs::read(TEACHER).map_err(|e| format!("cannot read {TEACHER}: {e}"))?;
    let teacher = weights::load(&model::TEACHER, &bytes, TEACHER, &Device::flex())?;
    Ok((teacher.model, train, held))
}

/// Trains the teacher for `steps` steps (batch 64, Adam, peak lr 0.005 on a cosine) and
/// returns its file's bytes and its held-out NLL as read back from them; `log` hears progress
/// every 1,000 steps.
pub fn teacher(steps: usize, data: &Path, log: impl Fn(&str)) -> Result<(Vec<u8>, f64), String> {
    let (train, held) = load(data)?;
    let device = Device::flex();
    let config = model::teacher();
    let training = Training {
        steps,
        batch: 64,
        lr: 0.005,
        temperature: 1.0,
        seed: SPLIT_SEED,
    };
    let examples = Examples::one_hot(train, corpus::SYMBOLS);
    let mut trainer = Trainer::new(&config, training, &device);
    while trainer.done() < steps {
        let n = 1_000.min(steps - trainer.done());
        let loss = trainer.step(&examples, n);
        let nll = lm::nll(&trainer.model(), &held[..2_000], &device);
        log(&format!(
            "step {:6}: batch loss {loss:.3}, held-out NLL (2,000 names) {nll:.3}",
            trainer.done()
        ));
    }
    let bytes = weights::save(
        &model::TEACHER,
        &trainer.model(),
        &config,
        SPLIT_SEED,
        steps,
    )?;
    let back = weights::load(&model::TEACHER, &bytes, "the new teacher", &device)?;
    Ok((bytes, lm::nll(&back.model, &held, &device)))
}

/// Runs the sweep for `seeds` seeds from `config.seed` and writes chat.md and chat.csv into
/// `out`; returns the Markdown.
pub fn write(
    config: &ChatConfig,
    seeds: usize,
    out: &Path,
    log: impl Fn(&str),
) -> Result<String, String> {
    let (teacher, train, held) = shipped()?;
    let device = Device::flex();
    let held = &held[..HELD];
    let mut rows: Vec<Row> = Vec::new();
    for &budget in &BUDGETS {
        for seed in config.seed..config.seed + seeds as u64 {
            let round = ChatConfig {
                budget,
                seed,
                ..config.clone()
            };
            let mut run = Round::new(&teacher, &train, held, round, &Access::ALL, &device);
            run.step(config.steps);
            let mut keys = Rng::fork(seed, "wrong keys");
            let keys: Vec<u64> = (0..WRONG_KEYS)
                .map(|_| keys.next_u64())
                .filter(|&k| k != config.key)
                .collect();
            let alarms = run.false_alarms(&keys);
            for (suspect, alarms) in run.outcome().thieves.into_iter().zip(alarms) {
                let last = suspect.last();
                log(&format!(
                    "budget {budget:6} seed {seed}: {:20} NLL {:.3} KL {:.3} p {:.1e}, \
                     {alarms} of {} wrong keys flag it",
                    suspect.name,
                    last.nll,
                    last.kl,
                    suspect.verdict.p,
                    keys.len()
                ));
                rows.push((budget, seed, suspect, alarms, keys.len()));
            }
        }
    }
    let teacher_nll = lm::nll(&teacher, held, &device);
    let mark = study::green_mark(config);
    let cost = cost::of(
        &teacher,
        mark.as_ref(),
        frontier::SERVED,
        config.seed,
        &device,
    );
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let md = markdown(config, seeds, &rows, teacher_nll, cost);
    let mut csv = String::from(
        "budget,seed,access,nll,kl,scored,green,z,p,wrong_key_p,false_alarms,wrong_keys\n",
    );
    for (budget, seed, s, alarms, keys) in &rows {
        let _ = writeln!(
            csv,
            "{budget},{seed},{},{:.4},{:.4},{},{},{:.3},{:.3e},{:.3e},{alarms},{keys}",
            s.name,
            s.last().nll,
            s.last().kl,
            s.verdict.scored,
            s.verdict.green,
            s.verdict.z,
            s.verdict.p,
            s.wrong_key.p
        );
    }
    for (name, text) in [("chat.md", &md), ("chat.csv", &csv)] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(md)
}

fn markdown(
    config: &ChatConfig,
    seeds: usize,
    rows: &[Row],
    teacher_nll: f64,
    cost: Cost,
) -> String {
    let mut md = format!(
        "# Distil a chatbot: {seeds} seeds per budget\n\n\
         Teacher {} parameters, held-out NLL {teacher_nll:.3} nats/char ({HELD} held-out names; \
         uniform is {:.3}). The watermark (δ = {}, tested on every letter) costs an honest user, on \
         {} names the API writes: KL {:.3} nats a letter from the plain teacher, the teacher's \
         NLL of them {:.3} nats a letter, {:.1} % of them distinct. \
         Students {} parameters, {} steps of {} names, buying tokens evenly as they train; \
         top-k k = {}, T = {}. \
         Each suspect writes {} names for the watermark test; caught means p < {ALPHA:e}.\n\n\
         False alarms: how many of {WRONG_KEYS} other keys flag the suspect's names, over every seed.\n\n\
         | tokens bought | access | held-out NLL | KL(teacher ‖ student) | caught (right key) | \
         false alarms (other keys) | median p |\n|---|---|---|---|---|---|---|\n",
        model::teacher().num_params(),
        (corpus::SYMBOLS as f64).ln(),
        config.delta,
        cost.names,
        cost.kl,
        cost.nll,
        100.0 * cost.distinct,
        config.student.num_params(),
        config.steps,
        config.batch,
        config.k,
        config.temperature,
        config.probe,
    );
    for &budget in &BUDGETS {
        for access in Access::ALL {
            let here: Vec<&Row> = rows
                .iter()
                .filter(|(b, _, s, _, _)| *b == budget && s.access == access)
                .collect();
            let of: Vec<&Suspect> = here.iter().map(|(_, _, s, _, _)| s).collect();
            let false_alarms: usize = here.iter().map(|r| r.3).sum();
            let tested: usize = here.iter().map(|r| r.4).sum();
            let (nll, nll_sd) =
                mean_std(&of.iter().map(|s| s.last().nll as f32).collect::<Vec<_>>());
            let (kl, kl_sd) = mean_std(&of.iter().map(|s| s.last().kl as f32).collect::<Vec<_>>());
            let caught = of.iter().filter(|s| s.verdict.p < ALPHA).count();
            let mut p: Vec<f64> = of.iter().map(|s| s.verdict.p).collect();
            p.sort_by(f64::total_cmp);
            let _ = writeln!(
                md,
                "| {budget} | {} | {nll:.3} ± {nll_sd:.3} | {kl:.3} ± {kl_sd:.3} | {caught}/{} | \
                 {false_alarms}/{tested} | {:.1e} |",
                access.name(),
                of.len(),
                p.get(p.len() / 2).copied().unwrap_or(f64::NAN),
            );
        }
    }
    if let Some((_, _, s, _, _)) = rows.iter().rev().find(|r| r.2.access == Access::Text) {
        let _ = writeln!(
            md,
            "\nNames the text-only student wrote at the largest budget: {}",
            s.samples
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    md
}
