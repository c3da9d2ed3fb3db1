//! Partners as CSV: the export format is the import format, so a downloaded
//! list can be edited in a spreadsheet and uploaded again.
//!
//! Importing is planned here, purely, against the partners that already
//! exist; the store applies the plan in one transaction. Re-importing the
//! same file plans nothing but "unchanged".

use std::collections::HashMap;

use crate::csv_import::{Problem, Report, Table, restore_field, safe_field};
use crate::i18n::Message;
use crate::names;
use crate::{PartnerId, clock};

use super::{ContactInput, Partner, PartnerContact, PartnerDraft, PartnerInput};

pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "org_id",
    "website",
    "postcode",
    "description",
    "joined_on",
    "left_on",
    "contact_name",
    "contact_email",
    "contact_phone",
];
pub const CONTACT_COLUMNS: &[&str] = &["contact_name", "contact_email", "contact_phone"];
pub const REQUIRED: &[&str] = &["name", "kind", "joined_on"];

/// Writes partners as CSV. Contact columns only when the reader may see them.
pub fn export(rows: &[(Partner, Option<PartnerContact>)], include_contacts: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let cols: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| include_contacts || !CONTACT_COLUMNS.contains(c))
        .collect();
    w.write_record(&cols).expect("write to memory");
    for (p, contact) in rows {
        let mut rec = vec![
            p.id.to_string(),
            safe_field(&p.name),
            p.kind.slug().to_string(),
            p.org_id.clone().unwrap_or_default(),
            safe_field(p.website.as_deref().unwrap_or("")),
            p.postcode.clone().unwrap_or_default(),
            safe_field(&p.description),
            clock::iso_date(p.joined_on),
            p.left_on.map(clock::iso_date).unwrap_or_default(),
        ];
        if include_contacts {
            let c = contact.clone().unwrap_or_default();
            rec.push(safe_field(c.name.as_deref().unwrap_or("")));
            rec.push(safe_field(c.email.as_deref().unwrap_or("")));
            rec.push(safe_field(c.phone.as_deref().unwrap_or("")));
        }
        w.write_record(&rec).expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("csv of strings is utf-8")
}

/// One valid row of an import file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: u64,
    pub id: Option<PartnerId>,
    pub draft: PartnerDraft,
    /// `None` when the file has no contact columns: contacts are left alone.
    pub contact: Option<PartnerContact>,
    /// The optional columns the file has. A column the file lacks leaves
    /// that field of an existing partner as it is.
    pub present: Vec<&'static str>,
}

/// Optional partner columns: absent from a file means "leave as it is".
const OPTIONAL: &[&str] = &["org_id", "website", "postcode", "description", "left_on"];

impl ParsedRow {
    /// The draft with fields the file did not mention taken from `old`.
    fn over(&self, old: &PartnerDraft) -> PartnerDraft {
        let has = |c: &str| self.present.contains(&c);
        let d = &self.draft;
        PartnerDraft {
            name: d.name.clone(),
            kind: d.kind,
            org_id: if has("org_id") {
                d.org_id.clone()
            } else {
                old.org_id.clone()
            },
            website: if has("website") {
                d.website.clone()
            } else {
                old.website.clone()
            },
            postcode: if has("postcode") {
                d.postcode.clone()
            } else {
                old.postcode.clone()
            },
            description: if has("description") {
                d.description.clone()
            } else {
                old.description.clone()
            },
            joined_on: d.joined_on,
            left_on: if has("left_on") {
                d.left_on
            } else {
                old.left_on
            },
        }
    }
}

/// Parses an import file; every problem goes into `report` with its line and column.
pub fn parse(text: &str, report: &mut Report) -> Vec<ParsedRow> {
    let Some(table) = Table::parse(text, COLUMNS, REQUIRED, report) else {
        return Vec::new();
    };
    if report.has_errors() {
        return Vec::new();
    }
    let has_contacts = CONTACT_COLUMNS.iter().any(|c| table.has(c));
    let present: Vec<&'static str> = OPTIONAL.iter().copied().filter(|c| table.has(c)).collect();
    let mut out = Vec::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let id = match get("id").trim() {
            "" => None,
            s => match s.parse::<PartnerId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    report.push(Problem::error(
                        row.line,
                        table.column("id"),
                        Message::new("import.partner.bad_id").arg("value", s),
                    ));
                    continue;
                }
            },
        };
        let input = PartnerInput {
            name: get("name"),
            kind: get("kind"),
            org_id: get("org_id"),
            website: get("website"),
            postcode: get("postcode"),
            description: get("description"),
            joined_on: get("joined_on"),
            left_on: get("left_on"),
        };
        let draft = input.validate();
        let contact = if has_contacts {
            Some(
                ContactInput {
                    contact_name: get("contact_name"),
                    contact_email: get("contact_email"),
                    contact_phone: get("contact_phone"),
                }
                .validate(),
            )
        } else {
            None
        };
        let mut ok = true;
        for err in draft
            .as_ref()
            .err()
            .into_iter()
            .chain(contact.as_ref().and_then(|c| c.as_ref().err()))
        {
            ok = false;
            for fe in &err.0 {
                report.push(Problem::error(
                    row.line,
                    table.column(&fe.field),
                    fe.message.clone(),
                ));
            }
        }
        if !ok {
            continue;
        }
        let draft = draft.expect("checked");
        let contact = contact.map(|c| c.expect("checked"));
        if let Some(c) = &contact
            && c.name.is_none()
            && (c.email.is_some() || c.phone.is_some())
        {
            report.push(Problem::warning(
                row.line,
                table.column("contact_name"),
                Message::new("import.partner.contact_without_name"),
            ));
        }
        if !input.website.trim().is_empty() && !input.website.trim().contains("://") {
            report.push(Problem::warning(
                row.line,
                table.column("website"),
                Message::new("import.partner.website_scheme_added"),
            ));
        }
        out.push(ParsedRow {
            line: row.line,
            id,
            draft,
            contact,
            present: present.clone(),
        });
    }
    out
}

/// What an import did, or would do on a dry run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportOutcome {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// False when errors stopped it, or on a dry run: nothing was written.
    pub applied: bool,
}

impl ImportOutcome {
    /// The counts of a plan, before it is applied.
    pub fn of(plan: &[(u64, Action)]) -> Self {
        let mut outcome = ImportOutcome::default();
        for (_, action) in plan {
            match action {
                Action::Create { .. } => outcome.created += 1,
                Action::Update { .. } => outcome.updated += 1,
                Action::Unchanged { .. } => outcome.unchanged += 1,
            }
        }
        outcome
    }
}

/// Where each merged-away partner went, from each partner's direct
/// `merged_into`, so an old export's ids still find their partner. Chains
/// (A into B, later B into C) are followed to the partner that stands.
pub fn merge_redirects(
    direct: impl IntoIterator<Item = (PartnerId, PartnerId)>,
) -> HashMap<PartnerId, PartnerId> {
    let direct: HashMap<PartnerId, PartnerId> = direct.into_iter().collect();
    direct
        .keys()
        .map(|from| {
            let mut to = direct[from];
            let mut hops = 0;
            while let Some(next) = direct.get(&to) {
                to = *next;
                hops += 1;
                if hops > direct.len() {
                    break;
                }
            }
            (*from, to)
        })
        .collect()
}

/// A partner that already exists, as the planner needs to see it.
#[derive(Clone, Debug)]
pub struct Existing {
    pub partner: Partner,
    pub contact: PartnerContact,
}

/// What importing one row will do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Create {
        draft: PartnerDraft,
        contact: PartnerContact,
    },
    Update {
        id: PartnerId,
        draft: PartnerDraft,
        /// `None` leaves the contact as it is.
        contact: Option<PartnerContact>,
    },
    Unchanged {
        id: PartnerId,
    },
}

/// Decides, row by row, whether each partner is new, changed or unchanged.
///
/// A row finds its partner by `id` (following merges via `redirects`), else by
/// org-id, else by normalised name. Two rows that land on the same partner
/// are an error: the file must say one thing about each organisation.
pub fn plan(
    rows: Vec<ParsedRow>,
    existing: &[Existing],
    redirects: &HashMap<PartnerId, PartnerId>,
    report: &mut Report,
) -> Vec<(u64, Action)> {
    let by_id: HashMap<PartnerId, &Existing> = existing.iter().map(|e| (e.partner.id, e)).collect();
    let mut by_org: HashMap<String, PartnerId> = HashMap::new();
    let mut by_name: HashMap<String, PartnerId> = HashMap::new();
    for e in existing {
        if let Some(o) = &e.partner.org_id {
            by_org.insert(o.clone(), e.partner.id);
        }
        by_name
            .entry(names::normalise(&e.partner.name))
            .or_insert(e.partner.id);
    }
    let mut claimed: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();
    for row in rows {
        let target = if let Some(id) = row.id {
            let id = redirects.get(&id).copied().unwrap_or(id);
            if !by_id.contains_key(&id) {
                report.push(Problem::error(
                    row.line,
                    None,
                    Message::new("import.partner.unknown_id").arg("id", id),
                ));
                continue;
            }
            Some(id)
        } else if let Some(id) = row.draft.org_id.as_ref().and_then(|o| by_org.get(o)) {
            Some(*id)
        } else if let Some(id) = by_name.get(&names::normalise(&row.draft.name)) {
            report.push(Problem::warning(
                row.line,
                None,
                Message::new("import.partner.matched_by_name").arg("name", &by_id[id].partner.name),
            ));
            Some(*id)
        } else {
            None
        };
        let claim = match target {
            Some(id) => id.to_string(),
            None => format!("new:{}", names::normalise(&row.draft.name)),
        };
        if let Some(first) = claimed.insert(claim, row.line) {
            report.push(Problem::error(
                row.line,
                None,
                Message::new("import.partner.twice").arg("line", first),
            ));
            continue;
        }
        let action = match target {
            None => Action::Create {
                draft: row.draft,
                contact: row.contact.unwrap_or_default(),
            },
            Some(id) => {
                let e = by_id[&id];
                let draft = row.over(&e.partner.draft());
                let same_fields = e.partner.draft() == draft;
                let same_contact = row.contact.as_ref().is_none_or(|c| *c == e.contact);
                if same_fields && same_contact {
                    Action::Unchanged { id }
                } else {
                    Action::Update {
                        id,
                        draft,
                        contact: row.contact.filter(|c| *c != e.contact),
                    }
                }
            }
        };
        out.push((row.line, action));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_import::Severity;
    use crate::{ProgrammeId, programme::PartnerKind};
    use time::macros::{date, datetime};

    fn existing(name: &str) -> Existing {
        Existing {
            partner: Partner {
                id: PartnerId::new(),
                programme_id: ProgrammeId::new(),
                name: name.into(),
                kind: PartnerKind::Vcse,
                org_id: None,
                website: None,
                postcode: None,
                description: String::new(),
                joined_on: date!(2017 - 01 - 01),
                left_on: None,
                created_at: datetime!(2020-01-01 0:00 UTC),
                updated_at: datetime!(2020-01-01 0:00 UTC),
            },
            contact: PartnerContact::default(),
        }
    }

    #[test]
    fn export_then_import_plans_nothing() {
        let e = existing("=Ladywood Hub");
        let text = export(&[(e.partner.clone(), Some(e.contact.clone()))], true);
        assert!(text.contains("'=Ladywood Hub"));
        let mut report = Report::new("p.csv");
        let rows = parse(&text, &mut report);
        assert!(!report.has_errors(), "{report}");
        let plan = plan(rows, std::slice::from_ref(&e), &HashMap::new(), &mut report);
        assert_eq!(plan, vec![(2, Action::Unchanged { id: e.partner.id })]);
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let text = "name,kind,joined_on\nGood,vcse,2020-01-01\nBad,vcse,31/02/2020\n";
        let mut report = Report::new("p.csv");
        let rows = parse(text, &mut report);
        assert_eq!(rows.len(), 1);
        let err = report.errors().next().unwrap();
        assert_eq!(err.line, 3);
        assert_eq!(err.column.as_ref().unwrap().number, 3);
        assert_eq!(
            err.describe("p.csv"),
            "p.csv:3:3: error: Enter a real date, for example 7 December 2026 (you entered '31/02/2020') (column 'joined_on')"
        );
    }

    #[test]
    fn matches_by_name_and_rejects_repeats() {
        let e = existing("Smethwick Food Bank");
        let text = "name,kind,joined_on\nSMETHWICK FOOD BANK LTD,vcse,2018-01-01\nNew Org,vcse,2020-01-01\nnew org,vcse,2020-01-01\n";
        let mut report = Report::new("p.csv");
        let rows = parse(text, &mut report);
        let plan = plan(rows, std::slice::from_ref(&e), &HashMap::new(), &mut report);
        assert!(matches!(plan[0].1, Action::Update { id, .. } if id == e.partner.id));
        assert!(matches!(plan[1].1, Action::Create { .. }));
        assert_eq!(plan.len(), 2);
        let sev: Vec<_> = report
            .problems
            .iter()
            .map(|p| (p.line, p.severity))
            .collect();
        assert!(sev.contains(&(2, Severity::Warning)));
        assert!(sev.contains(&(4, Severity::Error)));
    }

    #[test]
    fn absent_columns_leave_fields_alone() {
        let mut e = existing("Hub");
        e.partner.org_id = Some("GB-CHC-1".into());
        e.partner.description = "Kept".into();
        let text = format!(
            "id,name,kind,joined_on,description\n{},Hub,vcse,2017-01-01,\n",
            e.partner.id
        );
        let mut report = Report::new("p.csv");
        let rows = parse(&text, &mut report);
        let plan = plan(rows, std::slice::from_ref(&e), &HashMap::new(), &mut report);
        match &plan[0].1 {
            Action::Update { draft, .. } => {
                assert_eq!(
                    draft.org_id.as_deref(),
                    Some("GB-CHC-1"),
                    "no org_id column: kept"
                );
                assert_eq!(
                    draft.description, "",
                    "an empty description column clears it"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn merges_are_followed_to_the_partner_that_stands() {
        let (a, b, c, d) = (
            PartnerId::new(),
            PartnerId::new(),
            PartnerId::new(),
            PartnerId::new(),
        );
        let r = merge_redirects([(a, b), (b, c), (d, c)]);
        assert_eq!(r[&a], c);
        assert_eq!(r[&b], c);
        assert_eq!(r[&d], c);
        assert_eq!(r.len(), 3);
        // A cycle (never written, but not trusted) ends instead of looping.
        let r = merge_redirects([(a, b), (b, a)]);
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn an_outcome_counts_its_plan() {
        let e = existing("Hub");
        let text = format!(
            "id,name,kind,joined_on\n{},Hub,vcse,2017-01-01\n,New,vcse,2018-01-01\n",
            e.partner.id
        );
        let mut report = Report::new("p.csv");
        let rows = parse(&text, &mut report);
        let plan = plan(rows, std::slice::from_ref(&e), &HashMap::new(), &mut report);
        assert_eq!(
            ImportOutcome::of(&plan),
            ImportOutcome {
                created: 1,
                updated: 0,
                unchanged: 1,
                applied: false
            }
        );
    }

    #[test]
    fn ids_from_elsewhere_are_refused() {
        let text = format!(
            "id,name,kind,joined_on\n{},X,vcse,2020-01-01\n",
            PartnerId::new()
        );
        let mut report = Report::new("p.csv");
        let rows = parse(&text, &mut report);
        let plan = plan(rows, &[], &HashMap::new(), &mut report);
        assert!(plan.is_empty());
        assert_eq!(
            report.errors().next().unwrap().message.key,
            "import.partner.unknown_id"
        );
    }
}
