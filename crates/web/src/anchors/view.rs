//! How the spend figures read on a page: shares, bands, LM3, labels, and
//! the links from a figure to the lines behind it.

use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::measures::{Band, Geography, Lm3, SupplierKind, share_bp};
use useit_core::figures::percent_bp;
use useit_core::i18n::t;
use useit_core::money::{Pence, format_pence};

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::forms::{query, url_encode};
use crate::http::views::Choice;

/// Where the context's pages live: the anchors page; the spend dashboard is
/// `{base}/spend`.
pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/anchors", ctx.programme()?.slug))
}

/// A supplier's page.
pub fn supplier_href(base: &str, key: &str) -> String {
    format!("{base}/suppliers/{}", url_encode(key))
}

/// The lines behind a figure: the dashboard's anchor and period, and `extra`.
pub fn lines_href(base: &str, scope: &LineFilter, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = scope.scope().pairs();
    for (k, v) in extra {
        pairs.retain(|(x, _)| x != k);
        pairs.push((k.to_string(), v.to_string()));
    }
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    format!("{base}/spend/lines{}", query(&refs))
}

/// The anchors as choices of a select, after a first choice worded by `first`.
pub fn anchor_choices(anchors: &[Anchor], first: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(first))];
    v.extend(
        anchors
            .iter()
            .map(|a| Choice::new(a.slug.clone(), a.name.clone())),
    );
    v
}

pub fn geography_label(g: Geography) -> String {
    t(&format!("anchors.spend.geography.{}", g.slug())).to_string()
}

pub fn kind_label(k: SupplierKind) -> String {
    t(&format!("anchors.supplier.kind.{}", k.slug())).to_string()
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

/// A band of money: exact pence, or low – high.
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
