//! Values as text: a knob's value parsed from and written to a URL hash or a `--key value`
//! pair, and a whole [`Config`] read from and written to a query over a base setting.

use super::{Config, KNOBS, Kind, Knob};

/// How much of a value a notice quotes.
pub const SHOWN_CHARS: usize = 40;

/// At most [`SHOWN_CHARS`] characters of a value from a URL, for a notice: a 10 kB value
/// must not become a 10 kB message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
        None => text.to_string(),
    }
}

impl Knob {
    /// Parses `text` into a value this knob accepts, clamping or rounding it; the notice says
    /// what was changed, and why.
    pub fn parse(&self, text: &str) -> (Option<f64>, Option<String>) {
        let key = self.key;
        let shown = shorten(text);
        match self.kind {
            Kind::Choice(names) => match names.iter().position(|&n| n == text) {
                Some(i) => (Some(i as f64), None),
                None => (
                    None,
                    Some(format!(
                        "{key}={shown} is not one of {}; using the default",
                        names.join(", ")
                    )),
                ),
            },
            Kind::Number { .. } => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let c = self.clamp(v);
                    let notice = (c != v).then(|| match self.kind {
                        Kind::Number { min, .. } if v < min => {
                            format!("{key}={shown} is below the minimum {min}; using {c}")
                        }
                        Kind::Number { max, .. } if v > max => {
                            format!("{key}={shown} is above the maximum {max}; using {c}")
                        }
                        _ => format!("{key}={shown} is not a valid step; using {c}"),
                    });
                    (Some(c), notice)
                }
                _ => (
                    None,
                    Some(format!("{key}={shown} is not a number; using the default")),
                ),
            },
        }
    }

    /// The value as it is written in a URL or shown.
    pub fn format(&self, v: f64) -> String {
        match self.kind {
            Kind::Choice(names) => names[v as usize].to_string(),
            Kind::Number { .. } => format!("{}", v as f32),
        }
    }

    /// What the knob accepts, in words: "one of spiral, blobs", "0 to 0.3",
    /// "100 to 20000 in steps of 100".
    pub fn range(&self) -> String {
        match self.kind {
            Kind::Choice(names) => format!("one of {}", names.join(", ")),
            Kind::Number { min, max, step, .. } if step > 1.0 => {
                format!("{min} to {max} in steps of {step}")
            }
            Kind::Number {
                min,
                max,
                step: 1.0,
                ..
            } => {
                format!("a whole number from {min} to {max}")
            }
            Kind::Number { min, max, .. } => format!("{min} to {max}"),
        }
    }
}

impl Config {
    /// Builds a Config from `key=value` pairs joined by `&` (a URL hash or query without its
    /// `#`/`?`), over [`Config::default`], the command line's default: a key not given keeps
    /// its value there. Unknown keys, malformed and out-of-range values are dropped or
    /// clamped, never fatal: each gives a notice for the user.
    pub fn from_query(query: &str) -> (Config, Vec<String>) {
        Self::from_query_over(&Config::default(), query)
    }

    /// [`Config::from_query`] with the keys not given taken from `base` rather than from the
    /// defaults: the page reads its address over the setting it opens on
    /// ([`crate::lesson::opening`]).
    pub fn from_query_over(base: &Config, query: &str) -> (Config, Vec<String>) {
        let mut config = base.clone();
        let mut notices = Vec::new();
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            // A key given twice: the first occurrence decides, whatever it says.
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                notices.push(format!(
                    "{} appears more than once; the first ({}={}) is used and {}={} ignored",
                    shorten(key),
                    shorten(key),
                    shorten(first),
                    shorten(key),
                    shorten(value)
                ));
                continue;
            }
            seen.push((key, value));
            match Knob::find(key) {
                None => notices.push(format!("unknown setting '{}' ignored", shorten(key))),
                Some(knob) => {
                    let (value, notice) = knob.parse(value);
                    notices.extend(notice);
                    if let Some(v) = value {
                        (knob.set)(&mut config, v);
                    }
                }
            }
        }
        notices.extend(config.reconcile());
        (config, notices)
    }

    /// The canonical query for this Config: the knobs that differ from [`Config::default`],
    /// in table order.
    pub fn to_query(&self) -> String {
        self.to_query_over(&Config::default())
    }

    /// The knobs that differ from `base`, in table order: the inverse of
    /// [`Config::from_query_over`].
    pub fn to_query_over(&self, base: &Config) -> String {
        KNOBS
            .iter()
            .filter(|k| (k.get)(self) != (k.get)(base))
            .map(|k| format!("{}={}", k.key, k.format((k.get)(self))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::dataset::Scenario;

    #[test]
    fn query_round_trips_a_non_default_config() {
        let q = "scenario=rings&classes=5&temperature=7.5&soft_weight=0.5&lr=0.003&seed=42";
        let (c, notices) = Config::from_query(q);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(c.scenario, Scenario::Rings);
        assert_eq!((c.classes, c.temperature, c.seed), (5, 7.5, 42));
        assert_eq!(c.to_query(), q);
        assert_eq!(Config::from_query(&c.to_query()).0, c);
    }

    #[test]
    fn bad_values_are_clamped_with_a_notice() {
        let (c, n) =
            Config::from_query("temperature=500&classes=abc&scenario=moons&bogus=1&batch=13");
        assert_eq!(c.temperature, 20.0);
        assert_eq!(c.classes, 3);
        assert_eq!(c.scenario, Scenario::Spiral);
        assert_eq!(c.batch, 16);
        assert_eq!(n.len(), 5, "{n:?}");
        assert!(n[0].contains("above the maximum 20"), "{}", n[0]);
        let (c, n) = Config::from_query("samples=100&student_samples=400");
        assert_eq!((c.student_samples, n.len()), (100, 1));
    }

    #[test]
    fn a_repeated_key_keeps_its_first_value_with_a_notice() {
        let (c, n) = Config::from_query("seed=3&seed=5");
        assert_eq!((c.seed, n.len()), (3, 1), "{n:?}");
        assert!(
            n[0].contains("more than once") && n[0].contains("seed=3"),
            "{}",
            n[0]
        );
        let (c, n) = Config::from_query("seed=3&seed=abc");
        assert_eq!((c.seed, n.len()), (3, 1), "{n:?}");
        assert!(!n[0].contains("default"), "{}", n[0]);
        let (c, n) = Config::from_query("seed=abc&seed=3");
        assert_eq!((c.seed, n.len()), (1, 2), "{n:?}");
    }

    #[test]
    fn long_values_are_cut_in_notices() {
        let long = "9".repeat(10_000);
        for q in [
            format!("seed=x{long}"),
            format!("scenario={long}"),
            format!("{long}=1"),
        ] {
            let (_, n) = Config::from_query(&q);
            assert_eq!(n.len(), 1);
            assert!(n[0].len() < 200, "{} characters", n[0].len());
            assert!(n[0].contains("10001 characters") || n[0].contains("10000 characters"));
        }
    }

    #[test]
    fn queries_over_another_base_round_trip() {
        let base = Config::from_query("scenario=blobs&classes=5").0;
        let (c, notices) = Config::from_query_over(&base, "seed=4");
        assert!(notices.is_empty());
        assert_eq!((c.scenario, c.classes, c.seed), (Scenario::Blobs, 5, 4));
        assert_eq!(c.to_query_over(&base), "seed=4");
        let spiral = Config::default().to_query_over(&base);
        assert_eq!(spiral, "scenario=spiral&classes=3");
        assert_eq!(Config::from_query_over(&base, &spiral).0, Config::default());
    }

    #[test]
    fn every_knob_accepts_its_own_limits_and_steps() {
        for knob in KNOBS {
            for v in knob.edges() {
                let text = knob.format(knob.clamp(v));
                let (c, notices) = Config::from_query(&format!("{}={text}", knob.key));
                // Only the cross-knob rule may speak: fewer training points than the students'.
                let cross =
                    |n: &String| n.starts_with("student_samples = ") && n.contains("exceeds");
                assert!(
                    notices.iter().all(cross),
                    "{}={text}: {notices:?}",
                    knob.key
                );
                assert_eq!(c.validate(), Ok(()), "{}={text}", knob.key);
                assert_eq!(
                    Config::from_query(&c.to_query()).0,
                    c,
                    "{}={text}",
                    knob.key
                );
                // The stored f32 at its limit is the limit, not an error.
                let mut set = Config::default();
                (knob.set)(&mut set, knob.clamp(v));
                let notices = set.reconcile();
                assert!(notices.iter().all(cross), "{}: {notices:?}", knob.key);
            }
        }
    }
}
