//! `useit user …`: accounts from the console.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use useit_core::audit::Actor;
use useit_core::auth::{NewUser, Role, password};
use useit_core::listing::PageRequest;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Adds an account (asks for its password, or reads it with --password-stdin).
    Add {
        #[arg(long)]
        email: String,
        /// The person's name as shown to others.
        #[arg(long)]
        name: String,
        /// A deployment administrator: manages programmes and accounts.
        #[arg(long)]
        admin: bool,
        /// Also give a role in this programme (its short name).
        #[arg(long, requires = "role")]
        programme: Option<String>,
        /// The role in --programme, e.g. programme_manager.
        #[arg(long, requires = "programme")]
        role: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sets a new password and signs the account out everywhere.
    SetPassword {
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists accounts.
    List {
        /// Only names or e-mails containing this.
        #[arg(long)]
        search: Option<String>,
    },
}

/// A new password: from stdin, or asked for twice on a terminal.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let again = rpassword::prompt_password("Password again: ")?;
    if first != again {
        bail!("{}", useit_core::i18n::t("password.mismatch"));
    }
    Ok(first)
}

pub async fn run(url: &str, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    let actor = Actor::console();
    match cmd {
        UserCommand::Add {
            email,
            name,
            admin,
            programme,
            role,
            password_stdin,
        } => {
            let membership = match (programme, role) {
                (Some(slug), Some(role)) => {
                    let p = store.programme_by_slug(&slug).await?.with_context(|| {
                        format!("there is no programme '{slug}' (see `useit programme list`)")
                    })?;
                    let r: Role = role
                        .parse()
                        .map_err(|e| anyhow::anyhow!("{e}; roles: {}", roles()))?;
                    Some((p.id, r))
                }
                _ => None,
            };
            let pw = read_password(password_stdin)?;
            let new = NewUser::validate(&email, &name, &pw, admin).map_err(field_errors)?;
            let user = store
                .create_user(&new, membership, &actor)
                .await
                .map_err(store_error)?;
            println!("added {} ({})", user.email, user.id);
        }
        UserCommand::SetPassword {
            email,
            password_stdin,
        } => {
            let c = store
                .credentials_by_email(&email)
                .await?
                .with_context(|| format!("there is no account for {email}"))?;
            let pw = read_password(password_stdin)?;
            password::check_policy(&pw).map_err(|m| anyhow::anyhow!("password: {m}"))?;
            store
                .set_password(c.user.id, &password::hash(&pw), None, &actor)
                .await?;
            println!(
                "password set for {}; their sessions have ended",
                c.user.email
            );
        }
        UserCommand::List { search } => {
            let users = store.users(search.as_deref(), PageRequest::all()).await?;
            store
                .audit_append(&useit_core::audit::AuditEntry::new(
                    &actor,
                    None,
                    useit_core::audit::AuditAction::Read,
                    "user_list",
                    None,
                    format!("{} accounts: email, display_name", users.items.len()),
                ))
                .await?;
            println!("{:<36}  {:<32}  {:<24}  flags", "id", "email", "name");
            for u in users.items {
                let mut flags = Vec::new();
                if u.is_admin {
                    flags.push("admin");
                }
                if u.disabled {
                    flags.push("disabled");
                }
                println!(
                    "{:<36}  {:<32}  {:<24}  {}",
                    u.id,
                    u.email,
                    u.display_name,
                    flags.join(",")
                );
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn roles() -> String {
    Role::ALL
        .iter()
        .map(|r| r.slug())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Field errors as one line each: `email: Enter an email address …`.
pub fn field_errors(e: useit_core::validation::Invalid) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        e.0.iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n       ")
    )
}

/// A store error in the words of the catalogue.
pub fn store_error(e: useit_store::StoreError) -> anyhow::Error {
    match e {
        useit_store::StoreError::Conflict { field, message } => {
            anyhow::anyhow!("{field}: {message}")
        }
        other => anyhow::anyhow!(other),
    }
}
