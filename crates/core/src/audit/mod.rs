//! The audit trail: who read, created, changed, exported or erased which
//! record, when and through which channel.
//!
//! Entries never hold the personal data itself, only which record and which
//! fields, so the log can be kept after a person's data is erased.

pub mod chain;
mod message;
mod query;

pub use message::{Arg, AuditMessage};
pub use query::AuditQuery;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{ProgrammeId, UserId};

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Read,
    Create,
    Update,
    Delete,
    Export,
    Import,
    Erase,
    Merge,
    SignIn,
    SignInFailed,
    SignOut,
    PasswordChange,
    TokenCreate,
    TokenRevoke,
}

impl AuditAction {
    pub const ALL: [AuditAction; 14] = [
        AuditAction::Read,
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Delete,
        AuditAction::Export,
        AuditAction::Import,
        AuditAction::Erase,
        AuditAction::Merge,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
        AuditAction::PasswordChange,
        AuditAction::TokenCreate,
        AuditAction::TokenRevoke,
    ];

    pub fn slug(&self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Export => "export",
            AuditAction::Import => "import",
            AuditAction::Erase => "erase",
            AuditAction::Merge => "merge",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
            AuditAction::PasswordChange => "password_change",
            AuditAction::TokenCreate => "token_create",
            AuditAction::TokenRevoke => "token_revoke",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for AuditAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.slug() == s.trim())
            .ok_or_else(|| format!("unknown audit action '{s}'"))
    }
}

/// How the actor reached the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Api,
    Cli,
}

impl Channel {
    pub fn slug(&self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Cli => "cli",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "web" => Some(Channel::Web),
            "api" => Some(Channel::Api),
            "cli" => Some(Channel::Cli),
            _ => None,
        }
    }
}

/// Who is acting. The label is kept even if the user is later erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub label: String,
    pub channel: Channel,
    /// The client's network address, as the server trusts it (behind
    /// `--trust-proxy`, the address the proxy saw); `None` at the console.
    pub address: Option<String>,
}

impl Actor {
    pub fn user(user_id: UserId, label: impl Into<String>, channel: Channel) -> Self {
        Self {
            user_id: Some(user_id),
            label: label.into(),
            channel,
            address: None,
        }
    }

    /// The same actor, reaching us from this network address.
    pub fn at_address(mut self, address: Option<String>) -> Self {
        self.address = address;
        self
    }

    /// Someone at the server's console, running the CLI.
    pub fn console() -> Self {
        let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        Self {
            user_id: None,
            label: format!("console:{who}"),
            channel: Channel::Cli,
            address: None,
        }
    }

    /// The demo builder.
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: format!("system:{label}"),
            channel: Channel::Cli,
            address: None,
        }
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub programme_id: Option<ProgrammeId>,
    pub actor_user_id: Option<UserId>,
    pub actor_label: String,
    pub channel: Channel,
    pub action: AuditAction,
    /// The kind of record, e.g. `partner_contact`, `user`, `membership`.
    pub subject_type: String,
    /// The record's identifier, if it is one record.
    pub subject_id: Option<String>,
    /// What was touched, without the personal data itself, e.g. `fields: email`.
    pub summary: String,
    /// The client's network address (web and API; `None` from the console
    /// and for entries written before addresses were kept).
    pub address: Option<String>,
    /// What the entry says as a catalogue key and its arguments (an
    /// [`AuditMessage`] as JSON), said in words when read; `None` for
    /// entries written before messages were kept, read from `summary`.
    pub message: Option<String>,
}

impl AuditEntry {
    pub fn new(
        actor: &Actor,
        programme_id: Option<ProgrammeId>,
        action: AuditAction,
        subject_type: &str,
        subject_id: Option<String>,
        summary: impl Into<String>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            at: crate::clock::now(),
            programme_id,
            actor_user_id: actor.user_id,
            actor_label: actor.label.clone(),
            channel: actor.channel,
            action,
            subject_type: subject_type.to_string(),
            subject_id,
            summary: summary.into(),
            address: actor.address.clone(),
            message: None,
        }
    }

    /// The same entry, saying what it records in the catalogue's words
    /// (its summary stays as the plain record the log searches).
    pub fn said(mut self, message: AuditMessage) -> Self {
        self.message = Some(message.to_json());
        self
    }

    /// The people the entry is about: the account a `user` or
    /// `membership` entry names, and anyone its message names.
    pub fn people(&self) -> Vec<uuid::Uuid> {
        let mut out: Vec<Uuid> = match (self.subject_type.as_str(), &self.subject_id) {
            ("user" | "membership", Some(id)) => id.parse().ok().into_iter().collect(),
            _ => Vec::new(),
        };
        if let Some(m) = self.message.as_deref().and_then(AuditMessage::parse) {
            out.extend(m.people());
        }
        out
    }

    /// What the entry says, in the reader's words: its message where it has
    /// one, else its stored summary with the codes in it said in words.
    pub fn said_in_words(&self, name: &dyn Fn(Uuid) -> Option<String>) -> String {
        match self.message.as_deref().and_then(AuditMessage::parse) {
            Some(m) => m.render(name),
            None => crate::words::in_words(&self.summary),
        }
    }
}

/// How to narrow the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// `None` means every programme (deployment administrators only).
    pub programme_id: Option<ProgrammeId>,
    pub action: Option<AuditAction>,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub actor_user_id: Option<UserId>,
    /// Free text over actor label and summary.
    pub q: Option<String>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    /// Newest first unless set.
    pub oldest_first: bool,
}

/// Audit entries as CSV. The log is a record, not a list to edit, so this is
/// the one export that does not import back (the log is append-only).
/// `what` is what each entry says in the reader's words (its message, the
/// people it names named by `name`); `summary` keeps the summary as it was
/// stored and sealed, for whoever checks the log against its chain.
pub fn to_csv(entries: &[AuditEntry], name: &dyn Fn(Uuid) -> Option<String>) -> String {
    use crate::csv_import::safe_field;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "at",
        "programme_id",
        "actor",
        "actor_user_id",
        "channel",
        "action",
        "subject_type",
        "subject_id",
        "what",
        "summary",
        "client_address",
    ]);
    for e in entries {
        let _ = w.write_record([
            crate::clock::rfc3339(e.at),
            e.programme_id.map(|p| p.to_string()).unwrap_or_default(),
            safe_field(&e.actor_label),
            e.actor_user_id.map(|u| u.to_string()).unwrap_or_default(),
            e.channel.slug().to_string(),
            e.action.slug().to_string(),
            e.subject_type.clone(),
            e.subject_id.clone().unwrap_or_default(),
            safe_field(&e.said_in_words(name)),
            safe_field(&e.summary),
            safe_field(e.address.as_deref().unwrap_or_default()),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Locale, with_locale};

    /// The CSV says what each entry records in the reader's words, beside
    /// the summary as stored.
    #[test]
    fn the_csv_says_each_entry_in_the_readers_words() {
        let who = Uuid::from_u128(9);
        let e = AuditEntry::new(
            &Actor::system("test"),
            None,
            AuditAction::Update,
            "programme_disclosure",
            None,
            "threshold set to 5",
        )
        .said(AuditMessage::new("audit.msg.threshold_set").number("k", 5));
        let signed = AuditEntry::new(
            &Actor::system("test"),
            None,
            AuditAction::SignIn,
            "user",
            Some(who.to_string()),
            "",
        )
        .said(AuditMessage::new("audit.msg.signed_in").person("who", who));
        let named = |id: Uuid| (id == who).then(|| "Ana Silva".to_string());
        let csv = to_csv(&[e.clone(), signed], &named);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let headers = r.headers().unwrap().clone();
        let what = headers.iter().position(|h| h == "what").unwrap();
        let summary = headers.iter().position(|h| h == "summary").unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert!(
            rows[0][what].starts_with("Counts of people below 5"),
            "{csv}"
        );
        assert_eq!(&rows[0][summary], "threshold set to 5");
        assert_eq!(&rows[1][what], "Ana Silva signed in");
        let fr = with_locale(
            Locale {
                language: Language::Fr,
                ..Default::default()
            },
            || to_csv(&[e], &named),
        );
        assert!(!fr.contains("Counts of people"), "{fr}");
    }
}
