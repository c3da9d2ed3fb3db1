//! Tamper evidence for the audit log: entries are sealed, in the order they
//! are sealed, into a hash chain. A seal's hash covers its sequence number,
//! the hash before it and every field of its entry, so an entry changed,
//! removed or moved after sealing breaks the chain from that seal on.
//!
//! The chain proves the log was not rewritten *by someone who cannot also
//! rewrite every later seal*. Someone who can rewrite the whole chain can
//! be caught only against a head kept elsewhere: `useit audit verify`
//! prints the head (sequence and hash), and each backup records it.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::AuditEntry;

/// The hash before the first seal.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a seal: its sequence number, the previous hash and the
/// entry, each field length-prefixed so no two entries hash alike by
/// moving text between fields.
pub fn link(prev: &str, seq: i64, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    let opt_uuid = |u: Option<Uuid>| u.map(|u| u.as_bytes().to_vec()).unwrap_or_default();
    field(prev.as_bytes());
    field(&seq.to_be_bytes());
    field(e.id.as_bytes());
    field(&e.at.unix_timestamp_nanos().to_be_bytes());
    field(&opt_uuid(e.programme_id.map(|p| p.0)));
    field(&opt_uuid(e.actor_user_id.map(|u| u.0)));
    field(e.actor_label.as_bytes());
    field(e.channel.slug().as_bytes());
    field(e.action.slug().as_bytes());
    field(e.subject_type.as_bytes());
    field(&[u8::from(e.subject_id.is_some())]);
    field(e.subject_id.as_deref().unwrap_or("").as_bytes());
    field(e.summary.as_bytes());
    // The client address joined the entry later: an entry without one
    // hashes exactly as before (so chains sealed earlier still verify),
    // and one with it carries an extra field, which length-prefixing keeps
    // from ever hashing like an entry without.
    if let Some(address) = &e.address {
        field(address.as_bytes());
    }
    // So did the message (issue 15): tagged, so it never hashes like an
    // address, and absent from entries written before, which hash as they did.
    if let Some(message) = &e.message {
        field(b"message");
        field(message.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One seal as stored, with its entry as it now stands (`None` when the
/// entry is gone).
#[derive(Clone, Debug)]
pub struct Sealed {
    pub seq: i64,
    pub event_id: Uuid,
    pub hash: String,
    pub entry: Option<AuditEntry>,
}

/// Where the chain first breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The sealed entry is no longer in the log.
    Missing { seq: i64, event_id: Uuid },
    /// The entry (or the seal's hash) differs from what was sealed.
    Changed { seq: i64, event_id: Uuid },
    /// A sequence number is skipped: a seal was removed.
    Gap { expected: i64, found: i64 },
}

/// Checks seals in order, carrying the chain across pages of seals.
#[derive(Clone, Debug)]
pub struct Verifier {
    prev: String,
    next_seq: i64,
    pub checked: u64,
    pub broken: Option<Break>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            prev: GENESIS.to_string(),
            next_seq: 1,
            checked: 0,
            broken: None,
        }
    }
}

impl Verifier {
    /// Checks the next seals (in sequence order); stops at the first break.
    pub fn check(&mut self, seals: &[Sealed]) {
        for s in seals {
            if self.broken.is_some() {
                return;
            }
            if s.seq != self.next_seq {
                self.broken = Some(Break::Gap {
                    expected: self.next_seq,
                    found: s.seq,
                });
                return;
            }
            let Some(entry) = &s.entry else {
                self.broken = Some(Break::Missing {
                    seq: s.seq,
                    event_id: s.event_id,
                });
                return;
            };
            if entry.id != s.event_id || link(&self.prev, s.seq, entry) != s.hash {
                self.broken = Some(Break::Changed {
                    seq: s.seq,
                    event_id: s.event_id,
                });
                return;
            }
            self.prev = s.hash.clone();
            self.next_seq += 1;
            self.checked += 1;
        }
    }

    /// The last good seal: its sequence number and hash.
    pub fn head(&self) -> (i64, &str) {
        (self.next_seq - 1, &self.prev)
    }
}

/// Seals for entries not yet sealed, after the head `(seq, hash)`.
pub fn seal(head: (i64, &str), entries: &[AuditEntry]) -> Vec<(i64, Uuid, String)> {
    let (mut seq, mut prev) = (head.0, head.1.to_string());
    entries
        .iter()
        .map(|e| {
            seq += 1;
            prev = link(&prev, seq, e);
            (seq, e.id, prev.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Actor, AuditAction};

    fn entry(summary: &str) -> AuditEntry {
        AuditEntry::new(
            &Actor::system("test"),
            None,
            AuditAction::Read,
            "talent_person",
            Some("p1".into()),
            summary,
        )
    }

    fn sealed(entries: &[AuditEntry]) -> Vec<Sealed> {
        seal((0, GENESIS), entries)
            .into_iter()
            .zip(entries)
            .map(|((seq, event_id, hash), e)| Sealed {
                seq,
                event_id,
                hash,
                entry: Some(e.clone()),
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies_across_pages() {
        let entries: Vec<_> = (0..5).map(|i| entry(&format!("fields: {i}"))).collect();
        let seals = sealed(&entries);
        let mut v = Verifier::default();
        v.check(&seals[..2]);
        v.check(&seals[2..]);
        assert_eq!((v.checked, v.broken.clone()), (5, None));
        assert_eq!(v.head(), (5, seals[4].hash.as_str()));
        // Sealing more later continues the same chain.
        let more = vec![entry("fields: 5")];
        let next = seal(v.head(), &more);
        assert_eq!(next[0].0, 6);
        assert_eq!(next[0].2, link(&seals[4].hash, 6, &more[0]));
    }

    #[test]
    fn a_changed_removed_or_skipped_entry_breaks_the_chain_where_it_happened() {
        let entries: Vec<_> = (0..4).map(|i| entry(&format!("fields: {i}"))).collect();
        let good = sealed(&entries);

        let mut changed = good.clone();
        let e = changed[2].entry.as_mut().unwrap();
        e.action = AuditAction::Erase;
        let mut v = Verifier::default();
        v.check(&changed);
        assert_eq!(
            v.broken,
            Some(Break::Changed {
                seq: 3,
                event_id: entries[2].id
            })
        );
        assert_eq!(v.checked, 2);

        let mut missing = good.clone();
        missing[1].entry = None;
        let mut v = Verifier::default();
        v.check(&missing);
        assert!(matches!(v.broken, Some(Break::Missing { seq: 2, .. })));

        let mut gap = good.clone();
        gap.remove(1);
        let mut v = Verifier::default();
        v.check(&gap);
        assert_eq!(
            v.broken,
            Some(Break::Gap {
                expected: 2,
                found: 3
            })
        );

        // Moving text from one field to the next changes the hash.
        let mut a = entries[0].clone();
        a.subject_type = "talent_pers".into();
        a.subject_id = Some("onp1".into());
        assert_ne!(link(GENESIS, 1, &a), link(GENESIS, 1, &entries[0]));
    }

    /// An entry as written before addresses were kept, with everything
    /// fixed, so its hash can be pinned.
    fn old_entry() -> AuditEntry {
        let mut e = entry("fields: email");
        e.id = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);
        e.at = time::macros::datetime!(2026-12-01 09:30:00 UTC);
        e.actor_label = "console:ana".into();
        e
    }

    #[test]
    fn entries_sealed_before_addresses_were_kept_hash_as_they_did() {
        // Pinned from the chain as it was before the address joined the
        // entry: a change here would break every chain sealed until then.
        assert_eq!(
            link(GENESIS, 1, &old_entry()),
            "c62653881c186290e70b214aed8269d6596f1b8a4dbe8d2cb6198d1cbc5a1733"
        );
    }

    #[test]
    fn the_client_address_is_sealed_with_its_entry() {
        let mut e = old_entry();
        e.address = Some("203.0.113.7".into());
        let sealed = sealed(std::slice::from_ref(&e));
        assert_ne!(sealed[0].hash, link(GENESIS, 1, &old_entry()));
        let mut v = Verifier::default();
        v.check(&sealed);
        assert_eq!(v.broken, None);
        // Changing (or removing) the address afterwards breaks the chain.
        for changed in [Some("198.51.100.1".to_string()), None] {
            let mut edited = sealed.clone();
            edited[0].entry.as_mut().unwrap().address = changed;
            let mut v = Verifier::default();
            v.check(&edited);
            assert!(matches!(v.broken, Some(Break::Changed { seq: 1, .. })));
        }
    }

    #[test]
    fn the_message_is_sealed_with_its_entry_and_old_entries_hash_as_before() {
        let said = old_entry()
            .said(crate::audit::AuditMessage::new("audit.msg.log_read").number("count", 3));
        assert_ne!(link(GENESIS, 1, &said), link(GENESIS, 1, &old_entry()));
        // A message is not an address moved to another field.
        let mut addressed = old_entry();
        addressed.address = said.message.clone();
        assert_ne!(link(GENESIS, 1, &said), link(GENESIS, 1, &addressed));
        let sealed = sealed(std::slice::from_ref(&said));
        let mut v = Verifier::default();
        v.check(&sealed);
        assert_eq!(v.broken, None);
        let mut edited = sealed.clone();
        edited[0].entry.as_mut().unwrap().message = None;
        let mut v = Verifier::default();
        v.check(&edited);
        assert!(matches!(v.broken, Some(Break::Changed { seq: 1, .. })));
    }
}
