//! Redis URLs with their secrets blanked, for `Debug` output and logs.

use std::fmt;

/// A Redis URL that never prints its password.
#[derive(Clone)]
pub(crate) struct RedisUrl(String);

impl RedisUrl {
    pub(crate) fn new(url: &str) -> Self {
        Self(url.to_owned())
    }

    /// The URL with its secret, for the Redis client only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with the password in the user info and every query value blanked.
    pub(crate) fn redacted(&self) -> String {
        redact(&self.0)
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        // Not a URL we can take apart: show nothing of it rather than risk a secret.
        return "<unparsable url>".to_owned();
    };
    let (scheme, rest) = url.split_at(scheme_end);
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    // The password may hold `/`, `?` and `@` unencoded: everything up to the *last* `@` is
    // user info, whatever it contains.
    let rest = match rest.rsplit_once('@') {
        Some((userinfo, host_and_more)) => {
            match userinfo.split_once(':') {
                Some((user, _password)) if !user.contains(['/', '?']) => {
                    out.push_str(user);
                    out.push_str(":***");
                }
                _ => out.push_str("***"),
            }
            out.push('@');
            host_and_more
        }
        None => rest,
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    out.push_str(before_query);
    if let Some(query) = query {
        out.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            out.push_str(name);
            out.push_str("=***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_password_is_blanked_and_the_user_kept() {
        assert_eq!(
            redact("redis://app:s3cret@cache:6379/2"),
            "redis://app:***@cache:6379/2"
        );
    }

    #[test]
    fn a_password_without_user_is_blanked() {
        assert_eq!(
            redact("rediss://:s3cret@cache:6380"),
            "rediss://:***@cache:6380"
        );
    }

    #[test]
    fn lone_user_info_is_treated_as_secret() {
        assert_eq!(redact("redis://s3cret@cache"), "redis://***@cache");
    }

    #[test]
    fn query_values_are_blanked() {
        assert_eq!(
            redact("redis+unix:///run/redis.sock?db=1&pass=s3cret"),
            "redis+unix:///run/redis.sock?db=***&pass=***"
        );
    }

    #[test]
    fn urls_without_secrets_are_unchanged() {
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }

    #[test]
    fn a_password_containing_at_signs_is_blanked_whole() {
        assert_eq!(redact("redis://u:p@ss@host"), "redis://u:***@host");
    }

    #[test]
    fn a_password_with_slashes_and_question_marks_is_blanked_whole() {
        assert_eq!(redact("redis://:abc/def@host"), "redis://:***@host");
        assert_eq!(
            redact("redis://user:abc?def@host:1/0"),
            "redis://user:***@host:1/0"
        );
        assert_eq!(redact("redis://user:a/b?c@d@host"), "redis://user:***@host");
    }

    #[test]
    fn something_that_is_not_a_url_is_not_echoed() {
        assert_eq!(redact("s3cret"), "<unparsable url>");
    }
}
