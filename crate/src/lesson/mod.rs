//! Each chapter's lesson: the setting where its effect shows, chosen by measurement over seeds
//! (`report --experiment lessons` prints the table), and the counter-case one click away where
//! it does not, with its reason. Settings are URL-hash queries over the one knob table, so the
//! page, the command line and the tests read the same ones. Each file measures its chapter's
//! lesson on one seed; [`crate::report`] tallies the seeds.

pub mod api;
pub mod chat;
pub mod evidence;
pub mod playground;
pub mod reasoner;

use crate::config::Config;

/// A chapter's lesson: where its effect shows, and where it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lesson {
    /// The chapter, as the page names it.
    pub chapter: &'static str,
    /// The URL-hash query of the setting where the effect shows.
    pub query: &'static str,
    /// The URL-hash query of the counter-case, where it does not.
    pub counter: &'static str,
    /// Why the effect does not show in the counter-case, in one sentence.
    pub counter_reason: &'static str,
}

impl Lesson {
    /// The lesson's setting.
    pub fn config(&self) -> Config {
        Config::from_query(self.query).0
    }

    /// The counter-case's setting.
    pub fn counter_config(&self) -> Config {
        Config::from_query(self.counter).0
    }
}

/// The setting the playground, API and ban lessons share, then `$tail`: five overlapping
/// blobs, of whose 1,200 points the students see 30.
macro_rules! blobs {
    ($tail:literal) => {
        concat!(
            "scenario=blobs&classes=5&noise=0.1&student_samples=30",
            $tail
        )
    };
}

/// The page's opening setting, shared by the playground, API and evidence lessons: five
/// overlapping blobs, 300 queries, a perturbation at 1, and a strong watermark (δ 0.5) that
/// copies of 32 neurons a layer pick up.
const OPENING: &str = blobs!("&budget=300&perturbation=1&delta=0.5&suspect_width=32");

/// Chapter 1: soft targets beat hard labels when the students have little data from
/// overlapping classes.
pub const PLAYGROUND: Lesson = Lesson {
    chapter: "playground",
    query: OPENING,
    counter: "",
    counter_reason: "The spiral's 1,200 clean points already say everything the soft targets do: \
                     the two students tie.",
};

/// Chapter 2: a restricted answer (the label only, or perturbed probabilities) costs the thief
/// queries.
pub const API: Lesson = Lesson {
    chapter: "api",
    query: OPENING,
    counter: "budget=300&perturbation=1",
    counter_reason: "Three clean spiral arms leave a label little to hide: labels copy the \
                     teacher about as fast as probabilities.",
};

/// Chapter 2: the detector bans a client whose queries do not look like the owner's data.
pub const BAN: Lesson = Lesson {
    chapter: "ban",
    query: blobs!("&source=uniform&detector=on"),
    counter: blobs!("&detector=on"),
    counter_reason: "Natural queries look like the owner's data: the detector lets them through.",
};

/// Chapter 2: a thousand accounts. The per-account detector bans one greedy client but misses
/// the same queries spread over 1,000 accounts, none of which reaches its window; the
/// cross-account detector, pooling the accounts opened in the same hour, bans the spread thief
/// and the honest users who signed up in that hour.
pub const ACCOUNTS: Lesson = Lesson {
    chapter: "accounts",
    query: blobs!("&source=uniform&detector=on&accounts=1000&cross_detector=on"),
    counter: blobs!("&detector=on&accounts=1000&cross_detector=on"),
    counter_reason: "Natural queries look like the owner's data, one account at a time or \
                     pooled: neither detector sees this thief.",
};

/// Chapter 3: the watermark flags the copy of the watermarked API, and nothing else.
pub const EVIDENCE: Lesson = Lesson {
    chapter: "evidence",
    query: OPENING,
    counter: blobs!("&budget=300&perturbation=1"),
    counter_reason: "Copies of 16 neurons a layer and a faint watermark (δ 0.3): too little room \
                     and too weak a signal to carry the 64-cell pattern, the copy is not always \
                     caught.",
};

/// Chapter 5: a chatbot copied through its API. Log-probabilities copy it best, top-k only
/// with the unshown mass spread, and the watermark in its text catches the text-only thief.
pub const CHAT: Lesson = Lesson {
    chapter: "chat",
    query: OPENING,
    counter: blobs!("&budget=300&perturbation=1&delta=0.5&suspect_width=32&chat_watermark=off"),
    counter_reason: "Without the watermark the API's names carry no key: the owner catches \
                     nobody.",
};

/// Chapter 6: a student that sees the teacher's working learns to add; one shown the answers
/// alone, for the same problems bought, does not.
pub const REASONER: Lesson = Lesson {
    chapter: "reasoner",
    query: OPENING,
    counter: blobs!("&budget=300&perturbation=1&delta=0.5&suspect_width=32&reasoner_problems=100"),
    counter_reason: "With only 100 problems bought no student learns to add: the one shown the \
                     working copies its form but not the method, and answers few new problems.",
};

/// The page's default: the setting it opens on when its address names none, the playground's
/// lesson, so that the first run a class sees is the one where distillation shows. The page
/// reads and writes its URL hash over this setting, so an empty hash opens here.
///
/// It is not [`Config::default`], the command line's and the tests' default (the spiral,
/// this lesson's counter-case, where the two students tie); the lessons' own queries are
/// written over that one. See [`Config::default`] for which reader starts from which.
pub fn opening() -> Config {
    PLAYGROUND.config()
}

/// Every lesson, in the page's order.
pub const LESSONS: [&Lesson; 7] = [
    &PLAYGROUND,
    &API,
    &BAN,
    &ACCOUNTS,
    &EVIDENCE,
    &CHAT,
    &REASONER,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_parses_without_a_notice_and_round_trips() {
        for lesson in LESSONS {
            for query in [lesson.query, lesson.counter] {
                let (config, notices) = Config::from_query(query);
                assert!(
                    notices.is_empty(),
                    "{}: {query}: {notices:?}",
                    lesson.chapter
                );
                assert_eq!(
                    config.to_query(),
                    query,
                    "{}: not canonical",
                    lesson.chapter
                );
            }
            assert_ne!(lesson.query, lesson.counter, "{}", lesson.chapter);
        }
    }
}
