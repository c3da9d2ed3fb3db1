//! Anchor institutions (an NHS trust, a council, a university…) and the
//! sites they work from: what the spend, workforce and interaction measures
//! are about. The form rules live here so the page, the API and the CLI
//! refuse the same input with the same words.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates::DateOrder;
use super::spend_file::ColumnMapping;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// What kind of institution an anchor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    NhsTrust,
    Council,
    University,
    HousingAssociation,
    Other,
}

impl AnchorKind {
    pub const ALL: [AnchorKind; 5] = [
        AnchorKind::NhsTrust,
        AnchorKind::Council,
        AnchorKind::University,
        AnchorKind::HousingAssociation,
        AnchorKind::Other,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            AnchorKind::NhsTrust => "nhs_trust",
            AnchorKind::Council => "council",
            AnchorKind::University => "university",
            AnchorKind::HousingAssociation => "housing_association",
            AnchorKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<AnchorKind> {
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// A place an anchor works from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Site {
    pub name: String,
    pub postcode: String,
}

/// An anchor institution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anchor {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: AnchorKind,
    /// ODS code for an NHS trust, GSS code for a council, UKPRN for a university.
    pub official_code: Option<String>,
    /// The local authority the anchor serves, for the local-authority share.
    pub local_authority_code: Option<String>,
    pub column_mapping: ColumnMapping,
    pub sites: Vec<Site>,
    /// The order of day and month its files showed last: a file whose
    /// dates are all ambiguous follows it.
    pub date_order: Option<DateOrder>,
}

/// An anchor to create or change (matched by slug), checked.
#[derive(Clone, Debug, PartialEq)]
pub struct AnchorDraft {
    pub slug: String,
    pub name: String,
    pub kind: AnchorKind,
    pub official_code: Option<String>,
    pub local_authority_code: Option<String>,
    pub column_mapping: ColumnMapping,
    pub sites: Vec<Site>,
}

/// Short names the anchors pages use for themselves (`/anchors/spend`,
/// `/anchors/suppliers`…), so no anchor may take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "spend",
    "suppliers",
    "import",
    "new",
    "settings",
    "workforce",
    "interactions",
    "practice",
    "files",
    "registers",
];

/// An anchor as a person types it (the page, the API and the CLI fill it).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnchorInput {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub official_code: String,
    pub local_authority_code: String,
    /// One site per line: `name, postcode`.
    pub sites: String,
    /// One `field=Header` per line.
    pub column_mapping: String,
}

impl AnchorInput {
    pub fn of(a: &Anchor) -> AnchorInput {
        AnchorInput {
            slug: a.slug.clone(),
            name: a.name.clone(),
            kind: a.kind.slug().into(),
            official_code: a.official_code.clone().unwrap_or_default(),
            local_authority_code: a.local_authority_code.clone().unwrap_or_default(),
            sites: a
                .sites
                .iter()
                .map(|s| format!("{}, {}", s.name, s.postcode))
                .collect::<Vec<_>>()
                .join("\n"),
            column_mapping: a.column_mapping.pairs().join("\n"),
        }
    }

    /// Checks every field at once.
    pub fn validate(&self) -> Result<AnchorDraft, Invalid> {
        let mut e = Errors::new();
        let slug = e.required("slug", &self.slug, 60);
        if !slug.is_empty()
            && !slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            e.add("slug", Message::new("validation.slug"));
        }
        if RESERVED_SLUGS.contains(&slug.as_str()) {
            e.add("slug", Message::new("anchors.anchor.slug_reserved"));
        }
        let name = e.required("name", &self.name, 200);
        let kind = AnchorKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", Message::new("anchors.anchor.kind_required"));
        }
        let official_code = e.optional("official_code", &self.official_code, 20);
        let local_authority_code =
            e.optional("local_authority_code", &self.local_authority_code, 20);
        let mut sites = Vec::new();
        for (i, line) in self
            .sites
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match line.rsplit_once(',') {
                Some((n, pc)) if !n.trim().is_empty() => {
                    match crate::place::postcode::Postcode::parse(pc) {
                        Ok(p) => sites.push(Site {
                            name: n.trim().to_string(),
                            postcode: p.to_string(),
                        }),
                        Err(err) => e.add(
                            "sites",
                            Message::new("anchors.anchor.site_postcode")
                                .arg("line", i + 1)
                                .arg("reason", err.message()),
                        ),
                    }
                }
                _ => e.add(
                    "sites",
                    Message::new("anchors.anchor.site_line").arg("line", i + 1),
                ),
            }
        }
        let pairs: Vec<String> = self
            .column_mapping
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        let column_mapping = match ColumnMapping::parse(&pairs) {
            Ok(m) => m,
            Err(m) => {
                e.add("column_mapping", m);
                ColumnMapping::default()
            }
        };
        e.finish(|| AnchorDraft {
            slug,
            name,
            kind: kind.unwrap_or(AnchorKind::Other),
            official_code,
            local_authority_code,
            column_mapping,
            sites,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AnchorInput {
        AnchorInput {
            slug: "swbh".into(),
            name: "Sandwell and West Birmingham Hospitals NHS Trust".into(),
            kind: "nhs_trust".into(),
            official_code: "RXK".into(),
            local_authority_code: "E08000028".into(),
            sites: "Midland Metropolitan University Hospital, B66 2QT\nCity Hospital, B18 7QH"
                .into(),
            column_mapping: "reference=Trans No".into(),
        }
    }

    #[test]
    fn a_typed_anchor_becomes_a_draft_with_its_sites() {
        let d = input().validate().unwrap();
        assert_eq!(d.kind, AnchorKind::NhsTrust);
        assert_eq!(d.sites.len(), 2);
        assert_eq!(d.sites[1].postcode, "B18 7QH");
        assert_eq!(
            d.column_mapping.pairs(),
            vec!["reference=Trans No".to_string()]
        );
        assert_eq!(
            AnchorInput::of(&Anchor {
                id: uuid::Uuid::nil(),
                slug: d.slug.clone(),
                name: d.name.clone(),
                kind: d.kind,
                official_code: d.official_code.clone(),
                local_authority_code: d.local_authority_code.clone(),
                column_mapping: d.column_mapping.clone(),
                sites: d.sites.clone(),
                date_order: None,
            })
            .validate()
            .unwrap(),
            d
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = AnchorInput {
            slug: "Not A Slug".into(),
            name: String::new(),
            kind: "castle".into(),
            sites: "no comma here\nThe Lab, not a postcode".into(),
            column_mapping: "colour=Header".into(),
            ..input()
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        for f in ["slug", "name", "kind", "sites", "column_mapping"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
    }

    #[test]
    fn the_pages_own_short_names_are_refused() {
        for s in RESERVED_SLUGS {
            let e = AnchorInput {
                slug: s.to_string(),
                ..input()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.0[0].message.key, "anchors.anchor.slug_reserved");
        }
    }
}
