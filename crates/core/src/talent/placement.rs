//! Placements as the matching page and the API take them: confirming a
//! proposed pair, moving a placement on, and the placements list's filters,
//! order and download.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::casework::PlacementStatus;
use super::person::Placement;
use crate::csv_import::write_table;
use crate::i18n::Message;
use crate::listing::SortDir;
use crate::validation::{Errors, Invalid, parse_date};

/// A proposed pair to confirm: the person is put forward for the vacancy.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ConfirmInput {
    /// The person's id (one of the programme's: another is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub person: String,
    /// The vacancy's id (one of the programme's: another is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub vacancy: String,
}

impl ConfirmInput {
    /// The person's and the vacancy's ids.
    pub fn validate(&self) -> Result<(Uuid, Uuid), Invalid> {
        let mut e = Errors::new();
        let mut id = |field: &str, raw: &str| {
            let id = Uuid::parse_str(raw.trim()).ok();
            if id.is_none() {
                e.add(field, Message::new("talent.placement.choose"));
            }
            id
        };
        let (person, vacancy) = (id("person", &self.person), id("vacancy", &self.vacancy));
        e.finish(|| (person.expect("checked"), vacancy.expect("checked")))
    }
}

/// What happened next for a placement.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MoveInput {
    /// applied, interviewed, offered, started, left or withdrawn (whether
    /// the placement may move there from where it stands is a 409).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, value_type = PlacementStatus)
    )]
    pub status: String,
    /// The day it happened (today when blank).
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::day_or_blank)
    )]
    pub on: String,
}

impl MoveInput {
    /// The status and its day. Whether the placement may move there is
    /// decided against its current status when it is written.
    pub fn validate(&self, today: Date) -> Result<(PlacementStatus, Date), Invalid> {
        let mut e = Errors::new();
        let status = PlacementStatus::parse(&self.status);
        if status.is_none() {
            e.add("status", Message::new("talent.placement.choose_status"));
        }
        let on = match self.on.trim() {
            "" => Some(today),
            raw => {
                let d = parse_date(raw);
                if d.is_none() {
                    e.add("on", Message::new("validation.date").arg("value", raw));
                }
                d
            }
        };
        e.finish(|| (status.expect("checked"), on.expect("checked")))
    }
}

/// The placements list's filters, sort and page.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct PlacementParams {
    /// Part of the person's name or the vacancy's title.
    pub q: String,
    /// A placement status (proposed, applied, interviewed, offered, started,
    /// left, withdrawn), `current` for those holding a post, or blank for all.
    pub status: String,
    /// updated (the default, newest first), person, vacancy, status or score.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl PlacementParams {
    /// The column sorted by (`updated` unless another is asked for).
    pub fn sort(&self) -> &str {
        match self.sort.as_str() {
            s @ ("person" | "vacancy" | "status" | "score") => s,
            _ => "updated",
        }
    }

    pub fn dir(&self) -> SortDir {
        SortDir::asked(&self.sort, &self.dir)
    }

    /// The placements the filters select, in the order asked for.
    pub fn select(&self, all: Vec<Placement>) -> Vec<Placement> {
        let q = self.q.trim().to_lowercase();
        let mut v: Vec<Placement> = all
            .into_iter()
            .filter(|pl| {
                (q.is_empty()
                    || pl
                        .person_name
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(&q))
                    || pl.vacancy_title.to_lowercase().contains(&q))
                    && match self.status.as_str() {
                        "" => true,
                        "current" => pl.status.holds_post(),
                        s => Some(pl.status) == PlacementStatus::parse(s),
                    }
            })
            .collect();
        v.sort_by(|a, b| {
            let o = match self.sort() {
                "person" => a.person_name.cmp(&b.person_name),
                "vacancy" => a.vacancy_title.cmp(&b.vacancy_title),
                // In the order a placement moves through.
                "status" => a.status.cmp(&b.status),
                "score" => a.score.cmp(&b.score),
                _ => a.updated_at.cmp(&b.updated_at),
            }
            .then(a.id.cmp(&b.id));
            self.dir().order(o)
        });
        v
    }
}

/// The columns of the placements download.
pub const COLUMNS: [&str; 10] = [
    "placement_id",
    "person_id",
    "person",
    "vacancy_id",
    "vacancy",
    "status",
    "score",
    "started_on",
    "left_on",
    "updated_on",
];

/// Placements as CSV: a record of outcomes for reporting. It does not import
/// back: a placement is made only by confirming a pair the matcher proposes,
/// and moved on only forward, one step at a time.
pub fn write_csv(rows: &[Placement]) -> String {
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    write_table(
        &COLUMNS,
        rows.iter().map(|p| {
            vec![
                p.id.to_string(),
                p.person_id.to_string(),
                p.person_name.clone().unwrap_or_default(),
                p.vacancy_id.to_string(),
                p.vacancy_title.clone(),
                p.status.slug().to_string(),
                p.score.to_string(),
                day(p.started_on),
                day(p.left_on),
                p.updated_at.date().to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn placement(
        name: Option<&str>,
        title: &str,
        status: PlacementStatus,
        score: i64,
    ) -> Placement {
        Placement {
            id: Uuid::now_v7(),
            person_id: Uuid::now_v7(),
            person_name: name.map(String::from),
            vacancy_id: Uuid::now_v7(),
            vacancy_title: title.into(),
            status,
            score,
            reasons: "[]".into(),
            started_on: None,
            left_on: None,
            updated_at: datetime!(2026-11-02 10:00 UTC),
        }
    }

    #[test]
    fn a_move_needs_a_status_and_a_real_day() {
        let today = date!(2026 - 11 - 30);
        let m = |status: &str, on: &str| {
            MoveInput {
                status: status.into(),
                on: on.into(),
            }
            .validate(today)
        };
        assert_eq!(m("started", ""), Ok((PlacementStatus::Started, today)));
        assert_eq!(
            m("offered", "2026-11-02"),
            Ok((PlacementStatus::Offered, date!(2026 - 11 - 02)))
        );
        let Invalid(errs) = m("hired", "31/02/2026").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["status", "on"]);
    }

    #[test]
    fn a_confirmation_names_a_person_and_a_vacancy() {
        let (p, v) = (Uuid::now_v7(), Uuid::now_v7());
        let ok = ConfirmInput {
            person: p.to_string(),
            vacancy: v.to_string(),
        };
        assert_eq!(ok.validate(), Ok((p, v)));
        let Invalid(errs) = ConfirmInput::default().validate().unwrap_err();
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn placements_filter_by_status_or_words_and_sort() {
        let all = vec![
            placement(
                Some("Amal Haddad"),
                "Healthcare assistant",
                PlacementStatus::Started,
                70,
            ),
            placement(
                Some("Samir Aziz"),
                "Phlebotomist",
                PlacementStatus::Withdrawn,
                90,
            ),
            placement(None, "Healthcare assistant", PlacementStatus::Proposed, 50),
        ];
        let sel = |q: &str, status: &str, sort: &str, dir: &str| -> Vec<i64> {
            PlacementParams {
                q: q.into(),
                status: status.into(),
                sort: sort.into(),
                dir: dir.into(),
                ..Default::default()
            }
            .select(all.clone())
            .iter()
            .map(|p| p.score)
            .collect()
        };
        assert_eq!(sel("", "current", "score", ""), [50, 70]);
        assert_eq!(sel("", "withdrawn", "", ""), [90]);
        assert_eq!(sel("HADDAD", "", "", ""), [70]);
        assert_eq!(sel("healthcare", "", "score", "desc"), [70, 50]);
        assert_eq!(sel("", "", "status", "asc"), [50, 70, 90]);
    }

    #[test]
    fn the_download_has_a_row_per_placement() {
        let p = placement(Some("Amal Haddad"), "Porter", PlacementStatus::Started, 70);
        let text = write_csv(std::slice::from_ref(&p));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("placement_id,person_id,person,"));
        assert!(lines[1].contains(",Amal Haddad,") && lines[1].contains(",started,70,"));
    }
}
