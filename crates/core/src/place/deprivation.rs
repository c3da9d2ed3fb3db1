//! Deprivation indices: ranks, deciles and which way round they go.

use serde::{Deserialize, Serialize};

/// A deprivation index over one area scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeprivationIndex {
    /// e.g. `imd2019`.
    pub code: String,
    /// e.g. "English Index of Multiple Deprivation 2019".
    pub name: String,
    /// The area scheme it ranks, e.g. `lsoa11`.
    pub scheme: String,
    /// How many areas the ranks run over (the N of the deciles), e.g. 32,844.
    pub areas_ranked: i64,
    /// Publisher and licence, for the About page and every chart.
    pub source: String,
}

/// Which end of the ranking is the most deprived in a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankOrder {
    /// Rank 1 is the most deprived (the English, Scottish, Welsh and NI indices).
    #[default]
    MostDeprivedFirst,
    /// Rank 1 is the least deprived (some other countries' scores).
    LeastDeprivedFirst,
}

impl RankOrder {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "most_deprived_first" => Some(Self::MostDeprivedFirst),
            "least_deprived_first" => Some(Self::LeastDeprivedFirst),
            _ => None,
        }
    }

    /// The rank with 1 = most deprived.
    pub fn normalise(&self, rank: i64, n: i64) -> i64 {
        match self {
            RankOrder::MostDeprivedFirst => rank,
            RankOrder::LeastDeprivedFirst => n + 1 - rank,
        }
    }
}

/// The decile of a rank among `n` areas, 1 = most deprived tenth: the
/// published formula ceil(10 · rank / n).
pub fn decile(rank: i64, n: i64) -> u8 {
    debug_assert!(rank >= 1 && rank <= n && n > 0);
    ((10 * rank + n - 1) / n).clamp(1, 10) as u8
}

/// Ranks scores where a higher (or lower) score means more deprived, for
/// indices published as scores only. Ties get the same, lowest rank.
pub fn ranks_from_scores(scores: &[f64], higher_is_more_deprived: bool) -> Vec<i64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (scores[a], scores[b]);
        if higher_is_more_deprived {
            y.total_cmp(&x)
        } else {
            x.total_cmp(&y)
        }
    });
    let mut ranks = vec![0; scores.len()];
    let mut prev: Option<f64> = None;
    let mut prev_rank = 0;
    for (i, &idx) in order.iter().enumerate() {
        let r = if prev == Some(scores[idx]) {
            prev_rank
        } else {
            i as i64 + 1
        };
        ranks[idx] = r;
        prev = Some(scores[idx]);
        prev_rank = r;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iod2019_deciles() {
        let n = 32_844;
        assert_eq!(decile(1, n), 1);
        assert_eq!(decile(3284, n), 1);
        assert_eq!(decile(3285, n), 2);
        assert_eq!(decile(32_844, n), 10);
        assert_eq!(decile(939, n), 1);
        assert_eq!(decile(12_110, n), 4);
    }

    proptest! {
        #[test]
        fn deciles_split_the_ranks_into_tenths(n in 10i64..100_000, r in 0.0f64..1.0) {
            let rank = 1 + ((n - 1) as f64 * r) as i64;
            let d = decile(rank, n) as i64;
            prop_assert!((1..=10).contains(&d));
            // rank is in the d-th tenth: (d-1)/10 < rank/n <= d/10
            prop_assert!(10 * rank <= d * n);
            prop_assert!(10 * rank > (d - 1) * n);
        }
    }

    #[test]
    fn ranks_turn_round_and_come_from_scores() {
        assert_eq!(RankOrder::LeastDeprivedFirst.normalise(1, 100), 100);
        assert_eq!(
            ranks_from_scores(&[3.0, 9.0, 9.0, 1.0], true),
            vec![3, 1, 1, 4]
        );
        assert_eq!(ranks_from_scores(&[3.0, 9.0, 1.0], false), vec![2, 3, 1]);
    }
}
