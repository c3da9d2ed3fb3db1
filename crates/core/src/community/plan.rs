//! A community's CED plan: aspirations, priorities, a status (drafting,
//! adopted on a date, in delivery) and actions, each with an owner, a
//! partner organisation, a due date, a status and the enterprises it
//! involves. The plan's progress is computed from its actions.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::choice;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

choice!(
    /// Where a plan is: being written, adopted by the community on a
    /// date, or being delivered.
    PlanStatus, "community.plan_status", [
        Drafting = "drafting",
        Adopted = "adopted",
        InDelivery = "in_delivery",
    ]
);

choice!(
    /// Where an action is. A dropped action leaves the plan's progress.
    ActionStatus, "community.action_status", [
        NotStarted = "not_started",
        InProgress = "in_progress",
        Done = "done",
        Dropped = "dropped",
    ]
);

/// Most lines an aspiration or priority list may have, and their length.
pub const MAX_LINES: usize = 50;
pub const MAX_LINE_CHARS: usize = 500;

/// A plan as typed: aspirations and priorities one a line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PlanInput {
    /// What the community wants to become, one a line.
    pub aspirations: String,
    /// What it will work on first, one a line.
    pub priorities: String,
    /// `drafting`, `adopted` or `in_delivery`.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = plan_statuses))]
    pub status: String,
    /// The day the community adopted it (`2026-03-14` or `14/03/2026`);
    /// required once adopted, blank while drafting.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::day_or_blank)
    )]
    pub adopted_on: String,
}

#[cfg(feature = "openapi")]
fn plan_statuses() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(PlanStatus::ALL.iter().map(|s| s.slug()), false)
}

#[cfg(feature = "openapi")]
fn action_statuses_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(ActionStatus::ALL.iter().map(|s| s.slug()), true)
}

#[cfg(feature = "openapi")]
fn enterprise_ids() -> utoipa::openapi::schema::Array {
    crate::openapi::ids(0, MAX_ENTERPRISES)
}

/// A plan checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub aspirations: Vec<String>,
    pub priorities: Vec<String>,
    pub status: PlanStatus,
    #[serde(with = "crate::iso_date::option")]
    pub adopted_on: Option<Date>,
}

fn lines(e: &mut Errors, field: &str, text: &str) -> Vec<String> {
    let v: Vec<String> = text
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '•', '*'])
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if v.len() > MAX_LINES {
        e.add(
            field,
            Message::new("community.too_many_lines").arg("max", MAX_LINES),
        );
    } else if v.iter().any(|l| l.chars().count() > MAX_LINE_CHARS) {
        e.add(
            field,
            Message::new("community.line_too_long").arg("max", MAX_LINE_CHARS),
        );
    }
    v
}

impl PlanInput {
    pub fn validate(&self) -> Result<Plan, Invalid> {
        let mut e = Errors::new();
        let aspirations = lines(&mut e, "aspirations", &self.aspirations);
        let priorities = lines(&mut e, "priorities", &self.priorities);
        let status = PlanStatus::parse(&self.status);
        if status.is_none() {
            e.add("status", Message::new("community.plan_status_required"));
        }
        let adopted_on = e.optional_date("adopted_on", &self.adopted_on);
        match status {
            Some(PlanStatus::Drafting) if !self.adopted_on.trim().is_empty() => {
                e.add("adopted_on", Message::new("community.adopted_on_drafting"));
            }
            Some(PlanStatus::Adopted | PlanStatus::InDelivery) => {
                if self.adopted_on.trim().is_empty() {
                    e.add("adopted_on", Message::new("community.adopted_on_required"));
                }
                if aspirations.is_empty() {
                    e.add(
                        "aspirations",
                        Message::new("community.aspirations_required"),
                    );
                }
                if priorities.is_empty() {
                    e.add("priorities", Message::new("community.priorities_required"));
                }
            }
            _ => {}
        }
        e.finish(|| Plan {
            aspirations,
            priorities,
            status: status.unwrap_or(PlanStatus::Drafting),
            adopted_on,
        })
    }
}

impl Plan {
    pub fn to_input(&self) -> PlanInput {
        PlanInput {
            aspirations: self.aspirations.join("\n"),
            priorities: self.priorities.join("\n"),
            status: self.status.slug().into(),
            adopted_on: self
                .adopted_on
                .map(crate::clock::iso_date)
                .unwrap_or_default(),
        }
    }
}

/// An action as typed. `partner` and `enterprises` are ids of
/// organisations in the programme's register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 300)
    )]
    pub title: String,
    /// Who in the community answers for it.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub owner: String,
    /// The partner organisation's id (blank: none).
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::uuid_or_blank)
    )]
    pub partner: String,
    /// `2026-09-30` or `30/09/2026`; blank when no date was set.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::day_or_blank)
    )]
    pub due_on: String,
    /// `not_started`, `in_progress`, `done` or `dropped` (blank: not started).
    #[cfg_attr(feature = "openapi", schema(schema_with = action_statuses_or_blank))]
    pub status: String,
    /// Enterprises (organisations) the action involves, by id (at most 30).
    #[cfg_attr(feature = "openapi", schema(schema_with = enterprise_ids))]
    pub enterprises: Vec<String>,
}

/// An action checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub title: String,
    pub owner: String,
    pub partner: Option<Uuid>,
    #[serde(with = "crate::iso_date::option")]
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    /// Sorted, each once.
    pub enterprises: Vec<Uuid>,
}

/// Most enterprises one action may name.
pub const MAX_ENTERPRISES: usize = 30;

impl ActionInput {
    pub fn validate(&self) -> Result<ActionDraft, Invalid> {
        let mut e = Errors::new();
        let title = if self.title.trim().is_empty() {
            e.add("title", Message::new("community.action_title_required"));
            String::new()
        } else {
            e.required("title", &self.title, 300)
        };
        let owner = if self.owner.trim().is_empty() {
            e.add("owner", Message::new("community.action_owner_required"));
            String::new()
        } else {
            e.required("owner", &self.owner, 200)
        };
        let partner = match self.partner.trim() {
            "" => None,
            p => match Uuid::parse_str(p) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("partner", Message::new("community.organisation_unknown"));
                    None
                }
            },
        };
        let due_on = e.optional_date("due_on", &self.due_on);
        let status = match self.status.trim() {
            "" => Some(ActionStatus::NotStarted),
            s => ActionStatus::parse(s),
        };
        if status.is_none() {
            e.add(
                "status",
                Message::new("community.action_status_bad").arg("value", self.status.trim()),
            );
        }
        let mut enterprises = Vec::new();
        for (i, raw) in self.enterprises.iter().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            match Uuid::parse_str(raw.trim()) {
                Ok(id) => enterprises.push(id),
                Err(_) => e.add(
                    &format!("enterprises/{i}"),
                    Message::new("community.organisation_unknown"),
                ),
            }
        }
        enterprises.sort();
        enterprises.dedup();
        if enterprises.len() > MAX_ENTERPRISES {
            e.add(
                "enterprises",
                Message::new("community.too_many_enterprises").arg("max", MAX_ENTERPRISES),
            );
        }
        e.finish(|| ActionDraft {
            title,
            owner,
            partner,
            due_on,
            status: status.unwrap_or(ActionStatus::NotStarted),
            enterprises,
        })
    }

    /// Reads a page's form, where the enterprises are repeated checkboxes.
    pub fn from_form(pairs: &[(String, String)]) -> ActionInput {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        ActionInput {
            title: get("title"),
            owner: get("owner"),
            partner: get("partner"),
            due_on: get("due_on"),
            status: get("status"),
            enterprises: pairs
                .iter()
                .filter(|(n, _)| n == "enterprises")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }
}

impl ActionDraft {
    pub fn to_input(&self) -> ActionInput {
        ActionInput {
            title: self.title.clone(),
            owner: self.owner.clone(),
            partner: self.partner.map(|p| p.to_string()).unwrap_or_default(),
            due_on: self.due_on.map(crate::clock::iso_date).unwrap_or_default(),
            status: self.status.slug().into(),
            enterprises: self.enterprises.iter().map(Uuid::to_string).collect(),
        }
    }
}

/// An organisation of the register an action names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

/// An action as stored, with its organisations' names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Action {
    pub id: Uuid,
    pub draft: ActionDraft,
    pub partner: Option<Named>,
    pub enterprises: Vec<Named>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// How far a plan has got: done ÷ (all − dropped). Not known when no
/// action counts (none yet, or every one dropped), never 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub actions: u32,
    pub done: u32,
    pub dropped: u32,
}

impl Progress {
    pub fn of(statuses: impl IntoIterator<Item = ActionStatus>) -> Progress {
        let mut p = Progress::default();
        for s in statuses {
            p.actions += 1;
            match s {
                ActionStatus::Done => p.done += 1,
                ActionStatus::Dropped => p.dropped += 1,
                ActionStatus::NotStarted | ActionStatus::InProgress => {}
            }
        }
        p
    }

    /// The actions that count: all but the dropped.
    pub fn counted(&self) -> u32 {
        self.actions - self.dropped
    }

    /// Done as a share of the actions that count, 0.0–1.0; `None` when
    /// none count.
    pub fn share(&self) -> Option<f64> {
        (self.counted() > 0).then(|| f64::from(self.done) / f64::from(self.counted()))
    }

    /// The share as a whole percentage, by the one rounding rule
    /// (`figures`); 100% only when every action that counts is done (one
    /// left of 200 or more would round to 100, and reads 99).
    pub fn percent(&self) -> Option<u32> {
        let (done, counted) = (i64::from(self.done), i64::from(self.counted()));
        crate::figures::whole_percent(done, counted)
            .map(|p| if done < counted { p.min(99) } else { p } as u32)
    }

    /// In words: "2 of 5 actions done (40%)", or why it is not known.
    pub fn text(&self) -> String {
        match self.percent() {
            Some(p) => Message::new(format!(
                "{}.{}",
                "community.progress.known",
                crate::i18n::plural_form(u64::from(self.counted()))
            ))
            .arg("done", u64::from(self.done))
            .arg("counted", u64::from(self.counted()))
            .arg("percent", u64::from(p))
            .text(),
            None if self.actions == 0 => Message::new("community.progress.no_actions").text(),
            None => Message::new("community.progress.all_dropped").text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionStatus::*;

    #[test]
    fn progress_is_done_over_all_but_the_dropped_and_not_known_without_actions() {
        let none = Progress::of([]);
        assert_eq!((none.share(), none.percent()), (None, None));
        assert!(none.text().starts_with("Not known"), "{}", none.text());

        let p = Progress::of([Done, InProgress, NotStarted, Dropped, Done]);
        assert_eq!((p.actions, p.done, p.dropped, p.counted()), (5, 2, 1, 4));
        assert_eq!(p.share(), Some(0.5));
        assert_eq!(p.percent(), Some(50));
        assert_eq!(p.text(), "2 of 4 actions done (50%)");

        // Dropping an action that was not done moves progress up; finishing
        // one moves it up; every action dropped is not known, not 0.
        let p = Progress::of([Done, InProgress, Dropped, Dropped, Done]);
        // Two of three is 67%, by the rule every figure follows (it read 66%).
        assert_eq!(p.percent(), Some(67));
        assert_eq!(Progress::of([Done, Done, Done]).percent(), Some(100));
        assert_eq!(Progress::of([NotStarted]).percent(), Some(0));
        let dropped = Progress::of([Dropped, Dropped]);
        assert_eq!(dropped.percent(), None);
        assert!(dropped.text().starts_with("Not known"));
    }

    #[test]
    fn an_adopted_plan_needs_its_date_aspirations_and_priorities() {
        let err = PlanInput {
            status: "adopted".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["adopted_on", "aspirations", "priorities"]);

        let err = PlanInput {
            status: "drafting".into(),
            adopted_on: "2026-01-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.0[0].field, "adopted_on");

        let plan = PlanInput {
            aspirations: "- A community hub\n\n• Local jobs \n".into(),
            priorities: "A co-operative café".into(),
            status: " in_delivery ".into(),
            adopted_on: "14/03/2026".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(plan.aspirations, ["A community hub", "Local jobs"]);
        assert_eq!(plan.status, PlanStatus::InDelivery);
        assert_eq!(plan.to_input().validate().unwrap(), plan);
        assert_eq!(
            PlanInput::default().validate().unwrap_err().0[0].field,
            "status"
        );
    }

    #[test]
    fn an_action_names_every_bad_field_and_reads_its_form() {
        let err = ActionInput {
            partner: "acme".into(),
            due_on: "31/02/2026".into(),
            status: "finished".into(),
            enterprises: vec!["".into(), "nope".into()],
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "owner",
                "partner",
                "due_on",
                "status",
                "enterprises/1"
            ]
        );
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let pairs: Vec<(String, String)> = [
            ("title", "Open the hub café"),
            ("owner", "Hodge Hill residents' group"),
            ("enterprises", &b.to_string()),
            ("enterprises", &a.to_string()),
            ("enterprises", &b.to_string()),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let d = ActionInput::from_form(&pairs).validate().unwrap();
        assert_eq!(d.status, ActionStatus::NotStarted);
        assert_eq!(d.enterprises, vec![a, b]);
        assert_eq!(d.to_input().validate().unwrap(), d);
    }
}
