//! The lineage of replications: which programme was modelled on which.

use useit_core::auth::Capability;
use useit_core::i18n::{t, tf};
use useit_core::workshops::lineage::{Replication, ReplicationDraft, ReplicationInput};

use crate::{Caller, Result, Store};

/// The lineage as recorded, with the programmes started in useit from a
/// model of this programme (`programme model export`, then `programme add
/// --from-model`) below it, unless one of that name is recorded already.
/// This programme is the recorded original it hangs them from (the one
/// original, or the row of its own name); without one, it heads them.
pub async fn replications(store: &dyn Store, caller: &Caller) -> Result<Vec<Replication>> {
    caller.require(Capability::ViewWorkshops)?;
    let mut all = store.replications(caller.programme).await?;
    let Some(me) = store.programme(caller.programme).await? else {
        return Ok(all);
    };
    let started = store
        .programmes_modelled_on(caller.programme, &me.name)
        .await?;
    let started: Vec<_> = started
        .into_iter()
        .filter(|(_, name, _)| !all.iter().any(|r| r.draft.name == *name))
        .collect();
    if started.is_empty() {
        return Ok(all);
    }
    let originals: Vec<&Replication> = all
        .iter()
        .filter(|r| r.draft.modelled_on.is_none())
        .collect();
    let parent = match all.iter().find(|r| r.draft.name == me.name) {
        Some(r) => r.id,
        None if originals.len() == 1 => originals[0].id,
        None => {
            all.push(Replication {
                id: me.id.0,
                draft: ReplicationDraft {
                    name: me.name.clone(),
                    city: t("workshops.lineage.city_not_recorded").to_string(),
                    modelled_on: None,
                    started: Some(me.created_at.year()),
                    note: t("workshops.lineage.this_programme").to_string(),
                },
                created_at: me.created_at,
            });
            me.id.0
        }
    };
    for (id, name, created_at) in started {
        all.push(Replication {
            id,
            draft: ReplicationDraft {
                name,
                city: t("workshops.lineage.city_not_recorded").to_string(),
                modelled_on: Some(parent),
                started: Some(created_at.year()),
                note: tf("workshops.lineage.from_model", &[("programme", &me.name)]),
            },
            created_at,
        });
    }
    Ok(all)
}

pub async fn add_replication(
    store: &dyn Store,
    caller: &Caller,
    input: &ReplicationInput,
) -> Result<Replication> {
    caller.require(Capability::OrganiseWorkshops)?;
    let known = store.replications(caller.programme).await?;
    let draft = input.validate(&known)?;
    Ok(store
        .add_replication(caller.programme, &draft, &caller.actor)
        .await?)
}
