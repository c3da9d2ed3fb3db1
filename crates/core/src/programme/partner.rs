use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::i18n::Message;
use crate::names;
use crate::place::postcode::Postcode;
use crate::validation::{Errors, Invalid};
use crate::{PartnerId, ProgrammeId};

/// What kind of organisation a partner is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    AnchorInstitution,
    LocalAuthority,
    University,
    Vcse,
    SocialEnterprise,
    Funder,
    PrivateSector,
    Other,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 8] = [
        PartnerKind::AnchorInstitution,
        PartnerKind::LocalAuthority,
        PartnerKind::University,
        PartnerKind::Vcse,
        PartnerKind::SocialEnterprise,
        PartnerKind::Funder,
        PartnerKind::PrivateSector,
        PartnerKind::Other,
    ];

    pub fn slug(&self) -> &'static str {
        match self {
            PartnerKind::AnchorInstitution => "anchor_institution",
            PartnerKind::LocalAuthority => "local_authority",
            PartnerKind::University => "university",
            PartnerKind::Vcse => "vcse",
            PartnerKind::SocialEnterprise => "social_enterprise",
            PartnerKind::Funder => "funder",
            PartnerKind::PrivateSector => "private_sector",
            PartnerKind::Other => "other",
        }
    }

    pub fn label_key(&self) -> String {
        format!("partner_kind.{}", self.slug())
    }
}

impl fmt::Display for PartnerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for PartnerKind {
    type Err = ();
    /// Accepts the slug, the English label or the label in the current
    /// language, in any case ("Social enterprise", "Entreprise sociale"):
    /// a file written for one programme reads the same in another.
    fn from_str(s: &str) -> Result<Self, ()> {
        use crate::i18n::{Language, t, t_in};
        let key = crate::csv_import::header_key(s);
        PartnerKind::ALL
            .into_iter()
            .find(|k| {
                k.slug() == key
                    || crate::csv_import::header_key(t_in(Language::En, &k.label_key())) == key
                    || crate::csv_import::header_key(t(&k.label_key())) == key
            })
            .ok_or(())
    }
}

/// An organisation in a programme's partnership.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Partner {
    pub id: PartnerId,
    pub programme_id: ProgrammeId,
    pub name: String,
    pub kind: PartnerKind,
    /// An org-id identifier such as `GB-COH-01234567` or `GB-NHS-RXK`.
    pub org_id: Option<String>,
    pub website: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    #[serde(with = "crate::iso_date")]
    pub joined_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub left_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Partner {
    /// A partner is current from the day it joins until the day it leaves.
    pub fn is_current_on(&self, day: Date) -> bool {
        self.joined_on <= day && self.left_on.is_none_or(|l| l > day)
    }

    pub fn draft(&self) -> PartnerDraft {
        PartnerDraft {
            name: self.name.clone(),
            kind: self.kind,
            org_id: self.org_id.clone(),
            website: self.website.clone(),
            postcode: self.postcode.clone(),
            description: self.description.clone(),
            joined_on: self.joined_on,
            left_on: self.left_on,
        }
    }
}

/// The partner's contact person. Personal data: shown only to roles with
/// `ViewPartnerContacts`, and every read is audited.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerContact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl PartnerContact {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.phone.is_none()
    }

    /// Names of the fields that hold something, for audit summaries.
    pub fn field_names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.name.is_some() {
            v.push("contact_name");
        }
        if self.email.is_some() {
            v.push("contact_email");
        }
        if self.phone.is_some() {
            v.push("contact_phone");
        }
        v
    }
}

/// A partner as typed into a form, the API or a CSV row: all text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PartnerInput {
    pub name: String,
    pub kind: String,
    pub org_id: String,
    pub website: String,
    pub postcode: String,
    pub description: String,
    pub joined_on: String,
    pub left_on: String,
}

/// Contact details as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

/// A partner that has passed validation, ready to store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartnerDraft {
    pub name: String,
    pub kind: PartnerKind,
    pub org_id: Option<String>,
    pub website: Option<String>,
    pub postcode: Option<String>,
    pub description: String,
    #[serde(with = "crate::iso_date")]
    pub joined_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub left_on: Option<Date>,
}

impl PartnerInput {
    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<PartnerDraft, Invalid> {
        let mut e = Errors::new();
        let name = e.required("name", &self.name, 200);
        let kind = match self.kind.trim() {
            "" => {
                e.add("kind", Message::new("validation.required.kind"));
                None
            }
            k => match k.parse::<PartnerKind>() {
                Ok(k) => Some(k),
                Err(()) => {
                    e.add("kind", Message::new("partner.kind_unknown").arg("value", k));
                    None
                }
            },
        };
        let org_id = e
            .optional("org_id", &self.org_id, 60)
            .map(|s| s.to_uppercase());
        if let Some(id) = &org_id
            && !is_org_id(id)
        {
            e.add("org_id", Message::new("partner.org_id_format"));
        }
        let website = e.optional("website", &self.website, 300).map(|w| {
            if w.starts_with("https://") || w.starts_with("http://") {
                w
            } else {
                format!("https://{w}")
            }
        });
        if let Some(w) = &website {
            let host = w.split("://").nth(1).unwrap_or("");
            if !host.contains('.') || host.contains(char::is_whitespace) {
                e.add("website", Message::new("partner.website_format"));
            }
        }
        let postcode = match self.postcode.trim() {
            "" => None,
            p => match Postcode::parse(p) {
                Ok(p) => Some(p.to_string()),
                Err(err) => {
                    e.add("postcode", err.message());
                    None
                }
            },
        };
        let description = e
            .optional("description", &self.description, 4000)
            .unwrap_or_default();
        let joined_on = e.required_date("joined_on", &self.joined_on);
        let left_on = e.optional_date("left_on", &self.left_on);
        if let (Some(j), Some(l)) = (joined_on, left_on)
            && l < j
        {
            e.add("left_on", Message::new("partner.left_before_joined"));
        }
        e.finish(|| PartnerDraft {
            name,
            kind: kind.expect("checked"),
            org_id,
            website,
            postcode,
            description,
            joined_on: joined_on.expect("checked"),
            left_on,
        })
    }

    /// Checks the partner and, when given, its contact person together:
    /// every field's problem at once, the partner's first.
    pub fn validate_with_contact(
        &self,
        contact: Option<&ContactInput>,
    ) -> Result<(PartnerDraft, Option<PartnerContact>), Invalid> {
        let draft = self.validate();
        let contact = contact.map(ContactInput::validate);
        let mut errs = draft
            .as_ref()
            .err()
            .map(|e| e.0.clone())
            .unwrap_or_default();
        if let Some(Err(e)) = &contact {
            errs.extend(e.0.iter().cloned());
        }
        if !errs.is_empty() {
            return Err(Invalid(errs));
        }
        Ok((
            draft.expect("checked"),
            contact.map(|c| c.expect("checked")),
        ))
    }

    pub fn from_draft(d: &PartnerDraft) -> Self {
        Self {
            name: d.name.clone(),
            kind: d.kind.slug().to_string(),
            org_id: d.org_id.clone().unwrap_or_default(),
            website: d.website.clone().unwrap_or_default(),
            postcode: d.postcode.clone().unwrap_or_default(),
            description: d.description.clone(),
            joined_on: crate::clock::iso_date(d.joined_on),
            left_on: d.left_on.map(crate::clock::iso_date).unwrap_or_default(),
        }
    }
}

impl ContactInput {
    pub fn validate(&self) -> Result<PartnerContact, Invalid> {
        let mut e = Errors::new();
        let name = e.optional("contact_name", &self.contact_name, 200);
        let email = e.optional_email("contact_email", &self.contact_email);
        let phone = e.optional("contact_phone", &self.contact_phone, 40);
        if let Some(p) = &phone {
            let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
            let allowed = p.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c));
            if !allowed || !(7..=15).contains(&digits) {
                e.add("contact_phone", Message::new("partner.phone_format"));
            }
        }
        e.finish(|| PartnerContact { name, email, phone })
    }

    pub fn from_contact(c: &PartnerContact) -> Self {
        Self {
            contact_name: c.name.clone().unwrap_or_default(),
            contact_email: c.email.clone().unwrap_or_default(),
            contact_phone: c.phone.clone().unwrap_or_default(),
        }
    }
}

/// org-id identifiers: a two-letter country (or `XI`), a register code and
/// the organisation's number there, e.g. `GB-CHC-1000611`.
pub fn is_org_id(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(3, '-').collect();
    parts.len() == 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_uppercase())
        && (2..=6).contains(&parts[1].len())
        && parts[1].chars().all(|c| c.is_ascii_uppercase())
        && !parts[2].is_empty()
        && parts[2]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// How to narrow the partner list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartnerQuery {
    pub q: Option<String>,
    pub kind: Option<PartnerKind>,
    pub status: PartnerStatus,
    pub sort: PartnerSort,
    pub dir: crate::listing::SortDir,
}

/// Current or former partners, on a given day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PartnerStatus {
    #[default]
    All,
    Current,
    Former,
}

impl PartnerStatus {
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("current") => PartnerStatus::Current,
            Some("former") => PartnerStatus::Former,
            _ => PartnerStatus::All,
        }
    }

    pub fn slug(&self) -> &'static str {
        match self {
            PartnerStatus::All => "all",
            PartnerStatus::Current => "current",
            PartnerStatus::Former => "former",
        }
    }
}

crate::sort_columns!(
    /// The columns the partner list can be sorted by.
    PartnerSort {
        Name => "name",
        Kind => "kind",
        JoinedOn => "joined_on",
        LeftOn => "left_on",
    }
);

/// A pair of partners that may be the same organisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DuplicatePair {
    pub a: PartnerId,
    pub b: PartnerId,
    /// 0–1; 1 for the same identifier or the same name once normalised.
    pub score: f64,
    pub reason: DuplicateReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    SameIdentifier,
    SameName,
    SimilarName,
}

impl DuplicateReason {
    pub fn label_key(&self) -> &'static str {
        match self {
            DuplicateReason::SameIdentifier => "duplicates.reason.same_identifier",
            DuplicateReason::SameName => "duplicates.reason.same_name",
            DuplicateReason::SimilarName => "duplicates.reason.similar_name",
        }
    }
}

/// The similarity above which two names are worth a person's look.
pub const SIMILAR_NAME_THRESHOLD: f64 = 0.75;

/// Pairs of partners that may be duplicates, most likely first.
pub fn find_duplicates(partners: &[Partner]) -> Vec<DuplicatePair> {
    let prepared: Vec<_> = partners
        .iter()
        .map(|p| {
            let n = names::normalise(&p.name);
            let tg = names::trigrams(&n);
            (p, n, tg)
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..prepared.len() {
        for j in i + 1..prepared.len() {
            let (a, na, ta) = &prepared[i];
            let (b, nb, tb) = &prepared[j];
            let pair = if a.org_id.is_some() && a.org_id == b.org_id {
                Some((1.0, DuplicateReason::SameIdentifier))
            } else if !na.is_empty() && na == nb {
                Some((1.0, DuplicateReason::SameName))
            } else {
                let s = names::dice(ta, tb);
                (s >= SIMILAR_NAME_THRESHOLD).then_some((s, DuplicateReason::SimilarName))
            };
            if let Some((score, reason)) = pair {
                out.push(DuplicatePair {
                    a: a.id,
                    b: b.id,
                    score,
                    reason,
                });
            }
        }
    }
    out.sort_by(|x, y| y.score.total_cmp(&x.score));
    out
}

/// The partner that stays after merging `other` into `keep`: `keep`'s values
/// win, its blanks are filled from `other`, the partnership runs from the
/// earlier joining date to the later leaving date (or stays open if either
/// is still a partner).
pub fn merge(keep: &Partner, other: &Partner) -> PartnerDraft {
    let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
    PartnerDraft {
        name: keep.name.clone(),
        kind: keep.kind,
        org_id: pick(&keep.org_id, &other.org_id),
        website: pick(&keep.website, &other.website),
        postcode: pick(&keep.postcode, &other.postcode),
        description: if keep.description.is_empty() {
            other.description.clone()
        } else {
            keep.description.clone()
        },
        joined_on: keep.joined_on.min(other.joined_on),
        left_on: match (keep.left_on, other.left_on) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        },
    }
}

/// The contact that stays after a merge: the kept one's fields first.
pub fn merge_contact(keep: &PartnerContact, other: &PartnerContact) -> PartnerContact {
    PartnerContact {
        name: keep.name.clone().or_else(|| other.name.clone()),
        email: keep.email.clone().or_else(|| other.email.clone()),
        phone: keep.phone.clone().or_else(|| other.phone.clone()),
    }
}

/// The merge page's choice: which of the two partners stays.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct MergeInput {
    /// The other partner of the pair.
    pub other: String,
    /// The id of the partner to keep: this one or the other.
    pub keep: String,
}

impl MergeInput {
    /// `(keep, merged away)`: the kept partner must be one of the pair.
    pub fn choice(
        &self,
        this: PartnerId,
        other: PartnerId,
    ) -> Result<(PartnerId, PartnerId), Invalid> {
        let keep = self.keep.trim();
        if keep == this.to_string() {
            Ok((this, other))
        } else if keep == other.to_string() {
            Ok((other, this))
        } else {
            Err(Invalid::one(
                "keep",
                Message::new("validation.required.keep"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn input() -> PartnerInput {
        PartnerInput {
            name: "Sandwell and West Birmingham Hospitals NHS Trust".into(),
            kind: "anchor_institution".into(),
            org_id: "gb-nhs-rxk".into(),
            website: "www.swbh.nhs.uk".into(),
            postcode: "b66 2qt".into(),
            description: String::new(),
            joined_on: "2016-11-01".into(),
            left_on: String::new(),
        }
    }

    fn partner(name: &str, org_id: Option<&str>) -> Partner {
        Partner {
            id: PartnerId::new(),
            programme_id: ProgrammeId::new(),
            name: name.into(),
            kind: PartnerKind::Vcse,
            org_id: org_id.map(String::from),
            website: None,
            postcode: None,
            description: String::new(),
            joined_on: date!(2017 - 01 - 01),
            left_on: None,
            created_at: datetime!(2020-01-01 0:00 UTC),
            updated_at: datetime!(2020-01-01 0:00 UTC),
        }
    }

    #[test]
    fn valid_input_is_normalised() {
        let d = input().validate().unwrap();
        assert_eq!(d.org_id.as_deref(), Some("GB-NHS-RXK"));
        assert_eq!(d.website.as_deref(), Some("https://www.swbh.nhs.uk"));
        assert_eq!(d.postcode.as_deref(), Some("B66 2QT"));
        assert_eq!(d.kind, PartnerKind::AnchorInstitution);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = PartnerInput {
            name: "".into(),
            kind: "spaceship".into(),
            org_id: "12345".into(),
            website: "not a site".into(),
            postcode: "B18 OQH".into(),
            description: "".into(),
            joined_on: "2020-05-01".into(),
            left_on: "2019-01-01".into(),
        };
        let err = bad.validate().unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "kind", "org_id", "website", "postcode", "left_on"]
        );
    }

    #[test]
    fn kind_accepts_labels() {
        assert_eq!(
            "Social enterprise".parse(),
            Ok(PartnerKind::SocialEnterprise)
        );
        assert_eq!("VCSE".parse(), Ok(PartnerKind::Vcse));
    }

    #[test]
    fn contact_checks() {
        let c = ContactInput {
            contact_name: "Amira Khan".into(),
            contact_email: "amira@example.org".into(),
            contact_phone: "0121 507 4000".into(),
        };
        assert!(c.validate().is_ok());
        let bad = ContactInput {
            contact_phone: "call me".into(),
            contact_email: "nope".into(),
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().0.len(), 2);
    }

    #[test]
    fn duplicates_by_identifier_name_and_similarity() {
        let a = partner("Ladywood Community Hub CIC", Some("GB-COH-1"));
        let b = partner("Totally Different", Some("GB-COH-1"));
        let c = partner("The Ladywood Community Hub", None);
        let d = partner("Ladywood Comunity Hub", None);
        let e = partner("Smethwick Food Bank", None);
        let pairs = find_duplicates(&[a.clone(), b.clone(), c.clone(), d.clone(), e]);
        let has = |x: &Partner, y: &Partner, r: DuplicateReason| {
            pairs
                .iter()
                .any(|p| p.a == x.id && p.b == y.id && p.reason == r)
        };
        assert!(has(&a, &b, DuplicateReason::SameIdentifier));
        assert!(has(&a, &c, DuplicateReason::SameName));
        assert!(has(&c, &d, DuplicateReason::SimilarName));
        assert_eq!(pairs.len(), 4, "{pairs:?}");
    }

    #[test]
    fn a_partner_and_its_contact_are_checked_together() {
        let contact = ContactInput {
            contact_email: "nope".into(),
            ..Default::default()
        };
        let bad = PartnerInput {
            name: String::new(),
            ..input()
        };
        let fields: Vec<_> = bad
            .validate_with_contact(Some(&contact))
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "contact_email"]);
        let (d, c) = input().validate_with_contact(None).unwrap();
        assert_eq!(d.kind, PartnerKind::AnchorInstitution);
        assert_eq!(c, None);
        let named = ContactInput {
            contact_name: "Amira Khan".into(),
            ..Default::default()
        };
        let (_, c) = input().validate_with_contact(Some(&named)).unwrap();
        assert_eq!(c.unwrap().name.as_deref(), Some("Amira Khan"));
    }

    #[test]
    fn a_merge_keeps_one_of_the_pair() {
        let (a, b) = (PartnerId::new(), PartnerId::new());
        let keep = |k: String| MergeInput {
            other: b.to_string(),
            keep: k,
        };
        assert_eq!(keep(a.to_string()).choice(a, b).unwrap(), (a, b));
        assert_eq!(keep(b.to_string()).choice(a, b).unwrap(), (b, a));
        let err = keep(PartnerId::new().to_string()).choice(a, b).unwrap_err();
        assert_eq!(err.0[0].field, "keep");
        assert!(keep(String::new()).choice(a, b).is_err());
    }

    #[test]
    fn merge_keeps_values_and_widens_dates() {
        let mut keep = partner("Keep", None);
        keep.left_on = Some(date!(2019 - 01 - 01));
        let mut other = partner("Other", Some("GB-CHC-1"));
        other.joined_on = date!(2016 - 01 - 01);
        other.left_on = None;
        other.website = Some("https://o.example".into());
        let m = merge(&keep, &other);
        assert_eq!(m.name, "Keep");
        assert_eq!(m.org_id.as_deref(), Some("GB-CHC-1"));
        assert_eq!(m.joined_on, date!(2016 - 01 - 01));
        assert_eq!(m.left_on, None);
    }
}
