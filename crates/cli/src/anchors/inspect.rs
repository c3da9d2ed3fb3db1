//! `useit anchors inspect FILE`: what a published spend file would import
//! as, before anything is written — the columns the reader chose and why,
//! the date order, the first lines, the lines and their total. With
//! `--programme` and `--anchor` the anchor's saved mapping and last date
//! order are used (as an import would); without them no database is needed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_app::Caller;
use useit_app::anchors::import::inspect_spend_file;
use useit_core::anchors::import::inspect_upload;
use useit_core::anchors::spend_file::{ColumnMapping, Inspection};
use useit_core::i18n::t;
use useit_core::money::format_pence;
use useit_store::Store;

use crate::input::{programme, read};
use crate::{fail, say};

#[derive(Args)]
pub struct InspectArgs {
    /// The programme of `--anchor`.
    #[arg(long, requires = "anchor")]
    pub programme: Option<String>,
    /// Read as this anchor's next file would be (its saved mapping and date order).
    #[arg(long, requires = "programme")]
    pub anchor: Option<String>,
    /// field=Header to try instead of the guess; repeat.
    #[arg(long = "map")]
    pub map: Vec<String>,
    /// The file (gzip-compressed files are read as they are).
    pub file: PathBuf,
}

impl InspectArgs {
    /// Whether the database is needed (an anchor's saved mapping).
    pub fn needs_database(&self) -> bool {
        self.anchor.is_some()
    }
}

pub async fn run(store: Option<&Arc<dyn Store>>, a: InspectArgs) -> anyhow::Result<ExitCode> {
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".gz").to_string())
        .unwrap_or_default();
    let bytes = read(&a.file)?;
    let mapping = if a.map.is_empty() {
        None
    } else {
        Some(ColumnMapping::parse(&a.map).map_err(anyhow::Error::msg)?)
    };
    let found = match (store, &a.programme, &a.anchor) {
        (Some(store), Some(p), Some(anchor)) => {
            let caller = Caller::console(programme(store, p).await?);
            match inspect_spend_file(
                store.as_ref(),
                &caller,
                anchor,
                &name,
                &bytes,
                mapping.as_ref(),
            )
            .await
            {
                Err(useit_app::Error::Rejected(r)) => Err(r),
                other => Ok(other?),
            }
        }
        _ => inspect_upload(&name, &bytes, &mapping.unwrap_or_default(), None),
    };
    match found {
        Err(report) => {
            eprint!("{report}");
            Err(fail!("cli.import_failed", "file" => &name, "count" => report.error_count()))
        }
        Ok((inspection, encoding)) => {
            print!("{}", describe(&name, encoding, &inspection));
            eprint!("{}", inspection.report);
            Ok(if inspection.report.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The inspection as plain text: what a person checks before importing.
fn describe(name: &str, encoding: &str, i: &Inspection) -> String {
    let mut out = String::new();
    let line = |out: &mut String, key: &str, args: &[(&str, &dyn std::fmt::Display)]| {
        out.push_str(&say(key, args));
        out.push('\n');
    };
    line(
        &mut out,
        "cli.anchors.inspect.file",
        &[("file", &name), ("encoding", &encoding)],
    );
    let sure = if i.guess.certain {
        t("cli.anchors.inspect.certain")
    } else {
        t("cli.anchors.inspect.uncertain")
    };
    line(&mut out, "cli.anchors.inspect.columns", &[("sure", &sure)]);
    for c in &i.guess.columns {
        let field = c.field.map(|f| f.words()).unwrap_or("-");
        out.push_str(&format!(
            "  {:>3}  {:<32}  {:<14}  {}\n",
            c.number,
            c.header,
            field,
            c.reason().text()
        ));
    }
    if !i.guess.mapping.is_empty() {
        let pairs: Vec<String> = i
            .guess
            .mapping
            .pairs()
            .iter()
            .map(|p| format!("--map '{p}'"))
            .collect();
        line(
            &mut out,
            "cli.anchors.inspect.mapping",
            &[("map", &pairs.join(" "))],
        );
    }
    line(
        &mut out,
        "cli.anchors.inspect.date_order",
        &[("order", &i.date_order.order.words())],
    );
    line(&mut out, "cli.anchors.inspect.first_lines", &[]);
    for l in &i.first_lines {
        out.push_str(&format!(
            "  {:>6}  {}  {:<40}  {:>14}\n",
            l.line,
            l.paid_on,
            l.supplier,
            format_pence(l.amount)
        ));
    }
    let range = match (i.first_paid_on, i.last_paid_on) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => t("cli.anchors.inspect.no_dates").to_string(),
    };
    line(
        &mut out,
        "cli.anchors.inspect.total",
        &[
            ("lines", &i.lines),
            ("total", &format_pence(i.total)),
            ("range", &range),
        ],
    );
    out
}
