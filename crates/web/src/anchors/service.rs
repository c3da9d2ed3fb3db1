//! The spend figures the pages and the API show, computed once from the
//! stored ledger, and the filters that list the lines behind each figure.

use serde::Deserialize;
use time::Date;
use useit_core::anchors::amount::{Pence, format_pence};
use useit_core::anchors::measures::{
    Band, Geography, LinePredicate, Lm3, Measures, lm3, measure, share_bp,
};
use useit_core::i18n::Message;
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::validation::{Errors, Invalid};
use useit_store::anchors::{Anchor, LedgerRow, MeasureInputs, measure_inputs};

use crate::context::Ctx;
use crate::error::AppError;
use crate::state::AppState;

/// The query every spend page and endpoint takes: which anchor and period,
/// and (for the lines) which figure's lines.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpendParams {
    /// An anchor's short name; all anchors when absent.
    pub anchor: Option<String>,
    /// First day, YYYY-MM-DD.
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD.
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
            errors.add(field, Message::new("spend.filter.yes_no"));
            None
        }
    }
}

fn date(errors: &mut Errors, field: &str, v: &Option<String>) -> Option<Date> {
    let s = some(v)?;
    match Date::parse(s, &time::format_description::well_known::Iso8601::DATE) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, Message::new("validation.date").arg("value", s));
            None
        }
    }
}

impl SpendParams {
    /// The filters as a line predicate; every bad value is a field error.
    pub fn predicate(&self, anchors: &[Anchor]) -> Result<LinePredicate, Invalid> {
        let mut e = Errors::new();
        let anchor = some(&self.anchor).map(String::from);
        if let Some(a) = &anchor {
            if !anchors.iter().any(|x| x.slug == *a) {
                e.add(
                    "anchor",
                    Message::new("spend.filter.anchor_unknown").arg("anchor", a),
                );
            }
        }
        let from = date(&mut e, "from", &self.from);
        let to = date(&mut e, "to", &self.to);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                e.add("to", Message::new("spend.filter.to_before_from"));
            }
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
                        Message::new("spend.filter.geography").arg("value", g),
                    );
                    None
                }
            },
        };
        let local_high = match some(&self.end) {
            None | Some("low") => false,
            Some("high") => true,
            Some(_) => {
                e.add("end", Message::new("spend.filter.end_bad"));
                false
            }
        };
        let deprived = match some(&self.deprived) {
            None => None,
            Some(d) => match d.parse::<u8>() {
                Ok(k @ 1..=10) => Some(k),
                _ => {
                    e.add("deprived", Message::new("spend.filter.decile"));
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
                    Message::new("spend.filter.month_bad").arg("value", m),
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
    pub fn scope(&self) -> SpendParams {
        SpendParams {
            anchor: self.anchor.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..Default::default()
        }
    }
}

/// The programme's ledger, placed, with its anchors.
pub struct Ledger {
    pub anchors: Vec<Anchor>,
    pub inputs: MeasureInputs,
}

pub async fn load(app: &AppState, ctx: &Ctx) -> Result<Ledger, AppError> {
    let pid = ctx.programme_id()?;
    let anchors = app.store.list_anchors(pid).await?;
    let inputs = measure_inputs(app.store.as_ref(), pid, &anchors).await?;
    Ok(Ledger { anchors, inputs })
}

/// A line and its supplier's facts, as lists show it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
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
    pub supplier_postcode: Option<String>,
    pub supplier_area: Option<String>,
    pub supplier_decile: Option<u8>,
    pub in_area_of_benefit: bool,
    pub redacted: bool,
    pub file: String,
    pub line: i64,
}

impl Ledger {
    /// The influenceable-spend rules in force, as people edit them.
    pub fn rules(&self) -> Vec<String> {
        self.inputs
            .settings
            .rules
            .iter()
            .map(|r| r.describe())
            .collect()
    }

    /// The lines a predicate (and search words) pick, oldest first.
    pub fn lines(&self, p: &LinePredicate, q: Option<&str>) -> Vec<usize> {
        let q = q.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
        let rules = &self.inputs.settings.rules;
        (0..self.inputs.lines.len())
            .filter(|i| {
                let l = &self.inputs.lines[*i];
                let s = &self.inputs.suppliers[l.supplier];
                p.matches(l, s, rules)
                    && q.as_ref().is_none_or(|q| {
                        let r = &self.inputs.rows[*i];
                        s.name.to_lowercase().contains(q)
                            || r.reference.to_lowercase().contains(q)
                            || r.expense_type.to_lowercase().contains(q)
                    })
            })
            .collect()
    }

    pub fn view(&self, i: usize) -> LineView {
        let l = &self.inputs.lines[i];
        let r: &LedgerRow = &self.inputs.rows[i];
        let s = &self.inputs.suppliers[l.supplier];
        let rule = useit_core::anchors::measures::excluded_by(&self.inputs.settings.rules, l, s);
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
            supplier_postcode: place.map(|p| p.postcode.clone()),
            supplier_area: place.and_then(|p| p.area_code.clone()),
            supplier_decile: place.and_then(|p| p.decile),
            in_area_of_benefit: s.local(Geography::AreaOfBenefit).0,
            redacted: r.redacted,
            file: r.file_name.clone(),
            line: r.line_no,
        }
    }

    /// A page of lines, sorted, and the sum of every matching line.
    pub fn page(&self, params: &SpendParams, p: &LinePredicate) -> (Page<LineView>, Pence) {
        let mut idx = self.lines(p, some(&params.q));
        let sum = idx.iter().map(|i| self.inputs.lines[*i].amount).sum();
        let dir = SortDir::parse(params.dir.as_deref());
        match some(&params.sort).unwrap_or("paid_on") {
            "amount" => idx.sort_by_key(|i| self.inputs.lines[*i].amount),
            "supplier" => idx.sort_by(|a, b| {
                let s = |i: &usize| &self.inputs.suppliers[self.inputs.lines[*i].supplier].name;
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
        let lines: Vec<_> = idx.iter().map(|i| self.inputs.lines[*i].clone()).collect();
        measure(
            &lines,
            &self.inputs.lines,
            &self.inputs.suppliers,
            &self.inputs.settings.rules,
            Geography::LocalAuthority,
            10,
        )
    }

    pub fn lm3(&self, m: &Measures) -> Lm3 {
        lm3(
            m.influenceable,
            m.local
                .get(&Geography::LocalAuthority)
                .copied()
                .unwrap_or_default(),
            &self.inputs.settings.lm3,
        )
    }
}

/// `12.3%`, from basis points.
pub fn percent_bp(bp: i64) -> String {
    format!("{}.{}%", bp / 100, (bp.abs() % 100) / 10)
}

/// `8.2%` or `8.2–38.8%` when the two places of suppliers disagree.
pub fn band_share(b: Band, of: Pence) -> String {
    let (lo, hi) = b.share_bp(of);
    if lo == hi {
        percent_bp(lo)
    } else {
        format!(
            "{}–{}",
            percent_bp(lo).trim_end_matches('%'),
            percent_bp(hi)
        )
    }
}

/// `£1.2m`-style amounts are for headlines only; tables show pence exactly.
pub fn band_money(b: Band) -> String {
    if b.low == b.high {
        format_pence(b.low)
    } else {
        format!("{} – {}", format_pence(b.low), format_pence(b.high))
    }
}

/// `1.26–1.38`.
pub fn lm3_text(l: &Lm3) -> String {
    let f = |h: i64| format!("{}.{:02}", h / 100, h % 100);
    if l.low_hundredths == l.high_hundredths {
        f(l.low_hundredths)
    } else {
        format!("{}–{}", f(l.low_hundredths), f(l.high_hundredths))
    }
}

pub fn share(part: Pence, whole: Pence) -> String {
    percent_bp(share_bp(part, whole))
}
