//! End-to-end runs of the trainer on small, seeded budgets.

use distill::config::Config;
use distill::metrics::Phase;
use distill::playground::trainer::Trainer;

fn run(config: Config) -> (Trainer, distill::metrics::Metrics) {
    run_at(config, 500)
}

/// Runs to the end in calls of `speed` steps, as the page does at that Speed.
fn run_at(config: Config, speed: usize) -> (Trainer, distill::metrics::Metrics) {
    let mut trainer = Trainer::new(config).expect("valid config");
    let mut metrics = trainer.metrics().clone();
    while !matches!(metrics.phase, Phase::Done | Phase::Diverged) {
        metrics = trainer.step(speed);
    }
    (trainer, metrics)
}

fn short() -> Config {
    Config {
        teacher_steps: 200,
        student_steps: 200,
        ..Config::default()
    }
}

#[test]
fn default_spiral_teacher_is_accurate_and_a_small_student_copies_it() {
    let (_, m) = run(Config::default());
    assert_eq!(m.phase, Phase::Done);
    assert!(
        m.teacher_acc.unwrap() >= 0.97,
        "teacher accuracy {:?}",
        m.teacher_acc
    );
    assert!(m.param_fraction() <= 0.10, "{}", m.describe_params());
    let agreement = m.agreement_distilled.unwrap();
    assert!(agreement >= 0.95, "distilled grid agreement {agreement}");
}

#[test]
fn same_config_gives_identical_metrics() {
    let a = run(short()).1;
    assert_eq!(a, run(short()).1);
    let other = run(Config { seed: 9, ..short() }).1;
    assert_ne!(a.teacher_loss, other.teacher_loss);
}

#[test]
fn huge_learning_rate_stops_with_an_explanation() {
    let (mut trainer, m) = run(Config {
        lr: 10.0,
        ..short()
    });
    assert_eq!(m.phase, Phase::Diverged);
    let message = m.message.expect("a diverged run says why");
    assert!(message.contains("learning rate (10)"), "{message}");
    let stopped_at = m.teacher_step;
    assert!(stopped_at < 20, "diverged at step {stopped_at}");
    assert_eq!(
        trainer.step(10).teacher_step,
        stopped_at,
        "a diverged run does not step on"
    );
}

#[test]
fn retraining_students_on_a_kept_teacher_equals_a_fresh_run() {
    let (mut trainer, _) = run(short());
    let changed = Config {
        temperature: 9.0,
        student_width: 6,
        ..short()
    };
    trainer.restart_students(changed.clone()).unwrap();
    let mut m = trainer.metrics().clone();
    assert_eq!((m.phase, m.student_step), (Phase::Student, 0));
    while m.phase != Phase::Done {
        m = trainer.step(500);
    }
    assert_eq!(m, run(changed).1);
    let err = trainer.restart_students(Config { seed: 5, ..short() });
    assert!(err.unwrap_err().contains("new teacher"));
}

#[test]
fn probe_gives_distributions_and_temperature_softens_them() {
    let (trainer, _) = run(short());
    let p = trainer.probe(0.3, -0.2);
    let entropy = |p: &[f32]| -p.iter().map(|&q| q * q.max(1e-12).ln()).sum::<f32>();
    for dist in [&p.teacher_t1, &p.teacher_t, &p.distilled, &p.hard] {
        assert_eq!(dist.len(), 3);
        assert!((dist.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
    assert!(entropy(&p.teacher_t) > entropy(&p.teacher_t1));
    let s = trainer.snapshot();
    assert_eq!(s.teacher.len(), s.grid * s.grid * s.classes);
    assert_eq!(s.distilled.len(), s.teacher.len());
}

#[test]
fn the_teacher_is_measured_after_its_last_step_at_every_speed() {
    // 200 teacher steps in one call that also starts the students: the teacher shown must be
    // the trained one, not the one measured before the call.
    let config = Config {
        seed: 7,
        teacher_steps: 200,
        student_steps: 500,
        ..Config::default()
    };
    let mut trainer = Trainer::new(config.clone()).unwrap();
    let crossed = trainer.step(200);
    assert_eq!(crossed.phase, Phase::Student);
    let mut fresh = Trainer::new(config.clone()).unwrap();
    fresh.step(199);
    let trained = fresh.step(1);
    assert_eq!(crossed.teacher_acc, trained.teacher_acc);
    assert!(
        crossed.teacher_acc.unwrap() > 0.9,
        "{:?}",
        crossed.teacher_acc
    );
    assert_eq!(trainer.snapshot().teacher, fresh.snapshot().teacher);

    let reference = run_at(config.clone(), 1);
    for speed in [7, 20, 200, 10_000] {
        let (t, m) = run_at(config.clone(), speed);
        assert_eq!(m, reference.1, "speed {speed}");
        assert_eq!(t.snapshot(), reference.0.snapshot(), "speed {speed}");
    }
}
