//! The programme's ledger with every supplier placed: what the dashboard's
//! figures, the lines behind each figure and the downloads are computed
//! from. Built once per change of the data (the application layer keeps it
//! while the store's revision stands) and read by many requests.

use serde::Serialize;

use super::anchor::Anchor;
use super::filter::LineFilter;
use super::ledger::LedgerRow;
use super::measures::{
    Geography, LedgerLine, LinePredicate, Lm3, Measures, Supplier, excluded_by, lm3, measure,
};
use super::placing::PlacingSetup;
use super::settings::SpendSettings;
use super::wages::{AnchorPay, WageScope, wages};
use crate::listing::{Page, PageRequest, SortDir};
use crate::money::{Pence, format_pence};

/// The ledger of the anchors in scope, placed.
pub struct PlacedLedger {
    pub anchors: Vec<Anchor>,
    pub rows: Vec<LedgerRow>,
    pub lines: Vec<LedgerLine>,
    pub suppliers: Vec<Supplier>,
    pub settings: SpendSettings,
    /// What the suppliers could be placed against (a missing geography
    /// makes its figures "not known").
    pub setup: PlacingSetup,
    /// Each anchor's pay by workforce year, from its workforce files (none
    /// for an anchor without a local authority to say which pay is local):
    /// LM3's wages are computed from these where they cover the period.
    pub pay: Vec<AnchorPay>,
}

/// A line and its supplier's facts, as lists show it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineView {
    pub id: i64,
    pub anchor: String,
    pub paid_on: String,
    pub supplier: String,
    pub supplier_key: String,
    pub supplier_kind: String,
    pub amount_pence: i64,
    pub amount: String,
    pub expense_type: String,
    pub expense_area: String,
    pub reference: String,
    pub influenceable: bool,
    /// The rule that takes the line out of influenceable spend.
    pub excluded_by: Option<String>,
    /// The anchor's full name, for people (`anchor` is its short name).
    pub anchor_name: String,
    /// The rule in words ("Supplier kind is public body").
    pub excluded_by_text: Option<String>,
    /// The supplier's kind in words.
    pub supplier_kind_text: String,
    pub supplier_postcode: Option<String>,
    pub supplier_area: Option<String>,
    pub supplier_decile: Option<u8>,
    /// Null when the supplier could not be judged (no known place, or no
    /// area of benefit): not known, rather than "no".
    pub in_area_of_benefit: Option<bool>,
    pub redacted: bool,
    pub file: String,
    pub line: i64,
}

impl PlacedLedger {
    /// The influenceable-spend rules in force, as people edit them.
    pub fn rules(&self) -> Vec<String> {
        self.settings.rules.iter().map(|r| r.describe()).collect()
    }

    /// The same rules in words, as people read them.
    pub fn rules_in_words(&self) -> Vec<String> {
        self.settings.rules.iter().map(|r| r.in_words()).collect()
    }

    /// The lines a predicate (and search words) pick, oldest first.
    pub fn lines(&self, p: &LinePredicate, q: Option<&str>) -> Vec<usize> {
        let q = q.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
        let rules = &self.settings.rules;
        (0..self.lines.len())
            .filter(|i| {
                let l = &self.lines[*i];
                let s = &self.suppliers[l.supplier];
                p.matches(l, s, rules)
                    && q.as_ref().is_none_or(|q| {
                        let r = &self.rows[*i];
                        s.name.to_lowercase().contains(q)
                            || r.reference.to_lowercase().contains(q)
                            || r.expense_type.to_lowercase().contains(q)
                    })
            })
            .collect()
    }

    pub fn view(&self, i: usize) -> LineView {
        let l = &self.lines[i];
        let r: &LedgerRow = &self.rows[i];
        let s = &self.suppliers[l.supplier];
        let rule = excluded_by(&self.settings.rules, l, s);
        let place = s.registered.as_ref().or(s.trading.as_ref());
        LineView {
            id: l.id,
            anchor: l.anchor.to_string(),
            paid_on: l.paid_on.to_string(),
            supplier: s.name.clone(),
            supplier_key: s.key.clone(),
            supplier_kind: s.kind.slug().into(),
            amount_pence: l.amount,
            amount: format_pence(l.amount),
            expense_type: r.expense_type.clone(),
            expense_area: r.expense_area.clone(),
            reference: r.reference.clone(),
            influenceable: rule.is_none(),
            excluded_by: rule.map(|r| r.describe()),
            anchor_name: self
                .anchors
                .iter()
                .find(|a| a.slug == l.anchor.as_ref())
                .map(|a| a.name.clone())
                .unwrap_or_else(|| l.anchor.to_string()),
            excluded_by_text: rule.map(|r| r.in_words()),
            supplier_kind_text: crate::i18n::t(&format!("anchors.supplier.kind.{}", s.kind.slug()))
                .to_string(),
            supplier_postcode: place.map(|p| p.postcode.clone()),
            supplier_area: place.and_then(|p| p.area_code.clone()),
            supplier_decile: place.and_then(|p| p.decile),
            in_area_of_benefit: s
                .judged(Geography::AreaOfBenefit)
                .then(|| s.local(Geography::AreaOfBenefit).0),
            redacted: r.redacted,
            file: r.file_name.clone(),
            line: r.line_no,
        }
    }

    /// A page of lines, sorted, and the sum of every matching line.
    pub fn page(&self, params: &LineFilter, p: &LinePredicate) -> (Page<LineView>, Pence) {
        let mut idx = self.lines(p, params.q.as_deref());
        let sum = idx.iter().map(|i| self.lines[*i].amount).sum();
        let dir = SortDir::parse(params.dir.as_deref());
        match params
            .sort
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("paid_on")
        {
            "amount" => idx.sort_by_key(|i| self.lines[*i].amount),
            "supplier" => idx.sort_by(|a, b| {
                let s = |i: &usize| &self.suppliers[self.lines[*i].supplier].name;
                s(a).cmp(s(b))
            }),
            _ => {}
        }
        if dir == SortDir::Desc {
            idx.reverse();
        }
        let req = PageRequest::new(params.page, params.per_page);
        let total = idx.len() as u64;
        let items = idx
            .into_iter()
            .skip(req.offset() as usize)
            .take(req.limit() as usize)
            .map(|i| self.view(i))
            .collect();
        (
            Page {
                items,
                total,
                page: req.page,
                per_page: req.per_page,
            },
            sum,
        )
    }

    /// The measures over the lines in scope (an anchor and a period).
    pub fn measures(&self, scope: &LinePredicate) -> Measures {
        let idx = self.lines(scope, None);
        let lines: Vec<_> = idx.iter().map(|i| self.lines[*i].clone()).collect();
        measure(
            &lines,
            &self.lines,
            &self.suppliers,
            &self.settings.rules,
            Geography::LocalAuthority,
            10,
        )
    }

    /// LM3 over the measures of `scope`: the one place it is worked out,
    /// for the dashboard, the API, the CLI and the programme's indicators.
    /// The wages are those of the anchors in scope over the period asked
    /// for, or, where the period is open, the months the spend covers.
    pub fn lm3(&self, scope: &LinePredicate, m: &Measures) -> Lm3 {
        let first = m.months.first().and_then(|x| month_day(&x.month, false));
        let last = m.months.last().and_then(|x| month_day(&x.month, true));
        let anchors = self
            .anchors
            .iter()
            .filter(|a| scope.anchor.as_ref().is_none_or(|s| *s == a.slug))
            .map(|a| (a.slug.as_str(), a.name.as_str()))
            .collect();
        let w = match (scope.from.or(first), scope.to.or(last)) {
            (Some(from), Some(to)) => wages(
                &self.pay,
                &WageScope { anchors, from, to },
                &self.settings.lm3,
            ),
            _ => wages(
                &[],
                &WageScope {
                    anchors,
                    from: time::Date::MIN,
                    to: time::Date::MIN,
                },
                &self.settings.lm3,
            ),
        };
        lm3(
            m.influenceable,
            m.local
                .get(&Geography::LocalAuthority)
                .copied()
                .unwrap_or_default(),
            &self.settings.lm3,
            w,
        )
    }
}

/// The first (or last) day of a month written `2024-04`.
fn month_day(month: &str, last: bool) -> Option<time::Date> {
    let (y, m) = month.split_once('-')?;
    let m = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let first = time::Date::from_calendar_date(y.parse().ok()?, m, 1).ok()?;
    Some(if last {
        first
            .replace_day(time::util::days_in_month(m, first.year()))
            .ok()?
    } else {
        first
    })
}
