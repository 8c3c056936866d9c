//! The chat API: the teacher writes names for paying clients, watermarked or not, and each
//! answer carries what the client's access level shows of the distributions behind it.

use crate::api::Account;
use crate::charlm::lm::{Examples, one_hot, soften};
use crate::charlm::model::CharLm;
use crate::chat::corpus::SYMBOLS;
use crate::chat::cost::{Cost, Tally};
use crate::chat::mark::Mark;
use crate::rng::Rng;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// What a client sees of each token the API writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// The whole next-token distribution (an open-weights teacher).
    Full,
    /// The k most likely tokens' log-probabilities (chat APIs: k ≤ 20), the unshown mass
    /// spread evenly over the hidden tokens.
    Spread,
    /// The top k, renormalised to sum to one: the hidden tokens get nothing.
    Renormalised,
    /// The text alone (the usual chat API).
    Text,
    /// No teacher: the same student on the real corpus, as many tokens.
    Corpus,
}

impl Access {
    /// Every access level, richest first.
    pub const ALL: [Access; 5] = [
        Access::Full,
        Access::Spread,
        Access::Renormalised,
        Access::Text,
        Access::Corpus,
    ];

    /// The name reports and the page use.
    pub fn name(self) -> &'static str {
        match self {
            Access::Full => "full distribution",
            Access::Spread => "top-k, rest spread",
            Access::Renormalised => "top-k, renormalised",
            Access::Text => "text only",
            Access::Corpus => "no teacher",
        }
    }
}

/// The API at work: the teacher writes names in batches of 256, biased by the mark if there
/// is one, and sells them until the account's token budget is spent, the last answer cut at
/// the budget. It keeps the tally of what its mark costs.
pub struct Seller {
    teacher: CharLm,
    mark: Option<Mark>,
    account: Account,
    rng: Rng,
    tally: Tally,
}

impl Seller {
    /// A seller of `teacher`'s names to `account`, its sampling seeded by `seed`.
    pub fn new(teacher: &CharLm, mark: Option<Mark>, account: Account, seed: u64) -> Self {
        Self {
            teacher: teacher.clone(),
            mark,
            account,
            rng: Rng::fork(seed, "chat api"),
            tally: Tally::default(),
        }
    }

    /// What the client has bought so far.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// What the mark has cost the names written so far (every name of every batch, sold or
    /// not: the API's text as any user gets it).
    pub fn cost(&self) -> Cost {
        self.tally.cost()
    }

    /// Writes one batch and sells what the budget allows of it, in order: each answer's tokens
    /// (without the end marker) and the teacher's own distribution at each token delivered
    /// (`SYMBOLS` values a token; an answer cut by the budget has fewer than its length + 1).
    /// The mark biases the sampling only: the log-probabilities the API reports are the
    /// model's. Empty once the budget is spent.
    pub fn sell(&mut self, device: &Device) -> Vec<(Vec<u8>, Vec<f32>)> {
        let mut sold = Vec::new();
        if self.account.used == self.account.budget {
            return sold;
        }
        let batch = self.tally.write(
            &self.teacher,
            self.mark.as_ref(),
            256,
            &mut self.rng,
            device,
        );
        for (mut name, mut dists) in batch {
            let tokens = dists.len() / SYMBOLS;
            let granted = self.account.request(tokens);
            if granted < tokens {
                name.truncate(granted);
                dists.truncate(granted * SYMBOLS);
            }
            if granted > 0 {
                sold.push((name, dists));
            }
            if self.account.used == self.account.budget {
                break;
            }
        }
        sold
    }
}

/// The targets one answer (its tokens, and the teacher's distribution at each delivered
/// token) gives a client with `access`: top `k` for the top-k levels, softened by
/// `temperature`; one-hot for the text. For [`Access::Corpus`] see [`corpus_examples`].
pub fn target(name: &[u8], dists: &[f32], access: Access, k: usize, temperature: f32) -> Vec<f32> {
    let delivered = dists.len() / SYMBOLS;
    match access {
        Access::Text | Access::Corpus => one_hot(name, SYMBOLS)[..delivered * SYMBOLS].to_vec(),
        _ => dists
            .chunks(SYMBOLS)
            .flat_map(|p| match access {
                Access::Full => soften(p, temperature),
                Access::Spread => soften(&top_k(p, k, false), temperature),
                _ => soften(&top_k(p, k, true), temperature),
            })
            .collect(),
    }
}

/// Real names from `corpus`, in a seeded order, until `tokens` tokens: the no-teacher
/// baseline's data, as many tokens as a thief bought (the last name cut).
pub fn corpus_examples(corpus: &[Vec<u8>], tokens: usize, seed: u64) -> Examples {
    let mut rng = Rng::fork(seed, "corpus thief");
    let mut examples = Examples::new(SYMBOLS);
    let mut left = tokens;
    while left > 0 {
        let name = &corpus[rng.below(corpus.len())];
        let mut target = one_hot(name, SYMBOLS);
        target.truncate(left.min(target.len() / SYMBOLS) * SYMBOLS);
        left -= target.len() / SYMBOLS;
        examples.push(name.clone(), target);
    }
    examples
}

/// What a top-`k` answer tells of distribution `p`: the `k` largest probabilities exactly
/// (ties to the lower token), and the rest either spread evenly over the hidden tokens, so
/// that the whole still sums to one and no token is ruled out (`renormalise` false), or
/// dropped, the shown ones scaled up to sum to one (`renormalise` true).
pub fn top_k(p: &[f32], k: usize, renormalise: bool) -> Vec<f32> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    let shown = &order[..k.min(p.len())];
    let mass: f32 = shown.iter().map(|&t| p[t]).sum();
    let hidden = p.len() - shown.len();
    let fill = if renormalise || hidden == 0 {
        0.0
    } else {
        (1.0 - mass).max(0.0) / hidden as f32
    };
    let mut out = vec![fill; p.len()];
    for &t in shown {
        out[t] = if renormalise { p[t] / mass } else { p[t] };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_spreads_or_drops_the_unshown_mass_exactly() {
        let p = [0.05, 0.5, 0.1, 0.2, 0.1, 0.05];
        let spread = top_k(&p, 2, false);
        // Shown: 0.5 and 0.2; the other 0.3 over the four hidden tokens, 0.075 each.
        let expected = [0.075, 0.5, 0.075, 0.2, 0.075, 0.075];
        for (a, b) in spread.iter().zip(expected) {
            assert!((a - b).abs() < 1e-7, "{spread:?}");
        }
        let renormalised = top_k(&p, 2, true);
        let expected = [0.0, 0.5 / 0.7, 0.0, 0.2 / 0.7, 0.0, 0.0];
        for (a, b) in renormalised.iter().zip(expected) {
            assert!((a - b).abs() < 1e-7, "{renormalised:?}");
        }
        // A tie at the edge goes to the lower token; k = all gives p back.
        assert_eq!(top_k(&p, 3, true)[2], 0.1 / 0.8);
        assert_eq!(top_k(&p, 3, true)[4], 0.0);
        assert_eq!(top_k(&p, 6, false), p.to_vec());
    }

    #[test]
    fn corpus_examples_spend_exactly_the_tokens() {
        let corpus = vec![vec![1, 2, 3], vec![4]];
        let examples = corpus_examples(&corpus, 10, 1);
        assert_eq!(examples.tokens(), 10);
    }
}
