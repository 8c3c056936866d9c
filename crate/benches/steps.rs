//! Optimisation steps per second, natively: `cargo xtask bench` (or `cargo bench -p distill`).
//!
//! Every benchmark reports a throughput in steps (criterion's "elem/s"), so the figures read
//! directly as steps/s and compare with the page's.
//!
//! - `teacher step/B`: one teacher step (the 2-64-64-64-3 MLP on a batch of B labelled points);
//!   the baseline the others are read against.
//! - `student step/B`: one student step, which updates *both* students (2-16-16-3, distilled and
//!   hard-label) on the same batch against the teacher's logits, computed once per run.
//! - `page tick/20`: `Trainer::step(20)` in the student phase, as the page calls it at its
//!   default speed: 20 student steps and then the measurements (every model on the 48 × 48 grid
//!   and the test set). Counted as 20 steps, so the gap to `student step/64` is what measuring
//!   costs.
//!
//! Batch sizes 16, 64 (the default) and 256 show how a step's cost grows with the batch. All
//! other settings are the defaults (spiral, 3 classes, seed 1).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use distill::config::Config;
use distill::metrics::Phase;
use distill::playground::trainer::Trainer;

/// Batch sizes measured for both phases; 64 is the default.
const BATCHES: [usize; 3] = [16, 64, 256];

/// Steps the page runs per `step` call at its default speed.
const PAGE_SPEED: usize = 20;

/// The largest budgets the config allows (its `validate` rejects more): a trainer is rebuilt,
/// outside the timed region, whenever the phase being measured would run out.
const MAX_TEACHER_STEPS: usize = 10_000;
const MAX_STUDENT_STEPS: usize = 20_000;

/// Teacher steps run before a student benchmark: enough for the student phase to start, no
/// more (the students' step costs the same whatever the teacher learnt).
const SHORT_TEACHER: usize = 100;

/// A trainer held inside one phase for as long as criterion asks for steps.
struct Runner {
    config: Config,
    phase: Phase,
    trainer: Trainer,
    /// Steps of `phase` that can still run without ending it.
    left: usize,
}

impl Runner {
    /// A trainer in the teacher phase, with the longest teacher budget.
    fn teacher(batch: usize) -> Self {
        let config = Config {
            batch,
            teacher_steps: MAX_TEACHER_STEPS,
            ..Config::default()
        };
        Self::new(config, Phase::Teacher)
    }

    /// A trainer in the student phase (after a short teacher), with the longest student
    /// budget.
    fn student(batch: usize) -> Self {
        let config = Config {
            batch,
            teacher_steps: SHORT_TEACHER,
            student_steps: MAX_STUDENT_STEPS,
            ..Config::default()
        };
        Self::new(config, Phase::Student)
    }

    fn new(config: Config, phase: Phase) -> Self {
        let (trainer, left) = Self::fresh(&config, phase);
        Self {
            config,
            phase,
            trainer,
            left,
        }
    }

    /// A new trainer brought to the start of `phase`, and the steps it has left there. The
    /// last step of each phase is never run: the teacher's would start the students.
    fn fresh(config: &Config, phase: Phase) -> (Trainer, usize) {
        let mut trainer = Trainer::new(config.clone()).expect("the benchmark config is valid");
        let left = match phase {
            Phase::Teacher => config.teacher_steps - 1,
            _ => {
                assert_eq!(trainer.train(config.teacher_steps), config.teacher_steps);
                config.student_steps - 1
            }
        };
        // `train` does not measure: `step(0)` refreshes the metrics, phase included.
        assert_eq!(
            trainer.step(0).phase,
            phase,
            "the trainer reached {phase:?}"
        );
        (trainer, left)
    }

    /// Time taken by `calls` calls of `work`, each of which runs `steps` steps; the trainer
    /// is rebuilt outside the timing whenever its budget would run out.
    fn time(&mut self, calls: u64, steps: usize, mut work: impl FnMut(&mut Trainer)) -> Duration {
        let mut total = Duration::ZERO;
        let mut remaining = calls;
        while remaining > 0 {
            if self.left < steps {
                (self.trainer, self.left) = Self::fresh(&self.config, self.phase);
            }
            let now = (self.left / steps).min(usize::try_from(remaining).unwrap_or(usize::MAX));
            let start = Instant::now();
            for _ in 0..now {
                work(&mut self.trainer);
            }
            total += start.elapsed();
            self.left -= now * steps;
            remaining -= now as u64;
        }
        total
    }
}

/// Runs `steps` optimisation steps without measuring, checking they all ran (a finished or
/// diverged run would time nothing).
fn train(trainer: &mut Trainer, steps: usize) {
    assert_eq!(black_box(trainer.train(steps)), steps);
}

/// `teacher step/B` and `student step/B`: `Trainer::train(1)` in each phase, per batch size.
fn steps(c: &mut Criterion) {
    for (name, runner) in [
        ("teacher step", Runner::teacher as fn(usize) -> Runner),
        ("student step", Runner::student),
    ] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        for batch in BATCHES {
            let mut runner = runner(batch);
            group.bench_with_input(BenchmarkId::from_parameter(batch), &batch, |b, _| {
                b.iter_custom(|calls| runner.time(calls, 1, |t| train(t, 1)));
            });
        }
        group.finish();
    }
}

/// `page tick/20`: `Trainer::step(20)`, training and measuring, in the student phase.
fn page_tick(c: &mut Criterion) {
    let mut group = c.benchmark_group("page tick");
    group.throughput(Throughput::Elements(PAGE_SPEED as u64));
    let mut runner = Runner::student(Config::default().batch);
    group.bench_with_input(
        BenchmarkId::from_parameter(PAGE_SPEED),
        &PAGE_SPEED,
        |b, &n| {
            b.iter_custom(|calls| {
                runner.time(calls, n, |t| {
                    let metrics = black_box(t.step(n));
                    assert_eq!(metrics.phase, Phase::Student);
                })
            });
        },
    );
    group.finish();
}

criterion_group!(benches, steps, page_tick);
criterion_main!(benches);
