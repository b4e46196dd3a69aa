//! Per-member page versions: which of a member's cached pages may still be served, raised by anything that member does, in every app process.
//!
//! A member's own request can change what only that member sees (reading a thread marks its
//! notifications read, opening a conversation marks it read), and those requests are reads to
//! everyone else: they do not raise the public pages' version. So the page cache keeps a
//! member's pages at that member's version here, and every request of the member that the cache
//! did not answer raises it, here at once and, on PostgreSQL, in every other process (NOTIFY on
//! the pages' channel, see `Db::member_pages_changed`).
//!
//! Members are named by the hash of their session token (`auth::repo::hash_token`), never by
//! the token. The table is bounded: past [`MAX_MEMBERS`] it starts again empty under a new
//! epoch, which every entry made before no longer matches.

use std::collections::HashMap;
use std::sync::Mutex;

/// The most members whose version is remembered at once.
pub const MAX_MEMBERS: usize = 50_000;

/// A member's page version: the table's epoch and the member's count within it.
pub type Version = (u64, u64);

#[derive(Default)]
struct Table {
    epoch: u64,
    members: HashMap<String, u64>,
}

/// The versions of the members' pages in this process.
#[derive(Default)]
pub struct MemberPages(Mutex<Table>);

impl MemberPages {
    /// The current version of `member`'s pages.
    pub fn version(&self, member: &str) -> Version {
        let t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (t.epoch, t.members.get(member).copied().unwrap_or(0))
    }

    /// Raises `member`'s version and returns the new one.
    pub fn raise(&self, member: &str) -> Version {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if t.members.len() >= MAX_MEMBERS && !t.members.contains_key(member) {
            t.members.clear();
            t.epoch += 1;
        }
        let epoch = t.epoch;
        let n = t.members.entry(member.to_string()).or_insert(0);
        *n += 1;
        (epoch, *n)
    }

    /// Makes every member's cached pages stale (the process may have missed a change).
    pub fn raise_all(&self) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        t.members.clear();
        t.epoch += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_one_member_leaves_the_others() {
        let p = MemberPages::default();
        let a0 = p.version("a");
        let b0 = p.version("b");
        let a1 = p.raise("a");
        assert_ne!(a0, a1);
        assert_eq!(p.version("a"), a1);
        assert_eq!(p.version("b"), b0);
        p.raise_all();
        assert_ne!(p.version("a"), a1);
        assert_ne!(p.version("b"), b0);
    }

    #[test]
    fn a_full_table_starts_again_under_a_new_epoch() {
        let p = MemberPages::default();
        let first = p.raise("first");
        for i in 0..MAX_MEMBERS {
            p.raise(&i.to_string());
        }
        // "first" was forgotten with the rest: its old version can never match again.
        assert_ne!(p.version("first"), first);
        assert!(p.version("first").0 > first.0);
    }
}
