//! `useit programme …` and `useit partners …`, and the programme part of the demo.

pub mod demo;
pub mod demo_glasgow;
pub mod demo_lille;
mod indicators;
mod model;
mod stories;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use useit_app::auth::Operator;
use useit_app::auth::users::user_by_email;
use useit_app::programme::CsvUpload;
use useit_app::programme::partner_csv::{export_partners, import_partners};
use useit_app::programme::programmes::{create_programme, programme_by_slug, programmes};
use useit_app::{Caller, Store};
use useit_core::ProgrammeId;
use useit_core::i18n::tn;
use useit_core::place::input::RadiusInput;
use useit_core::programme::model::Geography;
use useit_core::programme::{PartnerQuery, ProgrammeInput, ProgrammeLocaleInput};

use crate::auth::{app_error, field_errors};
use crate::progress;
use crate::{fail, say};

#[derive(Subcommand)]
pub enum ProgrammeCommand {
    /// Starts a programme.
    Add {
        /// Short name for web addresses, e.g. east-birmingham.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        description: String,
        /// E-mail of an existing account to make its first administrator.
        #[arg(long)]
        admin: Option<String>,
        /// Start from another programme's model (`programme model export`):
        /// its rules, settings, targets and area shape.
        #[arg(long, value_name = "FILE")]
        from_model: Option<PathBuf>,
        /// With --from-model: the new city's deprivation index (loaded with
        /// `place load`), on which the model's area shape is laid.
        #[arg(long, requires = "from_model")]
        index: Option<String>,
        /// With --index: the new city's local authority codes.
        #[arg(long = "local-authority", requires = "index")]
        local_authorities: Vec<String>,
        /// With --index: a site's postcode, or its position as `lat,lon`,
        /// reached at the model's distance.
        #[arg(long = "site", requires = "index")]
        sites: Vec<String>,
        /// With --from-model: the new city's currency (GBP or EUR), if not
        /// the model's.
        #[arg(long, requires = "from_model")]
        currency: Option<String>,
        /// With --from-model: the new city's language (en or fr), if not
        /// the model's.
        #[arg(long, requires = "from_model")]
        language: Option<String>,
    },
    /// A programme's model, for another city to start from.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Lists programmes.
    List,
    /// Prints what the programme achieved: every indicator as the home page
    /// shows it, with its target, and the steps still to take.
    Indicators {
        #[arg(long)]
        programme: String,
    },
    /// Shows the programme's disclosure threshold, or sets it with --k:
    /// counts of people under it are hidden from roles that may not see
    /// the people, on every page, chart, API answer and download.
    Disclosure {
        #[arg(long)]
        programme: String,
        /// The new threshold (3 to 20).
        #[arg(long)]
        k: Option<String>,
    },
    /// Shows the currency the programme's money is shown in and the
    /// language of its pages, or sets them: a city outside the UK (Lille:
    /// --currency EUR --language fr). Amounts are never converted.
    Locale {
        #[arg(long)]
        programme: String,
        /// GBP or EUR.
        #[arg(long, requires = "language")]
        currency: Option<String>,
        /// en or fr.
        #[arg(long, requires = "currency")]
        language: Option<String>,
    },
    /// Invites an e-mail address into the programme with a role and prints
    /// the link to send them; they accept it by signing in as that e-mail's
    /// account or by creating it.
    Invite {
        #[arg(long)]
        programme: String,
        #[arg(long)]
        email: String,
        /// The role they join with, e.g. community_researcher.
        #[arg(long)]
        role: String,
        /// Days the link works (1 to 60; 14 when left out).
        #[arg(long, default_value = "")]
        days: String,
        /// The address people reach the application at.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// The programme's targets.
    #[command(subcommand)]
    Targets(TargetsCommand),
    /// The programme's stories, each told with consent.
    #[command(subcommand)]
    Stories(stories::StoriesCommand),
    /// Writes the funder and evaluation report for a period: a PDF, or one
    /// HTML file when --out ends in .html.
    Report {
        #[arg(long)]
        programme: String,
        /// First day (default: three years before --to).
        #[arg(long, default_value = "")]
        from: String,
        /// Last day (default: today).
        #[arg(long, default_value = "")]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum ModelCommand {
    /// Writes the programme's model: spend rules, column mappings, LM3
    /// assumptions, talent settings, indicators and targets, catalogues,
    /// the area of benefit's shape, the disclosure threshold and the
    /// professions relied on. Never personal data, never area codes.
    Export {
        #[arg(long)]
        programme: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum TargetsCommand {
    /// Lists the targets (none until someone sets them).
    List {
        #[arg(long)]
        programme: String,
    },
    /// Sets one indicator's target, keeping the others.
    Set {
        #[arg(long)]
        programme: String,
        /// The indicator's short name, e.g. researchers_accredited.
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        value: String,
        /// First day of the period (2024-04-01); open when left out.
        #[arg(long, default_value = "")]
        from: String,
        /// Last day of the period; open when left out.
        #[arg(long, default_value = "")]
        to: String,
    },
    /// Removes one indicator's target.
    Clear {
        #[arg(long)]
        programme: String,
        #[arg(long)]
        indicator: String,
    },
}

#[derive(Subcommand)]
pub enum PartnersCommand {
    /// Imports partners from a CSV file (the export's format); all or nothing.
    Import {
        file: PathBuf,
        /// The programme's short name.
        #[arg(long)]
        programme: String,
        /// Check the file and say what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the partners as CSV.
    Export {
        #[arg(long)]
        programme: String,
        /// Include contact people (personal data; the export is audited).
        #[arg(long)]
        contacts: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// A `--site`: a position as `lat,lon`, or else a postcode.
fn site(raw: &str) -> RadiusInput {
    let position = raw
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
    match position {
        Some((lat, lon)) => RadiusInput {
            lat: Some(lat),
            lon: Some(lon),
            postcode: raw.trim().to_string(),
            ..Default::default()
        },
        None => RadiusInput {
            postcode: raw.trim().to_string(),
            ..Default::default()
        },
    }
}

/// The programme a `--programme` flag names, for the console.
pub(crate) async fn programme_id(store: &dyn Store, slug: &str) -> anyhow::Result<ProgrammeId> {
    match programme_by_slug(store, &Operator::console(), slug).await {
        Ok(p) => Ok(p.id),
        Err(useit_app::Error::NotFound) => Err(fail!("cli.no_programme", "slug" => slug)),
        Err(e) => Err(e.into()),
    }
}

pub async fn run_programme(url: &str, cmd: ProgrammeCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let console = Operator::console();
    match cmd {
        ProgrammeCommand::Add {
            slug,
            name,
            description,
            admin,
            from_model: Some(file),
            index,
            local_authorities,
            sites,
            currency,
            language,
        } => {
            let input = ProgrammeInput {
                slug,
                name,
                description,
                administrator_email: admin.unwrap_or_default(),
            };
            let geography = Geography {
                index: index.unwrap_or_default(),
                local_authorities,
                sites: sites.iter().map(|s| site(s)).collect(),
                note: say("cli.programme.model_note", &[("file", &file.display())]),
            };
            let locale = ProgrammeLocaleInput {
                currency: currency.unwrap_or_default(),
                language: language.unwrap_or_default(),
            };
            model::add(store.as_ref(), &input, &file, &geography, &locale).await?;
        }
        ProgrammeCommand::Add {
            slug,
            name,
            description,
            admin,
            ..
        } => {
            let input = ProgrammeInput {
                slug,
                name,
                description,
                administrator_email: admin.clone().unwrap_or_default(),
            };
            // The programme's own fields first, then whether the account exists.
            input.validate().map_err(field_errors)?;
            if let Some(email) = &admin {
                match user_by_email(store.as_ref(), &console, email).await {
                    Err(useit_app::Error::NotFound) => {
                        return Err(fail!("cli.no_account", "email" => email));
                    }
                    other => other?,
                };
            }
            let p = create_programme(store.as_ref(), &console, &input)
                .await
                .map_err(app_error)?;
            println!(
                "{}",
                say(
                    "cli.programme_added",
                    &[("slug", &p.slug), ("name", &p.name)]
                )
            );
        }
        ProgrammeCommand::Model(ModelCommand::Export { programme, out }) => {
            let caller = Caller::console(programme_id(store.as_ref(), &programme).await?);
            model::export(store.as_ref(), &caller, out.as_deref()).await?;
        }
        ProgrammeCommand::List => {
            for p in programmes(store.as_ref(), &console).await? {
                println!("{:<32}  {}", p.slug, p.name);
            }
        }
        ProgrammeCommand::Indicators { programme } => {
            let caller = Caller::console(programme_id(store.as_ref(), &programme).await?);
            indicators::print(store.as_ref(), &caller).await?;
        }
        ProgrammeCommand::Targets(cmd) => {
            indicators::targets(store.as_ref(), cmd).await?;
        }
        ProgrammeCommand::Stories(cmd) => {
            let code = stories::run(store.as_ref(), cmd).await;
            store.close().await;
            return code;
        }
        ProgrammeCommand::Report {
            programme,
            from,
            to,
            out,
        } => {
            let code = stories::write_report(store.as_ref(), &programme, from, to, out).await;
            store.close().await;
            return code;
        }
        ProgrammeCommand::Locale {
            programme,
            currency,
            language,
        } => {
            use useit_app::programme::programmes::set_programme_locale;
            let mut p = match programme_by_slug(store.as_ref(), &console, &programme).await {
                Err(useit_app::Error::NotFound) => {
                    return Err(fail!("cli.no_programme", "slug" => programme));
                }
                other => other?,
            };
            if let (Some(currency), Some(language)) = (currency, language) {
                let input = useit_core::programme::ProgrammeLocaleInput { currency, language };
                p = set_programme_locale(store.as_ref(), &console, p.id, &input)
                    .await
                    .map_err(app_error)?;
            }
            println!(
                "{}",
                say(
                    "cli.programme.locale",
                    &[
                        ("currency", &p.currency.code()),
                        ("language", &p.language.code()),
                        ("example", &p.money_style().show(123_456)),
                    ]
                )
            );
        }
        ProgrammeCommand::Disclosure { programme, k } => {
            use useit_app::programme::disclosure::{disclosure_settings, save_disclosure_settings};
            let caller = Caller::console(programme_id(store.as_ref(), &programme).await?);
            let s = match k {
                Some(k) => {
                    let input = useit_core::disclosure::DisclosureSettingsInput { k };
                    save_disclosure_settings(store.as_ref(), &caller, &input)
                        .await
                        .map_err(app_error)?
                }
                None => disclosure_settings(store.as_ref(), &caller).await?,
            };
            println!("{}", say("cli.programme.disclosure", &[("k", &s.k())]));
        }
        ProgrammeCommand::Invite {
            programme,
            email,
            role,
            days,
            base_url,
        } => {
            let caller = Caller::console(programme_id(store.as_ref(), &programme).await?);
            let input = useit_core::auth::invitation::InvitationInput { email, role, days };
            let invited =
                useit_app::programme::invitations::invite(store.as_ref(), &caller, &input)
                    .await
                    .map_err(app_error)?;
            let link = format!(
                "{}/invitations/{}",
                base_url.trim_end_matches('/'),
                invited.secret
            );
            println!(
                "{}",
                say(
                    "cli.programme.invited",
                    &[
                        ("email", &invited.invitation.email),
                        (
                            "closes",
                            &useit_core::clock::display(invited.invitation.expires_at)
                        ),
                    ]
                )
            );
            println!("{link}");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn run_partners(url: &str, cmd: PartnersCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let code = match cmd {
        PartnersCommand::Import {
            file,
            programme,
            dry_run,
        } => {
            let caller = Caller::console(programme_id(store.as_ref(), &programme).await?);
            let bytes = std::fs::read(&file)
                .map_err(|e| fail!("cli.cannot_read", "file" => file.display(), "reason" => e))?;
            let name = file.display().to_string();
            let bar = progress::bar(1, useit_core::i18n::t("cli.progress.import"));
            let upload = CsvUpload {
                file_name: &name,
                bytes: &bytes,
                dry_run,
            };
            let result = import_partners(store.as_ref(), &caller, upload).await;
            bar.finish_and_clear();
            match result {
                Err(useit_app::Error::Rejected(report)) => {
                    eprint!("{report}");
                    eprintln!(
                        "{}",
                        say(
                            "cli.import_failed",
                            &[("file", &name), ("count", &report.errors().count())]
                        )
                    );
                    ExitCode::FAILURE
                }
                Err(e) => return Err(e.into()),
                Ok(imported) => {
                    let (outcome, report) = (imported.outcome, imported.report);
                    eprint!("{report}");
                    let key = if outcome.applied {
                        "cli.imported"
                    } else {
                        "cli.import_dry_run"
                    };
                    println!(
                        "{}",
                        say(
                            key,
                            &[
                                ("file", &name),
                                ("created", &outcome.created),
                                ("updated", &outcome.updated),
                                ("unchanged", &outcome.unchanged),
                                (
                                    "warnings",
                                    &tn("cli.count.warnings", report.warnings().count() as u64)
                                ),
                            ]
                        )
                    );
                    ExitCode::SUCCESS
                }
            }
        }
        PartnersCommand::Export {
            programme,
            contacts,
            output,
        } => {
            let caller = Caller::console(programme_id(store.as_ref(), &programme).await?);
            let csv = export_partners(store.as_ref(), &caller, &PartnerQuery::default(), contacts)
                .await?;
            match output {
                Some(path) => {
                    std::fs::write(&path, csv.text).map_err(
                        |e| fail!("cli.cannot_write", "file" => path.display(), "reason" => e),
                    )?;
                    eprintln!(
                        "{}",
                        say(
                            "cli.partners_written",
                            &[("count", &csv.partners), ("file", &path.display())]
                        )
                    );
                }
                None => print!("{}", csv.text),
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}
