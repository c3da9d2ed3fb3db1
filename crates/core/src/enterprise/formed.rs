//! Consortia actually formed: enterprises of the register who agreed to bid
//! together, their lead, the lot they bid for and their bids, each a dated
//! outcome. The builder's proposals stay proposals; a consortium is recorded
//! only when people say it formed. A won bid is followed into the spend:
//! money the lot's anchor paid the lead or a member on or after the day of
//! the award, computed from the resolved spend lines, never typed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::anchors::measures::{LedgerLine, Supplier};
use crate::i18n::Message;
use crate::money::Pence;
use crate::validation::{Errors, Invalid};

/// What became of a bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BidOutcome {
    Submitted,
    Won,
    Lost,
    Withdrawn,
}

impl BidOutcome {
    pub const ALL: [BidOutcome; 4] = [Self::Submitted, Self::Won, Self::Lost, Self::Withdrawn];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Won => "won",
            Self::Lost => "lost",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.slug() == s.trim())
    }

    /// The catalogue key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Submitted => "enterprise.bid.submitted",
            Self::Won => "enterprise.bid.won",
            Self::Lost => "enterprise.bid.lost",
            Self::Withdrawn => "enterprise.bid.withdrawn",
        }
    }
}

/// A bid's outcome on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bid {
    pub id: Uuid,
    #[serde(with = "crate::iso_date")]
    pub on: Date,
    pub outcome: BidOutcome,
    pub note: String,
}

/// A consortium as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consortium {
    pub id: Uuid,
    #[serde(flatten)]
    pub draft: ConsortiumDraft,
    /// Oldest first.
    pub bids: Vec<Bid>,
}

impl Consortium {
    /// The day it won, if a bid of it was won (the latest such).
    pub fn won_on(&self) -> Option<Date> {
        self.bids
            .iter()
            .filter(|b| b.outcome == BidOutcome::Won)
            .map(|b| b.on)
            .max()
    }

    /// Its latest outcome.
    pub fn outcome(&self) -> Option<BidOutcome> {
        self.bids.iter().max_by_key(|b| b.on).map(|b| b.outcome)
    }
}

/// A consortium's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumDraft {
    pub name: String,
    pub lead: Uuid,
    /// Every member, the lead among them, each once.
    pub members: Vec<Uuid>,
    pub lot: Option<Uuid>,
    #[serde(with = "crate::iso_date")]
    pub formed_on: Date,
}

/// A consortium as a person enters it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsortiumInput {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub name: String,
    /// The lead's organisation id (one of the members; counted as one when
    /// not listed among them). An organisation the register does not have
    /// is a 404.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Uuid))]
    pub lead: String,
    /// Members' organisation ids, one to twenty, separated by commas (or
    /// spaces, semicolons or lines): with the lead, at least two
    /// organisations.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}){0,19}$"
        )
    )]
    pub members: String,
    /// The lot they bid for (its id), if any.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::uuid_or_blank)
    )]
    pub lot: String,
    /// The day it formed, not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub formed_on: String,
}

fn uuid_of(e: &mut Errors, field: &str, s: &str) -> Option<Uuid> {
    match Uuid::parse_str(s.trim()) {
        Ok(u) => Some(u),
        Err(_) => {
            e.add(
                field,
                Message::new("enterprise.consortium.not_an_id").arg("value", s.trim()),
            );
            None
        }
    }
}

impl ConsortiumInput {
    /// Checks every field; `today` bounds the day it formed.
    pub fn validate(&self, today: Date) -> Result<ConsortiumDraft, Invalid> {
        let mut e = Errors::new();
        let name = e.required("name", &self.name, 200);
        let mut members: Vec<Uuid> = Vec::new();
        for m in self
            .members
            .split([',', ' ', '\n', '\r', ';'])
            .filter(|m| !m.trim().is_empty())
        {
            if let Some(u) = uuid_of(&mut e, "members", m)
                && !members.contains(&u)
            {
                members.push(u);
            }
        }
        let lead = match self.lead.trim() {
            "" => {
                e.add("lead", Message::new("enterprise.consortium.no_lead"));
                None
            }
            l => uuid_of(&mut e, "lead", l),
        };
        if let Some(l) = lead
            && !members.contains(&l)
        {
            members.insert(0, l);
        }
        if members.len() < 2 {
            e.add("members", Message::new("enterprise.consortium.two_members"));
        }
        let lot = match self.lot.trim() {
            "" => None,
            l => uuid_of(&mut e, "lot", l),
        };
        let formed_on = e.required_date("formed_on", &self.formed_on);
        if let Some(d) = formed_on
            && d > today
        {
            e.add("formed_on", Message::new("enterprise.consortium.future"));
        }
        e.finish(|| ConsortiumDraft {
            name,
            lead: lead.unwrap_or_default(),
            members,
            lot,
            formed_on: formed_on.unwrap_or(today),
        })
    }
}

/// A bid's outcome as a person enters it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidInput {
    /// The day of the outcome (for `won`: the award): not in the future,
    /// nor before the consortium formed.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, schema_with = crate::openapi::past_day)
    )]
    pub on: String,
    /// `submitted`, `won`, `lost` or `withdrawn`.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = bid_outcomes))]
    pub outcome: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub note: String,
}

#[cfg(feature = "openapi")]
fn bid_outcomes() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(BidOutcome::ALL.iter().map(|o| o.slug()), false)
}

/// A bid's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BidDraft {
    pub on: Date,
    pub outcome: BidOutcome,
    pub note: String,
}

impl BidInput {
    pub fn validate(&self, today: Date, formed_on: Date) -> Result<BidDraft, Invalid> {
        let mut e = Errors::new();
        let on = e.required_date("on", &self.on);
        if let Some(d) = on {
            if d > today {
                e.add("on", Message::new("enterprise.consortium.future"));
            } else if d < formed_on {
                e.add(
                    "on",
                    Message::new("enterprise.bid.before_formed")
                        .arg("date", crate::clock::display_date(formed_on)),
                );
            }
        }
        let outcome = BidOutcome::parse(&self.outcome);
        if outcome.is_none() {
            e.add("outcome", Message::new("enterprise.bid.outcome"));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > 1000 {
            e.add("note", Message::new("validation.too_long").arg("max", 1000));
        }
        e.finish(|| BidDraft {
            on: on.unwrap_or(today),
            outcome: outcome.unwrap_or(BidOutcome::Submitted),
            note,
        })
    }
}

/// Money after a win: what the anchor paid the consortium's lead or
/// members on or after the award, from the ledger. `keys` are the supplier
/// keys the spend context resolved to the members' organisations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WonSpend {
    pub amount: Pence,
    pub lines: u64,
}

pub fn spend_after(
    lines: &[LedgerLine],
    suppliers: &[Supplier],
    anchor: &str,
    keys: &HashSet<&str>,
    from: Date,
) -> WonSpend {
    let mut w = WonSpend::default();
    for l in lines {
        if &*l.anchor == anchor
            && l.paid_on >= from
            && keys.contains(suppliers[l.supplier].key.as_str())
        {
            w.amount += l.amount;
            w.lines += 1;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::measures::SupplierKind;
    use std::sync::Arc;
    use time::macros::date;

    #[test]
    fn a_consortium_needs_two_members_and_a_lead_among_them() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let today = date!(2026 - 12 - 07);
        let d = ConsortiumInput {
            name: "Sandwell Soft FM Partnership".into(),
            lead: a.to_string(),
            members: format!("{b}, {b}"),
            lot: String::new(),
            formed_on: "2026-10-01".into(),
        }
        .validate(today)
        .unwrap();
        assert_eq!(d.members, [a, b]);
        let bad = ConsortiumInput {
            lead: "nobody".into(),
            formed_on: "2027-01-01".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "lead", "members", "formed_on"]);
    }

    #[test]
    fn a_bid_is_dated_between_forming_and_today_with_a_known_outcome() {
        let today = date!(2026 - 12 - 07);
        let ok = BidInput {
            on: "2026-11-02".into(),
            outcome: "won".into(),
            note: String::new(),
        }
        .validate(today, date!(2026 - 10 - 01))
        .unwrap();
        assert_eq!(ok.outcome, BidOutcome::Won);
        let bad = BidInput {
            on: "2026-09-02".into(),
            outcome: "maybe".into(),
            note: String::new(),
        }
        .validate(today, date!(2026 - 10 - 01))
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["on", "outcome"]);
    }

    #[test]
    fn money_after_a_win_counts_the_anchor_s_lines_to_members_from_the_award() {
        let s = |key: &str| Supplier {
            key: key.into(),
            name: key.into(),
            kind: SupplierKind::SocialEnterprise,
            registered: None,
            trading: None,
            organisation: None,
        };
        let suppliers = vec![s("lead"), s("member"), s("other")];
        let l = |anchor: &str, on: Date, amount: Pence, supplier: usize| LedgerLine {
            id: 0,
            anchor: Arc::from(anchor),
            paid_on: on,
            amount,
            expense_type: Arc::from("Cleaning"),
            supplier,
        };
        let lines = vec![
            l("swbh", date!(2026 - 10 - 31), 500, 0),
            l("swbh", date!(2026 - 11 - 02), 1_000, 0),
            l("swbh", date!(2026 - 11 - 30), 2_000, 1),
            l("swbh", date!(2026 - 11 - 30), 4_000, 2),
            l("council", date!(2026 - 11 - 30), 8_000, 0),
        ];
        let keys: HashSet<&str> = ["lead", "member"].into_iter().collect();
        let w = spend_after(&lines, &suppliers, "swbh", &keys, date!(2026 - 11 - 02));
        assert_eq!(
            w,
            WonSpend {
                amount: 3_000,
                lines: 2
            }
        );
    }
}
