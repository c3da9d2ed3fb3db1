//! `useit user …`: accounts from the console.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::Subcommand;
use useit_core::audit::{Actor, AuditAction, AuditEntry};
use useit_core::auth::{NewUser, Role, UserQuery, password};
use useit_core::i18n::t;
use useit_core::listing::PageRequest;

use crate::{fail, say};

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
    let first = rpassword::prompt_password(format!("{}: ", t("sign_in.password")))?;
    let again = rpassword::prompt_password(format!("{}: ", t("account.password.confirm")))?;
    if first != again {
        return Err(fail!("password.mismatch"));
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
                    let p = store
                        .programme_by_slug(&slug)
                        .await?
                        .ok_or_else(|| fail!("cli.no_programme", "slug" => &slug))?;
                    let r: Role = role.parse().map_err(
                        |_| fail!("cli.unknown_role", "role" => &role, "roles" => roles()),
                    )?;
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
            println!(
                "{}",
                say(
                    "cli.user_added",
                    &[("email", &user.email), ("id", &user.id)]
                )
            );
        }
        UserCommand::SetPassword {
            email,
            password_stdin,
        } => {
            let c = store
                .credentials_by_email(&email)
                .await?
                .ok_or_else(|| fail!("cli.no_account", "email" => &email))?;
            let pw = read_password(password_stdin)?;
            password::check_policy(&pw).map_err(|m| anyhow::anyhow!("password: {m}"))?;
            store
                .set_password(c.user.id, &password::hash(&pw), None, &actor)
                .await?;
            println!("{}", say("cli.password_set", &[("email", &c.user.email)]));
        }
        UserCommand::List { search } => {
            let users = store
                .users(
                    &UserQuery {
                        q: search,
                        ..Default::default()
                    },
                    PageRequest::all(),
                )
                .await?;
            store
                .audit_append(&AuditEntry::new(
                    &actor,
                    None,
                    AuditAction::Read,
                    "user_list",
                    None,
                    format!("{} accounts: email, display_name", users.items.len()),
                ))
                .await?;
            println!("{}", t("cli.users_header"));
            for u in users.items {
                let mut flags = Vec::new();
                if u.is_admin {
                    flags.push("admin");
                }
                if u.disabled {
                    flags.push("disabled");
                }
                println!(
                    "{}, {}, {}, {}",
                    u.id,
                    u.email,
                    u.display_name,
                    flags.join(" ")
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

/// A store error in the catalogue's words.
pub fn store_error(e: useit_store::StoreError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message())
}
