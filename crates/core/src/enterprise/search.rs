//! Exact branch and bound for the consortium model (see
//! [`super::consortium`]): the best consortia of each size in turn, from
//! the smallest possible, so the fewest members is settled by proving that
//! no smaller consortium exists and locality is only compared among
//! consortia of the same size.
//!
//! A node has chosen some members and excluded others. It branches on the
//! unmet requirement that the fewest remaining enterprises can meet (one
//! child per such enterprise, each excluding the ones tried before it, so
//! no consortium is visited twice); once every requirement is met and only
//! the sums fall short, on any enterprise that adds to them. It is cut when
//! the places left cannot meet what is left:
//!
//! - requirements: each enterprise counts for a share of the unmet
//!   requirements it meets (1 / how many), so the places needed are at
//!   least the sum over unmet requirements of 1 / the most that one
//!   enterprise able to meet it meets; and at least the number of unmet
//!   requirements no two of which one enterprise can meet together;
//! - sums: those requirements take a member each, adding at most the
//!   largest turnover (capacity) among their enterprises, and the other
//!   places at most the largest turnovers (capacities) left;
//! - locality: the same for the locality, against the worst consortium
//!   still wanted; on a tie, the members still possible, best first,
//!   against that consortium's members.
//!
//! Requirements are bits of a `u64`, so a lot may have up to [`MAX_ROWS`]
//! requirements met between members; the MILP takes larger ones.
//!
//! Why not a MILP solver: measured as `useit bench consortium` sets it up
//! (500 enterprises, a lot of 20 requirements worth £1.5m), over 36 seeds
//! whose lot can be met, this search took 0.3–11 ms (49 ms in all), good_lp
//! with microlp 1–431 ms (1.19 s in all), HiGHS 0.04–0.87 s (18 seeds).
//! With the lot worth £5m (more members, the sums binding): at most 131 ms
//! here, 1.7 s for microlp, 3.0 s for HiGHS on the hardest seed. The search
//! also breaks ties by the stated rule and finds the alternatives in the
//! same run, where a solver needs one solve per alternative.

use super::consortium::{Model, Options};

pub const MAX_ROWS: usize = 64;

/// A consortium found at the size being searched.
struct Found {
    locality: u32,
    /// Candidate indices, ascending (the order that breaks ties).
    set: Vec<u32>,
}

impl Found {
    /// Better than `other`: more local, then first in the candidates' order.
    fn beats(locality: u32, set: &[u32], other: &Found) -> bool {
        locality > other.locality || (locality == other.locality && set < other.set.as_slice())
    }
}

struct Search {
    full: u64,
    mask: Vec<u64>,
    locality: Vec<u32>,
    turnover: Vec<i64>,
    capacity: Vec<i64>,
    need_turnover: i64,
    need_capacity: i64,
    /// Per requirement: the candidates that meet it, in the candidates' order.
    rows: Vec<Vec<u32>>,
    /// Per requirement: the requirements one enterprise meets together with it.
    shares: Vec<u64>,
    by_turnover: Vec<u32>,
    by_capacity: Vec<u32>,

    /// Chosen or excluded at this node.
    out: Vec<bool>,
    chosen: Vec<u32>,
    /// Per requirement: candidates not out that meet it.
    open: Vec<u32>,
    size: usize,
    want: usize,
    found: Vec<Found>,
    /// Per requirement scratch for the bounds: (most met, turnover, capacity, locality).
    best_of: Vec<(u32, i64, i64, u32)>,
    /// Per depth: the useful candidates of the node at that depth.
    pools: Vec<Vec<u32>>,
    /// Candidates excluded by the branching loops, to put back.
    tried: Vec<u32>,
    scratch: Vec<u32>,
    nodes: u64,
}

/// Whether `chosen` (sorted) with `c` comes before `other` (sorted), member
/// by member.
fn with_first(chosen: &[u32], c: u32, other: &[u32]) -> bool {
    let at = chosen.partition_point(|&x| x < c);
    let merged = chosen[..at]
        .iter()
        .chain(std::iter::once(&c))
        .chain(&chosen[at..]);
    merged.lt(other.iter())
}

/// The best consortia, best first (see [`super::consortium::solve`]).
pub fn best(model: &Model, options: Options) -> Vec<Vec<u32>> {
    assert!(model.rows.len() <= MAX_ROWS);
    let mut out = Vec::new();
    if options.alternatives == 0 || !model.blockers.is_empty() {
        return out;
    }
    if model.feasible(&[]) {
        return model.each_alone(options);
    }
    let mut s = Search::new(model);
    let largest = model.largest_minimal();
    let mut smallest = None;
    for size in options.min_members.max(1)..=largest {
        if smallest.is_some_and(|k: usize| size > k + options.extra_members) {
            break;
        }
        let found = s.at_size(size, options.alternatives - out.len());
        if !found.is_empty() && smallest.is_none() {
            smallest = Some(size);
        }
        out.extend(found);
        if out.len() == options.alternatives {
            break;
        }
    }
    out
}

impl Search {
    fn new(model: &Model) -> Search {
        let n = model.candidates.len();
        let m = model.rows.len();
        let mut mask = vec![0u64; n];
        for (r, row) in model.rows.iter().enumerate() {
            for &c in &row.met_by {
                mask[c as usize] |= 1 << r;
            }
        }
        let shares = (0..m)
            .map(|r| {
                model.rows[r]
                    .met_by
                    .iter()
                    .fold(0u64, |acc, &c| acc | mask[c as usize])
            })
            .collect();
        let mut by_turnover: Vec<u32> = (0..n as u32)
            .filter(|&c| model.turnover[c as usize] > 0)
            .collect();
        by_turnover.sort_by_key(|&c| std::cmp::Reverse(model.turnover[c as usize]));
        let mut by_capacity: Vec<u32> = (0..n as u32)
            .filter(|&c| model.capacity[c as usize] > 0)
            .collect();
        by_capacity.sort_by_key(|&c| std::cmp::Reverse(model.capacity[c as usize]));
        Search {
            full: if m == 64 { u64::MAX } else { (1u64 << m) - 1 },
            mask,
            locality: model.locality.clone(),
            turnover: model.turnover.clone(),
            capacity: model.capacity.clone(),
            need_turnover: model.turnover_required,
            need_capacity: model.value,
            rows: model.rows.iter().map(|r| r.met_by.clone()).collect(),
            shares,
            by_turnover,
            by_capacity,
            out: vec![false; n],
            chosen: Vec::new(),
            open: model.rows.iter().map(|r| r.met_by.len() as u32).collect(),
            size: 0,
            want: 0,
            found: Vec::new(),
            best_of: vec![(0, 0, 0, 0); m],
            pools: Vec::new(),
            tried: Vec::new(),
            scratch: Vec::new(),
            nodes: 0,
        }
    }

    /// The best `want` consortia of exactly `size` members in which every
    /// member is needed, best first.
    fn at_size(&mut self, size: usize, want: usize) -> Vec<Vec<u32>> {
        self.size = size;
        self.want = want;
        self.found.clear();
        self.node(0, 0, 0, 0);
        debug_assert!(self.chosen.is_empty() && !self.out.iter().any(|&o| o));
        std::mem::take(&mut self.found)
            .into_iter()
            .map(|f| f.set)
            .collect()
    }

    /// The consortium to beat (its index in `found`) once `want` have
    /// been found.
    fn bar(&self) -> Option<usize> {
        (self.found.len() == self.want && self.want > 0).then(|| self.want - 1)
    }

    fn take(&mut self, c: u32) {
        self.set_out(c, true);
        self.chosen.push(c);
    }

    fn untake(&mut self) {
        let c = self.chosen.pop().expect("a chosen member to take back");
        self.set_out(c, false);
    }

    fn set_out(&mut self, c: u32, out: bool) {
        self.out[c as usize] = out;
        let mut bits = self.mask[c as usize];
        while bits != 0 {
            let r = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if out {
                self.open[r] -= 1;
            } else {
                self.open[r] += 1;
            }
        }
    }

    /// Whether a candidate not out can still be needed: it meets an unmet
    /// requirement or adds to a sum that falls short.
    fn useful(&self, c: u32, unmet: u64, short_t: i64, short_c: i64) -> bool {
        let c = c as usize;
        !self.out[c]
            && (self.mask[c] & unmet != 0
                || (short_t > 0 && self.turnover[c] > 0)
                || (short_c > 0 && self.capacity[c] > 0))
    }

    /// The most the best `places` candidates not out add to a sum.
    fn top(&self, order: &[u32], values: &[i64], places: usize) -> i64 {
        order
            .iter()
            .filter(|&&c| !self.out[c as usize])
            .take(places)
            .map(|&c| values[c as usize])
            .sum()
    }

    /// The best `places` candidates of `pool` (useful ones in the
    /// candidates' order) not out and not `skip`: their locality, and
    /// whether the chosen members (with `skip`) and they, compared member
    /// by member, come at or after `bar`'s members.
    fn best_rest(
        &mut self,
        pool: &[u32],
        places: usize,
        skip: Option<u32>,
        bar: Option<usize>,
    ) -> (u32, bool) {
        let mut sum = 0;
        let mut taken = std::mem::take(&mut self.scratch);
        taken.clear();
        for &c in pool {
            if taken.len() == places {
                break;
            }
            if Some(c) != skip && !self.out[c as usize] {
                sum += self.locality[c as usize];
                taken.push(c);
            }
        }
        let after = bar.is_some_and(|b| {
            taken.extend_from_slice(&self.chosen);
            taken.extend(skip);
            taken.sort_unstable();
            taken.as_slice() >= self.found[b].set.as_slice()
        });
        self.scratch = taken;
        (sum, after)
    }

    fn node(&mut self, covered: u64, turnover: i64, capacity: i64, locality: u32) {
        self.nodes += 1;
        let unmet = self.full & !covered;
        let short_t = self.need_turnover - turnover;
        let short_c = self.need_capacity - capacity;
        let places = self.size - self.chosen.len();
        if unmet == 0 && short_t <= 0 && short_c <= 0 {
            // With places left, a smaller consortium meets the lot: any
            // member added would not be needed.
            if places == 0 {
                self.record(locality);
            }
            return;
        }
        if places == 0 {
            return;
        }
        if places == 1 {
            self.last(unmet, short_t, short_c, locality);
            return;
        }

        // Bounds from the unmet requirements.
        let mut share = 0.0f64;
        let mut bits = unmet;
        let mut pick = usize::MAX;
        let mut order: [(u32, u8); MAX_ROWS] = [(0, 0); MAX_ROWS];
        let mut unmet_count = 0;
        while bits != 0 {
            let r = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if self.open[r] == 0 {
                return;
            }
            let mut b = (0u32, 0i64, 0i64, 0u32);
            for &c in &self.rows[r] {
                let c = c as usize;
                if self.out[c] {
                    continue;
                }
                b.0 = b.0.max((self.mask[c] & unmet).count_ones());
                b.1 = b.1.max(self.turnover[c]);
                b.2 = b.2.max(self.capacity[c]);
                b.3 = b.3.max(self.locality[c]);
            }
            self.best_of[r] = b;
            share += 1.0 / f64::from(b.0);
            order[unmet_count] = (self.open[r], r as u8);
            unmet_count += 1;
            if pick == usize::MAX || self.open[r] < self.open[pick] {
                pick = r;
            }
        }
        if (share - 1e-9).ceil() as usize > places {
            return;
        }
        let order = &mut order[..unmet_count];
        order.sort_unstable();
        let (mut apart, mut in_rows) = (0u64, 0usize);
        let (mut t_rows, mut c_rows, mut l_rows) = (0i64, 0i64, 0u32);
        for &(_, r) in order.iter() {
            let r = r as usize;
            if self.shares[r] & apart == 0 {
                apart |= 1 << r;
                in_rows += 1;
                t_rows += self.best_of[r].1;
                c_rows += self.best_of[r].2;
                l_rows += self.best_of[r].3;
            }
        }
        if in_rows > places {
            return;
        }
        let rest = places - in_rows;
        if short_t > 0 && t_rows + self.top(&self.by_turnover, &self.turnover, rest) < short_t {
            return;
        }
        if short_c > 0 && c_rows + self.top(&self.by_capacity, &self.capacity, rest) < short_c {
            return;
        }

        // The useful candidates, best first: enough for the bounds of this
        // node and of each child (a child's own bound skips those tried
        // before it, which are then out).
        let depth = self.chosen.len();
        if self.pools.len() <= depth {
            self.pools.resize_with(depth + 1, Vec::new);
        }
        let mut pool = std::mem::take(&mut self.pools[depth]);
        pool.clear();
        let children = if unmet != 0 {
            self.rows[pick].len()
        } else {
            self.mask.len()
        };
        let enough = places + children;
        for c in 0..self.mask.len() as u32 {
            if pool.len() == enough {
                break;
            }
            if self.useful(c, unmet, short_t, short_c) {
                pool.push(c);
            }
        }
        let bar = self.bar();
        if let Some(b) = bar {
            let top_rest: u32 = pool[..rest.min(pool.len())]
                .iter()
                .map(|&c| self.locality[c as usize])
                .sum();
            let bound = locality + l_rows + top_rest;
            let bar_locality = self.found[b].locality;
            if bound < bar_locality
                || (bound == bar_locality && self.best_rest(&pool, places, None, bar).1)
            {
                self.pools[depth] = pool;
                return;
            }
        }

        // Branch: on the unmet requirement fewest can meet, or on anyone
        // adding to a sum that falls short. Along the loop, candidates come
        // in the candidates' order and those tried are excluded, so once a
        // child cannot beat the bar, no later one can.
        let mut excluded = 0;
        for k in 0..children {
            let c = if unmet != 0 {
                self.rows[pick][k]
            } else {
                k as u32
            };
            if !self.useful(c, unmet, short_t, short_c) {
                continue;
            }
            if let Some(b) = self.bar() {
                let (rest, after) = self.best_rest(&pool, places - 1, Some(c), Some(b));
                let bound = locality + self.locality[c as usize] + rest;
                let bar_locality = self.found[b].locality;
                if bound < bar_locality || (bound == bar_locality && after) {
                    break;
                }
            }
            let i = c as usize;
            self.take(c);
            self.node(
                covered | self.mask[i],
                turnover + self.turnover[i],
                capacity + self.capacity[i],
                locality + self.locality[i],
            );
            self.untake();
            self.set_out(c, true);
            self.tried.push(c);
            excluded += 1;
        }
        for _ in 0..excluded {
            let c = self.tried.pop().expect("a tried candidate to put back");
            self.set_out(c, false);
        }
        self.pools[depth] = pool;
    }

    /// One place left: the candidates that meet everything left.
    fn last(&mut self, unmet: u64, short_t: i64, short_c: i64, locality: u32) {
        let (from_row, count) = if unmet != 0 {
            let mut bits = unmet;
            let mut pick = usize::MAX;
            while bits != 0 {
                let r = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if pick == usize::MAX || self.open[r] < self.open[pick] {
                    pick = r;
                }
            }
            (Some(pick), self.rows[pick].len())
        } else {
            (None, self.mask.len())
        };
        let mut chosen = std::mem::take(&mut self.scratch);
        chosen.clear();
        chosen.extend_from_slice(&self.chosen);
        chosen.sort_unstable();
        for k in 0..count {
            let c = from_row.map_or(k as u32, |r| self.rows[r][k]);
            let i = c as usize;
            if self.out[i] {
                continue;
            }
            if let Some(b) = self.bar() {
                // Along the candidates' order the consortium only gets worse.
                let bar = &self.found[b];
                let l = locality + self.locality[i];
                if l < bar.locality || (l == bar.locality && !with_first(&chosen, c, &bar.set)) {
                    break;
                }
            }
            if self.mask[i] & unmet == unmet
                && self.turnover[i] >= short_t
                && self.capacity[i] >= short_c
            {
                self.take(c);
                self.record(locality + self.locality[i]);
                self.untake();
            }
        }
        self.scratch = chosen;
    }

    /// Keeps the chosen members if every one is needed and they are among
    /// the best `want`.
    fn record(&mut self, locality: u32) {
        let mut set = self.chosen.clone();
        set.sort_unstable();
        if let Some(b) = self.bar()
            && !Found::beats(locality, &set, &self.found[b])
        {
            return;
        }
        let turnover: i64 = set.iter().map(|&c| self.turnover[c as usize]).sum();
        let capacity: i64 = set.iter().map(|&c| self.capacity[c as usize]).sum();
        for (i, &c) in set.iter().enumerate() {
            let rest = set
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .fold(0u64, |acc, (_, &d)| acc | self.mask[d as usize]);
            if rest & self.full == self.full
                && turnover - self.turnover[c as usize] >= self.need_turnover
                && capacity - self.capacity[c as usize] >= self.need_capacity
            {
                return;
            }
        }
        let at = self
            .found
            .iter()
            .position(|f| Found::beats(locality, &set, f))
            .unwrap_or(self.found.len());
        self.found.insert(at, Found { locality, set });
        self.found.truncate(self.want);
    }
}
