//! The funder and evaluation report for a period, laid out as the seed's
//! case study: the challenge, the solution, the strands, the results and
//! impact against the targets, the stories told with consent, the partners,
//! what worked and what did not, and where the data came from. The figures
//! are the programme's indicators exactly as its home page publishes them
//! to the reader (small counts of people suppressed for roles without the
//! right to see the people); the report only chooses, orders and words
//! them. The same `Report` is the web page, the API's JSON and the PDF.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::figures::percent_bp;
use crate::i18n::{t, tf};
use crate::programme::Partner;
use crate::programme::indicators::{
    Figure, Indicator, Published, Strand, figure_text, published_coverage_text, target_text,
};
use crate::programme::stories::Story;
use crate::validation::{Errors, Invalid};

/// The period a report covers, as typed (`from` and `to`, each optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReportQuery {
    /// First day of the period (default: three years before `to`).
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Last day of the period (default: today).
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
}

/// A checked period: `from` on or before `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ReportPeriod {
    #[serde(with = "crate::iso_date")]
    pub from: Date,
    #[serde(with = "crate::iso_date")]
    pub to: Date,
}

impl ReportPeriod {
    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }

    /// Whether a year overlaps the period.
    pub fn has_year(&self, year: i32) -> bool {
        self.from.year() <= year && year <= self.to.year()
    }
}

impl ReportQuery {
    pub fn validate(&self, today: Date) -> Result<ReportPeriod, Invalid> {
        let mut e = Errors::new();
        let to = e
            .optional_date("to", self.to.as_deref().unwrap_or(""))
            .unwrap_or(today);
        let from = e
            .optional_date("from", self.from.as_deref().unwrap_or(""))
            .unwrap_or_else(|| {
                to.replace_year(to.year() - 3)
                    .or_else(|_| (to - time::Duration::days(3 * 365)).replace_day(1))
                    .unwrap_or(to)
                    .next_day()
                    .unwrap_or(to)
            });
        if from > to {
            e.add("from", crate::i18n::Message::new("report.from_after_to"));
        }
        e.finish(|| ReportPeriod { from, to })
    }
}

/// What the programme manager writes for the report: the words no data
/// can give. What worked and what did not are used only when no workshop
/// in the period has grouped its notes into success factors and obstacles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportTexts {
    pub challenge: String,
    pub solution: String,
    /// One point a line.
    pub what_worked: String,
    /// One point a line.
    pub what_did_not: String,
}

impl ReportTexts {
    /// Trimmed, each at most 20,000 characters (naming any longer one).
    pub fn validate(&self) -> Result<ReportTexts, Invalid> {
        let mut e = Errors::new();
        let mut field = |name: &str, v: &str| e.optional(name, v, 20_000).unwrap_or_default();
        let texts = ReportTexts {
            challenge: field("challenge", &self.challenge),
            solution: field("solution", &self.solution),
            what_worked: field("what_worked", &self.what_worked),
            what_did_not: field("what_did_not", &self.what_did_not),
        };
        e.finish(|| texts)
    }
}

/// The workshops' synthesis over the period: their titles and the notes
/// grouped as success factors and obstacles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synthesis {
    pub workshops: Vec<String>,
    pub worked: Vec<String>,
    pub did_not: Vec<String>,
}

/// What a report is made from.
pub struct ReportParts<'a> {
    pub programme: &'a str,
    pub period: ReportPeriod,
    pub as_of: Date,
    pub texts: &'a ReportTexts,
    pub figures: &'a [Published],
    /// The programme's disclosure threshold, and whether this reader sees
    /// the counts of each strand's people exactly (residents on the talent
    /// strand; community researchers).
    pub k: u32,
    pub exact_talent: bool,
    pub exact_research: bool,
    pub stories: &'a [Story],
    pub partners: &'a [Partner],
    pub synthesis: &'a Synthesis,
    /// The deprivation index the area of benefit is drawn on, with its
    /// publisher and licence; `None` before there is an area of benefit.
    pub deprivation_source: Option<&'a str>,
    /// The area scheme whose boundaries place things by their coordinates,
    /// where no postcode file is used (outside the United Kingdom); `None`
    /// credits the ONS postcode file.
    pub places_by_coordinates: Option<&'a str>,
}

/// One point of an indicator's series in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    pub year: i32,
    /// The height drawn (0 for a figure not shown); `text` is what is read.
    pub value: f64,
    pub text: String,
}

/// One indicator in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultRow {
    pub indicator: &'static str,
    pub label: String,
    pub strand: String,
    /// The figure to date, in words.
    pub value: String,
    pub target: String,
    pub of_target: String,
    pub coverage: String,
    /// The step that would let a "not known" figure be judged.
    pub fix: String,
    pub chart_title: String,
    /// The years of the period, oldest first (the same series as the home
    /// page's chart).
    pub series: Vec<Point>,
}

/// A strand of the programme and its figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrandSection {
    pub strand: &'static str,
    pub title: String,
    pub about: String,
    pub figures: Vec<String>,
}

/// A story as the report tells it: without who it names in the records.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportStory {
    pub title: String,
    pub shown_as: String,
    pub told_on: String,
    pub body: String,
}

/// A partner in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportPartner {
    pub name: String,
    pub kind: String,
    pub since: String,
}

/// The report, worded for its reader.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub title: String,
    pub programme: String,
    pub period: ReportPeriod,
    pub period_text: String,
    pub as_of: String,
    pub challenge: String,
    pub solution: String,
    pub strands: Vec<StrandSection>,
    pub results: Vec<ResultRow>,
    /// How counts of people are shown to this reader.
    pub disclosure: String,
    pub stories: Vec<ReportStory>,
    pub partners: Vec<ReportPartner>,
    pub worked: Vec<String>,
    pub did_not: Vec<String>,
    /// Where what worked and what did not come from.
    pub lessons_source: String,
    pub attributions: Vec<String>,
}

const STRANDS: [Strand; 5] = [
    Strand::Talent,
    Strand::Enterprise,
    Strand::Research,
    Strand::Anchors,
    Strand::Community,
];

/// The points of an indicator's trend that fall in the period: the bars a
/// chart draws and the rows its table lists.
pub fn series(p: &Published, period: &ReportPeriod) -> Vec<Point> {
    p.trend
        .iter()
        .filter(|pt| period.has_year(pt.year))
        .map(|pt| Point {
            year: pt.year,
            value: match &pt.figure {
                Figure::Count { value } => value.value().unwrap_or(0) as f64,
                Figure::Share { low_bp, .. } => *low_bp as f64 / 100.0,
                _ => 0.0,
            },
            text: figure_text(&pt.figure),
        })
        .collect()
}

fn result(p: &Published, period: &ReportPeriod) -> ResultRow {
    let i: Indicator = p.indicator;
    let label = t(&i.label_key()).to_string();
    ResultRow {
        indicator: i.slug(),
        strand: t(&i.strand().label_key()).to_string(),
        value: figure_text(&p.figure),
        target: p.target.as_ref().map(target_text).unwrap_or_default(),
        of_target: p
            .of_target_bp
            .map(|bp| tf("home.of_target", &[("share", &percent_bp(bp))]))
            .unwrap_or_default(),
        coverage: published_coverage_text(p),
        fix: match p.figure {
            Figure::NotKnown { fix } => t(&fix.label_key()).to_string(),
            _ => String::new(),
        },
        chart_title: if p.cumulative {
            tf("home.trend.cumulative", &[("indicator", &label)])
        } else {
            tf("home.trend.by_year", &[("indicator", &label)])
        },
        series: series(p, period),
        label,
    }
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.trim().trim_start_matches(['-', '•', '*']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// How counts of people read in this reader's report: exact for the
/// strands whose people they may see, suppressed under `k` for the others.
fn disclosure_note(exact_talent: bool, exact_research: bool, k: &str) -> String {
    let key = match (exact_talent, exact_research) {
        (true, true) => "report.disclosure.exact",
        (true, false) => "report.disclosure.exact_talent",
        (false, true) => "report.disclosure.exact_research",
        (false, false) => "home.suppressed_note",
    };
    tf(key, &[("k", k)])
}

/// Words and orders the report.
pub fn build(parts: &ReportParts) -> Report {
    use crate::clock::display_date;
    let period = parts.period;
    let period_text = tf(
        "report.period",
        &[
            ("from", &display_date(period.from)),
            ("to", &display_date(period.to)),
        ],
    );
    let results: Vec<ResultRow> = parts.figures.iter().map(|p| result(p, &period)).collect();
    let strands = STRANDS
        .iter()
        .map(|s| StrandSection {
            strand: s.slug(),
            title: t(&s.label_key()).to_string(),
            about: t(&format!("report.strand.{}", s.slug())).to_string(),
            figures: parts
                .figures
                .iter()
                .zip(&results)
                .filter(|(p, _)| p.indicator.strand() == *s)
                .map(|(_, r)| {
                    tf(
                        "report.strand_figure",
                        &[("indicator", &r.label), ("value", &r.value)],
                    )
                })
                .collect(),
        })
        .collect();
    let (worked, did_not, lessons_source) =
        if parts.synthesis.worked.is_empty() && parts.synthesis.did_not.is_empty() {
            (
                lines(&parts.texts.what_worked),
                lines(&parts.texts.what_did_not),
                t("report.lessons.from_manager").to_string(),
            )
        } else {
            (
                parts.synthesis.worked.clone(),
                parts.synthesis.did_not.clone(),
                tf(
                    "report.lessons.from_workshops",
                    &[(
                        "workshops",
                        &crate::i18n::and_list(&parts.synthesis.workshops),
                    )],
                ),
            )
        };
    let k = parts.k.to_string();
    Report {
        title: tf("report.title", &[("programme", parts.programme)]),
        programme: parts.programme.to_string(),
        period,
        period_text,
        as_of: tf("home.as_of", &[("date", &display_date(parts.as_of))]),
        challenge: parts.texts.challenge.clone(),
        solution: parts.texts.solution.clone(),
        strands,
        results,
        disclosure: disclosure_note(parts.exact_talent, parts.exact_research, &k),
        stories: parts
            .stories
            .iter()
            .filter(|s| period.contains(s.draft.told_on))
            .map(|s| ReportStory {
                title: s.draft.title.clone(),
                shown_as: s.draft.shown_as.clone(),
                told_on: display_date(s.draft.told_on),
                body: s.draft.body.clone(),
            })
            .collect(),
        partners: parts
            .partners
            .iter()
            .filter(|p| p.joined_on <= period.to && p.left_on.is_none_or(|l| l >= period.from))
            .map(|p| ReportPartner {
                name: p.name.clone(),
                kind: t(&p.kind.label_key()).to_string(),
                since: display_date(p.joined_on),
            })
            .collect(),
        worked,
        did_not,
        lessons_source,
        attributions: vec![
            t("report.attribution.records").to_string(),
            t("report.attribution.spend").to_string(),
            match parts.deprivation_source {
                Some(source) => tf("report.attribution.deprivation_of", &[("source", source)]),
                None => t("report.attribution.deprivation").to_string(),
            },
            match parts.places_by_coordinates {
                Some(scheme) => tf(
                    "report.attribution.places_by_coordinates",
                    &[("scheme", scheme)],
                ),
                None => t("report.attribution.postcodes").to_string(),
            },
        ],
    }
}

/// The report as a PDF file.
pub fn pdf(report: &Report) -> Vec<u8> {
    super::report_pdf::render(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_blank_period_is_the_three_years_to_today() {
        let p = ReportQuery::default()
            .validate(date!(2026 - 12 - 07))
            .unwrap();
        assert_eq!(p.from, date!(2023 - 12 - 08));
        assert_eq!(p.to, date!(2026 - 12 - 07));
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused_naming_from() {
        let q = ReportQuery {
            from: Some("2020-01-02".into()),
            to: Some("2020-01-01".into()),
        };
        let err = q.validate(date!(2026 - 12 - 07)).unwrap_err();
        assert_eq!(err.0[0].field, "from");
        let bad = ReportQuery {
            from: Some("soon".into()),
            to: None,
        };
        assert_eq!(
            bad.validate(date!(2026 - 12 - 07)).unwrap_err().0[0].field,
            "from"
        );
    }

    #[test]
    fn the_note_on_counts_says_which_strands_are_exact_for_this_reader() {
        let exact = disclosure_note(true, true, "5");
        let talent = disclosure_note(true, false, "5");
        let research = disclosure_note(false, true, "5");
        let none = disclosure_note(false, false, "5");
        assert!(exact.starts_with("Counts of people are exact"), "{exact}");
        // A caseworker sees residents exactly, not researchers.
        assert!(
            talent.contains("residents") && talent.contains("not shown"),
            "{talent}"
        );
        assert!(research.contains("researchers are exact"), "{research}");
        assert!(
            !none.contains("exact") && !none.contains("less one"),
            "{none}"
        );
        assert!(none.contains("fewer than 5"), "{none}");
    }

    #[test]
    fn the_manager_writes_one_point_a_line() {
        assert_eq!(
            lines("- Paid researchers\n\n• Co-designed bid\n"),
            vec!["Paid researchers", "Co-designed bid"]
        );
    }
}
