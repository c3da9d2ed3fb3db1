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

use super::workforce::{Split, WorkforceMeasures, share};
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

/// Rows (bands or staff groups) × [living in the area of benefit, elsewhere].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedTable {
    pub rows: Vec<String>,
    pub people: Table,
    pub pay: Table<Money>,
}

impl PublishedTable {
    fn of(viewer: &Viewer, rows: &[(String, Split)]) -> Self {
        let paid_rows: Vec<Vec<Paid>> = rows
            .iter()
            .map(|(_, s)| vec![paid(s.inside), paid(s.outside)])
            .collect();
        let (people, pay) = if paid_rows.is_empty() {
            viewer
                .paid_table(&[vec![
                    Paid {
                        people: 0,
                        pence: 0
                    };
                    2
                ]])
                .expect("a table of one row")
        } else {
            viewer
                .paid_table(&paid_rows)
                .expect("rows of the same length")
        };
        PublishedTable {
            rows: if rows.is_empty() {
                vec![]
            } else {
                rows.iter().map(|(n, _)| n.clone()).collect()
            },
            people,
            pay,
        }
    }
}

/// One anchor's workforce in one year as a viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublishedWorkforce {
    pub area_of_benefit: PublishedSplit,
    pub local_authority: PublishedSplit,
    pub deciles_1_2: PublishedSplit,
    pub starters: List,
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
        v.extend(self.starters.all_cells());
        v.push(&self.home_unknown);
        v.extend(self.by_band.people.all_cells());
        v.extend(self.by_staff_group.people.all_cells());
        v
    }
}

/// Publishes the measures for this viewer.
pub fn publish(m: &WorkforceMeasures, viewer: &Viewer) -> PublishedWorkforce {
    let mut p = PublishedWorkforce {
        area_of_benefit: PublishedSplit::of(viewer, &m.area_of_benefit),
        local_authority: PublishedSplit::of(viewer, &m.local_authority),
        deciles_1_2: PublishedSplit::of(viewer, &m.deciles_1_2),
        starters: viewer
            .list(
                &[m.starters.inside.people, m.starters.outside.people],
                Total::Sum,
            )
            .expect("a list with its sum"),
        home_unknown: viewer.count(m.home_unknown.people),
        by_band: PublishedTable::of(viewer, &m.by_band),
        by_staff_group: PublishedTable::of(viewer, &m.by_staff_group),
    };
    if !viewer.exact() {
        harmonise(&mut p, viewer.k(), m);
    }
    p
}

/// Hides each shared figure everywhere it is hidden anywhere.
fn harmonise(p: &mut PublishedWorkforce, k: u32, m: &WorkforceMeasures) {
    let tables_real = !m.by_band.is_empty();
    // The staff in all is also the total of the other two splits.
    let mut hide = [false; 3];
    {
        let aob = &p.area_of_benefit.people;
        let mut seen = vec![
            [
                aob.cells[0].is_hidden(),
                aob.cells[1].is_hidden(),
                aob.total.is_some_and(|c| c.is_hidden()),
            ],
            [
                false,
                false,
                p.local_authority
                    .people
                    .total
                    .is_some_and(|c| c.is_hidden()),
            ],
            [
                false,
                false,
                p.deciles_1_2.people.total.is_some_and(|c| c.is_hidden()),
            ],
        ];
        if tables_real {
            for t in [&p.by_band.people, &p.by_staff_group.people] {
                seen.push([
                    t.column_totals[0].is_hidden(),
                    t.column_totals[1].is_hidden(),
                    t.total.is_hidden(),
                ]);
            }
        }
        for s in seen {
            for i in 0..3 {
                hide[i] |= s[i];
            }
        }
    }
    let withhold = |c: &mut Cell, m: &mut Cell<Money>| {
        if !c.is_hidden() && c.value() != Some(0) {
            *c = Cell::Withheld { below: k };
            *m = Cell::Withheld { below: k };
        }
    };
    for (i, h) in hide.iter().enumerate() {
        if !h {
            continue;
        }
        if i < 2 {
            let s = &mut p.area_of_benefit;
            withhold(&mut s.people.cells[i], &mut s.pay.cells[i]);
            if tables_real {
                for t in [&mut p.by_band, &mut p.by_staff_group] {
                    withhold(&mut t.people.column_totals[i], &mut t.pay.column_totals[i]);
                }
            }
        } else {
            for s in [
                &mut p.area_of_benefit,
                &mut p.local_authority,
                &mut p.deciles_1_2,
            ] {
                if let (Some(c), Some(mc)) = (s.people.total.as_mut(), s.pay.total.as_mut()) {
                    withhold(c, mc);
                }
            }
            if tables_real {
                for t in [&mut p.by_band, &mut p.by_staff_group] {
                    withhold(&mut t.people.total, &mut t.pay.total);
                }
            }
        }
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
            starters: 0,
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
}
