//! Template access to the translation catalogue: `{{ "key"|t }}`,
//! `{{ "key"|tf("name", value) }}` and `{{ "key"|tn(count) }}`.

pub use useit_core::i18n::{Message, format_count, t, tf, tn};

/// Values a filter may receive by value or through any number of references.
pub trait Deref1<T: Copy> {
    fn value(&self) -> T;
}

macro_rules! deref1 {
    ($t:ty) => {
        impl Deref1<$t> for $t {
            fn value(&self) -> $t {
                *self
            }
        }
        impl<X: Deref1<$t> + ?Sized> Deref1<$t> for &X {
            fn value(&self) -> $t {
                (**self).value()
            }
        }
    };
}
deref1!(u64);

/// Counts stored as signed or platform integers read as counts; a negative one is 0.
impl Deref1<u64> for i64 {
    fn value(&self) -> u64 {
        (*self).max(0) as u64
    }
}
impl Deref1<u64> for usize {
    fn value(&self) -> u64 {
        *self as u64
    }
}
deref1!(time::Date);
deref1!(time::OffsetDateTime);

pub mod filters {
    use std::fmt::Display;

    use askama::Values;

    use super::Deref1;

    /// The link to a static asset, with the digest that lets browsers
    /// keep it for a year (`{{ "app.css"|asset }}`).
    #[askama::filter_fn]
    pub fn asset(path: impl Display, _: &dyn Values) -> askama::Result<String> {
        Ok(crate::security::asset_href(&path.to_string()))
    }

    /// The catalogue text for a key.
    #[askama::filter_fn]
    pub fn t(key: impl Display, _: &dyn Values) -> askama::Result<String> {
        Ok(useit_core::i18n::t(&key.to_string()).to_string())
    }

    /// The catalogue text with its one `{name}` slot filled in.
    #[askama::filter_fn]
    pub fn tf<V: Display>(
        key: impl Display,
        _: &dyn Values,
        name: &str,
        value: V,
    ) -> askama::Result<String> {
        Ok(useit_core::i18n::tf(
            &key.to_string(),
            &[(name, &value.to_string())],
        ))
    }

    /// `key.one` or `key.other` by count, with `{count}` filled.
    #[askama::filter_fn]
    pub fn tn<N: Deref1<u64>>(
        key: impl Display,
        _: &dyn Values,
        count: N,
    ) -> askama::Result<String> {
        Ok(useit_core::i18n::tn(&key.to_string(), count.value()))
    }

    /// 12,345
    #[askama::filter_fn]
    pub fn count(n: impl Deref1<u64>, _: &dyn Values) -> askama::Result<String> {
        Ok(useit_core::i18n::format_count(n.value()))
    }

    /// 5 November 2026
    #[askama::filter_fn]
    pub fn date(d: impl Deref1<time::Date>, _: &dyn Values) -> askama::Result<String> {
        Ok(useit_core::clock::display_date(d.value()))
    }

    /// £1,234.56 from pence.
    #[askama::filter_fn]
    pub fn pence(p: &i64, _: &dyn Values) -> askama::Result<String> {
        Ok(useit_core::money::format_pence(*p))
    }

    /// One path segment, percent-encoded.
    #[askama::filter_fn]
    pub fn urlpart(s: impl Display, _: &dyn Values) -> askama::Result<String> {
        Ok(crate::http::forms::url_encode(&s.to_string()))
    }

    /// 25 November 2026, 2:03pm GMT (UK time, labelled)
    #[askama::filter_fn]
    pub fn datetime(
        t: impl Deref1<time::OffsetDateTime>,
        _: &dyn Values,
    ) -> askama::Result<String> {
        Ok(useit_core::clock::display(t.value()))
    }

    /// Who did something, in words ("The demo set-up" for `system:demo`).
    #[askama::filter_fn]
    pub fn actor(label: impl Display, _: &dyn Values) -> askama::Result<String> {
        Ok(useit_core::words::actor(&label.to_string()))
    }

    /// A UK postcode with its space ("B66 3JY").
    #[askama::filter_fn]
    pub fn postcode(p: impl Display, _: &dyn Values) -> askama::Result<String> {
        Ok(useit_core::words::postcode(&p.to_string()))
    }

    /// A day as people write it ("5 November 2026") from a date or from its
    /// ISO text; anything else (an empty cell, "not known") comes back as it was.
    #[askama::filter_fn]
    pub fn day(d: impl Display, _: &dyn Values) -> askama::Result<String> {
        let text = d.to_string();
        let iso = time::macros::format_description!("[year]-[month]-[day]");
        Ok(match time::Date::parse(text.trim(), &iso) {
            Ok(d) => useit_core::clock::display_date(d),
            Err(_) => text,
        })
    }

    /// Catalogue text that names a file's columns, escaped, with each
    /// column name (`home_postcode`) set as code: a person must type those
    /// exactly, so they are shown as the codes they are, never as words.
    #[askama::filter_fn]
    pub fn codes(
        text: impl Display,
        _: &dyn Values,
    ) -> askama::Result<askama::filters::Safe<String>> {
        let text = text.to_string();
        let mut out = String::with_capacity(text.len() + 32);
        for (i, part) in text
            .split_inclusive(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .enumerate()
        {
            let _ = i;
            let (word, rest) = part.split_at(
                part.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(part.len()),
            );
            let esc = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
                    .replace('\'', "&#39;")
            };
            if word.contains('_') {
                out.push_str(&format!("<code>{word}</code>"));
            } else {
                out.push_str(&esc(word));
            }
            out.push_str(&esc(rest));
        }
        Ok(askama::filters::Safe(out))
    }
}
