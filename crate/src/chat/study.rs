//! One round of the chat chapter: the API sells the same names to every thief, each thief
//! trains the same small student on what its access level shows of them, and the owner
//! measures each student (held-out NLL, KL from the teacher) and tests its text for the
//! watermark, under the right key and a wrong one.

use crate::api::Account;
use crate::chat::api::{Access, buy, corpus_examples};
use crate::chat::corpus::SYMBOLS;
use crate::chat::lm::{self, Trainer, Training};
use crate::chat::model::{CharLm, CharLmConfig, sample};
use crate::chat::watermark::{self, Verdict, Watermark};
use crate::rng::Rng;
use burn::tensor::Device;

/// Every setting of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatConfig {
    /// Tokens each thief buys (letters and end markers).
    pub budget: usize,
    /// Tokens shown per position by the top-k levels.
    pub k: usize,
    /// Softening of soft targets and students (1: none).
    pub temperature: f32,
    /// The students' shape.
    pub student: CharLmConfig,
    /// Adam steps per student.
    pub steps: usize,
    /// Names per step.
    pub batch: usize,
    /// Peak learning rate.
    pub lr: f32,
    /// Whether the API watermarks its text.
    pub watermark: bool,
    /// The watermark's green-logit bonus.
    pub delta: f32,
    /// The owner's key.
    pub key: u64,
    /// Price per 1,000 tokens.
    pub price: f32,
    /// Tokens per simulated second the API serves.
    pub rate: f32,
    /// Names each suspect is asked to write for the watermark test.
    pub probe: usize,
    /// Seeds the API's sampling, the students and the probes.
    pub seed: u64,
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self {
            budget: 20_000,
            k: 5,
            temperature: 1.0,
            student: CharLmConfig::student(),
            steps: 1_500,
            batch: 32,
            lr: 0.01,
            watermark: true,
            delta: 2.0,
            key: 42,
            price: 0.5,
            rate: 200.0,
            probe: 300,
            seed: 1,
        }
    }
}

/// A wrong key: what an owner who tests with the wrong secret (or an accuser with none) sees.
pub fn wrong_key(key: u64) -> u64 {
    key ^ 0x5DEE_CE66_D1CE_B00C
}

/// One student at the end of its training, as the owner measures it.
#[derive(Debug, Clone)]
pub struct Suspect {
    /// What its thief saw.
    pub access: Access,
    /// Held-out NLL, nats per character.
    pub nll: f64,
    /// KL(teacher ‖ student) on held-out names, nats per character.
    pub kl: f64,
    /// The watermark test of names it wrote, under the owner's key.
    pub verdict: Verdict,
    /// The same names under a wrong key.
    pub wrong_key: Verdict,
    /// The first names it wrote.
    pub samples: Vec<String>,
}

/// One round: every access level in `accesses`, the same transcript for all, measured on
/// `held` (train is the corpus the no-teacher student reads).
pub fn run(
    teacher: &CharLm,
    train: &[Vec<u8>],
    held: &[Vec<u8>],
    config: &ChatConfig,
    accesses: &[Access],
    device: &Device,
) -> Vec<Suspect> {
    let mark = config.watermark.then_some(Watermark {
        key: config.key,
        delta: config.delta,
    });
    let account = Account::new(config.budget, config.rate, config.price);
    let transcript = buy(teacher, mark, account, config.seed, device);
    let training = Training {
        steps: config.steps,
        batch: config.batch,
        lr: config.lr,
        temperature: config.temperature,
        seed: config.seed,
    };
    accesses
        .iter()
        .map(|&access| {
            let examples = match access {
                Access::Corpus => corpus_examples(train, config.budget, config.seed),
                _ => transcript.examples(access, config.k, config.temperature),
            };
            let mut trainer = Trainer::new(&config.student, training.clone(), device);
            trainer.step(&examples, config.steps);
            let student = trainer.model();
            let mut rng = Rng::fork(config.seed, "probe");
            let names: Vec<Vec<u8>> = sample(&student, config.probe, &mut rng, device, |_, _| {})
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            Suspect {
                access,
                nll: lm::nll(&student, held, device),
                kl: lm::kl(teacher, &student, held, device),
                verdict: watermark::detect(&names, config.key),
                wrong_key: watermark::detect(&names, wrong_key(config.key)),
                samples: names
                    .iter()
                    .take(8)
                    .map(|n| crate::chat::corpus::decode(n))
                    .collect(),
            }
        })
        .collect()
}

/// The held-out NLL of the API's sampling distribution: the teacher's with the watermark's δ
/// added to green logits (δ = 0: the teacher itself). What the watermark costs in quality.
pub fn watermarked_nll(
    teacher: &CharLm,
    held: &[Vec<u8>],
    mark: Watermark,
    device: &Device,
) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (name, lp) in held.iter().zip(lm::log_probs(teacher, held, device)) {
        for (i, &token) in name.iter().chain([&0]).enumerate() {
            let mut row = lp[i * SYMBOLS..(i + 1) * SYMBOLS].to_vec();
            mark.bias(&name[..i], &mut row);
            let p = crate::chat::model::softmax(&row);
            sum -= f64::from(p[usize::from(token)]).ln();
            n += 1;
        }
    }
    sum / n.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::corpus::{self, HELD_OUT};
    use crate::chat::weights;

    /// A short round on the shipped teacher: a quick config that still shows the lessons.
    fn round(accesses: &[Access], config: &ChatConfig) -> Vec<Suspect> {
        let device = Device::flex();
        let teacher = weights::tests::teacher(&device);
        let names = corpus::parse(corpus::tests::BYTES, corpus::FILE).unwrap();
        let (train, held) = corpus::split(&names, HELD_OUT, teacher.split_seed);
        run(
            &teacher.model,
            &train,
            &held[..500],
            config,
            accesses,
            &device,
        )
    }

    #[test]
    fn the_full_distribution_student_ends_closer_to_the_teacher_than_the_corpus_student() {
        let config = ChatConfig {
            budget: 4_000,
            steps: 300,
            watermark: false,
            probe: 20,
            ..ChatConfig::default()
        };
        let s = round(&[Access::Full, Access::Corpus], &config);
        assert!(
            s[0].kl < s[1].kl,
            "KL full {} vs corpus {}",
            s[0].kl,
            s[1].kl
        );
    }
}
