//! The directory as a file, both ways: the download (every profile field
//! with the org-id: open data with identifiers) and the same file imported
//! back, all or nothing.

use std::collections::HashMap;

use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::enterprise::directory_csv::{self, ExportRow, Held, Target};
use useit_core::enterprise::profile::{EnterpriseQuery, LOCAL_ID_PREFIX};
use useit_store::enterprise::directory::{NewOrganisation, ProfilesSaved};

use super::profiles::directory;
use crate::{Caller, Error, Imported, Result, Store};

/// The directory, filtered as the list is, as CSV.
pub async fn directory_file(
    store: &dyn Store,
    caller: &Caller,
    query: &EnterpriseQuery,
) -> Result<String> {
    let rows = directory(store, caller, query).await?;
    Ok(directory_csv::export(
        &rows
            .iter()
            .map(|r| ExportRow {
                enterprise: &r.enterprise,
                supported: r.supported,
                earned_share_bp: r.earned_share_bp,
            })
            .collect::<Vec<_>>(),
    ))
}

/// Imports a directory file: each row changes the profile of the
/// organisation with its org-id (or, without one the register holds, its
/// name and postcode); a row that matches none adds the organisation with
/// its profile (a local identifier when it has no official one), a warning
/// in the report. Nothing is written when any row has an error (each at
/// its line and column); the same file twice changes nothing.
pub async fn import_directory(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<ProfilesSaved>> {
    caller.require(Capability::EditEnterprises)?;
    let (text, _) = decode(bytes);
    let names: HashMap<uuid::Uuid, String> = store
        .organisations_for_matching(caller.programme)
        .await?
        .into_iter()
        .map(|(id, e)| (id, e.name))
        .collect();
    let mut register: HashMap<String, Held> = store
        .organisation_ids(caller.programme)
        .await?
        .into_iter()
        .map(|(org_id, id)| {
            (
                org_id.trim().to_uppercase(),
                Held {
                    id,
                    name: names.get(&id).cloned().unwrap_or_default(),
                    postcode: None,
                    profile: None,
                },
            )
        })
        .collect();
    for e in store.enterprises(caller.programme).await? {
        register.insert(
            e.org_id.trim().to_uppercase(),
            Held {
                id: e.id,
                name: e.name,
                postcode: e.postcode,
                profile: e.profile,
            },
        );
    }
    // An org-id merged away names the organisation it was merged into, so
    // the file does not bring it back.
    let merges = store.merges(caller.programme).await?;
    if !merges.is_empty() {
        let by_id: HashMap<uuid::Uuid, Held> =
            register.values().map(|h| (h.id, h.clone())).collect();
        for m in merges {
            let key = m.merged_org_id.trim().to_uppercase();
            if let Some(kept) = by_id.get(&m.kept_id)
                && !register.contains_key(&key)
            {
                register.insert(key, kept.clone());
            }
        }
    }
    let mut report = Report::new(file_name);
    let lines = directory_csv::parse(&text, &register, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let mut new = Vec::new();
    let mut profiles = Vec::with_capacity(lines.len());
    for l in lines {
        let id = match l.target {
            Target::Held(id) => id,
            Target::New {
                org_id,
                name,
                postcode,
            } => {
                let id = uuid::Uuid::now_v7();
                new.push(NewOrganisation {
                    id,
                    org_id: org_id.unwrap_or_else(|| format!("{LOCAL_ID_PREFIX}{}", id.simple())),
                    name,
                    postcode,
                });
                id
            }
        };
        profiles.push((id, l.profile));
    }
    let outcome = store
        .save_directory(caller.programme, &new, &profiles, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}
