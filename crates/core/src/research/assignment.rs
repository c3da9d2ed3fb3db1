//! Researchers assigned to projects (issue 19 item 3): the coordinator
//! assigns a researcher to a project from a day, and ends the assignment on
//! a day; a researcher's hours on a project count only on days an
//! assignment covers.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// An assignment as typed: the researcher, the first day and (optional)
/// the last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AssignmentInput {
    /// The researcher's id (one the programme does not have is a 404).
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub researcher: String,
    /// The first day of the assignment.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"
        )
    )]
    pub starts_on: String,
    /// The last day (blank: open).
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::day_or_blank)
    )]
    pub ends_on: String,
}

/// An assignment checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssignmentDraft {
    pub researcher: Uuid,
    #[serde(with = "crate::iso_date")]
    pub starts_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub ends_on: Option<Date>,
}

fn required_day(e: &mut Errors, field: &str, raw: &str, key: &str) -> Option<Date> {
    if raw.trim().is_empty() {
        e.add(field, Message::new(key));
        None
    } else {
        e.optional_date(field, raw)
    }
}

impl AssignmentInput {
    pub fn validate(&self) -> Result<AssignmentDraft, Invalid> {
        let mut e = Errors::new();
        let researcher = Uuid::parse_str(self.researcher.trim()).ok();
        if researcher.is_none() {
            e.add(
                "researcher",
                Message::new("research.assignment.researcher_required"),
            );
        }
        let starts_on = required_day(
            &mut e,
            "starts_on",
            &self.starts_on,
            "research.assignment.starts_on_required",
        );
        let ends_on = e.optional_date("ends_on", &self.ends_on);
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && t < s
        {
            e.add(
                "ends_on",
                Message::new("research.assignment.ends_before_start"),
            );
        }
        match (researcher, starts_on) {
            (Some(researcher), Some(starts_on)) => e.finish(|| AssignmentDraft {
                researcher,
                starts_on,
                ends_on,
            }),
            _ => Err(Invalid(e.into_vec())),
        }
    }
}

/// The last day of an assignment, as typed when ending it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
#[cfg_attr(feature = "openapi", schema(as = AssignmentEndInput))]
pub struct EndInput {
    /// The last day the researcher is on the project, not before the
    /// first.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"
        )
    )]
    pub ends_on: String,
}

impl EndInput {
    /// The day, not before the assignment's first.
    pub fn validate(&self, starts_on: Date) -> Result<Date, Invalid> {
        let mut e = Errors::new();
        let day = required_day(
            &mut e,
            "ends_on",
            &self.ends_on,
            "research.assignment.ends_on_required",
        );
        if day.is_some_and(|d| d < starts_on) {
            e.add(
                "ends_on",
                Message::new("research.assignment.ends_before_start"),
            );
        }
        match day {
            Some(d) => e.finish(|| d),
            None => Err(Invalid(e.into_vec())),
        }
    }
}

/// An assignment kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub id: Uuid,
    pub project_id: Uuid,
    pub project_title: String,
    pub researcher_id: Uuid,
    /// `None` once the researcher is erased.
    pub researcher_name: Option<String>,
    #[serde(with = "crate::iso_date")]
    pub starts_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub ends_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl Assignment {
    pub fn covers(&self, day: Date) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|e| day <= e)
    }

    /// Whether two periods share a day.
    pub fn overlaps(&self, starts_on: Date, ends_on: Option<Date>) -> bool {
        let a_end = self.ends_on.unwrap_or(Date::MAX);
        let b_end = ends_on.unwrap_or(Date::MAX);
        self.starts_on <= b_end && starts_on <= a_end
    }
}

/// Hours on a project only on a day one of the researcher's assignments to
/// it covers; refused naming the project field and the day.
pub fn check_assigned(
    assignments: &[Assignment],
    researcher: Uuid,
    project: Uuid,
    day: Date,
) -> Result<(), Invalid> {
    let covered = assignments
        .iter()
        .any(|a| a.researcher_id == researcher && a.project_id == project && a.covers(day));
    if covered {
        Ok(())
    } else {
        Err(Invalid::one(
            "project",
            Message::new("research.time.not_assigned").arg("date", day),
        ))
    }
}

/// A project a researcher's hours may go to, from their assignments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedProject {
    pub id: Uuid,
    pub title: String,
    /// An assignment to it covers `today`.
    pub today: bool,
}

/// The projects a researcher is assigned to (any assignment of theirs),
/// each once: those an assignment covers `today` first, then the rest,
/// each group by title. What a form offers for their hours; the day worked
/// is still checked by `check_assigned`.
pub fn assigned_projects(assignments: &[Assignment], today: Date) -> Vec<AssignedProject> {
    let mut out: Vec<AssignedProject> = Vec::new();
    for a in assignments {
        match out.iter_mut().find(|p| p.id == a.project_id) {
            Some(p) => p.today |= a.covers(today),
            None => out.push(AssignedProject {
                id: a.project_id,
                title: a.project_title.clone(),
                today: a.covers(today),
            }),
        }
    }
    out.sort_by(|x, y| {
        y.today
            .cmp(&x.today)
            .then_with(|| x.title.cmp(&y.title))
            .then_with(|| x.id.cmp(&y.id))
    });
    out
}

/// A new assignment must not share a day with another of the same
/// researcher on the same project.
pub fn check_no_overlap(existing: &[Assignment], draft: &AssignmentDraft) -> Result<(), Invalid> {
    match existing
        .iter()
        .find(|a| a.researcher_id == draft.researcher && a.overlaps(draft.starts_on, draft.ends_on))
    {
        Some(a) => Err(Invalid::one(
            "starts_on",
            Message::new("research.assignment.overlaps").arg("date", a.starts_on),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn a(starts_on: Date, ends_on: Option<Date>) -> Assignment {
        Assignment {
            id: Uuid::nil(),
            project_id: Uuid::from_u128(1),
            project_title: "P".into(),
            researcher_id: Uuid::from_u128(2),
            researcher_name: None,
            starts_on,
            ends_on,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn hours_count_only_inside_an_assignment() {
        let list = [a(date!(2024 - 10 - 01), Some(date!(2024 - 10 - 31)))];
        let (r, p) = (Uuid::from_u128(2), Uuid::from_u128(1));
        assert!(check_assigned(&list, r, p, date!(2024 - 10 - 01)).is_ok());
        assert!(check_assigned(&list, r, p, date!(2024 - 10 - 31)).is_ok());
        let err = check_assigned(&list, r, p, date!(2024 - 11 - 01)).unwrap_err();
        assert_eq!(err.0[0].field, "project");
        assert!(check_assigned(&list, r, Uuid::from_u128(9), date!(2024 - 10 - 02)).is_err());
        assert!(check_assigned(&list, Uuid::from_u128(9), p, date!(2024 - 10 - 02)).is_err());
    }

    #[test]
    fn an_assignment_names_every_bad_field() {
        let err = AssignmentInput {
            researcher: "someone".into(),
            starts_on: String::new(),
            ends_on: "not a day".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["researcher", "starts_on", "ends_on"]);
        let err = AssignmentInput {
            researcher: Uuid::nil().to_string(),
            starts_on: "2024-10-01".into(),
            ends_on: "2024-09-30".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.0[0].field, "ends_on");
        let end = EndInput {
            ends_on: "2024-09-30".into(),
        };
        assert!(end.validate(date!(2024 - 10 - 01)).is_err());
        assert_eq!(
            end.validate(date!(2024 - 09 - 30)).unwrap(),
            date!(2024 - 09 - 30)
        );
    }

    #[test]
    fn a_form_offers_each_assigned_project_once_today_s_first() {
        let on = |project: u128, title: &str, s, e| Assignment {
            project_id: Uuid::from_u128(project),
            project_title: title.into(),
            ..a(s, e)
        };
        let list = [
            on(
                1,
                "Audit",
                date!(2024 - 01 - 01),
                Some(date!(2024 - 01 - 31)),
            ),
            on(2, "Carers", date!(2024 - 10 - 01), None),
            on(
                1,
                "Audit",
                date!(2024 - 03 - 01),
                Some(date!(2024 - 03 - 31)),
            ),
            on(3, "Buses", date!(2025 - 01 - 01), None),
        ];
        let got = assigned_projects(&list, date!(2024 - 10 - 15));
        let titles: Vec<(&str, bool)> = got.iter().map(|p| (p.title.as_str(), p.today)).collect();
        assert_eq!(
            titles,
            [("Carers", true), ("Audit", false), ("Buses", false)]
        );
        let got = assigned_projects(&list, date!(2024 - 03 - 02));
        assert_eq!((got[0].title.as_str(), got[0].today), ("Audit", true));
        assert_eq!(got.len(), 3);
        assert!(assigned_projects(&[], date!(2024 - 03 - 02)).is_empty());
    }

    #[test]
    fn overlapping_periods_are_refused() {
        let list = [a(date!(2024 - 10 - 01), Some(date!(2024 - 10 - 31)))];
        let d = |s, e| AssignmentDraft {
            researcher: Uuid::from_u128(2),
            starts_on: s,
            ends_on: e,
        };
        assert!(check_no_overlap(&list, &d(date!(2024 - 10 - 31), None)).is_err());
        assert!(check_no_overlap(&list, &d(date!(2024 - 09 - 01), None)).is_err());
        assert!(check_no_overlap(&list, &d(date!(2024 - 11 - 01), None)).is_ok());
        assert!(
            check_no_overlap(
                &list,
                &d(date!(2024 - 09 - 01), Some(date!(2024 - 09 - 30)))
            )
            .is_ok()
        );
    }
}
