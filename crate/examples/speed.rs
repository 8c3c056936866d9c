//! Teacher and student steps/s natively, timed exactly as `tests/perf/speed.mjs` times the
//! wasm build in a browser Worker, so that the two figures compare:
//!
//! ```text
//! cargo run --release -p distill --example speed
//! ```
//!
//! Prints one JSON object. Unlike the criterion benchmark (`benches/steps.rs`), which times
//! `Trainer::train` alone, this times `Trainer::step`, the only call the page has:
//!
//! - `teacher_step`, `student_step`: steps/s of one long call, where the measurement at its end
//!   is amortised; `student_step_chunks`: steps/s in calls of 20 steps, as the page makes them
//!   at its default speed;
//! - `run`: the default run (2,000 teacher then 3,000 student steps) in calls of 20, as the page
//!   plays it but without drawing: the student step and the time (ms from the start) at which
//!   each student's grid agreement with the teacher first shows as ≥ 95.0 %, and the total time.
//!
//! - `chat_step`: round steps/s of the chat chapter's default round (each step one Adam step of
//!   all five thieves' students, KD and text alike), timed in one call after a warm-up;
//!   `chat_run`: that round from its start to its end in calls of `CHAT_CHUNK`, as the page's
//!   Worker plays it, in ms (the transcript bought and the untrained students measured first).
//! - `reasoner_step`, `reasoner_run`: the same for the reasoner chapter's default round (each
//!   step one Adam step of all four thieves' students; the teacher's held-out score measured
//!   once before either, as the page's Worker keeps it per seed).
//! - `reasoner_defended`: the reasoner's default round played whole from nothing (the
//!   teacher's held-out score, the purchase, every step), in ms, plainly (`plain_ms`) and
//!   behind antidistillation sampling at the strongest λ measured (`ads_ms`: two shifted
//!   proxies read at every sampled token), `ratio`, the second over the first, and `proxy_ms`,
//!   the owner's proxy's training, which comes once a seed before any steering round.
//!
//! A short throw-away run goes first, so that both phases' code is warm before anything is
//! timed (V8 compiles wasm in tiers and needs it; natively it costs nothing).

use std::time::Instant;

use distill::chat::api::Access;
use distill::chat::study::{ChatConfig, Round};
use distill::config::Config;
use distill::metrics::{Metrics, Phase};
use distill::playground::trainer::Trainer;
use distill::reasoner::defence::{Api, Defence, Policy};
use distill::reasoner::frontier;
use distill::reasoner::proxy::Proxy;
use distill::reasoner::study::{self as reasoner, ReasonerConfig};

/// The protocol, shared with `tests/perf/speed.mjs`; change both together.
const TEACHER_STEPS: usize = 2000;
/// Teacher steps run before the teacher is timed.
const TEACHER_WARM_UP: usize = 200;
/// Teacher steps timed, in one call.
const TEACHER_TIMED: usize = 1500;
/// The students' budget: more than the steps below, so the run never finishes.
const STUDENT_STEPS: usize = 20_000;
/// Student steps run before the students are timed.
const STUDENT_WARM_UP: usize = 500;
/// Student steps timed, once in one call and once in calls of `CHUNK`.
const STUDENT_TIMED: usize = 3000;
/// Steps per call in the page at its default speed.
const CHUNK: usize = 20;
/// Each phase's budget in the throw-away warm-up run.
const WARM_UP_RUN: usize = 100;
/// The grid agreement, in tenths of a percent as the page shows it, that `run` waits for.
const TARGET_PERMILLE: f32 = 950.0;
/// Chat round steps run before the chat round is timed.
const CHAT_WARM_UP: usize = 50;
/// Chat round steps timed, in one call.
const CHAT_TIMED: usize = 300;
/// Chat round steps per call in the default run, as the page's Worker makes them.
const CHAT_CHUNK: usize = 10;
/// Steps of a throw-away reasoner round first.
const REASONER_WARM_UP_RUN: usize = 100;
/// Reasoner round steps run before the reasoner round is timed.
const REASONER_WARM_UP: usize = 50;
/// Reasoner round steps timed, in one call.
const REASONER_TIMED: usize = 200;
/// Reasoner round steps per call in the default run, as the reasoner's Worker makes them.
const REASONER_CHUNK: usize = 10;

fn main() {
    let warm_up = Config {
        teacher_steps: WARM_UP_RUN,
        student_steps: WARM_UP_RUN,
        ..Config::default()
    };
    let mut trainer = Trainer::new(warm_up).expect("the warm-up config is valid");
    expect(trainer.step(2 * WARM_UP_RUN), Phase::Done);

    let config = Config {
        teacher_steps: TEACHER_STEPS,
        student_steps: STUDENT_STEPS,
        ..Config::default()
    };
    let mut trainer = Trainer::new(config).expect("the default config is valid");

    trainer.step(TEACHER_WARM_UP);
    let teacher = rate(TEACHER_TIMED, || {
        expect(trainer.step(TEACHER_TIMED), Phase::Teacher)
    });
    expect(
        trainer.step(TEACHER_STEPS - TEACHER_WARM_UP - TEACHER_TIMED),
        Phase::Student,
    );

    expect(trainer.step(STUDENT_WARM_UP), Phase::Student);
    let student = rate(STUDENT_TIMED, || {
        expect(trainer.step(STUDENT_TIMED), Phase::Student)
    });
    let student_chunks = rate(STUDENT_TIMED, || {
        for _ in 0..STUDENT_TIMED / CHUNK {
            expect(trainer.step(CHUNK), Phase::Student);
        }
    });

    let run = default_run();
    let (chat_step, chat_run) = chat();
    let (reasoner_step, reasoner_run) = reasoner();
    let (plain_ms, ads_ms, proxy_ms) = reasoner_defended();
    let ratio = ads_ms / plain_ms;

    println!(
        "{{\"teacher_step\":{teacher:.1},\"student_step\":{student:.1},\
         \"student_step_chunks\":{student_chunks:.1},\"chunk\":{CHUNK},\"run\":{run},\
         \"chat_step\":{chat_step:.1},\"chat_run\":{{\"ms\":{chat_run:.1}}},\
         \"reasoner_step\":{reasoner_step:.1},\"reasoner_run\":{{\"ms\":{reasoner_run:.1}}},\
         \"reasoner_defended\":{{\"plain_ms\":{plain_ms:.1},\"ads_ms\":{ads_ms:.1},\"ratio\":{ratio:.3},\"proxy_ms\":{proxy_ms:.1}}}}}"
    );
}

/// The chat chapter's default round on the shipped names and teacher: its steps/s after a
/// warm-up, and a fresh round's whole run in ms.
fn chat() -> (f64, f64) {
    let (teacher, train, held) = distill::report::chat::shipped().expect("the shipped chat files");
    let device = burn::tensor::Device::flex();
    let config = ChatConfig::default();
    let round = || {
        Round::new(
            &teacher,
            &train,
            &held,
            config.clone(),
            &Access::ALL,
            &device,
        )
    };
    let warm = ChatConfig {
        steps: 40,
        ..config.clone()
    };
    Round::new(&teacher, &train, &held, warm, &Access::ALL, &device).step(40);
    let mut timed = round();
    timed.step(CHAT_WARM_UP);
    let step = rate(CHAT_TIMED, || {
        assert_eq!(timed.step(CHAT_TIMED), CHAT_TIMED);
    });
    let start = Instant::now();
    let mut run = round();
    while run.step(CHAT_CHUNK) > 0 {}
    (step, start.elapsed().as_secs_f64() * 1e3)
}

/// The reasoner chapter's default round on the shipped teacher: its steps/s after a warm-up,
/// and a fresh round's whole run in ms.
fn reasoner() -> (f64, f64) {
    let teacher = distill::report::reasoner::shipped().expect("the shipped reasoner teacher");
    let split = distill::reasoner::teacher::SPLIT;
    let device = burn::tensor::Device::flex();
    let config = ReasonerConfig::default();
    let api = reasoner::api(&config, &teacher, split, &device);
    let score = reasoner::teacher_score(&teacher, &api, split, config.seed, &device);
    let round = |config: ReasonerConfig| {
        reasoner::Round::with_score(config, &teacher, &api, split, score, &device)
    };
    let warm = ReasonerConfig {
        steps: REASONER_WARM_UP_RUN,
        ..config.clone()
    };
    round(warm).step(REASONER_WARM_UP_RUN);
    let mut timed = round(config.clone());
    timed.step(REASONER_WARM_UP);
    let step = rate(REASONER_TIMED, || {
        assert_eq!(timed.step(REASONER_TIMED), REASONER_TIMED);
    });
    let start = Instant::now();
    let mut run = round(config);
    while run.step(REASONER_CHUNK) > 0 {}
    (step, start.elapsed().as_secs_f64() * 1e3)
}

/// The reasoner's default round from nothing to its end (the teacher's held-out score, the
/// purchase, every step), plainly and behind ADS at the strongest λ measured, in ms each; and
/// the owner's proxy's training, which the page's Worker does once a seed, in ms.
fn reasoner_defended() -> (f64, f64, f64) {
    let teacher = distill::report::reasoner::shipped().expect("the shipped reasoner teacher");
    let split = distill::reasoner::teacher::SPLIT;
    let device = burn::tensor::Device::flex();
    let start = Instant::now();
    let proxy = Proxy::train(&teacher, split, 1, &device);
    let proxy_ms = start.elapsed().as_secs_f64() * 1e3;
    let whole = |policy| {
        let config = ReasonerConfig {
            policy,
            ..ReasonerConfig::default()
        };
        let start = Instant::now();
        let api = Api::new(policy, Some(&proxy), config.seed);
        let score = reasoner::teacher_score(&teacher, &api, split, config.seed, &device);
        let mut round = reasoner::Round::with_score(config, &teacher, &api, split, score, &device);
        while round.step(REASONER_CHUNK) > 0 {}
        start.elapsed().as_secs_f64() * 1e3
    };
    let ads = Policy {
        defence: Defence::Ads,
        lambda: frontier::LAMBDAS[frontier::LAMBDAS.len() - 1],
        ..Policy::PLAIN
    };
    (whole(Policy::PLAIN), whole(ads), proxy_ms)
}

/// The default run in calls of `CHUNK`, as JSON: when each student first reaches the target
/// agreement (`null` if never) and how long the whole run took.
fn default_run() -> String {
    let mut trainer = Trainer::new(Config::default()).expect("the default config is valid");
    let start = Instant::now();
    let mut reached: [Option<(usize, f64)>; 2] = [None, None];
    loop {
        let m = trainer.step(CHUNK);
        let ms = start.elapsed().as_secs_f64() * 1e3;
        for (slot, agreement) in reached
            .iter_mut()
            .zip([m.agreement_distilled, m.agreement_hard])
        {
            // Rounded to 0.1 % as the page shows it.
            if slot.is_none() && agreement.is_some_and(|a| (a * 1000.0).round() >= TARGET_PERMILLE)
            {
                *slot = Some((m.student_step, ms));
            }
        }
        match m.phase {
            Phase::Teacher | Phase::Student => {}
            Phase::Done => break,
            Phase::Diverged => panic!("the default run diverged: {:?}", m.message),
        }
    }
    let total = start.elapsed().as_secs_f64() * 1e3;
    let json = |r: Option<(usize, f64)>| {
        r.map_or("null".into(), |(step, ms)| {
            format!("{{\"step\":{step},\"ms\":{ms:.1}}}")
        })
    };
    format!(
        "{{\"distilled\":{},\"hard\":{},\"ms\":{total:.1}}}",
        json(reached[0]),
        json(reached[1])
    )
}

/// Steps per second of `work`, which runs `steps` steps.
fn rate(steps: usize, work: impl FnOnce()) -> f64 {
    let start = Instant::now();
    work();
    steps as f64 / start.elapsed().as_secs_f64()
}

/// Stops the run if it left the phase being timed (a diverged run would time nothing).
fn expect(metrics: Metrics, phase: Phase) {
    assert_eq!(metrics.phase, phase, "{:?}", metrics.message);
}
