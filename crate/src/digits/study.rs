//! The experiments of Hinton, Vinyals & Dean (2015), section 3, on the 8×8 digits: a student
//! learns more from a teacher's soft targets than from labels ([`Experiment::SoftVsHard`]),
//! recognises a digit it never saw once its bias for that class is raised
//! ([`Experiment::MissingClass`]), and depends on the temperature
//! ([`Experiment::Temperature`]).
//!
//! ```text
//! digits ──split──► train ──► teacher (trained here, or the shipped weights)
//!                     │            │ logits on the transfer set, once
//!                     └─ transfer ─┴─► arms: students of one size, same init, same batches,
//!                        (train, or train without the 3s)   each with its own T and soft weight
//!                                                   └─► Outcome: test errors side by side
//! ```
//!
//! This file is the engine: a [`Study`] is a state object advanced by [`Study::step`], which
//! the CLI runs to the end over several seeds and the page's Worker runs live. What it runs is
//! in `experiment.rs`, what it reports in `outcome.rs`.

use crate::digits::data::{CLASSES, Digits, PIXELS, SIDE};
use crate::digits::experiment::{Experiment, PAPER_BIAS, StudyConfig};
use crate::digits::outcome::{Answer, Outcome, Row};
use crate::distill;
use crate::learner::{self, Learner, batch, cosine, diverged, gather, one_hot, to_tensor};
use crate::metrics::{self, Phase};
use crate::model::Mlp;
use crate::rng::Rng;
use burn::module::Module;
use burn::tensor::Device;

/// One student of a study and how it learns.
struct Arm {
    label: String,
    /// `None` for the student on labels alone.
    temperature: Option<f32>,
    learner: Learner,
}

/// The teacher: being trained, or frozen.
enum Teacher {
    Training {
        learner: Learner,
        step: usize,
        batches: Rng,
    },
    Ready(Mlp),
}

/// One experiment on the digits, advanced by [`Study::step`].
pub struct Study {
    experiment: Experiment,
    config: StudyConfig,
    device: Device,
    train_device: Device,
    train: Digits,
    test: Digits,
    transfer: Digits,
    teacher: Teacher,
    /// The frozen teacher's logits on the transfer set: the soft targets, computed once.
    teacher_logits: Vec<f32>,
    /// The frozen teacher's logits on the test digits, computed once.
    teacher_test: Vec<f32>,
    arms: Vec<Arm>,
    batches: Rng,
    student_step: usize,
    diverged: Option<String>,
}

impl Study {
    /// A study of `experiment` on `digits`, split by `config.seed`. With `teacher` (trained on
    /// the same split) it starts with the students; without, it trains a teacher first.
    pub fn new(
        experiment: Experiment,
        config: StudyConfig,
        digits: &Digits,
        teacher: Option<Mlp>,
    ) -> Result<Self, String> {
        if config.test == 0 || config.test >= digits.len() {
            return Err(format!(
                "the test set must hold between 1 and {} digits, not {}",
                digits.len() - 1,
                config.test
            ));
        }
        if config.batch == 0 || config.student_steps == 0 || config.temperature <= 0.0 {
            return Err("batch, student steps and temperature must be positive".into());
        }
        let (train, test) = digits.split(config.test, config.seed);
        let transfer = match experiment {
            Experiment::MissingClass => train.without(config.omitted),
            _ => train.clone(),
        };
        let device = Device::flex();
        let train_device = device.clone().autodiff();
        let teacher = match teacher {
            Some(model) => Teacher::Ready(model),
            None => Teacher::Training {
                learner: Learner::new(config.teacher().init(
                    Rng::fork(config.seed, "digits teacher").next_u64(),
                    &train_device,
                )),
                step: 0,
                batches: Rng::fork(config.seed, "digits teacher batches"),
            },
        };
        let mut study = Self {
            experiment,
            batches: Rng::fork(config.seed, "digits student batches"),
            config,
            device,
            train_device,
            train,
            test,
            transfer,
            teacher,
            teacher_logits: Vec::new(),
            teacher_test: Vec::new(),
            arms: Vec::new(),
            student_step: 0,
            diverged: None,
        };
        if matches!(study.teacher, Teacher::Ready(_)) {
            study.start_students();
        }
        Ok(study)
    }

    /// Runs up to `n` optimisation steps (teacher first, then all students together, one
    /// batch each) and returns what is measured after them.
    pub fn step(&mut self, n: usize) -> Outcome {
        for _ in 0..n {
            match self.phase() {
                Phase::Teacher => self.teacher_step(),
                Phase::Student => self.student_step(),
                Phase::Done | Phase::Diverged => break,
            }
        }
        self.outcome()
    }

    /// Where the study is.
    pub fn phase(&self) -> Phase {
        if self.diverged.is_some() {
            Phase::Diverged
        } else if matches!(self.teacher, Teacher::Training { .. }) {
            Phase::Teacher
        } else if self.student_step < self.config.student_steps {
            Phase::Student
        } else {
            Phase::Done
        }
    }

    /// The frozen teacher, once trained.
    pub fn teacher(&self) -> Option<&Mlp> {
        match &self.teacher {
            Teacher::Ready(model) => Some(model),
            Teacher::Training { .. } => None,
        }
    }

    /// The held-out digits.
    pub fn test_set(&self) -> &Digits {
        &self.test
    }

    fn teacher_step(&mut self) {
        let (steps, lr, size) = (self.config.teacher_steps, self.config.lr, self.config.batch);
        let Teacher::Training {
            learner,
            step,
            batches,
        } = &mut self.teacher
        else {
            return;
        };
        let idx = batch(batches, self.train.len(), size);
        let mut pixels = gather(&self.train.x, &idx, PIXELS);
        if self.config.jitter {
            for digit in pixels.chunks_mut(PIXELS) {
                let (dx, dy) = (batches.below(3) as i32 - 1, batches.below(3) as i32 - 1);
                digit.copy_from_slice(&shift(digit, dx, dy));
            }
        }
        let x = to_tensor(pixels, PIXELS, &self.train_device);
        let y = to_tensor(
            one_hot(&self.train.y, &idx, CLASSES),
            CLASSES,
            &self.train_device,
        );
        let loss = distill::cross_entropy(learner.model().forward(x), y);
        let value = learner.update(cosine(lr, *step, steps), loss);
        *step += 1;
        if diverged(value) {
            self.diverged = Some(format!(
                "the teacher's loss reached {value} at step {step}: lower the learning rate"
            ));
        } else if *step >= steps {
            self.teacher = Teacher::Ready(learner.model().valid());
            self.start_students();
        }
    }

    fn start_students(&mut self) {
        let teacher = self.teacher().expect("the teacher is ready").clone();
        self.teacher_logits = self.logits(&teacher, &self.transfer.x);
        self.teacher_test = self.logits(&teacher, &self.test.x);
        let student = self.config.student().init(
            Rng::fork(self.config.seed, "digits student").next_u64(),
            &self.train_device,
        );
        let mut arms = vec![(String::from("labels"), None)];
        let temperatures = match self.experiment {
            Experiment::Temperature => self.config.temperatures.clone(),
            _ => vec![self.config.temperature],
        };
        arms.extend(
            temperatures
                .into_iter()
                .map(|t| (format!("distilled, T = {t}"), Some(t))),
        );
        // Same initial weights for every arm: a fair race.
        self.arms = arms
            .into_iter()
            .map(|(label, temperature)| Arm {
                label,
                temperature,
                learner: Learner::new(student.clone()),
            })
            .collect();
    }

    fn student_step(&mut self) {
        let k = CLASSES;
        let lr = cosine(self.config.lr, self.student_step, self.config.student_steps);
        let idx = batch(&mut self.batches, self.transfer.len(), self.config.batch);
        let dev = &self.train_device;
        let x = to_tensor(gather(&self.transfer.x, &idx, PIXELS), PIXELS, dev);
        let y = to_tensor(one_hot(&self.transfer.y, &idx, k), k, dev);
        let t = to_tensor(gather(&self.teacher_logits, &idx, k), k, dev);
        for arm in &mut self.arms {
            let (temperature, soft_weight) = match arm.temperature {
                Some(temperature) => (temperature, self.config.soft_weight),
                None => (1.0, 0.0),
            };
            let s = arm.learner.model().forward(x.clone());
            let loss = distill::loss(s, t.clone(), y.clone(), temperature, soft_weight);
            let value = arm.learner.update(lr, loss.total);
            if diverged(value) {
                self.diverged = Some(format!(
                    "the student \"{}\" reached a loss of {value} at step {}: lower the \
                     learning rate",
                    arm.label, self.student_step
                ));
            }
        }
        self.student_step += 1;
    }

    /// Measures every model on the test digits.
    pub fn outcome(&self) -> Outcome {
        let (teacher_step, teacher_steps) = match &self.teacher {
            Teacher::Training { step, .. } => (*step, self.config.teacher_steps),
            Teacher::Ready(_) => (self.config.teacher_steps, self.config.teacher_steps),
        };
        let teacher_logits = match &self.teacher {
            Teacher::Training { learner, .. } => {
                self.logits(&learner.model().valid(), &self.test.x)
            }
            Teacher::Ready(_) => self.teacher_test.clone(),
        };
        let teacher_pred = metrics::argmax(&teacher_logits, CLASSES);
        let missing = self.experiment == Experiment::MissingClass;
        let omitted = self.config.omitted;
        let row = |label: String, temperature, bias, logits: &[f32]| {
            let pred = predict(logits, omitted, bias);
            let wrong: Vec<usize> = (0..pred.len())
                .filter(|&i| pred[i] != self.test.y[i])
                .collect();
            Row {
                label,
                temperature,
                bias,
                errors: wrong.len(),
                accuracy: metrics::agreement(&pred, &self.test.y),
                agreement: metrics::agreement(&pred, &teacher_pred),
                omitted_errors: missing
                    .then(|| wrong.iter().filter(|&&i| self.test.y[i] == omitted).count()),
            }
        };
        let mut rows = Vec::new();
        for arm in &self.arms {
            let logits = self.logits(arm.learner.model(), &self.test.x);
            rows.push(row(arm.label.clone(), arm.temperature, 0.0, &logits));
            if missing && arm.temperature.is_some() {
                let matched = self.matched_bias(arm.learner.model());
                rows.push(row(
                    format!("+ bias {matched:.1}, matched"),
                    arm.temperature,
                    matched,
                    &logits,
                ));
                rows.push(row(
                    format!("+ bias {PAPER_BIAS}, the paper's"),
                    arm.temperature,
                    PAPER_BIAS,
                    &logits,
                ));
            }
        }
        Outcome {
            experiment: self.experiment,
            phase: self.phase(),
            teacher_step,
            teacher_steps,
            student_step: self.student_step,
            student_steps: self.config.student_steps,
            train: self.train.len(),
            test: self.test.len(),
            omitted_test: missing.then(|| self.test.y.iter().filter(|&&y| y == omitted).count()),
            omitted: missing.then_some(omitted),
            transfer: self.transfer.len(),
            teacher: row("teacher".into(), None, 0.0, &teacher_logits),
            rows,
            teacher_params: self.config.teacher().num_params(),
            student_params: self.config.student().num_params(),
            message: self.diverged.clone(),
        }
    }

    /// The bias for the omitted class chosen without any labelled example of it: the amount
    /// that makes the student name the omitted class, on the test digits, as often as the
    /// teacher does. (The test labels are not used; the teacher stands in for them.)
    fn matched_bias(&self, student: &Mlp) -> f32 {
        let target = metrics::argmax(&self.teacher_test, CLASSES)
            .iter()
            .filter(|&&p| p == self.config.omitted)
            .count();
        let logits = self.logits(student, &self.test.x);
        let count = |bias: f32| {
            predict(&logits, self.config.omitted, bias)
                .iter()
                .filter(|&&p| p == self.config.omitted)
                .count()
        };
        // The count grows with the bias: bisect for the smallest bias that reaches the target.
        let (mut lo, mut hi) = (0.0f32, 64.0f32);
        if count(lo) >= target {
            return 0.0;
        }
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            if count(mid) >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }

    /// What the teacher (at T = 1 and at `temperature`) and the distilled student say about
    /// one digit, `pixels` in `[0, 1]` row by row.
    pub fn answer(&self, pixels: &[f32], temperature: f32) -> Answer {
        let t = temperature;
        let teacher = self
            .teacher()
            .map(|m| self.logits(m, pixels))
            .unwrap_or_default();
        let student = self.student().map(|(arm, bias)| {
            let mut logits = self.logits(arm.learner.model(), pixels);
            if let Some(l) = logits.get_mut(self.config.omitted as usize) {
                *l += bias;
            }
            metrics::softmax(&logits, CLASSES, 1.0)
        });
        Answer {
            temperature: t,
            teacher_t1: metrics::softmax(&teacher, CLASSES, 1.0),
            teacher_t: metrics::softmax(&teacher, CLASSES, t),
            student: student.unwrap_or_default(),
        }
    }

    /// Confusion matrices `[true][predicted]` (10 × 10, row-major) on the test digits of the
    /// teacher and of the distilled student (empty before the students start).
    pub fn confusion(&self) -> (Vec<u32>, Vec<u32>) {
        let matrix = |logits: &[f32], bias: f32| {
            let mut m = vec![0u32; CLASSES * CLASSES];
            for (p, &y) in predict(logits, self.config.omitted, bias)
                .iter()
                .zip(&self.test.y)
            {
                m[y as usize * CLASSES + *p as usize] += 1;
            }
            m
        };
        let teacher = self
            .teacher()
            .map(|_| matrix(&self.teacher_test, 0.0))
            .unwrap_or_default();
        let student = self
            .student()
            .map(|(arm, bias)| matrix(&self.logits(arm.learner.model(), &self.test.x), bias))
            .unwrap_or_default();
        (teacher, student)
    }

    /// The distilled student the page shows, and the bias it gets: the arm at the run's T
    /// (the last distilled one otherwise), bias-matched for the missing class.
    fn student(&self) -> Option<(&Arm, f32)> {
        let arm = self
            .arms
            .iter()
            .find(|a| a.temperature == Some(self.config.temperature))
            .or_else(|| self.arms.iter().rev().find(|a| a.temperature.is_some()))?;
        let bias = if self.experiment == Experiment::MissingClass {
            self.matched_bias(arm.learner.model())
        } else {
            0.0
        };
        Some((arm, bias))
    }

    fn logits(&self, model: &Mlp, x: &[f32]) -> Vec<f32> {
        learner::logits(model, x, PIXELS, &self.device)
    }
}

/// Predicted classes from logits `[n, 10]`, with `bias` added to class `class`'s logit first:
/// the same as raising that class's output bias by `bias`.
fn predict(logits: &[f32], class: u32, bias: f32) -> Vec<u32> {
    let mut shifted = logits.to_vec();
    for row in shifted.chunks_mut(CLASSES) {
        row[class as usize] += bias;
    }
    metrics::argmax(&shifted, CLASSES)
}

/// `pixels` (8×8, row by row) moved `dx` columns right and `dy` rows down, blank where the
/// image moved away: the paper's input jitter, at this resolution one pixel.
pub fn shift(pixels: &[f32], dx: i32, dy: i32) -> Vec<f32> {
    let side = SIDE as i32;
    (0..side * side)
        .map(|i| {
            let (r, c) = (i / side - dy, i % side - dx);
            if (0..side).contains(&r) && (0..side).contains(&c) {
                pixels[(r * side + c) as usize]
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::data::{self, FILE};
    use crate::digits::weights;

    fn digits() -> Digits {
        data::parse(data::tests::BYTES, FILE).unwrap()
    }

    /// The shipped teacher and the settings it was trained under, students made small.
    fn shipped(student_steps: usize) -> (Mlp, StudyConfig) {
        let bytes = include_bytes!("../../../www/data/digits-teacher.bpk");
        let teacher = weights::load(bytes, weights::FILE, &Device::flex()).unwrap();
        let config = StudyConfig {
            student_hidden: vec![64],
            student_steps,
            ..teacher.config
        };
        (teacher.model, config)
    }

    fn finish(study: &mut Study) -> Outcome {
        let mut outcome = study.step(0);
        while matches!(outcome.phase, Phase::Teacher | Phase::Student) {
            outcome = study.step(500);
        }
        outcome
    }

    #[test]
    fn shift_moves_pixels_and_blanks_the_edge() {
        let pixels: Vec<f32> = (0..64).map(|i| i as f32).collect();
        let right = shift(&pixels, 1, 0);
        assert_eq!(&right[..8], &[0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let up = shift(&pixels, 0, -1);
        assert_eq!(&up[..8], &pixels[8..16]);
        assert!(up[56..].iter().all(|&p| p == 0.0));
        assert_eq!(shift(&pixels, 0, 0), pixels);
    }

    #[test]
    fn raising_a_bias_is_adding_to_that_logit() {
        let logits = [0.0, 2.0, 1.0, /* */ 3.0, 0.0, 2.9];
        let predict3 = |bias| {
            let mut padded = Vec::new();
            for row in logits.chunks(3) {
                padded.extend_from_slice(row);
                padded.extend([f32::MIN; CLASSES - 3]);
            }
            predict(&padded, 2, bias)
        };
        assert_eq!(predict3(0.0), [1, 0]);
        assert_eq!(predict3(0.5), [1, 2]); // 2.9 + 0.5 > 3
        assert_eq!(predict3(1.5), [2, 2]);
    }

    #[test]
    fn a_student_that_never_saw_a_3_recognises_them_after_the_bias_correction() {
        let (teacher, config) = shipped(1500);
        let mut study =
            Study::new(Experiment::MissingClass, config, &digits(), Some(teacher)).unwrap();
        let o = finish(&mut study);
        assert_eq!(o.phase, Phase::Done);
        assert!(o.transfer < o.train, "the 3s are out of the transfer set");
        let threes = o.omitted_test.unwrap();
        assert!(threes >= 40, "{threes} test 3s");
        let right = |row: &Row| 1.0 - row.omitted_errors.unwrap() as f32 / threes as f32;
        let [labels, distilled, matched, paper] = &o.rows[..] else {
            panic!("four rows: {:?}", o.rows);
        };
        // Without the teacher no 3 is ever named; chance would be 10 %.
        assert_eq!(right(labels), 0.0, "{labels:?}");
        assert!(matched.bias > 0.0 && paper.bias == PAPER_BIAS);
        assert!(right(matched) >= 0.8, "{matched:?}");
        assert!(
            right(matched) >= right(distilled),
            "{distilled:?} {matched:?}"
        );
        assert!(matched.accuracy >= 0.9, "{matched:?}");
        // The page's student is the matched one: its confusion matrix shows the same.
        let (_, student) = study.confusion();
        let correct_threes = student[3 * CLASSES + 3] as usize;
        assert_eq!(correct_threes, threes - matched.omitted_errors.unwrap());
    }

    #[test]
    fn soft_vs_hard_counts_add_up_and_repeat_exactly() {
        let (teacher, config) = shipped(600);
        let run = || {
            let mut s = Study::new(
                Experiment::SoftVsHard,
                config.clone(),
                &digits(),
                Some(teacher.clone()),
            )
            .unwrap();
            (finish(&mut s), s)
        };
        let (o, study) = run();
        assert_eq!(run().0, o, "seeded: the same outcome twice");
        assert_eq!((o.train, o.test, o.transfer), (1347, 450, 1347));
        assert_eq!(o.teacher.errors, 3, "the shipped teacher's 3 errors");
        for row in std::iter::once(&o.teacher).chain(&o.rows) {
            let wrong = (1.0 - row.accuracy) * o.test as f32;
            assert!((wrong - row.errors as f32).abs() < 0.01, "{row:?}");
            assert!(row.accuracy > 0.9, "{row:?}");
        }
        assert_eq!(o.rows.len(), 2);
        assert_eq!(
            o.describe_params(),
            "student: 4,810 parameters = 5.7 % of the teacher's 85,002"
        );
        assert_eq!(o.rows[1].temperature, Some(20.0));
        let (teacher_cm, student_cm) = study.confusion();
        assert_eq!(teacher_cm.iter().sum::<u32>(), 450);
        let diagonal: u32 = (0..CLASSES).map(|c| student_cm[c * CLASSES + c]).sum();
        assert_eq!(diagonal as usize, 450 - o.rows[1].errors);
        // At T = 20 the teacher's answer is far flatter than at T = 1, yet ranks the same.
        let digit = &study.test_set().x[..PIXELS];
        let a = study.answer(digit, 20.0);
        for p in [&a.teacher_t1, &a.teacher_t, &a.student] {
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
        let top = |p: &[f32]| metrics::argmax(p, CLASSES)[0];
        assert_eq!(top(&a.teacher_t1), top(&a.teacher_t));
        let peak = |p: &[f32]| p.iter().copied().fold(0.0, f32::max);
        let words = a.describe();
        assert!(
            words.starts_with(&format!("teacher says {} (", top(&a.teacher_t1))),
            "{words}"
        );
        assert!(words.contains("; student says "), "{words}");
        assert!(
            peak(&a.teacher_t) < 0.5 && peak(&a.teacher_t1) > 0.9,
            "{a:?}"
        );
    }

    #[test]
    fn a_teacher_trained_here_learns_and_bad_settings_are_refused() {
        let config = StudyConfig {
            teacher_hidden: vec![32],
            teacher_steps: 300,
            student_steps: 10,
            ..StudyConfig::default()
        };
        let mut study =
            Study::new(Experiment::SoftVsHard, config.clone(), &digits(), None).unwrap();
        assert_eq!(study.step(0).phase, Phase::Teacher);
        let o = finish(&mut study);
        assert!(o.teacher.accuracy > 0.85, "{:?}", o.teacher);
        assert_eq!(o.student_step, 10);
        let bad = StudyConfig { test: 0, ..config };
        assert!(Study::new(Experiment::SoftVsHard, bad, &digits(), None).is_err());
    }

    /// A straight stroke's two ends, as fractions of the pad's side.
    type Stroke = ((f32, f32), (f32, f32));

    /// Inks a stroke of width `pen` from `a` to `b` (fractions of the side) on a square
    /// canvas of `side` pixels, as the page's pad does.
    fn stroke(ink: &mut [u8], side: usize, a: (f32, f32), b: (f32, f32), pen: f32) {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        for (i, pixel) in ink.iter_mut().enumerate() {
            let (x, y) = (
                (i % side) as f32 / side as f32,
                (i / side) as f32 / side as f32,
            );
            let t =
                (((x - a.0) * dx + (y - a.1) * dy) / (dx * dx + dy * dy).max(1e-9)).clamp(0.0, 1.0);
            if (a.0 + t * dx - x).hypot(a.1 + t * dy - y) <= pen / 2.0 {
                *pixel = 255;
            }
        }
    }

    #[test]
    fn digits_drawn_as_the_writers_drew_them_are_read_right() {
        let (teacher, _) = shipped(1);
        let side = 140;
        let pen = 0.12; // the pad's pen, as a share of its side
        let draw = |strokes: &[Stroke]| {
            let mut ink = vec![0u8; side * side];
            for &(a, b) in strokes {
                stroke(&mut ink, side, a, b, pen);
            }
            data::from_sketch(&ink, side, side)
        };
        let ring: Vec<Stroke> = (0..24)
            .map(|i| {
                let at = |i: usize| {
                    let a = i as f32 / 24.0 * std::f32::consts::TAU;
                    (0.5 + 0.2 * a.cos(), 0.5 + 0.32 * a.sin())
                };
                (at(i), at(i + 1))
            })
            .collect();
        let top = ((0.28, 0.2), (0.72, 0.2));
        let slant = ((0.72, 0.2), (0.42, 0.85));
        let bar = ((0.45, 0.5), (0.7, 0.5));
        let read = |pixels: &[f32]| {
            let logits = learner::logits(&teacher, pixels, PIXELS, &Device::flex());
            let best = metrics::argmax(&logits, CLASSES)[0];
            (best, metrics::softmax(&logits, CLASSES, 1.0)[best as usize])
        };
        let (zero, one) = (
            read(&draw(&ring)),
            read(&draw(&[((0.5, 0.15), (0.5, 0.85))])),
        );
        assert!(zero.0 == 0 && zero.1 > 0.9, "{zero:?}");
        assert!(one.0 == 1 && one.1 > 0.9, "{one:?}");
        // The 13 writers of these digits mostly crossed their sevens; crossed, a drawn 7 is
        // read as one.
        let seven = read(&draw(&[top, slant, bar]));
        assert!(seven.0 == 7 && seven.1 > 0.9, "{seven:?}");
    }
}
