//! The support log: what advisers did with an enterprise, and the
//! definition of "supported" every count of supported enterprises uses.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The kinds of support advisers give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    BusinessPlanning,
    Finance,
    BidWriting,
    Governance,
    Marketing,
    ConsortiumBuilding,
    Mentoring,
    Other,
}

impl SupportKind {
    pub const ALL: [SupportKind; 8] = [
        Self::BusinessPlanning,
        Self::Finance,
        Self::BidWriting,
        Self::Governance,
        Self::Marketing,
        Self::ConsortiumBuilding,
        Self::Mentoring,
        Self::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::BusinessPlanning => "business_planning",
            Self::Finance => "finance",
            Self::BidWriting => "bid_writing",
            Self::Governance => "governance",
            Self::Marketing => "marketing",
            Self::ConsortiumBuilding => "consortium_building",
            Self::Mentoring => "mentoring",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<SupportKind> {
        Self::ALL.into_iter().find(|k| k.slug() == s.trim())
    }

    /// The catalogue key of its name, written out for the catalogue test.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::BusinessPlanning => "enterprise.support.kind.business_planning",
            Self::Finance => "enterprise.support.kind.finance",
            Self::BidWriting => "enterprise.support.kind.bid_writing",
            Self::Governance => "enterprise.support.kind.governance",
            Self::Marketing => "enterprise.support.kind.marketing",
            Self::ConsortiumBuilding => "enterprise.support.kind.consortium_building",
            Self::Mentoring => "enterprise.support.kind.mentoring",
            Self::Other => "enterprise.support.kind.other",
        }
    }
}

/// Where the enterprise's business plan stands after the support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStage {
    None,
    Drafting,
    Agreed,
    Reviewed,
}

impl PlanStage {
    pub const ALL: [PlanStage; 4] = [Self::None, Self::Drafting, Self::Agreed, Self::Reviewed];

    pub fn slug(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Drafting => "drafting",
            Self::Agreed => "agreed",
            Self::Reviewed => "reviewed",
        }
    }

    pub fn parse(s: &str) -> Option<PlanStage> {
        Self::ALL.into_iter().find(|k| k.slug() == s.trim())
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::None => "enterprise.support.stage.none",
            Self::Drafting => "enterprise.support.stage.drafting",
            Self::Agreed => "enterprise.support.stage.agreed",
            Self::Reviewed => "enterprise.support.stage.reviewed",
        }
    }
}

/// One support record, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportDraft {
    #[serde(with = "crate::iso_date")]
    pub given_on: Date,
    pub kind: SupportKind,
    /// Hours in tenths (15: an hour and a half).
    pub tenths_of_hours: u32,
    pub outcome: String,
    pub plan_stage: PlanStage,
}

/// A support record as kept, with who recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    pub id: Uuid,
    pub organisation: Uuid,
    pub adviser: String,
    #[serde(flatten)]
    pub draft: SupportDraft,
}

/// A support record as a person types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportInput {
    /// The day (2027-03-01 or 01/03/2027), not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub given_on: String,
    /// business_planning, finance, bid_writing, governance, marketing,
    /// consortium_building, mentoring or other.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = kinds))]
    pub kind: String,
    /// Hours, to a tenth (`1.5`): more than 0, at most 100.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^([1-9][0-9]?(\\.[0-9])?|0\\.[1-9]|100(\\.0)?)$"
        )
    )]
    pub hours: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub outcome: String,
    /// none, drafting, agreed or reviewed (blank: none).
    #[cfg_attr(feature = "openapi", schema(schema_with = plan_stages))]
    pub plan_stage: String,
}

#[cfg(feature = "openapi")]
fn kinds() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(SupportKind::ALL.iter().map(|k| k.slug()), false)
}

#[cfg(feature = "openapi")]
fn plan_stages() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(PlanStage::ALL.iter().map(|k| k.slug()), true)
}

impl SupportInput {
    pub fn validate(&self, today: Date) -> Result<SupportDraft, Invalid> {
        let mut e = Errors::new();
        let given_on = e.required_date("given_on", &self.given_on);
        if given_on.is_some_and(|d| d > today) {
            e.add("given_on", Message::new("enterprise.validation.future"));
        }
        let kind = SupportKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", Message::new("enterprise.validation.support_kind"));
        }
        let tenths = parse_tenths(&self.hours);
        match tenths {
            Some(t) if t > 0 && t <= 1000 => {}
            _ => e.add(
                "hours",
                Message::new("enterprise.validation.hours").arg("value", self.hours.trim()),
            ),
        }
        let outcome = e
            .optional("outcome", &self.outcome, 2000)
            .unwrap_or_default();
        let plan_stage = match self.plan_stage.trim() {
            "" => Some(PlanStage::None),
            s => PlanStage::parse(s),
        };
        if plan_stage.is_none() {
            e.add(
                "plan_stage",
                Message::new("enterprise.validation.plan_stage"),
            );
        }
        e.finish(|| SupportDraft {
            given_on: given_on.unwrap_or(Date::MIN),
            kind: kind.unwrap_or(SupportKind::Other),
            tenths_of_hours: tenths.unwrap_or(0),
            outcome,
            plan_stage: plan_stage.unwrap_or(PlanStage::None),
        })
    }
}

/// `1.5` → 15; more than one decimal place, or not a number: None.
fn parse_tenths(s: &str) -> Option<u32> {
    let s = crate::i18n::typed_number(s);
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || frac.len() > 1 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let w: u32 = whole.parse().ok()?;
    let f: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    w.checked_mul(10)?.checked_add(f)
}

/// `15` → `1.5` (`1,5` in French), for people to read.
pub fn hours_text(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!(
            "{}{}{}",
            tenths / 10,
            crate::i18n::decimal_mark(),
            tenths % 10
        )
    }
}

/// "Supported" in a period: at least one support record given on a day
/// from `from` to `to` inclusive. The one definition every count uses.
pub fn supported_in(records: &[Support], organisation: Uuid, from: Date, to: Date) -> bool {
    records.iter().any(|s| {
        s.organisation == organisation && s.draft.given_on >= from && s.draft.given_on <= to
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn support_reads_hours_to_a_tenth_and_names_bad_fields() {
        let today = date!(2027 - 01 - 10);
        let d = SupportInput {
            given_on: "09/01/2027".into(),
            kind: "bid_writing".into(),
            hours: "1.5".into(),
            outcome: "Bid for the laundry lot drafted".into(),
            plan_stage: "drafting".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!(d.tenths_of_hours, 15);
        assert_eq!(hours_text(15), "1.5");
        assert_eq!(hours_text(20), "2");
        let err = SupportInput {
            given_on: "11/01/2027".into(),
            kind: "magic".into(),
            hours: "1.25".into(),
            plan_stage: "done".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["given_on", "kind", "hours", "plan_stage"]);
    }

    #[test]
    fn supported_means_a_record_in_the_period() {
        let org = Uuid::now_v7();
        let rec = |d: Date| Support {
            id: Uuid::now_v7(),
            organisation: org,
            adviser: "a".into(),
            draft: SupportDraft {
                given_on: d,
                kind: SupportKind::Finance,
                tenths_of_hours: 10,
                outcome: String::new(),
                plan_stage: PlanStage::None,
            },
        };
        let recs = [rec(date!(2026 - 03 - 31))];
        assert!(supported_in(
            &recs,
            org,
            date!(2025 - 04 - 01),
            date!(2026 - 03 - 31)
        ));
        assert!(!supported_in(
            &recs,
            org,
            date!(2026 - 04 - 01),
            date!(2027 - 03 - 31)
        ));
        assert!(!supported_in(
            &recs,
            Uuid::nil(),
            date!(2025 - 04 - 01),
            date!(2026 - 03 - 31)
        ));
    }
}
