//! `useit anchors decide-suppliers`: the review queue's bulk decision from
//! the command line, over the same use case as the page and the API;
//! `search-register` and `link-supplier`: one supplier linked to the
//! organisation of the register a search finds.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_app::Caller;
use useit_app::anchors::suppliers::{self as use_case, decide_many, search_register, suppliers};
use useit_core::anchors::bulk::BulkDecisionInput;
use useit_core::anchors::register_search::{REGISTER_SEARCH_LIMIT, RegisterSearchInput};
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

#[derive(Args)]
pub struct SearchRegisterArgs {
    #[arg(long)]
    pub programme: String,
    /// A name or part of one, a company or charity number, an org-id or a
    /// postcode.
    pub text: String,
}

/// `useit anchors search-register`: the register's organisations matching
/// a name, number or postcode, one a line (id, org-id, name, and what the
/// register says of it), to link a supplier with `link-supplier`.
pub async fn search(store: &Arc<dyn Store>, a: SearchRegisterArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let input = RegisterSearchInput { q: a.text.clone() };
    let found = search_register(store.as_ref(), &caller, &input).await?;
    for m in &found.matches {
        let o = &m.organisation;
        let form = o
            .details
            .legal_form
            .as_deref()
            .map(|f| t(&format!("anchors.register.legal_form.{f}")).to_string());
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            o.id,
            o.org_id,
            o.name,
            o.company_number.as_deref().unwrap_or(""),
            form.as_deref().unwrap_or(""),
            o.postcode.as_deref().unwrap_or(""),
            m.area.as_deref().unwrap_or("")
        );
    }
    let said = if found.matches.is_empty() {
        Message::new("anchors.register_search.none").arg("text", &found.search.text)
    } else {
        Message::new("anchors.register_search.found")
            .arg("count", found.matches.len())
            .arg("text", &found.search.text)
    };
    eprintln!("{}", said.text());
    if found.more {
        eprintln!(
            "{}",
            Message::new("anchors.register_search.more")
                .arg("count", REGISTER_SEARCH_LIMIT)
                .text()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct LinkSupplierArgs {
    #[arg(long)]
    pub programme: String,
    /// The supplier's key, as `anchors/suppliers` lists it.
    #[arg(long)]
    pub supplier: String,
    /// The organisation: its id or org-id as `search-register` prints them,
    /// or `none` (none of the candidates is it).
    pub organisation: String,
}

/// `useit anchors link-supplier`: the supplier's decision, as the review
/// page and the API record it (audited; deciding again changes it).
pub async fn link(store: &Arc<dyn Store>, a: LinkSupplierArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let chosen = a.organisation.trim();
    let organisation = if chosen.eq_ignore_ascii_case("none") {
        None
    } else if let Ok(id) = uuid::Uuid::parse_str(chosen) {
        Some(id)
    } else {
        // An org-id: the register's organisation with exactly that org-id.
        let input = RegisterSearchInput { q: chosen.into() };
        let found = search_register(store.as_ref(), &caller, &input).await?;
        let id = found
            .matches
            .iter()
            .find(|m| m.organisation.org_id.eq_ignore_ascii_case(chosen))
            .map(|m| m.organisation.id)
            .ok_or_else(|| anyhow::anyhow!("{}", t("anchors.supplier.organisation_unknown")))?;
        Some(id)
    };
    let s = use_case::decide(store.as_ref(), &caller, &a.supplier, organisation).await?;
    println!(
        "{}",
        Message::new("anchors.supplier.decided")
            .arg("name", &s.name)
            .text()
    );
    Ok(ExitCode::SUCCESS)
}
