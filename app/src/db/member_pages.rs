//! Per-member page versions: which of a member's cached pages may still be served, raised whenever something is announced to that member (`Db::announce`), in every app process.
//!
//! Everything that changes what one member sees without being a public change — a notification,
//! a message, a read mark (opening a thread, a conversation) — is announced to that member for
//! their live event stream, here at once and, on PostgreSQL, in every other process (`NOTIFY
//! hc_events`). The page cache keeps a member's page at that member's version and serves it only
//! while the version is unchanged; a page whose render overlapped a raise is not kept.
//!
//! The table is bounded: past [`MAX_MEMBERS`] it starts again empty under a new epoch, which
//! every entry made before no longer matches.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The most members whose version is remembered at once.
pub const MAX_MEMBERS: usize = 50_000;

/// A member's page version: the table's epoch and the member's count within it.
pub type Version = (u64, u64);

struct Table {
    epoch: u64,
    /// When the table last started again (every member's version changed then).
    cleared: Instant,
    members: HashMap<i64, (u64, Instant)>,
}

/// The versions of the members' pages in this process.
pub struct MemberPages(Mutex<Table>);

impl Default for MemberPages {
    fn default() -> Self {
        MemberPages(Mutex::new(Table {
            epoch: 0,
            cleared: Instant::now(),
            members: HashMap::new(),
        }))
    }
}

impl MemberPages {
    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current version of `member`'s pages.
    pub fn version(&self, member: i64) -> Version {
        let t = self.table();
        (t.epoch, t.members.get(&member).map_or(0, |m| m.0))
    }

    /// Whether `member`'s version was raised after `since` (a render that began then saw an
    /// older state of their pages).
    pub fn raised_since(&self, member: i64, since: Instant) -> bool {
        let t = self.table();
        t.cleared > since || t.members.get(&member).is_some_and(|m| m.1 > since)
    }

    /// Raises `member`'s version.
    pub fn raise(&self, member: i64) {
        let mut t = self.table();
        if t.members.len() >= MAX_MEMBERS && !t.members.contains_key(&member) {
            t.members.clear();
            t.epoch += 1;
            t.cleared = Instant::now();
        }
        let m = t.members.entry(member).or_insert((0, Instant::now()));
        m.0 += 1;
        m.1 = Instant::now();
    }

    /// Makes every member's cached pages stale (the process may have missed an announcement).
    pub fn raise_all(&self) {
        let mut t = self.table();
        t.members.clear();
        t.epoch += 1;
        t.cleared = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_one_member_leaves_the_others() {
        let p = MemberPages::default();
        let start = Instant::now();
        let (a0, b0) = (p.version(1), p.version(2));
        p.raise(1);
        assert_ne!(p.version(1), a0);
        assert_eq!(p.version(2), b0);
        assert!(p.raised_since(1, start));
        assert!(!p.raised_since(2, start));
        let a1 = p.version(1);
        let later = Instant::now();
        p.raise_all();
        assert_ne!(p.version(1), a1);
        assert_ne!(p.version(2), b0);
        assert!(p.raised_since(2, later), "a cleared table changed everyone");
    }

    #[test]
    fn a_full_table_starts_again_under_a_new_epoch() {
        let p = MemberPages::default();
        p.raise(-1);
        let first = p.version(-1);
        let start = Instant::now();
        for i in 0..MAX_MEMBERS as i64 {
            p.raise(i);
        }
        // -1 was forgotten with the rest: its old version can never match again.
        assert_ne!(p.version(-1), first);
        assert!(p.raised_since(-1, start));
    }
}
