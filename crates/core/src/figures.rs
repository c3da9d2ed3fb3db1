//! How figures are written for people: shares as percentages and LM3 as a
//! multiplier, with one rounding rule, so a page, the API and the CLI never
//! show the same figure two ways.

/// `12.3%`, from basis points.
pub fn percent_bp(bp: i64) -> String {
    format!("{}.{}%", bp / 100, (bp.abs() % 100) / 10)
}
