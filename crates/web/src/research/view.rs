//! What the research pages share: the strand's address and the choices its
//! forms offer, in the catalogue's words.

use useit_core::i18n::t;
use useit_core::research::project::{Commissioner, ProjectStatus};
use useit_core::research::researcher::Channel;
use useit_core::talent::casework::LawfulBasis;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::views::Choice;

pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/research", ctx.programme()?.slug))
}

fn with_blank(blank: &str, rest: impl Iterator<Item = Choice>) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(blank))];
    v.extend(rest);
    v
}

pub fn channels(blank: &str) -> Vec<Choice> {
    with_blank(
        blank,
        Channel::ALL
            .into_iter()
            .map(|c| Choice::new(c.slug(), t(&c.label_key()))),
    )
}

pub fn bases() -> Vec<Choice> {
    with_blank(
        "research.choose",
        LawfulBasis::ALL
            .iter()
            .map(|b| Choice::new(b.slug(), t(&b.label_key()))),
    )
}

pub fn commissioners() -> Vec<Choice> {
    with_blank(
        "research.choose",
        Commissioner::ALL
            .iter()
            .map(|c| Choice::new(c.slug(), t(&c.label_key()))),
    )
}

pub fn statuses() -> Vec<Choice> {
    ProjectStatus::ALL
        .iter()
        .map(|s| Choice::new(s.slug(), t(&s.label_key())))
        .collect()
}

/// `3 h 30 min` (one rule with the CLI's).
pub fn hours(minutes: u64) -> String {
    useit_core::research::work::hours_text(minutes)
}

/// A payer's year for one researcher: its pay and hours, or "not known"
/// (nothing recorded, or hours that could not be priced), never £0.
pub fn payer_cell(c: Option<useit_core::research::income::PayerYear>) -> String {
    use useit_core::i18n::tf;
    match c {
        None => t("research.income_of.nothing").into(),
        Some(c) => match c.pence {
            Some(p) => tf(
                "research.income_of.amount",
                &[
                    ("pay", useit_core::money::format_pence(p).as_str()),
                    ("hours", hours(c.minutes).as_str()),
                ],
            ),
            None => tf(
                "research.income_of.unpriced",
                &[
                    ("hours", hours(c.unpriced_minutes).as_str()),
                    ("total", hours(c.minutes).as_str()),
                ],
            ),
        },
    }
}

/// A payer's year over every researcher, as the caller may see it.
pub fn payer_total_cell(c: &useit_app::research::income::PayerTotal) -> String {
    use useit_core::i18n::tf;
    if !c.recorded {
        return t("research.income_of.nothing").into();
    }
    if c.researchers.is_hidden() {
        return t("research.income_of.hidden").into();
    }
    let hours_text = hours(c.minutes.unwrap_or_default());
    match c.pence {
        Some(p) => tf(
            "research.income_of.amount",
            &[
                ("pay", useit_core::money::format_pence(p).as_str()),
                ("hours", hours_text.as_str()),
            ],
        ),
        None => tf(
            "research.income_of.total_unpriced",
            &[("total", hours_text.as_str())],
        ),
    }
}

/// A completion as the researcher's page lists it.
pub fn completion(c: &useit_core::research::researcher::Completion) -> String {
    match c.completed_on {
        Some(d) => format!("{} ({})", c.module, useit_core::clock::display_date(d)),
        None => format!("{} ({})", c.module, t("research.training.not_known")),
    }
}
