//! `useit talent bulk-people|bulk-placements`: the lists' bulk changes from
//! the command line, over the same use cases as the pages and the API.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_app::Caller;
use useit_app::talent::bulk::{change_people, move_many};
use useit_app::talent::people::people;
use useit_core::i18n::{Message, t};
use useit_core::listing::PageRequest;
use useit_core::talent::bulk::{BulkMoveInput, BulkPeopleInput};
use useit_core::talent::person::PeopleParams;
use useit_core::talent::record::RecordInput;
use useit_store::Store;

use crate::input::programme;
use crate::{fail, progress};

#[derive(Args)]
pub struct BulkPeopleArgs {
    #[arg(long)]
    pub programme: String,
    /// step, barrier, support, note, work or caseworker.
    #[arg(long)]
    pub action: String,
    /// For `caseworker`: the caseworker's e-mail or id (left out: none).
    #[arg(long, default_value = "")]
    pub caseworker: String,
    /// A field of the record, as the person page names it, e.g.
    /// `--set barrier=dbs_check --set raised_on=2026-11-02`.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Without ids: the people whose name, e-mail, phone, postcode or
    /// country contains this text.
    #[arg(long)]
    pub search: Option<String>,
    /// Without ids: the people at this stage (engaged, on_pathway, registered).
    #[arg(long)]
    pub stage: Option<String>,
    /// Without ids: the people of this profession.
    #[arg(long)]
    pub profession: Option<String>,
    /// The people's ids; all are changed in one transaction, or none is.
    pub people: Vec<String>,
}

/// The record's fields from `--set field=value` pairs.
fn record(set: &[String]) -> anyhow::Result<RecordInput> {
    let mut fields = serde_json::Map::new();
    for s in set {
        let Some((k, v)) = s.split_once('=') else {
            return Err(fail!("cli.talent.bulk_bad_set", "value" => s));
        };
        fields.insert(k.trim().to_string(), serde_json::Value::String(v.into()));
    }
    Ok(serde_json::from_value(serde_json::Value::Object(fields))?)
}

pub async fn bulk_people(store: &Arc<dyn Store>, a: BulkPeopleArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let chosen = if a.people.is_empty() {
        if a.search.is_none() && a.stage.is_none() && a.profession.is_none() {
            return Err(fail!("cli.talent.bulk_choose"));
        }
        let params = PeopleParams {
            q: a.search.clone().unwrap_or_default(),
            stage: a.stage.clone().unwrap_or_default(),
            profession: a.profession.clone().unwrap_or_default(),
            ..Default::default()
        };
        people(store.as_ref(), &caller, &params.query(), PageRequest::all())
            .await?
            .items
            .into_iter()
            .filter(|p| p.erased_at.is_none())
            .map(|p| p.id.to_string())
            .collect()
    } else {
        a.people.clone()
    };
    if chosen.is_empty() {
        println!("{}", t("cli.talent.bulk_none"));
        return Ok(ExitCode::SUCCESS);
    }
    let input = BulkPeopleInput {
        people: chosen,
        action: a.action.clone(),
        caseworker: a.caseworker.clone(),
        record: record(&a.set)?,
    };
    let bar = progress::bar(input.people.len() as u64, t("cli.progress.talent_bulk"));
    let done = change_people(store.as_ref(), &caller, &input, &|n| bar.set_position(n)).await;
    bar.finish_and_clear();
    let done = done?;
    for p in &done.people {
        println!("{}\t{}", p.id, p.draft.full_name);
    }
    println!(
        "{}",
        Message::new(done.action.done_key())
            .arg("count", done.people.len())
            .text()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct BulkPlacementsArgs {
    #[arg(long)]
    pub programme: String,
    /// applied, interviewed, offered, started, left or withdrawn.
    #[arg(long)]
    pub status: String,
    /// The day it happened, YYYY-MM-DD (today if left out).
    #[arg(long, default_value = "")]
    pub on: String,
    /// The placements' ids; all move in one transaction, or none does.
    #[arg(required = true)]
    pub placements: Vec<String>,
}

pub async fn bulk_placements(
    store: &Arc<dyn Store>,
    a: BulkPlacementsArgs,
) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let input = BulkMoveInput {
        placements: a.placements.clone(),
        status: a.status.clone(),
        on: a.on.clone(),
    };
    let bar = progress::bar(1, t("cli.progress.talent_bulk"));
    let moved = move_many(store.as_ref(), &caller, &input).await;
    bar.finish_and_clear();
    let moved = moved?;
    for p in &moved {
        let name = p.person_name.clone().unwrap_or_default();
        println!("{}\t{name}\t{}", p.id, p.vacancy_title);
    }
    println!(
        "{}",
        Message::new("talent.bulk.done.moved")
            .arg("count", moved.len())
            .text()
    );
    Ok(ExitCode::SUCCESS)
}
