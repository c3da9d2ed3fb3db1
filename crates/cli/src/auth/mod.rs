//! `useit user …`: accounts from the console.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::Subcommand;
use useit_app::auth::Operator;
use useit_app::auth::users::{create_user, set_password, user_by_email, users};
use useit_core::auth::{Role, UserInput, UserQuery};
use useit_core::i18n::t;
use useit_core::listing::PageRequest;

use crate::programme::programme_id;
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
    let console = Operator::console();
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
                    let p = programme_id(store.as_ref(), &slug).await?;
                    let r: Role = role.parse().map_err(
                        |_| fail!("cli.unknown_role", "role" => &role, "roles" => roles()),
                    )?;
                    Some((p, r))
                }
                _ => None,
            };
            let input = UserInput {
                email,
                display_name: name,
                password: read_password(password_stdin)?,
                is_admin: admin,
            };
            let user = create_user(store.as_ref(), &console, &input, membership)
                .await
                .map_err(app_error)?;
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
            let user = match user_by_email(store.as_ref(), &console, &email).await {
                Err(useit_app::Error::NotFound) => {
                    return Err(fail!("cli.no_account", "email" => &email));
                }
                other => other?,
            };
            let pw = read_password(password_stdin)?;
            set_password(store.as_ref(), &console, user.id, &pw)
                .await
                .map_err(app_error)?;
            println!("{}", say("cli.password_set", &[("email", &user.email)]));
        }
        UserCommand::List { search } => {
            let query = UserQuery {
                q: search,
                ..Default::default()
            };
            let users = users(store.as_ref(), &console, &query, PageRequest::all()).await?;
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

/// A use case's error for the terminal: field errors one a line, as
/// [`field_errors`] writes them; the rest in the catalogue's words.
pub fn app_error(e: useit_app::Error) -> anyhow::Error {
    match e {
        useit_app::Error::Invalid(errs) => field_errors(useit_core::validation::Invalid(errs)),
        other => other.into(),
    }
}
