//! `useit anchors decide-suppliers`: the review queue's bulk decision from
//! the command line, over the same use case as the page and the API.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_app::Caller;
use useit_app::anchors::suppliers::{decide_many, suppliers};
use useit_core::anchors::bulk::BulkDecisionInput;
use useit_core::anchors::resolution::SupplierQuery;
use useit_core::i18n::{Message, t};
use useit_store::Store;

use crate::input::programme;

#[derive(Args)]
pub struct DecideArgs {
    #[arg(long)]
    pub programme: String,
    /// accept_best (each supplier is its best candidate's organisation) or
    /// no_match (none of its candidates is it).
    #[arg(long)]
    pub decision: String,
    /// Without supplier keys: the review queue's suppliers whose name,
    /// organisation or org-id contains this text (all of them if left out).
    #[arg(long)]
    pub search: Option<String>,
    /// The suppliers' keys, as `anchors/suppliers` lists them; all of them
    /// are decided in one transaction, or none is.
    pub suppliers: Vec<String>,
}

pub async fn decide(store: &Arc<dyn Store>, a: DecideArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let keys = if a.suppliers.is_empty() {
        let queue = SupplierQuery {
            status: "review".into(),
            q: a.search.clone().unwrap_or_default(),
            sort: "name".into(),
            ..Default::default()
        };
        suppliers(store.as_ref(), &caller, &queue)
            .await?
            .into_iter()
            .map(|s| s.key)
            .collect()
    } else {
        a.suppliers.clone()
    };
    if keys.is_empty() {
        println!("{}", t("cli.bulk.queue_empty"));
        return Ok(ExitCode::SUCCESS);
    }
    let done = decide_many(
        store.as_ref(),
        &caller,
        &BulkDecisionInput {
            decision: a.decision.clone(),
            suppliers: keys,
        },
    )
    .await?;
    for s in &done.suppliers {
        let who = s
            .organisation
            .as_ref()
            .map(|o| format!("{} ({})", o.name, o.org_id))
            .unwrap_or_else(|| t("anchors.supplier.none").to_string());
        println!("{}\t{who}", s.name);
    }
    println!(
        "{}",
        Message::new(done.decision.done_key())
            .arg("count", done.suppliers.len())
            .text()
    );
    Ok(ExitCode::SUCCESS)
}
