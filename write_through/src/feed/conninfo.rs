//! Where the streaming reader connects: a PostgreSQL connection string, as libpq reads it (a
//! `postgres://` URL or `key=value` pairs), taken apart into what the replication handshake
//! sends. Parsing only; `walsender.rs` speaks the protocol and `socket.rs` opens the socket.
//!
//! The password never leaves this value except into the authentication exchange: `Debug`
//! prints it as `***`, and no error repeats the string it came from.

use std::fmt;

use super::FeedError;

/// Where the server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    /// A host name or address, with its port.
    Tcp(String, u16),
    /// The Unix socket `{dir}/.s.PGSQL.{port}`.
    Unix(String),
}

/// A parsed connection string.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Conninfo {
    pub(crate) host: Host,
    pub(crate) user: String,
    pub(crate) password: Option<String>,
    pub(crate) dbname: String,
    pub(crate) application_name: String,
    /// How long to wait for the server to accept the connection.
    pub(crate) connect_timeout: Option<std::time::Duration>,
}

impl fmt::Debug for Conninfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conninfo")
            .field("host", &self.host)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("dbname", &self.dbname)
            .finish_non_exhaustive()
    }
}

fn invalid(problem: &'static str) -> FeedError {
    FeedError::StreamUrl { problem }
}

impl Conninfo {
    /// Reads `text`, a URL (`postgres://user:password@host:port/db?param=value`) or libpq's
    /// `key=value` pairs. What it leaves out comes from `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD` and `PGDATABASE`, then libpq's defaults (the Unix socket in
    /// `/var/run/postgresql`, port 5432, the user `USER` names, a database named after the user).
    pub(crate) fn parse(text: &str) -> Result<Self, FeedError> {
        let text = text.trim();
        let pairs = if let Some(rest) = text
            .strip_prefix("postgres://")
            .or_else(|| text.strip_prefix("postgresql://"))
        {
            url_pairs(rest)?
        } else if text.contains("://") {
            return Err(invalid(
                "it is neither a postgres:// URL nor key=value pairs",
            ));
        } else {
            keyword_pairs(text)?
        };
        Self::from_pairs(pairs, |name| std::env::var(name).ok())
    }

    fn from_pairs(
        pairs: Vec<(String, String)>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, FeedError> {
        let mut host = None;
        let mut port = None;
        let mut user = None;
        let mut password = None;
        let mut dbname = None;
        let mut application_name = None;
        let mut connect_timeout = None;
        let mut sslmode = None;
        for (key, value) in pairs {
            match key.as_str() {
                "host" | "hostaddr" => host = Some(value),
                "port" => port = Some(value),
                "user" => user = Some(value),
                "password" => password = Some(value),
                "dbname" => dbname = Some(value),
                "application_name" => application_name = Some(value),
                "connect_timeout" => connect_timeout = Some(value),
                "sslmode" => sslmode = Some(value),
                // JDBC's spelling, which libpq reads as sslmode=require.
                "ssl" if value == "true" => sslmode = Some("require".to_owned()),
                // libpq's other settings (keepalives, target_session_attrs, gssencmode, ...)
                // change nothing the reader relies on.
                _ => {}
            }
        }
        match sslmode.or_else(|| env("PGSSLMODE")).as_deref() {
            None | Some("disable" | "allow" | "prefer") => {}
            Some(_) => {
                return Err(invalid(
                    "the streaming reader does not speak TLS and the connection string (or PGSSLMODE) requires it: use sslmode=disable or prefer on a trusted network, or read the slot by polling (leave out ChangeFeed::streaming)",
                ));
            }
        }
        let host = host.or_else(|| env("PGHOST")).filter(|h| !h.is_empty());
        let port = match port.or_else(|| env("PGPORT")).filter(|p| !p.is_empty()) {
            None => 5432,
            Some(port) => port
                .parse::<u16>()
                .map_err(|_| invalid("its port is not a number from 1 to 65535"))?,
        };
        if host.as_deref().is_some_and(|host| host.contains(',')) {
            return Err(invalid(
                "it names several hosts; the streaming reader connects to one (the primary)",
            ));
        }
        let host = match host {
            Some(dir) if dir.starts_with('/') => Host::Unix(format!("{dir}/.s.PGSQL.{port}")),
            Some(name) => Host::Tcp(name, port),
            None => Host::Unix(format!("/var/run/postgresql/.s.PGSQL.{port}")),
        };
        let user = user
            .or_else(|| env("PGUSER"))
            .or_else(|| env("USER"))
            .filter(|u| !u.is_empty())
            .ok_or(invalid(
                "it names no user (and neither PGUSER nor USER is set)",
            ))?;
        let password = password.or_else(|| env("PGPASSWORD"));
        let dbname = dbname
            .or_else(|| env("PGDATABASE"))
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| user.clone());
        let connect_timeout = match connect_timeout {
            None => None,
            Some(seconds) => Some(std::time::Duration::from_secs(
                seconds
                    .parse::<u64>()
                    .map_err(|_| invalid("its connect_timeout is not a number of seconds"))?,
            ))
            .filter(|timeout| !timeout.is_zero()),
        };
        Ok(Self {
            host,
            user,
            password,
            dbname,
            application_name: application_name.unwrap_or_else(|| "write_through feed".to_owned()),
            connect_timeout,
        })
    }
}

/// `user:password@host:port/db?key=value&...`, percent-decoded, as `key=value` pairs.
fn url_pairs(rest: &str) -> Result<Vec<(String, String)>, FeedError> {
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((authority, path)) => (authority, Some(path)),
        None => (before_query, None),
    };
    let mut pairs = Vec::new();
    // The password may hold an `@`: the user info runs to the last one.
    let host_port = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((user, password)) => (user, Some(password)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                pairs.push(("user".to_owned(), percent_decoded(user)?));
            }
            if let Some(password) = password {
                pairs.push(("password".to_owned(), percent_decoded(password)?));
            }
            host_port
        }
        None => authority,
    };
    if !host_port.is_empty() {
        let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
            // An IPv6 address: `[::1]:5432`.
            let (address, after) = bracketed
                .split_once(']')
                .ok_or(invalid("its IPv6 address has no closing `]`"))?;
            (address.to_owned(), after.strip_prefix(':'))
        } else {
            match host_port.rsplit_once(':') {
                Some((host, port)) => (percent_decoded(host)?, Some(port)),
                None => (percent_decoded(host_port)?, None),
            }
        };
        if !host.is_empty() {
            pairs.push(("host".to_owned(), host));
        }
        if let Some(port) = port.filter(|p| !p.is_empty()) {
            pairs.push(("port".to_owned(), port.to_owned()));
        }
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        pairs.push(("dbname".to_owned(), percent_decoded(db)?));
    }
    for param in query.into_iter().flat_map(|q| q.split('&')) {
        if param.is_empty() {
            continue;
        }
        let (key, value) = param
            .split_once('=')
            .ok_or(invalid("a query parameter has no `=`"))?;
        pairs.push((percent_decoded(key)?, percent_decoded(value)?));
    }
    Ok(pairs)
}

/// libpq's `key = value` pairs, values optionally single-quoted with `\` escapes.
fn keyword_pairs(text: &str) -> Result<Vec<(String, String)>, FeedError> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(invalid("a setting has no `=` (expected key=value pairs)"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => return Err(invalid("a quoted value has no closing quote")),
                    Some('\'') => break,
                    Some('\\') => value.push(
                        chars
                            .next()
                            .ok_or(invalid("a quoted value ends in a backslash"))?,
                    ),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.push(chars.next().ok_or(invalid("a value ends in a backslash"))?);
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
}

fn percent_decoded(text: &str) -> Result<String, FeedError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = bytes
                .get(at + 1..at + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or(invalid("it holds a `%` not followed by two hex digits"))?;
            out.push(hex);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid("a percent-encoded part is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Conninfo, FeedError> {
        let pairs = if let Some(rest) = text.strip_prefix("postgres://") {
            url_pairs(rest)?
        } else {
            keyword_pairs(text)?
        };
        Conninfo::from_pairs(pairs, |name| (name == "USER").then(|| "os_user".to_owned()))
    }

    #[test]
    fn a_url_gives_its_user_password_host_port_and_database() {
        let info =
            parsed("postgres://feed:p%40ss:w@db.internal:6543/app?application_name=x").unwrap();
        assert_eq!(info.host, Host::Tcp("db.internal".to_owned(), 6543));
        assert_eq!(info.user, "feed");
        assert_eq!(info.password.as_deref(), Some("p@ss:w"));
        assert_eq!(info.dbname, "app");
        assert_eq!(info.application_name, "x");
    }

    #[test]
    fn a_password_with_an_at_sign_runs_to_the_last_one() {
        let info = parsed("postgres://feed:a@b@127.0.0.1/app").unwrap();
        assert_eq!(info.password.as_deref(), Some("a@b"));
        assert_eq!(info.host, Host::Tcp("127.0.0.1".to_owned(), 5432));
    }

    #[test]
    fn an_ipv6_host_is_bracketed() {
        let info = parsed("postgres://u@[::1]:5433/d").unwrap();
        assert_eq!(info.host, Host::Tcp("::1".to_owned(), 5433));
    }

    #[test]
    fn keyword_pairs_are_read_with_quotes_and_escapes() {
        let info =
            parsed("host=/tmp port = 5999 user=feed password='it''s' dbname=app").unwrap_err();
        // `'it'` then `'s'` is not libpq's quoting (`\'` is): the text after the first
        // closing quote is not a setting.
        assert!(matches!(info, FeedError::StreamUrl { .. }));
        let info =
            parsed(r"host=/tmp port = 5999 user=feed password='it\'s x' dbname=app").unwrap();
        assert_eq!(info.host, Host::Unix("/tmp/.s.PGSQL.5999".to_owned()));
        assert_eq!(info.password.as_deref(), Some("it's x"));
        assert_eq!(info.dbname, "app");
    }

    #[test]
    fn what_is_left_out_takes_libpq_defaults() {
        let info = parsed("postgres://").unwrap();
        assert_eq!(
            info.host,
            Host::Unix("/var/run/postgresql/.s.PGSQL.5432".to_owned())
        );
        assert_eq!(info.user, "os_user");
        assert_eq!(info.dbname, "os_user");
        assert_eq!(info.password, None);
    }

    #[test]
    fn tls_several_hosts_and_bad_ports_are_refused_with_what_to_change() {
        for text in [
            "postgres://u@h/d?sslmode=require",
            "postgres://u@h/d?ssl=true",
            "host=h user=u sslmode=verify-full",
            "postgres://u@h1,h2/d",
            "postgres://u@h:99999/d",
            "postgres://u@h/d?x",
            "postgres://u:%zz@h/d",
            "host=h user",
        ] {
            let error = parsed(text).unwrap_err();
            assert!(matches!(error, FeedError::StreamUrl { .. }), "{text}");
        }
    }

    #[test]
    fn neither_debug_nor_an_error_shows_the_password() {
        let info = parsed("postgres://u:hunter2@h/d").unwrap();
        assert!(!format!("{info:?}").contains("hunter2"));
        let error = Conninfo::parse("postgres://u:hunter2@h:x/d").unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
        let error = Conninfo::parse("mysql://u:hunter2@h/d").unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
    }
}
