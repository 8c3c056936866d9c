//! `distill report --experiment watermark-tests`: the chat API's watermark under the owner's
//! two tests, side by side, at several strengths δ. For each δ and seed a chat round trains
//! the text-only thief (which learns from the watermarked names) and, as the innocent model,
//! the student of real names; the owner then tests each one's probe names with the test the
//! page uses (distinct pairs, exact binomial: [`watermark::detect`]) and with every position
//! scored, repeats corrected, its p from the normal curve ([`watermark::detect_all`]) or from
//! 2,000 random keys ([`watermark::detect_all_against_keys`]), under its key and under
//! [`WRONG_KEYS`] others. Writes watermark-tests.md and watermark-tests.csv.

use crate::chat::api::Access;
use crate::chat::study::{ALPHA, ChatConfig, Round};
use crate::chat::watermark::{self, Verdict};
use crate::report::chat::shipped;
use crate::rng::Rng;
use crate::table::field;
use burn::tensor::Device;
use std::fmt::Write as _;
use std::path::Path;

/// Watermark strengths measured.
pub const DELTAS: [f32; 3] = [1.0, 2.0, 4.0];

/// Other keys each suspect is tested under, per round.
pub const WRONG_KEYS: usize = 100;

/// Random keys the key-permutation p of the all-positions test is read against.
pub const NULL_KEYS: usize = 2_000;

/// The all-positions test with its p against [`NULL_KEYS`] random keys.
fn against_keys(names: &[Vec<u8>], key: u64) -> Verdict {
    watermark::detect_all_against_keys(names, key, NULL_KEYS)
}

/// A test of a suspect's names under a key.
type Test = fn(&[Vec<u8>], u64) -> Verdict;

/// The tests, in the report's order.
const TESTS: [(&str, Test); 3] = [
    ("distinct pairs", watermark::detect),
    ("all positions, normal p", watermark::detect_all),
    ("all positions, p against random keys", against_keys),
];

/// What one test said of one suspect in one round.
struct Case {
    delta: f32,
    seed: u64,
    suspect: &'static str,
    test: &'static str,
    z: f64,
    p: f64,
    alarms: usize,
    keys: usize,
}

/// Runs the comparison for `seeds` seeds from `config.seed` (its other chat knobs as given)
/// and writes the report into `out`; returns the Markdown.
pub fn write(
    config: &ChatConfig,
    seeds: u64,
    out: &Path,
    log: impl Fn(&str),
) -> Result<String, String> {
    let (teacher, train, held) = shipped()?;
    let device = Device::flex();
    let held = &held[..crate::chat::study::HELD];
    let suspects = [
        (Access::Text, "text-only thief"),
        (Access::Corpus, "innocent"),
    ];
    let accesses = suspects.map(|(a, _)| a);
    let mut cases = Vec::new();
    for delta in DELTAS {
        for seed in config.seed..config.seed + seeds {
            let round = ChatConfig {
                delta,
                seed,
                ..config.clone()
            };
            let mut run = Round::new(&teacher, &train, held, round.clone(), &accesses, &device);
            run.step(round.steps);
            let mut keys = Rng::fork(seed, "wrong keys");
            let keys: Vec<u64> = (0..WRONG_KEYS)
                .map(|_| keys.next_u64())
                .filter(|&k| k != round.key)
                .collect();
            for ((_, suspect), names) in suspects.iter().zip(run.probes()) {
                for (test, score) in TESTS {
                    let v = score(&names, round.key);
                    let alarms = keys.iter().filter(|&&k| score(&names, k).p < ALPHA).count();
                    log(&format!(
                        "δ {delta} seed {seed}: {suspect}, {test}: z {:.2}, p {:.1e}, \
                         {alarms} of {} wrong keys",
                        v.z,
                        v.p,
                        keys.len()
                    ));
                    cases.push(Case {
                        delta,
                        seed,
                        suspect,
                        test,
                        z: v.z,
                        p: v.p,
                        alarms,
                        keys: keys.len(),
                    });
                }
            }
        }
    }
    let mut md = format!(
        "# The owner's two watermark tests\n\n\
         The chat API's watermark at δ = {}, {} seeds from {}, the page's other chat settings. \
         Each suspect's {} probe names are tested with its key and {WRONG_KEYS} others; \
         caught means p < {ALPHA}; the key-permutation p is read against {NULL_KEYS} random keys.\n\n\
         | δ | suspect | test | caught | median z | false alarms (other keys) |\n\
         |---|---|---|---|---|---|\n",
        DELTAS.map(|d| d.to_string()).join(", "),
        seeds,
        config.seed,
        config.probe,
    );
    let mut csv = String::from("delta,seed,suspect,test,z,p,false_alarms,keys\n");
    for c in &cases {
        writeln!(
            csv,
            "{},{},{},{},{:.4},{:.3e},{},{}",
            c.delta,
            c.seed,
            field(c.suspect),
            field(c.test),
            c.z,
            c.p,
            c.alarms,
            c.keys
        )
        .unwrap();
    }
    for delta in DELTAS {
        for (_, suspect) in suspects {
            for (test, _) in TESTS {
                let these: Vec<&Case> = cases
                    .iter()
                    .filter(|c| c.delta == delta && c.suspect == suspect && c.test == test)
                    .collect();
                let caught = these.iter().filter(|c| c.p < ALPHA).count();
                let mut z: Vec<f64> = these.iter().map(|c| c.z).collect();
                z.sort_by(f64::total_cmp);
                let alarms: usize = these.iter().map(|c| c.alarms).sum();
                writeln!(
                    md,
                    "| {delta} | {suspect} | {test} | {caught}/{} | {:.2} | {alarms}/{} |",
                    these.len(),
                    z[z.len() / 2],
                    these.iter().map(|c| c.keys).sum::<usize>()
                )
                .unwrap();
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, text) in [("watermark-tests.md", &md), ("watermark-tests.csv", &csv)] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(md)
}
