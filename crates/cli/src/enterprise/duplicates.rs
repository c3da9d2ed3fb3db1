//! `useit enterprise duplicates` and `useit enterprise merge KEEP OTHER`:
//! the likely pairs and merging one organisation into another, over the
//! same app functions as the page and the API.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_app::Caller;
use useit_app::enterprise::merge::{duplicates, merge, not_duplicate, organisation_named};
use useit_core::enterprise::duplicates::Merged;
use useit_core::i18n::t;
use useit_store::Store;

use crate::input::programme;
use crate::say;

#[derive(Args)]
pub struct DuplicatesArgs {
    #[arg(long)]
    pub programme: String,
}

#[derive(Args)]
pub struct MergeArgs {
    #[arg(long)]
    pub programme: String,
    /// The organisation that stays: its org-id or id.
    pub keep: String,
    /// The organisation merged into it and removed: its org-id or id.
    pub other: String,
    /// Say the two are not one organisation instead (the pair is no
    /// longer proposed); nothing is merged.
    #[arg(long)]
    pub not_duplicate: bool,
}

pub async fn duplicates_cmd(store: &Arc<dyn Store>, a: DuplicatesArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let pairs = duplicates(store.as_ref(), &caller).await?;
    if pairs.is_empty() {
        println!("{}", t("enterprise.duplicates.none"));
    }
    for p in pairs {
        let why = p
            .reasons
            .iter()
            .map(|r| t(r.label_key()).to_string())
            .collect::<Vec<_>>()
            .join("; ");
        println!(
            "{}\t{}\t{}\t{}\t{}",
            p.keep.org_id, p.keep.name, p.other.org_id, p.other.name, why
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn merge_cmd(store: &Arc<dyn Store>, a: MergeArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let s = store.as_ref();
    let keep = organisation_named(s, &caller, &a.keep).await?;
    let other = organisation_named(s, &caller, &a.other).await?;
    if a.not_duplicate {
        let new = not_duplicate(s, &caller, keep, other).await?;
        println!(
            "{}",
            t(if new {
                "enterprise.duplicates.dismissed"
            } else {
                "enterprise.duplicates.dismissed_before"
            })
        );
        return Ok(ExitCode::SUCCESS);
    }
    match merge(s, &caller, keep, other).await? {
        Merged::Merged { counts: c } => println!(
            "{}",
            say(
                "cli.enterprise.merged",
                &[
                    ("other", &a.other),
                    ("keep", &a.keep),
                    ("suppliers", &c.suppliers),
                    ("support", &c.support),
                    ("income", &c.income_years),
                    ("grants", &c.grants),
                    ("links", &c.other_links()),
                    ("dropped", &c.dropped),
                ],
            )
        ),
        Merged::AlreadyMerged { record } => println!(
            "{}",
            say(
                "cli.enterprise.already_merged",
                &[
                    ("other", &record.merged_name),
                    ("org_id", &record.merged_org_id),
                    ("keep", &a.keep),
                ],
            )
        ),
    }
    Ok(ExitCode::SUCCESS)
}
