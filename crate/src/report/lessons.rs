//! The lesson table behind `report --experiment lessons`: each chapter's lesson and its
//! counter-case measured over seeds, as mean ± std and how many seeds the lesson holds in.

use crate::chat::api::Access;
use crate::config::Config;
use crate::evidence::investigation::SUSPECTS;
use crate::lesson::{self, Lesson, api::Bill, api::Spread, playground::Race};
use crate::report::{evidence, mean_std};
use std::fmt::Write as _;
use std::path::Path;

/// How often the lesson runs are measured, in steps.
const EVERY: usize = 10;

/// One measure over seeds: a value per seed (`None`: never reached), and per seed whether the
/// lesson's comparison held (`None`: the row is a reference, not a comparison).
struct Row {
    name: String,
    values: Vec<Option<f32>>,
    held: Vec<Option<bool>>,
}

impl Row {
    fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            values: Vec::new(),
            held: Vec::new(),
        }
    }

    fn push(&mut self, value: Option<f32>, held: impl Into<Option<bool>>) {
        self.values.push(value);
        self.held.push(held.into());
    }
}

/// Which lessons to measure, by chapter name (all when `only` is `None`), and over which
/// settings: each lesson's and counter-case's query with `config`'s `given` knobs put over it.
pub struct Selection<'a> {
    /// A chapter's name, or all.
    pub only: Option<&'a str>,
    /// The knobs given on the command line, put over every lesson's setting.
    pub given: &'a [&'static str],
}

/// Runs every selected lesson and its counter-case for `seeds` seeds from `config.seed` and
/// writes `lessons.md` and `lessons.csv` into `out`; returns the Markdown.
pub fn write(
    config: &Config,
    select: &Selection,
    seeds: usize,
    out: &Path,
    mut log: impl FnMut(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut md = format!("# Lessons\n\n{seeds} seed(s) from {}.\n", config.seed);
    let mut csv = String::from("chapter,case,query,measure,seed,value,held\n");
    for lesson in lesson::LESSONS {
        if select.only.is_some_and(|c| c != lesson.chapter) {
            continue;
        }
        for (case, base) in [("lesson", lesson.query), ("counter", lesson.counter)] {
            let mut setting = Config::from_query(base).0;
            for &key in select.given {
                if let Some(knob) = crate::config::Knob::find(key) {
                    (knob.set)(&mut setting, (knob.get)(config));
                }
            }
            if let Some(problem) = setting.reconcile().into_iter().next() {
                return Err(problem);
            }
            let query = setting.to_query();
            let rows = measure(lesson, &setting, config.seed, seeds, &mut log)?;
            let _ = write!(
                md,
                "\n## {}: {case} (`{}`)\n\n",
                lesson.chapter,
                if query.is_empty() { "defaults" } else { &query }
            );
            if case == "counter" {
                let _ = writeln!(md, "{}\n", lesson.counter_reason);
            }
            match rows {
                Measured::Rows(rows) => {
                    md.push_str(&rows_markdown(&rows, seeds));
                    for row in &rows {
                        for (i, h) in row.held.iter().enumerate() {
                            let v = row.values.get(i).copied().flatten();
                            let _ = writeln!(
                                csv,
                                "{},{case},{query},{},{},{},{}",
                                lesson.chapter,
                                crate::table::field(&row.name),
                                config.seed + i as u64,
                                v.map_or(String::new(), |v| format!("{v:.4}")),
                                h.map_or(String::new(), |h| h.to_string())
                            );
                        }
                    }
                }
                Measured::Cases(cases, held) => {
                    md.push_str(&evidence::table(&cases));
                    let _ = writeln!(
                        md,
                        "\nLesson holds (the copy of the watermarked API flagged, nothing else, \
                         no wrong key) in {} of {seeds} seeds.",
                        held.iter().filter(|&&h| h).count()
                    );
                    for (i, h) in held.iter().enumerate() {
                        let _ = writeln!(
                            csv,
                            "{},{case},{query},holds,{},,{h}",
                            lesson.chapter,
                            config.seed + i as u64
                        );
                    }
                }
            }
        }
    }
    std::fs::write(out.join("lessons.csv"), &csv).map_err(|e| e.to_string())?;
    std::fs::write(out.join("lessons.md"), &md).map_err(|e| e.to_string())?;
    Ok(md)
}

/// A lesson's measurements over seeds.
enum Measured {
    /// Comparisons, one row a measure.
    Rows(Vec<Row>),
    /// The investigation's cases per suspect over seeds, and whether the lesson held per seed.
    Cases(Vec<Vec<crate::evidence::investigation::Case>>, Vec<bool>),
}

fn measure(
    lesson: &Lesson,
    setting: &Config,
    first: u64,
    seeds: usize,
    log: &mut impl FnMut(&str),
) -> Result<Measured, String> {
    let seeded = |i: usize| Config {
        seed: first + i as u64,
        ..setting.clone()
    };
    let pct = |v: f32| Some(100.0 * v);
    let steps = |v: Option<usize>| v.map(|s| s as f32);
    if *lesson == lesson::PLAYGROUND {
        let level = 100.0 * lesson::playground::LEVEL;
        let mut rows = [
            "agreement with the teacher (plane, %), distilled".to_string(),
            "… hard-label".into(),
            "test accuracy (%), distilled".into(),
            "… hard-label".into(),
            format!("student steps to {level:.0} % agreement, distilled"),
            "… hard-label".into(),
            "lesson holds (all three)".into(),
        ]
        .map(Row::new);
        for i in 0..seeds {
            let r = Race::run(&seeded(i), EVERY)?;
            let (agree, acc) = (
                r.agreement[0] > r.agreement[1],
                r.accuracy[0] > r.accuracy[1],
            );
            rows[0].push(pct(r.agreement[0]), agree);
            rows[1].push(pct(r.agreement[1]), agree);
            rows[2].push(pct(r.accuracy[0]), acc);
            rows[3].push(pct(r.accuracy[1]), acc);
            rows[4].push(steps(r.reached[0]), r.sooner());
            rows[5].push(steps(r.reached[1]), r.sooner());
            rows[6].held.push(Some(r.holds()));
            log(&format!(
                "{}: seed {} raced",
                lesson.chapter,
                first + i as u64
            ));
        }
        Ok(Measured::Rows(rows.into()))
    } else if *lesson == lesson::API {
        let level = 100.0 * lesson::api::LEVEL;
        let mut rows = Vec::new();
        for i in 0..seeds {
            let bill = Bill::run(&seeded(i))?;
            if rows.is_empty() {
                for t in &bill.thieves {
                    rows.push(Row::new(format!("fidelity (%), {}", t.format)));
                }
                for t in &bill.thieves {
                    rows.push(Row::new(format!(
                        "queries to {level:.0} % fidelity, {}",
                        t.format
                    )));
                }
            }
            let n = bill.thieves.len();
            for (j, t) in bill.thieves.iter().enumerate() {
                let ahead = (j > 0).then(|| bill.thieves[0].fidelity > t.fidelity);
                rows[j].push(pct(t.fidelity), ahead);
                rows[n + j].push(steps(t.queries), (j > 0).then(|| bill.slower(j)));
            }
            log(&format!(
                "{}: seed {} extracted",
                lesson.chapter,
                first + i as u64
            ));
        }
        Ok(Measured::Rows(rows))
    } else if *lesson == lesson::BAN {
        let mut row = Row::new(format!("banned at query ({:?} queries)", setting.source));
        for i in 0..seeds {
            let at = lesson::api::banned_at(&seeded(i));
            row.push(at.map(|q| q as f32), at.is_some());
        }
        log(&format!("{}: {seeds} seeds watched", lesson.chapter));
        Ok(Measured::Rows(vec![row]))
    } else if *lesson == lesson::ACCOUNTS {
        let n = setting.accounts;
        let mut rows = [
            "one greedy account, per-account detector: banned at query".to_string(),
            format!("{n} accounts, per-account detector: accounts banned"),
            "… queries answered".into(),
            format!("{n} accounts, cross-account detector: stopped at query"),
            "… honest users banned (%)".into(),
            "lesson holds (all three)".into(),
        ]
        .map(Row::new);
        for i in 0..seeds {
            let s = Spread::run(&seeded(i));
            let at = |w: &crate::api::Watched| w.stopped_at.map(|q| q as f32);
            let missed = s.per_account.stopped_at.is_none();
            rows[0].push(at(&s.greedy), s.greedy.stopped_at.is_some());
            rows[1].push(Some(s.per_account.accounts_banned as f32), missed);
            rows[2].push(Some(s.per_account.queries as f32), missed);
            rows[3].push(at(&s.cross), s.cross.stopped_at.is_some());
            let honest = s.cross.honest.max(1) as f32;
            rows[4].push(pct(s.cross.honest_banned as f32 / honest), None);
            rows[5].held.push(Some(s.holds()));
        }
        log(&format!("{}: {seeds} seeds watched", lesson.chapter));
        Ok(Measured::Rows(rows.into()))
    } else if *lesson == lesson::CHAT {
        let (teacher, train, held) = crate::report::chat::shipped()?;
        let mut rows: Vec<Row> = Vec::new();
        let mut all = Row::new("lesson holds (all three)");
        for i in 0..seeds {
            let outcome = lesson::chat::round(&seeded(i), &teacher, &train, &held);
            let shown = lesson::chat::Shown::of(&outcome);
            if rows.is_empty() {
                for t in &outcome.thieves {
                    rows.push(Row::new(format!("KL(teacher ‖ student), {}", t.name)));
                }
                for t in &outcome.thieves {
                    rows.push(Row::new(format!("watermark −log10 p, {}", t.name)));
                }
            }
            let n = outcome.thieves.len();
            for (j, t) in outcome.thieves.iter().enumerate() {
                let held = match t.access {
                    Access::Full => Some(shown.logprobs_beat_text),
                    Access::Spread => Some(shown.spread_beats_renormalised),
                    _ => None,
                };
                rows[j].push(Some(t.last().kl as f32), held);
                let caught = (t.access == Access::Text).then_some(shown.text_thief_caught);
                rows[n + j].push(Some(-t.verdict.p.max(1e-300).log10() as f32), caught);
            }
            all.held.push(Some(shown.all()));
            log(&format!(
                "{}: seed {} copied ({shown:?})",
                lesson.chapter,
                first + i as u64
            ));
        }
        rows.push(all);
        Ok(Measured::Rows(rows))
    } else if *lesson == lesson::REASONER {
        let teacher = crate::report::reasoner::shipped()?;
        let split = crate::reasoner::teacher::SPLIT;
        let mut rows: Vec<Row> = Vec::new();
        let mut all = Row::new(format!(
            "working ≥ answer only + {:.0} points",
            100.0 * lesson::reasoner::GAP
        ));
        for i in 0..seeds {
            let outcome = lesson::reasoner::round(&seeded(i), &teacher, split);
            let shows = lesson::reasoner::shows(&outcome);
            if rows.is_empty() {
                for s in &outcome.students {
                    rows.push(Row::new(format!("held-out accuracy (%), {}", s.name)));
                }
            }
            for (j, s) in outcome.students.iter().enumerate() {
                let acc = lesson::reasoner::accuracy(&outcome, s.access) as f32;
                rows[j].push(pct(acc), None);
            }
            all.held.push(Some(shows));
            log(&format!(
                "{}: seed {} studied ({shows})",
                lesson.chapter,
                first + i as u64
            ));
        }
        rows.push(all);
        Ok(Measured::Rows(rows))
    } else {
        let mut cases = vec![Vec::new(); SUSPECTS.len()];
        let mut held = Vec::new();
        for i in 0..seeds {
            let found = lesson::evidence::investigate(&seeded(i))?;
            held.push(lesson::evidence::holds(&found));
            for (j, case) in found.into_iter().enumerate() {
                cases[j].push(case);
            }
            log(&format!(
                "{}: seed {} investigated",
                lesson.chapter,
                first + i as u64
            ));
        }
        Ok(Measured::Cases(cases, held))
    }
}

fn rows_markdown(rows: &[Row], seeds: usize) -> String {
    let mut md = String::from("| measure | mean ± std | lesson holds in |\n|---|---|---|\n");
    for row in rows {
        let reached: Vec<f32> = row.values.iter().flatten().copied().collect();
        let never = row.values.len() - reached.len();
        let value = match (reached.is_empty(), never) {
            (true, 0) => "—".to_string(),
            (true, _) => "never".to_string(),
            (false, n) => {
                let (m, s) = mean_std(&reached);
                let d = usize::from(m < 1000.0);
                let never = if n > 0 {
                    format!(" (never in {n})")
                } else {
                    String::new()
                };
                format!("{m:.d$} ± {s:.d$}{never}")
            }
        };
        let held = if row.held.iter().all(Option::is_none) {
            String::new()
        } else {
            let n = row.held.iter().filter(|h| **h == Some(true)).count();
            format!("{n} of {seeds}")
        };
        let _ = writeln!(md, "| {} | {value} | {held} |", row.name);
    }
    md
}
