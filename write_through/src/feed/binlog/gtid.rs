//! MariaDB's global transaction ids and positions: `domain-server-sequence`, one per replication
//! domain, as `@@gtid_binlog_pos` prints them and `@slave_connect_state` takes them.
//!
//! A position covers another when, in each of the other's domains, it has reached at least the
//! same sequence number: within a domain, transactions are binlogged in sequence order.

use std::collections::BTreeMap;
use std::fmt;

/// One transaction's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gtid {
    pub(crate) domain: u32,
    pub(crate) server: u32,
    pub(crate) sequence: u64,
}

impl Gtid {
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let domain = parts.next()?.parse().ok()?;
        let server = parts.next()?.parse().ok()?;
        let sequence = parts.next()?.parse().ok()?;
        Some(Gtid {
            domain,
            server,
            sequence,
        })
    }
}

/// Where a reader of the binlog is: the last transaction it read in each domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GtidPosition {
    by_domain: BTreeMap<u32, Gtid>,
}

impl GtidPosition {
    /// `0-1-42,1-2-7`; the empty text is the empty position (a server that binlogged nothing).
    /// `None` when a part is not a GTID or a domain appears twice.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let mut position = GtidPosition::default();
        for part in text.split(',').filter(|part| !part.trim().is_empty()) {
            let gtid = Gtid::parse(part)?;
            if position.by_domain.insert(gtid.domain, gtid).is_some() {
                return None;
            }
        }
        Some(position)
    }

    /// The reader has read `gtid`'s transaction whole.
    pub(crate) fn advance(&mut self, gtid: Gtid) {
        self.by_domain.insert(gtid.domain, gtid);
    }

    /// Whether every transaction `target` names was read: in each of its domains, this position
    /// is at the same or a later sequence number.
    pub(crate) fn covers(&self, target: &GtidPosition) -> bool {
        target.by_domain.iter().all(|(domain, wanted)| {
            self.by_domain
                .get(domain)
                .is_some_and(|read| read.sequence >= wanted.sequence)
        })
    }
}

impl fmt::Display for GtidPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, gtid) in self.by_domain.values().enumerate() {
            if at > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}-{}-{}", gtid.domain, gtid.server, gtid.sequence)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_reads_and_prints_as_the_server_does() {
        let position = GtidPosition::parse("1-2-7,0-1-42").unwrap();
        assert_eq!(position.to_string(), "0-1-42,1-2-7");
        assert_eq!(GtidPosition::parse("").unwrap().to_string(), "");
        assert_eq!(GtidPosition::parse("0-1"), None);
        assert_eq!(GtidPosition::parse("0-1-x"), None);
        assert_eq!(
            GtidPosition::parse("0-1-4,0-2-5"),
            None,
            "one GTID per domain"
        );
    }

    #[test]
    fn a_position_covers_a_target_reached_in_every_domain() {
        let read = GtidPosition::parse("0-1-42,1-2-7").unwrap();
        assert!(read.covers(&GtidPosition::parse("0-1-42").unwrap()));
        assert!(read.covers(&GtidPosition::parse("0-3-40,1-2-7").unwrap()));
        assert!(!read.covers(&GtidPosition::parse("0-1-43").unwrap()));
        assert!(
            !read.covers(&GtidPosition::parse("2-1-1").unwrap()),
            "a domain it never read"
        );
        assert!(read.covers(&GtidPosition::default()));
    }

    #[test]
    fn advancing_replaces_the_domains_last_transaction() {
        let mut read = GtidPosition::parse("0-1-42").unwrap();
        read.advance(Gtid {
            domain: 0,
            server: 2,
            sequence: 43,
        });
        read.advance(Gtid {
            domain: 5,
            server: 2,
            sequence: 1,
        });
        assert_eq!(read.to_string(), "0-2-43,5-2-1");
    }
}
