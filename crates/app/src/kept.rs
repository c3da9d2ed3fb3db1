//! Views kept while what they were computed from stands: a page's figures
//! (or its drawing) under the [`Revision`] read before they were computed,
//! by whatever else they depend on (the programme, the caller's role, the
//! day, the filter). A request reads the revision — one row — and is served
//! the kept view while the parts it depends on have not moved; any write to
//! those moves them in its own transaction (the store bumps them, or
//! triggers do), so the very next request sees it.

use std::sync::Mutex;

/// Where a programme's data stood: its counters, read in one statement.
pub use useit_store::revision::Revision;

/// At most `keep` views, the most recently used kept longest.
pub struct KeptViews<K, V> {
    keep: usize,
    /// Most recently used last.
    held: Mutex<Vec<(K, Revision, V)>>,
}

impl<K, V> KeptViews<K, V> {
    /// Keeps at most `keep` views (0: keeps none, computes every time).
    pub fn new(keep: usize) -> Self {
        KeptViews {
            keep,
            held: Mutex::new(Vec::new()),
        }
    }
}

impl<K: PartialEq, V: Clone> KeptViews<K, V> {
    /// The view kept for `key`, if `still(revision it was computed at)`
    /// says nothing it depends on moved since; a view that has is let go.
    pub fn get(&self, key: &K, still: impl Fn(&Revision) -> bool) -> Option<V> {
        let mut held = self.held.lock().expect("kept views lock");
        let i = held.iter().position(|(k, _, _)| k == key)?;
        let entry = held.remove(i);
        if !still(&entry.1) {
            return None;
        }
        let value = entry.2.clone();
        held.push(entry);
        Some(value)
    }

    /// Keeps `value`, computed from the data as it stood at `revision`.
    pub fn put(&self, key: K, revision: Revision, value: V) {
        if self.keep == 0 {
            return;
        }
        let mut held = self.held.lock().expect("kept views lock");
        held.retain(|(k, _, _)| *k != key);
        if held.len() >= self.keep {
            held.remove(0);
        }
        held.push((key, revision, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_stands_while_its_revision_does() {
        let kept: KeptViews<&str, u32> = KeptViews::new(2);
        let at = Revision {
            settings: 1,
            ..Revision::default()
        };
        kept.put("home", at, 7);
        assert_eq!(kept.get(&"home", |r| *r == at), Some(7));
        let moved = Revision {
            settings: 2,
            ..Revision::default()
        };
        // Stale: let go, and not found again under the old revision.
        assert_eq!(kept.get(&"home", |r| *r == moved), None);
        assert_eq!(kept.get(&"home", |r| *r == at), None);
        // The least recently used goes first.
        kept.put("a", at, 1);
        kept.put("b", at, 2);
        assert_eq!(kept.get(&"a", |_| true), Some(1));
        kept.put("c", at, 3);
        assert_eq!(kept.get(&"b", |_| true), None);
        assert_eq!(kept.get(&"a", |_| true), Some(1));
        // Nothing kept at 0.
        let none: KeptViews<&str, u32> = KeptViews::new(0);
        none.put("home", at, 7);
        assert_eq!(none.get(&"home", |_| true), None);
    }
}
