//! Distilling through the API: fidelity from answers alone, and the detector's ban.

use distill::api::extraction::{Extraction, ExtractionMetrics, ExtractionPhase};
use distill::config::Config;
use distill::playground::trainer::Trainer;

fn teacher(config: &Config) -> Trainer {
    let mut trainer = Trainer::new(config.clone()).unwrap();
    while trainer.teacher().is_none() {
        trainer.step(500);
    }
    trainer
}

fn extract(config: Config) -> ExtractionMetrics {
    let trainer = teacher(&config);
    let mut extraction = Extraction::new(&trainer, config).unwrap();
    let mut m = extraction.metrics().clone();
    while matches!(
        m.phase,
        ExtractionPhase::Querying | ExtractionPhase::Training
    ) {
        m = extraction.step(500);
    }
    m
}

fn small() -> Config {
    Config {
        teacher_steps: 1000,
        student_steps: 1000,
        budget: 1000,
        ..Config::default()
    }
}

#[test]
fn answers_alone_copy_the_teacher_and_runs_are_seeded() {
    let m = extract(small());
    assert_eq!(
        (m.phase, m.queries, m.banned_at),
        (ExtractionPhase::Done, 1000, None)
    );
    let full = &m.thieves[0];
    assert_eq!(full.format, "full probabilities");
    assert!(full.fidelity >= 0.85, "fidelity {}", full.fidelity);
    assert!((m.cost - 2.0).abs() < 1e-6, "1,000 queries at $2 per 1,000");
    assert!(
        (m.seconds - 49.0).abs() < 1e-6,
        "20 free, then 980 at 20/s: {}",
        m.seconds
    );
    assert_eq!(m, extract(small()));
}

#[test]
fn uniform_noise_queries_get_banned_and_training_stops() {
    let config = Config {
        source: distill::api::Source::Uniform,
        detector: true,
        ..small()
    };
    let trainer = teacher(&config);
    let mut extraction = Extraction::new(&trainer, config).unwrap();
    let m = extraction.step(1000);
    assert_eq!(m.phase, ExtractionPhase::Banned);
    let at = m.banned_at.expect("flagged");
    assert!(
        at <= 500 && m.queries < at,
        "banned at {at}, answered {}",
        m.queries
    );
    assert_eq!(
        extraction.step(100).step,
        m.step,
        "no training after the ban"
    );
    let benign = extract(Config {
        detector: true,
        ..small()
    });
    assert_eq!(benign.banned_at, None);
}

#[test]
fn each_copy_s_bill_is_read_every_ten_steps_whatever_the_pace() {
    let config = small();
    let trainer = teacher(&config);
    let run = |pace: usize| {
        let mut extraction = Extraction::new(&trainer, config.clone()).unwrap();
        let mut history = vec![extraction.metrics().clone()];
        while matches!(
            history.last().unwrap().phase,
            ExtractionPhase::Querying | ExtractionPhase::Training
        ) {
            history.push(extraction.step(pace));
        }
        history
    };
    let (slow, fast) = (run(7), run(500));
    let bills = |h: &[ExtractionMetrics]| -> Vec<Option<usize>> {
        h.last()
            .unwrap()
            .thieves
            .iter()
            .map(|t| t.queries_to_level)
            .collect()
    };
    assert_eq!(bills(&slow), bills(&fast), "the same bill at any pace");
    let full = bills(&fast)[0].expect("full probabilities reach 90 %");
    // Two queries a step over the first 500 steps, read every 10 steps: a multiple of 20
    // while querying, or the whole budget once it is spent.
    assert!(full % 20 == 0 && full <= 1000, "{full}");
    assert_eq!(fast.last().unwrap().level, 0.9);
    // The chapter's CSV carries the bill: a third column per format, the last row as shown.
    let csv = distill::table::extraction_csv(&fast);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header.len(), 1 + 3 * 5, "{csv}");
    assert_eq!(header[3], "full probabilities queries to 90 % fidelity");
    let last: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
    assert_eq!(last[3], full.to_string());
}
