//! `useit programme indicators` and `useit programme targets …`: the same
//! figures and targets as the home page and the API, from the same use cases.

use useit_app::anchors::Ledgers;
use useit_app::programme::indicators::{indicators, save_targets, targets as saved_targets};
use useit_app::{Caller, Store};
use useit_core::i18n::t;
use useit_core::programme::indicators::{
    Figure, Indicator, figure_text, published_coverage_text, target_text,
};
use useit_core::programme::targets::{TargetInput, TargetsInput};

use super::{TargetsCommand, programme_id};
use crate::auth::app_error;
use crate::{fail, say};

/// Prints every indicator, its target and the steps still to take.
pub async fn print(store: &dyn Store, caller: &Caller) -> anyhow::Result<()> {
    let ind = indicators(store, caller, &Ledgers::new(0)).await?;
    if !ind.get_started.is_empty() {
        println!("{}", t("home.get_started"));
        for (n, s) in ind.get_started.iter().enumerate() {
            println!("  {}. {}", n + 1, t(&s.label_key()));
        }
        println!();
    }
    println!("{}", t("home.achieved"));
    for p in &ind.figures {
        println!(
            "  {:<56} {}",
            t(&p.indicator.label_key()),
            figure_text(&p.figure)
        );
        let cover = published_coverage_text(p);
        if !cover.is_empty() {
            println!("  {:<56} {cover}", "");
        }
        if !p.by_anchor.is_empty() {
            let list: Vec<String> = p
                .by_anchor
                .iter()
                .map(|a| format!("{} {}", a.anchor, useit_core::i18n::format_count(a.count)))
                .collect();
            println!(
                "  {:<56} {}",
                "",
                say("wages.by_anchor", &[("list", &list.join(", "))])
            );
        }
        if let Figure::NotKnown { fix } = p.figure {
            println!(
                "  {:<56} {}",
                "",
                say(
                    "indicators.not_known_fix",
                    &[("step", &t(&fix.label_key()))]
                )
            );
        }
        if let Some(target) = &p.target {
            let mut line = say("home.target", &[("target", &target_text(target))]);
            if let Some(bp) = p.of_target_bp {
                line.push_str(" · ");
                line.push_str(&say(
                    "home.of_target",
                    &[("share", &useit_core::figures::percent_bp(bp))],
                ));
            }
            println!("  {:<56} {line}", "");
        }
    }
    Ok(())
}

/// Lists, sets or clears targets. Setting one keeps the others: the whole
/// set is saved in one transaction, as the targets page does.
pub async fn targets(store: &dyn Store, cmd: TargetsCommand) -> anyhow::Result<()> {
    let (programme, change) = match cmd {
        TargetsCommand::List { programme } => (programme, None),
        TargetsCommand::Set {
            programme,
            indicator,
            value,
            from,
            to,
        } => (
            programme,
            Some(TargetInput {
                indicator,
                value,
                from,
                to,
            }),
        ),
        TargetsCommand::Clear {
            programme,
            indicator,
        } => (
            programme,
            Some(TargetInput {
                indicator,
                ..Default::default()
            }),
        ),
    };
    let caller = Caller::console(programme_id(store, &programme).await?);
    let mut current: Vec<TargetInput> = saved_targets(store, &caller)
        .await?
        .iter()
        .map(TargetInput::of)
        .collect();
    if let Some(change) = change {
        if Indicator::parse(&change.indicator).is_none() {
            return Err(fail!("targets.unknown_indicator", "indicator" => change.indicator));
        }
        current.retain(|r| r.indicator != change.indicator.trim());
        current.push(change);
        let saved = save_targets(store, &caller, &TargetsInput { targets: current })
            .await
            .map_err(app_error)?;
        current = saved.iter().map(TargetInput::of).collect();
    }
    if current.is_empty() {
        println!("{}", t("cli.targets.none"));
    }
    for r in &current {
        let label = Indicator::parse(&r.indicator)
            .map(|i| t(&i.label_key()).to_string())
            .unwrap_or_default();
        println!(
            "{:<26} {:<56} {:>8}  {} {}",
            r.indicator, label, r.value, r.from, r.to
        );
    }
    Ok(())
}
