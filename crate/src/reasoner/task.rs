//! The reasoner's task: adding two two-digit numbers, written as a chain of thought a reader
//! checks at a glance, one column at a time from the right, then the answer:
//!
//! ```text
//! problem   47+85=
//! working   7+5+0=12|4+8+1=13|132      each column: its digits, the carry in, their sum
//! summary   c11|132                    the carries only: each column's carry out
//! answer    132
//! ```
//!
//! Every sum is written with two digits, so its first digit is the carry the next column
//! takes; the summary is read off the working, so a mistake in the working shows in it. A
//! problem asked with `?` instead of `=` is answered at once, without working.

use crate::rng::Rng;

/// Symbols: the end marker (token 0, shown `.`), the digits `0`–`9` (tokens 1–10), then
/// `+ = | c ?`.
pub const ALPHABET: &[u8; 16] = b".0123456789+=|c?";
/// Symbols the models read and write.
pub const SYMBOLS: usize = ALPHABET.len();
/// The smallest and largest operand.
pub const OPERANDS: std::ops::RangeInclusive<u32> = 10..=99;
/// Problems held out of every purchase, for every held-out figure.
pub const HELD_OUT: usize = 300;
/// The longest text a model writes after a problem: the working of two columns and a
/// three-digit answer (`7+5+0=12|4+8+1=13|132`).
pub const MAX_WRITTEN: usize = 21;
/// A problem's prompt, in tokens (`47+85=`).
pub const PROMPT: usize = 6;
/// The longest row a model reads: the end marker it starts from, a prompt, the longest text.
pub const POSITIONS: usize = 1 + PROMPT + MAX_WRITTEN;

/// What the API shows of the teacher's solution (the teacher always works it out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown {
    /// The whole working, then the answer: an open reasoning model.
    Working,
    /// The whole working rewritten, its columns in reverse order (the leftmost first), then
    /// the answer: every step and the answer as the teacher wrote them, in an order that no
    /// longer carries from one column to the next (`4+8+1=13|7+5+0=12|132`).
    Rewritten,
    /// The carries read off the working, then the answer: a reasoning summary.
    Summary,
    /// The answer alone: the chain of thought hidden.
    Answer,
}

/// A problem: two operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Problem {
    /// The first operand.
    pub a: u32,
    /// The second operand.
    pub b: u32,
}

impl Problem {
    /// The true sum.
    pub fn answer(self) -> u32 {
        self.a + self.b
    }

    /// The prompt: `47+85=` asks for the working, `47+85?` for the answer at once.
    pub fn prompt(self, worked: bool) -> Vec<u8> {
        encode(&format!(
            "{}+{}{}",
            self.a,
            self.b,
            if worked { '=' } else { '?' }
        ))
    }

    /// The correct working and answer, as the generator writes it.
    pub fn solution(self) -> Vec<u8> {
        let (mut a, mut b, mut carry) = (self.a, self.b, 0);
        let mut text = String::new();
        while a > 0 || b > 0 {
            let (x, y) = (a % 10, b % 10);
            let sum = x + y + carry;
            text.push_str(&format!("{x}+{y}+{carry}={sum:02}|"));
            carry = sum / 10;
            (a, b) = (a / 10, b / 10);
        }
        text.push_str(&self.answer().to_string());
        encode(&text)
    }
}

/// Tokens of `text` (characters of [`ALPHABET`]; anything else panics: callers write only
/// these).
pub fn encode(text: &str) -> Vec<u8> {
    text.bytes()
        .map(|c| {
            let at = ALPHABET.iter().position(|&s| s == c);
            at.unwrap_or_else(|| panic!("{c:?} is not a symbol")) as u8
        })
        .collect()
}

/// The text of `tokens`.
pub fn decode(tokens: &[u8]) -> String {
    tokens
        .iter()
        .map(|&t| char::from(ALPHABET[usize::from(t)]))
        .collect()
}

/// What a thief of access `shown` is shown of `written` (a working and answer as the teacher
/// wrote them): all of it, all of it rewritten, the carries (each column sum's first digit) and
/// the answer, or the answer (what follows the last `|`).
pub fn show(written: &[u8], shown: Shown) -> Vec<u8> {
    let bar = encode("|")[0];
    let answer_at = written.iter().rposition(|&t| t == bar).map_or(0, |i| i + 1);
    match shown {
        Shown::Working => written.to_vec(),
        Shown::Rewritten => {
            let mut columns: Vec<&[u8]> = written[..answer_at].split(|&t| t == bar).collect();
            columns.pop(); // the empty piece after the last column's bar
            let mut out = Vec::with_capacity(written.len());
            for column in columns.iter().rev() {
                out.extend_from_slice(column);
                out.push(bar);
            }
            out.extend_from_slice(&written[answer_at..]);
            out
        }
        Shown::Answer => written[answer_at..].to_vec(),
        Shown::Summary => {
            let eq = encode("=")[0];
            let mut out = encode("c");
            for (i, &t) in written[..answer_at].iter().enumerate() {
                if t == eq && i + 1 < answer_at {
                    out.push(written[i + 1]);
                }
            }
            out.push(bar);
            out.extend_from_slice(&written[answer_at..]);
            out
        }
    }
}

/// The longest text a thief of access `shown` is shown: `99+99`'s, whose answer has three
/// digits (every working is as long as any other).
pub fn longest(shown: Shown) -> usize {
    show(&Problem { a: 99, b: 99 }.solution(), shown).len()
}

/// The answer a written text gives (what follows its last `|`, or all of it), if it is a
/// number.
pub fn answer_of(written: &[u8]) -> Option<u32> {
    let text = decode(written);
    let answer = text.rsplit('|').next().unwrap_or("");
    (!answer.is_empty() && answer.bytes().all(|c| c.is_ascii_digit()) && answer.len() <= 4)
        .then(|| answer.parse().ok())
        .flatten()
}

/// Which parts of a written text are wrong, character by character, for problem `p` as a
/// thief of access `shown` writes it: every character that differs from the correct text
/// at its place (and every character past its end). A reader sees each wrong step and the
/// wrong answer marked.
pub fn wrong_marks(p: Problem, written: &[u8], shown: Shown) -> Vec<bool> {
    let right = show(&p.solution(), shown);
    written
        .iter()
        .enumerate()
        .map(|(i, &t)| right.get(i) != Some(&t))
        .collect()
}

/// Every problem, in a seeded order: the first [`HELD_OUT`] held out, the rest for sale.
pub fn problems(seed: u64) -> (Vec<Problem>, Vec<Problem>) {
    let mut all: Vec<Problem> = OPERANDS
        .flat_map(|a| OPERANDS.map(move |b| Problem { a, b }))
        .collect();
    Rng::fork(seed, "reasoner problems").shuffle(&mut all);
    let sale = all.split_off(HELD_OUT);
    (sale, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_writes_correct_checkable_working() {
        let p = Problem { a: 47, b: 85 };
        assert_eq!(decode(&p.solution()), "7+5+0=12|4+8+1=13|132");
        assert_eq!(decode(&p.prompt(true)), "47+85=");
        assert_eq!(decode(&p.prompt(false)), "47+85?");
        assert_eq!(decode(&show(&p.solution(), Shown::Summary)), "c11|132");
        assert_eq!(decode(&show(&p.solution(), Shown::Answer)), "132");
        let rewritten = show(&p.solution(), Shown::Rewritten);
        assert_eq!(decode(&rewritten), "4+8+1=13|7+5+0=12|132");
        assert_eq!(answer_of(&rewritten), Some(132));
        // A text without working, or cut short, is shown as it was written.
        assert_eq!(decode(&show(&encode("132"), Shown::Rewritten)), "132");
        assert_eq!(decode(&show(&encode("7+5"), Shown::Rewritten)), "7+5");
        let q = Problem { a: 12, b: 13 };
        assert_eq!(decode(&q.solution()), "2+3+0=05|1+1+0=02|25");
        assert_eq!(decode(&show(&q.solution(), Shown::Summary)), "c00|25");
        let lengths = [
            Shown::Working,
            Shown::Rewritten,
            Shown::Summary,
            Shown::Answer,
        ]
        .map(longest);
        assert_eq!(lengths, [MAX_WRITTEN, MAX_WRITTEN, 7, 3]);
        // Every problem's working: each column's sum is its digits and carry, each carry the
        // previous sum's first digit, the answer the true sum; never longer than MAX_WRITTEN.
        let (sale, held) = problems(1);
        assert_eq!((sale.len(), held.len()), (8_100 - HELD_OUT, HELD_OUT));
        for p in sale.iter().chain(&held) {
            let text = decode(&p.solution());
            assert!(text.len() <= MAX_WRITTEN, "{text}");
            let parts: Vec<&str> = text.split('|').collect();
            let mut carry = 0;
            for (col, step) in parts[..parts.len() - 1].iter().enumerate() {
                let d = |n: u32| (n / 10u32.pow(col as u32)) % 10;
                assert_eq!(
                    *step,
                    format!(
                        "{}+{}+{carry}={:02}",
                        d(p.a),
                        d(p.b),
                        d(p.a) + d(p.b) + carry
                    )
                );
                carry = (d(p.a) + d(p.b) + carry) / 10;
            }
            assert_eq!(answer_of(&p.solution()), Some(p.a + p.b));
            assert_eq!(encode(&text), p.solution());
        }
    }

    #[test]
    fn the_split_is_seeded_and_disjoint() {
        let (sale, held) = problems(1);
        assert_eq!(problems(1).1, held);
        assert_ne!(problems(2).1, held);
        let seen: std::collections::HashSet<_> = held.iter().collect();
        assert!(sale.iter().all(|p| !seen.contains(p)));
    }

    #[test]
    fn wrong_steps_and_answers_are_marked() {
        let p = Problem { a: 47, b: 85 };
        let written = encode("7+5+0=12|4+8+0=12|122");
        let marks = wrong_marks(p, &written, Shown::Working);
        let at: Vec<usize> = (0..marks.len()).filter(|&i| marks[i]).collect();
        assert_eq!(at, [13, 16, 19]); // the carry, the sum's last digit, the answer's middle
        assert_eq!(answer_of(&written), Some(122));
        assert_eq!(answer_of(&encode("c1")), None);
        assert_eq!(answer_of(&encode("1+")), None);
        assert!(wrong_marks(p, &encode("1324"), Shown::Answer)[3]);
    }
}
