//! The ledger: spend files as imported and the payments they hold, as the
//! measures and the lists read them back.

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::money::Pence;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportOutcome {
    pub file_id: Option<Uuid>,
    pub lines_read: u64,
    /// Lines not already held (from this file before, or an overlapping one).
    pub lines_new: u64,
    pub total_new: Pence,
    pub new_suppliers: u64,
    pub matched: u64,
    pub to_review: u64,
    /// The very same file was imported before: nothing changed.
    pub already_imported: bool,
}

impl ImportOutcome {
    /// What the import did, in the catalogue's words.
    pub fn message(&self) -> crate::i18n::Message {
        use crate::i18n::Message;
        if self.already_imported {
            return Message::new("anchors.spend.import.already");
        }
        Message::new("anchors.spend.import.summary")
            .counted("read", "anchors.spend.import.n.read", self.lines_read)
            .counted("new", "anchors.spend.import.n.new", self.lines_new)
            .arg("total", crate::money::format_pence(self.total_new))
            .counted(
                "suppliers",
                "anchors.spend.import.n.suppliers",
                self.new_suppliers,
            )
            .counted("matched", "anchors.spend.import.n.matched", self.matched)
            .counted("review", "anchors.spend.import.n.review", self.to_review)
    }
}

/// An imported file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpendFileRecord {
    pub id: Uuid,
    pub anchor_slug: String,
    pub file_name: String,
    pub encoding: String,
    pub lines_read: i64,
    pub lines_new: i64,
    pub total: Pence,
    #[serde(with = "crate::iso_date::option")]
    pub first_paid_on: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub last_paid_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: time::OffsetDateTime,
    pub imported_by: String,
}

/// A payment with what the measures need of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerRow {
    pub id: i64,
    pub anchor_slug: String,
    #[serde(with = "crate::iso_date")]
    pub paid_on: Date,
    pub amount: Pence,
    pub supplier_key: String,
    pub supplier_name: String,
    pub expense_type: String,
    pub expense_area: String,
    pub reference: String,
    pub redacted: bool,
    pub file_name: String,
    pub line_no: i64,
}
