//! `useit programme model export` and `useit programme add --from-model`.

use std::path::Path;

use useit_app::auth::Operator;
use useit_app::programme::model::{NewFromModel, create_from_model, export_model};
use useit_app::{Caller, Store};
use useit_core::i18n::t;
use useit_core::programme::model::Geography;
use useit_core::programme::{ProgrammeInput, ProgrammeLocaleInput};

use crate::auth::app_error;
use crate::progress;
use crate::{fail, say};

/// Writes the programme's model to `out`, or to standard output.
pub async fn export(store: &dyn Store, caller: &Caller, out: Option<&Path>) -> anyhow::Result<()> {
    let model = export_model(store, caller).await.map_err(app_error)?;
    let text = model.to_file();
    match out {
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|e| fail!("cli.cannot_write", "file" => path.display(), "reason" => e))?;
            eprintln!(
                "{}",
                say(
                    "cli.programme.model_written",
                    &[("file", &path.display()), ("name", &model.modelled_on)]
                )
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// Starts a programme from a model file on the geography given.
pub async fn add(
    store: &dyn Store,
    input: &ProgrammeInput,
    file: &Path,
    geography: &Geography,
    locale: &ProgrammeLocaleInput,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| fail!("cli.cannot_read", "file" => file.display(), "reason" => e))?;
    let bar = progress::bar(1, t("cli.progress.from_model"));
    let new = NewFromModel {
        programme: input,
        model: &bytes,
        geography,
        locale: Some(locale),
    };
    let made = create_from_model(store, &Operator::console(), &new).await;
    bar.finish_and_clear();
    let p = made.map_err(app_error)?;
    println!(
        "{}",
        say(
            "cli.programme.added_from_model",
            &[
                ("slug", &p.slug),
                ("name", &p.name),
                ("file", &file.display())
            ]
        )
    );
    Ok(())
}
