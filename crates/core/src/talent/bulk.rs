//! Changing many people or placements at once (issue 15): a caseworker
//! ticks the people of a cohort on the people list and records the one
//! thing that happened to all of them (a step passed on the same day, a
//! barrier, support, a note, their work outcome) or gives them a
//! caseworker; or ticks placements and moves them on together. Each
//! change is the one the person's own page records, so the rules, the
//! audit entries and the funnel stage are the same.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::casework::PlacementStatus;
use super::placement::MoveInput;
use super::record::RecordInput;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The most people or placements one bulk change may name: a few pages of
/// the list, so one transaction stays short and a mistake stays small.
pub const MAX_CHOSEN: usize = 500;

/// What a bulk change does to every person chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// They all get one caseworker (or none).
    Caseworker,
    /// They all passed one step of their pathway on the same day.
    Step,
    /// One barrier raised for them all.
    Barrier,
    /// One kind of support given to them all.
    Support,
    /// One case note on each.
    Note,
    /// Their work outcome: found work, or closed without it.
    Work,
}

impl BulkAction {
    pub const ALL: [BulkAction; 6] = [
        BulkAction::Step,
        BulkAction::Barrier,
        BulkAction::Support,
        BulkAction::Note,
        BulkAction::Work,
        BulkAction::Caseworker,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            BulkAction::Caseworker => "caseworker",
            BulkAction::Step => "step",
            BulkAction::Barrier => "barrier",
            BulkAction::Support => "support",
            BulkAction::Note => "note",
            BulkAction::Work => "work",
        }
    }

    pub fn parse(s: &str) -> Option<BulkAction> {
        Self::ALL.into_iter().find(|a| a.slug() == s.trim())
    }

    /// The choice as the list offers it.
    pub fn label_key(self) -> &'static str {
        match self {
            BulkAction::Caseworker => "talent.bulk.action.caseworker",
            BulkAction::Step => "talent.bulk.action.step",
            BulkAction::Barrier => "talent.bulk.action.barrier",
            BulkAction::Support => "talent.bulk.action.support",
            BulkAction::Note => "talent.bulk.action.note",
            BulkAction::Work => "talent.bulk.action.work",
        }
    }

    /// What was done, said with the number of people as `count`.
    pub fn done_key(self) -> &'static str {
        match self {
            BulkAction::Caseworker => "talent.bulk.done.caseworker",
            BulkAction::Step => "talent.bulk.done.step",
            BulkAction::Barrier => "talent.bulk.done.barrier",
            BulkAction::Support => "talent.bulk.done.support",
            BulkAction::Note => "talent.bulk.done.note",
            BulkAction::Work => "talent.bulk.done.work",
        }
    }

    /// Whether only someone who reaches every caseload may do it (a
    /// caseworker cannot hand their people to someone else).
    pub fn needs_every_caseload(self) -> bool {
        self == BulkAction::Caseworker
    }
}

/// A bulk change to people as a form, the API or the command line sends it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BulkPeopleInput {
    /// The people's ids, as the people list gives them.
    pub people: Vec<String>,
    /// `step`, `barrier`, `support`, `note`, `work` or `caseworker`.
    pub action: String,
    /// For `caseworker`: the caseworker's id or e-mail; blank for none.
    pub caseworker: String,
    /// For the other actions: the fields the person page's record of the
    /// same kind takes (its `action` is set from the one above).
    pub record: RecordInput,
}

/// A checked bulk change: the action, each person once in the order first
/// named, and the record's fields (checked per person, against their
/// profession, by the use case).
#[derive(Clone, Debug)]
pub struct BulkPeople {
    pub action: BulkAction,
    pub people: Vec<Uuid>,
    pub caseworker: String,
    pub record: RecordInput,
}

/// Each id once, in the order first named; blanks skipped. An id that is
/// not one is counted as unknown, as one of another programme would be.
fn ids(errors: &mut Errors, field: &str, raw: &[String]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = Vec::new();
    let mut bad = 0usize;
    for r in raw {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match Uuid::parse_str(r) {
            Ok(id) if !out.contains(&id) => out.push(id),
            Ok(_) => {}
            Err(_) => bad += 1,
        }
    }
    if bad > 0 {
        errors.add(field, Message::new("talent.bulk.unknown").arg("count", bad));
    } else if out.is_empty() {
        let key = if field == "people" {
            "talent.bulk.choose_people"
        } else {
            "talent.bulk.choose_placements"
        };
        errors.add(field, Message::new(key));
    } else if out.len() > MAX_CHOSEN {
        errors.add(
            field,
            Message::new("talent.bulk.too_many").arg("max", MAX_CHOSEN),
        );
    }
    out
}

impl BulkPeopleInput {
    /// Names every bad field: no action or an unknown one, nobody chosen,
    /// an id that is not one, or more than [`MAX_CHOSEN`] people.
    pub fn validate(&self) -> Result<BulkPeople, Invalid> {
        let mut errors = Errors::new();
        let action = BulkAction::parse(&self.action);
        if action.is_none() {
            errors.add("action", Message::new("talent.bulk.choose_action"));
        }
        let people = ids(&mut errors, "people", &self.people);
        errors.finish(|| {
            let action = action.expect("checked");
            let mut record = self.record.clone();
            record.action = action.slug().to_string();
            BulkPeople {
                action,
                people,
                caseworker: self.caseworker.trim().to_string(),
                record,
            }
        })
    }
}

/// Many placements moved on to one status on one day.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BulkMoveInput {
    /// The placements' ids (1 to 500; one the programme does not have is
    /// counted as unknown).
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = chosen_ids))]
    pub placements: Vec<String>,
    /// applied, interviewed, offered, started, left or withdrawn (whether
    /// each placement may move there from where it stands is decided per
    /// placement).
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

/// 1 to [`MAX_CHOSEN`] record ids.
#[cfg(feature = "openapi")]
fn chosen_ids() -> utoipa::openapi::schema::Array {
    crate::openapi::ids(1, MAX_CHOSEN)
}

/// A checked bulk move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkMove {
    pub placements: Vec<Uuid>,
    pub status: PlacementStatus,
    pub on: Date,
}

impl BulkMoveInput {
    /// Names every bad field; whether each placement may move there is
    /// decided against its current status by the use case.
    pub fn validate(&self, today: Date) -> Result<BulkMove, Invalid> {
        let mut errors = Errors::new();
        let placements = ids(&mut errors, "placements", &self.placements);
        let one = MoveInput {
            status: self.status.clone(),
            on: self.on.clone(),
        }
        .validate(today);
        let moved = match one {
            Ok(m) => Some(m),
            Err(Invalid(es)) => {
                for e in es {
                    errors.add(&e.field, e.message);
                }
                None
            }
        };
        errors.finish(|| {
            let (status, on) = moved.expect("checked");
            BulkMove {
                placements,
                status,
                on,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn each_person_is_changed_once_in_the_order_named() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let input = BulkPeopleInput {
            people: vec![b.to_string(), format!(" {a} "), b.to_string(), "".into()],
            action: "barrier".into(),
            ..Default::default()
        };
        let ok = input.validate().unwrap();
        assert_eq!(ok.people, vec![b, a]);
        assert_eq!(ok.action, BulkAction::Barrier);
        assert_eq!(ok.record.action, "barrier");
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = BulkPeopleInput {
            action: "dragons".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(fields(e), ["action", "people"]);
        let e = BulkPeopleInput {
            action: "note".into(),
            people: vec![Uuid::now_v7().to_string(), "not-an-id".into()],
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.0[0].field, "people");
        assert_eq!(e.0[0].message.key, "talent.bulk.unknown");
        let many = (0..=MAX_CHOSEN)
            .map(|_| Uuid::now_v7().to_string())
            .collect();
        let e = BulkPeopleInput {
            action: "note".into(),
            people: many,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.0[0].message.key, "talent.bulk.too_many");
    }

    #[test]
    fn a_bulk_move_takes_the_single_moves_rules() {
        let today = date!(2026 - 12 - 01);
        let id = Uuid::now_v7();
        let ok = BulkMoveInput {
            placements: vec![id.to_string()],
            status: "interviewed".into(),
            on: "".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!(ok.status, PlacementStatus::Interviewed);
        assert_eq!(ok.on, today);
        let e = BulkMoveInput {
            placements: vec![],
            status: "sideways".into(),
            on: "yesterday".into(),
        }
        .validate(today)
        .unwrap_err();
        assert_eq!(fields(e), ["placements", "status", "on"]);
    }
}
