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

/// `3 h 30 min`.
pub fn hours(minutes: u64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m} min")
    }
}
