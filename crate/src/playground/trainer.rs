//! The trainer: a state object advanced by [`Trainer::step`]. Phase 1 trains the teacher on
//! labels; phase 2 trains a distilled student and, beside it, an equal-size student on hard
//! labels only, from the same initial weights and on the same batches.

use crate::config::Config;
use crate::distill;
use crate::learner::{self, Learner, batch, cosine, diverged, gather, one_hot, to_tensor};
use crate::metrics::{self, Metrics, Phase};
use crate::model::{Mlp, MlpConfig};
use crate::playground::dataset::{Dataset, Points};
use crate::playground::grid::Grid;
use crate::rng::Rng;
use burn::module::Module;
use burn::tensor::{Device, Tensor};
use burn_store::{BurnpackStore, ModuleSnapshot};
use serde::{Deserialize, Serialize};

/// Phase 2's state: the two students and the frozen teacher's outputs they learn from.
struct Students {
    distilled: Learner,
    hard: Learner,
    /// The teacher's logits on the transfer set, computed once: it no longer changes.
    teacher_logits: Vec<f32>,
    transfer: Points,
    batches: Rng,
}

/// Logits of every model on the test set and the grid, from the last evaluation.
#[derive(Default)]
struct Outputs {
    /// The teacher step its outputs were measured at: they are measured again whenever the
    /// teacher has moved since, whichever phase the run is in.
    teacher_at: Option<usize>,
    teacher_test: Vec<f32>,
    teacher_grid: Vec<f32>,
    distilled_test: Vec<f32>,
    distilled_grid: Vec<f32>,
    hard_test: Vec<f32>,
    hard_grid: Vec<f32>,
}

/// Class probabilities (T = 1) of each model on the grid, for decision maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Cells per side of the grid.
    pub grid: usize,
    /// Number of classes.
    pub classes: usize,
    /// `[xmin, xmax, ymin, ymax]` covered by the grid.
    pub extent: [f32; 4],
    /// Teacher probabilities, `[grid·grid, classes]` row-major, top row first.
    pub teacher: Vec<f32>,
    /// Distilled student probabilities (empty before phase 2).
    pub distilled: Vec<f32>,
    /// Hard-label student probabilities (empty before phase 2).
    pub hard: Vec<f32>,
}

/// What each model believes at one point: the "dark knowledge" in the teacher's small
/// probabilities, unhidden by the temperature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// The temperature of `teacher_t`.
    pub temperature: f32,
    /// Teacher probabilities at T = 1.
    pub teacher_t1: Vec<f32>,
    /// Teacher probabilities at the run's temperature: the distilled student's soft target.
    pub teacher_t: Vec<f32>,
    /// Distilled student probabilities at T = 1 (empty before phase 2).
    pub distilled: Vec<f32>,
    /// Hard-label student probabilities at T = 1 (empty before phase 2).
    pub hard: Vec<f32>,
}

/// A whole distillation run, advanced by [`Trainer::step`].
pub struct Trainer {
    config: Config,
    data: Dataset,
    device: Device,
    train_device: Device,
    grid: Vec<f32>,
    teacher: Learner,
    teacher_batches: Rng,
    students: Option<Students>,
    phase: Phase,
    teacher_step: usize,
    student_step: usize,
    losses: [Option<f32>; 3],
    message: Option<String>,
    outputs: Outputs,
    metrics: Metrics,
}

impl Trainer {
    /// A run at step 0, or Err saying why `config` is invalid.
    pub fn new(config: Config) -> Result<Self, String> {
        config.validate()?;
        let data = Dataset::generate(
            config.scenario,
            config.classes,
            config.samples,
            config.noise,
            config.seed,
        );
        let device = Device::flex();
        let train_device = device.clone().autodiff();
        let teacher = teacher_config(&config).init(derive(config.seed, "teacher"), &train_device);
        let mut trainer = Self {
            data,
            device,
            train_device,
            grid: Grid::DEFAULT.points(),
            teacher: Learner::new(teacher),
            teacher_batches: Rng::fork(config.seed, "teacher batches"),
            students: None,
            phase: Phase::Teacher,
            teacher_step: 0,
            student_step: 0,
            losses: [None; 3],
            message: None,
            outputs: Outputs::default(),
            metrics: empty_metrics(&config),
            config,
        };
        trainer.evaluate();
        Ok(trainer)
    }

    /// Runs up to `n` optimisation steps of the current phase (moving from teacher to students
    /// when the teacher's budget is spent), then measures. Stops early when the run is done
    /// or diverged.
    pub fn step(&mut self, n: usize) -> Metrics {
        self.train(n);
        self.evaluate();
        self.metrics.clone()
    }

    /// Runs up to `n` optimisation steps without measuring; returns how many ran. `step` is
    /// this plus a measurement; benchmarks time this alone.
    pub fn train(&mut self, n: usize) -> usize {
        for done in 0..n {
            match self.phase {
                Phase::Teacher => self.teacher_step(),
                Phase::Student => self.student_step(),
                Phase::Done | Phase::Diverged => return done,
            }
        }
        n
    }

    /// Keeps the trained teacher and starts both students again under `config`, which may only
    /// differ from the current one in knobs that do not restart the teacher.
    pub fn restart_students(&mut self, config: Config) -> Result<(), String> {
        config.validate()?;
        if !self.config.same_teacher(&config) {
            return Err("this change needs a new teacher: reset instead".into());
        }
        if self.phase == Phase::Teacher || self.phase == Phase::Diverged && self.students.is_none()
        {
            return Err("the teacher has not finished training yet".into());
        }
        self.config = config;
        self.metrics = empty_metrics(&self.config);
        self.message = None;
        self.start_students();
        self.evaluate();
        Ok(())
    }

    /// The trained teacher, frozen (plain device), once phase 1 is over.
    pub fn teacher(&self) -> Option<Mlp> {
        self.students.as_ref().map(|_| self.teacher.model().valid())
    }

    /// The distilled student as trained so far, frozen (plain device), once phase 2 has begun.
    pub fn distilled_student(&self) -> Option<Mlp> {
        self.students.as_ref().map(|s| s.distilled.model().valid())
    }

    /// The distilled student's weights as a burnpack file (burn-store, full precision), with
    /// the settings that rebuild its shape in the metadata: `None` before phase 2.
    pub fn distilled_student_bytes(&self) -> Option<Result<Vec<u8>, String>> {
        let student = self.distilled_student()?;
        let c = &self.config;
        let mut store = BurnpackStore::from_bytes(None)
            .metadata("model", "distill playground distilled student")
            .metadata("query", c.to_query_over(&Config::default()))
            .metadata("student_width", c.student_width.to_string())
            .metadata("student_depth", c.student_depth.to_string())
            .metadata("classes", c.classes.to_string())
            .metadata("student_step", self.student_step.to_string());
        let encoded = student
            .save_into(&mut store)
            .map_err(|e| format!("cannot encode the student: {e}"))
            .and_then(|()| {
                store
                    .get_bytes()
                    .map(|bytes| bytes.to_vec())
                    .map_err(|e| format!("cannot encode the student: {e}"))
            });
        Some(encoded)
    }

    /// The measurements of the last `step`.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The run's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The data: training points (the students see the first `student_samples`) and test
    /// points.
    pub fn dataset(&self) -> &Dataset {
        &self.data
    }

    /// The students' transfer set.
    pub fn transfer(&self) -> Points {
        self.data.train.head(self.config.student_samples)
    }

    /// Every model's class probabilities on the grid, as of the last `step`.
    pub fn snapshot(&self) -> Snapshot {
        let k = self.data.classes;
        let probs = |logits: &[f32]| metrics::softmax(logits, k, 1.0);
        Snapshot {
            grid: Grid::DEFAULT.n,
            classes: k,
            extent: Grid::DEFAULT.extent(),
            teacher: probs(&self.outputs.teacher_grid),
            distilled: probs(&self.outputs.distilled_grid),
            hard: probs(&self.outputs.hard_grid),
        }
    }

    /// What each model says at the point `(x, y)`.
    pub fn probe(&self, x: f32, y: f32) -> Probe {
        let k = self.data.classes;
        let point = [x, y];
        let teacher = self.logits(self.teacher.model(), &point);
        let student = |pick: fn(&Students) -> &Learner| {
            self.students
                .as_ref()
                .map(|s| metrics::softmax(&self.logits(pick(s).model(), &point), k, 1.0))
                .unwrap_or_default()
        };
        Probe {
            temperature: self.config.temperature,
            teacher_t1: metrics::softmax(&teacher, k, 1.0),
            teacher_t: metrics::softmax(&teacher, k, self.config.temperature),
            distilled: student(|s| &s.distilled),
            hard: student(|s| &s.hard),
        }
    }

    /// The test point where the teacher is least sure (lowest top probability): where its
    /// dark knowledge shows most.
    pub fn least_sure_point(&self) -> [f32; 2] {
        let k = self.data.classes;
        let confidence = metrics::softmax(&self.outputs.teacher_test, k, 1.0);
        let (i, _) = confidence
            .chunks(k)
            .map(|p| p.iter().copied().fold(0.0, f32::max))
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 1.0));
        let x = &self.data.test.x;
        [x[2 * i], x[2 * i + 1]]
    }

    fn teacher_step(&mut self) {
        let idx = batch(
            &mut self.teacher_batches,
            self.data.train.len(),
            self.config.batch,
        );
        let x = self.tensor(gather(&self.data.train.x, &idx, 2), 2);
        let y = self.tensor(
            one_hot(&self.data.train.y, &idx, self.data.classes),
            self.data.classes,
        );
        let loss = distill::cross_entropy(self.teacher.model().forward(x), y);
        let lr = cosine(self.config.lr, self.teacher_step, self.config.teacher_steps);
        let value = self.teacher.update(lr, loss);
        self.teacher_step += 1;
        self.losses[0] = Some(value);
        if diverged(value) {
            return self.diverge("teacher", value);
        }
        if self.teacher_step >= self.config.teacher_steps {
            self.start_students();
        }
    }

    fn start_students(&mut self) {
        let config = &self.config;
        let student =
            student_config(config).init(derive(config.seed, "student"), &self.train_device);
        let transfer = self.transfer();
        let teacher_logits = self.logits(self.teacher.model(), &transfer.x);
        self.students = Some(Students {
            // Same initial weights for both: a fair race.
            hard: Learner::new(student.clone()),
            distilled: Learner::new(student),
            teacher_logits,
            transfer,
            batches: Rng::fork(config.seed, "student batches"),
        });
        self.student_step = 0;
        self.losses[1..].fill(None);
        self.phase = Phase::Student;
    }

    fn student_step(&mut self) {
        let k = self.data.classes;
        let (lr, temperature, soft_weight) = (
            cosine(self.config.lr, self.student_step, self.config.student_steps),
            self.config.temperature,
            self.config.soft_weight,
        );
        let s = self.students.as_mut().expect("phase 2 has students");
        let idx = batch(&mut s.batches, s.transfer.len(), self.config.batch);
        let x = to_tensor(gather(&s.transfer.x, &idx, 2), 2, &self.train_device);
        let y = to_tensor(one_hot(&s.transfer.y, &idx, k), k, &self.train_device);
        let t = to_tensor(gather(&s.teacher_logits, &idx, k), k, &self.train_device);
        let distilled = s.distilled.model().forward(x.clone());
        let d = distill::loss(distilled, t.clone(), y.clone(), temperature, soft_weight);
        let d = s.distilled.update(lr, d.total);
        // The baseline: the same loss with the soft term switched off.
        let h = distill::loss(s.hard.model().forward(x), t, y, temperature, 0.0);
        let h = s.hard.update(lr, h.total);
        self.student_step += 1;
        self.losses[1] = Some(d);
        self.losses[2] = Some(h);
        if diverged(d) {
            return self.diverge("distilled student", d);
        }
        if diverged(h) {
            return self.diverge("hard-label student", h);
        }
        if self.student_step >= self.config.student_steps {
            self.phase = Phase::Done;
        }
    }

    fn diverge(&mut self, who: &str, value: f32) {
        self.phase = Phase::Diverged;
        self.message = Some(format!(
            "The {who}'s loss reached {value} at step {} (a fresh classifier starts near 1): \
             training diverged, so it has stopped. \
             The learning rate ({}) is probably too large: each step overshoots and the weights \
             blow up. Lower it (0.01 is a good start) and reset.",
            if who == "teacher" {
                self.teacher_step
            } else {
                self.student_step
            },
            self.config.lr,
        ));
    }

    /// Measures every model on the test set and the grid, and records the metrics.
    fn evaluate(&mut self) {
        let k = self.data.classes;
        if self.outputs.teacher_at != Some(self.teacher_step) {
            self.outputs.teacher_test = self.logits(self.teacher.model(), &self.data.test.x);
            self.outputs.teacher_grid = self.logits(self.teacher.model(), &self.grid);
            self.outputs.teacher_at = Some(self.teacher_step);
        }
        if let Some(s) = &self.students {
            self.outputs.distilled_test = self.logits(s.distilled.model(), &self.data.test.x);
            self.outputs.distilled_grid = self.logits(s.distilled.model(), &self.grid);
            self.outputs.hard_test = self.logits(s.hard.model(), &self.data.test.x);
            self.outputs.hard_grid = self.logits(s.hard.model(), &self.grid);
        }
        let o = &self.outputs;
        let labels = &self.data.test.y;
        let (t_test, t_grid) = (
            metrics::argmax(&o.teacher_test, k),
            metrics::argmax(&o.teacher_grid, k),
        );
        let student = |test: &[f32], grid: &[f32]| {
            (self.students.is_some()).then(|| {
                let (s_test, s_grid) = (metrics::argmax(test, k), metrics::argmax(grid, k));
                (
                    metrics::agreement(&s_test, labels),
                    metrics::agreement(&s_grid, &t_grid),
                    metrics::agreement(&s_test, &t_test),
                    metrics::kl_divergence(&o.teacher_test, test, k),
                )
            })
        };
        let d = student(&o.distilled_test, &o.distilled_grid);
        let h = student(&o.hard_test, &o.hard_grid);
        self.metrics = Metrics {
            phase: self.phase,
            teacher_step: self.teacher_step,
            student_step: self.student_step,
            teacher_loss: self.losses[0],
            distilled_loss: self.losses[1],
            hard_loss: self.losses[2],
            teacher_acc: Some(metrics::agreement(&t_test, labels)),
            distilled_acc: d.map(|d| d.0),
            hard_acc: h.map(|h| h.0),
            agreement_distilled: d.map(|d| d.1),
            agreement_hard: h.map(|h| h.1),
            test_agreement_distilled: d.map(|d| d.2),
            test_agreement_hard: h.map(|h| h.2),
            kl_distilled: d.map(|d| d.3),
            kl_hard: h.map(|h| h.3),
            message: self.message.clone(),
            ..empty_metrics(&self.config)
        };
    }

    /// Logits of `model` at points in the plane, on the plain device: no graph is kept.
    fn logits(&self, model: &Mlp, points: &[f32]) -> Vec<f32> {
        learner::logits(model, points, 2, &self.device)
    }

    fn tensor(&self, values: Vec<f32>, width: usize) -> Tensor<2> {
        to_tensor(values, width, &self.train_device)
    }
}

/// The teacher's shape under `config`.
pub fn teacher_config(config: &Config) -> MlpConfig {
    MlpConfig::uniform(
        2,
        config.teacher_width,
        config.teacher_depth,
        config.classes,
    )
    .with_activation(config.activation)
}

/// The students' shape under `config`.
pub fn student_config(config: &Config) -> MlpConfig {
    MlpConfig::uniform(
        2,
        config.student_width,
        config.student_depth,
        config.classes,
    )
    .with_activation(config.activation)
}

fn empty_metrics(config: &Config) -> Metrics {
    Metrics {
        phase: Phase::Teacher,
        teacher_step: 0,
        student_step: 0,
        teacher_steps: config.teacher_steps,
        student_steps: config.student_steps,
        teacher_loss: None,
        distilled_loss: None,
        hard_loss: None,
        teacher_acc: None,
        distilled_acc: None,
        hard_acc: None,
        agreement_distilled: None,
        agreement_hard: None,
        test_agreement_distilled: None,
        test_agreement_hard: None,
        kl_distilled: None,
        kl_hard: None,
        teacher_params: teacher_config(config).num_params(),
        student_params: student_config(config).num_params(),
        message: None,
    }
}

fn derive(seed: u64, label: &str) -> u64 {
    Rng::fork(seed, label).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distilled_student_s_file_loads_back_into_the_same_weights() {
        let config = Config {
            teacher_steps: 100,
            student_steps: 100,
            ..Config::default()
        };
        let mut trainer = Trainer::new(config.clone()).unwrap();
        trainer.step(50);
        assert!(
            trainer.distilled_student_bytes().is_none(),
            "no student in phase 1"
        );
        trainer.step(100);
        trainer.step(20);
        let bytes = trainer.distilled_student_bytes().unwrap().unwrap();
        let mut loaded = student_config(&config).init(99, &Device::flex());
        let trained = trainer.distilled_student().unwrap();
        assert_ne!(loaded.checksum(), trained.checksum());
        loaded
            .load_from(&mut BurnpackStore::from_bytes(Some(
                burn::tensor::Bytes::from_bytes_vec(bytes),
            )))
            .unwrap();
        assert_eq!(loaded.checksum(), trained.checksum());
    }
}
