//! Deciding many suppliers of the review queue at once (issue 15): a
//! person ticks the rows they have checked and gives them one decision,
//! instead of opening each supplier in turn. The decision is the same one
//! the supplier's own page records, so every future import remembers it.

use serde::Deserialize;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The most suppliers one bulk decision may name: a few pages of the
/// queue, so one transaction stays short and a mistake stays small.
pub const MAX_SUPPLIERS: usize = 500;

/// One decision for every supplier chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkDecision {
    /// Each supplier is the organisation its best candidate names.
    AcceptBest,
    /// None of each supplier's candidates is it.
    NoMatch,
}

impl BulkDecision {
    pub const ALL: [BulkDecision; 2] = [BulkDecision::AcceptBest, BulkDecision::NoMatch];

    pub fn slug(self) -> &'static str {
        match self {
            BulkDecision::AcceptBest => "accept_best",
            BulkDecision::NoMatch => "no_match",
        }
    }

    /// The choice as the form offers it.
    pub fn label_key(self) -> &'static str {
        match self {
            BulkDecision::AcceptBest => "anchors.bulk.decision.accept_best",
            BulkDecision::NoMatch => "anchors.bulk.decision.no_match",
        }
    }

    /// What was done, said with the number of suppliers as `count`.
    pub fn done_key(self) -> &'static str {
        match self {
            BulkDecision::AcceptBest => "anchors.bulk.done.accept_best",
            BulkDecision::NoMatch => "anchors.bulk.done.no_match",
        }
    }

    pub fn parse(s: &str) -> Option<BulkDecision> {
        Self::ALL.into_iter().find(|d| d.slug() == s.trim())
    }
}

/// A bulk decision as a form, the API or the command line sends it.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BulkDecisionInput {
    /// `accept_best` (each supplier's best candidate) or `no_match`.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = decisions))]
    pub decision: String,
    /// The suppliers' keys, as the suppliers list gives them (1 to 500).
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = supplier_keys))]
    pub suppliers: Vec<String>,
}

#[cfg(feature = "openapi")]
fn decisions() -> utoipa::openapi::schema::Object {
    crate::openapi::choice(BulkDecision::ALL.iter().map(|d| d.slug()), false)
}

#[cfg(feature = "openapi")]
fn supplier_keys() -> utoipa::openapi::schema::Array {
    crate::openapi::given_texts(1, MAX_SUPPLIERS)
}

/// A checked bulk decision: the decision and each supplier once, in the
/// order first named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkDecisions {
    pub decision: BulkDecision,
    pub suppliers: Vec<String>,
}

impl BulkDecisionInput {
    /// Names every bad field: no decision or an unknown one, no supplier
    /// chosen, or more than [`MAX_SUPPLIERS`].
    pub fn validate(&self) -> Result<BulkDecisions, Invalid> {
        let mut errors = Errors::new();
        let decision = BulkDecision::parse(&self.decision);
        if decision.is_none() {
            errors.add("decision", Message::new("anchors.bulk.choose_decision"));
        }
        let mut suppliers: Vec<String> = Vec::new();
        for key in &self.suppliers {
            let key = key.trim();
            if !key.is_empty() && !suppliers.iter().any(|k| k == key) {
                suppliers.push(key.to_string());
            }
        }
        if suppliers.is_empty() {
            errors.add("suppliers", Message::new("anchors.bulk.choose_suppliers"));
        } else if suppliers.len() > MAX_SUPPLIERS {
            errors.add(
                "suppliers",
                Message::new("anchors.bulk.too_many").arg("max", MAX_SUPPLIERS),
            );
        }
        errors.finish(|| BulkDecisions {
            decision: decision.unwrap_or(BulkDecision::NoMatch),
            suppliers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(decision: &str, keys: &[&str]) -> BulkDecisionInput {
        BulkDecisionInput {
            decision: decision.into(),
            suppliers: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn each_supplier_is_decided_once_in_the_order_named() {
        let d = input("accept_best", &["b", " a ", "b", ""])
            .validate()
            .unwrap();
        assert_eq!(d.decision, BulkDecision::AcceptBest);
        assert_eq!(d.suppliers, vec!["b".to_string(), "a".to_string()]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = input("dragons", &[]).validate().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["decision", "suppliers"]);
        let many: Vec<String> = (0..=MAX_SUPPLIERS).map(|i| i.to_string()).collect();
        let e = BulkDecisionInput {
            decision: "no_match".into(),
            suppliers: many,
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.0[0].field, "suppliers");
    }
}
