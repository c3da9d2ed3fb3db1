//! How the spend figures read on a page: shares, bands, LM3, labels, and
//! the links from a figure to the lines behind it.

use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::coverage::{Gap, Judged};
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::measures::{Band, Geography, SupplierKind};
use useit_core::figures::percent;
use useit_core::i18n::{t, tf};
use useit_core::money::{MoneyStyle, Pence};

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

/// `8.2%` or `8.2–38.8%` when the two places of suppliers disagree, or
/// "not known" when no supplier of the money could be judged.
pub fn judged_share(j: &Judged) -> String {
    j.share()
        .unwrap_or_else(|| t("anchors.coverage.not_known").to_string())
}

/// "Suppliers placed: 12.0% of influenceable spend", or nothing without
/// money, or when what is missing is the geography itself (no area of
/// benefit, no city region…): then the step says so, and "0.0% placed"
/// would blame suppliers' addresses for it.
pub fn coverage_text(j: &Judged, of_key: &str) -> Option<String> {
    if j.gap.is_some_and(|g| g != Gap::SupplierAddresses) {
        return None;
    }
    j.coverage().map(|c| {
        tf(
            "anchors.coverage.placed",
            &[("share", &c), ("of", t(of_key))],
        )
    })
}

/// The step that lets a figure judge more of the money, and where it is
/// taken.
pub struct Fix {
    pub text: String,
    pub href: String,
}

/// Where each gap is fixed: the area of benefit and deciles on the place
/// pages, local authorities and sites on the anchors, the city region in
/// the spend settings, suppliers' addresses in the supplier register.
pub fn fix(base: &str, gap: Gap) -> Fix {
    let place = format!("{}/place", base.trim_end_matches("/anchors"));
    let href = match gap {
        Gap::NoSpend => format!("{base}/import"),
        Gap::AreaOfBenefit => format!("{place}/area-of-benefit/edit"),
        Gap::Deciles => place,
        Gap::LocalAuthority | Gap::Sites => base.to_string(),
        Gap::CityRegion => format!("{base}/settings"),
        Gap::SupplierAddresses => format!("{base}/suppliers"),
    };
    Fix {
        text: t(gap.message_key()).to_string(),
        href,
    }
}

/// A band of money: exact pence, or low – high.
/// How the programme of the page writes money: its currency, its
/// language's way (pounds in English where there is no programme).
pub fn money_of(ctx: &Ctx) -> MoneyStyle {
    ctx.programme
        .as_ref()
        .map(|p| p.money_style())
        .unwrap_or_default()
}

pub fn band_money(money: &MoneyStyle, b: Band) -> String {
    if b.low == b.high {
        money.show(b.low)
    } else {
        format!("{} – {}", money.show(b.low), money.show(b.high))
    }
}

/// A share by the one rounding rule; "not known" of nothing.
pub fn share(part: Pence, whole: Pence) -> String {
    percent(part, whole).unwrap_or_else(|| t("anchors.coverage.not_known").to_string())
}
