//! Revisions: a counter per programme, bumped inside every transaction that
//! changes what the spend figures are computed from (lines, suppliers and
//! their decisions, the register, anchors and their sites, the spend
//! settings, the area of benefit), and one for the deployment's reference
//! geography. The application layer keeps a programme's placed ledger while
//! both stand, so a page does not re-read a whole ledger per request, and
//! sees every change at once, whichever process made it (a CLI import while
//! the server runs included).

use async_trait::async_trait;
use useit_core::{ProgrammeId, UserId};

use crate::Result;

/// Where the data stood: equal revisions mean nothing the figures depend on
/// changed in between.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Revision {
    /// What the spend figures are computed from (bumped by the store).
    pub programme: i64,
    /// The deployment's reference geography.
    pub reference: i64,
    /// The other strands' records the indicators count (talent people,
    /// researchers and their time, enterprises, workforce files), bumped by
    /// triggers in the database on every write to those tables.
    pub records: i64,
    /// The programme's partners ([`PARTNERS`]).
    pub partners: i64,
    /// The few rows the home page reads besides the kept facts ([`SETTINGS`]).
    pub settings: i64,
    /// The spend files the dashboard lists ([`SPEND_FILES`]).
    pub spend_files: i64,
}

impl Revision {
    /// The part the placed spend ledger depends on: a talent edit moves
    /// `records` but leaves the ledger standing.
    pub fn spend(&self) -> (i64, i64) {
        (self.programme, self.reference)
    }

    /// The part the strands' facts depend on (the spend and the other
    /// strands' records): a target or partner edit leaves them standing.
    pub fn strands(&self) -> (i64, i64, i64) {
        (self.programme, self.reference, self.records)
    }
}

/// Where an account's access stood: equal values mean its account, its
/// memberships (roles), its sessions and the programmes are as they were,
/// so a session, the account and its roles read at the first may still be
/// used at the second. Moved by triggers in the database on every write to
/// those tables, whichever process makes it
/// (`20261206000045_access_revisions.sql`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccessRevision {
    /// Any programme made, renamed, re-set or removed.
    pub everyone: i64,
    /// This account, its memberships and its sessions.
    pub account: i64,
}

#[async_trait]
pub trait RevisionStore {
    async fn revision(&self, programme: ProgrammeId) -> Result<Revision>;
    /// The access counters of an account, in one statement.
    async fn access_revision(&self, user: UserId) -> Result<AccessRevision>;
    /// An account's access counters and a programme's revision, in one
    /// statement: a kept session asking for a programme's kept page reads
    /// nothing else.
    async fn access_and_revision(
        &self,
        user: UserId,
        programme: ProgrammeId,
    ) -> Result<(AccessRevision, Revision)>;
    /// The counter of a programme's list (such as [`PARTNERS`]), moved by
    /// triggers in the database on every write to the list's table,
    /// whichever process makes it (`20261206000051_list_revisions.sql`);
    /// 0 before the first write. A list read after the counter was read is
    /// never older than the counter says.
    async fn list_revision(&self, programme: ProgrammeId, list: &str) -> Result<i64>;
}

/// The list of a programme's partners: every write to `partners` moves it.
pub const PARTNERS: &str = "partners";

/// What the home page reads on every request besides its kept facts: every
/// write to the targets, the disclosure threshold, the talent costing, the
/// communities and their plans, and the members moves it
/// (`20261206000059_page_revisions.sql`).
pub const SETTINGS: &str = "settings";

/// The spend files: every write to `spend_files` moves it.
pub const SPEND_FILES: &str = "spend_files";

/// The scope of the deployment-wide reference geography's counter.
pub(crate) const REFERENCE: &str = "reference";
