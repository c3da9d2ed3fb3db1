//! Opportunities: an anchor's tender lots and what each asks of a bidder.
//! Entered by form or imported from a CSV (the same file the list
//! downloads, so it imports back); the lot's requirements are what
//! [`super::eligibility`] and [`super::consortium`] read.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::offer::{
    AccreditationNeed, AccreditationScope, InsuranceCover, LotRequirements, MinimumTurnover,
};
use super::profile::{accreditation_kind, items, money_text, optional_money, service_code};
use super::services;
use crate::clock::iso_date;
use crate::csv_import::{Problem, Report, Table, restore_field, safe_field};
use crate::i18n::Message;
use crate::money::{Pence, parse_pence};
use crate::validation::{Errors, Invalid};

/// A lot as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    pub id: Uuid,
    #[serde(flatten)]
    pub draft: LotDraft,
}

/// A lot's fields, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotDraft {
    /// The buyer's reference for the tender and lot, unique in the
    /// programme: what an import matches on.
    pub reference: String,
    /// The anchor buying (its name as published).
    pub buyer: String,
    pub title: String,
    /// The CPV code published with it, if any.
    pub cpv: Option<String>,
    pub duration_months: Option<u32>,
    pub requirements: LotRequirements,
    /// The anchor buying, by its short name, when the lot was linked to one
    /// (an OCDS import links every lot it saves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

/// A lot as a person types it, and as a CSV row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotInput {
    pub reference: String,
    pub buyer: String,
    pub title: String,
    /// A CPV code such as `90910000-9`; when no services are named, the
    /// services it falls under.
    pub cpv: String,
    /// Services by name or code, separated by commas.
    pub services: String,
    pub value: String,
    pub duration_months: String,
    /// The day bids close; accreditations must be valid on it.
    pub deadline: String,
    /// Separated by semicolons or lines: `Real Living Wage employer
    /// accreditation` (at least one member), `CHAS: every member`, or
    /// `CQC registration: home care` (whoever delivers that service).
    pub accreditations: String,
    pub public_liability: String,
    pub employers_liability: String,
    pub professional_indemnity: String,
    /// An amount (`£150,000`) or a share of the value (`200%`).
    pub minimum_turnover: String,
    /// Sites or areas the bidder must work in, separated by commas.
    pub areas: String,
}

const EVERY_MEMBER: &str = "every member";

impl LotInput {
    pub fn of(l: &LotDraft) -> LotInput {
        let tx = services::taxonomy();
        let r = &l.requirements;
        LotInput {
            reference: l.reference.clone(),
            buyer: l.buyer.clone(),
            title: l.title.clone(),
            cpv: l.cpv.clone().unwrap_or_default(),
            services: r
                .services
                .iter()
                .map(|s| tx.name(s).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            value: money_text(Some(r.value)),
            duration_months: l.duration_months.map(|d| d.to_string()).unwrap_or_default(),
            deadline: iso_date(r.deadline),
            accreditations: r
                .accreditations
                .iter()
                .map(|n| match &n.scope {
                    AccreditationScope::AnyMember => n.kind.name(),
                    AccreditationScope::EveryMember => {
                        format!("{}: {EVERY_MEMBER}", n.kind.name())
                    }
                    AccreditationScope::Service(s) => format!("{}: {}", n.kind.name(), tx.name(s)),
                })
                .collect::<Vec<_>>()
                .join("; "),
            public_liability: money_text(r.minimum_insurance.public_liability),
            employers_liability: money_text(r.minimum_insurance.employers_liability),
            professional_indemnity: money_text(r.minimum_insurance.professional_indemnity),
            minimum_turnover: match r.minimum_turnover {
                None => String::new(),
                Some(MinimumTurnover::Amount(p)) => money_text(Some(p)),
                Some(MinimumTurnover::TimesValue { percent }) => format!("{percent}%"),
            },
            areas: r.areas.join(", "),
        }
    }

    /// Checks every field at once.
    pub fn validate(&self) -> Result<LotDraft, Invalid> {
        let mut e = Errors::new();
        let reference = e.required("reference", &self.reference, 100);
        let buyer = e.required("buyer", &self.buyer, 200);
        let title = e.required("title", &self.title, 300);
        let cpv = match self.cpv.trim() {
            "" => None,
            c if c.len() >= 8 && c[..8].bytes().all(|b| b.is_ascii_digit()) => Some(c.to_string()),
            c => {
                e.add(
                    "cpv",
                    Message::new("enterprise.validation.cpv").arg("value", c),
                );
                None
            }
        };
        let (mut services, unknown) = super::profile::service_codes(&self.services);
        if !unknown.is_empty() {
            e.add(
                "services",
                Message::new("enterprise.validation.service").arg("value", unknown.join(", ")),
            );
        }
        if services.is_empty() && unknown.is_empty() {
            let tx = services::taxonomy();
            match cpv
                .as_deref()
                .and_then(|c| tx.for_cpv(c).first().map(|s| s.code.clone()))
            {
                Some(code) => services.push(code),
                None => e.add("services", Message::new("enterprise.validation.no_service")),
            }
        }
        let value = match parse_pence(&crate::i18n::typed_number(&self.value)) {
            Ok(v) if v > 0 => v,
            Ok(_) => {
                e.add("value", Message::new("enterprise.validation.value"));
                0
            }
            Err(m) if self.value.trim().is_empty() => {
                let _ = m;
                e.add("value", Message::new("enterprise.validation.value"));
                0
            }
            Err(m) => {
                e.add("value", m);
                0
            }
        };
        let duration_months = match self.duration_months.trim() {
            "" => None,
            s => match crate::i18n::typed_number(s).parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add(
                        "duration_months",
                        Message::new("enterprise.validation.whole_number").arg("value", s),
                    );
                    None
                }
            },
        };
        let deadline = e.required_date("deadline", &self.deadline);
        let mut accreditations = Vec::new();
        for item in self
            .accreditations
            .split([';', '\n'])
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            let (name, scope) = match item.rsplit_once(':') {
                None => (item, AccreditationScope::AnyMember),
                Some((n, s)) if s.trim().eq_ignore_ascii_case(EVERY_MEMBER) => {
                    (n, AccreditationScope::EveryMember)
                }
                Some((n, s)) => match service_code(s) {
                    Some(code) => (n, AccreditationScope::Service(code)),
                    None => {
                        e.add(
                            "accreditations",
                            Message::new("enterprise.validation.accreditation_scope")
                                .arg("value", s.trim()),
                        );
                        continue;
                    }
                },
            };
            if let AccreditationScope::Service(s) = &scope
                && !services.contains(s)
            {
                services.push(s.clone());
            }
            accreditations.push(AccreditationNeed {
                kind: accreditation_kind(name),
                scope,
            });
        }
        let minimum_insurance = InsuranceCover {
            public_liability: optional_money(&mut e, "public_liability", &self.public_liability),
            employers_liability: optional_money(
                &mut e,
                "employers_liability",
                &self.employers_liability,
            ),
            professional_indemnity: optional_money(
                &mut e,
                "professional_indemnity",
                &self.professional_indemnity,
            ),
        };
        let minimum_turnover = match self.minimum_turnover.trim() {
            "" => None,
            t => match t.strip_suffix('%').map(|p| p.trim().parse::<u32>()) {
                Some(Ok(percent)) if percent > 0 => Some(MinimumTurnover::TimesValue { percent }),
                Some(_) => {
                    e.add(
                        "minimum_turnover",
                        Message::new("enterprise.validation.turnover").arg("value", t),
                    );
                    None
                }
                None => optional_money(&mut e, "minimum_turnover", t).map(MinimumTurnover::Amount),
            },
        };
        let mut areas: Vec<String> = Vec::new();
        for a in items(&self.areas) {
            if !areas.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                areas.push(a.to_string());
            }
        }
        let deadline = deadline.unwrap_or(Date::MIN);
        e.finish(|| LotDraft {
            reference,
            buyer,
            title,
            cpv,
            duration_months,
            anchor: None,
            requirements: LotRequirements {
                services,
                accreditations,
                minimum_insurance,
                minimum_turnover,
                areas,
                value,
                deadline,
            },
        })
    }
}

/// The lots CSV: one row per lot, the form's fields as columns.
pub const COLUMNS: &[&str] = &[
    "reference",
    "buyer",
    "title",
    "cpv",
    "services",
    "value",
    "duration_months",
    "deadline",
    "accreditations",
    "public_liability",
    "employers_liability",
    "professional_indemnity",
    "minimum_turnover",
    "areas",
];
const REQUIRED: &[&str] = &["reference", "buyer", "title", "value", "deadline"];

pub fn export(lots: &[Lot]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("write to memory");
    for l in lots {
        let i = LotInput::of(&l.draft);
        w.write_record(
            [
                &i.reference,
                &i.buyer,
                &i.title,
                &i.cpv,
                &i.services,
                &i.value,
                &i.duration_months,
                &i.deadline,
                &i.accreditations,
                &i.public_liability,
                &i.employers_liability,
                &i.professional_indemnity,
                &i.minimum_turnover,
                &i.areas,
            ]
            .map(|s| safe_field(s)),
        )
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("utf-8")
}

/// Reads a lots file; each bad field is an error at its line and column,
/// and a reference twice in the file is an error at the second.
pub fn parse(text: &str, report: &mut Report) -> Vec<LotDraft> {
    let Some(table) = Table::parse(text, COLUMNS, REQUIRED, report) else {
        return Vec::new();
    };
    if report.has_errors() {
        return Vec::new();
    }
    let mut out: Vec<LotDraft> = Vec::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let input = LotInput {
            reference: get("reference"),
            buyer: get("buyer"),
            title: get("title"),
            cpv: get("cpv"),
            services: get("services"),
            value: get("value"),
            duration_months: get("duration_months"),
            deadline: get("deadline"),
            accreditations: get("accreditations"),
            public_liability: get("public_liability"),
            employers_liability: get("employers_liability"),
            professional_indemnity: get("professional_indemnity"),
            minimum_turnover: get("minimum_turnover"),
            areas: get("areas"),
        };
        match input.validate() {
            Ok(d) => {
                if out.iter().any(|o| o.reference == d.reference) {
                    report.push(Problem::error(
                        row.line,
                        table.column("reference"),
                        Message::new("enterprise.import.reference_twice")
                            .arg("value", &d.reference),
                    ));
                } else {
                    out.push(d);
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

/// The value of a lot for the list.
pub fn value(l: &Lot) -> Pence {
    l.draft.requirements.value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enterprise::offer::AccreditationKind;
    use time::macros::date;

    fn input() -> LotInput {
        LotInput {
            reference: "SWBH-FM-2027/2".into(),
            buyer: "Sandwell and West Birmingham NHS Trust".into(),
            title: "Cleaning and catering, Rowley Regis Hospital".into(),
            cpv: "90910000-9".into(),
            services: "cleaning, catering".into(),
            value: "£180,000".into(),
            duration_months: "24".into(),
            deadline: "30/04/2027".into(),
            accreditations: "Real Living Wage employer accreditation; CHAS: every member; ISO 9001 quality management: catering".into(),
            public_liability: "£5,000,000".into(),
            minimum_turnover: "200%".into(),
            areas: "Rowley Regis Hospital".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_lot_reads_its_requirements_and_round_trips() {
        let d = input().validate().unwrap();
        let r = &d.requirements;
        assert_eq!(r.services, ["cleaning", "catering"]);
        assert_eq!(r.value, 18_000_000);
        assert_eq!(r.deadline, date!(2027 - 04 - 30));
        assert_eq!(r.turnover_required(), 36_000_000);
        assert_eq!(r.accreditations.len(), 3);
        assert_eq!(r.accreditations[1].kind, AccreditationKind::Chas);
        assert_eq!(r.accreditations[1].scope, AccreditationScope::EveryMember);
        assert_eq!(
            r.accreditations[2].scope,
            AccreditationScope::Service("catering".into())
        );
        assert_eq!(LotInput::of(&d).validate().unwrap(), d);
        let only_cpv = LotInput {
            services: String::new(),
            accreditations: String::new(),
            cpv: "90911200-8".into(),
            ..input()
        };
        assert_eq!(
            only_cpv.validate().unwrap().requirements.services,
            ["cleaning"]
        );
    }

    #[test]
    fn the_csv_imports_back_and_names_each_bad_cell() {
        let lot = Lot {
            id: Uuid::nil(),
            draft: input().validate().unwrap(),
        };
        let text = export(std::slice::from_ref(&lot));
        let mut report = Report::new("lots.csv");
        assert_eq!(parse(&text, &mut report), vec![lot.draft.clone()]);
        assert!(!report.has_errors(), "{report}");

        let bad = format!("{text}{}", text.lines().nth(1).unwrap())
            + "\nX-1,Trust,Thing,,rockets,nothing,,soon,,,,,,\n";
        let mut report = Report::new("lots.csv");
        parse(&bad, &mut report);
        let found: Vec<(u64, String)> = report
            .errors()
            .map(|p| {
                (
                    p.line,
                    p.column
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (3, "reference".to_string()),
                (4, "services".to_string()),
                (4, "value".to_string()),
                (4, "deadline".to_string())
            ]
        );
    }
}
