//! The fingerprint: points where the teacher disagrees with every reference model, scored
//! against an empirical null of independent models.

use serde::{Deserialize, Serialize};

/// The result of scoring a suspect against a fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FingerprintVerdict {
    /// Points in the key set.
    pub keys: usize,
    /// Key points where the suspect agrees with the teacher.
    pub agree: usize,
    /// Agreement counts of the null models (trained independently) on the key set.
    pub null: Vec<usize>,
    /// (agree − mean(null)) / std(null).
    pub z: f64,
    /// Whether `z` exceeds the threshold (3.09, a one-sided α = 0.001 under normality — an
    /// assumption the small null sample can barely check).
    pub flagged: bool,
}

/// z above which a fingerprint match is called: the one-sided normal quantile at [`ALPHA`](super::ALPHA).
pub const Z_THRESHOLD: f64 = 3.09;

/// The fingerprint's key set: candidate points (`[x0, y0, …]`) where the teacher's top-1
/// (`teacher`) differs from every reference model's (trained on labels) and equals every
/// surrogate's (distilled from the teacher by the owner): decisions that copies carry and
/// independent models do not. Each model's argument holds its top-1 per candidate.
pub fn key_set(
    candidates: &[f32],
    teacher: &[u32],
    references: &[Vec<u32>],
    surrogates: &[Vec<u32>],
) -> Vec<f32> {
    candidates
        .chunks(2)
        .enumerate()
        .filter(|&(i, _)| {
            references.iter().all(|r| r[i] != teacher[i])
                && surrogates.iter().all(|s| s[i] == teacher[i])
        })
        .flat_map(|(_, p)| p.iter().copied())
        .collect()
}

/// Scores a suspect's top-1 on the key set against the teacher's and against the null models'.
pub fn score(teacher: &[u32], suspect: &[u32], null: &[Vec<u32>]) -> FingerprintVerdict {
    let agree_with = |m: &[u32]| m.iter().zip(teacher).filter(|(a, b)| a == b).count();
    let agree = agree_with(suspect);
    let null: Vec<usize> = null.iter().map(|m| agree_with(m)).collect();
    let n = null.len().max(1) as f64;
    let mean = null.iter().sum::<usize>() as f64 / n;
    let var = null.iter().map(|&a| (a as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let z = (agree as f64 - mean) / var.sqrt().max(0.5);
    FingerprintVerdict {
        keys: teacher.len(),
        agree,
        null,
        z,
        flagged: z > Z_THRESHOLD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_keys_and_z_score() {
        let teacher = [0, 1, 2, 0];
        let refs = vec![vec![1, 1, 0, 2], vec![2, 1, 1, 1]];
        let candidates = [0., 0., 1., 1., 2., 2., 3., 3.];
        assert_eq!(
            key_set(&candidates, &teacher, &refs, &[]),
            vec![0., 0., 2., 2., 3., 3.]
        );
        let surrogate = vec![0, 1, 1, 0];
        assert_eq!(
            key_set(&candidates, &teacher, &refs, &[surrogate]),
            vec![0., 0., 3., 3.]
        );
        let v = score(
            &[1, 1, 1, 1],
            &[1, 1, 1, 0],
            &[vec![0, 0, 0, 0], vec![1, 0, 0, 0], vec![1, 1, 0, 0]],
        );
        // Null agreements 0, 1, 2: mean 1, std 1; the suspect agrees on 3 → z = 2.
        assert_eq!((v.agree, v.null.clone()), (3, vec![0, 1, 2]));
        assert!((v.z - 2.0).abs() < 1e-12 && !v.flagged);
    }
}
