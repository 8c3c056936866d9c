//! Distilling a teacher you can only query: a client sends points to the [`api`](crate::api),
//! gets answers in each response format, and trains one student per format on them — the same
//! queries for all, so the formats are compared fairly.

use crate::api::{Accounts, Format, QueryStream, Sent};
use crate::config::Config;
use crate::distill;
use crate::evidence::Watermark;
use crate::learner::{self, Learner, batch, cosine, gather, to_tensor};
use crate::metrics;
use crate::model::Mlp;
use crate::playground::dataset::Points;
use crate::playground::grid::Grid;
use crate::playground::trainer::{Trainer, student_config};
use crate::rng::Rng;
use burn::module::Module;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// Where an extraction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtractionPhase {
    /// Sending queries and training on the answers as they come.
    Querying,
    /// The budget is spent; training goes on with the answers collected.
    Training,
    /// The step budget is spent.
    Done,
    /// The detector flagged the client: the account is closed and training stops.
    Banned,
}

/// Fidelity (agreement with the teacher over the plane) at which a copy's bill is read: the
/// queries it had answered when it first got there.
pub const LEVEL: f32 = 0.9;

/// How often, in training steps, each copy's fidelity is checked against [`LEVEL`]: a fixed
/// cadence, so the bill does not depend on how many steps the page runs between updates.
pub const LEVEL_EVERY: usize = 10;

/// How one format's student is doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThiefMetrics {
    /// The response format, by name.
    pub format: String,
    /// Queries answered when its fidelity first reached [`LEVEL`] (checked every
    /// [`LEVEL_EVERY`] steps); `None` while it has not.
    pub queries_to_level: Option<usize>,
    /// Fidelity: top-1 agreement with the teacher over the grid.
    pub fidelity: f32,
    /// Top-1 agreement with the teacher on the test set.
    pub test_fidelity: f32,
    /// Accuracy on the test set's true labels.
    pub accuracy: f32,
}

/// Everything measured after a step of an extraction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractionMetrics {
    /// Where the extraction is.
    pub phase: ExtractionPhase,
    /// Training steps taken.
    pub step: usize,
    /// The step budget.
    pub steps: usize,
    /// Queries answered.
    pub queries: usize,
    /// The query budget.
    pub budget: usize,
    /// Simulated seconds spent, waiting on the rate limit included.
    pub seconds: f64,
    /// The bill so far, in dollars.
    pub cost: f32,
    /// The client's query (1-based, refused ones counted) on which its last account was
    /// banned; with one account, `queries` is one less.
    pub banned_at: Option<usize>,
    /// Whether the cross-account detector banned it (its hour's accounts at once).
    pub banned_by_cross: bool,
    /// Accounts the client split its budget over.
    pub accounts: usize,
    /// Of those, how many the owner banned.
    pub accounts_banned: usize,
    /// Honest users simulated beside the client.
    pub honest: usize,
    /// Of those, how many the owner banned.
    pub honest_banned: usize,
    /// The teacher's test accuracy, for scale.
    pub teacher_acc: f32,
    /// The fidelity at which each copy's bill is read ([`LEVEL`]).
    pub level: f32,
    /// One entry per response format.
    pub thieves: Vec<ThiefMetrics>,
}

/// One format's student and the answers it has collected.
struct Thief {
    format: Format,
    learner: Learner,
    /// Answers, `[queries, classes]`: the targets it trains on.
    targets: Vec<f32>,
    /// Queries answered when its fidelity first reached [`LEVEL`].
    queries_to_level: Option<usize>,
}

/// A client distilling the teacher through the API, advanced by [`Extraction::step`].
pub struct Extraction {
    config: Config,
    teacher: Mlp,
    device: Device,
    train_device: Device,
    stream: QueryStream,
    accounts: Accounts,
    watermark: Option<Watermark>,
    answers_rng: Rng,
    batches: Rng,
    queries: Vec<f32>,
    thieves: Vec<Thief>,
    grid: Vec<f32>,
    test: Points,
    teacher_grid: Vec<u32>,
    teacher_test: Vec<u32>,
    step: usize,
    phase: ExtractionPhase,
    metrics: Option<ExtractionMetrics>,
}

/// The owner's watermark under `config`: its secret key comes from the seed.
pub fn owner_watermark(config: &Config) -> Watermark {
    Watermark {
        key: Rng::fork(config.seed, "owner key").next_u64(),
        delta: config.delta,
    }
}

/// The response formats compared, from most to least revealing, with `config`'s settings.
pub fn formats(config: &Config) -> [Format; 5] {
    [
        Format::Full,
        Format::TopK { k: config.top_k },
        Format::Rounded {
            decimals: config.decimals,
        },
        Format::Perturbed {
            strength: config.perturbation,
        },
        Format::Label,
    ]
}

impl Extraction {
    /// An extraction of `trainer`'s teacher (which must have finished training) under
    /// `config`'s API settings and student shape.
    pub fn new(trainer: &Trainer, config: Config) -> Result<Self, String> {
        let formats = formats(&config);
        Self::with_formats(trainer, config, &formats)
    }

    /// As [`Extraction::new`], with a student for each of `formats` only.
    pub fn with_formats(
        trainer: &Trainer,
        config: Config,
        formats: &[Format],
    ) -> Result<Self, String> {
        config.validate()?;
        let teacher = trainer
            .teacher()
            .ok_or("the teacher has not finished training yet")?;
        let device = Device::flex();
        let train_device = device.clone().autodiff();
        let student =
            student_config(&config).init(Rng::fork(config.seed, "thief").next_u64(), &train_device);
        let thieves = formats
            .iter()
            .map(|&format| Thief {
                format,
                learner: Learner::new(student.clone()),
                targets: Vec::new(),
                queries_to_level: None,
            })
            .collect();
        let grid = Grid::DEFAULT.points();
        let test = trainer.dataset().test.clone();
        let k = config.classes;
        let teacher_grid = metrics::argmax(&learner::logits(&teacher, &grid, 2, &device), k);
        let teacher_test = metrics::argmax(&learner::logits(&teacher, &test.x, 2, &device), k);
        let (s, c, n, seed) = (config.scenario, config.classes, config.noise, config.seed);
        let mut extraction = Self {
            stream: QueryStream::new(config.source, s, c, n, seed),
            accounts: Accounts::new(&config),
            watermark: config.watermark.then(|| owner_watermark(&config)),
            answers_rng: Rng::fork(seed, "answers"),
            batches: Rng::fork(seed, "thief batches"),
            queries: Vec::new(),
            thieves,
            grid,
            test,
            teacher_grid,
            teacher_test,
            step: 0,
            phase: ExtractionPhase::Querying,
            metrics: None,
            teacher,
            device,
            train_device,
            config,
        };
        extraction.evaluate();
        Ok(extraction)
    }

    /// Runs up to `n` steps — each sends this step's share of queries (the budget is spread
    /// over the first half of the steps) and trains every student once — then measures.
    pub fn step(&mut self, n: usize) -> ExtractionMetrics {
        self.run(n);
        self.evaluate()
    }

    /// As `step`, without measuring (but for each copy's bill, read every [`LEVEL_EVERY`]
    /// steps and at the end).
    pub fn run(&mut self, n: usize) {
        for _ in 0..n {
            match self.phase {
                ExtractionPhase::Querying => {
                    self.query();
                    self.train();
                }
                ExtractionPhase::Training => self.train(),
                ExtractionPhase::Done | ExtractionPhase::Banned => break,
            }
            let over = matches!(self.phase, ExtractionPhase::Done | ExtractionPhase::Banned);
            if self.step.is_multiple_of(LEVEL_EVERY) || over {
                self.read_bills();
            }
        }
    }

    /// Records the queries answered so far for each copy whose fidelity has just reached
    /// [`LEVEL`].
    fn read_bills(&mut self) {
        let k = self.config.classes;
        for thief in self
            .thieves
            .iter_mut()
            .filter(|t| t.queries_to_level.is_none())
        {
            let model = thief.learner.model();
            let grid = metrics::argmax(&learner::logits(model, &self.grid, 2, &self.device), k);
            if metrics::agreement(&grid, &self.teacher_grid) >= LEVEL {
                thief.queries_to_level = Some(self.accounts.used());
            }
        }
    }

    /// The student learning from the `i`-th format, frozen (plain device).
    pub fn student(&self, i: usize) -> Mlp {
        self.thieves[i].learner.model().valid()
    }

    /// The measurements of the last step.
    pub fn metrics(&self) -> &ExtractionMetrics {
        self.metrics.as_ref().expect("measured on creation")
    }

    fn query(&mut self) {
        let steps = self.config.student_steps;
        let per_step = self.config.budget.div_ceil((steps / 2).max(1));
        let mut points = Vec::with_capacity(2 * per_step);
        for _ in 0..per_step {
            if self.accounts.exhausted() {
                break;
            }
            let p = self.stream.next_point();
            // The owner looks at each query before answering: a flagged one is refused.
            match self.accounts.send(p) {
                Sent::Answered => points.extend(p),
                Sent::Refused => {}
                Sent::Stopped => {
                    self.phase = ExtractionPhase::Banned;
                    break;
                }
            }
        }
        if !points.is_empty() {
            let k = self.config.classes;
            let logits = learner::logits(&self.teacher, &points, 2, &self.device);
            let probs = metrics::softmax(&logits, k, 1.0);
            for (point, p) in points.chunks(2).zip(probs.chunks(k)) {
                let p = match &self.watermark {
                    Some(mark) => mark.apply([point[0], point[1]], p),
                    None => p.to_vec(),
                };
                for thief in &mut self.thieves {
                    let answer = thief.format.answer(&p, &mut self.answers_rng);
                    thief.targets.extend(answer);
                }
            }
            self.queries.extend(points);
        }
        if self.phase == ExtractionPhase::Querying && self.accounts.exhausted() {
            // Every account spent its share, or (a false alarm on the honest users of its
            // hour) was banned before it sent anything.
            self.phase = if self.accounts.stopped_at().is_some() {
                ExtractionPhase::Banned
            } else {
                ExtractionPhase::Training
            };
        }
    }

    fn train(&mut self) {
        let k = self.config.classes;
        let collected = self.queries.len() / 2;
        if collected > 0 && self.phase != ExtractionPhase::Banned {
            let idx = batch(&mut self.batches, collected, self.config.batch);
            let x = to_tensor(gather(&self.queries, &idx, 2), 2, &self.train_device);
            let lr = cosine(self.config.lr, self.step, self.config.student_steps);
            for thief in &mut self.thieves {
                let target = to_tensor(gather(&thief.targets, &idx, k), k, &self.train_device);
                let loss = distill::cross_entropy(thief.learner.model().forward(x.clone()), target);
                thief.learner.update(lr, loss);
            }
        }
        self.step += 1;
        if self.step >= self.config.student_steps && self.phase != ExtractionPhase::Banned {
            self.phase = ExtractionPhase::Done;
        }
    }

    fn evaluate(&mut self) -> ExtractionMetrics {
        let k = self.config.classes;
        let thieves = self
            .thieves
            .iter()
            .map(|t| {
                let model = t.learner.model();
                let grid = metrics::argmax(&learner::logits(model, &self.grid, 2, &self.device), k);
                let test =
                    metrics::argmax(&learner::logits(model, &self.test.x, 2, &self.device), k);
                ThiefMetrics {
                    format: t.format.name(),
                    queries_to_level: t.queries_to_level,
                    fidelity: metrics::agreement(&grid, &self.teacher_grid),
                    test_fidelity: metrics::agreement(&test, &self.teacher_test),
                    accuracy: metrics::agreement(&test, &self.test.y),
                }
            })
            .collect();
        let m = ExtractionMetrics {
            phase: self.phase,
            step: self.step,
            steps: self.config.student_steps,
            queries: self.accounts.used(),
            budget: self.config.budget,
            seconds: self.accounts.seconds(),
            cost: self.accounts.cost(),
            banned_at: self.accounts.stopped_at(),
            banned_by_cross: self.accounts.watched().by_cross,
            accounts: self.accounts.accounts().len(),
            accounts_banned: self.accounts.banned(),
            honest: self.accounts.honest().0,
            honest_banned: self.accounts.honest().1,
            teacher_acc: metrics::agreement(&self.teacher_test, &self.test.y),
            level: LEVEL,
            thieves,
        };
        self.metrics = Some(m.clone());
        m
    }
}
