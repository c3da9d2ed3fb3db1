//! The optimal assignment of people to vacancies that respects each
//! vacancy's number of posts: maximise the total match score over eligible
//! pairs, leaving a person unassigned when no eligible post is worth it.
//!
//! A vacancy with k posts becomes k columns, and the problem is a
//! rectangular assignment (transposed when there are more people than
//! posts) solved by the shortest-augmenting-path method with potentials
//! (Kuhn–Munkres as Jonker–Volgenant and SciPy's `linear_sum_assignment`
//! run it): one Dijkstra-like search per row, O(n² m) at worst. Scores are
//! never negative, so leaving a person out and placing them with score 0
//! are the same: pairs that are not eligible score 0 and are dropped after.

/// A pair's score; `None` where the person is not eligible for the vacancy.
pub type Score = Option<i64>;

/// The assignment: for each person, the vacancy they are placed in, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub vacancy_of: Vec<Option<usize>>,
    pub total: i64,
}

/// Solves `scores[person][vacancy]` with `posts[vacancy]` places each.
/// Scores are match scores, zero or more: a person is left unplaced rather
/// than put where they are not eligible (or where their score is 0).
pub fn assign(scores: &[Vec<Score>], posts: &[usize]) -> Assignment {
    let n = scores.len();
    let mut slot_vacancy: Vec<usize> = Vec::new();
    for (v, k) in posts.iter().enumerate() {
        slot_vacancy.extend(std::iter::repeat_n(v, *k));
    }
    let slots = slot_vacancy.len();
    let gain = |i: usize, j: usize| -> i64 {
        scores[i]
            .get(slot_vacancy[j])
            .copied()
            .flatten()
            .unwrap_or(0)
            .max(0)
    };
    // Maximise gain = minimise -gain; the solver wants no more rows than columns.
    let pairs: Vec<(usize, usize)> = if n <= slots {
        let mut cost = Vec::with_capacity(n * slots);
        for i in 0..n {
            cost.extend((0..slots).map(|j| -gain(i, j)));
        }
        solve_dense(n, slots, &cost)
            .into_iter()
            .enumerate()
            .collect()
    } else {
        let mut cost = Vec::with_capacity(n * slots);
        for j in 0..slots {
            cost.extend((0..n).map(|i| -gain(i, j)));
        }
        solve_dense(slots, n, &cost)
            .into_iter()
            .enumerate()
            .map(|(j, i)| (i, j))
            .collect()
    };
    let mut vacancy_of = vec![None; n];
    let mut total = 0;
    for (i, j) in pairs {
        let v = slot_vacancy[j];
        if let Some(s) = scores[i][v].filter(|s| *s > 0) {
            vacancy_of[i] = Some(v);
            total += s;
        }
    }
    Assignment { vacancy_of, total }
}

/// Minimum-cost assignment of `n` rows to distinct columns of `m >= n`,
/// returning each row's column.
pub fn solve(n: usize, m: usize, cost: impl Fn(usize, usize) -> i64) -> Vec<usize> {
    let mut dense = Vec::with_capacity(n * m);
    for i in 0..n {
        dense.extend((0..m).map(|j| cost(i, j)));
    }
    solve_dense(n, m, &dense)
}

/// [`solve`] over a row-major matrix. Each row is placed by a shortest
/// augmenting path (Dijkstra over reduced costs), scanning only the columns
/// not yet reached and stopping at the first free column it settles.
pub fn solve_dense(n: usize, m: usize, cost: &[i64]) -> Vec<usize> {
    assert!(m >= n, "needs at least as many columns as rows");
    assert_eq!(cost.len(), n * m);
    const INF: i64 = i64::MAX / 4;
    let mut u = vec![0i64; n];
    let mut v = vec![0i64; m];
    let mut row_of: Vec<usize> = vec![usize::MAX; m];
    let mut col_of: Vec<usize> = vec![usize::MAX; n];
    let mut dist = vec![INF; m];
    let mut prev = vec![usize::MAX; m];
    let mut remaining: Vec<usize> = Vec::with_capacity(m);
    let mut settled: Vec<usize> = Vec::with_capacity(m);
    for start in 0..n {
        dist.iter_mut().for_each(|d| *d = INF);
        remaining.clear();
        remaining.extend(0..m);
        settled.clear();
        let mut i = start;
        let mut base = 0i64;
        let sink;
        loop {
            // Relax the columns not yet settled from row i.
            let row = &cost[i * m..(i + 1) * m];
            let ui = u[i];
            let mut best = INF;
            let mut best_k = 0;
            for (k, &j) in remaining.iter().enumerate() {
                let d = base + row[j] - ui - v[j];
                if d < dist[j] {
                    dist[j] = d;
                    prev[j] = i;
                }
                if dist[j] < best || (dist[j] == best && row_of[j] == usize::MAX) {
                    best = dist[j];
                    best_k = k;
                }
            }
            let j = remaining.swap_remove(best_k);
            base = best;
            settled.push(j);
            if row_of[j] == usize::MAX {
                sink = j;
                break;
            }
            i = row_of[j];
        }
        // Update the potentials of what was settled, then flip the path.
        u[start] += base;
        for &j in &settled {
            if j != sink {
                let r = row_of[j];
                u[r] += base - dist[j];
                v[j] -= base - dist[j];
            }
        }
        let mut j = sink;
        loop {
            let r = prev[j];
            row_of[j] = r;
            let next = col_of[r];
            col_of[r] = j;
            if r == start {
                break;
            }
            j = next;
        }
    }
    col_of
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every way of placing people, by brute force, for small cases.
    fn brute(scores: &[Vec<Score>], posts: &[usize]) -> i64 {
        fn go(i: usize, scores: &[Vec<Score>], left: &mut Vec<usize>) -> i64 {
            if i == scores.len() {
                return 0;
            }
            let mut best = go(i + 1, scores, left);
            for v in 0..left.len() {
                if let (true, Some(s)) = (left[v] > 0, scores[i][v]) {
                    left[v] -= 1;
                    best = best.max(s + go(i + 1, scores, left));
                    left[v] += 1;
                }
            }
            best
        }
        go(0, scores, &mut posts.to_vec())
    }

    #[test]
    fn a_hand_made_case() {
        // Two nurses, one doctor; a ward with two posts, a clinic with one.
        let scores = vec![
            vec![Some(80), Some(60)],
            vec![Some(70), None],
            vec![None, Some(90)],
        ];
        let a = assign(&scores, &[2, 1]);
        assert_eq!(a.vacancy_of, vec![Some(0), Some(0), Some(1)]);
        assert_eq!(a.total, 240);
        // With one ward post, the better of the two nurses takes it.
        let a = assign(&scores, &[1, 1]);
        assert_eq!(a.total, 80 + 90);
        assert_eq!(a.vacancy_of.iter().filter(|v| **v == Some(0)).count(), 1);
    }

    #[test]
    fn nobody_is_placed_where_not_eligible_or_at_a_loss() {
        let a = assign(&[vec![None], vec![Some(-5)]], &[3]);
        assert_eq!(a.vacancy_of, vec![None, None]);
        assert_eq!(a.total, 0);
    }

    fn instance() -> impl Strategy<Value = (Vec<Vec<Score>>, Vec<usize>)> {
        (1usize..6, 1usize..4).prop_flat_map(|(people, vacancies)| {
            (
                proptest::collection::vec(
                    proptest::collection::vec(
                        proptest::option::weighted(0.8, 0i64..100),
                        vacancies,
                    ),
                    people,
                ),
                proptest::collection::vec(0usize..3, vacancies),
            )
        })
    }

    proptest! {
        #[test]
        fn optimal_and_posts_never_overfilled((scores, posts) in instance()) {
            let a = assign(&scores, &posts);
            prop_assert_eq!(a.total, brute(&scores, &posts));
            for (v, k) in posts.iter().enumerate() {
                prop_assert!(a.vacancy_of.iter().filter(|x| **x == Some(v)).count() <= *k);
            }
            for (i, v) in a.vacancy_of.iter().enumerate() {
                if let Some(v) = v {
                    prop_assert!(scores[i][*v].is_some(), "placed only where eligible");
                }
            }
        }

        /// The same optimum as `pathfinding`'s Kuhn–Munkres on random
        /// rectangular weights (it maximises; we minimise the negation).
        #[test]
        fn kuhn_munkres_agrees(rows in 1usize..9, extra in 0usize..5, seed in proptest::collection::vec(-1000i64..1000, 13 * 13)) {
            let cols = rows + extra;
            let w = |i: usize, j: usize| seed[(i * 13 + j) % seed.len()];
            let m = pathfinding::matrix::Matrix::from_fn(rows, cols, |(i, j)| w(i, j));
            let (theirs, _) = pathfinding::kuhn_munkres::kuhn_munkres(&m);
            let ours: i64 = solve(rows, cols, |i, j| -w(i, j)).iter().enumerate().map(|(i, j)| w(i, *j)).sum();
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn square_problems_match_the_brute_force(costs in proptest::collection::vec(proptest::collection::vec(-50i64..50, 5), 5)) {
            let cols = solve(5, 5, |i, j| costs[i][j]);
            let got: i64 = cols.iter().enumerate().map(|(i, j)| costs[i][*j]).sum();
            // All 120 permutations.
            let mut best = i64::MAX;
            let mut perm: Vec<usize> = (0..5).collect();
            fn permute(k: usize, perm: &mut Vec<usize>, costs: &[Vec<i64>], best: &mut i64) {
                if k == perm.len() {
                    *best = (*best).min(perm.iter().enumerate().map(|(i, j)| costs[i][*j]).sum());
                    return;
                }
                for x in k..perm.len() {
                    perm.swap(k, x);
                    permute(k + 1, perm, costs, best);
                    perm.swap(k, x);
                }
            }
            permute(0, &mut perm, &costs, &mut best);
            prop_assert_eq!(got, best);
        }
    }
}
