//! The filters every spend figure, list and download takes: which anchor
//! and period, and which figure's lines. One struct serves the pages, the
//! API (its documentation is derived from it) and the CLI, and turns into
//! the [`LinePredicate`] the measures and the drill-down share, so a figure
//! always equals the sum of the lines it links to.

use serde::Deserialize;
use time::Date;

use super::anchor::Anchor;
use super::measures::{Geography, LinePredicate};
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The query every spend page and endpoint takes: which anchor and period,
/// and (for the lines) which figure's lines.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LineFilter {
    /// An anchor's short name; all anchors when absent.
    pub anchor: Option<String>,
    /// First day: 2026-12-07, 7/12/2026 or 7 December 2026.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Last day, written the same ways.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// `yes` or `no`.
    pub influenceable: Option<String>,
    /// A geography: area_of_benefit, local_authority, city_region, near_site.
    pub local: Option<String>,
    /// `yes` (default) or `no`: local, or not local, in `local`.
    pub local_is: Option<String>,
    /// `low` (every known place, the default) or `high` (any place).
    pub end: Option<String>,
    /// Suppliers in deciles 1..=N.
    pub deprived: Option<String>,
    /// `yes`: charities, VCSE and social enterprises only.
    pub social: Option<String>,
    /// A supplier key.
    pub supplier: Option<String>,
    pub expense_type: Option<String>,
    /// YYYY-MM.
    pub month: Option<String>,
    /// Words in the supplier, reference or expense type.
    pub q: Option<String>,
    /// paid_on, amount, supplier.
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn yes_no(errors: &mut Errors, field: &str, v: &Option<String>) -> Option<bool> {
    match some(v) {
        None => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(_) => {
            errors.add(field, Message::new("anchors.spend.filter.yes_no"));
            None
        }
    }
}

fn date(errors: &mut Errors, field: &str, v: &Option<String>) -> Option<Date> {
    errors.optional_date(field, some(v)?)
}

impl LineFilter {
    /// The filters as a line predicate; every bad value is a field error.
    pub fn predicate(&self, anchors: &[Anchor]) -> Result<LinePredicate, Invalid> {
        let mut e = Errors::new();
        let anchor = some(&self.anchor).map(String::from);
        if let Some(a) = &anchor
            && !anchors.iter().any(|x| x.slug == *a)
        {
            e.add(
                "anchor",
                Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", a),
            );
        }
        let from = date(&mut e, "from", &self.from);
        let to = date(&mut e, "to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("to", Message::new("anchors.spend.filter.to_before_from"));
        }
        let local = match some(&self.local) {
            None => None,
            Some(g) => match Geography::parse(g) {
                Some(g) => Some((
                    g,
                    yes_no(&mut e, "local_is", &self.local_is).unwrap_or(true),
                )),
                None => {
                    e.add(
                        "local",
                        Message::new("anchors.spend.filter.geography").arg("value", g),
                    );
                    None
                }
            },
        };
        let local_high = match some(&self.end) {
            None | Some("low") => false,
            Some("high") => true,
            Some(_) => {
                e.add("end", Message::new("anchors.spend.filter.end_bad"));
                false
            }
        };
        let deprived = match some(&self.deprived) {
            None => None,
            Some(d) => match d.parse::<u8>() {
                Ok(k @ 1..=10) => Some(k),
                _ => {
                    e.add("deprived", Message::new("anchors.spend.filter.decile"));
                    None
                }
            },
        };
        let month = some(&self.month).map(String::from);
        if let Some(m) = &month {
            let ok = m.len() == 7
                && Date::parse(
                    &format!("{m}-01"),
                    &time::format_description::well_known::Iso8601::DATE,
                )
                .is_ok();
            if !ok {
                e.add(
                    "month",
                    Message::new("anchors.spend.filter.month_bad").arg("value", m),
                );
            }
        }
        let p = LinePredicate {
            anchor,
            from,
            to,
            influenceable: yes_no(&mut e, "influenceable", &self.influenceable),
            local,
            local_high,
            deprived,
            social_economy: yes_no(&mut e, "social", &self.social),
            supplier: some(&self.supplier).map(String::from),
            expense_type: some(&self.expense_type).map(String::from),
            month,
        };
        e.finish(|| p)
    }

    /// The filters in force, for links that keep them.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        vec![
            ("anchor".into(), v(&self.anchor)),
            ("from".into(), v(&self.from)),
            ("to".into(), v(&self.to)),
            ("influenceable".into(), v(&self.influenceable)),
            ("local".into(), v(&self.local)),
            ("local_is".into(), v(&self.local_is)),
            ("end".into(), v(&self.end)),
            ("deprived".into(), v(&self.deprived)),
            ("social".into(), v(&self.social)),
            ("supplier".into(), v(&self.supplier)),
            ("expense_type".into(), v(&self.expense_type)),
            ("month".into(), v(&self.month)),
            ("q".into(), v(&self.q)),
        ]
    }

    /// Only the anchor and period: the scope of a dashboard.
    pub fn scope(&self) -> LineFilter {
        LineFilter {
            anchor: self.anchor.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::anchor::{Anchor, AnchorKind};
    use crate::anchors::spend_file::ColumnMapping;

    fn anchors() -> Vec<Anchor> {
        vec![Anchor {
            id: uuid::Uuid::nil(),
            slug: "swbh".into(),
            name: "The Trust".into(),
            kind: AnchorKind::NhsTrust,
            official_code: None,
            local_authority_code: None,
            column_mapping: ColumnMapping::default(),
            sites: vec![],
            date_order: None,
        }]
    }

    fn s(v: &str) -> Option<String> {
        Some(v.into())
    }

    #[test]
    fn a_figures_filters_become_its_predicate() {
        let f = LineFilter {
            anchor: s("swbh"),
            from: s("2024-04-01"),
            to: s("2025-03-31"),
            influenceable: s("yes"),
            local: s("area_of_benefit"),
            local_is: s("no"),
            end: s("high"),
            deprived: s("2"),
            social: s("no"),
            month: s("2024-05"),
            ..Default::default()
        };
        let p = f.predicate(&anchors()).unwrap();
        assert_eq!(p.anchor.as_deref(), Some("swbh"));
        assert_eq!(p.influenceable, Some(true));
        assert_eq!(p.local, Some((Geography::AreaOfBenefit, false)));
        assert!(p.local_high);
        assert_eq!(p.deprived, Some(2));
        assert_eq!(p.social_economy, Some(false));
        assert_eq!(p.month.as_deref(), Some("2024-05"));
        // Blank values are no filter at all.
        let blank = LineFilter {
            anchor: s(" "),
            from: s(""),
            ..Default::default()
        };
        assert_eq!(
            blank.predicate(&anchors()).unwrap(),
            LinePredicate::default()
        );
    }

    #[test]
    fn every_bad_filter_is_named() {
        let f = LineFilter {
            anchor: s("nowhere"),
            from: s("2024-13-01"),
            to: s("2024-01-01"),
            influenceable: s("maybe"),
            local: s("moon"),
            end: s("middle"),
            deprived: s("11"),
            month: s("2024-5"),
            ..Default::default()
        };
        let fields: Vec<String> = f
            .predicate(&anchors())
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        for field in [
            "anchor",
            "from",
            "influenceable",
            "local",
            "end",
            "deprived",
            "month",
        ] {
            assert!(fields.iter().any(|x| x == field), "{field} in {fields:?}");
        }
        let backwards = LineFilter {
            from: s("2024-02-01"),
            to: s("2024-01-01"),
            ..Default::default()
        };
        assert_eq!(
            backwards.predicate(&anchors()).unwrap_err().0[0].field,
            "to"
        );
    }

    #[test]
    fn a_dashboards_scope_keeps_only_anchor_and_period() {
        let f = LineFilter {
            anchor: s("swbh"),
            from: s("2024-04-01"),
            influenceable: s("yes"),
            q: s("catering"),
            ..Default::default()
        };
        let scope = f.scope();
        assert_eq!((scope.anchor, scope.from), (s("swbh"), s("2024-04-01")));
        assert_eq!((scope.influenceable, scope.q), (None, None));
    }
}
