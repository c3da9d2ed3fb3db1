//! The workforce measures as published: every count of people (and the pay
//! of those people) goes through `disclosure`, so a viewer without the right
//! to personal data never sees a count from 1 to k − 1, nor one that the
//! totals would give away.
//!
//! The same three figures — staff living in the area of benefit, staff
//! living elsewhere, all staff — appear in three places: the area of
//! benefit split and the margins of the band and staff-group tables. Each
//! structure is suppressed on its own, then a figure hidden in any of them
//! is hidden in all (hiding more never gives anything away), so no table's
//! shown margin undoes another's suppression.

use serde::Serialize;

use super::workforce::{Split, Splits, WorkforceMeasures, share};
use crate::disclosure::{Cell, List, Money, Paid, Table, Total, Viewer};

/// A split of staff as published: people and pay inside, outside and in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedSplit {
    pub people: List,
    pub pay: List<Money>,
}

impl PublishedSplit {
    fn of(viewer: &Viewer, s: &Split) -> Self {
        let (people, pay) = viewer.paid_list(&[paid(s.inside), paid(s.outside)], true);
        PublishedSplit { people, pay }
    }

    /// The share of people living inside, where both figures are shown.
    pub fn people_share(&self) -> Option<f64> {
        let inside = self.people.cells[0].value()?;
        let total = self.people.total?.value()?;
        share(inside, total)
    }

    /// The share of pay paid to people living inside, where shown.
    pub fn pay_share(&self) -> Option<f64> {
        let inside = self.pay.cells[0].value()?.0;
        let total = self.pay.total?.value()?.0;
        (total > 0).then(|| (inside as f64 * 1000.0 / total as f64).round() / 10.0)
    }
}

fn paid(s: super::workforce::Staff) -> Paid {
    Paid {
        people: s.people,
        pence: s.pay,
    }
}

/// Rows × [living inside a geography, elsewhere], with margins: people and their pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeoplePay {
    pub people: Table,
    pub pay: Table<Money>,
}

impl PeoplePay {
    fn of(viewer: &Viewer, rows: &[Split]) -> Self {
        let zero = [Split::default()];
        let rows = if rows.is_empty() { &zero[..] } else { rows };
        let paid_rows: Vec<Vec<Paid>> = rows
            .iter()
            .map(|s| vec![paid(s.inside), paid(s.outside)])
            .collect();
        let (people, pay) = viewer
            .paid_table(&paid_rows)
            .expect("rows of the same length");
        PeoplePay { people, pay }
    }

    /// The share of a row's people (`None`: the margins) living inside, where shown.
    pub fn people_share(&self, row: Option<usize>) -> Option<f64> {
        let (inside, all) = match row {
            Some(i) => (&self.people.cells[i][0], &self.people.row_totals[i]),
            None => (&self.people.column_totals[0], &self.people.total),
        };
        share(inside.value()?, all.value()?)
    }

    /// The share of a row's pay paid to people living inside, where shown.
    pub fn pay_share(&self, row: Option<usize>) -> Option<f64> {
        let (inside, all) = match row {
            Some(i) => (&self.pay.cells[i][0], &self.pay.row_totals[i]),
            None => (&self.pay.column_totals[0], &self.pay.total),
        };
        let (inside, all) = (inside.value()?.0, all.value()?.0);
        (all > 0).then(|| (inside as f64 * 1000.0 / all as f64).round() / 10.0)
    }
}

/// Rows (bands or staff groups) × [living inside, elsewhere] for each
/// geography: `people` and `pay` are the area of benefit's (as before the
/// other two were added), `local_authority` and `deciles_1_2` the others'.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedTable {
    pub rows: Vec<String>,
    pub people: Table,
    pub pay: Table<Money>,
    pub local_authority: PeoplePay,
    pub deciles_1_2: PeoplePay,
}

impl PublishedTable {
    fn of(viewer: &Viewer, rows: &[(String, Splits)]) -> Self {
        let pick =
            |f: fn(&Splits) -> Split| -> Vec<Split> { rows.iter().map(|(_, s)| f(s)).collect() };
        let aob = PeoplePay::of(viewer, &pick(|s| s.area_of_benefit));
        PublishedTable {
            rows: rows.iter().map(|(n, _)| n.clone()).collect(),
            people: aob.people,
            pay: aob.pay,
            local_authority: PeoplePay::of(viewer, &pick(|s| s.local_authority)),
            deciles_1_2: PeoplePay::of(viewer, &pick(|s| s.deciles_1_2)),
        }
    }

    /// The area of benefit's part as the other two are.
    pub fn area_of_benefit(&self) -> PeoplePay {
        PeoplePay {
            people: self.people.clone(),
            pay: self.pay.clone(),
        }
    }
}

/// One anchor's workforce in one year as a viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedWorkforce {
    pub area_of_benefit: PublishedSplit,
    pub local_authority: PublishedSplit,
    pub deciles_1_2: PublishedSplit,
    /// `None`: the year's file did not say who started (not known, not 0).
    pub starters: Option<List>,
    pub home_unknown: Cell,
    pub by_band: PublishedTable,
    pub by_staff_group: PublishedTable,
}

impl PublishedWorkforce {
    /// Every count shown, for the footnotes.
    pub fn all_counts(&self) -> Vec<&Cell> {
        let mut v: Vec<&Cell> = Vec::new();
        for s in [
            &self.area_of_benefit,
            &self.local_authority,
            &self.deciles_1_2,
        ] {
            v.extend(s.people.all_cells());
        }
        v.extend(self.starters.iter().flat_map(|s| s.all_cells()));
        v.push(&self.home_unknown);
        for t in [&self.by_band, &self.by_staff_group] {
            v.extend(t.people.all_cells());
            v.extend(t.local_authority.people.all_cells());
            v.extend(t.deciles_1_2.people.all_cells());
        }
        v
    }
}

/// Publishes the measures for this viewer.
pub fn publish(m: &WorkforceMeasures, viewer: &Viewer) -> PublishedWorkforce {
    let mut p = PublishedWorkforce {
        area_of_benefit: PublishedSplit::of(viewer, &m.area_of_benefit),
        local_authority: PublishedSplit::of(viewer, &m.local_authority),
        deciles_1_2: PublishedSplit::of(viewer, &m.deciles_1_2),
        starters: m.starters.map(|s| {
            viewer
                .list(&[s.inside.people, s.outside.people], Total::Sum)
                .expect("a list with its sum")
        }),
        home_unknown: viewer.count(m.home_unknown.people),
        by_band: PublishedTable::of(viewer, &m.by_band),
        by_staff_group: PublishedTable::of(viewer, &m.by_staff_group),
    };
    if !viewer.exact() {
        harmonise(&mut p, viewer.k(), !m.by_band.is_empty());
    }
    p
}

type Shared<'a> = (&'a mut Cell, &'a mut Cell<Money>);

/// Hides each shared figure everywhere it is hidden anywhere. The same
/// figure appears in several structures: all staff (the three splits'
/// totals and the six tables' grand totals), staff inside and outside each
/// geography (its split and the two tables' column totals) and a band's or
/// staff group's staff (the row totals of its three tables). Each figure
/// is in one group only, so one pass is enough.
fn harmonise(p: &mut PublishedWorkforce, k: u32, tables_real: bool) {
    let mut groups: Vec<Vec<Shared<'_>>> = Vec::new();
    let PublishedWorkforce {
        area_of_benefit,
        local_authority,
        deciles_1_2,
        by_band,
        by_staff_group,
        ..
    } = p;
    let mut all: Vec<Shared<'_>> = Vec::new();
    let mut sides: [Vec<Shared<'_>>; 6] = Default::default();
    for (g, s) in [area_of_benefit, local_authority, deciles_1_2]
        .into_iter()
        .enumerate()
    {
        let PublishedSplit { people, pay } = s;
        let [c0, c1] = &mut people.cells[..] else {
            unreachable!("a split has two cells")
        };
        let [m0, m1] = &mut pay.cells[..] else {
            unreachable!("a split has two cells")
        };
        sides[2 * g].push((c0, m0));
        sides[2 * g + 1].push((c1, m1));
        if let (Some(c), Some(m)) = (people.total.as_mut(), pay.total.as_mut()) {
            all.push((c, m));
        }
    }
    if tables_real {
        let rows = by_band.rows.len();
        let mut band_rows: Vec<Vec<Shared<'_>>> = (0..rows).map(|_| Vec::new()).collect();
        let mut group_rows: Vec<Vec<Shared<'_>>> =
            (0..by_staff_group.rows.len()).map(|_| Vec::new()).collect();
        for (t, row_groups) in [(by_band, &mut band_rows), (by_staff_group, &mut group_rows)] {
            let PublishedTable {
                people,
                pay,
                local_authority,
                deciles_1_2,
                ..
            } = t;
            let parts = [
                (people, pay),
                (&mut local_authority.people, &mut local_authority.pay),
                (&mut deciles_1_2.people, &mut deciles_1_2.pay),
            ];
            for (g, (people, pay)) in parts.into_iter().enumerate() {
                all.push((&mut people.total, &mut pay.total));
                for (j, (c, m)) in people
                    .column_totals
                    .iter_mut()
                    .zip(pay.column_totals.iter_mut())
                    .enumerate()
                {
                    sides[2 * g + j].push((c, m));
                }
                for (i, (c, m)) in people
                    .row_totals
                    .iter_mut()
                    .zip(pay.row_totals.iter_mut())
                    .enumerate()
                {
                    row_groups[i].push((c, m));
                }
            }
        }
        groups.extend(band_rows);
        groups.extend(group_rows);
    }
    groups.push(all);
    groups.extend(sides);
    for group in groups {
        if !group.iter().any(|(c, _)| c.is_hidden()) {
            continue;
        }
        for (c, m) in group {
            if !c.is_hidden() && c.value() != Some(0) {
                *c = Cell::Withheld { below: k };
                *m = Cell::Withheld { below: k };
            }
        }
    }
}

/// Residents placed through the programme who started with an anchor in a
/// year, beside the year's new starters from its workforce file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedPlaced {
    pub placed: Cell,
    /// `None`: no workforce file for the year, so the starters are not known.
    pub starters: Option<Cell>,
}

impl PublishedPlaced {
    /// Placed people as a share of the starters, where both are shown and
    /// the placed are not more than the starters (a file that undercounts
    /// its starters gives no share rather than one over 100 %).
    pub fn share(&self) -> Option<f64> {
        let placed = self.placed.value()?;
        let starters = self.starters?.value()?;
        (placed <= starters)
            .then(|| share(placed, starters))
            .flatten()
    }
}

/// Publishes the placed count beside the starters. `starters` is the year's
/// count of starters and its published figure (the starters list's total),
/// `None` without a workforce file. The placed and the other starters are
/// suppressed as a list with the starters as its sum, so a shown placed
/// count never gives away a small count of other starters; a starters
/// figure hidden on the workforce page stays hidden here.
pub fn publish_placed(
    viewer: &Viewer,
    placed: u64,
    starters: Option<(u64, Option<Cell>)>,
) -> PublishedPlaced {
    let Some((n, shown)) = starters else {
        return PublishedPlaced {
            placed: viewer.count(placed),
            starters: None,
        };
    };
    let shown = shown.unwrap_or_else(|| viewer.count(n));
    if placed > n {
        return PublishedPlaced {
            placed: viewer.count(placed),
            starters: Some(shown),
        };
    }
    let list = viewer
        .list(&[placed, n - placed], Total::Sum)
        .expect("a list with its sum");
    let total = list.total.expect("a list with its sum");
    PublishedPlaced {
        placed: list.cells[0],
        starters: Some(if shown.is_hidden() { shown } else { total }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::workforce::{AreaFacts, NOT_STATED, WorkforceCell, measure};
    use crate::disclosure::DisclosureSettings;

    fn cell(area: &str, band: &str, n: u64) -> WorkforceCell {
        WorkforceCell {
            area_code: Some(area.into()),
            staff_group: "Nursing".into(),
            band: band.into(),
            contract: NOT_STATED.into(),
            headcount: n,
            fte_hundredths: 100 * n as i64,
            pay: 1000 * n as i64,
            starters: Some(0),
        }
    }

    #[test]
    fn small_counts_are_hidden_from_viewers_without_rights_and_shown_exactly_to_others() {
        let cells = vec![
            cell("IN", "Band 5", 30),
            cell("IN", "Band 8a", 2),
            cell("OUT", "Band 5", 40),
            cell("OUT", "Band 8a", 9),
        ];
        let m = measure(&cells, &|a| AreaFacts {
            area_of_benefit: a == "IN",
            ..Default::default()
        });
        let k = DisclosureSettings::default();
        let p = publish(&m, &Viewer::new(k, false));
        // Band 8a in the area: 2 people, and its pay.
        assert_eq!(p.by_band.people.cells[1][0], Cell::Suppressed { below: 5 });
        assert!(p.by_band.pay.cells[1][0].is_hidden());
        // No shown figure of any table or split gives it back: every
        // hidden count has a partner hidden in its row and its column.
        let t = &p.by_band.people;
        assert!(t.cells[1][1].is_hidden() || t.row_totals[1].is_hidden());
        assert!(t.cells[0][0].is_hidden() || t.column_totals[0].is_hidden());
        // The area-of-benefit split shows what the band table's margin shows.
        assert_eq!(
            p.area_of_benefit.people.cells[0].is_hidden(),
            t.column_totals[0].is_hidden()
        );
        for c in p.all_counts() {
            if let Some(v) = c.value() {
                assert!(!(1..5).contains(&v), "{v} shown");
            }
        }
        let exact = publish(&m, &Viewer::new(k, true));
        assert_eq!(exact.by_band.people.cells[1][0], Cell::Exact(2));
        assert_eq!(exact.area_of_benefit.people_share(), Some(39.5));
    }

    #[test]
    fn placed_starters_are_suppressed_with_the_other_starters() {
        let k = DisclosureSettings::default();
        let funder = Viewer::new(k, false);
        let exact = Viewer::new(k, true);
        let p = publish_placed(&exact, 2, Some((30, None)));
        assert_eq!(p.placed, Cell::Exact(2));
        assert_eq!(p.starters, Some(Cell::Exact(30)));
        assert_eq!(p.share(), Some(6.7));
        let p = publish_placed(&funder, 2, Some((30, None)));
        assert_eq!(p.placed, Cell::Suppressed { below: 5 });
        assert_eq!(p.starters, Some(Cell::Shown(30)));
        assert_eq!(p.share(), None);
        // 28 of 30: the other 2 starters would be given away.
        let p = publish_placed(&funder, 28, Some((30, None)));
        assert!(p.placed.is_hidden());
        let p = publish_placed(&funder, 6, Some((30, None)));
        assert_eq!(p.share(), Some(20.0));
        // No workforce file: starters not known, placed still suppressed.
        let p = publish_placed(&funder, 3, None);
        assert_eq!(p.starters, None);
        assert!(p.placed.is_hidden());
        // A starters figure hidden on the page stays hidden.
        let p = publish_placed(&funder, 6, Some((30, Some(Cell::Withheld { below: 5 }))));
        assert!(p.starters.unwrap().is_hidden());
    }

    #[test]
    fn band_tables_split_by_local_authority_and_deciles_with_margins_agreeing() {
        let cells = vec![
            cell("IN", "Band 5", 30),
            cell("IN", "Band 8a", 2),
            cell("LA", "Band 5", 40),
            cell("LA", "Band 8a", 9),
            cell("OUT", "Band 8a", 7),
        ];
        let m = measure(&cells, &|a| AreaFacts {
            area_of_benefit: a == "IN",
            local_authority: a != "OUT",
            deciles_1_2: a == "IN",
        });
        let exact = publish(&m, &Viewer::new(DisclosureSettings::default(), true));
        let la = &exact.by_band.local_authority;
        assert_eq!(la.people.cells[1][0], Cell::Exact(11));
        assert_eq!(la.people.cells[1][1], Cell::Exact(7));
        assert_eq!(la.people_share(None), Some(92.0));
        let p = publish(&m, &Viewer::new(DisclosureSettings::default(), false));
        for c in p.all_counts() {
            if let Some(v) = c.value() {
                assert!(!(1..5).contains(&v), "{v} shown");
            }
        }
        // A band's staff are shown alike in its three tables.
        for t in [&p.by_band, &p.by_staff_group] {
            for i in 0..t.rows.len() {
                let h = t.people.row_totals[i].is_hidden();
                assert_eq!(t.local_authority.people.row_totals[i].is_hidden(), h);
                assert_eq!(t.deciles_1_2.people.row_totals[i].is_hidden(), h);
            }
            assert_eq!(
                t.local_authority.people.column_totals[0].is_hidden(),
                p.local_authority.people.cells[0].is_hidden()
            );
        }
    }
}
