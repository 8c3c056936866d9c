//! Every value the controls can produce trains: each knob at its limits, one step inside them
//! and its default, set through the URL parser as the page sets it; each group's knobs at one
//! end together (the chat round's and the reasoner round's also each alone at its two ends).

use burn::tensor::Device;
use distill::api::extraction::Extraction;
use distill::charlm::weights as chat_weights;
use distill::chat::api::Access;
use distill::chat::study::{CHECKPOINTS, ChatConfig, Round};
use distill::chat::{corpus, model as chat_model};
use distill::config::{Config, Group, KNOBS, Knob};
use distill::digits::experiment::{Experiment, StudyConfig};
use distill::digits::study::Study;
use distill::digits::weights;
use distill::metrics::Phase;
use distill::playground::trainer::Trainer;
use distill::reasoner::study::{self as reasoner, ReasonerConfig, TeacherScore};
use distill::reasoner::teacher as reasoner_teacher;
use distill::report::digits::{DATA, load};
use std::path::Path;

/// The knob's edge values as the URL writes them.
fn edges(knob: &Knob) -> Vec<String> {
    knob.edges()
        .into_iter()
        .map(|v| knob.format(knob.clamp(v)))
        .collect()
}

/// `knob` at its first or `last` end, as the URL writes it.
fn end(knob: &Knob, last: bool) -> String {
    let edges = knob.edges();
    let end = if last {
        edges[edges.len() - 1]
    } else {
        edges[0]
    };
    format!("{}={}", knob.key, knob.format(knob.clamp(end)))
}

/// Queries for all the knobs of `groups` at one end together, first the first then the last,
/// but for `held` (`key=value&…`), which ends both queries and so holds wherever its knob is
/// not in the groups (a repeated key keeps its first value); its first key's knob stays out.
fn together(groups: &[Group], held: &str) -> [String; 2] {
    let key = held.split('=').next().unwrap_or_default();
    [false, true].map(|last| {
        let all: Vec<String> = (KNOBS.iter())
            .filter(|knob| groups.contains(&knob.group) && knob.key != key)
            .map(|knob| end(knob, last))
            .collect();
        format!("{}&{held}", all.join("&"))
    })
}

/// Queries for `group`'s knobs: each alone at either end, then all at one end together (see
/// [`together`]), with `held` ending every query.
fn ends_of(group: Group, held: &str) -> Vec<String> {
    let alone = (KNOBS.iter().filter(|k| k.group == group))
        .flat_map(|knob| [end(knob, false), end(knob, true)])
        .map(|case| format!("{case}&{held}"));
    alone.chain(together(&[group], held)).collect()
}

/// Trains `query`'s teacher into its students' phase (100 steps at most unless the query sets
/// more) and, from there, its students and an API thief a few steps each: no message, no
/// divergence but where `diverging` allows it.
fn trains_teacher_students_and_a_thief(query: &str, diverging: impl Fn(&Config) -> bool) {
    let (config, _) = Config::from_query(query);
    assert_eq!(config.validate(), Ok(()), "{query}");
    let mut trainer = Trainer::new(config.clone()).unwrap_or_else(|e| panic!("{query}: {e}"));
    let mut m = trainer.step(3);
    if config.teacher_steps <= 100 {
        m = trainer.step(103);
    }
    if !diverging(&config) {
        assert_eq!(m.message, None, "{query}");
        assert_ne!(m.phase, Phase::Diverged, "{query}");
    }
    if m.phase == Phase::Student || m.phase == Phase::Done {
        let mut thief =
            Extraction::new(&trainer, config).unwrap_or_else(|e| panic!("{query}: {e}"));
        thief.step(3);
    }
}

#[test]
fn every_knob_at_every_edge_trains_teacher_students_and_a_thief() {
    for knob in KNOBS {
        for text in edges(knob) {
            // Short budgets, unless the knob under test is one of them: the first value of a
            // key wins, so the knob's own value comes first.
            let query = format!(
                "{}={text}&teacher_steps=100&student_steps=100&budget=100",
                knob.key
            );
            trains_teacher_students_and_a_thief(&query, |config| {
                knob.key == "lr" && config.lr > 0.5
            });
        }
    }
}

#[test]
fn the_playground_s_and_the_api_s_groups_at_one_end_each_and_all_together_train_teacher_students_and_a_thief()
 {
    let groups = [
        Group::Data,
        Group::Models,
        Group::Distillation,
        Group::Training,
        Group::Api,
    ];
    // Each group, then every one of them at once (as a link may set them).
    let sets = groups.iter().map(std::slice::from_ref).chain([&groups[..]]);
    for set in sets {
        for query in together(set, "teacher_steps=100&student_steps=100&budget=100") {
            // The learning rate at its top diverges, as it may (the page says so).
            trains_teacher_students_and_a_thief(&query, |config| config.lr > 0.5);
        }
    }
}

#[test]
fn every_digits_knob_at_every_edge_trains_the_students_of_every_experiment() {
    let digits = load(Path::new(DATA)).unwrap();
    let bytes = include_bytes!("../../www/data/digits-teacher.bpk");
    let teacher = weights::load(bytes, weights::FILE, &Device::flex()).unwrap();
    for knob in KNOBS.iter().filter(|k| k.group == Group::Digits) {
        for text in edges(knob) {
            let (config, _) = Config::from_query(&format!("{}={text}", knob.key));
            let what = format!("{}={text}", knob.key);
            assert_eq!(config.validate(), Ok(()), "{what}");
            let study = teacher.config.clone().with_knobs(&config);
            assert_eq!(study, StudyConfig::from_config(&config), "{what}");
            for experiment in Experiment::ALL {
                let mut run = Study::new(
                    experiment,
                    study.clone(),
                    &digits,
                    Some(teacher.model.clone()),
                )
                .unwrap_or_else(|e| panic!("{what}: {e}"));
                let o = run.step(3);
                assert_eq!(o.message, None, "{what} {experiment:?}");
                assert_eq!(o.phase, Phase::Student, "{what} {experiment:?}");
            }
        }
    }
}

#[test]
fn every_chat_knob_at_either_end_alone_and_all_together_runs_a_round_to_finite_numbers() {
    let device = Device::flex();
    let teacher = chat_weights::load(
        &chat_model::TEACHER,
        include_bytes!("../../www/data/names-teacher.bpk"),
        chat_model::FILE,
        &device,
    )
    .unwrap();
    let names = corpus::parse(include_bytes!("../../www/data/names.bin"), corpus::FILE).unwrap();
    let (train, held) = corpus::split(&names, corpus::HELD_OUT, teacher.split_seed);
    // Few held-out names and probes, and the round to its first checkpoint: the knob's value
    // is what is tested, not the lesson.
    let held = &held[..100];
    // The steps at 20 but at their own end: else the largest students would train 500 steps
    // to their first checkpoint.
    let cases = ends_of(Group::Chat, "chat_steps=20");
    for what in cases {
        let (config, _) = Config::from_query(&what);
        assert_eq!(config.validate(), Ok(()), "{what}");
        let round = ChatConfig {
            probe: 20,
            ..ChatConfig::from_config(&config)
        };
        // To the first checkpoint, where the students are first measured.
        let first = round.steps.div_ceil(CHECKPOINTS);
        let mut run = Round::new(&teacher.model, &train, held, round, &Access::ALL, &device);
        assert_eq!(run.step(first), first, "{what}");
        let out = run.outcome();
        assert_eq!(out.step, first, "{what}");
        assert!(
            out.tokens > 0 && out.tokens <= out.budget,
            "{what}: {} tokens",
            out.tokens
        );
        assert!(
            out.bill.is_finite() && out.bill >= 0.0,
            "{what}: bill {}",
            out.bill
        );
        assert!(
            out.seconds.is_finite() && out.seconds >= 0.0,
            "{what}: {} s",
            out.seconds
        );
        assert!(
            out.teacher.nll.is_some_and(f64::is_finite),
            "{what}: teacher NLL {:?}",
            out.teacher.nll
        );
        assert_eq!(out.thieves.len(), Access::ALL.len(), "{what}");
        for thief in &out.thieves {
            let last = thief.last();
            let who = format!("{what}, {}", thief.name);
            assert!(
                last.nll.is_finite() && last.nll > 0.0,
                "{who}: NLL {}",
                last.nll
            );
            assert!(
                last.kl.is_finite() && last.kl >= 0.0,
                "{who}: KL {}",
                last.kl
            );
            for verdict in [thief.verdict, thief.wrong_key] {
                assert!((0.0..=1.0).contains(&verdict.p), "{who}: p {}", verdict.p);
            }
        }
    }
}

#[test]
fn every_reasoner_knob_at_either_end_alone_and_all_together_starts_a_round_that_trains_and_measures()
 {
    let device = Device::flex();
    let teacher = chat_weights::load(
        &reasoner_teacher::KIND,
        include_bytes!("../../www/data/reasoner-teacher.bpk"),
        reasoner_teacher::FILE,
        &device,
    )
    .unwrap();
    // The teacher's own score is another test's; a step of the round, measured before and
    // after, on the smallest purchase but at the purchase's own end: the knobs' values are
    // what is tested, not the lesson.
    let score = TeacherScore {
        worked: 1.0,
        direct: 1.0,
    };
    for what in ends_of(Group::Reasoner, "reasoner_problems=100") {
        let (config, _) = Config::from_query(&what);
        assert_eq!(config.validate(), Ok(()), "{what}");
        let round = ReasonerConfig {
            every: 1,
            ..ReasonerConfig::from_config(&config)
        };
        let api = reasoner::api(&round, &teacher.model, teacher.split_seed, &device);
        let mut run = reasoner::Round::with_score(
            round,
            &teacher.model,
            &api,
            teacher.split_seed,
            score,
            &device,
        );
        assert_eq!(run.step(1), 1, "{what}");
        let out = run.outcome();
        assert!(out.tokens > 0 && out.tokens <= out.budget, "{what}");
        assert!(
            out.bill.is_finite() && out.bill >= 0.0,
            "{what}: {}",
            out.bill
        );
        for s in &out.students {
            assert_eq!(s.points.len(), 2, "{what}: {}", s.name);
            let p = s.points.last().unwrap();
            assert!((0.0..=1.0).contains(&p.accuracy), "{what}: {}", s.name);
        }
    }
}
