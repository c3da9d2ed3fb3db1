//! The lineage of replications: which programme or city was modelled on
//! which (USE-IT! in Birmingham → HOP in the Black Country, the URBACT
//! network, East Birmingham …), and the tree it makes.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// A programme in the lineage, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReplicationInput {
    /// The programme's name, e.g. "HOP".
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub name: String,
    /// The city or area it works in.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub city: String,
    /// The id or the name of the programme it was modelled on; blank for an
    /// original.
    pub modelled_on: String,
    /// The year it started (1900 to 2100, optional).
    #[cfg_attr(feature = "openapi", schema(schema_with = years_or_blank))]
    pub started: String,
    /// What was taken over, in a sentence.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
}

#[cfg(feature = "openapi")]
fn years_or_blank() -> utoipa::openapi::schema::Object {
    crate::openapi::whole_number_text(1900, 2100, true)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicationDraft {
    pub name: String,
    pub city: String,
    pub modelled_on: Option<Uuid>,
    pub started: Option<i32>,
    pub note: String,
}

impl ReplicationInput {
    /// Checks the input against the programmes already in the lineage
    /// (`modelled_on` must be one of them, found by id or name).
    pub fn validate(&self, known: &[Replication]) -> Result<ReplicationDraft, Invalid> {
        let mut e = Errors::new();
        let name = super::required(
            &mut e,
            "name",
            &self.name,
            200,
            "workshops.lineage.name_required",
        );
        let city = super::required(
            &mut e,
            "city",
            &self.city,
            200,
            "workshops.lineage.city_required",
        );
        let modelled_on = match self.modelled_on.trim() {
            "" => None,
            raw => {
                let found = known.iter().find(|r| {
                    Uuid::parse_str(raw).is_ok_and(|id| id == r.id)
                        || r.draft.name.eq_ignore_ascii_case(raw)
                });
                if found.is_none() {
                    e.add(
                        "modelled_on",
                        Message::new("workshops.lineage.parent_unknown").arg("value", raw),
                    );
                }
                found.map(|r| r.id)
            }
        };
        let started = match self.started.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(y) if (1900..=2100).contains(&y) => Some(y),
                _ => {
                    e.add(
                        "started",
                        Message::new("workshops.lineage.year_bad").arg("value", raw),
                    );
                    None
                }
            },
        };
        let note = e.optional("note", &self.note, 2000).unwrap_or_default();
        e.finish(|| ReplicationDraft {
            name,
            city,
            modelled_on,
            started,
            note,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replication {
    pub id: Uuid,
    pub draft: ReplicationDraft,
    pub created_at: OffsetDateTime,
}

/// One programme placed in the tree: its depth (0 for an original) and its
/// row, with the row of the one it was modelled on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placed {
    pub id: Uuid,
    pub depth: usize,
    pub row: usize,
    pub parent_row: Option<usize>,
}

/// Lays the lineage out as rows, each programme below the one it was
/// modelled on and after its elder siblings (in the order given). A
/// programme whose original is missing starts a tree of its own.
pub fn layout(all: &[Replication]) -> Vec<Placed> {
    fn visit(
        all: &[Replication],
        i: usize,
        depth: usize,
        parent_row: Option<usize>,
        out: &mut Vec<Placed>,
        seen: &mut Vec<bool>,
    ) {
        if seen[i] {
            return;
        }
        seen[i] = true;
        let row = out.len();
        out.push(Placed {
            id: all[i].id,
            depth,
            row,
            parent_row,
        });
        for (j, child) in all.iter().enumerate() {
            if child.draft.modelled_on == Some(all[i].id) {
                visit(all, j, depth + 1, Some(row), out, seen);
            }
        }
    }
    let mut out = Vec::with_capacity(all.len());
    let mut seen = vec![false; all.len()];
    for (i, r) in all.iter().enumerate() {
        let root = r
            .draft
            .modelled_on
            .is_none_or(|p| !all.iter().any(|o| o.id == p));
        if root {
            visit(all, i, 0, None, &mut out, &mut seen);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(known: &mut Vec<Replication>, name: &str, parent: &str) -> Uuid {
        let d = ReplicationInput {
            name: name.into(),
            city: "Birmingham".into(),
            modelled_on: parent.into(),
            ..Default::default()
        }
        .validate(known)
        .unwrap();
        let id = Uuid::now_v7();
        known.push(Replication {
            id,
            draft: d,
            created_at: crate::clock::now(),
        });
        id
    }

    #[test]
    fn replications_hang_below_their_original() {
        let mut all = Vec::new();
        let root = add(&mut all, "USE-IT!", "");
        add(&mut all, "HOP", "use-it!");
        add(&mut all, "URBACT REMIX", &root.to_string());
        add(&mut all, "East Birmingham", "USE-IT!");
        let placed = layout(&all);
        let depths: Vec<_> = placed.iter().map(|p| (p.depth, p.parent_row)).collect();
        assert_eq!(
            depths,
            [(0, None), (1, Some(0)), (1, Some(0)), (1, Some(0))]
        );
        let err = ReplicationInput {
            name: "X".into(),
            city: "Y".into(),
            modelled_on: "Nowhere".into(),
            started: "19".into(),
            ..Default::default()
        }
        .validate(&all)
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["modelled_on", "started"]);
    }
}
