//! The marks' frontier: what each mark on the chat API costs its honest users against how
//! surely the owner's test then catches the text-only copy. `report --experiment defences`
//! measures it over seeds ([`measure`]) and writes one CSV row per run ([`Run`]); the page
//! ships that file as `data/chat-marks.csv` and draws its [`points`] beside its own round.

use crate::charlm::model::CharLm;
use crate::chat::api::Access;
use crate::chat::cost;
use crate::chat::mark::{Fingerprint, Mark};
use crate::chat::study::{ALPHA, ChatConfig, Held, Round};
use crate::chat::watermark::{Test, Watermark};
use crate::measured::{self, Fields};
use crate::rng::Rng;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// How the API marks its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// The green list, δ added to green logits (strength 0: no mark).
    Green,
    /// ADFP, λ·p⊙(m − ⟨p, m⟩) with the owner's proxy.
    Adfp,
    /// ADFP's control: the proxy's probabilities shuffled.
    Shuffled,
}

impl Scheme {
    /// Every scheme, in the report's order.
    pub const ALL: [Scheme; 3] = [Scheme::Green, Scheme::Adfp, Scheme::Shuffled];

    /// The word the CSV uses.
    pub fn id(self) -> &'static str {
        match self {
            Scheme::Green => "green",
            Scheme::Adfp => "adfp",
            Scheme::Shuffled => "shuffled",
        }
    }

    /// How the report and the page name it.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Green => "green list",
            Scheme::Adfp => "ADFP",
            Scheme::Shuffled => "ADFP, proxy shuffled (control)",
        }
    }

    /// The mark at `strength` (δ or λ) under `key`; `proxy` is ADFP's.
    pub fn mark(self, strength: f32, key: u64, proxy: &CharLm) -> Option<Mark> {
        if strength == 0.0 {
            return None;
        }
        Some(match self {
            Scheme::Green => Mark::Green(Watermark {
                key,
                delta: strength,
            }),
            Scheme::Adfp | Scheme::Shuffled => Mark::Fingerprint(Box::new(Fingerprint {
                key,
                lambda: strength,
                proxy: proxy.clone(),
                shuffled: self == Scheme::Shuffled,
            })),
        })
    }
}

/// One suspect of one round under one test: a row of the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The API's mark.
    pub scheme: Scheme,
    /// Its δ or λ.
    pub strength: f32,
    /// The round's seed.
    pub seed: u64,
    /// The text-only thief, or the innocent student of real names (which reads no API).
    pub suspect: Access,
    /// The owner's test.
    pub test: Test,
    /// KL(served ‖ plain), nats a letter, on names the API writes for an honest user.
    pub kl: f64,
    /// The teacher's NLL of those names, nats a letter.
    pub nll: f64,
    /// Their share of distinct names.
    pub distinct: f64,
    /// The test's z under the owner's key.
    pub z: f64,
    /// Its p.
    pub p: f64,
    /// Other keys under which the same names gave p below [`ALPHA`].
    pub alarms: usize,
    /// Other keys tried.
    pub keys: usize,
}

/// The CSV's header line.
pub const HEADER: &str = "scheme,strength,seed,suspect,test,kl,nll,distinct,z,p,alarms,keys";

impl Run {
    /// The run as a CSV line (no newline).
    pub fn line(&self) -> String {
        format!(
            "{},{},{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6e},{},{}",
            self.scheme.id(),
            self.strength,
            self.seed,
            access_id(self.suspect),
            self.test.name(),
            self.kl,
            self.nll,
            self.distinct,
            self.z,
            self.p,
            self.alarms,
            self.keys
        )
    }
}

fn access_id(a: Access) -> &'static str {
    match a {
        Access::Corpus => "innocent",
        _ => "text",
    }
}

/// Reads the CSV `bytes` of the file `name`; a damaged file is named with its line and why,
/// and one short of a setting's seeds with the setting.
pub fn parse(bytes: &[u8], name: &str) -> Result<Vec<Run>, String> {
    let runs = measured::read(bytes, name, HEADER, row)?;
    let seeds: Vec<(String, usize)> = points(&runs)
        .iter()
        .map(|p| {
            let setting = format!(
                "{} {} under {}",
                p.scheme.name(),
                p.strength,
                p.test.title()
            );
            (setting, p.seeds)
        })
        .collect();
    measured::complete(name, &seeds)?;
    Ok(runs)
}

fn row(f: &Fields) -> Result<Run, String> {
    let suspect = match f.text(3) {
        "text" => Access::Text,
        "innocent" => Access::Corpus,
        other => return Err(format!("unknown suspect `{other}`")),
    };
    Ok(Run {
        scheme: f.choice(0, &Scheme::ALL, Scheme::id, "scheme")?,
        strength: f.number(1)? as f32,
        seed: f.count(2)? as u64,
        suspect,
        test: f.choice(4, &Test::ALL, Test::name, "test")?,
        kl: f.number(5)?,
        nll: f.number(6)?,
        distinct: f.number(7)?,
        z: f.number(8)?,
        p: f.number(9)?,
        alarms: f.count(10)?,
        keys: f.count(11)?,
    })
}

/// One point of the frontier: a scheme at one strength under one test, over its seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The mark.
    pub scheme: Scheme,
    /// Its δ or λ.
    pub strength: f32,
    /// The owner's test.
    pub test: Test,
    /// Mean KL per letter over the seeds.
    pub kl: f64,
    /// Mean teacher NLL of the served names.
    pub nll: f64,
    /// Mean share of distinct names served.
    pub distinct: f64,
    /// The text-only thief's median z.
    pub z: f64,
    /// Seeds in which it was caught (p below [`ALPHA`]).
    pub caught: usize,
    /// Seeds.
    pub seeds: usize,
    /// False alarms under other keys, over the text-only thief's and the innocent's names.
    pub alarms: usize,
    /// Other keys tried.
    pub keys: usize,
}

/// The text-only thief's points, one per (scheme, strength, test), in the runs' order.
pub fn points(runs: &[Run]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::new();
    for run in runs.iter().filter(|r| r.suspect == Access::Text) {
        let same =
            |p: &Point| p.scheme == run.scheme && p.strength == run.strength && p.test == run.test;
        if out.iter().any(same) {
            continue;
        }
        let these: Vec<&Run> = runs
            .iter()
            .filter(|r| {
                r.suspect == Access::Text
                    && r.scheme == run.scheme
                    && r.strength == run.strength
                    && r.test == run.test
            })
            .collect();
        let n = these.len() as f64;
        let z: Vec<f64> = these.iter().map(|r| r.z).collect();
        out.push(Point {
            scheme: run.scheme,
            strength: run.strength,
            test: run.test,
            kl: these.iter().map(|r| r.kl).sum::<f64>() / n,
            nll: these.iter().map(|r| r.nll).sum::<f64>() / n,
            distinct: these.iter().map(|r| r.distinct).sum::<f64>() / n,
            z: measured::median(&z),
            caught: these.iter().filter(|r| r.p < ALPHA).count(),
            seeds: these.len(),
            alarms: these.iter().map(|r| r.alarms).sum(),
            keys: these.iter().map(|r| r.keys).sum(),
        });
    }
    out
}

/// Names an honest user is served for the cost measures.
pub const SERVED: usize = 1_000;

/// Other keys each suspect's names are tested under.
pub const WRONG_KEYS: usize = 100;

/// The runs of one seed at `scheme` and `strength`: a round of `config` (its seed replaced)
/// with the text-only thief alone under that mark, its probe names tested with every test
/// under the owner's key and [`WRONG_KEYS`] others, and the cost of [`SERVED`] names.
#[allow(clippy::too_many_arguments)]
pub fn measure(
    teacher: &CharLm,
    train: &[Vec<u8>],
    held: &[Vec<u8>],
    config: &ChatConfig,
    scheme: Scheme,
    strength: f32,
    proxy: &CharLm,
    seed: u64,
    device: &Device,
) -> Vec<Run> {
    let config = ChatConfig {
        seed,
        watermark: true,
        ..config.clone()
    };
    let mark = scheme.mark(strength, config.key, proxy);
    let cost = cost::of(teacher, mark.as_ref(), SERVED, seed, device);
    let mut round = Round::marked(
        teacher,
        train,
        &Held::new(teacher, held),
        config.clone(),
        &[Access::Text],
        mark,
        device,
    );
    round.step(config.steps);
    let names = round.probes().remove(0);
    tested(&names, Access::Text, scheme, strength, &config, cost)
}

/// The innocent student's runs on `seed`: real names as many tokens as a thief buys, its
/// probe names tested like a thief's (it reads no API: its rows carry the unmarked setting).
pub fn innocent(
    teacher: &CharLm,
    train: &[Vec<u8>],
    held: &[Vec<u8>],
    config: &ChatConfig,
    seed: u64,
    device: &Device,
) -> Vec<Run> {
    let config = ChatConfig {
        seed,
        ..config.clone()
    };
    let round = unmarked(teacher, train, held, &config, Access::Corpus, device);
    let names = round.probes().remove(0);
    let cost = cost::of(teacher, None, SERVED, seed, device);
    tested(&names, Access::Corpus, Scheme::Green, 0.0, &config, cost)
}

/// The owner's proxy for ADFP: the thieves' student, trained by the owner on its own
/// teacher's full distributions of unmarked names (its own seed, the round's other settings).
pub fn proxy(
    teacher: &CharLm,
    train: &[Vec<u8>],
    held: &[Vec<u8>],
    config: &ChatConfig,
    device: &Device,
) -> CharLm {
    let config = ChatConfig {
        seed: config.seed ^ 0x0DF9_0000,
        probe: 0,
        ..config.clone()
    };
    unmarked(teacher, train, held, &config, Access::Full, device)
        .students()
        .remove(0)
}

/// A round of `config` with the API unmarked and one thief of `access`, run to its end.
fn unmarked(
    teacher: &CharLm,
    train: &[Vec<u8>],
    held: &[Vec<u8>],
    config: &ChatConfig,
    access: Access,
    device: &Device,
) -> Round {
    let config = ChatConfig {
        watermark: false,
        ..config.clone()
    };
    let mut round = Round::new(teacher, train, held, config.clone(), &[access], device);
    round.step(config.steps);
    round
}

fn tested(
    names: &[Vec<u8>],
    suspect: Access,
    scheme: Scheme,
    strength: f32,
    config: &ChatConfig,
    cost: cost::Cost,
) -> Vec<Run> {
    let mut rng = Rng::fork(config.seed, "wrong keys");
    let keys: Vec<u64> = (0..WRONG_KEYS)
        .map(|_| rng.next_u64())
        .filter(|&k| k != config.key)
        .collect();
    Test::ALL
        .into_iter()
        .map(|test| {
            let v = test.score(names, config.key);
            Run {
                scheme,
                strength,
                seed: config.seed,
                suspect,
                test,
                kl: cost.kl,
                nll: cost.nll,
                distinct: cost.distinct,
                z: v.z,
                p: v.p,
                alarms: keys
                    .iter()
                    .filter(|&&k| test.score(names, k).p < ALPHA)
                    .count(),
                keys: keys.len(),
            }
        })
        .collect()
}

/// The frontier the page ships, where `report --experiment defences` writes it.
#[cfg(test)]
pub(crate) const SHIPPED: &[u8] = include_bytes!("../../../www/data/chat-marks.csv");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn run(scheme: Scheme, strength: f32, seed: u64, z: f64, p: f64) -> Run {
        Run {
            scheme,
            strength,
            seed,
            suspect: Access::Text,
            test: Test::Letters,
            kl: 0.1 * f64::from(strength),
            nll: 2.0,
            distinct: 0.9,
            z,
            p,
            alarms: 0,
            keys: 100,
        }
    }

    #[test]
    fn the_csv_reads_back_what_it_wrote_and_names_damage() {
        let runs = [
            run(Scheme::Green, 1.5, 1, 4.25, 1e-5),
            run(Scheme::Shuffled, 16.0, 2, -0.5, 0.7),
        ];
        let text = std::iter::once(HEADER.to_string())
            .chain(runs.iter().map(Run::line))
            .collect::<Vec<_>>()
            .join("\n");
        let back = parse(text.as_bytes(), "marks.csv").unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(
            (back[0].scheme, back[0].strength, back[0].z),
            (Scheme::Green, 1.5, 4.25)
        );
        assert_eq!(back[1].scheme, Scheme::Shuffled);
        let damaged = text.replace("4.250000", "four");
        let e = parse(damaged.as_bytes(), "marks.csv").unwrap_err();
        assert!(
            e.starts_with("marks.csv, line 2:") && e.contains("four"),
            "{e}"
        );
        assert!(
            parse(b"nothing", "marks.csv")
                .unwrap_err()
                .contains("first line")
        );
        assert!(
            parse(HEADER.as_bytes(), "marks.csv")
                .unwrap_err()
                .contains("no measurements")
        );
    }

    #[test]
    fn a_point_is_the_median_z_and_the_seeds_caught() {
        let runs = vec![
            run(Scheme::Green, 1.0, 1, 5.0, 1e-6),
            run(Scheme::Green, 1.0, 2, 1.0, 0.2),
            run(Scheme::Green, 1.0, 3, 4.0, 1e-4),
            run(Scheme::Adfp, 8.0, 1, 2.0, 0.02),
        ];
        let points = points(&runs);
        assert_eq!(points.len(), 2);
        let p = points[0];
        assert_eq!((p.z, p.caught, p.seeds), (4.0, 2, 3));
        assert!((p.kl - 0.1).abs() < 1e-12);
        assert_eq!((points[1].scheme, points[1].caught), (Scheme::Adfp, 0));
    }

    #[test]
    fn the_shipped_frontier_is_what_the_code_measures() {
        // The page's chart reads data/chat-marks.csv: its green-list costs on seed 1 and the
        // text-only thief's z at the page's δ on seed 1 must be what the code measures now.
        let runs = parse(SHIPPED, "chat-marks.csv").unwrap();
        let (teacher, train, held) = crate::report::chat::shipped().unwrap();
        let held = &held[..crate::chat::study::HELD];
        let device = Device::flex();
        let config = ChatConfig::from_config(&Config::default());
        let seed_1 = |scheme, strength, test| {
            runs.iter()
                .find(|r| {
                    r.seed == 1
                        && r.suspect == Access::Text
                        && r.scheme == scheme
                        && r.strength == strength
                        && r.test == test
                })
                .copied()
                .unwrap_or_else(|| panic!("{scheme:?} {strength} {test:?} on seed 1"))
        };
        for run in runs
            .iter()
            .filter(|r| r.seed == 1 && r.scheme == Scheme::Green)
        {
            let mark = Scheme::Green.mark(run.strength, config.key, &teacher);
            let cost = cost::of(&teacher, mark.as_ref(), SERVED, 1, &device);
            assert!(
                (cost.kl - run.kl).abs() < 2e-6,
                "δ {}: KL {} vs {}",
                run.strength,
                cost.kl,
                run.kl
            );
            assert!(
                (cost.nll - run.nll).abs() < 2e-6,
                "δ {}: NLL {} vs {}",
                run.strength,
                cost.nll,
                run.nll
            );
            assert!((cost.distinct - run.distinct).abs() < 2e-6);
        }
        let delta = config.delta;
        let measured = measure(
            &teacher,
            &train,
            held,
            &config,
            Scheme::Green,
            delta,
            &teacher,
            1,
            &device,
        );
        for test in Test::ALL {
            let shipped = seed_1(Scheme::Green, delta, test);
            let now = measured.iter().find(|r| r.test == test).unwrap();
            assert!(
                (now.z - shipped.z).abs() < 2e-6,
                "{test:?}: z {} vs {}",
                now.z,
                shipped.z
            );
            assert_eq!(now.alarms, shipped.alarms);
        }
    }
}
