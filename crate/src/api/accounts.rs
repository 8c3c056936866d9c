//! Many accounts: the thief's budget split over N accounts, each under the rate limit, and the
//! owner's two watches over them. The per-account watch is today's PRADA-style [`Detector`],
//! one per account. The cross-account watch runs the same test on the pooled queries of every
//! account opened in the same hour — a signal the accounts share (their arrival), as industry
//! reports describe finding distillation networks by what accounts have in common rather than
//! account by account — and bans the whole hour's cohort when the pool is flagged, the
//! honest users who signed up in that hour with it.
//!
//! Pooling clients' queries against extraction follows Kesarwani et al., "Model Extraction
//! Warning in MLaaS Paradigm" (arXiv 1711.07221), whose extraction monitor observes the query
//! streams of colluding users together; the test on the pool is PRADA's (Juuti et al. 2019) as
//! [`Detector`] runs it. Which
//! shared signal links accounts is the owner's choice; this one was chosen because the thief
//! opens its accounts together, and because it can be measured here: what it costs is the
//! honest users in the thief's hour.

use crate::api::account::Account;
use crate::api::detector::Detector;
use crate::api::queries::{QueryStream, Source};
use crate::config::Config;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Hours over which the honest users open their accounts (a day); the owner pools each hour's
/// new accounts.
pub const COHORT_HOURS: usize = 24;

/// Most natural queries an honest user sends (each sends 1 to this many, uniformly): well
/// under the per-account detector's window, as most honest users' traffic is.
pub const HONEST_MAX_QUERIES: usize = 9;

/// What became of one query the thief sent through its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Answered, through one of the thief's live accounts.
    Answered,
    /// Refused: the account it went through was banned on it; the thief has others.
    Refused,
    /// Refused, and no account of the thief's is left: it is stopped.
    Stopped,
}

/// The thief's accounts, the honest users beside them, and the owner's watches, query by query.
pub struct Accounts {
    /// The thief's accounts, each with its share of the budget and the rate limit.
    accounts: Vec<Account>,
    banned: Vec<bool>,
    /// One detector per thief account, when the per-account detector is on.
    per_account: Option<Vec<Detector>>,
    /// The detector on the thief's hour's pooled queries, when the cross-account one is on.
    cohort: Option<Detector>,
    /// The next account to send through (round robin over live accounts).
    next: usize,
    price: f32,
    /// Queries the thief sent, answered or refused.
    sent: usize,
    /// Which of them (1-based) were refused.
    refused: Vec<usize>,
    stopped_at: Option<usize>,
    by_cross: bool,
    honest: usize,
    /// Honest users who opened their accounts in the thief's hour.
    honest_in_cohort: usize,
    /// Honest users banned so far.
    honest_banned: usize,
}

/// How one seeded run of the accounts went, without any training: what the detectors saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Watched {
    /// Accounts the thief opened.
    pub accounts: usize,
    /// Of those, how many were banned.
    pub accounts_banned: usize,
    /// Queries answered.
    pub queries: usize,
    /// The thief's query (1-based) on which its last account was banned, if it was stopped.
    pub stopped_at: Option<usize>,
    /// Whether the cross-account detector stopped it (banning its hour's accounts at once).
    pub by_cross: bool,
    /// Simulated seconds: the accounts query side by side, so the slowest one's time.
    pub seconds: f64,
    /// The bill, in dollars.
    pub cost: f32,
    /// Honest users simulated.
    pub honest: usize,
    /// Of those, how many were banned.
    pub honest_banned: usize,
}

impl Accounts {
    /// The thief's `config.accounts` accounts (no more than the budget: each gets at least one
    /// query) sharing `config.budget`, with the detectors `config` turns on; and
    /// `config.honest_accounts` honest users opening accounts over a day, each sending 1 to
    /// [`HONEST_MAX_QUERIES`] natural queries. With the cross-account detector on, every
    /// hour's cohort of honest accounts is tested now, and the thief's hour's honest queries
    /// go into its pool before the thief's own.
    pub fn new(config: &Config) -> Self {
        let n = config.accounts.clamp(1, config.budget.max(1));
        let accounts = (0..n)
            .map(|i| {
                let share = config.budget / n + usize::from(i < config.budget % n);
                Account::new(share, config.rate, config.price)
            })
            .collect();
        let (s, c, noise, seed) = (config.scenario, config.classes, config.noise, config.seed);
        let benign = Detector::new(s, c, noise, seed);
        let mut rng = Rng::fork(seed, "honest users");
        let thief_hour = rng.below(COHORT_HOURS);
        let mut stream = QueryStream::new(
            Source::Natural,
            s,
            c,
            noise,
            Rng::fork(seed, "honest queries").next_u64(),
        );
        // Each honest user: the hour it signed up in, and its queries.
        let honest: Vec<(usize, Vec<[f32; 2]>)> = (0..config.honest_accounts)
            .map(|_| {
                let hour = rng.below(COHORT_HOURS);
                let k = 1 + rng.below(HONEST_MAX_QUERIES);
                (hour, (0..k).map(|_| stream.next_point()).collect())
            })
            .collect();
        let honest_in_cohort = honest.iter().filter(|(h, _)| *h == thief_hour).count();
        let mut honest_banned = 0;
        let cohort = config.cross_detector.then(|| {
            for hour in (0..COHORT_HOURS).filter(|&h| h != thief_hour) {
                let mut pool = benign.fresh();
                let members = honest.iter().filter(|(h, _)| *h == hour);
                let flagged = members
                    .clone()
                    .flat_map(|(_, q)| q)
                    .any(|&p| pool.observe(p));
                if flagged {
                    honest_banned += members.count();
                }
            }
            let mut pool = benign.fresh();
            for (_, queries) in honest.iter().filter(|(h, _)| *h == thief_hour) {
                queries.iter().for_each(|&p| {
                    pool.observe(p);
                });
            }
            pool
        });
        let mut accounts = Self {
            banned: vec![false; n],
            per_account: config
                .detector
                .then(|| (0..n).map(|_| benign.fresh()).collect()),
            accounts,
            next: 0,
            price: config.price,
            sent: 0,
            refused: Vec::new(),
            stopped_at: None,
            by_cross: false,
            honest: config.honest_accounts,
            honest_in_cohort,
            honest_banned,
            cohort: None,
        };
        if cohort.as_ref().is_some_and(|d| d.flagged_at().is_some()) {
            accounts.ban_cohort(); // flagged on the honest queries alone: a false alarm
        }
        accounts.cohort = cohort;
        accounts
    }

    /// Sends `point` through the thief's next live account with budget left; the owner's
    /// detectors look at it first and may refuse it. Call only while [`Accounts::exhausted`]
    /// is false.
    pub fn send(&mut self, point: [f32; 2]) -> Sent {
        let Some(i) = self.live() else {
            return Sent::Stopped;
        };
        self.sent += 1;
        if let Some(pool) = &mut self.cohort
            && pool.observe(point)
        {
            self.ban_cohort();
            return Sent::Stopped;
        }
        if let Some(detectors) = &mut self.per_account
            && detectors[i].observe(point)
        {
            self.banned[i] = true;
            self.refused.push(self.sent);
            if self.banned.iter().all(|&b| b) {
                self.stopped_at = Some(self.sent);
                return Sent::Stopped;
            }
            return Sent::Refused;
        }
        self.accounts[i].request(1);
        self.next = (i + 1) % self.accounts.len();
        Sent::Answered
    }

    /// The cohort is flagged: every account opened in the thief's hour is banned, the honest
    /// users' with the thief's.
    fn ban_cohort(&mut self) {
        if self.stopped_at.is_none() {
            self.stopped_at = Some(self.sent);
            self.by_cross = true;
            self.banned.iter_mut().for_each(|b| *b = true);
            self.honest_banned += self.honest_in_cohort;
        }
    }

    /// The next account, from the round robin's place, that is not banned and has budget left.
    fn live(&self) -> Option<usize> {
        let n = self.accounts.len();
        (0..n)
            .map(|k| (self.next + k) % n)
            .find(|&i| !self.banned[i] && self.accounts[i].used < self.accounts[i].budget)
    }

    /// Whether the thief can send no more: every account is banned or has spent its share.
    pub fn exhausted(&self) -> bool {
        self.live().is_none()
    }

    /// Queries answered, over all the thief's accounts.
    pub fn used(&self) -> usize {
        self.accounts.iter().map(|a| a.used).sum()
    }

    /// Simulated seconds: the accounts query side by side, so the slowest one's clock.
    pub fn seconds(&self) -> f64 {
        self.accounts.iter().map(|a| a.seconds).fold(0.0, f64::max)
    }

    /// The bill for every answered query, in dollars.
    pub fn cost(&self) -> f32 {
        self.price * self.used() as f32 / 1000.0
    }

    /// The thief's query (1-based, refused ones counted) on which its last account was banned.
    pub fn stopped_at(&self) -> Option<usize> {
        self.stopped_at
    }

    /// Which queries of the thief's were answered: how many it sent, which of those (1-based)
    /// were refused, and whether it was stopped on the last. Two runs of the same stream with
    /// the same answer here trained on the same answers, step by step.
    pub fn trace(&self) -> (usize, Vec<usize>, bool) {
        (self.sent, self.refused.clone(), self.stopped_at.is_some())
    }

    /// The thief's accounts, each with its share of the budget.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// How many of the thief's accounts are banned.
    pub fn banned(&self) -> usize {
        self.banned.iter().filter(|&&b| b).count()
    }

    /// Honest users simulated, and how many of them are banned.
    pub fn honest(&self) -> (usize, usize) {
        (self.honest, self.honest_banned)
    }

    /// What the detectors saw so far, as [`Watched`].
    pub fn watched(&self) -> Watched {
        Watched {
            accounts: self.accounts.len(),
            accounts_banned: self.banned(),
            queries: self.used(),
            stopped_at: self.stopped_at,
            by_cross: self.by_cross,
            seconds: self.seconds(),
            cost: self.cost(),
            honest: self.honest,
            honest_banned: self.honest_banned,
        }
    }
}

/// Sends the thief's whole stream under `config` through its accounts, with no model trained
/// (bans depend on the queries alone), and says what the owner's detectors did.
pub fn watch(config: &Config) -> Watched {
    run(config).watched()
}

/// The thief's accounts under `config` after its whole stream was sent through them.
pub fn run(config: &Config) -> Accounts {
    let (s, c, n, seed) = (config.scenario, config.classes, config.noise, config.seed);
    let mut stream = QueryStream::new(config.source, s, c, n, seed);
    let mut accounts = Accounts::new(config);
    while !accounts.exhausted() {
        if accounts.send(stream.next_point()) == Sent::Stopped {
            break;
        }
    }
    accounts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(query: &str) -> Config {
        Config::from_query(query).0
    }

    #[test]
    fn the_budget_is_split_to_the_query_and_the_accounts_run_side_by_side() {
        // 3,000 queries over 7 accounts: 429 each for the first 4 (3,000 = 7·428 + 4), 428
        // for the rest; at 20 queries/s with a one-second burst the 429s take (429 − 20)/20 s.
        let c = config("accounts=7&budget=3000&rate=20&price=2");
        let w = watch(&c);
        assert_eq!(w.accounts, 7);
        assert_eq!(w.queries, 3000);
        assert!((w.cost - 6.0).abs() < 1e-6, "{}", w.cost);
        assert!((w.seconds - 409.0 / 20.0).abs() < 1e-9, "{}", w.seconds);
        let accounts = Accounts::new(&c);
        let shares: Vec<usize> = accounts.accounts().iter().map(|a| a.budget).collect();
        assert_eq!(shares, [429, 429, 429, 429, 428, 428, 428]);
        // One account: the single account's own clock, (3,000 − 20)/20 = 149 s.
        let one = watch(&config("budget=3000&rate=20"));
        assert!((one.seconds - 149.0).abs() < 1e-6, "{}", one.seconds);
        // More accounts than queries: one query each, no wait, 100 accounts opened.
        let many = watch(&config("accounts=1000&budget=100&rate=20"));
        assert_eq!((many.accounts, many.queries, many.seconds), (100, 100, 0.0));
    }

    #[test]
    fn the_thief_sends_round_robin_over_its_live_accounts() {
        let mut accounts = Accounts::new(&Config {
            accounts: 3,
            budget: 7,
            ..Config::default()
        });
        for _ in 0..5 {
            assert_eq!(accounts.send([0.0, 0.0]), Sent::Answered);
        }
        let used: Vec<usize> = accounts.accounts().iter().map(|a| a.used).collect();
        assert_eq!(used, [2, 2, 1]);
        assert!(!accounts.exhausted());
        accounts.send([0.0, 0.0]);
        accounts.send([0.0, 0.0]);
        assert!(accounts.exhausted());
        assert_eq!(accounts.used(), 7);
    }

    /// The spread thief of the lesson's setting, seed 1: uniform queries on five blobs.
    const SPREAD: &str = "scenario=blobs&classes=5&noise=0.1&source=uniform&detector=on";

    #[test]
    fn the_per_account_detector_bans_one_greedy_account_and_misses_a_thousand() {
        let greedy = watch(&config(SPREAD));
        assert_eq!(greedy.accounts_banned, 1);
        assert!(greedy.stopped_at.is_some_and(|q| q <= 1000), "{greedy:?}");
        let spread = watch(&config(&format!("{SPREAD}&accounts=1000")));
        assert_eq!((spread.accounts_banned, spread.queries), (0, 3000));
        assert_eq!(spread.stopped_at, None);
    }

    #[test]
    fn the_cross_account_detector_bans_the_spread_thief_and_its_hours_honest_users() {
        let c = config(&format!("{SPREAD}&accounts=1000&cross_detector=on"));
        let w = watch(&c);
        assert_eq!(w.accounts_banned, 1000, "{w:?}");
        assert!(w.queries < 3000, "{w:?}");
        let accounts = Accounts::new(&c);
        assert!(w.honest_banned >= accounts.honest_in_cohort, "{w:?}");
        assert!(w.honest_banned < w.honest / 10, "{w:?}");
        // Natural queries pooled with the honest users' look like theirs: no ban.
        let natural = watch(&Config {
            source: Source::Natural,
            ..c
        });
        assert_eq!((natural.accounts_banned, natural.queries), (0, 3000));
    }
}
