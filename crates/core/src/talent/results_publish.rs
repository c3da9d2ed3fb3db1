//! The strand's results as published: every count of people in the funnel,
//! the barrier report and the savings goes through `disclosure`, so a role
//! without the right to personal data (a funder, a community member) never
//! sees a count from 1 to k − 1, nor one the other figures give away.
//!
//! - The funnel is one `Network`: engaged = on the pathway + those who
//!   stopped; on the pathway splits by registered or not and by in work or
//!   not (a 2 × 2 table whose inner cells are never shown); into work =
//!   NHS + care + other. Protecting it as one structure means a shown
//!   "into work" can never pin a hidden "on the pathway".
//! - The barrier report is a list of overlapping groups (a person may meet
//!   several barriers) with the number of people held back by any. How many
//!   records are open or resolved and the longest wait are counts and days
//!   of single people: only roles with the right see them; everyone else
//!   sees the median wait where the line's people are shown.
//! - Savings: the posts filled per band are a list with its sum; a band's
//!   money follows from its posts (the pay scale is public), so it is hidden
//!   wherever its posts are, and the money totals are withheld whenever any
//!   band's money is (else the total minus the shown bands would give the
//!   hidden posts away).

use serde::Serialize;

use super::results::{BandSaving, BarrierLine, Funnel, Savings};
use crate::disclosure::{Cell, Level, Money, Network, Total, Viewer};

/// The funnel as a viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedFunnel {
    pub engaged: Cell,
    pub on_pathway: Cell,
    pub registered: Cell,
    pub into_work: Cell,
    pub into_nhs: Cell,
    pub into_care: Cell,
    pub into_other: Cell,
}

impl PublishedFunnel {
    pub fn all_cells(&self) -> [&Cell; 7] {
        [
            &self.engaged,
            &self.on_pathway,
            &self.registered,
            &self.into_work,
            &self.into_nhs,
            &self.into_care,
            &self.into_other,
        ]
    }
}

/// The funnel's figures and the equations between them (see the module
/// comment), in the order they are published.
pub fn funnel_network(f: &Funnel) -> Network {
    let mut n = Network::new();
    let [start, pathway, reg, not_reg, work, not_work, split, end] = [(); 8].map(|_| n.node());
    let into_work = f.into_work();
    n.figure(end, start, f.engaged, Level::Total);
    n.figure(pathway, end, f.on_pathway, Level::Subtotal);
    n.figure(start, reg, f.registered, Level::Subtotal);
    n.figure(work, split, into_work, Level::Subtotal);
    n.figure(split, pathway, f.into_nhs, Level::Cell);
    n.figure(split, pathway, f.into_care, Level::Cell);
    n.figure(split, pathway, f.into_other, Level::Cell);
    // Those who stopped at "engaged" go round from the start to the end.
    n.implied(start, end, f.engaged - f.on_pathway);
    n.implied(start, not_reg, f.on_pathway - f.registered);
    n.implied(reg, work, f.registered_in_work);
    n.implied(reg, not_work, f.registered - f.registered_in_work);
    n.implied(not_reg, work, into_work - f.registered_in_work);
    n.implied(
        not_reg,
        not_work,
        (f.on_pathway - f.registered) - (into_work - f.registered_in_work),
    );
    n.implied(not_work, pathway, f.on_pathway - into_work);
    n
}

pub fn publish_funnel(viewer: &Viewer, f: &Funnel) -> PublishedFunnel {
    let cells = viewer
        .network(funnel_network(f))
        .expect("the funnel's stages are nested by construction");
    PublishedFunnel {
        engaged: cells[0],
        on_pathway: cells[1],
        registered: cells[2],
        into_work: cells[3],
        into_nhs: cells[4],
        into_care: cells[5],
        into_other: cells[6],
    }
}

/// A line of the barrier report as a viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedBarrier {
    #[serde(flatten)]
    pub line: BarrierView,
    pub people: Cell,
}

/// What a line says besides its count of people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BarrierView {
    pub barrier: super::casework::Barrier,
    pub rule: Option<String>,
    /// Median days from raised to resolved (or to today while open); none
    /// where the line's people are hidden.
    pub median_days: Option<i64>,
    /// Records open and resolved, and the longest open wait: only for
    /// roles with the right to personal data.
    pub open: Option<u64>,
    pub resolved: Option<u64>,
    pub longest_open_days: Option<i64>,
}

/// The barrier report as a viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedBarriers {
    pub lines: Vec<PublishedBarrier>,
    /// People held back by any barrier.
    pub people_with_any: Cell,
}

/// `any`: how many people the lines cover (a person may be in several).
pub fn publish_barriers(viewer: &Viewer, lines: &[BarrierLine], any: u64) -> PublishedBarriers {
    let people: Vec<u64> = lines.iter().map(|l| l.people).collect();
    let list = viewer
        .list(&people, Total::Overlapping(any))
        .expect("the people with any barrier are the union of the lines");
    let exact = viewer.exact();
    PublishedBarriers {
        lines: lines
            .iter()
            .zip(&list.cells)
            .map(|(l, &c)| PublishedBarrier {
                line: BarrierView {
                    barrier: l.barrier,
                    rule: l.rule.clone(),
                    median_days: (!c.is_hidden()).then_some(l.median_days),
                    open: exact.then_some(l.open),
                    resolved: exact.then_some(l.resolved),
                    longest_open_days: if exact { l.longest_open_days } else { None },
                },
                people: c,
            })
            .collect(),
        people_with_any: list.total.expect("an overlapping list has its total"),
    }
}

/// A band's savings as a viewer may see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedBand {
    pub band: String,
    pub posts: Cell,
    pub basic: Money,
    pub pay_year: String,
    pub per_year_conservative: Cell<Money>,
    pub per_year_central: Cell<Money>,
    pub to_date_conservative: Cell<Money>,
    pub to_date_central: Cell<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedSavings {
    pub bands: Vec<PublishedBand>,
    pub posts: Cell,
    pub posts_not_costed: Cell,
    pub per_year_conservative: Cell<Money>,
    pub per_year_central: Cell<Money>,
    pub to_date_conservative: Cell<Money>,
    pub to_date_central: Cell<Money>,
}

fn like(count: Cell, pence: i64) -> Cell<Money> {
    match count {
        Cell::Shown(_) => Cell::Shown(Money(pence)),
        Cell::Exact(_) => Cell::Exact(Money(pence)),
        Cell::Suppressed { below } => Cell::Suppressed { below },
        Cell::Withheld { below } => Cell::Withheld { below },
    }
}

pub fn publish_savings(viewer: &Viewer, s: &Savings) -> PublishedSavings {
    let posts: Vec<u64> = s.bands.iter().map(|b| b.posts).collect();
    let list = viewer
        .list(&posts, Total::Sum)
        .expect("a sum is always a total");
    let total = list.total.expect("a summed list has its total");
    let any_hidden = list.cells.iter().any(Cell::is_hidden);
    // The totals' money is hidden with any band's, labelled "withheld".
    let total_cell = if any_hidden {
        Cell::Withheld { below: viewer.k() }
    } else {
        total
    };
    let band = |b: &BandSaving, c: Cell| PublishedBand {
        band: b.band.clone(),
        posts: c,
        basic: Money(b.basic_pence),
        pay_year: b.pay_year.clone(),
        per_year_conservative: like(c, b.per_year_conservative_pence),
        per_year_central: like(c, b.per_year_central_pence),
        to_date_conservative: like(c, b.to_date_conservative_pence),
        to_date_central: like(c, b.to_date_central_pence),
    };
    PublishedSavings {
        bands: s
            .bands
            .iter()
            .zip(&list.cells)
            .map(|(b, &c)| band(b, c))
            .collect(),
        posts: total,
        posts_not_costed: viewer.count(s.posts_not_costed),
        per_year_conservative: like(total_cell, s.per_year_conservative_pence),
        per_year_central: like(total_cell, s.per_year_central_pence),
        to_date_conservative: like(total_cell, s.to_date_conservative_pence),
        to_date_central: like(total_cell, s.to_date_central_pence),
    }
}
