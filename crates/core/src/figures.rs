//! How figures are written for people: shares as percentages and LM3 as a
//! multiplier, with one rounding rule, so a page, the API's text, the CLI
//! and a CSV download never show the same figure two ways.
//!
//! The rule: one decimal place, rounded half away from zero (15.98% is
//! 16.0%, 15.95% is 16.0%, 15.94% is 15.9%, −0.05% is −0.1%). Shares are
//! rounded once, from the exact amounts ([`percent`]), never from an already
//! rounded figure, so 15.949% cannot become 16.0% by rounding twice.

/// `part / whole` in tenths of a per cent, rounded half away from zero;
/// `None` when `whole` is 0 (a share of nothing is not known, not 0).
pub fn per_mille(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    Some(divide_rounding(part as i128 * 1_000, whole as i128) as i64)
}

/// `n / d` rounded half away from zero (`d` ≠ 0).
fn divide_rounding(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let q = (2 * n.abs() + d) / (2 * d);
    if n < 0 { -q } else { q }
}

/// `12.3%` from tenths of a per cent, in the current language: `12,3 %`
/// in French (a decimal comma, and a narrow no-break space before the sign
/// so it never wraps away from its figure).
pub fn per_mille_text(pm: i64) -> String {
    let sign = if pm < 0 { "-" } else { "" };
    let (whole, tenth) = (pm.abs() / 10, pm.abs() % 10);
    let mark = crate::i18n::decimal_mark();
    format!("{sign}{whole}{mark}{tenth}{}", percent_sign())
}

/// `%` as the current language writes it after a figure: `%` in English,
/// a narrow no-break space and `%` in French.
pub fn percent_sign() -> &'static str {
    match crate::i18n::language() {
        crate::i18n::Language::En => "%",
        crate::i18n::Language::Fr => "\u{202f}%",
    }
}

/// A share already worked out as a float (`12.34`) to `decimals` places
/// by the one rule (half away from zero: 6.25% is 6.3%, where Rust's
/// `{:.1}` writes 6.2%), with the current language's decimal mark and
/// percent sign.
pub fn percent_f64(value: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", round_f64(value, decimals));
    format!("{}{}", decimal_text(&text), percent_sign())
}

/// `value` rounded to `decimals` places half away from zero. A share
/// worked out in floats carries noise (15.95 is held as 15.9499…), so it is
/// first taken to a millionth of the last place, then rounded.
pub fn round_f64(value: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let scaled = ((value * scale) * 1e6).round() / 1e6;
    let rounded = scaled.round() / scale;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// `part / whole` as a whole percentage by the same rule (2 of 3 is 67);
/// `None` when `whole` is 0.
pub fn whole_percent(part: i64, whole: i64) -> Option<i64> {
    (whole != 0).then(|| divide_rounding(part as i128 * 100, whole as i128) as i64)
}

/// A number written with `.` (`1.26`) in the current language (`1,26`).
pub fn decimal_text(text: &str) -> String {
    match crate::i18n::decimal_mark() {
        '.' => text.to_string(),
        m => text.replace('.', &m.to_string()),
    }
}

/// `part / whole` as `12.3%`, rounded once by the one rule; `None` when
/// `whole` is 0.
pub fn percent(part: i64, whole: i64) -> Option<String> {
    per_mille(part, whole).map(per_mille_text)
}

/// `12.3%` from basis points (1/100 of a per cent), by the same rule.
pub fn percent_bp(bp: i64) -> String {
    per_mille_text(divide_rounding(bp as i128, 10) as i64)
}

/// Basis points as a number people type back into a form (`45.4`,
/// `45.45`, `40`): exact, so saving a form unchanged changes nothing.
pub fn bp_exact(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let (whole, frac) = (bp.abs() / 100, bp.abs() % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// LM3 and other multipliers held in hundredths: `1.26`.
pub fn hundredths(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let mark = crate::i18n::decimal_mark();
    format!("{sign}{}{mark}{:02}", h.abs() / 100, h.abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shares_worked_out_as_floats_and_whole_percentages_round_by_the_same_rule() {
        // 1 in 16: Rust's `{:.1}` writes 6.2% (half to even); the rule says 6.3%.
        assert_eq!(percent_f64(100.0 / 16.0, 1), "6.3%");
        assert_eq!(percent_f64(100.0 / 16.0, 1), percent(1, 16).unwrap());
        assert_eq!(percent_f64(15.95, 1), "16.0%");
        assert_eq!(percent_f64(15.94, 1), "15.9%");
        assert_eq!(percent_f64(-0.04, 1), "0.0%");
        assert_eq!(percent_f64(0.125, 2), "0.13%");
        assert_eq!(whole_percent(2, 3), Some(67));
        assert_eq!(whole_percent(1, 8), Some(13));
        assert_eq!(whole_percent(1, 0), None);
        for (part, whole) in [(1, 16), (3, 16), (5, 8), (1, 3), (7, 9), (1_234, 5_678)] {
            let f = 100.0 * part as f64 / whole as f64;
            assert_eq!(
                percent_f64(f, 1),
                percent(part, whole).unwrap(),
                "{part}/{whole}"
            );
        }
    }

    #[test]
    fn rounds_half_away_from_zero_to_one_decimal() {
        // The figure issue 15 found cut off: 15.98% read 15.9%.
        assert_eq!(percent_bp(1598), "16.0%");
        assert_eq!(percent_bp(1595), "16.0%");
        assert_eq!(percent_bp(1594), "15.9%");
        assert_eq!(percent_bp(0), "0.0%");
        assert_eq!(percent_bp(10_000), "100.0%");
        assert_eq!(percent_bp(-5), "-0.1%");
        assert_eq!(percent_bp(-4), "0.0%");
        assert_eq!(percent_bp(-1598), "-16.0%");
    }

    #[test]
    fn french_figures_take_a_decimal_comma_and_a_spaced_sign() {
        use crate::i18n::{Language, Locale, with_locale};
        let fr = Locale {
            language: Language::Fr,
            ..Locale::default()
        };
        with_locale(fr, || {
            assert_eq!(percent_bp(5400), "54,0\u{202f}%");
            assert_eq!(percent(-1, 2_000).as_deref(), Some("-0,1\u{202f}%"));
            assert_eq!(hundredths(126), "1,26");
            assert_eq!(percent_f64(33.333, 1), "33,3\u{202f}%");
            assert_eq!(
                crate::i18n::format_count(1_234_567),
                "1\u{202f}234\u{202f}567"
            );
        });
        // The English locale is back after the French block.
        assert_eq!(percent_bp(5400), "54.0%");
        assert_eq!(percent_f64(33.333, 1), "33.3%");
        assert_eq!(hundredths(126), "1.26");
    }

    #[test]
    fn shares_round_once_from_the_amounts() {
        // 1,594.9 / 10,000 is 15.949%: 15.9%, not 16.0% by way of 1595 bp.
        assert_eq!(percent(15_949, 100_000).as_deref(), Some("15.9%"));
        assert_eq!(percent(1_598, 10_000).as_deref(), Some("16.0%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(percent(2, 3).as_deref(), Some("66.7%"));
        assert_eq!(percent(-1, 2_000).as_deref(), Some("-0.1%"));
        assert_eq!(percent(5, 0), None);
    }

    #[test]
    fn exact_basis_points_read_back() {
        assert_eq!(bp_exact(4540), "45.4");
        assert_eq!(bp_exact(4545), "45.45");
        assert_eq!(bp_exact(4000), "40");
        assert_eq!(bp_exact(5), "0.05");
        assert_eq!(hundredths(126), "1.26");
        assert_eq!(hundredths(100), "1.00");
    }

    proptest! {
        /// The text is the exact share to within half a tenth of a per cent,
        /// and a tie goes away from zero.
        #[test]
        fn percent_is_nearest_tenth(part in -1_000_000_000i64..1_000_000_000, whole in 1i64..1_000_000_000) {
            let pm = per_mille(part, whole).unwrap();
            // |part*1000/whole − pm| ≤ 1/2, ties away from zero.
            let exact2 = part as i128 * 2_000; // twice the exact value × whole
            let diff = exact2 - 2 * pm as i128 * whole as i128;
            prop_assert!(diff.abs() <= whole as i128);
            if diff.abs() == whole as i128 {
                prop_assert!((pm as i128 * whole as i128).abs() > (part as i128 * 1000).abs());
            }
            let text = percent(part, whole).unwrap();
            let shown: f64 = text.trim_end_matches('%').parse().unwrap();
            prop_assert!((shown * 10.0).round() as i64 == pm);
        }

        /// A whole of either sign gives the same share as its mirror.
        #[test]
        fn sign_is_symmetric(part in -1_000_000i64..1_000_000, whole in 1i64..1_000_000) {
            prop_assert_eq!(per_mille(part, whole), per_mille(-part, -whole));
            prop_assert_eq!(per_mille(-part, whole).map(|p| -p), per_mille(part, whole));
        }

        /// Basis points round by the same rule as shares of amounts.
        #[test]
        fn basis_points_agree_with_shares(bp in -20_000i64..20_000) {
            prop_assert_eq!(percent_bp(bp), percent(bp, 10_000).unwrap());
        }
    }
}
