//! A round of the reasoner chapter: the owner's teacher answers problems through its API, each
//! thief trains one student on what its access shows, and every student is measured on the
//! same held-out problems as it learns.
//!
//! The three reasoning thieves buy the same problems, and the teacher works every one out
//! (reasoning tokens are billed whether shown or not), so they pay the same; the fourth asks
//! for answers at once (`?`), billed for the answer alone, and buys as many problems as the
//! same tokens pay for.

use crate::api::Account;
use crate::charlm::lm::{Examples, Trainer, Training};
use crate::charlm::model::{CharLm, continue_rows, draw};
use crate::charlm::transformer::{TransformerLm, TransformerLmConfig};
use crate::config::Config;
use crate::reasoner::defence::{Api, Policy};
use crate::reasoner::proxy::Proxy;
use crate::reasoner::task::{self, MAX_WRITTEN, POSITIONS, Problem, SYMBOLS, Shown, answer_of};
use crate::rng::Rng;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// What a thief buys and sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Worked answers, the working shown (R1).
    Working,
    /// Worked answers, a summary of the working shown: the carries (o1's summaries).
    Summary,
    /// Worked answers, the answer alone shown (o1's hidden chain of thought).
    Hidden,
    /// Answers given at once, without working, as many problems as the working costs.
    Direct,
}

impl Access {
    /// Every access, in the page's order.
    pub const ALL: [Access; 4] = [
        Access::Working,
        Access::Summary,
        Access::Hidden,
        Access::Direct,
    ];

    /// The name reports and the page use.
    pub fn name(self) -> &'static str {
        match self {
            Access::Working => "working shown",
            Access::Summary => "summary shown",
            Access::Hidden => "answer only",
            Access::Direct => "answer only, same tokens",
        }
    }

    /// What its student is trained to write after `47+85=`.
    pub fn shown(self) -> Shown {
        match self {
            Access::Working => Shown::Working,
            Access::Summary => Shown::Summary,
            Access::Hidden | Access::Direct => Shown::Answer,
        }
    }
}

/// Settings of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonerConfig {
    /// Problems the reasoning thieves buy.
    pub problems: usize,
    /// Price per 1,000 tokens.
    pub price: f32,
    /// Tokens per simulated second the API serves.
    pub rate: f32,
    /// The students' shape.
    pub student: TransformerLmConfig,
    /// Adam steps per student.
    pub steps: usize,
    /// Rows per step.
    pub batch: usize,
    /// Peak learning rate.
    pub lr: f32,
    /// Seeds the purchase, the teacher's sampling and the students.
    pub seed: u64,
    /// Steps between measurements.
    pub every: usize,
    /// Held-out problems each student works on screen.
    pub shown: usize,
    /// How the API serves.
    pub policy: Policy,
    /// The thieves, a reasoning one first (reports that need fewer leave the others out).
    pub accesses: Vec<Access>,
}

impl ReasonerConfig {
    /// The round the `reasoner_*` knobs and the seed of `config` describe.
    pub fn from_config(config: &Config) -> Self {
        Self {
            problems: config.reasoner_problems,
            price: config.reasoner_price,
            student: student(config.reasoner_student),
            steps: config.reasoner_steps,
            seed: config.seed,
            policy: Policy::from_config(config),
            ..Self::default()
        }
    }
}

impl Default for ReasonerConfig {
    fn default() -> Self {
        Self {
            problems: 1_000,
            price: 2.0,
            rate: 2_000.0,
            student: student(32),
            steps: 600,
            batch: 32,
            lr: 0.005,
            seed: 1,
            every: 100,
            shown: 3,
            policy: Policy::PLAIN,
            accesses: Access::ALL.to_vec(),
        }
    }
}

/// A student `width` wide: one causal transformer layer of two heads, reading rows up to the
/// longest problem's.
pub fn student(width: usize) -> TransformerLmConfig {
    TransformerLmConfig::new(SYMBOLS, width, 1, 2, POSITIONS)
}

/// One measurement of one student.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Steps trained.
    pub step: usize,
    /// Problems its thief had bought by then.
    pub problems: usize,
    /// Tokens its thief had paid for by then.
    pub tokens: usize,
    /// Held-out problems it answers exactly, as a fraction.
    pub accuracy: f64,
}

/// A held-out problem as a student works it: what it wrote and which characters are wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Worked {
    /// The problem, as its prompt reads (`47+85=`).
    pub problem: String,
    /// Its text after `=`.
    pub text: String,
    /// Per character, whether it differs from the correct text.
    pub wrong: Vec<bool>,
    /// Whether its answer is right.
    pub right: bool,
}

/// One thief and its student.
pub struct Thief {
    /// What it buys.
    pub access: Access,
    /// What it is shown of each worked answer.
    pub shown: Shown,
    examples: Examples,
    /// Tokens paid after each problem bought.
    ends: Vec<usize>,
    trainer: Trainer<TransformerLm>,
    /// Its measurements so far.
    pub points: Vec<Point>,
    /// Its student's work on the shown problems, as last measured.
    pub worked: Vec<Worked>,
}

impl Thief {
    /// Problems bought by step `step` of `steps`: the purchase spread evenly over the round.
    fn bought(&self, step: usize, steps: usize) -> usize {
        let n = self.examples.names.len();
        (n * step).div_ceil(steps.max(1)).clamp(1, n)
    }
}

/// The teacher's accuracy on the held-out problems, sampled as its API answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeacherScore {
    /// Working the problem out first.
    pub worked: f64,
    /// Answering at once.
    pub direct: f64,
}

/// A round in progress.
pub struct Round {
    config: ReasonerConfig,
    held: Vec<Problem>,
    /// The teacher's held-out accuracy.
    pub teacher: TeacherScore,
    /// The thieves, in [`Access::ALL`]'s order.
    pub thieves: Vec<Thief>,
    /// The reasoning thieves' account (the direct thief pays the same).
    pub account: Account,
    /// Tokens of the working the hidden thief paid for and never saw.
    pub hidden_tokens: usize,
    done: usize,
    device: Device,
}

/// Rows a thief trains on: each problem's prompt (`47+85=`) then what it was shown, targets on
/// what it was shown only (the prompt is not the thief's to learn).
fn examples(rows: &[(Problem, Vec<u8>)]) -> Examples {
    let mut examples = Examples::new(SYMBOLS);
    for (p, shown) in rows {
        examples.push_completion(&p.prompt(true), shown);
    }
    examples
}

/// What `teacher` writes after each of `problems`' prompts (`worked`: `=`, else `?`), sampled
/// as `api` serves with `rng`, in batches.
pub fn write(
    teacher: &CharLm,
    problems: &[Problem],
    worked: bool,
    rng: &mut Rng,
    device: &Device,
    api: &Api,
) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(problems.len());
    for chunk in problems.chunks(512) {
        let prompts: Vec<Vec<u8>> = chunk.iter().map(|p| p.prompt(worked)).collect();
        let rows = continue_rows(
            teacher,
            &prompts,
            chunk.len(),
            MAX_WRITTEN,
            device,
            |p| draw(p, rng),
            api.sampler(device),
        );
        out.extend(rows.into_iter().map(|(row, _)| row));
    }
    out
}

/// The fraction of `problems` whose written answers are right.
fn accuracy(problems: &[Problem], written: &[Vec<u8>]) -> f64 {
    let right = problems
        .iter()
        .zip(written)
        .filter(|(p, w)| answer_of(w) == Some(p.answer()))
        .count();
    right as f64 / problems.len().max(1) as f64
}

/// `teacher`'s accuracy on split `split`'s held-out problems, sampled with seed `seed` as `api`
/// answers: working each out, and answering at once. It is what an honest user gets.
pub fn teacher_score(
    teacher: &CharLm,
    api: &Api,
    split: u64,
    seed: u64,
    device: &Device,
) -> TeacherScore {
    let (_, held) = task::problems(split);
    let mut rng = Rng::fork(seed, "reasoner teacher score");
    TeacherScore {
        worked: accuracy(&held, &write(teacher, &held, true, &mut rng, device, api)),
        direct: accuracy(&held, &write(teacher, &held, false, &mut rng, device, api)),
    }
}

/// The API a round of `config` buys from: for a steering defence, the owner's proxy trained for
/// the round's seed.
pub fn api(config: &ReasonerConfig, teacher: &CharLm, split: u64, device: &Device) -> Api {
    let proxy = config
        .policy
        .defence
        .steers()
        .then(|| Proxy::train(teacher, split, config.seed, device));
    Api::new(config.policy, proxy.as_ref(), config.seed)
}

/// Tokens a written answer costs: its tokens and the end marker.
fn cost(written: &[u8]) -> usize {
    written.len() + 1
}

impl Round {
    /// A round against `teacher`: the problems for sale and held out are `split`'s (the
    /// teacher's own, so that it never saw the held-out ones); the purchase is made at once and
    /// handed out to the students over the round.
    pub fn new(config: ReasonerConfig, teacher: &CharLm, split: u64, device: &Device) -> Self {
        let api = api(&config, teacher, split, device);
        let score = teacher_score(teacher, &api, split, config.seed, device);
        Self::with_score(config, teacher, &api, split, score, device)
    }

    /// [`Round::new`] from `api` (the config's policy's), with the teacher's held-out score
    /// through it already measured (see [`teacher_score`]; it depends on the teacher, the API,
    /// the split and the seed only).
    pub fn with_score(
        config: ReasonerConfig,
        teacher: &CharLm,
        api: &Api,
        split: u64,
        teacher_score: TeacherScore,
        device: &Device,
    ) -> Self {
        debug_assert_eq!(api.policy, config.policy);
        let (sale, held) = task::problems(split);
        let mut rng = Rng::fork(config.seed, "reasoner api");
        let mut order: Vec<usize> = (0..sale.len()).collect();
        Rng::fork(config.seed, "reasoner purchase").shuffle(&mut order);
        let wanted: Vec<Problem> = order.iter().map(|&i| sale[i]).collect();
        let bought = &wanted[..config.problems.min(wanted.len())];
        let worked = write(teacher, bought, true, &mut rng, device, api);
        let account = Account::new(usize::MAX, config.rate, config.price);
        let tokens: usize = worked.iter().map(|w| cost(w)).sum();
        // The direct thief buys, in the same order, until the same tokens are spent.
        let mut direct = Vec::new();
        let mut spent = 0;
        let buys_direct = config.accesses.contains(&Access::Direct);
        for chunk in wanted.chunks(256) {
            if spent >= tokens || !buys_direct {
                break;
            }
            for (p, w) in chunk
                .iter()
                .zip(write(teacher, chunk, false, &mut rng, device, api))
            {
                if spent >= tokens {
                    break;
                }
                spent += cost(&w);
                direct.push((*p, w));
            }
        }
        let training = |access: Access| Training {
            steps: config.steps,
            batch: config.batch,
            lr: config.lr,
            temperature: 1.0,
            seed: Rng::fork(config.seed, access.name()).next_u64(),
        };
        let hidden_tokens = worked
            .iter()
            .map(|w| cost(w) - cost(&task::show(w, Shown::Answer)))
            .sum();
        let paid = |costs: Vec<usize>| -> Vec<usize> {
            costs
                .iter()
                .scan(0, |sum, c| {
                    *sum += c;
                    Some(*sum)
                })
                .collect()
        };
        let thieves = config
            .accesses
            .iter()
            .map(|&access| {
                let shown = api.shown(access);
                let (rows, ends): (Vec<(Problem, Vec<u8>)>, _) = match access {
                    Access::Direct => (
                        direct.clone(),
                        paid(direct.iter().map(|(_, w)| cost(w)).collect()),
                    ),
                    _ => (
                        bought
                            .iter()
                            .zip(&worked)
                            .map(|(p, w)| (*p, task::show(w, shown)))
                            .collect(),
                        paid(worked.iter().map(|w| cost(w)).collect()),
                    ),
                };
                Thief {
                    access,
                    shown,
                    examples: examples(&rows),
                    ends,
                    trainer: Trainer::new(&config.student, training(access), device),
                    points: Vec::new(),
                    worked: Vec::new(),
                }
            })
            .collect();
        let mut round = Self {
            config,
            held,
            teacher: teacher_score,
            thieves,
            account,
            hidden_tokens,
            done: 0,
            device: device.clone(),
        };
        round.measure();
        round
    }

    /// Its settings.
    pub fn config(&self) -> &ReasonerConfig {
        &self.config
    }

    /// Steps taken so far by every student.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Whether every student has trained all its steps.
    pub fn finished(&self) -> bool {
        self.done >= self.config.steps
    }

    /// Up to `n` more steps of every student, each step on the problems its thief had bought
    /// by then, measuring every `every` steps and at the end. Returns the steps taken. The
    /// outcome after a given step is the same however the steps are split into calls.
    pub fn step(&mut self, n: usize) -> usize {
        let n = n.min(self.config.steps - self.done);
        let (steps, every) = (self.config.steps, self.config.every.max(1));
        let mut left = n;
        while left > 0 {
            let chunk = left.min(every - self.done % every);
            for s in self.done..self.done + chunk {
                for thief in &mut self.thieves {
                    let available = thief.bought(s + 1, steps);
                    thief.trainer.step_on_first(&thief.examples, available, 1);
                }
            }
            self.done += chunk;
            left -= chunk;
            // The reasoning thieves' account pays for what they have been handed so far.
            let working = &self.thieves[0];
            let paid = working.ends[working.bought(self.done, steps) - 1];
            self.account.request(paid - self.account.used);
            if self.done.is_multiple_of(every) || self.done == steps {
                self.measure();
            }
        }
        n
    }

    /// Measures every student on the held-out problems (greedy answers, exact match).
    fn measure(&mut self) {
        let (steps, shown) = (self.config.steps, self.config.shown);
        let prompts: Vec<Vec<u8>> = self.held.iter().map(|p| p.prompt(true)).collect();
        for thief in &mut self.thieves {
            let student = thief.trainer.model();
            // Past the longest text its thief was shown, a student's text is wrong already.
            let longest = task::longest(thief.shown);
            let written = student.greedy(&prompts, longest, &self.device);
            let bought = if self.done == 0 {
                0
            } else {
                thief.bought(self.done, steps)
            };
            thief.points.push(Point {
                step: self.done,
                problems: bought,
                tokens: if bought == 0 {
                    0
                } else {
                    thief.ends[bought - 1]
                },
                accuracy: accuracy(&self.held, &written),
            });
            let shows = thief.shown;
            thief.worked = self
                .held
                .iter()
                .zip(&written)
                .take(shown)
                .map(|(&problem, w)| Worked {
                    problem: task::decode(&problem.prompt(true)),
                    text: task::decode(w),
                    wrong: task::wrong_marks(problem, w, shows),
                    right: answer_of(w) == Some(problem.answer()),
                })
                .collect();
        }
    }

    /// The held-out problems.
    pub fn held(&self) -> &[Problem] {
        &self.held
    }
}

/// Plays a whole round.
pub fn run(config: ReasonerConfig, teacher: &CharLm, split: u64, device: &Device) -> Round {
    let mut round = Round::new(config, teacher, split, device);
    while !round.finished() {
        round.step(usize::MAX);
    }
    round
}

/// The teacher as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeacherView {
    /// Its parameters.
    pub params: usize,
    /// Its held-out accuracy, worked and at once.
    pub score: TeacherScore,
}

/// One thief's student as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student {
    /// What its thief sees.
    pub access: Access,
    /// Its name.
    pub name: String,
    /// Its parameters.
    pub params: usize,
    /// Its parameters as a fraction of the teacher's.
    pub fraction: f64,
    /// Problems its thief buys in all.
    pub bought: usize,
    /// Its measurements so far.
    pub points: Vec<Point>,
    /// Its work on the shown problems, as last measured.
    pub worked: Vec<Worked>,
}

/// A round as the page and the reports show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Steps taken.
    pub step: usize,
    /// Steps in all.
    pub steps: usize,
    /// Whether the round is over.
    pub done: bool,
    /// Problems the reasoning thieves buy in all.
    pub problems: usize,
    /// Held-out problems every accuracy is measured on.
    pub held: usize,
    /// Tokens they have paid for so far.
    pub tokens: usize,
    /// Tokens they pay for in all.
    pub budget: usize,
    /// Of those, the working's: billed to the thief who is shown the answer alone.
    pub hidden_tokens: usize,
    /// Their bill so far, in dollars.
    pub bill: f64,
    /// Simulated seconds spent buying so far.
    pub seconds: f64,
    /// The teacher.
    pub teacher: TeacherView,
    /// How its API serves.
    pub policy: Policy,
    /// The students, in [`Access::ALL`]'s order.
    pub students: Vec<Student>,
}

impl Round {
    /// The round as it stands.
    pub fn outcome(&self) -> Outcome {
        let teacher_params = crate::reasoner::teacher::shape().num_params();
        let params = self.config.student.num_params();
        let working = &self.thieves[0];
        Outcome {
            step: self.done,
            steps: self.config.steps,
            done: self.finished(),
            problems: working.examples.names.len(),
            held: self.held.len(),
            tokens: self.account.used,
            budget: working.ends.last().copied().unwrap_or(0),
            hidden_tokens: self.hidden_tokens,
            bill: f64::from(self.account.cost()),
            seconds: self.account.seconds,
            teacher: TeacherView {
                params: teacher_params,
                score: self.teacher,
            },
            policy: self.config.policy,
            students: self
                .thieves
                .iter()
                .map(|t| Student {
                    access: t.access,
                    name: t.access.name().to_string(),
                    params,
                    fraction: params as f64 / teacher_params as f64,
                    bought: t.examples.names.len(),
                    points: t.points.clone(),
                    worked: t.worked.clone(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::charlm::weights;
    use crate::reasoner::teacher::{FILE, KIND, SPLIT};

    /// The committed teacher.
    pub(crate) const BYTES: &[u8] = include_bytes!("../../../www/data/reasoner-teacher.bpk");

    /// The shipped teacher, loaded.
    pub(crate) fn teacher() -> CharLm {
        weights::load(&KIND, BYTES, FILE, &Device::flex())
            .unwrap()
            .model
    }

    #[test]
    fn each_thief_is_shown_its_part_of_the_same_worked_answers_and_billed_for_all() {
        let device = Device::flex();
        let config = ReasonerConfig {
            problems: 40,
            steps: 2,
            every: 1,
            ..ReasonerConfig::default()
        };
        let mut round = Round::new(config, &teacher(), SPLIT, &device);
        let [working, summary, hidden, direct] = &round.thieves[..] else {
            panic!("four thieves")
        };
        assert_eq!(working.examples.names.len(), 40);
        let prompt_len =
            |row: &[u8]| row.iter().position(|&t| t == task::encode("=")[0]).unwrap() + 1;
        let mut paid = 0;
        let mut unseen = 0;
        for i in 0..40 {
            let row = &working.examples.names[i];
            let (prompt, written) = row.split_at(prompt_len(row));
            for (thief, shown) in [(summary, Shown::Summary), (hidden, Shown::Answer)] {
                let other = &thief.examples.names[i];
                assert_eq!(&other[..prompt.len()], prompt);
                assert_eq!(other[prompt.len()..], task::show(written, shown)[..]);
            }
            paid += written.len() + 1;
            unseen += written.len() - task::show(written, Shown::Answer).len();
            // Each thief trains on what it is shown and its end marker, never the prompt.
            assert_eq!(working.examples.trained[i], written.len() + 1);
        }
        assert_eq!(working.ends.last(), Some(&paid));
        assert_eq!(summary.ends, working.ends);
        assert_eq!(hidden.ends, working.ends);
        assert_eq!(round.hidden_tokens, unseen);
        // The direct thief spends the same tokens (the last answer may go over by its cost) on
        // more problems, answered at once.
        let spent = *direct.ends.last().unwrap();
        assert!(
            spent >= paid && spent <= paid + MAX_WRITTEN + 1,
            "{spent} vs {paid}"
        );
        assert!(direct.examples.names.len() > 3 * 40);
        // The bill grows with what has been handed out: all of it by the end.
        round.step(1);
        assert!(round.account.used > 0 && round.account.used <= paid);
        round.step(1);
        let o = round.outcome();
        assert_eq!((o.tokens, o.budget, o.done), (paid, paid, true));
        assert!((o.bill - f64::from(round.config.price) * paid as f64 / 1000.0).abs() < 1e-3);
        assert_eq!(o.students[0].points.len(), 3);
    }

    #[test]
    fn a_round_is_the_same_however_its_steps_are_split() {
        let device = Device::flex();
        let config = ReasonerConfig {
            problems: 40,
            steps: 6,
            every: 3,
            ..ReasonerConfig::default()
        };
        let teacher = teacher();
        let score = TeacherScore {
            worked: 1.0,
            direct: 1.0,
        };
        let played = |calls: &[usize]| {
            let api = Api::plain();
            let mut round =
                Round::with_score(config.clone(), &teacher, &api, SPLIT, score, &device);
            for &n in calls {
                round.step(n);
            }
            round.outcome()
        };
        let whole = played(&[6]);
        assert_eq!(whole.students[0].points.len(), 3);
        assert_eq!(played(&[1, 1, 1, 1, 1, 1]), whole);
        assert_eq!(played(&[4, 2]), whole);
    }
}
