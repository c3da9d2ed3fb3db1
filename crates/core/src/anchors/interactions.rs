//! Anchor interactions (issue 17.4), the seed's "0 → 30": which organisations
//! of the programme's register each anchor works with, how, from when to
//! when, and on what evidence; and the practice changes they prompted
//! (17.5). An interaction names an organisation of the register the spend
//! context resolves suppliers to (by its org-id), never a second list of
//! organisations.
//!
//! The count over time is the number of interactions in force at the end of
//! each month: begun on or before that day and not ended before it. It is
//! computed from the dates as entered and nothing else, so the chart, its
//! table, the API and the CLI agree with the list.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use uuid::Uuid;

use crate::clock::iso_date;
use crate::csv_import::{Problem, Report, Table, restore_field, write_table};
use crate::i18n::Message;
use crate::listing::SortDir;
use crate::validation::{Errors, Invalid, parse_date};

/// How an anchor works with an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InteractionKind {
    /// People referred between them (into jobs, services, support).
    Referral,
    /// The anchor's staff volunteering with the organisation.
    Volunteering,
    /// The organisation supplies the anchor.
    Supply,
    /// A service or programme delivered together.
    CoDelivery,
    /// Community use of the anchor's estate: a space unlocked.
    CommunityUse,
    Research,
    /// A route into the anchor's jobs.
    EmploymentPathway,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 7] = [
        Self::Referral,
        Self::Volunteering,
        Self::Supply,
        Self::CoDelivery,
        Self::CommunityUse,
        Self::Research,
        Self::EmploymentPathway,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Referral => "referral",
            Self::Volunteering => "volunteering",
            Self::Supply => "supply",
            Self::CoDelivery => "co_delivery",
            Self::CommunityUse => "community_use",
            Self::Research => "research",
            Self::EmploymentPathway => "employment_pathway",
        }
    }

    pub fn parse(s: &str) -> Option<InteractionKind> {
        let s = s.trim().to_lowercase().replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// The catalogue key of its name, written out for the catalogue test.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Referral => "anchors.interactions.kind.referral",
            Self::Volunteering => "anchors.interactions.kind.volunteering",
            Self::Supply => "anchors.interactions.kind.supply",
            Self::CoDelivery => "anchors.interactions.kind.co_delivery",
            Self::CommunityUse => "anchors.interactions.kind.community_use",
            Self::Research => "anchors.interactions.kind.research",
            Self::EmploymentPathway => "anchors.interactions.kind.employment_pathway",
        }
    }
}

/// An interaction's fields, checked. The anchor is named by its short name
/// and the organisation by its org-id in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionDraft {
    pub anchor: String,
    pub organisation: String,
    pub kind: InteractionKind,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub evidence: String,
}

/// An interaction as typed on the form, sent to the API or read from a CSV
/// row (the list's download, so it imports back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractionInput {
    /// The anchor's short name (one the programme has: another is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1))]
    pub anchor: String,
    /// The organisation's identifier in the register (`GB-CHC-1234567`,
    /// `GB-COH-01234567`, `GB-USEIT-…`; one the register has: another is
    /// a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1))]
    pub organisation: String,
    /// referral, volunteering, supply, co_delivery, community_use, research
    /// or employment_pathway.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, value_type = InteractionKind)
    )]
    pub kind: String,
    /// The day it began (2025-03-01 or 01/03/2025), not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub started_on: String,
    /// The day it ended, if it has: not before it began.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::past_day_or_blank)
    )]
    pub ended_on: String,
    /// What shows it happened: an agreement, minutes, a referral log.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 2000)
    )]
    pub evidence: String,
}

const MAX_EVIDENCE: usize = 2000;

impl InteractionInput {
    pub fn of(d: &InteractionDraft) -> Self {
        InteractionInput {
            anchor: d.anchor.clone(),
            organisation: d.organisation.clone(),
            kind: d.kind.slug().into(),
            started_on: iso_date(d.started_on),
            ended_on: d.ended_on.map(iso_date).unwrap_or_default(),
            evidence: d.evidence.clone(),
        }
    }

    /// Checks every field; `today` bounds the dates (an interaction that
    /// has not begun is not one yet).
    pub fn validate(&self, today: Date) -> Result<InteractionDraft, Invalid> {
        let mut e = Errors::new();
        let anchor = self.anchor.trim().to_string();
        if anchor.is_empty() {
            e.add("anchor", Message::new("anchors.interactions.need.anchor"));
        }
        let organisation = self.organisation.trim().to_string();
        if organisation.is_empty() {
            e.add(
                "organisation",
                Message::new("anchors.interactions.need.organisation"),
            );
        }
        let kind = InteractionKind::parse(&self.kind);
        if kind.is_none() {
            e.add(
                "kind",
                Message::new("anchors.interactions.need.kind").arg("value", self.kind.trim()),
            );
        }
        let started_on = date(&mut e, "started_on", &self.started_on, true);
        let ended_on = date(&mut e, "ended_on", &self.ended_on, false);
        for (field, d) in [("started_on", started_on), ("ended_on", ended_on)] {
            if d.is_some_and(|d| d > today) {
                e.add(field, Message::new("anchors.interactions.future"));
            }
        }
        if let (Some(s), Some(end)) = (started_on, ended_on)
            && end < s
        {
            e.add(
                "ended_on",
                Message::new("anchors.interactions.ends_before_start"),
            );
        }
        let evidence = self.evidence.trim().to_string();
        if evidence.is_empty() {
            e.add(
                "evidence",
                Message::new("anchors.interactions.need.evidence"),
            );
        } else if evidence.chars().count() > MAX_EVIDENCE {
            e.add(
                "evidence",
                Message::new("validation.too_long").arg("max", MAX_EVIDENCE),
            );
        }
        e.finish(|| InteractionDraft {
            anchor,
            organisation,
            kind: kind.unwrap_or(InteractionKind::Referral),
            started_on: started_on.unwrap_or(Date::MIN),
            ended_on,
            evidence,
        })
    }
}

fn date(e: &mut Errors, field: &str, value: &str, required: bool) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            e.add(field, Message::new("anchors.interactions.need.started_on"));
        }
        return None;
    }
    let d = parse_date(v);
    if d.is_none() {
        e.add(field, Message::new("validation.date").arg("value", v));
    }
    d
}

/// An interaction as kept, with the names a reader needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: Uuid,
    pub anchor: String,
    pub anchor_name: String,
    /// The register's row.
    pub organisation_id: Uuid,
    /// The register's identifier (what a file names).
    pub organisation: String,
    pub organisation_name: String,
    pub kind: InteractionKind,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub evidence: String,
}

impl Interaction {
    /// In force on `day`: begun on or before it and not ended before it.
    pub fn in_force_on(&self, day: Date) -> bool {
        in_force(self.started_on, self.ended_on, day)
    }
}

fn in_force(started: Date, ended: Option<Date>, day: Date) -> bool {
    started <= day && ended.is_none_or(|e| e >= day)
}

/// The last day of each month from `from`'s month to `to`'s.
pub fn month_ends(from: Date, to: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m as u8) <= (to.year(), to.month() as u8) {
        let last = time::util::days_in_month(m, y);
        out.push(Date::from_calendar_date(y, m, last).expect("a real day"));
        if m == Month::December {
            y += 1;
        }
        m = m.next();
    }
    out
}

/// How many interactions were in force at the end of each month.
pub fn count_over_time(items: &[Interaction], months: &[Date]) -> Vec<u64> {
    months
        .iter()
        .map(|&d| items.iter().filter(|i| i.in_force_on(d)).count() as u64)
        .collect()
}

/// One anchor's count at the end of each month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnchorSeries {
    pub anchor: String,
    pub anchor_name: String,
    pub counts: Vec<u64>,
}

/// The months from the first interaction to `today`, and each anchor's
/// count at each month's end (anchors in name order).
pub fn series(items: &[Interaction], today: Date) -> (Vec<Date>, Vec<AnchorSeries>) {
    let Some(first) = items.iter().map(|i| i.started_on).min() else {
        return (Vec::new(), Vec::new());
    };
    // Start the month before the first, so every chart begins at 0.
    let start = first
        .replace_day(1)
        .expect("day 1")
        .previous_day()
        .unwrap_or(first);
    let months = month_ends(start, today);
    let mut by_anchor: BTreeMap<(String, String), Vec<Interaction>> = BTreeMap::new();
    for i in items {
        by_anchor
            .entry((i.anchor_name.clone(), i.anchor.clone()))
            .or_default()
            .push(i.clone());
    }
    let series = by_anchor
        .into_iter()
        .map(|((anchor_name, anchor), its)| AnchorSeries {
            counts: count_over_time(&its, &months),
            anchor,
            anchor_name,
        })
        .collect();
    (months, series)
}

/// Interactions in force on `day`, by kind (every kind, zeros included).
pub fn by_kind(items: &[Interaction], day: Date) -> Vec<(InteractionKind, u64)> {
    InteractionKind::ALL
        .into_iter()
        .map(|k| {
            let n = items
                .iter()
                .filter(|i| i.kind == k && i.in_force_on(day))
                .count();
            (k, n as u64)
        })
        .collect()
}

/// A line of the network: an anchor, an organisation and how they work
/// together on `day`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub anchor: String,
    pub anchor_name: String,
    pub organisation: String,
    pub organisation_name: String,
    pub kinds: Vec<InteractionKind>,
}

/// Who works with whom on `day`, one link per anchor and organisation.
pub fn network(items: &[Interaction], day: Date) -> Vec<Link> {
    let mut links: BTreeMap<(String, String), Link> = BTreeMap::new();
    for i in items.iter().filter(|i| i.in_force_on(day)) {
        let l = links
            .entry((i.anchor_name.clone(), i.organisation_name.clone()))
            .or_insert_with(|| Link {
                anchor: i.anchor.clone(),
                anchor_name: i.anchor_name.clone(),
                organisation: i.organisation.clone(),
                organisation_name: i.organisation_name.clone(),
                kinds: Vec::new(),
            });
        if !l.kinds.contains(&i.kind) {
            l.kinds.push(i.kind);
            l.kinds.sort();
        }
    }
    links.into_values().collect()
}

/// The list's filter, sort and page, as query parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InteractionQuery {
    /// An anchor's short name.
    pub anchor: Option<String>,
    /// A kind (referral, volunteering, …).
    #[cfg_attr(feature = "openapi", param(schema_with = kinds_or_blank))]
    pub kind: Option<String>,
    /// Words in the organisation's name or identifier, or the evidence.
    pub q: Option<String>,
    /// `current` (in force today) or `ended`.
    #[cfg_attr(feature = "openapi", param(schema_with = statuses_or_blank))]
    pub status: Option<String>,
    /// Only those in force on this day (2025-03-31 or 31/03/2025).
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub on: Option<String>,
    /// `started` (the default, newest first), `organisation`, `anchor` or `kind`.
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[cfg(feature = "openapi")]
fn kinds_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(InteractionKind::ALL.iter().map(|k| k.slug()), true)
}

#[cfg(feature = "openapi")]
fn statuses_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(["current", "ended"], true)
}

impl InteractionQuery {
    /// The column the list is sorted by.
    pub fn sort(&self) -> &str {
        match self.sort.as_deref() {
            Some(s @ ("organisation" | "anchor" | "kind")) => s,
            _ => "started",
        }
    }

    /// The direction asked for: newest first when no column was chosen.
    pub fn dir(&self) -> SortDir {
        SortDir::asked(
            self.sort.as_deref().unwrap_or(""),
            self.dir.as_deref().unwrap_or(""),
        )
    }

    /// The day asked for by `on`, when it reads as one.
    pub fn on_day(&self) -> Option<Date> {
        self.on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(parse_date)
    }

    /// The interactions it selects, in its order.
    pub fn apply(&self, items: Vec<Interaction>, today: Date) -> Vec<Interaction> {
        let kind = self.kind.as_deref().and_then(InteractionKind::parse);
        let on = self.on_day();
        let q = self
            .q
            .as_deref()
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        let mut out: Vec<Interaction> = items
            .into_iter()
            .filter(|i| {
                self.anchor
                    .as_deref()
                    .is_none_or(|a| a.is_empty() || i.anchor == a)
            })
            .filter(|i| kind.is_none_or(|k| i.kind == k))
            .filter(|i| match self.status.as_deref() {
                Some("current") => i.in_force_on(today),
                Some("ended") => i.ended_on.is_some_and(|e| e < today),
                _ => true,
            })
            .filter(|i| on.is_none_or(|d| i.in_force_on(d)))
            .filter(|i| {
                q.as_deref().is_none_or(|q| {
                    i.organisation_name.to_lowercase().contains(q)
                        || i.organisation.to_lowercase().contains(q)
                        || i.evidence.to_lowercase().contains(q)
                })
            })
            .collect();
        let dir = self.dir();
        out.sort_by(|a, b| {
            let o = match self.sort() {
                "organisation" => (a.organisation_name.to_lowercase(), a.started_on)
                    .cmp(&(b.organisation_name.to_lowercase(), b.started_on)),
                "anchor" => (&a.anchor_name, a.started_on).cmp(&(&b.anchor_name, b.started_on)),
                "kind" => (a.kind, a.started_on).cmp(&(b.kind, b.started_on)),
                _ => a.started_on.cmp(&b.started_on),
            }
            .then(a.id.cmp(&b.id));
            dir.order(o)
        });
        out
    }

    /// Whether the filters name things the list knows: a bad one is an
    /// error naming its field, never silently nothing.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Errors::new();
        if let Some(k) = self.kind.as_deref().filter(|k| !k.is_empty())
            && InteractionKind::parse(k).is_none()
        {
            e.add(
                "kind",
                Message::new("anchors.interactions.need.kind").arg("value", k),
            );
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty())
            && !["current", "ended"].contains(&s)
        {
            e.add("status", Message::new("anchors.interactions.bad_status"));
        }
        e.optional_date("on", self.on.as_deref().unwrap_or(""));
        e.finish(|| ())
    }
}

/// How many of the organisations an anchor works with are in each decile
/// of deprivation (1 most deprived), and how many could not be placed.
pub fn by_decile(deciles: &[Option<u8>]) -> (Vec<(u8, u64)>, u64) {
    let mut counts = [0u64; 10];
    let mut unplaced = 0;
    for d in deciles {
        match d {
            Some(d @ 1..=10) => counts[usize::from(*d) - 1] += 1,
            _ => unplaced += 1,
        }
    }
    ((1..=10u8).zip(counts).collect(), unplaced)
}

const COLUMNS: &[&str] = &[
    "anchor",
    "organisation",
    "organisation_name",
    "kind",
    "started_on",
    "ended_on",
    "evidence",
];
const REQUIRED: &[&str] = &["anchor", "organisation", "kind", "started_on", "evidence"];

/// The list as CSV: the same columns an import reads (the organisation's
/// name is for people; an import goes by the identifier).
pub fn export(items: &[Interaction]) -> String {
    write_table(
        COLUMNS,
        items.iter().map(|i| {
            vec![
                i.anchor.clone(),
                i.organisation.clone(),
                i.organisation_name.clone(),
                i.kind.slug().into(),
                iso_date(i.started_on),
                i.ended_on.map(iso_date).unwrap_or_default(),
                i.evidence.clone(),
            ]
        }),
    )
}

/// A row of an interactions file, checked, with its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedInteraction {
    pub line: u64,
    pub draft: InteractionDraft,
}

/// Reads an interactions file: each bad field is an error at its line and
/// column; the same anchor, organisation, kind and start twice is an error
/// at the second.
pub fn parse(text: &str, today: Date, report: &mut Report) -> Vec<ParsedInteraction> {
    let Some(table) = Table::parse(text, COLUMNS, REQUIRED, report) else {
        return Vec::new();
    };
    if report.has_errors() {
        return Vec::new();
    }
    let mut out: Vec<ParsedInteraction> = Vec::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let input = InteractionInput {
            anchor: get("anchor"),
            organisation: get("organisation"),
            kind: get("kind"),
            started_on: get("started_on"),
            ended_on: get("ended_on"),
            evidence: get("evidence"),
        };
        match input.validate(today) {
            Ok(d) => {
                if out.iter().any(|o| same(&o.draft, &d)) {
                    report.push(Problem::error(
                        row.line,
                        table.column("started_on"),
                        Message::new("anchors.interactions.twice"),
                    ));
                } else {
                    out.push(ParsedInteraction {
                        line: row.line,
                        draft: d,
                    });
                }
            }
            Err(Invalid(errors)) => {
                for f in errors {
                    report.push(Problem::error(row.line, table.column(&f.field), f.message));
                }
            }
        }
    }
    out
}

/// What identifies an interaction: a second row with these is the same one.
pub fn same(a: &InteractionDraft, b: &InteractionDraft) -> bool {
    (&a.anchor, &a.organisation, a.kind, a.started_on)
        == (&b.anchor, &b.organisation, b.kind, b.started_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn item(
        anchor: &str,
        org: &str,
        kind: InteractionKind,
        s: Date,
        e: Option<Date>,
    ) -> Interaction {
        Interaction {
            id: Uuid::now_v7(),
            anchor: anchor.into(),
            anchor_name: anchor.to_uppercase(),
            organisation_id: Uuid::nil(),
            organisation: format!("GB-USEIT-{org}"),
            organisation_name: org.into(),
            kind,
            started_on: s,
            ended_on: e,
            evidence: "minutes".into(),
        }
    }

    #[test]
    fn the_count_over_time_is_what_the_dates_say() {
        use InteractionKind::*;
        let items = [
            item("trust", "a", Referral, date!(2025 - 01 - 15), None),
            item(
                "trust",
                "b",
                Supply,
                date!(2025 - 02 - 28),
                Some(date!(2025 - 04 - 10)),
            ),
            item("trust", "c", CommunityUse, date!(2025 - 03 - 01), None),
            // ends on the last day of March: still in force that day
            item(
                "trust",
                "d",
                Research,
                date!(2025 - 03 - 02),
                Some(date!(2025 - 03 - 31)),
            ),
        ];
        let months = month_ends(date!(2024 - 12 - 10), date!(2025 - 05 - 02));
        assert_eq!(
            months,
            [
                date!(2024 - 12 - 31),
                date!(2025 - 01 - 31),
                date!(2025 - 02 - 28),
                date!(2025 - 03 - 31),
                date!(2025 - 04 - 30),
                date!(2025 - 05 - 31)
            ]
        );
        assert_eq!(count_over_time(&items, &months), [0, 1, 2, 4, 2, 2]);
        let (m, s) = series(&items, date!(2025 - 05 - 02));
        assert_eq!(m[0], date!(2024 - 12 - 31), "the chart starts at 0");
        assert_eq!(s[0].counts, [0, 1, 2, 4, 2, 2]);
        let kinds = by_kind(&items, date!(2025 - 05 - 02));
        assert_eq!(kinds.len(), 7);
        assert!(kinds.contains(&(Referral, 1)) && kinds.contains(&(Supply, 0)));
    }

    #[test]
    fn the_network_has_one_link_per_pair_with_its_kinds() {
        use InteractionKind::*;
        let d = date!(2025 - 06 - 01);
        let items = [
            item("trust", "a", Referral, date!(2025 - 01 - 01), None),
            item("trust", "a", Volunteering, date!(2025 - 02 - 01), None),
            item("council", "a", Supply, date!(2025 - 02 - 01), None),
            item(
                "trust",
                "b",
                Supply,
                date!(2025 - 02 - 01),
                Some(date!(2025 - 03 - 01)),
            ),
        ];
        let links = network(&items, d);
        assert_eq!(links.len(), 2, "the ended one is not drawn");
        let trust = links.iter().find(|l| l.anchor == "trust").unwrap();
        assert_eq!(trust.kinds, [Referral, Volunteering]);
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let today = date!(2026 - 01 - 01);
        let err = InteractionInput {
            kind: "friendship".into(),
            started_on: "2026-02-01".into(),
            ended_on: "31/13/2025".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "anchor",
                "organisation",
                "kind",
                "ended_on",
                "started_on",
                "evidence"
            ]
        );
        let ok = InteractionInput {
            anchor: "trust".into(),
            organisation: "GB-CHC-1".into(),
            kind: "Community use".into(),
            started_on: "01/03/2025".into(),
            ended_on: String::new(),
            evidence: "Room booking agreement".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!(ok.kind, InteractionKind::CommunityUse);
        let back = InteractionInput::of(&ok).validate(today).unwrap();
        assert_eq!(back, ok);
        let ends_first = InteractionInput {
            ended_on: "2025-02-01".into(),
            ..InteractionInput::of(&ok)
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(ends_first.0[0].field, "ended_on");
    }

    #[test]
    fn the_download_reads_back_and_bad_cells_are_placed() {
        use InteractionKind::*;
        let today = date!(2026 - 01 - 01);
        let items = [
            item("trust", "=cmd", Referral, date!(2025 - 01 - 15), None),
            item(
                "trust",
                "b",
                Supply,
                date!(2025 - 02 - 28),
                Some(date!(2025 - 04 - 10)),
            ),
        ];
        let csv = export(&items);
        let mut report = Report::new("x.csv");
        let rows = parse(&csv, today, &mut report);
        assert!(!report.has_errors(), "{report:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].draft.organisation, "GB-USEIT-=cmd");
        assert_eq!(rows[1].draft.ended_on, Some(date!(2025 - 04 - 10)));

        let bad = "anchor,organisation,kind,started_on,evidence\n\
                   trust,GB-CHC-1,referral,2025-01-01,log\n\
                   trust,GB-CHC-1,gossip,2025-01-01,log\n\
                   trust,GB-CHC-1,referral,2025-01-01,log again\n";
        let mut report = Report::new("bad.csv");
        parse(bad, today, &mut report);
        let errs: Vec<(u64, Option<String>)> = report
            .errors()
            .map(|p| (p.line, p.column.as_ref().map(|c| c.name.clone())))
            .collect();
        assert_eq!(
            errs,
            [(3, Some("kind".into())), (4, Some("started_on".into()))]
        );
    }

    #[test]
    fn the_list_filters_and_sorts() {
        use InteractionKind::*;
        let today = date!(2026 - 01 - 01);
        let items = vec![
            item("trust", "alpha", Referral, date!(2025 - 01 - 15), None),
            item(
                "council",
                "beta",
                Supply,
                date!(2025 - 02 - 28),
                Some(date!(2025 - 04 - 10)),
            ),
            item("trust", "gamma", Supply, date!(2025 - 03 - 01), None),
        ];
        let q = |anchor: Option<&str>, kind: Option<&str>, status: Option<&str>| InteractionQuery {
            anchor: anchor.map(String::from),
            kind: kind.map(String::from),
            status: status.map(String::from),
            ..Default::default()
        };
        let names = |v: Vec<Interaction>| {
            v.into_iter()
                .map(|i| i.organisation_name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(q(None, None, None).apply(items.clone(), today)),
            ["gamma", "beta", "alpha"]
        );
        assert_eq!(
            names(q(Some("trust"), Some("supply"), None).apply(items.clone(), today)),
            ["gamma"]
        );
        assert_eq!(
            names(q(None, None, Some("ended")).apply(items.clone(), today)),
            ["beta"]
        );
        assert!(q(None, Some("gossip"), None).check().is_err());
        let on = |d: &str| InteractionQuery {
            on: Some(d.into()),
            ..Default::default()
        };
        assert_eq!(
            names(on("2025-02-28").apply(items.clone(), today)),
            ["beta", "alpha"],
            "in force on the day"
        );
        assert_eq!(
            names(on("2025-05-01").apply(items.clone(), today)),
            ["gamma", "alpha"]
        );
        assert_eq!(on("31/02/2025").check().unwrap_err().0[0].field, "on");
        let by_org = InteractionQuery {
            sort: Some("organisation".into()),
            dir: Some("desc".into()),
            ..Default::default()
        };
        assert_eq!(
            names(by_org.apply(items.clone(), today)),
            ["gamma", "beta", "alpha"]
        );
        let (d, unplaced) = by_decile(&[Some(1), Some(1), Some(10), None]);
        assert_eq!((d[0], d[9], unplaced), ((1, 2), (10, 1), 1));
    }
}
