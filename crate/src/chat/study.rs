//! One round of the chat chapter: the API sells the same names to every thief, each thief
//! trains the same small student on what its access level shows of them, buying tokens evenly
//! as it trains, and the owner measures each student (held-out NLL, KL from the teacher) and
//! tests its text for the watermark, under the right key and a wrong one, at every
//! checkpoint. The page steps a round in its Worker; the command line runs it to the end.

use crate::api::Account;
use crate::charlm::lm::{self, Examples, Training};
use crate::charlm::model::{CharLm, CharLmConfig, Plain, sample};
use crate::charlm::stack::Students;
use crate::chat::api::{Access, Seller, corpus_examples, target};
use crate::chat::corpus::{MAX_LETTERS, SYMBOLS, decode};
use crate::chat::cost::Cost;
use crate::chat::mark::Mark;
use crate::chat::model;
use crate::chat::watermark::{self, Test, Verdict, Watermark};
use crate::config::Config;
use crate::rng::Rng;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// Checkpoints per round after the untrained one: the curves' points.
pub const CHECKPOINTS: usize = 20;
/// p-value under which a suspect counts as caught.
pub const ALPHA: f64 = 1e-3;
/// Held-out names every figure is measured on.
pub const HELD: usize = 1_000;
/// Names each model shows as its samples.
const SHOWN: usize = 6;

/// Every setting of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatConfig {
    /// Tokens each thief buys (letters and end markers).
    pub budget: usize,
    /// Tokens shown per position by the top-k levels.
    pub k: usize,
    /// Softening of soft targets and students (1: none).
    pub temperature: f32,
    /// The students' shape.
    pub student: CharLmConfig,
    /// Adam steps per student.
    pub steps: usize,
    /// Names per step.
    pub batch: usize,
    /// Peak learning rate.
    pub lr: f32,
    /// Whether the API watermarks its text.
    pub watermark: bool,
    /// The watermark's green-logit bonus.
    pub delta: f32,
    /// The owner's key.
    pub key: u64,
    /// The owner's test of a suspect's names.
    pub test: Test,
    /// Price per 1,000 tokens.
    pub price: f32,
    /// Tokens per simulated second the API serves.
    pub rate: f32,
    /// Names each suspect is asked to write for the watermark test.
    pub probe: usize,
    /// Seeds the API's sampling, the students and the probes.
    pub seed: u64,
}

impl ChatConfig {
    /// The round the knobs of `config` describe (its `chat_*` knobs and its seed).
    pub fn from_config(config: &Config) -> Self {
        Self {
            budget: config.chat_budget,
            k: config.chat_k,
            temperature: 1.0,
            student: model::shape(8, config.chat_student),
            steps: config.chat_steps,
            batch: 32,
            lr: 0.01,
            watermark: config.chat_watermark,
            delta: config.chat_delta,
            key: 42,
            test: config.chat_test,
            price: config.chat_price,
            rate: config.chat_rate,
            probe: 300,
            seed: config.seed,
        }
    }
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self::from_config(&Config::default())
    }
}

/// A wrong key: what an owner who tests with the wrong secret (or an accuser with none) sees.
pub fn wrong_key(key: u64) -> u64 {
    key ^ 0x5DEE_CE66_D1CE_B00C
}

/// A student measured at one checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Tokens its thief had bought.
    pub tokens: usize,
    /// Held-out NLL, nats per character.
    pub nll: f64,
    /// KL(teacher ‖ student) on the held-out names, nats per character.
    pub kl: f64,
}

/// A name as the page shows it: its letters, and whether each character (the end marker
/// last) is green under the owner's key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The letters.
    pub text: String,
    /// One flag per letter and one for the end marker.
    pub green: Vec<bool>,
}

impl Sample {
    fn new(name: &[u8], key: u64) -> Self {
        let green = name
            .iter()
            .chain([&crate::chat::corpus::END])
            .enumerate()
            .map(|(i, &t)| watermark::green(key, watermark::context(&name[..i]), t))
            .collect();
        Self {
            text: decode(name),
            green,
        }
    }
}

/// One thief: what it bought and the owner's latest measurements of its student.
struct Thief {
    access: Access,
    examples: Examples,
    /// Tokens bought once each example is in: running totals.
    ends: Vec<usize>,
    points: Vec<Point>,
    samples: Vec<Vec<u8>>,
    verdict: Verdict,
    wrong_key: Verdict,
}

/// The held-out names every figure is measured on (the first [`HELD`]), with the teacher's
/// log-probabilities on them: scored once per teacher, when a round first measures (its first
/// checkpoint, not its start, so that its students train at once), and shared by its rounds.
#[derive(Clone)]
pub struct Held(std::sync::Arc<HeldNames>);

struct HeldNames {
    names: Vec<Vec<u8>>,
    teacher: CharLm,
    scored: std::sync::OnceLock<Scored>,
}

/// The teacher on the held-out names.
struct Scored {
    lp: Vec<Vec<f32>>,
    /// The same as probabilities: what every student's KL weighs by, at every checkpoint.
    p: Vec<Vec<f64>>,
    nll: f64,
}

impl Held {
    /// The first [`HELD`] of `held`, to be scored by `teacher` when first measured on.
    pub fn new(teacher: &CharLm, held: &[Vec<u8>]) -> Self {
        Self(std::sync::Arc::new(HeldNames {
            names: held.iter().take(HELD).cloned().collect(),
            teacher: teacher.clone(),
            scored: std::sync::OnceLock::new(),
        }))
    }

    /// The teacher's scores, computed on the first call.
    fn scored(&self, device: &Device) -> &Scored {
        let held = &self.0;
        held.scored.get_or_init(|| {
            let lp = lm::log_probs(&held.teacher, &held.names, device);
            Scored {
                nll: lm::nll_of(&held.names, &lp),
                p: lm::probs(&lp),
                lp,
            }
        })
    }

    /// The teacher's held-out NLL, once scored.
    fn teacher_nll(&self) -> Option<f64> {
        self.0.scored.get().map(|scored| scored.nll)
    }
}

/// The mark `config` asks of the API: its green list, if it watermarks.
pub fn green_mark(config: &ChatConfig) -> Option<Mark> {
    config.watermark.then_some(Mark::Green(Watermark {
        key: config.key,
        delta: config.delta,
    }))
}

/// A round in progress: the API selling names as the students train, what it has sold (each
/// name's distributions computed once, when it is written), and one student per thief.
pub struct Round {
    config: ChatConfig,
    held: Held,
    seller: Seller,
    /// The names sold so far, each with the teacher's distribution at every token.
    answers: Vec<(Vec<u8>, Vec<f32>)>,
    /// Tokens bought once each answer is in: running totals.
    answer_ends: Vec<usize>,
    thieves: Vec<Thief>,
    /// Their students, one per thief in order, trained side by side.
    students: Students,
    /// The students as they started, until the first checkpoint measures them.
    untrained: Option<Vec<CharLm>>,
    done: usize,
    device: Device,
}

/// A thief as the owner and the page see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suspect {
    /// What its thief saw.
    pub access: Access,
    /// How the page names that.
    pub name: String,
    /// Its student's parameters.
    pub params: usize,
    /// Of the teacher's.
    pub fraction: f64,
    /// One per checkpoint so far.
    pub points: Vec<Point>,
    /// Names it writes now.
    pub samples: Vec<Sample>,
    /// The watermark test of the names it writes now, under the owner's key.
    pub verdict: Verdict,
    /// The same names under a wrong key.
    pub wrong_key: Verdict,
    /// Whether the owner's key flags it: p below [`ALPHA`].
    pub caught: bool,
}

impl Suspect {
    /// Its latest measurement.
    pub fn last(&self) -> Point {
        *self
            .points
            .last()
            .expect("measured from the first checkpoint on")
    }
}

/// The teacher as measured.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct TeacherView {
    /// Its parameters.
    pub params: usize,
    /// Held-out NLL, nats per character; none before the round's first checkpoint.
    pub nll: Option<f64>,
}

/// Where a round stands: what the page draws and the report tabulates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    /// Steps taken, of `steps`.
    pub step: usize,
    /// Steps in all.
    pub steps: usize,
    /// Whether every step is taken.
    pub done: bool,
    /// Tokens each thief has bought, of `budget`.
    pub tokens: usize,
    /// Tokens each thief buys in all.
    pub budget: usize,
    /// Dollars spent so far.
    pub bill: f64,
    /// Simulated seconds spent, waiting on the rate limit included.
    pub seconds: f64,
    /// Whether the API watermarks.
    pub watermark: bool,
    /// The watermark's δ.
    pub delta: f32,
    /// The owner's test.
    pub test: Test,
    /// What the API's marking has cost its users so far, on every name it wrote.
    pub cost: Cost,
    /// Top-k's k.
    pub k: usize,
    /// The p-value under which a suspect counts as caught.
    pub alpha: f64,
    /// The teacher.
    pub teacher: TeacherView,
    /// The latest names the API sold.
    pub api_samples: Vec<Sample>,
    /// Every thief, in the order asked for.
    pub thieves: Vec<Suspect>,
}

impl Round {
    /// Opens an account with the API of `teacher`, gives each thief in `accesses` a fresh
    /// student, to be measured untrained at the first checkpoint; `train` is the corpus the
    /// no-teacher thief reads, the first [`HELD`] of `held` what every figure is measured on.
    /// Names are bought as the students train. The API's mark is the config's green list.
    pub fn new(
        teacher: &CharLm,
        train: &[Vec<u8>],
        held: &[Vec<u8>],
        config: ChatConfig,
        accesses: &[Access],
        device: &Device,
    ) -> Self {
        let held = Held::new(teacher, held);
        let mark = green_mark(&config);
        Self::marked(teacher, train, &held, config, accesses, mark, device)
    }

    /// [`Round::new`] with the held-out names already scored (by the same `teacher`) and the
    /// API's mark given: the config's, or a fingerprint, say, tested under its key.
    pub fn marked(
        teacher: &CharLm,
        train: &[Vec<u8>],
        held: &Held,
        config: ChatConfig,
        accesses: &[Access],
        mark: Option<Mark>,
        device: &Device,
    ) -> Self {
        let account = Account::new(config.budget, config.rate, config.price);
        let seller = Seller::new(teacher, mark, account, config.seed);
        let training = Training {
            steps: config.steps,
            batch: config.batch,
            lr: config.lr,
            temperature: config.temperature,
            seed: config.seed,
        };
        let ends = |examples: &Examples| -> Vec<usize> {
            examples
                .targets
                .iter()
                .scan(0, |sum, t| {
                    *sum += t.len() / SYMBOLS;
                    Some(*sum)
                })
                .collect()
        };
        let thieves = accesses
            .iter()
            .map(|&access| {
                let examples = match access {
                    Access::Corpus => corpus_examples(train, config.budget, config.seed),
                    _ => Examples::new(SYMBOLS),
                };
                let empty = config.test.score(&[], config.key);
                Thief {
                    access,
                    ends: ends(&examples),
                    examples,
                    points: Vec::new(),
                    samples: Vec::new(),
                    verdict: empty,
                    wrong_key: empty,
                }
            })
            .collect();
        let students = Students::new(&config.student, accesses.len(), training, device);
        let mut round = Self {
            students,
            untrained: None,
            config,
            held: held.clone(),
            seller,
            answers: Vec::new(),
            answer_ends: Vec::new(),
            thieves,
            done: 0,
            device: device.clone(),
        };
        round.untrained = Some(round.students());
        round
    }

    /// Buys batches of names until `tokens` are sold (or the budget is spent), handing each
    /// answer to every thief of the teacher as its access shows it.
    fn buy(&mut self, tokens: usize) {
        let config = &self.config;
        while self.seller.account().used < tokens.min(config.budget) {
            let sold = self.seller.sell(&self.device);
            if sold.is_empty() {
                break;
            }
            for (name, dists) in sold {
                for thief in self.thieves.iter_mut() {
                    if thief.access == Access::Corpus {
                        continue;
                    }
                    let target = target(&name, &dists, thief.access, config.k, config.temperature);
                    let end = thief.ends.last().copied().unwrap_or(0) + target.len() / SYMBOLS;
                    thief.ends.push(end);
                    thief.examples.push(name.clone(), target);
                }
                let end = self.answer_ends.last().copied().unwrap_or(0) + dists.len() / SYMBOLS;
                self.answer_ends.push(end);
                self.answers.push((name, dists));
            }
        }
    }

    /// Tokens bought once `done` steps are taken: the budget, spread evenly over the steps.
    fn tokens_after(&self, done: usize) -> usize {
        let steps = self.config.steps.max(1);
        (self.config.budget * done).div_ceil(steps)
    }

    /// Takes up to `n` more steps of every student (each step of a thief trains on what it
    /// has bought by then), measuring at each checkpoint passed; returns the steps taken.
    /// The outcome after a given step is the same however the steps are split into calls.
    pub fn step(&mut self, n: usize) -> usize {
        let steps = self.config.steps;
        let mut left = n.min(steps - self.done);
        let taken = left;
        while left > 0 {
            let next = self.next_checkpoint();
            let chunk = left.min(next - self.done);
            for s in self.done..self.done + chunk {
                let bought = self.tokens_after(s + 1);
                self.buy(bought);
                let data: Vec<(&Examples, usize)> = self
                    .thieves
                    .iter()
                    .map(|t| (&t.examples, t.ends.partition_point(|&end| end <= bought)))
                    .collect();
                self.students.step_on_first(&data, 1);
            }
            self.done += chunk;
            left -= chunk;
            if self.done == next {
                self.measure();
            }
        }
        taken
    }

    /// The first checkpoint after the steps taken.
    fn next_checkpoint(&self) -> usize {
        let steps = self.config.steps;
        (1..=CHECKPOINTS)
            .map(|c| (steps * c).div_ceil(CHECKPOINTS))
            .find(|&at| at > self.done)
            .unwrap_or(steps)
    }

    /// Measures every student as it is now, after measuring them as they started if that is
    /// still to do (the first checkpoint's work, so that the students train from the start).
    fn measure(&mut self) {
        if let Some(untrained) = self.untrained.take() {
            self.measure_models(0, &untrained);
        }
        self.measure_models(self.tokens_after(self.done), &self.students());
    }

    /// Appends each thief's checkpoint at `tokens` bought, measured on its student `students[s]`:
    /// NLL and KL on the held-out names, its samples and the watermark test of the names it
    /// writes.
    fn measure_models(&mut self, tokens: usize, students: &[CharLm]) {
        let (config, device) = (&self.config, &self.device);
        let held = &self.held.0.names;
        let teacher = self.held.scored(device);
        // Students with the same weights measure the same (every one, untrained): once each.
        let mut measured: Vec<(u64, Point, Vec<Vec<u8>>)> = Vec::new();
        for (thief, student) in self.thieves.iter_mut().zip(students) {
            let weights = student.checksum();
            let (point, names) = match measured.iter().find(|(w, _, _)| *w == weights) {
                Some((_, point, names)) => (*point, names.clone()),
                None => {
                    let student_lp = lm::log_probs(student, held, device);
                    let point = Point {
                        tokens,
                        nll: lm::nll_of(held, &student_lp),
                        kl: lm::kl_with(&teacher.p, &teacher.lp, &student_lp, SYMBOLS),
                    };
                    let names = probe(student, config, device);
                    measured.push((weights, point, names.clone()));
                    (point, names)
                }
            };
            thief.points.push(point);
            thief.verdict = config.test.score(&names, config.key);
            thief.wrong_key = config.test.score(&names, wrong_key(config.key));
            thief.samples = names.into_iter().take(SHOWN).collect();
        }
    }

    /// Per thief, its student as it is now.
    pub fn students(&self) -> Vec<CharLm> {
        (0..self.thieves.len())
            .map(|s| self.students.model(s))
            .collect()
    }

    /// Per thief, the probe names its student writes now (what the owner tests).
    pub fn probes(&self) -> Vec<Vec<Vec<u8>>> {
        self.students()
            .iter()
            .map(|student| probe(student, &self.config, &self.device))
            .collect()
    }

    /// Per thief, how many of `keys` (none of them the owner's) flag the names its student
    /// writes now: the test's false alarms, measured rather than assumed.
    pub fn false_alarms(&self, keys: &[u64]) -> Vec<usize> {
        self.students()
            .iter()
            .map(|student| {
                let names = probe(student, &self.config, &self.device);
                keys.iter()
                    .filter(|&&key| self.config.test.score(&names, key).p < ALPHA)
                    .count()
            })
            .collect()
    }

    /// Where the round stands.
    pub fn outcome(&self) -> Outcome {
        let config = &self.config;
        let tokens = self.tokens_after(self.done);
        let mut account = Account::new(config.budget, config.rate, config.price);
        account.request(tokens);
        let sold = self.answer_ends.partition_point(|&end| end <= tokens);
        let teacher_params = model::teacher().num_params();
        let params = config.student.num_params();
        Outcome {
            step: self.done,
            steps: config.steps,
            done: self.done == config.steps,
            tokens,
            budget: config.budget,
            bill: f64::from(account.cost()),
            seconds: account.seconds,
            watermark: config.watermark,
            delta: config.delta,
            test: config.test,
            cost: self.seller.cost(),
            k: config.k,
            alpha: ALPHA,
            teacher: TeacherView {
                params: teacher_params,
                nll: self.held.teacher_nll(),
            },
            api_samples: self.answers[sold.saturating_sub(SHOWN)..sold]
                .iter()
                .map(|(name, _)| Sample::new(name, config.key))
                .collect(),
            thieves: self
                .thieves
                .iter()
                .map(|t| Suspect {
                    access: t.access,
                    name: t.access.name().to_string(),
                    params,
                    fraction: params as f64 / teacher_params as f64,
                    points: t.points.clone(),
                    samples: t
                        .samples
                        .iter()
                        .map(|n| Sample::new(n, config.key))
                        .collect(),
                    verdict: t.verdict,
                    wrong_key: t.wrong_key,
                    caught: t.verdict.p < ALPHA,
                })
                .collect(),
        }
    }
}

/// The names a student writes when the owner asks it for its watermark test: the same draws
/// at every checkpoint, so that a verdict changes only as the student does.
fn probe(student: &CharLm, config: &ChatConfig, device: &Device) -> Vec<Vec<u8>> {
    let mut rng = Rng::fork(config.seed, "probe");
    sample(student, config.probe, MAX_LETTERS, &mut rng, device, Plain)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// The thieves of lane `lane` (from 0) of `lanes`: every access level, in order, split into
/// `lanes` runs as even as can be, the first ones the longer. A thief's student trains and
/// measures the same whoever it shares its round with (each student's arithmetic is its own,
/// see [`crate::charlm::stack`], and every round of a config sells the same names), so the
/// page trains the lanes on as many cores and puts their thieves back together in this order.
/// An error says why if there is no such lane.
pub fn lane(lane: usize, lanes: usize) -> Result<&'static [Access], String> {
    let all = &Access::ALL;
    if lanes == 0 || lanes > all.len() || lane >= lanes {
        return Err(format!(
            "no lane {lane} of {lanes}: a round has 1 to {} lanes, numbered from 0",
            all.len()
        ));
    }
    let start = |l: usize| (l * all.len()).div_ceil(lanes);
    let (from, to) = (start(lane), start(lane + 1));
    Ok(&all[from..to])
}

/// A whole round, to the end: every access level in `accesses`, the same transcript for all.
pub fn run(
    teacher: &CharLm,
    train: &[Vec<u8>],
    held: &[Vec<u8>],
    config: &ChatConfig,
    accesses: &[Access],
    device: &Device,
) -> Outcome {
    let mut round = Round::new(teacher, train, held, config.clone(), accesses, device);
    round.step(config.steps);
    round.outcome()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charlm::weights;
    use crate::chat::corpus::{self, HELD_OUT};

    fn setup() -> (CharLm, Vec<Vec<u8>>, Vec<Vec<u8>>, Device) {
        let device = Device::flex();
        let teacher = weights::tests::teacher(&device);
        let names = corpus::parse(corpus::tests::BYTES, corpus::FILE).unwrap();
        let (train, held) = corpus::split(&names, HELD_OUT, teacher.split_seed);
        (teacher.model, train, held[..300].to_vec(), device)
    }

    /// A round of 40 steps buying 1,000 tokens, its students probed with 20 names.
    fn short() -> ChatConfig {
        ChatConfig {
            budget: 1_000,
            steps: 40,
            probe: 20,
            ..ChatConfig::default()
        }
    }

    #[test]
    fn a_round_trains_at_once_and_its_first_checkpoint_measures_where_it_started() {
        // Measuring waits for the first checkpoint, so that the students' first steps come at
        // once; the starting point it then adds is the untrained student's, measured alone.
        let (teacher, train, held, device) = setup();
        let config = ChatConfig {
            budget: 2_000,
            steps: 2 * CHECKPOINTS,
            probe: 20,
            ..ChatConfig::default()
        };
        let accesses = [Access::Full, Access::Text];
        let mut round = Round::new(&teacher, &train, &held, config.clone(), &accesses, &device);
        let start = round.outcome();
        assert!(start.thieves.iter().all(|t| t.points.is_empty()));
        assert_eq!(start.teacher.nll, None);
        round.step(1);
        assert!(round.outcome().thieves.iter().all(|t| t.points.is_empty()));
        round.step(1);
        let out = round.outcome();
        let untrained = config.student.init(config.seed, &device);
        for thief in &out.thieves {
            assert_eq!(thief.points.len(), 2, "{}", thief.name);
            let first = thief.points[0];
            assert_eq!(first.tokens, 0);
            assert_eq!(first.nll, lm::nll(&untrained, &held, &device));
            assert_eq!(first.kl, lm::kl(&teacher, &untrained, &held, &device));
        }
        assert_eq!(out.teacher.nll, Some(lm::nll(&teacher, &held, &device)));
    }

    #[test]
    fn the_owners_test_is_the_knobs() {
        assert_eq!(ChatConfig::default().test, Test::Letters);
        let (config, notice) = Config::from_query("chat_test=pairs");
        assert_eq!(ChatConfig::from_config(&config).test, Test::Pairs);
        assert!(notice.is_empty(), "{notice:?}");
    }

    #[test]
    fn the_full_distribution_student_ends_closer_to_the_teacher_than_the_corpus_student() {
        let (teacher, train, held, device) = setup();
        let config = ChatConfig {
            budget: 4_000,
            steps: 300,
            watermark: false,
            probe: 20,
            ..ChatConfig::default()
        };
        let out = run(
            &teacher,
            &train,
            &held,
            &config,
            &[Access::Full, Access::Corpus],
            &device,
        );
        let (full, corpus) = (out.thieves[0].last(), out.thieves[1].last());
        assert!(
            full.kl < corpus.kl,
            "KL full {} vs corpus {}",
            full.kl,
            corpus.kl
        );
        assert_eq!(out.tokens, 4_000);
        assert_eq!(out.thieves[0].points.len(), CHECKPOINTS + 1);
    }

    #[test]
    fn the_text_of_the_watermarked_api_carries_the_key_into_the_text_only_copy() {
        // The chapter's defaults on seed 1: the text-only thief and a student of real names.
        let (teacher, train, held, device) = setup();
        let config = ChatConfig::default();
        assert!(config.watermark);
        let out = run(
            &teacher,
            &train,
            &held,
            &config,
            &[Access::Text, Access::Corpus],
            &device,
        );
        let (text, honest) = (&out.thieves[0], &out.thieves[1]);
        assert!(text.verdict.p < ALPHA && text.caught, "{:?}", text.verdict);
        assert!(!honest.caught, "{:?}", honest.verdict);
        for t in &out.thieves {
            assert!(t.wrong_key.p >= ALPHA, "{}: {:?}", t.name, t.wrong_key);
        }
    }

    #[test]
    fn a_round_in_lanes_is_the_round_with_its_thieves_side_by_side() {
        assert_eq!(lane(0, 1).unwrap(), &Access::ALL[..]);
        assert_eq!(lane(0, 2).unwrap(), &Access::ALL[..3]);
        assert_eq!(lane(1, 2).unwrap(), &Access::ALL[3..]);
        let three: Vec<usize> = (0..3).map(|l| lane(l, 3).unwrap().len()).collect();
        assert_eq!(three, [2, 2, 1]);
        for (l, lanes) in [(0, 0), (2, 2), (0, 6)] {
            assert!(lane(l, lanes).is_err(), "lane {l} of {lanes}");
        }
        let (teacher, train, held, device) = setup();
        let config = short();
        let together = run(&teacher, &train, &held, &config, &Access::ALL, &device);
        let lanes: Vec<Suspect> = (0..2)
            .flat_map(|l| {
                let accesses = lane(l, 2).unwrap();
                run(&teacher, &train, &held, &config, accesses, &device).thieves
            })
            .collect();
        assert_eq!(lanes.len(), together.thieves.len());
        for (a, b) in together.thieves.iter().zip(&lanes) {
            assert_eq!(a.access, b.access);
            assert_eq!(a.points, b.points, "{}", a.name);
            assert_eq!(a.samples, b.samples, "{}", a.name);
            assert_eq!(a.verdict, b.verdict, "{}", a.name);
            assert_eq!(a.wrong_key, b.wrong_key, "{}", a.name);
        }
    }

    #[test]
    fn a_round_is_the_same_however_its_steps_are_split() {
        let (teacher, train, held, device) = setup();
        let config = short();
        let accesses = [Access::Text, Access::Spread];
        let whole = run(&teacher, &train, &held, &config, &accesses, &device);
        let mut round = Round::new(&teacher, &train, &held, config, &accesses, &device);
        for n in [1, 3, 7, 0, 2, 100] {
            round.step(n);
        }
        let split = round.outcome();
        for (a, b) in whole.thieves.iter().zip(&split.thieves) {
            assert_eq!(a.points, b.points);
            assert_eq!(a.samples, b.samples);
            assert_eq!(a.verdict, b.verdict);
        }
        // Tokens are bought as the students train: half the steps, half the budget.
        let mut half = Round::new(&teacher, &train, &held, short(), &accesses, &device);
        half.step(20);
        let out = half.outcome();
        assert_eq!(out.tokens, 500);
        assert!((out.bill - 0.25).abs() < 1e-6, "{}", out.bill);
        assert!(
            out.api_samples
                .iter()
                .all(|s| s.green.len() == s.text.len() + 1)
        );
    }
}
