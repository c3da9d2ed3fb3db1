//! Money as published: `£1,234.56`, `"49,521.52 "`, `(1,234.56)`, `-1234.56`,
//! `1234.56 CR`, `77,041`, `673.1`. Read exactly into integer pence — never
//! through a float, so a year of lines adds up to the penny.

use crate::i18n::Message;

/// Pence, signed: credits and refunds are negative.
pub type Pence = i64;

/// One more than the largest amount read: fifteen digits of pounds.
const MAX_PENCE: Pence = 100_000_000_000_000_000;

/// Reads an amount; `Err` says why not, in the catalogue's words.
pub fn parse_pence(raw: &str) -> Result<Pence, Message> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Err(Message::new("anchors.spend.amount_empty"));
    }
    let mut negative = false;
    let strip = |s: &mut &str, pre: &str, post: &str| -> bool {
        if s.len() >= pre.len() + post.len() && s.starts_with(pre) && s.ends_with(post) {
            *s = s[pre.len()..s.len() - post.len()].trim();
            true
        } else {
            false
        }
    };
    if strip(&mut s, "(", ")") {
        negative = !negative;
    }
    for suffix in [" CR", "CR", " cr", "cr", " Cr"] {
        if strip(&mut s, "", suffix) {
            negative = !negative;
            break;
        }
    }
    if strip(&mut s, "-", "") {
        negative = !negative;
    }
    if strip(&mut s, "", "-") {
        negative = !negative;
    }
    strip(&mut s, "£", "");
    strip(&mut s, "GBP", "");
    if strip(&mut s, "-", "") {
        negative = !negative;
    }
    let s = s.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let bad = || Message::new("anchors.spend.amount_bad").arg("value", raw.trim());
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    // Thousands separators only between groups of three digits.
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let mut digits = first.len();
    let mut pounds: i64 = 0;
    let mut add = |g: &str| -> bool {
        g.bytes().all(|b| {
            pounds = pounds
                .wrapping_mul(10)
                .wrapping_add((b.wrapping_sub(b'0')) as i64);
            b.is_ascii_digit()
        })
    };
    let mut ok = add(first);
    for g in groups {
        ok &= (1..=3).contains(&first.len()) && g.len() == 3 && add(g);
        digits += g.len();
    }
    if !ok || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let too_big = || Message::new("anchors.spend.amount_too_big").arg("value", raw.trim());
    if digits > 15 {
        return Err(too_big());
    }
    let f = frac.as_bytes();
    let digit = |i: usize| f.get(i).map(|b| (b - b'0') as i64).unwrap_or(0);
    let mut pence = pounds * 100 + digit(0) * 10 + digit(1);
    // Beyond the penny: round half away from zero.
    if digit(2) >= 5 {
        pence += 1;
    }
    // Rounding can carry into a sixteenth digit of pounds
    // (`999999999999999.995`): an amount that would not read back.
    if pence >= MAX_PENCE {
        return Err(too_big());
    }
    Ok(if negative { -pence } else { pence })
}

/// `-1234.56`: what spreadsheets, forms and CSV files read back exactly.
pub fn plain_pence(p: Pence) -> String {
    let sign = if p < 0 { "-" } else { "" };
    let a = p.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// `£1,234.56` or `-£1,234.56`, for people: in the current locale's
/// currency and language ([`crate::i18n::current`]), so a page of a French
/// programme in euros reads `1 234,56 €` wherever it shows money.
pub fn format_pence(p: Pence) -> String {
    let l = crate::i18n::current();
    format_money(p, l.currency, l.language)
}

/// A programme's currency. Amounts are always whole minor units (pence,
/// cents) in the programme's own currency; this only says how to show them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[default]
    #[serde(rename = "GBP")]
    Gbp,
    #[serde(rename = "EUR")]
    Eur,
}

impl Currency {
    pub const ALL: [Currency; 2] = [Currency::Gbp, Currency::Eur];

    /// The ISO 4217 code, as stored and typed: `GBP`, `EUR`.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Gbp => "GBP",
            Currency::Eur => "EUR",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Gbp => "£",
            Currency::Eur => "€",
        }
    }

    /// From its code, in any case.
    pub fn parse(s: &str) -> Option<Currency> {
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s.trim()))
    }
}

/// How a programme's money is written for people: its currency, in its
/// language's way (pages and the command line take it from the programme).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MoneyStyle {
    pub currency: Currency,
    pub language: crate::i18n::Language,
}

impl MoneyStyle {
    /// The locale pages and messages are written in for this style.
    pub fn locale(&self) -> crate::i18n::Locale {
        crate::i18n::Locale {
            language: self.language,
            currency: self.currency,
        }
    }

    pub fn show(&self, p: Pence) -> String {
        format_money(p, self.currency, self.language)
    }
}

/// An amount of minor units for people, as the programme's language writes
/// money: `£1,234.56` in English, `1 234,56 €` in French (a narrow
/// no-break space between thousands, a no-break space before the symbol,
/// so the figure never wraps).
pub fn format_money(p: Pence, currency: Currency, language: crate::i18n::Language) -> String {
    use crate::i18n::Language;
    let sign = if p < 0 { "-" } else { "" };
    let a = p.unsigned_abs();
    let whole = (a / 100).to_string();
    let (group, decimal) = match language {
        Language::En => (",", "."),
        Language::Fr => ("\u{202f}", ","),
    };
    let grouped = crate::i18n::group_digits(&whole, group);
    let symbol = currency.symbol();
    match language {
        Language::En => format!("{sign}{symbol}{grouped}{decimal}{:02}", a % 100),
        Language::Fr => format!("{sign}{grouped}{decimal}{:02}\u{a0}{symbol}", a % 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn money_in_the_programme_s_currency_and_language() {
        use crate::i18n::Language;
        assert_eq!(
            format_money(123_456, Currency::Eur, Language::Fr),
            "1\u{202f}234,56\u{a0}€"
        );
        assert_eq!(
            format_money(-5, Currency::Eur, Language::Fr),
            "-0,05\u{a0}€"
        );
        assert_eq!(
            format_money(123_456_789, Currency::Gbp, Language::En),
            "£1,234,567.89"
        );
        assert_eq!(
            format_money(123_456, Currency::Eur, Language::En),
            "€1,234.56"
        );
        assert_eq!(
            format_money(-123_456, Currency::Gbp, Language::En),
            format_pence(-123_456),
            "English pounds as everywhere else"
        );
        assert_eq!(Currency::parse("eur"), Some(Currency::Eur));
        assert_eq!(Currency::parse("USD"), None);
    }

    #[test]
    fn published_amounts() {
        for (raw, want) in [
            ("£1,234.56", 123_456),
            ("49,521.52 ", 4_952_152),
            ("(1,234.56)", -123_456),
            ("-1234.56", -123_456),
            ("1234.56 CR", -123_456),
            ("1234.56CR", -123_456),
            ("77,041", 7_704_100),
            ("673.1", 67_310),
            ("1140", 114_000),
            ("-£12.00", -1_200),
            ("£-12.00", -1_200),
            ("-567", -56_700),
            ("0.01", 1),
            ("-0.01", -1),
            (".5", 50),
            ("2,906,752.80", 290_675_280),
            ("12.345", 1_235),
            ("12.344", 1_234),
            ("1234.56-", -123_456),
        ] {
            assert_eq!(parse_pence(raw), Ok(want), "{raw}");
        }
        for bad in [
            "",
            "\"49,521.52\"",
            "abc",
            "1,23.00",
            "12,3456",
            "£",
            "1.2.3",
            "N/A",
            "1 234",
        ] {
            assert!(parse_pence(bad).is_err(), "{bad:?} is not an amount");
        }
    }

    #[test]
    fn an_amount_rounded_past_fifteen_digits_is_too_big() {
        // Found by fuzzing: it read as 10^15 pounds, which then did not read back.
        let too_big = parse_pence("999999999999999.999").unwrap_err();
        assert_eq!(too_big.key, "anchors.spend.amount_too_big");
        assert_eq!(
            parse_pence("999999999999999.994"),
            Ok(99_999_999_999_999_999)
        );
        assert_eq!(
            parse_pence("-999999999999999.99"),
            Ok(-99_999_999_999_999_999)
        );
        let largest = parse_pence(&plain_pence(99_999_999_999_999_999));
        assert_eq!(largest, Ok(99_999_999_999_999_999));
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_pence(123_456_789), "£1,234,567.89");
        assert_eq!(format_pence(-5), "-£0.05");
        assert_eq!(plain_pence(-5), "-0.05");
        assert_eq!(plain_pence(123_456), "1234.56");
    }

    proptest! {
        #[test]
        fn formatted_amounts_read_back(p in -10_000_000_000i64..10_000_000_000) {
            prop_assert_eq!(parse_pence(&format_pence(p)), Ok(p));
            prop_assert_eq!(parse_pence(&plain_pence(p)), Ok(p));
        }
    }
}
